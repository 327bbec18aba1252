//! Synthetic organizations at any scale, for benchmarks and load tests.
//!
//! The same `(accounts, seed)` always gives the same file. The shape is a realistic
//! one: security, infrastructure, workloads (business units x environments, with a
//! regulated OU under some production OUs) and sandbox branches, up to five OU levels;
//! a deny-list of SCPs on workloads and an allow-list on the sandbox; RCPs; per account
//! 20 to 100 principals (50 on average), groups, customer managed policies, AWS managed
//! attachments, boundaries, service-linked roles, cross-account trust and resource
//! policies. Policy documents come from a modest set of templates, so that a large
//! organization holds many policies but few distinct documents, as real ones do.

use std::fmt::Write;

use serde_json::{Value, json};

use super::Org;

/// SplitMix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64 * n as f64) as usize
    }
    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const MANAGEMENT: u64 = 100_000_000_000;

fn account_id(i: usize) -> String {
    format!("{:012}", MANAGEMENT + i as u64)
}

mod templates;

use templates::*;

/// Where an account sits.
struct Placement {
    parent: String,
    kind: Kind,
    scps: Option<Vec<&'static str>>,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Management,
    Security,
    SharedServices,
    Workload,
    Sandbox,
}

/// A synthetic organization with `accounts` accounts (at least 4), as native file text.
///
/// `orgscope generate --accounts N --seed S -o FILE` writes this text with
/// [`crate::atomic_write::write`]; without `-o`, `orgscope generate` prints it.
pub fn generate(accounts: usize, seed: u64) -> String {
    let n = accounts.max(4);
    let mut rng = Rng(seed ^ 0x0005_EED0_F0A6);
    let org_id = format!("o-gen{:010x}", seed & 0xFF_FFFF_FFFF);
    let security = account_id(1);
    let shared = account_id(2);
    let mut out = String::with_capacity(n * 16_000);

    // The tree.
    let bus = (n / 60).max(1);
    let mut ous: Vec<Value> = vec![
        json!({"id": "ou-gen0-security", "name": "Security"}),
        json!({"id": "ou-gen0-infrastr", "name": "Infrastructure"}),
        json!({"id": "ou-gen0-workload", "name": "Workloads", "scps": ["FullAWSAccess", "DenyOutsideRegions", "DenyRootUser"]}),
        json!({"id": "ou-gen0-sandbox0", "name": "Sandbox", "scps": ["SandboxAllowList"]}),
    ];
    let mut env_ous: Vec<(String, bool)> = Vec::new();
    for b in 0..bus {
        let bu = format!("ou-gen1-bu{b:06}");
        ous.push(
            json!({"id": bu, "name": format!("BusinessUnit{b}"), "parent": "ou-gen0-workload"}),
        );
        for env in ["prod", "stag", "devl"] {
            let id = format!("ou-gen2-{env}{b:06}");
            let mut ou = json!({"id": id, "name": format!("{env}-{b}"), "parent": bu});
            if env == "prod" {
                ou["scps"] = json!(["FullAWSAccess", "ProdGuardrails"]);
                ou["rcps"] = json!(["RCPFullAWSAccess", "DataPerimeter"]);
                if b % 4 == 0 {
                    let reg = format!("ou-gen3-regu{b:06}");
                    ous.push(json!({"id": reg, "name": format!("regulated-{b}"), "parent": id, "scps": ["FullAWSAccess", "RegulatedEncryption"]}));
                    env_ous.push((reg, true));
                }
                env_ous.push((id.clone(), true));
            } else {
                if env == "devl" {
                    ou["scps"] = json!(["FullAWSAccess", "DenyIamUsers"]);
                }
                env_ous.push((id.clone(), false));
            }
            ous.push(ou);
        }
    }
    let placements: Vec<Placement> = (0..n)
        .map(|i| match i {
            0 => Placement {
                parent: "root".into(),
                kind: Kind::Management,
                scps: None,
            },
            1 => Placement {
                parent: "ou-gen0-security".into(),
                kind: Kind::Security,
                scps: None,
            },
            2 | 3 => Placement {
                parent: "ou-gen0-infrastr".into(),
                kind: Kind::SharedServices,
                scps: None,
            },
            _ if i % 20 == 7 => Placement {
                parent: "ou-gen0-sandbox0".into(),
                kind: Kind::Sandbox,
                scps: Some(vec!["SandboxAllowList"]),
            },
            _ => {
                let (ou, _) = rng.pick(&env_ous).clone();
                let scps = rng
                    .chance(0.1)
                    .then(|| vec!["FullAWSAccess", "DenyBillingChanges"]);
                Placement {
                    parent: ou,
                    kind: Kind::Workload,
                    scps,
                }
            }
        })
        .collect();

    let _ = write!(
        out,
        "{{\n  \"organization\": {},\n  \"root\": {},\n",
        json!({"id": org_id, "management_account": account_id(0), "description": format!("generated: {n} accounts, seed {seed}")}),
        json!({"id": "r-gen0", "scps": ["FullAWSAccess", "DenyLeaveOrganization", "ProtectSecurityRoles"], "rcps": ["RCPFullAWSAccess", "EnforceTls"]}),
    );
    let section = |out: &mut String, key: &str, items: Vec<(&str, Value)>| {
        let _ = writeln!(out, "  \"{key}\": {{");
        let last = items.len().saturating_sub(1);
        for (i, (name, d)) in items.into_iter().enumerate() {
            let _ = writeln!(
                out,
                "    \"{name}\": {{\"document\": {d}}}{}",
                if i == last { "" } else { "," }
            );
        }
        out.push_str("  },\n");
    };
    section(&mut out, "scps", scps());
    section(&mut out, "rcps", rcps(&org_id));
    out.push_str("  \"ous\": [\n");
    let last = ous.len() - 1;
    for (i, ou) in ous.iter().enumerate() {
        let _ = writeln!(out, "    {ou}{}", if i == last { "" } else { "," });
    }
    out.push_str("  ],\n  \"accounts\": [\n");

    let customer = customer_policies();
    let inline = inline_policies();
    for (i, p) in placements.iter().enumerate() {
        let id = account_id(i);
        let ctx = Ctx {
            id: &id,
            security: &security,
            shared: &shared,
            kind: p.kind,
        };
        write_account(&mut out, &mut rng, &ctx, p, i, &customer, &inline);
        out.push_str(if i + 1 == n { "\n" } else { ",\n" });
    }
    out.push_str("  ]\n}\n");
    out
}

/// [`generate`], loaded.
pub fn generate_org(accounts: usize, seed: u64) -> Org {
    let text = generate(accounts, seed);
    let (org, report) = super::load_str("generated.json", &text);
    // INVARIANT: generated files load clean (tests/org_generate.rs).
    org.unwrap_or_else(|| panic!("a generated organization has errors:\n{report}"))
}

struct Ctx<'a> {
    id: &'a str,
    security: &'a str,
    shared: &'a str,
    kind: Kind,
}

fn date(rng: &mut Rng, from_year: u32) -> String {
    format!(
        "{}-{:02}-{:02}",
        from_year + rng.below(4) as u32,
        1 + rng.below(12),
        1 + rng.below(28)
    )
}

fn write_account(
    out: &mut String,
    rng: &mut Rng,
    c: &Ctx<'_>,
    p: &Placement,
    i: usize,
    customer: &[(&str, Value)],
    inline: &[(&str, Value)],
) {
    let id = c.id;
    let mut head = json!({"id": id, "name": format!("account-{i:05}"), "email": format!("aws+{i}@example.com")});
    if p.parent != "root" {
        head["parent"] = json!(p.parent);
    }
    if let Some(s) = &p.scps {
        head["scps"] = json!(s);
    }
    let head = head.to_string();
    let _ = writeln!(out, "    {},", &head[..head.len() - 1]);

    // Customer managed policies.
    out.push_str("      \"policies\": {\n");
    let last = customer.len() - 1;
    for (j, (name, d)) in customer.iter().enumerate() {
        let _ = writeln!(
            out,
            "        \"{name}\": {{\"document\": {d}}}{}",
            if j == last { "" } else { "," }
        );
    }
    out.push_str("      },\n");

    // Groups.
    let groups: &[(&str, &str)] = &[
        ("Admins", "arn:aws:iam::aws:policy/AdministratorAccess"),
        ("Developers", "arn:aws:iam::aws:policy/PowerUserAccess"),
        ("ReadOnly", "arn:aws:iam::aws:policy/ReadOnlyAccess"),
        ("Operators", "OpsAccess"),
        ("Auditors", "arn:aws:iam::aws:policy/SecurityAudit"),
    ];
    out.push_str("      \"groups\": {\n");
    for (j, (name, policy)) in groups.iter().enumerate() {
        let extra = if *name == "Developers" {
            ", \"inline\": {\"DenyWithoutMfa\": DOC}"
        } else {
            ""
        };
        let extra = extra.replace("DOC", &inline[1].1.to_string());
        let _ = writeln!(
            out,
            "        \"{name}\": {{\"managed\": [\"{policy}\"]{extra}}}{}",
            if j + 1 == groups.len() { "" } else { "," }
        );
    }
    out.push_str("      },\n");

    // Principals: 20 to 100, 50 on average (u^1.6 skews toward fewer).
    let u = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
    let principals = 20 + (80.0 * u.powf(1.6)).round() as usize;
    let users = principals * 3 / 10;
    let roles = principals - users;

    out.push_str("      \"users\": {\n");
    // The break-glass user closes the list.
    for k in 0..users - 1 {
        let mut user = serde_json::Map::new();
        let g1 = groups[rng.below(groups.len())].0;
        let mut gs = vec![g1];
        if rng.chance(0.3) {
            let g2 = groups[rng.below(groups.len())].0;
            if g2 != g1 {
                gs.push(g2);
            }
        }
        user.insert("groups".into(), json!(gs));
        if rng.chance(0.15) {
            user.insert("managed".into(), json!([rng.pick(AWS_MANAGED)]));
        }
        if rng.chance(0.1) {
            user.insert("inline".into(), json!({inline[0].0: inline[0].1}));
        }
        if rng.chance(0.7) {
            user.insert("mfa".into(), json!(true));
        }
        if rng.chance(0.5) {
            user.insert("password".into(), json!({"last_used": date(rng, 2023)}));
        }
        if rng.chance(0.4) {
            user.insert(
                "access_keys".into(),
                json!([{"created": date(rng, 2019), "last_used": date(rng, 2023)}]),
            );
        }
        if rng.chance(0.5) {
            user.insert(
                "tags".into(),
                json!({"team": format!("team{}", rng.below(8))}),
            );
        }
        let _ = writeln!(out, "        \"user-{k:03}\": {},", Value::Object(user));
    }
    // The last entry of a JSON object cannot end with a comma: close with a break-glass user.
    let _ = writeln!(
        out,
        "        \"breakglass\": {{\"groups\": [\"Admins\"], \"mfa\": true, \"password\": true}}"
    );
    out.push_str("      },\n");

    out.push_str("      \"roles\": {\n");
    let services = [
        "ec2.amazonaws.com",
        "lambda.amazonaws.com",
        "ecs-tasks.amazonaws.com",
    ];
    let apps = ["AppDataAccess", "QueueWorker", "SecretsRead", "TeamS3"];
    // Four roles every account has, and one more in the security and CI accounts.
    let special = c.kind == Kind::Security || (c.kind == Kind::SharedServices && id == c.shared);
    let fixed = 4 + usize::from(special);
    for k in 0..roles - fixed {
        let mut role = serde_json::Map::new();
        let app = rng.chance(0.75);
        if app {
            role.insert("trust".into(), json!([rng.pick(&services)]));
            let mut managed = vec![json!(rng.pick(&apps))];
            if rng.chance(0.5) {
                managed.push(json!(
                    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
                ));
            }
            role.insert("managed".into(), Value::Array(managed));
            if rng.chance(0.15) {
                role.insert("boundary".into(), json!("DeveloperBoundary"));
            }
            if rng.chance(0.1) {
                role.insert("inline".into(), json!({inline[3].0: inline[3].1}));
            }
        } else {
            // People: assumed from the account itself (SSO, break-glass) or the CI role.
            let trust = if rng.chance(0.5) {
                json!([id])
            } else {
                json!([format!("arn:aws:iam::{}:role/ci-deployer", c.shared)])
            };
            role.insert("trust".into(), trust);
            role.insert(
                "managed".into(),
                json!([
                    rng.pick(&["DeployPipeline", "ReadLogs", "OpsAccess"]),
                    rng.pick(AWS_MANAGED)
                ]),
            );
        }
        if rng.chance(0.6) {
            role.insert(
                "last_used".into(),
                json!({"date": date(rng, 2024), "region": "eu-west-1"}),
            );
        }
        let prefix = if app { "app" } else { "ops" };
        let _ = writeln!(out, "        \"{prefix}-{k:03}\": {},", Value::Object(role));
    }
    // Every account: the audit role the security account assumes, the org access role,
    // and two service-linked roles.
    let _ = writeln!(
        out,
        "        \"security-audit\": {{\"trust\": [\"arn:aws:iam::{}:role/security-auditor\"], \"managed\": [\"arn:aws:iam::aws:policy/SecurityAudit\"]}},",
        c.security
    );
    let _ = writeln!(
        out,
        "        \"OrganizationAccountAccessRole\": {{\"trust\": [\"{:012}\"], \"managed\": [\"arn:aws:iam::aws:policy/AdministratorAccess\"]}},",
        MANAGEMENT
    );
    let _ = writeln!(
        out,
        "        \"AWSServiceRoleForSupport\": {{\"path\": \"/aws-service-role/support.amazonaws.com/\", \"trust\": [\"support.amazonaws.com\"], \"managed\": [\"arn:aws:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy\"]}},"
    );
    let extra = match c.kind {
        Kind::Security => format!(
            ",\n        \"security-auditor\": {{\"trust\": [\"{id}\"], \"managed\": [\"arn:aws:iam::aws:policy/SecurityAudit\"], \"inline\": {{\"{}\": {}}}}}",
            inline[2].0, inline[2].1
        ),
        Kind::SharedServices if id == c.shared => ",\n        \"ci-deployer\": {\"trust\": [\"codebuild.amazonaws.com\"], \"managed\": [\"DeployPipeline\"]}".to_string(),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "        \"AWSServiceRoleForTrustedAdvisor\": {{\"path\": \"/aws-service-role/trustedadvisor.amazonaws.com/\", \"trust\": [\"trustedadvisor.amazonaws.com\"], \"managed\": [\"arn:aws:iam::aws:policy/aws-service-role/AWSTrustedAdvisorServiceRolePolicy\"]}}{extra}"
    );
    out.push_str("      },\n");

    // Resources: a data bucket, a key that delegates to IAM, a queue; some buckets
    // shared with the security account.
    let bucket = format!("app-data-{id}");
    let mut resources = serde_json::Map::new();
    let mut bucket_statements = vec![json!({
        "Sid": "DenyPlainHttp", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": [format!("arn:aws:s3:::{bucket}"), format!("arn:aws:s3:::{bucket}/*")],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}
    })];
    if rng.chance(0.3) {
        bucket_statements.push(json!({
            "Sid": "AuditRead", "Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::{}:role/security-auditor", c.security)},
            "Action": ["s3:GetObject", "s3:ListBucket"],
            "Resource": [format!("arn:aws:s3:::{bucket}"), format!("arn:aws:s3:::{bucket}/*")]
        }));
    }
    resources.insert(
        format!("arn:aws:s3:::{bucket}"),
        json!({"policy": doc(Value::Array(bucket_statements))}),
    );
    if rng.chance(0.6) {
        resources.insert(
            format!("arn:aws:kms:eu-west-1:{id}:key/00000000-0000-4000-8000-{i:012}"),
            json!({"policy": doc(json!([{"Sid": "DelegateToIam", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{id}:root")}, "Action": "kms:*", "Resource": "*"}]))}),
        );
    }
    if rng.chance(0.5) {
        let q = format!("arn:aws:sqs:eu-west-1:{id}:jobs-{i}");
        resources.insert(
            q.clone(),
            json!({"policy": doc(json!([{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": q}]))}),
        );
    }
    let _ = write!(
        out,
        "      \"resources\": {}\n    }}",
        Value::Object(resources)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_random_numbers_do_not_change() {
        let mut r = Rng(42);
        let v: Vec<u64> = (0..3).map(|_| r.next()).collect();
        assert_eq!(
            v,
            [
                13679457532755275413,
                2949826092126892291,
                5139283748462763858
            ]
        );
    }
}
