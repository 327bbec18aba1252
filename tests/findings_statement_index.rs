//! A finding names its statement by position too: two statements of one policy may
//! share a Sid (the IAM User Guide asks Sids to be unique, "IAM JSON policy elements:
//! Sid", but not every service enforces it, and SCPs are plain text). Each statement's
//! finding keeps its own place, its own id and its own baseline entry; the first keeps
//! the id it had before (baselines list it).

use std::process::Command;

use orgscope::findings::{self, Finding, Options};
use orgscope::org::load_str;
use serde_json::{Value, json};

fn opts() -> Options {
    Options {
        now: Some("2026-12-01T00:00:00Z".parse().unwrap()),
        ..Options::default()
    }
}

/// acme with an SCP whose two statements share the Sid `Twice` and the same typo.
fn org_text() -> String {
    let mut v: Value = serde_json::from_str(include_str!("../sample-orgs/acme.json")).unwrap();
    v["scps"]["Twice"] = json!({"document": {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Twice", "Effect": "Deny", "Action": "s3:GetObjct", "Resource": "*"},
            {"Sid": "Twice", "Effect": "Deny", "Action": "s3:GetObjct", "Resource": "arn:aws:s3:::x/*"}
        ]
    }});
    v["root"]["scps"]
        .as_array_mut()
        .unwrap()
        .push(json!("Twice"));
    serde_json::to_string_pretty(&v).unwrap()
}

/// The typo findings of `Twice`, in statement order.
fn typos(all: &[Finding]) -> Vec<&Finding> {
    let mut out: Vec<&Finding> = all
        .iter()
        .filter(|f| f.rule == "policy.unknown-action" && f.policy.as_deref() == Some("Twice"))
        .collect();
    out.sort_by_key(|f| f.statement_index);
    out
}

#[test]
fn two_statements_sharing_a_sid_give_two_findings_with_their_own_places() {
    let text = org_text();
    let (org, report) = load_str("twice.json", &text);
    let org = org.unwrap_or_else(|| panic!("{report}"));
    let all = findings::findings(&org, &opts());
    let found = typos(&all);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(
        (found[0].statement_index, found[1].statement_index),
        (Some(0), Some(1))
    );
    assert_ne!(found[0].id, found[1].id);
    assert!(
        !found[0].id.contains('#'),
        "the first keeps its id: {}",
        found[0].id
    );
    assert!(
        found[1].id.ends_with("Twice#1:s3:GetObjct"),
        "{}",
        found[1].id
    );
    // Each at its own statement: the `{` that opens the object holding each Sid.
    let sid = |from: usize| from + text[from..].find(r#""Sid": "Twice""#).unwrap();
    let opening = |at: usize| text[..at].rfind('{').unwrap();
    let first = opening(sid(0));
    let second = opening(sid(sid(0) + 1));
    let line = |at: usize| text[..at].matches('\n').count() + 1;
    let places: Vec<(usize, &str)> = found
        .iter()
        .map(|f| {
            let l = f.location.as_ref().expect("located");
            (l.line, l.json_path.as_str())
        })
        .collect();
    assert_eq!(places[0].0, line(first), "{places:?}");
    assert_eq!(places[1].0, line(second), "{places:?}");
    assert!(places[1].1.ends_with(".Statement[1]"), "{places:?}");
    assert_eq!(found[1].statement_index(&org), Some(1));
}

#[test]
fn a_baseline_listing_the_first_suppresses_only_the_first() {
    let dir = std::env::temp_dir().join(format!("orgscope-sidx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let org = dir.join("twice.json");
    std::fs::write(&org, org_text()).unwrap();
    let run = |extra: &[&str]| -> Value {
        let out = Command::new(env!("CARGO_BIN_EXE_orgscope"))
            .args(["findings", org.to_str().unwrap(), "--format", "json"])
            .args(["--now", "2026-12-01T00:00:00Z"])
            .args(extra)
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
    };
    let all = run(&[]);
    let mut twice: Vec<&Value> = all["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "policy.unknown-action" && f["policy"] == "Twice")
        .collect();
    twice.sort_by_key(|f| f["statementIndex"].as_u64());
    assert_eq!(twice.len(), 2);
    let baseline = dir.join("baseline.txt");
    std::fs::write(&baseline, format!("{}\n", twice[0]["id"].as_str().unwrap())).unwrap();
    let after = run(&["--baseline", baseline.to_str().unwrap()]);
    assert_eq!(after["suppressed"], 1);
    let left: Vec<&Value> = after["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "policy.unknown-action" && f["policy"] == "Twice")
        .collect();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["id"], twice[1]["id"]);
    assert_eq!(left[0]["statementIndex"], 1);
    std::fs::remove_dir_all(&dir).ok();
}

#[path = "common/acme.rs"]
mod acme;

/// External access through two statements of one bucket policy that share a Sid: one
/// finding for each, each with its statement's place and its own id.
#[test]
fn two_public_statements_sharing_a_sid_give_two_external_findings() {
    let org = acme::acme_with("lake-two-public-statements-one-sid.json");
    let mut public: Vec<Finding> = findings::findings(&org, &opts())
        .into_iter()
        .filter(|f| f.rule == "external.public" && f.node == "arn:aws:s3:::acme-data-dev-lake")
        .collect();
    public.sort_by_key(|f| f.statement_index);
    assert_eq!(public.len(), 2, "{public:#?}");
    assert_eq!(
        (public[0].statement_index, public[1].statement_index),
        (Some(0), Some(1))
    );
    assert_ne!(public[0].id, public[1].id);
    assert!(
        public[0]
            .message
            .ends_with("on objects arn:aws:s3:::acme-data-dev-lake/a/*")
    );
    assert!(
        public[1]
            .message
            .ends_with("on objects arn:aws:s3:::acme-data-dev-lake/b/*")
    );
}
