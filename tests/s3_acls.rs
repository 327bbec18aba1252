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
