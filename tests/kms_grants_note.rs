//! KMS grants are not read (the exports hold none), and a grant allows its grantee the
//! grant operations on a key beside the key policy and IAM ("Grants in AWS KMS", KMS
//! Developer Guide). A denial a grant could lift is therefore not certain: `can` and
//! who-can say so, in the JSON and the table, and only where a grant could matter.

use std::process::Command;

const KEY: &str = "arn:aws:kms:eu-west-1:555555555555:key/9a7e0000-0000-4000-8000-000000000002";
const NOTE: &str = "KMS grants are not evaluated";

fn orgscope(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_orgscope"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stdout).is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn can_json(principal: &str, action: &str, context: &[&str]) -> serde_json::Value {
    let mut args = vec!["can", "acme", "-p", principal, "-a", action, "-r", KEY];
    for c in context {
        args.extend(["-c", c]);
    }
    args.extend(["--format", "json"]);
    serde_json::from_str(&orgscope(&args)).unwrap()
}

fn has_note(v: &serde_json::Value) -> bool {
    v["explanation"]["notes"]
        .as_array()
        .expect("notes is a list")
        .iter()
        .any(|n| n.as_str().unwrap().contains(NOTE))
}

#[test]
fn a_denial_for_want_of_an_allow_on_a_key_says_a_grant_could_lift_it() {
    // dana (another account) has no Allow in the key policy nor in IAM.
    let v = can_json("dana", "kms:Decrypt", &["aws:SecureTransport=true"]);
    assert_eq!(v["decision"], "ImplicitlyDenied", "{v:#}");
    assert!(has_note(&v), "{v:#}");
    let table = orgscope(&[
        "can",
        "acme",
        "-p",
        "dana",
        "-a",
        "kms:Decrypt",
        "-r",
        KEY,
        "-c",
        "aws:SecureTransport=true",
    ]);
    assert!(table.contains(&format!("note: {NOTE}")), "{table}");
}

#[test]
fn no_grant_note_where_a_grant_cannot_change_the_answer() {
    // An RCP's explicit deny (plain HTTP): no grant lifts it.
    let v = can_json("dana", "kms:Decrypt", &[]);
    assert_eq!(v["decision"], "ExplicitlyDenied", "{v:#}");
    assert!(!has_note(&v), "{v:#}");
    // Not a grant operation: a grant never allows deleting the key.
    let v = can_json(
        "dana",
        "kms:ScheduleKeyDeletion",
        &["aws:SecureTransport=true"],
    );
    assert_eq!(v["decision"], "ImplicitlyDenied", "{v:#}");
    assert!(!has_note(&v), "{v:#}");
}

#[test]
fn who_can_on_a_key_says_grantees_are_not_listed() {
    let v: serde_json::Value = serde_json::from_str(&orgscope(&[
        "who-can",
        "acme",
        "-a",
        "kms:Decrypt",
        "-r",
        KEY,
        "--format",
        "json",
    ]))
    .unwrap();
    let caveats = v["caveats"].as_array().expect("caveats is a list");
    assert!(
        caveats.iter().any(|c| c.as_str().unwrap().contains(NOTE)),
        "{v:#}"
    );
    let table = orgscope(&["who-can", "acme", "-a", "kms:Decrypt", "-r", KEY]);
    assert!(table.contains(&format!("note: {NOTE}")), "{table}");
    // Not a grant operation: no caveat.
    let v: serde_json::Value = serde_json::from_str(&orgscope(&[
        "who-can",
        "acme",
        "-a",
        "kms:PutKeyPolicy",
        "-r",
        KEY,
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(v["caveats"], serde_json::json!([]), "{v:#}");
}

/// what-can lists what the policies allow; a grant (KMS) or an ACL (S3) could allow
/// more, and it says so wherever it asks of those services' operations, in the JSON
/// (`caveats`, always a list) and the table, and not when asked of another service.
#[test]
fn what_can_says_grants_and_acls_could_allow_more() {
    let caveats = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["what-can", "acme", "-p", "dana", "--format", "json"];
        all.extend(args);
        let v: serde_json::Value = serde_json::from_str(&orgscope(&all)).unwrap();
        v["caveats"]
            .as_array()
            .expect("caveats is a list")
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect()
    };
    let all = caveats(&[]);
    assert!(all.iter().any(|c| c.contains(NOTE)), "{all:?}");
    assert!(
        all.iter().any(|c| c.contains("S3 ACLs are not evaluated")),
        "{all:?}"
    );
    let kms = caveats(&["--service", "kms"]);
    assert!(kms.len() == 1 && kms[0].contains(NOTE), "{kms:?}");
    assert_eq!(caveats(&["--service", "iam"]), Vec::<String>::new());
    // Listing keys is not a grant operation.
    assert_eq!(
        caveats(&["--service", "kms", "--level", "list"]),
        Vec::<String>::new()
    );
    let table = orgscope(&["what-can", "acme", "-p", "dana", "--service", "kms"]);
    assert!(table.contains(&format!("note: {NOTE}")), "{table}");
}
