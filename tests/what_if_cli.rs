//! `orgscope what-if` as a user runs it on acme: what the default action set leaves
//! out is said, never read as "nothing changes".

use std::process::Command;

fn what_if(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_orgscope"))
        .arg("what-if")
        .arg("acme")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

const PUBLIC: &str = "tests/fixtures/scenarios/public-data-lake.json";

/// The default: Write and Permissions management only. A bucket opened to
/// everyone for s3:GetObject (a Read action) asks nothing by default: the note says
/// which actions were left out and how to ask them; asked with `--level read`, the
/// whole internet gains the objects (IAM User Guide, "Policy evaluation logic": a
/// resource-based policy naming `*` allows anonymous requests).
#[test]
fn the_actions_the_default_levels_leave_out_are_named() {
    let (code, text) = what_if(&["--scenario", PUBLIC]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("asked: 0 actions"), "{text}");
    assert!(
        text.contains("note: ") && text.contains("Read: s3:GetObject"),
        "{text}"
    );
    assert!(
        text.contains("note: --level or --actions asks the 2 actions"),
        "{text}"
    );

    let (_, json) = what_if(&["--scenario", PUBLIC, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let notes = v["notes"].as_array().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.as_str().unwrap().contains("Read: s3:GetObject")),
        "{notes:?}"
    );

    // Asked: the outsiders gain, and no note (the levels were chosen).
    let (code, json) = what_if(&["--scenario", PUBLIC, "--level", "read", "--format", "json"]);
    assert_eq!(code, 3, "{json}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v["notes"].as_array().unwrap().is_empty(), "{json}");
    assert!(
        v["outside"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["kind"] == "everyone"
                && o["change"] == "gained"
                && o["resource"] == "arn:aws:s3:::acme-data-dev-lake/*"),
        "{json}"
    );
}

/// `--explain` opens one line of the diff: before and after, with `can`'s JSON on
/// each side; its exit status is the diff's (3: the answer changes, 0: it does not),
/// never 2, which is a usage error for every command. frank joins Admins
/// (AdministratorAccess): iam:CreateUser goes from implicitly denied to allowed (IAM
/// User Guide, "Policy evaluation logic": a group's policies are its members').
#[test]
fn explain_says_before_and_after_with_the_diffs_exit_status() {
    let scenario = "tests/fixtures/scenarios/frank-joins-admins.json";
    let user = "arn:aws:iam::777777777777:user/heidi";
    let (code, json) = what_if(&[
        "--scenario",
        scenario,
        "--explain",
        "frank",
        "iam:CreateUser",
        user,
        "--format",
        "json",
    ]);
    assert_eq!(code, 3, "{json}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["before"]["decision"], "ImplicitlyDenied", "{json}");
    assert_eq!(v["after"]["decision"], "Allowed", "{json}");
    // dana is not in the scenario: the same answer, status 0.
    let (code, text) = what_if(&[
        "--scenario",
        scenario,
        "--explain",
        "dana",
        "iam:CreateUser",
        user,
    ]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.starts_with("before:") && text.contains("\nafter:"),
        "{text}"
    );
}

/// A scenario's document that does not parse is refused with a place a user can go
/// to: a document written as an object, at the file's line and column; one written
/// as a JSON string, at the string, with the document's own line and column. The
/// path stops at what is known (no `?` segment) and the member before the mistake is
/// named.
#[test]
fn a_document_that_does_not_parse_is_placed_in_the_scenario_file() {
    let dir = std::env::temp_dir().join(format!("orgscope-what-if-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let refused = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_orgscope"))
            .args(["what-if", "acme", "--scenario"])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8(out.stderr).unwrap();
        stderr.replace(&path.display().to_string(), name)
    };
    let object = "{\"changes\": [\n  {\"op\": \"create_scp\", \"name\": \"X\", \"document\": {\"Version\": \"2012-10-17\",\n    \"Statement\": [{\"Effect\": \"Deny\" \"Action\": \"*\", \"Resource\": \"*\"}]}}\n]}";
    assert_eq!(
        refused("object.json", object),
        "orgscope: object.json:3:37: at changes[0].document.Statement[0]: expected `,` or `}` after the value of `Effect`\n"
    );
    let string = "{\"changes\": [\n  {\"op\": \"create_scp\", \"name\": \"X\", \"document\": \"{\\n  \\\"Statement\\\": [{\\\"Effect\\\": \\\"Deny\\\" \\\"Action\\\": \\\"*\\\", \\\"Resource\\\": \\\"*\\\"}]\\n}\"}\n]}";
    assert_eq!(
        refused("string.json", string),
        "orgscope: string.json:2:49: at changes[0].document.Statement[0]: create_scp: expected `,` or `}` after the value of `Effect` (in the document, line 2 column 35)\n"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
