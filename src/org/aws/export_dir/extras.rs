//! The optional parts of an export: credential reports and resource policies.

use std::path::Path;

use super::shapes::*;
use super::{
    ACCOUNT_PUBLIC_ACCESS_BLOCK, BUCKET_PUBLIC_ACCESS_BLOCK, CREDENTIAL_REPORT, LIST_ALIASES,
    Loader, RESOURCES,
};
use crate::org::aws::credreport;
use crate::org::de::Obj;
use crate::org::de::from_str_tracked;
use crate::org::entities::ResourceKind;
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
                // Not policies: read by `public_access_blocks`.
                if service == BUCKET_PUBLIC_ACCESS_BLOCK {
                    continue;
                }
                let dir = base.join(&service);
                if service == "s3" || service == "arn" {
                    for (stem, rel) in self.listing(&dir) {
                        self.resource(account, &acct_id, &service, None, &stem, &rel);
                    }
                } else {
                    for region in self.subdirs(&dir) {
                        let here = dir.join(&region);
                        let aws_keys = if service == "kms" {
                            self.aws_managed_keys(&here.join(LIST_ALIASES))
                        } else {
                            Vec::new()
                        };
                        for (stem, rel) in self.listing(&here) {
                            // Not a key policy: read above.
                            if service == "kms" && rel.file_name() == Some(LIST_ALIASES.as_ref()) {
                                continue;
                            }
                            let added = self.resource(
                                account,
                                &acct_id,
                                &service,
                                Some(&region),
                                &stem,
                                &rel,
                            );
                            if let Some(rx) = added {
                                let res = &mut self.b.resources[rx.index()];
                                res.aws_managed = res.kind == ResourceKind::KmsKey
                                    && aws_keys.iter().any(|k| *k == key_id(&res.arn));
                            }
                        }
                    }
                }
            }
        }
    }

    /// S3 Block Public Access: get-public-access-block/<account-id>.json for accounts,
    /// resources/<account-id>/s3-public-access-block/<bucket>.json for buckets. An
    /// empty file (the CLI printed `NoSuchPublicAccessBlockConfiguration`) means none
    /// is set. A bucket's settings only matter beside its policy: a bucket with no
    /// policy file is not loaded, and its settings are skipped with a warning.
    pub(super) fn public_access_blocks(&mut self) {
        for (stem, rel) in self.listing(Path::new(ACCOUNT_PUBLIC_ACCESS_BLOCK)) {
            let Some(account) = self.b.account(&stem) else {
                self.path_problem(
                    &rel,
                    true,
                    format!("`{stem}` is not an account of the organization; the file is ignored"),
                );
                continue;
            };
            if let Some(b) = self.public_access_block(&rel) {
                self.b.accounts[account.index()].public_access_block = Some(b);
            }
        }
        for acct_id in self.subdirs(Path::new(RESOURCES)) {
            let dir = Path::new(RESOURCES)
                .join(&acct_id)
                .join(BUCKET_PUBLIC_ACCESS_BLOCK);
            if self.b.account(&acct_id).is_none() {
                continue; // Reported with the account's resources.
            }
            for (stem, rel) in self.listing(&dir) {
                let arn = format!("arn:{}:s3:::{stem}", self.b.info.partition);
                let Some(rx) = self.b.resource_by_arn(&arn) else {
                    self.path_problem(
                        &rel,
                        true,
                        format!("bucket `{stem}` has no policy file (resources/{acct_id}/s3/{stem}.json): its Block Public Access settings change nothing and are ignored"),
                    );
                    continue;
                };
                if let Some(b) = self.public_access_block(&rel) {
                    self.b.resources[rx.index()].public_access_block = Some(b);
                }
            }
        }
    }

    fn public_access_block(&mut self, rel: &Path) -> Option<crate::org::PublicAccessBlock> {
        let (file, text) = self.open(rel)?;
        let mut out = None;
        if !text.trim().is_empty() {
            with_json!(self, file, &text, GetPublicAccessBlock, |d| {
                out = Some(d.public_access_block_configuration.0.into());
            });
        }
        self.keep(file, text);
        out
    }

    /// The ids of the keys that an `alias/aws/...` alias of `list-aliases.json` points
    /// to: AWS managed keys (KMS Developer Guide, "AWS KMS keys"). Empty when the file
    /// is absent: every key is then taken for customer managed, and RCPs apply to it.
    fn aws_managed_keys(&mut self, rel: &Path) -> Vec<String> {
        let mut keys = Vec::new();
        let Some((file, text)) = self.open(rel) else {
            return keys;
        };
        if text.trim().is_empty() {
            self.keep(file, text);
            return keys;
        }
        with_json!(self, file, &text, ListAliases, |d| {
            self.truncated(file, d.next_token.as_ref());
            if d.truncated {
                self.b.problems.warn(
                    file,
                    jpath!["Truncated"],
                    "the output is one page of several (`Truncated` is true): the AWS managed keys of later pages are taken for customer managed keys; run `aws kms list-aliases` without `--max-items` or `--no-paginate`",
                );
            }
            for a in &d.aliases.0 {
                if a.alias_name.starts_with("alias/aws/")
                    && let Some(target) = &a.target_key_id
                {
                    keys.push(key_id(target).to_string());
                }
            }
        });
        self.keep(file, text);
        keys
    }

    /// Adds the resource a file describes; the resource, when one was added.
    fn resource(
        &mut self,
        account: AccountIx,
        acct: &str,
        service: &str,
        region: Option<&str>,
        stem: &str,
        rel: &Path,
    ) -> Option<ResourceIx> {
        let (file, text) = self.open(rel)?;
        // An empty file: the resource has no policy (the CLI printed an error instead).
        if text.trim().is_empty() {
            self.keep(file, text);
            return None;
        }
        let mut added = None;
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
                    return None;
                }
            };
            let (raw, path) = match (d.policy, d.resource_policy, attrs.and_then(|a| a.policy)) {
                (Some(r), _, _) => (r, jpath!["Policy"]),
                (_, Some(r), _) => (r, jpath!["ResourcePolicy"]),
                (_, _, Some(r)) => (r, jpath!["Attributes", "Policy"]),
                // No policy (a queue's attributes without one): nothing to add.
                _ => {
                    self.keep(file, text);
                    return None;
                }
            };
            match self.b.add_resource(account, &arn) {
                Err(m) => self.b.problems.error(file, path, m),
                Ok(rx) => {
                    added = Some(rx);
                    let kind = self.b.resources[rx.index()].kind;
                    let name = kind.policy_name();
                    let at = || path.clone();
                    if let Some(doc) =
                        self.b
                            .raw_doc(PolicyKind::Resource, name, raw, &text, file, &at)
                    {
                        self.b.set_resource_policy(rx, doc);
                        if let Some(limit) = kind.size_quota()
                            && let Some(m) = quota::size(
                                &format!("the {name} of `{arn}`"),
                                self.b.doc_size(doc),
                                limit,
                            )
                        {
                            self.b.problems.warn(file, path.clone(), m);
                        }
                    }
                }
            }
        });
        self.keep(file, text);
        added
    }
}

/// The key id of a key ARN (`arn:aws:kms:R:A:key/ID`), or the id itself.
fn key_id(key: &str) -> &str {
    key.rsplit_once(":key/").map_or(key, |(_, id)| id)
}
