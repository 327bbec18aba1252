//! S3 ACLs are not evaluated (the exports orgscope reads hold none): every answer an
//! ACL could change says so, in `can` and in who-can (S3 User Guide, "Access control
//! list (ACL) overview"; "Blocking public access to your Amazon S3 storage").

use std::process::Command;

use serde_json::Value;

const ORG: &str = "tests/fixtures/org/aws-rules.json";

fn json(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_orgscope"))
        .args(args)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn notes(v: &Value) -> Vec<String> {
    v["explanation"]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n.as_str().map(str::to_string))
        .collect()
}

#[test]
fn an_anonymous_read_denied_by_the_policies_says_an_acl_could_grant_it() {
    // An object ACL granting READ to AllUsers would let an anonymous GetObject in;
    // orgscope cannot see one, so its denial is qualified.
    let v = json(&[
        "can",
        ORG,
        "--format",
        "json",
        "-p",
        "anonymous",
        "-a",
        "s3:GetObject",
        "-r",
        "arn:aws:s3:::workload-org-shared/report.csv",
    ]);
    assert_eq!(v["decision"], "ImplicitlyDenied", "{v:#}");
    let n = notes(&v);
    assert!(
        n.iter()
            .any(|n| n.starts_with("S3 ACLs are not evaluated")
                && n.contains("IgnorePublicAcls is on")),
        "{n:?}"
    );
}

#[test]
fn who_can_says_acl_grantees_are_not_listed() {
    let v = json(&[
        "who-can",
        ORG,
        "--format",
        "json",
        "-a",
        "s3:GetObject",
        "-r",
        "arn:aws:s3:::sandbox-open/x",
    ]);
    let acls = v["acls"].as_str().unwrap_or_default();
    assert!(acls.contains("are not listed"), "{v:#}");
    // Not for a request no ACL grants.
    let v = json(&[
        "who-can",
        ORG,
        "--format",
        "json",
        "-a",
        "s3:PutBucketPolicy",
        "-r",
        "arn:aws:s3:::sandbox-open",
    ]);
    assert!(v.get("acls").is_none(), "{v:#}");
}

/// S3 User Guide, "Blocking public access to your Amazon S3 storage"
/// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html):
/// with BlockPublicAcls on (here the workload account's), a PutObject that sets a
/// public ACL fails whatever the policies say. Asked without an ACL, `can` answers
/// Allowed and its `changes` say a public ACL turns it into a refusal.
#[test]
fn can_refuses_a_public_acl_under_block_public_acls_and_says_so_without_one() {
    let ask = |extra: &[&str]| {
        let mut args = vec![
            "can",
            ORG,
            "--format",
            "json",
            "-p",
            "arn:aws:iam::222222222222:user/admin",
            "-a",
            "s3:PutObject",
            "-r",
            "arn:aws:s3:::workload-site/index.html",
        ];
        args.extend_from_slice(extra);
        json(&args)
    };
    let v = ask(&["-c", "s3:x-amz-acl=public-read"]);
    assert_eq!(v["decision"], "ImplicitlyDenied", "{v:#}");
    assert_eq!(v["explanation"]["blockedBy"]["layer"], "aws", "{v:#}");
    assert_eq!(
        v["explanation"]["blockedBy"]["rule"], "blockPublicAcls",
        "{v:#}"
    );
    let v = ask(&[]);
    assert_eq!(v["decision"], "Allowed", "{v:#}");
    let refused = v["changes"].as_array().unwrap().iter().any(|c| {
        c["decision"] == "ImplicitlyDenied"
            && c["when"] == serde_json::json!([{"key": "s3:x-amz-acl", "value": "public-read"}])
    });
    assert!(refused, "{v:#}");
    assert!(
        notes(&v)
            .iter()
            .any(|n| n.contains("S3 Block Public Access refuses it, as BlockPublicAcls is on")),
        "{v:#}"
    );
    // A grant to AllUsers in a grant header is a public ACL too.
    let v = ask(&[
        "-c",
        r#"s3:x-amz-grant-read=uri="http://acs.amazonaws.com/groups/global/AllUsers""#,
    ]);
    assert_eq!(v["decision"], "ImplicitlyDenied", "{v:#}");
    // The table names the rule's layer.
    let out = Command::new(env!("CARGO_BIN_EXE_orgscope"))
        .args([
            "can",
            ORG,
            "-p",
            "arn:aws:iam::222222222222:user/admin",
            "-a",
            "s3:PutObject",
            "-r",
            "arn:aws:s3:::workload-site/index.html",
            "-c",
            "s3:x-amz-acl=public-read",
        ])
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("S3 Block Public Access: public ACL REFUSES"),
        "{table}"
    );
}

/// The same rule in who-can (everyone refused, and said why) and in a pattern
/// question (no bucket of the workload account takes the public ACL).
#[test]
fn who_can_and_patterns_honour_block_public_acls() {
    let v = json(&[
        "who-can",
        ORG,
        "--format",
        "json",
        "-a",
        "s3:PutObject",
        "-r",
        "arn:aws:s3:::workload-site/x",
        "-c",
        "s3:x-amz-acl=public-read",
    ]);
    assert_eq!(v["allowed"], serde_json::json!([]), "{v:#}");
    assert_eq!(v["rootUsers"], serde_json::json!([]), "{v:#}");
    let acls = v["acls"].as_str().unwrap_or_default();
    assert!(acls.contains("refused to everyone"), "{v:#}");
    let v = json(&[
        "can",
        ORG,
        "--format",
        "json",
        "-p",
        "arn:aws:iam::222222222222:user/admin",
        "-a",
        "s3:PutObject",
        "-r",
        "arn:aws:s3:::workload-*/*",
        "-c",
        "s3:x-amz-acl=public-read",
    ]);
    assert_eq!(v["outcome"], "allowedOnNone", "{v:#}");
}
