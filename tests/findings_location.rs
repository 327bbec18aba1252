//! Findings say where their statement is in the input: file, line, column and JSON
//! path (the issue's "the policy and statement with its location"), for a document
//! written inline and for one held as JSON text in a string, in the native format
//! and in AWS CLI exports; SARIF carries the same place as a region. Expected places
//! are found in the input text itself, not taken from the code.

use std::path::Path;

use orgscope::findings::{self, Finding, Options};
use orgscope::org::{self, load_str};
use serde_json::{Value, json};

fn opts() -> Options {
    Options {
        now: Some("2026-12-01T00:00:00Z".parse().unwrap()),
        ..Options::default()
    }
}

/// 1-based line and byte column of the first `needle` in `text`.
fn position_of(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in the text"));
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (text[..at].matches('\n').count() + 1, at - line_start + 1)
}

/// The byte offset of a 1-based line and column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    start + column - 1
}

#[test]
fn an_inline_statement_is_located_in_the_native_file() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-orgs/acme.json");
    let text = std::fs::read_to_string(path).unwrap();
    let org = org::load(Path::new(path)).unwrap();
    let all = findings::findings(&org, &opts());
    let pass = all
        .iter()
        .find(|f| f.rule == "policy.pass-role-any")
        .unwrap();
    let at = pass.location.as_ref().expect("located");
    assert_eq!(at.file, path);
    assert_eq!(
        (at.line, at.column),
        position_of(&text, r#"{"Sid": "Everything""#)
    );
    assert_eq!(
        at.json_path,
        "accounts[5].policies.WebOpsEverything.document.Statement[0]"
    );
    assert_eq!(at.in_document, None);
    // Findings about no statement of a file (identity hygiene) have no place.
    assert!(
        all.iter()
            .filter(|f| f.rule.starts_with("identity."))
            .all(|f| f.location.is_none())
    );
}

#[test]
fn a_document_in_a_string_gives_the_string_and_the_place_inside_it() {
    let mut v: Value = serde_json::from_str(include_str!("../sample-orgs/acme.json")).unwrap();
    let document = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Sid\": \"A\", \"Effect\": \"Deny\", \"Action\": \"s3:DeleteBucket\", \"Resource\": \"*\"},\n    {\"Sid\": \"Typo\", \"Effect\": \"Deny\", \"Action\": \"s3:GetObjct\", \"Resource\": \"*\"}\n  ]\n}";
    v["scps"]["AsText"] = json!({"document": document});
    v["root"]["scps"]
        .as_array_mut()
        .unwrap()
        .push(json!("AsText"));
    let text = serde_json::to_string_pretty(&v).unwrap();
    let (org, report) = load_str("as-text.json", &text);
    let org = org.unwrap_or_else(|| panic!("{report}"));
    let all = findings::findings(&org, &opts());
    let typo: Vec<&Finding> = all
        .iter()
        .filter(|f| f.rule == "policy.unknown-action" && f.policy.as_deref() == Some("AsText"))
        .collect();
    assert_eq!(typo.len(), 1, "{all:#?}");
    let at = typo[0].location.as_ref().expect("located");
    assert_eq!(at.file, "as-text.json");
    // The file position is the string's opening quote ...
    let (line, column) = position_of(&text, r#""{\n  \"Version"#);
    assert_eq!((at.line, at.column), (line, column));
    assert_eq!(&text[offset_of(&text, line, column)..][..1], "\"");
    assert_eq!(at.json_path, "scps.AsText.document");
    // ... and inside the document, the statement's own line and column.
    let inside = at.in_document.expect("in a string");
    assert_eq!(
        (inside.line, inside.column),
        position_of(document, r#"{"Sid": "Typo""#)
    );
    let table = at.to_string();
    assert!(
        table.starts_with(&format!("as-text.json:{line}:{column}")),
        "{table}"
    );
}

/// Every located statement of the AWS CLI export sample is where it says: the text at
/// its line and column is that statement (or, for a document in a string, the
/// string holding the document).
#[test]
fn every_statement_of_an_export_is_where_its_location_says() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sample-orgs/cloudsplaining-export"
    );
    let org = org::load(Path::new(dir)).unwrap();
    let all = findings::findings(&org, &opts());
    let located: Vec<&Finding> = all.iter().filter(|f| f.location.is_some()).collect();
    assert!(located.len() >= 10, "{}", located.len());
    let mut in_strings = 0;
    for f in located {
        let at = f.location.as_ref().unwrap();
        let text = std::fs::read_to_string(&at.file).unwrap();
        let rest = &text[offset_of(&text, at.line, at.column)..];
        let value: Value = serde_json::Deserializer::from_str(rest)
            .into_iter::<Value>()
            .next()
            .unwrap()
            .unwrap_or_else(|e| panic!("{}: {e}", f.id));
        let statement = match (&at.in_document, value) {
            (None, v) => v,
            (Some(inside), Value::String(doc)) => {
                in_strings += 1;
                let rest = &doc[offset_of(&doc, inside.line, inside.column)..];
                serde_json::Deserializer::from_str(rest)
                    .into_iter::<Value>()
                    .next()
                    .unwrap()
                    .unwrap()
            }
            (Some(_), other) => panic!("{}: not a string: {other}", f.id),
        };
        let label = f.statement.as_deref().unwrap();
        let sid = statement.get("Sid").and_then(Value::as_str).unwrap_or("");
        assert!(
            label == sid || label.starts_with("Statement["),
            "{}: {label} vs {statement}",
            f.id
        );
        assert!(statement.get("Effect").is_some(), "{}: {statement}", f.id);
    }
    assert!(
        in_strings >= 1,
        "the bucket policy is JSON text in a string"
    );
}

#[test]
fn sarif_regions_are_the_locations() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-orgs/acme.json");
    let org = org::load(Path::new(path)).unwrap();
    let all = findings::findings(&org, &opts());
    let log = findings::sarif::log(&all, path);
    let results = log["runs"][0]["results"].as_array().unwrap();
    for (f, r) in all.iter().zip(results) {
        let physical = &r["locations"][0]["physicalLocation"];
        match &f.location {
            Some(at) => {
                assert_eq!(physical["region"]["startLine"], at.line);
                assert_eq!(physical["region"]["startColumn"], at.column);
                assert!(
                    physical["artifactLocation"]["uri"]
                        .as_str()
                        .unwrap()
                        .ends_with("sample-orgs/acme.json")
                );
            }
            None => assert!(physical.get("region").is_none()),
        }
    }
    assert!(all.iter().any(|f| f.location.is_some()));
}
