//! One request as policies see it: who, what action, on what, with which context.

use std::sync::Arc;

use super::arn::{Arn, ResourceRef};
use super::context::{Context, Key};
use super::principal::{Principal, PrincipalParseError};

/// What a request asks, whoever asks it: the action and the resource, checked and
/// parsed once. Shared (behind an `Arc`) by the requests of every principal that a
/// question evaluates.
#[derive(Debug, Clone, PartialEq)]
pub struct Asked {
    action: Box<str>,
    /// The action lower-cased once: actions match case-insensitively.
    action_lower: Box<str>,
    /// The service prefix, interned: statements compare it as an integer.
    service_key: Key,
    /// Byte index of the `:` between service and action name.
    colon: usize,
    resource: Box<str>,
    resource_arn: Option<Arn>,
}

impl Asked {
    pub fn new(action: &str, resource: &str) -> Result<Asked, RequestError> {
        let colon = action
            .find(':')
            .filter(|&i| i > 0 && i + 1 < action.len() && !action[i + 1..].contains(':'))
            .ok_or_else(|| RequestError::Action(action.to_string()))?;
        let resource_arn = Arn::parse(resource);
        if resource_arn.is_none() && resource != "*" {
            return Err(RequestError::Resource(resource.to_string()));
        }
        Ok(Asked {
            action: action.into(),
            action_lower: action.to_ascii_lowercase().into(),
            service_key: Key::new(&action[..colon]),
            colon,
            resource: resource.into(),
            resource_arn,
        })
    }

    /// Whether this is what `action` on `resource` asks.
    pub fn is(&self, action: &str, resource: &str) -> bool {
        *self.action == *action && *self.resource == *resource
    }
}

/// Fields that others are derived from are read-only; build a new request to change
/// them.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    principal: Principal,
    asked: Arc<Asked>,
    /// The account that owns the resource: given, else the ARN's, else (S3 and other
    /// ARNs without an account) the principal's.
    resource_account: Option<String>,
    /// True when the resource account was not given nor in the ARN, and so was taken
    /// to be the principal's.
    resource_account_assumed: bool,
    pub context: Context,
    /// Precomputed: principal and resource in different accounts.
    cross_account: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    #[error(transparent)]
    Principal(#[from] PrincipalParseError),
    #[error("`{0}` is not an action; expected `service:Action`, e.g. `s3:GetObject`")]
    Action(String),
    #[error("`{0}` is not a resource; expected an ARN or `*`")]
    Resource(String),
    #[error("`{0}` is not an account id; expected 12 digits")]
    Account(String),
}

impl Request {
    /// Builds a request and adds the context keys AWS always sets from the principal
    /// and resource (`aws:PrincipalType`, `aws:ViaAWSService` false, `aws:PrincipalArn`,
    /// `aws:PrincipalAccount` (`anonymous` for an anonymous caller),
    /// `aws:username`, `aws:userid` where the ARN gives it, `aws:PrincipalIsAWSService`,
    /// `kms:CallerAccount` for KMS actions,
    /// `aws:ResourceAccount`, `aws:CurrentTime` and `aws:EpochTime` as of now) where the
    /// caller did not give them.
    pub fn new(
        principal: &str,
        action: &str,
        resource: &str,
        resource_account: Option<&str>,
        context: Context,
    ) -> Result<Request, RequestError> {
        let principal = Principal::parse(principal)?;
        let asked = Arc::new(Asked::new(action, resource)?);
        Request::build(principal, asked, resource_account, context)
    }

    /// As [`Request::new`], for what `asked` asks: nothing of the action and resource
    /// is parsed again.
    pub fn asking(
        asked: Arc<Asked>,
        principal: &str,
        resource_account: Option<&str>,
        context: Context,
    ) -> Result<Request, RequestError> {
        Request::build(
            Principal::parse(principal)?,
            asked,
            resource_account,
            context,
        )
    }

    fn build(
        mut principal: Principal,
        asked: Arc<Asked>,
        resource_account: Option<&str>,
        mut context: Context,
    ) -> Result<Request, RequestError> {
        if let Some(acct) = resource_account
            && !is_account_id(acct)
        {
            return Err(RequestError::Account(acct.to_string()));
        }
        let from_arn = asked
            .resource_arn
            .as_ref()
            .map(|a| a.account())
            .filter(|a| is_account_id(a));
        let (resource_account, assumed) = match (resource_account, from_arn) {
            (Some(a), _) => (Some(a.to_string()), false),
            (None, Some(a)) => (Some(a.to_string()), false),
            (None, None) => (principal.account().map(str::to_string), true),
        };
        let k = keys();
        // A session ARN does not show its role's path; the role's ARN given as
        // aws:PrincipalArn does (IAM User Guide, "AWS global condition context keys":
        // for a role session it is the role's ARN), and service-linked roles live under
        // /aws-service-role/ ("Using service-linked roles"): that path decides, not the
        // role's name.
        if let Principal::RoleSession {
            account,
            role_name,
            session_arn: Some(_),
            service_linked,
            ..
        } = &mut principal
            && let Some([given]) = context.get_key(&k.principal_arn)
            && let Some([_, "iam", _, acct, res]) = Arn::segments(given)
            && acct == account.as_str()
            && res.starts_with("role/")
            && res.rsplit('/').next() == Some(role_name.as_str())
        {
            *service_linked = res.starts_with("role/aws-service-role/");
        }
        // Always in the request context (IAM User Guide, "AWS global condition context
        // keys", aws:PrincipalType; "Principal key values" for aws:userid). A user's or
        // a role's aws:userid is its unique id, which only the organization knows.
        if let Some(t) = principal.principal_type() {
            context.insert_default_key(&k.principal_type, t);
        }
        // A request that names the services it came through (aws:CalledVia) was made
        // by a service with the caller's credentials: AWS then also sets the first and
        // the last of them, and aws:ViaAWSService is true (IAM User Guide, "AWS global
        // condition context keys": aws:CalledVia, aws:CalledViaFirst, aws:CalledViaLast,
        // aws:ViaAWSService; "Forward access sessions"). Left out, a Deny naming the
        // first or last service would never apply.
        let chain = context
            .get_key(&k.called_via)
            .filter(|v| !v.is_empty())
            .map(|v| (v[0].to_string(), v[v.len() - 1].to_string()));
        if let Some((first, last)) = chain {
            context.insert_default_key(&k.called_via_first, &first);
            context.insert_default_key(&k.called_via_last, &last);
            context.insert_default_key(&k.via_aws_service, "true");
        }
        // Also always there: a question is about a direct call, not one a service makes
        // on the caller's behalf, unless the context says otherwise.
        context.insert_default_key(&k.via_aws_service, "false");
        match &principal {
            Principal::Root { account } => context.insert_default_key(&k.userid, account),
            Principal::FederatedUser { account, arn } => {
                let name = arn.rsplit('/').next().unwrap_or_default();
                context.insert_default_key(&k.userid, &format!("{account}:{name}"));
            }
            Principal::Anonymous => {
                context.insert_default_key(&k.userid, "anonymous");
                // "For anonymous requests, the request context returns `anonymous`"; the
                // key "is included in the request context for all requests, including
                // anonymous requests" (IAM User Guide, "AWS global condition context
                // keys", aws:PrincipalAccount).
                context.insert_default_key(&k.principal_account, "anonymous");
            }
            // A service calling on its own (IAM User Guide, "AWS global condition context
            // keys": aws:PrincipalIsAWSService, aws:PrincipalServiceName).
            Principal::Service { name } => {
                context.insert_default_key(&k.principal_is_aws_service, "true");
                context.insert_default_key(&k.principal_service_name, name);
            }
            Principal::User { .. } | Principal::RoleSession { .. } => {}
        }
        if let Some(arn) = principal.principal_arn() {
            context.insert_default_key(&k.principal_arn, &arn);
        }
        if let Some(acct) = principal.account() {
            context.insert_default_key(&k.principal_account, acct);
            // KMS sets the caller's account on its requests (KMS Developer Guide, "AWS
            // KMS condition keys", kms:CallerAccount); AWS managed keys' policies read it.
            if asked.service_key == k.kms {
                context.insert_default_key(&k.kms_caller_account, acct);
            }
            context.insert_default_key(&k.principal_is_aws_service, "false");
        }
        if let Principal::User { name, .. } = &principal {
            context.insert_default_key(&k.username, name);
        }
        if let Some(acct) = &resource_account {
            context.insert_default_key(&k.resource_account, acct);
            // S3 sets the bucket owner's account on its requests (Service Authorization
            // Reference, "Condition keys for Amazon S3", s3:ResourceAccount; S3 User
            // Guide, "Bucket policy examples": limiting access to buckets owned by given
            // accounts works only because every request carries it). Left out, a Deny
            // on it would never apply.
            if asked.service_key == k.s3 {
                context.insert_default_key(&k.s3_resource_account, acct);
            }
        }
        // AWS sets the time of every request (IAM User Guide, "AWS global condition
        // context keys": aws:CurrentTime, aws:EpochTime). Left out, a Deny that expires
        // access (`DateGreaterThan aws:CurrentTime`) would never apply: the question is
        // asked as of now, unless the context gives another time.
        let (now, epoch) = asked_at();
        context.insert_default_key(&k.current_time, now);
        context.insert_default_key(&k.epoch_time, epoch);
        let cross_account = match (principal.account(), &resource_account) {
            (Some(p), Some(r)) => p != r,
            _ => false,
        };
        Ok(Request {
            cross_account,
            principal,
            asked,
            resource_account,
            resource_account_assumed: assumed,
            context,
        })
    }

    /// Whether the caller, a role session, acts for a service-linked role, where the
    /// role's path is known: a session ARN does not show it.
    pub fn set_service_linked(&mut self, linked: bool) {
        if let Principal::RoleSession { service_linked, .. } = &mut self.principal {
            *service_linked = linked;
        }
    }

    /// The same request for another action on the same resource (an action AWS
    /// authorizes alongside this one, such as `sts:TagSession` with `sts:AssumeRole`).
    pub fn for_action(&self, action: &str) -> Result<Request, RequestError> {
        Ok(Request {
            asked: Arc::new(Asked::new(action, self.resource())?),
            ..self.clone()
        })
    }

    /// What this request asks, to share with requests of other principals.
    pub fn asked(&self) -> &Arc<Asked> {
        &self.asked
    }

    pub fn principal(&self) -> &Principal {
        &self.principal
    }
    pub fn resource_account(&self) -> Option<&str> {
        self.resource_account.as_deref()
    }
    /// True when the resource account was not given nor in the ARN, and so was taken
    /// to be the principal's.
    pub fn resource_account_assumed(&self) -> bool {
        self.resource_account_assumed
    }
    pub fn action(&self) -> &str {
        &self.asked.action
    }
    pub fn service(&self) -> &str {
        &self.asked.action[..self.asked.colon]
    }
    pub fn action_name(&self) -> &str {
        &self.asked.action[self.asked.colon + 1..]
    }
    pub fn action_lower(&self) -> &str {
        &self.asked.action_lower
    }
    pub(crate) fn service_key(&self) -> &Key {
        &self.asked.service_key
    }
    pub fn service_lower(&self) -> &str {
        &self.asked.action_lower[..self.asked.colon]
    }
    pub fn action_name_lower(&self) -> &str {
        &self.asked.action_lower[self.asked.colon + 1..]
    }
    pub fn resource(&self) -> &str {
        &self.asked.resource
    }
    pub fn resource_arn(&self) -> Option<&Arn> {
        self.asked.resource_arn.as_ref()
    }
    pub(crate) fn resource_ref(&self) -> ResourceRef<'_> {
        match &self.asked.resource_arn {
            Some(a) => ResourceRef::Arn(a),
            None => ResourceRef::Text(&self.asked.resource),
        }
    }

    /// True when principal and resource are in different accounts.
    pub fn is_cross_account(&self) -> bool {
        self.cross_account
    }
}

/// The keys every request may get, interned once.
pub(crate) struct WellKnown {
    pub principal_type: Key,
    pub userid: Key,
    pub via_aws_service: Key,
    pub called_via: Key,
    pub called_via_first: Key,
    pub called_via_last: Key,
    pub kms: Key,
    pub kms_caller_account: Key,
    pub s3: Key,
    pub s3_resource_account: Key,
    pub principal_arn: Key,
    pub principal_account: Key,
    pub principal_is_aws_service: Key,
    pub principal_service_name: Key,
    pub principal_service_names_list: Key,
    pub username: Key,
    pub resource_account: Key,
    pub current_time: Key,
    pub epoch_time: Key,
}

/// The time questions are asked at, for `aws:CurrentTime` (ISO 8601, UTC, to the
/// second) and `aws:EpochTime` (seconds): read once, so that every answer of one run
/// is decided at the same time.
pub fn asked_at() -> (&'static str, &'static str) {
    static AT: std::sync::OnceLock<(String, String)> = std::sync::OnceLock::new();
    let (now, epoch) = AT.get_or_init(|| {
        let t = jiff::Timestamp::now();
        let secs = t.as_second();
        let whole = jiff::Timestamp::from_second(secs).unwrap_or(t);
        (whole.to_string(), secs.to_string())
    });
    (now, epoch)
}

pub(crate) fn keys() -> &'static WellKnown {
    static KEYS: std::sync::OnceLock<WellKnown> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| WellKnown {
        principal_type: Key::new("aws:PrincipalType"),
        userid: Key::new("aws:userid"),
        via_aws_service: Key::new("aws:ViaAWSService"),
        called_via: Key::new("aws:CalledVia"),
        called_via_first: Key::new("aws:CalledViaFirst"),
        called_via_last: Key::new("aws:CalledViaLast"),
        kms: Key::new("kms"),
        kms_caller_account: Key::new("kms:CallerAccount"),
        s3: Key::new("s3"),
        s3_resource_account: Key::new("s3:ResourceAccount"),
        principal_arn: Key::new("aws:PrincipalArn"),
        principal_account: Key::new("aws:PrincipalAccount"),
        principal_is_aws_service: Key::new("aws:PrincipalIsAWSService"),
        principal_service_name: Key::new("aws:PrincipalServiceName"),
        principal_service_names_list: Key::new("aws:PrincipalServiceNamesList"),
        username: Key::new("aws:username"),
        resource_account: Key::new("aws:ResourceAccount"),
        current_time: Key::new("aws:CurrentTime"),
        epoch_time: Key::new("aws:EpochTime"),
    })
}

pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_context_and_accounts() {
        let r = Request::new(
            "arn:aws:iam::111122223333:user/alice",
            "s3:GetObject",
            "arn:aws:s3:::bucket/key",
            None,
            Context::default(),
        )
        .unwrap();
        assert_eq!(r.service(), "s3");
        assert_eq!(r.action_name(), "GetObject");
        assert_eq!(r.resource_account.as_deref(), Some("111122223333"));
        assert!(r.resource_account_assumed);
        assert_eq!(r.context.get("aws:username").unwrap()[0].as_ref(), "alice");
        assert!(!r.is_cross_account());
    }

    /// IAM User Guide, "AWS global condition context keys": a request a service makes
    /// with the caller's credentials carries aws:CalledVia (the chain of services, in
    /// order), aws:CalledViaFirst and aws:CalledViaLast (its ends), and
    /// aws:ViaAWSService true. Given only the chain, the rest follows from it; a value
    /// the question gives itself is kept.
    #[test]
    fn called_via_sets_its_first_last_and_via_aws_service() {
        let p = "arn:aws:iam::111122223333:user/alice";
        let key = "arn:aws:kms:us-east-1:111122223333:key/k";
        let chain = Context::from_pairs([(
            "aws:CalledVia",
            vec![
                "cloudformation.amazonaws.com".to_string(),
                "dynamodb.amazonaws.com".to_string(),
            ],
        )]);
        let r = Request::new(p, "kms:Decrypt", key, None, chain).unwrap();
        let one = |k: &str| r.context.get(&k.to_ascii_lowercase()).unwrap()[0].to_string();
        assert_eq!(one("aws:calledviafirst"), "cloudformation.amazonaws.com");
        assert_eq!(one("aws:calledvialast"), "dynamodb.amazonaws.com");
        assert_eq!(one("aws:viaawsservice"), "true");

        let direct = Request::new(p, "kms:Decrypt", key, None, Context::default()).unwrap();
        assert!(direct.context.get("aws:calledviafirst").is_none());
        assert_eq!(
            direct.context.get("aws:viaawsservice").unwrap()[0].as_ref(),
            "false"
        );

        let given = Context::from_pairs([
            ("aws:CalledVia", vec!["athena.amazonaws.com".to_string()]),
            ("aws:ViaAWSService", vec!["false".to_string()]),
        ]);
        let r = Request::new(p, "s3:GetObject", "arn:aws:s3:::b/k", None, given).unwrap();
        assert_eq!(
            r.context.get("aws:viaawsservice").unwrap()[0].as_ref(),
            "false"
        );
        assert_eq!(
            r.context.get("aws:calledvialast").unwrap()[0].as_ref(),
            "athena.amazonaws.com"
        );
    }

    /// Service Authorization Reference, "Condition keys for Amazon S3":
    /// s3:ResourceAccount is the account that owns the bucket, on every S3 request;
    /// other services' requests do not carry it.
    #[test]
    fn s3_requests_carry_the_bucket_owners_account() {
        let p = "arn:aws:iam::111122223333:user/alice";
        let owner = "444455556666";
        let r = Request::new(
            p,
            "s3:GetObject",
            "arn:aws:s3:::b/k",
            Some(owner),
            Context::default(),
        )
        .unwrap();
        assert_eq!(
            r.context.get("s3:resourceaccount").unwrap()[0].as_ref(),
            owner
        );
        let kms = "arn:aws:kms:us-east-1:444455556666:key/k";
        let r = Request::new(p, "kms:Decrypt", kms, None, Context::default()).unwrap();
        assert!(r.context.get("s3:resourceaccount").is_none());
    }

    #[test]
    fn rejects_malformed_parts() {
        let p = "arn:aws:iam::111122223333:user/alice";
        assert!(matches!(
            Request::new(p, "GetObject", "*", None, Context::default()),
            Err(RequestError::Action(_))
        ));
        assert!(matches!(
            Request::new(p, "s3:", "*", None, Context::default()),
            Err(RequestError::Action(_))
        ));
        assert!(matches!(
            Request::new(p, "s3:Get", "bucket", None, Context::default()),
            Err(RequestError::Resource(_))
        ));
        assert!(matches!(
            Request::new(p, "s3:Get", "*", Some("12"), Context::default()),
            Err(RequestError::Account(_))
        ));
    }
}
