//! Who makes a request, and how a `Principal` element names them.

use std::fmt;

/// The caller of a request, parsed from its ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// `arn:aws:iam::111122223333:user/path/name`
    User {
        account: String,
        arn: String,
        name: String,
    },
    /// A session of a role. Given as the role ARN (`arn:aws:iam::1:role/path/name`,
    /// a session whose name is not known) or as the session ARN
    /// (`arn:aws:sts::1:assumed-role/name/session`).
    RoleSession {
        account: String,
        role_arn: String,
        role_name: String,
        session_arn: Option<String>,
        /// `role/aws-service-role/...`: exempt from SCPs and RCPs.
        service_linked: bool,
    },
    /// `arn:aws:sts::111122223333:federated-user/name` (GetFederationToken).
    FederatedUser { account: String, arn: String },
    /// `arn:aws:iam::111122223333:root`: the account root user.
    Root { account: String },
    /// An unsigned request.
    Anonymous,
    /// An AWS service principal (`lambda.amazonaws.com`) calling on its own: only a
    /// resource policy (a trust policy, a bucket or topic policy) that names it can
    /// let it in; it has no identity policies and no SCPs govern it.
    Service { name: String },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a principal; expected a user, role, assumed-role, federated-user or root ARN, an AWS service principal (`lambda.amazonaws.com`), or `anonymous`"
)]
pub struct PrincipalParseError(pub String);

impl Principal {
    pub fn parse(text: &str) -> Result<Principal, PrincipalParseError> {
        let err = || PrincipalParseError(text.to_string());
        if text == "anonymous" {
            return Ok(Principal::Anonymous);
        }
        if is_service_principal(text) {
            return Ok(Principal::Service {
                name: text.to_string(),
            });
        }
        let [partition, service, _, account, res] =
            super::arn::Arn::segments(text).ok_or_else(err)?;
        if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        let account = account.to_string();
        match service {
            "iam" if res == "root" => Ok(Principal::Root { account }),
            "iam" if res.starts_with("user/") => Ok(Principal::User {
                name: last_segment(res).to_string(),
                account,
                arn: text.to_string(),
            }),
            "iam" if res.starts_with("role/") => Ok(Principal::RoleSession {
                role_name: last_segment(res).to_string(),
                // The role ARN shows the path, and every service-linked role lives
                // under /aws-service-role/ (IAM User Guide, "Using service-linked
                // roles"): a role elsewhere is a customer's, whatever its name.
                service_linked: res.starts_with("role/aws-service-role/"),
                account,
                role_arn: text.to_string(),
                session_arn: None,
            }),
            "sts" if res.starts_with("assumed-role/") => {
                let mut parts = res.splitn(3, '/').skip(1);
                let role = parts.next().filter(|r| !r.is_empty()).ok_or_else(err)?;
                parts.next().filter(|s| !s.is_empty()).ok_or_else(err)?;
                Ok(Principal::RoleSession {
                    role_arn: format!("arn:{partition}:iam::{account}:role/{role}"),
                    role_name: role.to_string(),
                    // A session ARN does not show the role's path; AWS names every
                    // service-linked role `AWSServiceRoleFor...`.
                    service_linked: role.starts_with(SERVICE_LINKED_PREFIX),
                    account,
                    session_arn: Some(text.to_string()),
                })
            }
            "sts" if res.starts_with("federated-user/") => Ok(Principal::FederatedUser {
                account,
                arn: text.to_string(),
            }),
            _ => Err(err()),
        }
    }

    pub fn account(&self) -> Option<&str> {
        match self {
            Principal::User { account, .. }
            | Principal::RoleSession { account, .. }
            | Principal::FederatedUser { account, .. }
            | Principal::Root { account } => Some(account),
            Principal::Anonymous | Principal::Service { .. } => None,
        }
    }

    /// The value of `aws:PrincipalArn`: the role ARN for a role session.
    pub fn principal_arn(&self) -> Option<std::borrow::Cow<'_, str>> {
        match self {
            Principal::User { arn, .. } | Principal::FederatedUser { arn, .. } => {
                Some(arn.as_str().into())
            }
            Principal::RoleSession { role_arn, .. } => Some(role_arn.as_str().into()),
            Principal::Root { account } => Some(format!("arn:aws:iam::{account}:root").into()),
            Principal::Anonymous | Principal::Service { .. } => None,
        }
    }

    /// The value of `aws:PrincipalType`; `None` for a service principal, which the
    /// key's documented values (IAM User Guide, "AWS global condition context keys",
    /// aws:PrincipalType) do not cover.
    pub fn principal_type(&self) -> Option<&'static str> {
        match self {
            Principal::User { .. } => Some("User"),
            Principal::RoleSession { .. } => Some("AssumedRole"),
            Principal::FederatedUser { .. } => Some("FederatedUser"),
            Principal::Root { .. } => Some("Account"),
            Principal::Anonymous => Some("Anonymous"),
            Principal::Service { .. } => None,
        }
    }

    /// The service principal's name (`lambda.amazonaws.com`), for a service caller.
    pub fn service_name(&self) -> Option<&str> {
        match self {
            Principal::Service { name } => Some(name),
            _ => None,
        }
    }

    pub fn is_service_linked_role(&self) -> bool {
        matches!(
            self,
            Principal::RoleSession {
                service_linked: true,
                ..
            }
        )
    }
}

impl fmt::Display for Principal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Principal::User { arn, .. } | Principal::FederatedUser { arn, .. } => f.write_str(arn),
            Principal::RoleSession {
                session_arn: Some(s),
                ..
            } => f.write_str(s),
            Principal::RoleSession { role_arn, .. } => f.write_str(role_arn),
            Principal::Root { account } => write!(f, "arn:aws:iam::{account}:root"),
            Principal::Anonymous => f.write_str("anonymous"),
            Principal::Service { name } => f.write_str(name),
        }
    }
}

const SERVICE_LINKED_PREFIX: &str = "AWSServiceRoleFor";

/// `lambda.amazonaws.com`, `logs.eu-west-1.amazonaws.com`, `states.amazonaws.com.cn`:
/// the names AWS gives its service principals (IAM User Guide, "AWS JSON policy
/// elements: Principal", AWS service principals).
pub fn is_service_principal(text: &str) -> bool {
    let Some(head) = text
        .strip_suffix(".amazonaws.com")
        .or_else(|| text.strip_suffix(".amazonaws.com.cn"))
    else {
        return false;
    };
    !head.is_empty()
        && !head.starts_with(['.', '-'])
        && head
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
}

fn last_segment(res: &str) -> &str {
    res.rsplit('/').next().unwrap_or(res)
}

/// One value of a `Principal` / `NotPrincipal` element.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PrincipalEntry {
    /// `"*"` or `{"AWS": "*"}`: everyone, anonymous callers included.
    Everyone,
    /// A 12-digit account id or `arn:aws:iam::<id>:root`: the account, which delegates
    /// to its own IAM policies.
    Account(Box<str>),
    /// Any other AWS ARN, compared exactly (a role, user, session, federated user).
    Arn(Box<str>),
    /// `Service`, `Federated` or `CanonicalUser` values: callers orgscope does not model
    /// as request principals, so they never match one.
    Other(Box<str>),
}

impl PrincipalEntry {
    pub fn from_aws(value: &str) -> PrincipalEntry {
        if value == "*" {
            return PrincipalEntry::Everyone;
        }
        if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
            return PrincipalEntry::Account(value.into());
        }
        if let Some(arn) = super::arn::Arn::parse(value)
            && arn.service() == "iam"
            && arn.resource() == "root"
        {
            return PrincipalEntry::Account(arn.account().into());
        }
        PrincipalEntry::Arn(value.into())
    }
}

/// How a `Principal` element matched the caller. The strength decides which implicit
/// denies a same-account resource policy overrides (IAM User Guide, "Policy evaluation
/// for requests within a single account"; "Permissions boundaries for IAM entities").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PrincipalMatch {
    /// The caller's account (or its root ARN): delegation to the account's IAM.
    Account,
    /// `"*"`, or the role's ARN for a role session: overrides identity policies only.
    Broad,
    /// The user's ARN: overrides identity policies and the permissions boundary.
    User,
    /// The exact session (assumed-role or federated-user ARN), or the root user named
    /// as its account: overrides identity, boundary and session policies.
    Session,
}

impl PrincipalEntry {
    /// How this entry names `caller`, if it does.
    pub fn matches(&self, caller: &Principal) -> Option<PrincipalMatch> {
        match self {
            PrincipalEntry::Everyone => Some(PrincipalMatch::Broad),
            PrincipalEntry::Other(o) => match caller {
                Principal::Service { name } if names_service(o, name) => {
                    Some(PrincipalMatch::Broad)
                }
                _ => None,
            },
            PrincipalEntry::Account(id) => match caller {
                Principal::Root { account } if **id == **account => Some(PrincipalMatch::Session),
                p if p.account() == Some(id) => Some(PrincipalMatch::Account),
                _ => None,
            },
            PrincipalEntry::Arn(arn) => match caller {
                Principal::User { arn: a, .. } if **arn == **a => Some(PrincipalMatch::User),
                Principal::FederatedUser { arn: a, .. } if **arn == **a => {
                    Some(PrincipalMatch::Session)
                }
                Principal::RoleSession {
                    session_arn: Some(s),
                    ..
                } if **arn == **s => Some(PrincipalMatch::Session),
                Principal::RoleSession {
                    account, role_name, ..
                } if names_role(arn, account, role_name) => Some(PrincipalMatch::Broad),
                _ => None,
            },
        }
    }
}

/// Whether a `NotPrincipal` list names every identity the caller acts as, as AWS
/// requires for the caller to escape a Deny (IAM User Guide, "NotPrincipal"): the
/// user and its account; the session, its role and its account; the federated user
/// and its account; the root user's account. A role given without its session ARN
/// cannot be shown to be listed, so it never escapes.
pub(crate) fn fully_listed(entries: &[PrincipalEntry], caller: &Principal) -> bool {
    let account_listed = |account: &str| {
        entries
            .iter()
            .any(|e| matches!(e, PrincipalEntry::Account(a) if **a == *account))
    };
    let arn_listed = |arn: &str| {
        entries
            .iter()
            .any(|e| matches!(e, PrincipalEntry::Arn(a) if **a == *arn))
    };
    match caller {
        Principal::User { account, arn, .. } | Principal::FederatedUser { account, arn } => {
            arn_listed(arn) && account_listed(account)
        }
        Principal::RoleSession {
            account,
            role_name,
            session_arn: Some(session),
            ..
        } => {
            arn_listed(session)
                && entries.iter().any(
                    |e| matches!(e, PrincipalEntry::Arn(a) if names_role(a, account, role_name)),
                )
                && account_listed(account)
        }
        Principal::RoleSession {
            session_arn: None, ..
        } => false,
        Principal::Root { account } => account_listed(account),
        Principal::Anonymous => false,
        Principal::Service { name } => entries
            .iter()
            .any(|e| matches!(e, PrincipalEntry::Other(o) if names_service(o, name))),
    }
}

/// Whether a `{"Service": ...}` entry (kept as `Service:NAME`) names service `name`.
/// Service principal names are lower case; the comparison ignores case, as a policy
/// that writes `Lambda.amazonaws.com` names no other service.
fn names_service(entry: &str, name: &str) -> bool {
    entry
        .strip_prefix("Service:")
        .is_some_and(|v| v.eq_ignore_ascii_case(name))
}

/// Whether `arn` is the ARN of role `name` in `account`, whatever its path: a role
/// session ARN does not carry the role's path.
fn names_role(arn: &str, account: &str, name: &str) -> bool {
    match super::arn::Arn::parse(arn) {
        Some(a) => {
            a.service() == "iam"
                && a.account() == account
                && a.resource().starts_with("role/")
                && last_segment(a.resource()) == name
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_principal_form() {
        let u = Principal::parse("arn:aws:iam::111122223333:user/dev/alice").unwrap();
        assert!(matches!(&u, Principal::User { name, .. } if name == "alice"));
        let r = Principal::parse(
            "arn:aws:iam::111122223333:role/aws-service-role/x.amazonaws.com/AWSServiceRoleForX",
        )
        .unwrap();
        assert!(r.is_service_linked_role());
        let s = Principal::parse("arn:aws:sts::111122223333:assumed-role/Deploy/ci").unwrap();
        assert_eq!(
            s.principal_arn().unwrap(),
            "arn:aws:iam::111122223333:role/Deploy"
        );
        assert!(matches!(
            Principal::parse("arn:aws:iam::111122223333:root").unwrap(),
            Principal::Root { .. }
        ));
        assert!(matches!(
            Principal::parse("anonymous").unwrap(),
            Principal::Anonymous
        ));
        assert!(Principal::parse("arn:aws:iam::12:user/a").is_err());
        assert!(Principal::parse("alice").is_err());
        assert!(Principal::parse("arn:aws:sts::111122223333:assumed-role/Deploy").is_err());
    }

    #[test]
    fn match_strength_follows_the_named_identity() {
        let session = Principal::parse("arn:aws:sts::111122223333:assumed-role/Deploy/ci").unwrap();
        let role = PrincipalEntry::from_aws("arn:aws:iam::111122223333:role/team/Deploy");
        assert_eq!(role.matches(&session), Some(PrincipalMatch::Broad));
        let exact = PrincipalEntry::from_aws("arn:aws:sts::111122223333:assumed-role/Deploy/ci");
        assert_eq!(exact.matches(&session), Some(PrincipalMatch::Session));
        let acct = PrincipalEntry::from_aws("111122223333");
        assert_eq!(acct.matches(&session), Some(PrincipalMatch::Account));
        let other = PrincipalEntry::from_aws("arn:aws:iam::444455556666:root");
        assert_eq!(other.matches(&session), None);
        assert_eq!(
            PrincipalEntry::Everyone.matches(&Principal::Anonymous),
            Some(PrincipalMatch::Broad)
        );
        assert_eq!(acct.matches(&Principal::Anonymous), None);
    }
}
