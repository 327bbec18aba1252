//! The optional parts of an export: credential reports and resource policies.

use std::path::Path;

use super::shapes::*;
use super::{CREDENTIAL_REPORT, Loader, RESOURCES};
use crate::org::aws::credreport;
use crate::org::de::Obj;
use crate::org::de::from_str_tracked;
use crate::org::docs::decode_document;
use crate::org::ids::*;
use crate::org::quota;
use crate::org::report::{FileId, JsonPath, jpath};
use crate::policy::PolicyKind;

impl Loader {
    /// get-credential-report/<account-id>.json or .csv
    pub(super) fn credential_reports(&mut self) {
        for (stem, rel) in self.listing(Path::new(CREDENTIAL_REPORT)) {
            let Some(account) = self.b.account(&stem) else {
                self.path_problem(
                    &rel,
                    true,
                    format!("`{stem}` is not an account of the organization; the file is ignored"),
                );
                continue;
            };
            let Some((file, text)) = self.open(&rel) else {
                continue;
            };
            let csv = if rel.extension().is_some_and(|e| e == "csv") {
                Some(text.clone())
            } else {
                let mut csv = None;
                with_json!(self, file, &text, CredentialReportShape, |d| {
                    match credreport::base64_decode(&d.content)
                        .and_then(|b| String::from_utf8(b).ok())
                    {
                        Some(c) => csv = Some(c),
                        None => self.b.problems.error(
                            file,
                            jpath!["Content"],
                            "`Content` is not base64-encoded text",
                        ),
                    }
                });
                csv
            };
            if let Some(csv) = csv {
                match credreport::parse(&csv) {
                    Ok(rows) => self.apply_report(file, account, rows),
                    Err(m) => self.b.problems.file_error(file, m),
                }
            }
            self.keep(file, text);
        }
    }

    fn apply_report(&mut self, file: FileId, account: AccountIx, rows: Vec<credreport::Row>) {
        for row in rows {
            if row.user == "<root_account>" {
                self.b.accounts[account.index()].root_user = Some(row.credentials);
                continue;
            }
            match self.b.user_by_arn(&row.arn) {
                Some(u) => {
                    let user = &mut self.b.users[u.index()];
                    let devices = std::mem::take(&mut user.credentials.mfa_devices);
                    user.credentials = row.credentials;
                    user.credentials.mfa_devices = devices;
                }
                None => self.b.problems.warn(
                    file,
                    JsonPath::default(),
                    format!(
                        "line {}: user `{}` is not in the account's authorization details",
                        row.line, row.arn
                    ),
                ),
            }
        }
    }

    /// resources/<account-id>/<service>/[<region>/]<name>.json
    pub(super) fn resources(&mut self) {
        for acct_id in self.subdirs(Path::new(RESOURCES)) {
            let base = Path::new(RESOURCES).join(&acct_id);
            let Some(account) = self.b.account(&acct_id) else {
                self.path_problem(&base, true, format!("`{acct_id}` is not an account of the organization; its resources are ignored"));
                continue;
            };
            for service in self.subdirs(&base) {
                let dir = base.join(&service);
                if service == "s3" || service == "arn" {
                    for (stem, rel) in self.listing(&dir) {
                        self.resource(account, &acct_id, &service, None, &stem, &rel);
                    }
                } else {
                    for region in self.subdirs(&dir) {
                        for (stem, rel) in self.listing(&dir.join(&region)) {
                            self.resource(account, &acct_id, &service, Some(&region), &stem, &rel);
                        }
                    }
                }
            }
        }
    }

    fn resource(
        &mut self,
        account: AccountIx,
        acct: &str,
        service: &str,
        region: Option<&str>,
        stem: &str,
        rel: &Path,
    ) {
        let Some((file, text)) = self.open(rel) else {
            return;
        };
        // An empty file: the resource has no policy (the CLI printed an error instead).
        if text.trim().is_empty() {
            self.keep(file, text);
            return;
        }
        with_json!(self, file, &text, ResourceShape, |d| {
            let partition = self.b.info.partition.clone();
            let attrs = d.attributes.as_ref();
            let given = d
                .arn
                .as_deref()
                .or(attrs.and_then(|a| a.topic_arn.as_deref()))
                .or(attrs.and_then(|a| a.queue_arn.as_deref()));
            let region = region.unwrap_or("");
            let arn = match (given, service) {
                (Some(a), _) => a.to_string(),
                (None, "s3") => format!("arn:{partition}:s3:::{stem}"),
                (None, "kms") => format!("arn:{partition}:kms:{region}:{acct}:key/{stem}"),
                (None, "sqs") => format!("arn:{partition}:sqs:{region}:{acct}:{stem}"),
                (None, "sns") => format!("arn:{partition}:sns:{region}:{acct}:{stem}"),
                (None, "secretsmanager") => {
                    format!("arn:{partition}:secretsmanager:{region}:{acct}:secret:{stem}")
                }
                (None, "lambda") => {
                    format!("arn:{partition}:lambda:{region}:{acct}:function:{stem}")
                }
                (None, _) => {
                    self.b.problems.error(file, JsonPath::default(), format!("no `Arn` in the file, and `{service}` is not a service whose ARN can be made from the file name (s3, kms, sqs, sns, secretsmanager, lambda)"));
                    self.keep(file, text);
                    return;
                }
            };
            let (raw, path) = match (d.policy, d.resource_policy, attrs.and_then(|a| a.policy)) {
                (Some(r), _, _) => (r, jpath!["Policy"]),
                (_, Some(r), _) => (r, jpath!["ResourcePolicy"]),
                (_, _, Some(r)) => (r, jpath!["Attributes", "Policy"]),
                // No policy (a queue's attributes without one): nothing to add.
                _ => {
                    self.keep(file, text);
                    return;
                }
            };
            match self.b.add_resource(account, &arn) {
                Err(m) => self.b.problems.error(file, path, m),
                Ok(rx) => {
                    let kind = self.b.resources[rx.index()].kind;
                    match decode_document(raw, &text) {
                        Err(m) => self.b.problems.error(file, path, m),
                        Ok(src) => {
                            let doc = self.b.doc(
                                PolicyKind::Resource,
                                kind.policy_name(),
                                &src,
                                file,
                                || path.clone(),
                            );
                            self.b.set_resource_policy(rx, doc);
                            if let Some(limit) = kind.size_quota()
                                && let Some(m) = quota::size(
                                    &format!("the {} of `{arn}`", kind.policy_name()),
                                    self.b.doc_size(doc),
                                    limit,
                                )
                            {
                                self.b.problems.warn(file, path.clone(), m);
                            }
                        }
                    }
                }
            }
        });
        self.keep(file, text);
    }
}
