//! A resource-policy Deny naming an S3 canonical user: orgscope cannot map the id to
//! an account, so the Deny never matches, yet AWS denies that account's principals.
//! who-can, like `can` (README item 17), says so beside its answer, in the JSON
//! (`caveats`, a list) and the table.

use std::process::Command;

fn who_can(format: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_orgscope"))
        .args(["who-can", "acme", "-a", "s3:GetObject"])
        .args(["-r", "arn:aws:s3:::acme-public-website/index.html"])
        .args([
            "--scenario",
            "tests/fixtures/scenarios/website-deny-canonical-user.json",
        ])
        .args(["--format", format])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn who_can_notes_a_deny_naming_a_canonical_user_in_json_and_table() {
    let json: serde_json::Value = serde_json::from_str(&who_can("json")).unwrap();
    let notes = json["caveats"].as_array().expect("caveats is a list");
    assert_eq!(notes.len(), 1, "{json:#}");
    assert!(
        notes[0]
            .as_str()
            .unwrap()
            .contains("Deny NotThatOne names a canonical user"),
        "{notes:?}"
    );
    let table = who_can("table");
    assert!(
        table.contains("note: the resource policy's Deny NotThatOne names a canonical user"),
        "{table}"
    );
    // Without such a Deny the list is empty, not absent.
    let out = Command::new(env!("CARGO_BIN_EXE_orgscope"))
        .args(["who-can", "acme", "-a", "s3:GetObject"])
        .args([
            "-r",
            "arn:aws:s3:::acme-public-website/index.html",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let plain: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plain["caveats"], serde_json::json!([]));
}

fn what_can(principal: &str, scenario: bool) -> serde_json::Value {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_orgscope"));
    cmd.args(["what-can", "acme", "-p", principal, "--service", "s3"]);
    if scenario {
        cmd.args([
            "--scenario",
            "tests/fixtures/scenarios/website-deny-canonical-user.json",
        ]);
    }
    let out = cmd.args(["--format", "json"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn canonical_notes(answer: &serde_json::Value) -> Vec<String> {
    answer["caveats"]
        .as_array()
        .expect("caveats is a list")
        .iter()
        .filter_map(|c| c.as_str())
        .filter(|c| c.contains("canonical user"))
        .map(str::to_string)
        .collect()
}

/// what-can lists s3:GetObject on `*` for WebDeployer (its policy grants it), and the
/// website bucket's Deny naming a canonical user could deny it there: the caveat says
/// so, naming the bucket, the Deny and the action. A principal with no grant reaching
/// the bucket (dana has no s3:GetObject), or the bucket without that Deny, gets none.
#[test]
fn what_can_notes_a_deny_naming_a_canonical_user_on_a_bucket_its_grants_reach() {
    let answer = what_can("WebDeployer", true);
    let granted = answer["grants"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["action"] == "s3:GetObject");
    assert!(granted, "{answer:#}");
    let notes = canonical_notes(&answer);
    assert_eq!(notes.len(), 1, "{answer:#}");
    assert!(
        notes[0].contains("arn:aws:s3:::acme-public-website")
            && notes[0].contains("Deny NotThatOne")
            && notes[0].contains("denies s3:GetObject there"),
        "{notes:?}"
    );
    assert!(canonical_notes(&what_can("dana", true)).is_empty());
    assert!(canonical_notes(&what_can("WebDeployer", false)).is_empty());
}
