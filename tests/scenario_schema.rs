//! assets/scenario-schema.json says what the scenario reader accepts: every sample
//! scenario and every saved scenario satisfy it, shapes the reader refuses do not,
//! and it lists exactly the ops orgscope knows.
//! (The checker is tests/common/json_schema.rs.)

use std::path::Path;

use orgscope::scenario::{Change, ScenarioFile};
use serde_json::Value;

mod common;

fn schema() -> Value {
    common::json_schema::schema("scenario-schema.json")
}

fn violations(text: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(text).unwrap();
    common::json_schema::violations(&schema(), &v)
}

#[test]
fn sample_and_saved_scenarios_satisfy_the_schema() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scenarios");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            violations(&text),
            Vec::<String>::new(),
            "{}",
            path.display()
        );
        let file = ScenarioFile::load(&path).unwrap_or_else(|e| panic!("{e}"));
        let saved = orgscope::scenario::to_text(&file.scenario);
        assert_eq!(
            violations(&saved),
            Vec::<String>::new(),
            "{} saved",
            path.display()
        );
        n += 1;
    }
    assert!(n >= 8);
}

#[test]
fn shapes_the_reader_refuses_do_not() {
    for bad in [
        r#"{"changes": [{"op": "attach_scp", "policy": "DenyAll"}]}"#,
        r#"{"changes": [{"op": "attach_scp", "policy": "DenyAll", "target": "Prod", "to": "x"}]}"#,
        r#"{"changes": [{"op": "attach_sc", "policy": "DenyAll", "target": "Prod"}]}"#,
        r#"{"chnages": []}"#,
    ] {
        assert!(!violations(bad).is_empty(), "{bad}");
        assert!(
            ScenarioFile::from_text(Path::new("x.json"), bad.to_string()).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn the_schema_lists_every_op() {
    let s = schema();
    let mut ops: Vec<String> = s["properties"]["changes"]["items"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|alt| alt["properties"]["op"]["enum"].as_array().unwrap().clone())
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    ops.sort();
    let mut known: Vec<String> = Change::OPS.iter().map(|s| s.to_string()).collect();
    known.sort();
    assert_eq!(ops, known);
}

/// The complete example in docs/scenarios.md is tests/fixtures/scenarios/docs-example.json
/// (its `$schema` path aside), and it applies to acme; the guardrail examples read.
#[test]
fn the_docs_examples_apply() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs = std::fs::read_to_string(root.join("docs/scenarios.md")).unwrap();
    let start = docs.find("```json\n{\n  \"$schema\"").expect("the example") + "```json\n".len();
    let example = &docs[start..start + docs[start..].find("\n```").unwrap()];
    let fixture_path = root.join("tests/fixtures/scenarios/docs-example.json");
    let fixture = std::fs::read_to_string(&fixture_path).unwrap();
    assert_eq!(
        example.replace("../assets/", "../../../assets/").trim(),
        fixture.trim(),
        "docs/scenarios.md and docs-example.json differ"
    );
    let file = ScenarioFile::load(&fixture_path).unwrap_or_else(|e| panic!("{e}"));
    file.apply(&orgscope::org::load_builtin_acme())
        .unwrap_or_else(|e| panic!("{e}"));
    let text_block = docs
        .find("```text\n# each line")
        .expect("the guardrails example")
        + 8;
    let lines = &docs[text_block..text_block + docs[text_block..].find("\n```").unwrap()];
    orgscope::scenario::expect::parse("docs", lines).unwrap_or_else(|e| panic!("{e}"));
    let json_block = docs
        .find("```json\n{\n  \"expectations\"")
        .expect("the JSON form")
        + 8;
    let json = &docs[json_block..json_block + docs[json_block..].find("\n```").unwrap()];
    orgscope::scenario::expect::parse("docs", json).unwrap_or_else(|e| panic!("{e}"));
}
