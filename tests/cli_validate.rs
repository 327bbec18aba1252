//! `orgscope validate` as scripts use it: the built-in sample by name, and the report as
//! JSON with every finding located.

use std::process::{Command, Output};

use serde_json::{Value, json};

fn validate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orgscope"))
        .arg("validate")
        .args(args)
        .output()
        .unwrap()
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn acme_is_the_built_in_sample_as_everywhere_else() {
    let out = validate(&["acme"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "acme: no problems found\n"
    );
    let v = json_of(&validate(&["acme", "--format", "json"]));
    assert_eq!(
        v,
        json!({"org": "acme", "errors": 0, "warnings": 0, "findings": [], "notes": []})
    );
}

#[test]
fn json_locates_every_finding() {
    let file = "tests/fixtures/org/broken/account-in-two-ous.json";
    let text = validate(&[file]);
    assert_eq!(text.status.code(), Some(1));
    let out = validate(&[file, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "errors: status 1 in JSON too");
    let v = json_of(&out);
    assert_eq!(v["org"], file);
    assert_eq!(v["errors"], 1);
    assert_eq!(v["warnings"], 0);
    let f = &v["findings"][0];
    assert_eq!(f["severity"], "error");
    assert_eq!(f["file"], file);
    assert_eq!(f["jsonPath"], "accounts[2].id");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(7), Some(12))
    );
    // The text report says the same finding, located the same way.
    let line = String::from_utf8_lossy(&text.stdout).into_owned();
    assert!(
        line.starts_with(&format!(
            "{file}:7:12: error: {}",
            f["message"].as_str().unwrap()
        )),
        "{line}"
    );
    // A file that cannot be read is a finding too, with no place in it.
    let out = validate(&["/nonexistent/org.json", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json_of(&out);
    assert_eq!(v["findings"][0]["line"], 0);
    assert!(
        v["findings"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("/nonexistent/org.json")),
        "{v}"
    );
}
