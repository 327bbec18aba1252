//! assets/org-schema.json says what the loader accepts: files the loader reads clean
//! satisfy the schema, and files it refuses for their shape do not.
//! (The checker is tests/common/json_schema.rs.)

use std::path::Path;

use orgscope::org::{self, export, generate};
use serde_json::Value;

mod common;

fn violations(text: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(text).unwrap();
    common::json_schema::violations(&common::json_schema::schema("org-schema.json"), &v)
}

fn repo(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

#[test]
fn files_the_loader_reads_satisfy_the_schema() {
    let every = repo("tests/fixtures/org/every-field.json");
    let (loaded, report) = org::load_str("every-field.json", &every);
    assert!(report.is_clean() && loaded.is_some(), "{report}");
    let cloudsplaining =
        org::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-orgs/cloudsplaining-export"))
            .unwrap();
    for (name, text) in [
        ("acme", org::ACME.to_string()),
        ("every-field", every),
        ("generated", generate::generate(12, 5)),
        (
            "exported acme",
            export::to_native_text(&org::load_builtin_acme()),
        ),
        (
            "exported cloudsplaining",
            export::to_native_text(&cloudsplaining),
        ),
    ] {
        let v = violations(&text);
        assert!(v.is_empty(), "{name}:\n{}", v.join("\n"));
    }
}

#[test]
fn files_refused_for_their_shape_violate_the_schema() {
    for name in [
        "unknown-field.json",
        "type-groups-string.json",
        "type-accounts-object.json",
        "not-an-object.json",
    ] {
        let text = repo(&format!("tests/fixtures/org/broken/{name}"));
        assert!(!violations(&text).is_empty(), "{name} satisfies the schema");
    }
}

/// The complete example in docs/org-format.md loads clean and satisfies the schema.
#[test]
fn the_documented_example_is_a_valid_organization() {
    let doc = repo("docs/org-format.md");
    let start = doc.find("```json\n").expect("an example") + "```json\n".len();
    let end = start + doc[start..].find("\n```").unwrap();
    let example = &doc[start..end];
    let (org, report) = org::load_str("docs/org-format.md", example);
    assert!(report.is_clean(), "{report}");
    let org = org.unwrap();
    assert_eq!(org.accounts().len(), 3);
    let v = violations(example);
    assert!(v.is_empty(), "{}", v.join("\n"));
}
