//! Real policies through the parser: every AWS managed policy, and AWS's published
//! SCP, RCP and VPC endpoint examples (tests/fixtures/policies, copied from upstream by
//! scripts/regen-assets.py). Two upstream files are broken on purpose; they must fail
//! with errors that say where.

use std::path::{Path, PathBuf};

use orgscope::catalog::Catalog;
use orgscope::policy::{Policy, PolicyKind};

const COMMENT_FILE: &str = "aws-samples-scp/Service-specific-controls__AWS-IAM__deny-service-specific-credential-by-type.json";
const NO_RESOURCE_FILE: &str =
    "aws-samples-rcp/Limit-access-to-trusted-OIDC-identity-providers__Shared-Issuers.json";

#[test]
fn every_managed_policy_parses() {
    let mut failures = Vec::new();
    let mut statements = 0;
    for p in Catalog::get().managed_policies() {
        match Policy::from_value(PolicyKind::Identity, &p.name, &p.document) {
            Ok(policy) => {
                assert!(!policy.statements().is_empty(), "{}", p.name);
                statements += policy.statements().len();
            }
            Err(e) => failures.push(format!("{}: {e}", p.name)),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(statements > 1_594, "{statements}");
}

struct Fixture {
    path: String,
    kind: PolicyKind,
    broken: bool,
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/policies")
}

fn fixtures() -> Vec<Fixture> {
    let text = std::fs::read_to_string(fixtures_dir().join("index.json")).unwrap();
    let index: serde_json::Value = serde_json::from_str(&text).unwrap();
    index["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| Fixture {
            path: f["path"].as_str().unwrap().to_string(),
            kind: match f["kind"].as_str().unwrap() {
                "scp" => PolicyKind::Scp,
                "rcp" => PolicyKind::Rcp,
                "endpoint" => PolicyKind::Endpoint,
                "identity" => PolicyKind::Identity,
                other => panic!("unknown kind {other}"),
            },
            broken: f["broken"].as_bool().unwrap(),
        })
        .collect()
}

fn read(f: &Fixture) -> String {
    std::fs::read_to_string(fixtures_dir().join(&f.path)).unwrap()
}

/// Upstream examples are templates: a few typed condition values are placeholders for
/// the reader to fill in, and one operator has a typo (`Stringlike`; IAM's operator
/// names are case-sensitive). The parser rightly rejects those values; each such file
/// must fail where the placeholder is and parse once it is filled in.
const FILL_INS: &[(&str, &str)] = &[
    ("<my-corporate-cidr>", "192.0.2.0/24"),
    ("[MAX_SIGNATURE_AGE_IN_MILLISECONDS]", "600000"),
    ("ForAnyValue:Stringlike", "ForAnyValue:StringLike"),
];

#[test]
fn every_fixture_parses_but_the_broken_two() {
    let all = fixtures();
    assert_eq!(all.len(), 127);
    let count = |k| all.iter().filter(|f| f.kind == k).count();
    assert_eq!(
        (
            count(PolicyKind::Scp),
            count(PolicyKind::Rcp),
            count(PolicyKind::Endpoint)
        ),
        (88, 29, 10)
    );
    let broken: Vec<&str> = all
        .iter()
        .filter(|f| f.broken)
        .map(|f| f.path.as_str())
        .collect();
    assert_eq!(broken, [NO_RESOURCE_FILE, COMMENT_FILE]);

    let mut failures = Vec::new();
    let mut filled = 0;
    for f in &all {
        let text = read(f);
        let result = Policy::parse(f.kind, &f.path, &text);
        match (result, f.broken) {
            (Ok(p), false) => assert!(!p.statements().is_empty(), "{}", f.path),
            (Err(e), false) => {
                // A template: the error must name the placeholder and where it is.
                let Some((placeholder, _)) = FILL_INS.iter().find(|(p, _)| text.contains(p)) else {
                    failures.push(format!("{}: {e}", f.path));
                    continue;
                };
                let shown = e.to_string();
                if !shown.contains(placeholder)
                    || e.position.is_none()
                    || !e.path.starts_with("Statement[")
                {
                    failures.push(format!("{}: unhelpful error: {shown}", f.path));
                }
                let text = FILL_INS
                    .iter()
                    .fold(text, |t, (from, to)| t.replace(from, to));
                match Policy::parse(f.kind, &f.path, &text) {
                    Ok(_) => filled += 1,
                    Err(e) => failures.push(format!("{} (filled in): {e}", f.path)),
                }
            }
            (Ok(_), true) => failures.push(format!("{}: parsed but is broken", f.path)),
            (Err(_), true) => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // 11 with `<my-corporate-cidr>`, one with the signature age, one with the typo.
    assert_eq!(filled, 13);
}

fn fixture(path: &str) -> Fixture {
    fixtures().into_iter().find(|f| f.path == path).unwrap()
}

#[test]
fn comment_in_json_names_line_and_column() {
    let f = fixture(COMMENT_FILE);
    let text = read(&f);
    // Where the `//` is, counted independently of the parser (1-based).
    let (line, col) = text
        .lines()
        .enumerate()
        .find_map(|(i, l)| l.find("//").map(|c| (i + 1, c + 1)))
        .unwrap();
    assert_eq!((line, col), (15, 13));
    let err = Policy::parse(f.kind, &f.path, &text).unwrap_err();
    assert_eq!(err.position, Some((line, col)), "{err}");
    let shown = err.to_string();
    assert!(shown.starts_with("line 15 column 13"), "{shown}");
}

#[test]
fn rcp_statement_without_resource_names_the_statement() {
    let f = fixture(NO_RESOURCE_FILE);
    let text = read(&f);
    let err = Policy::parse(f.kind, &f.path, &text).unwrap_err();
    let shown = err.to_string();
    // The 20th statement (index 19), the Allow for accounts.google.com.
    assert_eq!(err.path, "Statement[19]", "{shown}");
    assert!(shown.contains("Statement[19]"), "{shown}");
    assert!(shown.contains("`Resource`"), "{shown}");
    assert!(shown.contains("needs"), "{shown}");
    assert!(err.position.is_some(), "{shown}");
    // As another kind that does not require Resource, the same text is fine.
    Policy::parse(PolicyKind::Resource, &f.path, &text).unwrap();
}
