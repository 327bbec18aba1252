//! The conformance suite: every case of tests/scenarios/*.json, written from the AWS
//! documentation page it cites, evaluated through `orgscope simulate`'s library.
//!
//! A scenario file is a simulate input (`{"defaults", "cases"}`) whose cases also
//! carry `doc` (the AWS page), `expect` (`decision`, and `blockedBy`/`level` where the
//! blocking layer is unambiguous, `rule` for the `aws` layer) and an optional `note`. The runner strips those and
//! compares. Every mismatch is listed, not only the first.

use std::path::Path;

use serde_json::{Map, Value};

const META: &[&str] = &["doc", "expect", "note"];

struct Expected {
    id: String,
    decision: String,
    blocked_by: Option<String>,
    level: Option<u64>,
    /// For the `aws` layer: which of AWS's rules (`identityCenterRole`).
    rule: Option<String>,
}

fn load(path: &Path) -> (String, Vec<Expected>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut file: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
    let obj = file.as_object_mut().expect("a scenario file is an object");
    obj.remove("doc");
    let cases = obj
        .get_mut("cases")
        .and_then(Value::as_array_mut)
        .unwrap_or_else(|| panic!("{}: no `cases` array", path.display()));
    let mut expected = Vec::new();
    for (i, case) in cases.iter_mut().enumerate() {
        let c: &mut Map<String, Value> = case.as_object_mut().expect("a case is an object");
        let id = c
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{}: case {i} has no id", path.display()))
            .to_string();
        let doc = c.get("doc").and_then(Value::as_str).unwrap_or("");
        assert!(
            doc.starts_with("https://docs.aws.amazon.com/"),
            "{}: case {id} must cite the AWS documentation page it comes from",
            path.display()
        );
        let expect = c
            .get("expect")
            .unwrap_or_else(|| panic!("{}: case {id} has no expect", path.display()));
        expected.push(Expected {
            id: id.clone(),
            decision: expect["decision"]
                .as_str()
                .expect("expect.decision")
                .to_string(),
            blocked_by: expect
                .get("blockedBy")
                .and_then(Value::as_str)
                .map(str::to_string),
            level: expect.get("level").and_then(Value::as_u64),
            rule: expect
                .get("rule")
                .and_then(Value::as_str)
                .map(str::to_string),
        });
        for k in META {
            c.remove(*k);
        }
    }
    (serde_json::to_string(&file).unwrap(), expected)
}

#[test]
fn scenarios_match_the_aws_documentation() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let mut total = 0;
    let mut failures = Vec::new();
    for path in &paths {
        let (input, expected) = load(path);
        let cases = orgscope::simulate::read_cases(&input, false)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(cases.len(), expected.len());
        let name = path.file_name().unwrap().to_string_lossy();
        let mut ids = std::collections::HashSet::new();
        for (case, want) in cases.iter().zip(&expected) {
            total += 1;
            assert!(ids.insert(&want.id), "{name}: duplicate id {}", want.id);
            let got = orgscope::simulate::evaluate(case, false);
            if let Some(err) = got.error {
                failures.push(format!("{name} {}: error: {err}", want.id));
                continue;
            }
            let decision = got.decision.unwrap().to_string();
            let layer = got.blocked_by.map(|l| l.name().to_string());
            let level = got.blocked_by.and_then(|l| l.level()).map(|l| l as u64);
            let rule = got
                .blocked_by
                .and_then(|l| l.rule())
                .map(|r| r.name().to_string());
            let layer_ok = (want.blocked_by.is_none() || want.blocked_by == layer)
                && (want.rule.is_none() || want.rule == rule);
            let level_ok = want.level.is_none() || want.level == level;
            if decision != want.decision || !layer_ok || !level_ok {
                failures.push(format!(
                    "{name} {}: expected {} {:?}{:?}{:?}, got {decision} {layer:?}{level:?}{rule:?}",
                    want.id, want.decision, want.blocked_by, want.level, want.rule
                ));
            }
        }
    }
    assert!(
        total >= 200,
        "the suite must hold at least 200 cases, found {total}"
    );
    assert!(
        failures.is_empty(),
        "{} of {total} cases disagree with the AWS documentation:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
