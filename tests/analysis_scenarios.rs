//! The four questions over the sample organizations, each case written from the AWS
//! rules and the org file (tests/analysis/*.json), not from running the code.
//!
//! A file: `{"org": path from the repo root, "can": [...], "whoCan": [...],
//! "whatCan": [...], "paths": [...]}`. Every case has an `id` and a `doc` (the AWS
//! page, or the org element it exercises) and an `expect`:
//! - can: `{"decision", "blockedBy"?, "level"?, "note"?, "summary"?, "skipped"?}`
//!   (`note`: a note that the explanation must hold, on a layer or on the whole;
//!   `summary`: the answer's opening sentence; `skipped`: `[{"statement", "why"}]`,
//!   statements that name the action but did not apply, `why` a part of the reason);
//! - whoCan: `{"allowed": [ARN...]}` the exact set, and optional `conditional`,
//!   `nearMisses`, `rootUsers` (exact sets) and `outside` (`[{"kind", "who",
//!   "resourceSide"?, "blockedBy"?}]` that must appear);
//! - whatCan: `{"includes": [action...], "excludes": [action...], "levels"?:
//!   {service: {level: count}}, "except"?: {action: [AWS rule...]}}` (the rules that
//!   keep part of what a grant's patterns cover, exact set);
//! - paths: `{"reachable"?: [role ARN...]` exact set, `"path"?: [ARN...]` the shortest
//!   path to `to`, `"unreachable"?: true`, `"nearestAdmin"?: ARN`}.

use std::collections::BTreeSet;
use std::path::Path;

use orgscope::analysis::{self, Ask};
use serde_json::Value;

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn context(case: &Value) -> Vec<(String, Vec<String>)> {
    case.get("context")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let values = match v {
                        Value::Array(a) => a.iter().map(scalar).collect(),
                        other => vec![scalar(other)],
                    };
                    (k.clone(), values)
                })
                .collect()
        })
        .unwrap_or_default()
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn ask(case: &Value) -> Ask {
    Ask {
        action: case["action"].as_str().expect("action").to_string(),
        resource: case["resource"].as_str().expect("resource").to_string(),
        resource_account: case
            .get("resourceAccount")
            .and_then(Value::as_str)
            .map(str::to_string),
        context: context(case),
        session_policy: None,
        session_name: None,
        caller_policies: Vec::new(),
    }
}

fn check_file(path: &Path, failures: &mut Vec<String>, counts: &mut [usize; 4]) {
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let org_path = root.join(file["org"].as_str().expect("org"));
    let org =
        orgscope::org::load(&org_path).unwrap_or_else(|e| panic!("{}: {e}", org_path.display()));
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let mut fail = |id: &str, msg: String| failures.push(format!("{name} {id}: {msg}"));
    let cases = |key: &str| {
        file.get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };

    for c in cases("can") {
        counts[0] += 1;
        let id = c["id"].as_str().unwrap_or("?");
        assert!(c.get("doc").is_some(), "{name} {id}: cite a doc");
        // Every case asks a well-formed question: no note on its action or resource.
        let (action, resource) = (
            c["action"].as_str().unwrap(),
            c["resource"].as_str().unwrap(),
        );
        let notes = analysis::question_notes(action, resource);
        if !notes.is_empty() {
            fail(id, format!("notes on a well-formed question: {notes:?}"));
        }
        let want = &c["expect"];
        match analysis::can(&org, c["principal"].as_str().unwrap(), &ask(&c)) {
            Err(e) => fail(id, format!("error: {e}")),
            Ok(a) => {
                let layer = a.explanation.blocked_by.map(|l| l.name().to_string());
                let level = a
                    .explanation
                    .blocked_by
                    .and_then(|l| l.level())
                    .map(|l| l as u64);
                let ok = want["decision"].as_str() == Some(&a.decision.to_string())
                    && want
                        .get("blockedBy")
                        .is_none_or(|b| b.as_str() == layer.as_deref())
                    && want.get("level").is_none_or(|l| l.as_u64() == level)
                    && want.get("note").is_none_or(|n| {
                        let x = &a.explanation;
                        x.layers
                            .iter()
                            .filter_map(|l| l.note.as_deref())
                            .chain(x.notes.iter().map(String::as_str))
                            .any(|note| Some(note) == n.as_str())
                    })
                    && want
                        .get("summary")
                        .is_none_or(|t| t.as_str().is_some_and(|t| a.summary == t))
                    && want
                        .get("skipped")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .all(|k| {
                            a.explanation
                                .layers
                                .iter()
                                .flat_map(|l| &l.skipped)
                                .any(|m| {
                                    Some(m.statement.statement.as_str()) == k["statement"].as_str()
                                        && k["why"].as_str().is_some_and(|w| m.why.contains(w))
                                })
                        });
                if !ok {
                    fail(
                        id,
                        format!("expected {want}, got {} {layer:?} {level:?}", a.decision),
                    );
                }
            }
        }
    }

    for c in cases("whoCan") {
        counts[1] += 1;
        let id = c["id"].as_str().unwrap_or("?");
        let want = &c["expect"];
        let a = match analysis::who_can(&org, &ask(&c)) {
            Ok(a) => a,
            Err(e) => {
                fail(id, format!("error: {e}"));
                continue;
            }
        };
        let got: BTreeSet<String> = a.allowed.iter().map(|h| h.principal.clone()).collect();
        if got != strings(&want["allowed"]) {
            fail(
                id,
                format!(
                    "allowed: expected {:?}, got {got:?}",
                    strings(&want["allowed"])
                ),
            );
        }
        if let Some(w) = want.get("conditional") {
            let got: BTreeSet<String> = a.conditional.iter().map(|h| h.principal.clone()).collect();
            if got != strings(w) {
                fail(
                    id,
                    format!("conditional: expected {:?}, got {got:?}", strings(w)),
                );
            }
        }
        if let Some(w) = want.get("rootUsers") {
            let got: BTreeSet<String> = a.root_users.iter().map(|h| h.principal.clone()).collect();
            if got != strings(w) {
                fail(
                    id,
                    format!("rootUsers: expected {:?}, got {got:?}", strings(w)),
                );
            }
        }
        if let Some(w) = want.get("nearMisses") {
            let got: BTreeSet<String> = a.near_misses.iter().map(|h| h.principal.clone()).collect();
            if got != strings(w) {
                fail(
                    id,
                    format!("nearMisses: expected {:?}, got {got:?}", strings(w)),
                );
            }
        }
        for o in want
            .get("outside")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let found = a.outside.iter().any(|x| {
                Some(x.kind) == o["kind"].as_str()
                    && Some(x.who.as_str()) == o["who"].as_str()
                    && o.get("resourceSide").is_none_or(|d| {
                        d.as_str() == x.resource_side.map(|r| r.to_string()).as_deref()
                    })
                    && o.get("blockedBy")
                        .is_none_or(|b| b.as_str() == x.blocked_by.map(|l| l.name()))
            });
            if !found {
                fail(id, format!("outside: {o} not listed"));
            }
        }
    }

    for c in cases("whatCan") {
        counts[2] += 1;
        let id = c["id"].as_str().unwrap_or("?");
        let want = &c["expect"];
        let filter = analysis::Filter {
            service: c.get("service").and_then(Value::as_str).map(str::to_string),
            level: c
                .get("level")
                .and_then(Value::as_str)
                .map(|l| l.parse().unwrap()),
        };
        let a = match analysis::what_can(
            &org,
            c["principal"].as_str().unwrap(),
            &filter,
            &context(&c),
        ) {
            Ok(a) => a,
            Err(e) => {
                fail(id, format!("error: {e}"));
                continue;
            }
        };
        let got: BTreeSet<String> = a
            .grants
            .iter()
            .map(|g| g.action.to_ascii_lowercase())
            .collect();
        for action in strings(&want["includes"]) {
            if !got.contains(&action.to_ascii_lowercase()) {
                fail(id, format!("{action} should be allowed"));
            }
        }
        for action in strings(&want["excludes"]) {
            if got.contains(&action.to_ascii_lowercase()) {
                fail(id, format!("{action} should not be allowed"));
            }
        }
        for (action, rules) in want
            .get("except")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let got: BTreeSet<String> = a
                .grants
                .iter()
                .filter(|g| g.action.eq_ignore_ascii_case(action))
                .flat_map(|g| g.except.iter().map(|r| r.name().to_string()))
                .collect();
            if got != strings(rules) {
                fail(
                    id,
                    format!(
                        "{action} except: expected {:?}, got {got:?}",
                        strings(rules)
                    ),
                );
            }
        }
        if let Some(levels) = want.get("levels").and_then(Value::as_object) {
            for (service, per_level) in levels {
                for (level, n) in per_level.as_object().unwrap() {
                    let got = a
                        .summary
                        .get(service)
                        .and_then(|l| l.get(level))
                        .copied()
                        .unwrap_or(0);
                    if Some(got as u64) != n.as_u64() {
                        fail(id, format!("{service} {level}: expected {n}, got {got}"));
                    }
                }
            }
        }
    }

    for c in cases("paths") {
        counts[3] += 1;
        let id = c["id"].as_str().unwrap_or("?");
        let want = &c["expect"];
        let a = match analysis::paths(
            &org,
            c["from"].as_str().unwrap(),
            c.get("to").and_then(Value::as_str),
            &context(&c),
        ) {
            Ok(a) => a,
            Err(e) => {
                fail(id, format!("error: {e}"));
                continue;
            }
        };
        if let Some(w) = want.get("reachable") {
            let got: BTreeSet<String> = a.reachable.iter().map(|r| r.role.to_string()).collect();
            if got != strings(w) {
                fail(
                    id,
                    format!("reachable: expected {:?}, got {got:?}", strings(w)),
                );
            }
        }
        if let Some(w) = want.get("path") {
            let want_path: Vec<String> = w.as_array().unwrap().iter().map(scalar).collect();
            let got: Option<Vec<String>> =
                a.to.as_ref()
                    .map(|r| r.path.iter().map(|x| x.to_string()).collect());
            if got.as_ref() != Some(&want_path) {
                fail(id, format!("path: expected {want_path:?}, got {got:?}"));
            }
        }
        if want.get("unreachable").and_then(Value::as_bool) == Some(true) && a.to.is_some() {
            fail(id, "should be unreachable".to_string());
        }
        if let Some(w) = want.get("nearestAdmin") {
            let got = a.nearest_admin.as_ref().map(|r| r.role.to_string());
            if got.as_deref() != w.as_str() {
                fail(id, format!("nearestAdmin: expected {w}, got {got:?}"));
            }
        }
    }
}

#[test]
fn questions_over_the_sample_orgs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/analysis");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let mut failures = Vec::new();
    let mut counts = [0usize; 4];
    for p in &paths {
        check_file(p, &mut failures, &mut counts);
    }
    assert!(
        counts[0] >= 40 && counts[1] >= 15 && counts[2] >= 10 && counts[3] >= 10,
        "the suite needs 40 can, 15 who-can, 10 what-can and 10 paths cases; found {counts:?}"
    );
    assert!(
        failures.is_empty(),
        "{} cases disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
