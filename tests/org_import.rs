//! What AWS gives loads with no conversion step: authorization-details files with
//! their quirks, and a whole organization exported with the AWS CLI.

use std::path::{Path, PathBuf};

use orgscope::org::{self, Entity, NameLookup, Org, PrincipalIx, ResourceKind, export};

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn load_clean(path: &Path) -> Org {
    let (org, report) = org::load_with_report(path).unwrap();
    assert!(report.is_clean(), "{report}");
    org.expect("loads")
}

fn user(org: &Org, arn: &str) -> org::UserIx {
    match org.principal_by_arn(arn) {
        Some(PrincipalIx::User(u)) => u,
        other => panic!("{arn}: {other:?}"),
    }
}

fn names(org: &Org, levels: &[Vec<org::PolicyIx>]) -> Vec<Vec<String>> {
    levels
        .iter()
        .map(|l| l.iter().map(|&p| org.policy_name(p).to_string()).collect())
        .collect()
}

#[test]
fn authorization_details_quirks_are_tolerated() {
    let org = load_clean(&repo("tests/fixtures/org/import/authz-quirks.json"));
    assert_eq!(org.info().id, None, "a lone export is a standalone account");
    assert_eq!(org.accounts().len(), 1);
    let acct = org.account_by_id("123456789012").unwrap();
    assert!(org.scp_levels(acct).is_empty());
    // URL-encoded inline policy, group membership only in GroupList (any case), a
    // boundary whose default version is v3 of three.
    let ana = user(&org, "arn:aws:iam::123456789012:user/ops/ana");
    let a = org.user(ana);
    assert_eq!(a.path(), "/ops/");
    assert_eq!(a.tags[0].key.as_ref(), "team");
    assert_eq!(a.created.unwrap().to_string(), "2023-03-09T10:41:45Z");
    let boundary = a.boundary.expect("boundary");
    assert_eq!(org.policy(boundary).version.as_deref(), Some("v3"));
    assert!(
        org.doc(boundary).text.contains("s3:Get*"),
        "the default version, not v1"
    );
    let mut policies: Vec<&str> = org
        .identity_policies(PrincipalIx::User(ana))
        .map(|p| org.policy_name(p))
        .collect();
    policies.sort();
    assert_eq!(policies, ["AsText", "Bound", "Encoded"]);
    let NameLookup::Unique(Entity::Group(readers)) = org.by_name("Readers") else {
        panic!()
    };
    assert_eq!(
        org.group(readers).members.len(),
        2,
        "ben is in `readers`: names ignore case"
    );
    // A single object where a list belongs; epoch seconds.
    let ben = org.user(user(&org, "arn:aws:iam::123456789012:user/ben"));
    assert_eq!(ben.managed.len(), 1);
    assert_eq!(ben.created.unwrap().as_second(), 1678358505);
    // Roles: URL-encoded trust policy, last use, a service-linked role.
    let Some(PrincipalIx::Role(app)) = org.principal_by_arn("arn:aws:iam::123456789012:role/App")
    else {
        panic!()
    };
    let app = org.role(app);
    assert!(
        org.doc(app.trust.unwrap())
            .text
            .contains("ec2.amazonaws.com")
    );
    assert_eq!(
        app.last_used.as_ref().unwrap().region.as_deref(),
        Some("eu-west-1")
    );
    let Some(PrincipalIx::Role(slr)) =
        org.principal_by_arn("arn:aws:iam::123456789012:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport")
    else {
        panic!()
    };
    assert!(org.role(slr).is_service_linked());
    assert_eq!(
        org.role(slr).last_used,
        Some(org::LastUsed::default()),
        "an empty RoleLastUsed: never used (not the same as no RoleLastUsed at all)"
    );
}

#[test]
fn the_cloudsplaining_export_loads_as_an_organization() {
    let org = load_clean(&repo("sample-orgs/cloudsplaining-export"));
    assert_eq!(org.info().id.as_deref(), Some("o-cspl0example"));
    assert_eq!(org.accounts().len(), 3);
    let mgmt = org.management_account().unwrap();
    assert_eq!(&*org.account(mgmt).id, "123456789012");
    assert!(org.scp_levels(mgmt).is_empty());
    let lab = org.account_by_id("200611803367").unwrap();
    assert_eq!(
        names(&org, org.scp_levels(lab)),
        [
            vec!["FullAWSAccess", "DenyLeaveOrganization"],
            vec!["FullAWSAccess"],
            vec!["FullAWSAccess"]
        ]
    );
    let goat = org.account_by_id("012345678901").unwrap();
    assert_eq!(
        names(&org, org.rcp_levels(goat))[1],
        ["RCPFullAWSAccess", "HttpsOnly"]
    );
    let s = org.stats();
    assert_eq!(s.users, 44 + 3);
    assert_eq!(s.roles, 78 + 1);
    // The AWS CLI documentation prints AttachedManagedPolicies as a single object.
    let alice = org.user(user(&org, "arn:aws:iam::123456789012:user/Alice"));
    let admin: Vec<&str> = org
        .identity_policies(PrincipalIx::User(user(
            &org,
            "arn:aws:iam::123456789012:user/Alice",
        )))
        .map(|p| org.policy_name(p))
        .collect();
    assert_eq!(alice.groups.len(), 1);
    assert_eq!(admin, ["AdministratorAccess"]);
    // The credential report: the root user's old key, a user without MFA.
    let root = org.account(lab).root_user.as_ref().expect("root user");
    assert!(!root.mfa);
    assert_eq!(root.access_keys.len(), 1);
    let with_report = org
        .users()
        .iter()
        .filter(|u| u.credentials.password.is_some())
        .count();
    assert_eq!(with_report, 2);
    // Resources from their CLI output.
    let bucket = org
        .resource_by_arn("arn:aws:s3:::amzn-s3-demo-bucket")
        .unwrap();
    assert_eq!(org.resource(bucket).kind, ResourceKind::S3Bucket);
    assert_eq!(org.resource(bucket).account, lab);
    let key = org
        .resource_by_arn(
            "arn:aws:kms:us-east-1:200611803367:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        )
        .unwrap();
    assert_eq!(org.resource(key).kind, ResourceKind::KmsKey);
}

#[test]
fn an_imported_organization_exports_and_loads_again() {
    let org = load_clean(&repo("sample-orgs/cloudsplaining-export"));
    let text = export::to_native_text(&org);
    let (again, report) = org::load_str("exported.json", &text);
    assert!(report.is_clean(), "{report}");
    let again = again.unwrap();
    assert_eq!(again.stats(), org.stats());
    assert_eq!(export::to_native(&again), export::to_native(&org));
}

/// `list-aliases.json` beside the key policies says which keys are AWS managed: the
/// targets of `alias/aws/...` aliases (KMS Developer Guide, "AWS KMS keys"), to which
/// RCPs do not apply (KMS Developer Guide, "Resource control policies in AWS KMS").
#[test]
fn list_aliases_marks_the_aws_managed_keys() {
    let dir = repo("tests/fixtures/org/import/kms-aliases");
    let org = load_clean(&dir);
    let key = |id: &str| format!("arn:aws:kms:eu-west-1:222222222222:key/{id}");
    let aws_s3 = key("a3d5e000-0000-4000-8000-000000000003");
    let app_data = key("1111aaaa-0000-4000-8000-000000000001");
    let managed = |o: &Org, arn: &str| o.resource(o.resource_by_arn(arn).unwrap()).aws_managed;
    assert!(managed(&org, &aws_s3), "alias/aws/s3 targets it");
    assert!(
        !managed(&org, &app_data),
        "alias/app-data is a customer's alias"
    );
    // The file is not a key policy; alias/aws/rds targets a key with no policy file,
    // alias/aws/ebs no key at all: neither adds a resource.
    assert_eq!(org.resources().len(), 2);

    // The same plain-HTTP request: the root's TlsOnly RCP denies it on the customer
    // managed key, and does not apply to the AWS managed one, whose key policy allows
    // anyone of the account through S3.
    let ask = |resource: &str| orgscope::analysis::Ask {
        action: "kms:Decrypt".into(),
        resource: resource.into(),
        context: vec![
            ("aws:SecureTransport".into(), vec!["false".into()]),
            ("kms:CallerAccount".into(), vec!["222222222222".into()]),
            (
                "kms:ViaService".into(),
                vec!["s3.eu-west-1.amazonaws.com".into()],
            ),
        ],
        ..Default::default()
    };
    let app = "arn:aws:iam::222222222222:role/App";
    let denied = orgscope::analysis::can(&org, app, &ask(&app_data)).unwrap();
    assert_eq!(denied.decision.to_string(), "ExplicitlyDenied");
    assert_eq!(denied.explanation.blocked_by.map(|l| l.name()), Some("rcp"));
    let allowed = orgscope::analysis::can(&org, app, &ask(&aws_s3)).unwrap();
    assert_eq!(allowed.decision.to_string(), "Allowed");

    // The native file keeps the flag.
    let (again, report) = org::load_str("exported.json", &export::to_native_text(&org));
    assert!(report.is_clean(), "{report}");
    let again = again.unwrap();
    assert!(managed(&again, &aws_s3));
    assert!(!managed(&again, &app_data));
}

#[test]
fn a_standalone_export_directory_loads_without_the_organization() {
    let dir = tempdir("standalone");
    std::fs::create_dir_all(dir.join("get-account-authorization-details")).unwrap();
    std::fs::copy(
        repo("tests/fixtures/org/import/authz-quirks.json"),
        dir.join("get-account-authorization-details/123456789012.json"),
    )
    .unwrap();
    let (org, report) = org::load_with_report(&dir).unwrap();
    let org = org.expect("loads");
    assert_eq!(org.info().id, None);
    assert_eq!(org.users().len(), 2);
    let warnings: Vec<&str> = report.warnings().map(|f| f.message.as_str()).collect();
    assert_eq!(warnings.len(), 1, "{report}");
    assert!(warnings[0].starts_with("missing: the accounts in get-account-authorization-details/"));
    std::fs::remove_dir_all(&dir).unwrap();
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("orgscope-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// `aws s3control get-public-access-block` (per account) and `aws s3api
/// get-public-access-block` (per bucket) load beside the bucket policies; an empty file
/// (`NoSuchPublicAccessBlockConfiguration`) means none. S3 User Guide, "Blocking public
/// access to your Amazon S3 storage"
/// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html):
/// RestrictPublicBuckets shuts a public bucket policy to all but AWS services and the
/// owner's principals.
#[test]
fn block_public_access_loads_from_the_export() {
    let dir = tempdir("public-access-block");
    copy_tree(&repo("tests/fixtures/org/import/kms-aliases"), &dir);
    let public = r#"{"Policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Public\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::app-site/*\"}]}"}"#;
    write(&dir, "resources/222222222222/s3/app-site.json", public);
    write(
        &dir,
        "resources/222222222222/s3/app-open.json",
        &public.replace("app-site", "app-open"),
    );
    write(
        &dir,
        "resources/222222222222/s3-public-access-block/app-site.json",
        r#"{"PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": false, "RestrictPublicBuckets": true}}"#,
    );
    write(
        &dir,
        "resources/222222222222/s3-public-access-block/no-policy.json",
        r#"{"PublicAccessBlockConfiguration": {"RestrictPublicBuckets": true}}"#,
    );
    write(
        &dir,
        "get-public-access-block/222222222222.json",
        r#"{"PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "IgnorePublicAcls": false, "BlockPublicPolicy": true, "RestrictPublicBuckets": false}}"#,
    );
    write(&dir, "get-public-access-block/111111111111.json", "");
    let (org, report) = org::load_with_report(&dir).unwrap();
    let org = org.unwrap_or_else(|| panic!("{report}"));
    let warnings: Vec<&str> = report.warnings().map(|f| f.message.as_str()).collect();
    assert_eq!(warnings.len(), 1, "{report}");
    assert!(warnings[0].contains("bucket `no-policy` has no policy file"));
    let site = org.resource_by_arn("arn:aws:s3:::app-site").unwrap();
    let open = org.resource_by_arn("arn:aws:s3:::app-open").unwrap();
    assert!(
        org.resource(site)
            .public_access_block
            .unwrap()
            .restrict_public_buckets
    );
    assert!(org.restricts_public_buckets(site));
    assert!(!org.restricts_public_buckets(open));
    let app = org.account(org.resource(site).account);
    assert!(app.public_access_block.unwrap().block_public_policy);
    assert!(org.accounts()[0].public_access_block.is_none());

    let outsider = |org: &Org, bucket: &str| {
        let ask = orgscope::analysis::Ask {
            action: "s3:GetObject".into(),
            resource: format!("arn:aws:s3:::{bucket}/index.html"),
            ..Default::default()
        };
        // The management account's root user: another account than the bucket's.
        let a = orgscope::analysis::can(org, "arn:aws:iam::111111111111:root", &ask).unwrap();
        (a.decision.to_string(), a.explanation.blocked_by)
    };
    assert_eq!(outsider(&org, "app-open").0, "Allowed");
    let (decision, by) = outsider(&org, "app-site");
    assert_eq!(decision, "ImplicitlyDenied");
    assert_eq!(
        by.and_then(|l| l.rule()).map(|r| r.name()),
        Some("blockPublicAccess")
    );

    // The native file keeps both levels.
    let (again, report) = org::load_str("exported.json", &export::to_native_text(&org));
    assert!(report.is_clean(), "{report}");
    let again = again.unwrap();
    let site = again.resource_by_arn("arn:aws:s3:::app-site").unwrap();
    assert_eq!(
        again.resource(site).public_access_block,
        org.resource(org.resource_by_arn("arn:aws:s3:::app-site").unwrap())
            .public_access_block
    );
    assert_eq!(
        again.accounts()[1].public_access_block,
        org.accounts()[1].public_access_block
    );
    assert_eq!(outsider(&again, "app-site").0, "ImplicitlyDenied");
    std::fs::remove_dir_all(dir).unwrap();
}

/// A bucket's Block Public Access that names no bucket, or a setting on a key, is an
/// error with its place in the native file.
#[test]
fn block_public_access_only_on_buckets() {
    let text = r#"{"accounts": [{"id": "222222222222", "name": "a", "resources": {
        "arn:aws:sqs:eu-west-1:222222222222:q": {"public_access_block": {"restrict_public_buckets": true},
          "policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "*"}]}}}}]}"#;
    let (org, report) = org::load_str("bpa.json", text);
    assert!(org.is_none());
    let e = report.to_string();
    assert!(e.contains("public_access_block"), "{e}");
    assert!(e.contains("is not an S3 bucket"), "{e}");
    let text = r#"{"accounts": [{"id": "222222222222", "name": "a", "public_access_block": {"restrict_public_bucket": true}}]}"#;
    let (org, report) = org::load_str("bpa.json", text);
    assert!(org.is_none());
    assert!(
        report.to_string().contains("restrict_public_bucket"),
        "{report}"
    );
}

#[test]
fn odd_records_are_warnings_and_the_rest_of_the_file_loads() {
    // IAM API Reference, "get-account-authorization-details": `Path` defaults to `/`;
    // tools that flatten records print the default as an empty string. An ARN whose
    // account is not twelve digits names no account ("IAM identifiers"): that record
    // alone is skipped. A trust policy naming accounts outside the file is ordinary.
    let path = repo("tests/fixtures/org/import/authz-odd-records.json");
    let (org, report) = org::load_with_report(&path).unwrap();
    assert_eq!(report.errors().count(), 0, "{report}");
    let warnings: Vec<(String, usize, String)> = report
        .findings
        .iter()
        .map(|f| (f.json_path.clone(), f.line, f.message.clone()))
        .collect();
    let at = |p: &str| {
        warnings
            .iter()
            .find(|(path, _, _)| path == p)
            .unwrap_or_else(|| panic!("no warning at {p}: {warnings:?}"))
    };
    let (_, line, message) = at("UserDetailList[0].Path");
    assert_eq!(*line, 4);
    assert!(message.contains("empty `Path`: taken as `/`"), "{message}");
    at("GroupDetailList[0].Path");
    at("RoleDetailList[0].Path");
    at("Policies[1].Path");
    // A policy printed without its versions, attached to nobody: skipped.
    let (_, _, message) = at("Policies[0].PolicyVersionList");
    assert!(message.contains("has no versions; skipped"), "{message}");
    let (_, line, message) = at("UserDetailList[1].Arn");
    assert_eq!(*line, 16);
    assert!(message.contains("not twelve digits"), "{message}");
    assert_eq!(warnings.len(), 6, "{warnings:?}");
    // The rest loads and can be questioned.
    let org = org.expect("loads");
    assert!(
        org.principal_by_arn("arn:aws:iam::123456789012:user/empty-path")
            .is_some()
    );
    assert!(
        org.principal_by_arn("arn:aws:iam::123456789012:user/plain")
            .is_some()
    );
    let ask = |action: &str, resource: &str| orgscope::analysis::Ask {
        action: action.into(),
        resource: resource.into(),
        ..Default::default()
    };
    let a = orgscope::analysis::can(&org, "empty-path", &ask("s3:GetObject", "arn:aws:s3:::b/k"))
        .unwrap();
    assert_eq!(a.decision, orgscope::engine::Decision::Allowed);
    // The partner the trust policy names is answered on the org's side.
    let role = "arn:aws:iam::123456789012:role/PartnerAccess";
    let a = orgscope::analysis::can(
        &org,
        "arn:aws:iam::210987654321:role/partner-auditor",
        &ask("sts:AssumeRole", role),
    )
    .unwrap();
    assert_eq!(a.decision, orgscope::engine::Decision::Allowed);
    assert_eq!(a.caller, "outside");
}

#[test]
fn every_sample_dump_loads_and_answers() {
    // Each dump in the shared samples (cloudsplaining's, BSD-3; the AWS CLI's
    // documented output, Apache-2.0) and the fixtures made from them: no errors, and
    // a question on the first principal is answered.
    for rel in [
        "sample-orgs/cloudsplaining-export",
        "tests/fixtures/org/import/authz-quirks.json",
        "tests/fixtures/org/import/cloudsplaining-overrides.json",
        "tests/fixtures/org/import/awscli-get-account-authorization-details.json",
    ] {
        let (org, report) = org::load_with_report(&repo(rel)).unwrap();
        assert_eq!(report.errors().count(), 0, "{rel}: {report}");
        let org = org.expect("loads");
        let first = org
            .users()
            .first()
            .map(|u| u.arn.to_string())
            .or_else(|| org.roles().first().map(|r| r.arn.to_string()))
            .unwrap();
        let ask = orgscope::analysis::Ask {
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::b/k".into(),
            ..Default::default()
        };
        orgscope::analysis::can(&org, &first, &ask).unwrap();
    }
}
