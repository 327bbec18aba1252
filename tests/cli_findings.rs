//! `orgscope findings` as CI uses it: `--fail-on` gates the exit status, a baseline
//! of the ids it printed silences them, SARIF is one JSON document.

use std::process::{Command, Output};

fn orgscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orgscope"))
        .args(args)
        .output()
        .unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn fail_on_gates_and_a_baseline_silences() {
    // acme's public website bucket is a critical finding.
    let out = orgscope(&["findings", "acme", "--fail-on", "critical"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("external.public"));
    let out = orgscope(&["findings", "acme"]);
    assert_eq!(out.status.code(), Some(0), "no --fail-on: always 0");

    // The JSON printed is a baseline: with it, nothing remains and nothing fails.
    let out = orgscope(&["findings", "acme", "--format", "json"]);
    let v = json(&out);
    let n = v["findings"].as_array().unwrap().len();
    assert!(n > 0);
    assert!(v["notes"].is_array());
    let dir = std::env::temp_dir().join(format!("orgscope-baseline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let base = dir.join("baseline.json");
    std::fs::write(&base, &out.stdout).unwrap();
    let out = orgscope(&[
        "findings",
        "acme",
        "--format",
        "json",
        "--fail-on",
        "low",
        "--baseline",
        base.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["findings"].as_array().unwrap().len(), 0);
    assert_eq!(v["suppressed"].as_u64(), Some(n as u64));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn scope_and_severity_narrow_and_bad_values_are_refused() {
    let all = json(&orgscope(&["findings", "acme", "--format", "json"]));
    let prod = json(&orgscope(&[
        "findings", "acme", "--format", "json", "--scope", "Prod",
    ]));
    let prod = prod["findings"].as_array().unwrap();
    assert!(!prod.is_empty() && prod.len() < all["findings"].as_array().unwrap().len());
    assert!(prod.iter().all(|f| {
        ["666666666666", "555555555555"].contains(&f["account"].as_str().unwrap_or(""))
    }));
    let out = orgscope(&["findings", "acme", "--min-severity", "severe"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("expected low, medium, high or critical")
    );
    let out = orgscope(&["findings", "acme", "--scope", "Nowhere"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no OU or account `Nowhere`"));
}

#[test]
fn sarif_is_one_document() {
    let v = json(&orgscope(&["findings", "acme", "--format", "sarif"]));
    assert_eq!(v["version"], "2.1.0");
    assert!(!v["runs"][0]["results"].as_array().unwrap().is_empty());
}

#[test]
fn a_bad_baseline_is_refused_with_its_file() {
    let dir = std::env::temp_dir().join(format!("orgscope-bad-baseline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let base = dir.join("baseline.json");
    std::fs::write(&base, r#"{"findings": 3}"#).unwrap();
    let out = orgscope(&["findings", "acme", "--baseline", base.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "baseline.json: expected the JSON of `orgscope findings --format json` or one id a line"
        ),
        "{err}"
    );
    let missing = dir.join("missing.json");
    let out = orgscope(&["findings", "acme", "--baseline", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot read the baseline") && err.contains("missing.json"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `--scenario` shows the findings of the changed org: a fix of acme's public website
/// bucket (its PublicRead statement kept inside the organization with
/// aws:PrincipalOrgID) removes that finding, and only that one.
#[test]
fn a_scenario_that_fixes_a_finding_removes_it_and_keeps_the_others() {
    let fix = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/scenarios/close-public-website.json"
    );
    let ids = |v: &serde_json::Value, key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_string())
            .collect()
    };
    let before = ids(
        &json(&orgscope(&["findings", "acme", "--format", "json"])),
        "findings",
    );
    let public = "external.public:arn:aws:s3:::acme-public-website:bucket policy:PublicRead";
    assert!(before.iter().any(|id| id == public), "{before:?}");
    let out = orgscope(&[
        "findings",
        "acme",
        "--format",
        "json",
        "--scenario",
        fix,
        "--fail-on",
        "critical",
    ]);
    let after = ids(&json(&out), "findings");
    assert!(!after.iter().any(|id| id == public), "{after:?}");
    let mut expected = before.clone();
    expected.retain(|id| id != public);
    assert_eq!(after, expected, "every other finding stays");
    // ci-legacy's self escalation is still critical: the gate still fails.
    assert_eq!(out.status.code(), Some(1));

    // --compare names what the scenario removes, and adds nothing: the gate passes.
    let out = orgscope(&[
        "findings",
        "acme",
        "--format",
        "json",
        "--scenario",
        fix,
        "--compare",
        "--fail-on",
        "low",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(ids(&v, "removed"), [public]);
    assert!(ids(&v, "added").is_empty() && ids(&v, "changed").is_empty());
    assert_eq!(v["unchanged"].as_u64(), Some(expected.len() as u64));
    let out = orgscope(&["findings", "acme", "--scenario", fix, "--compare"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("close-public-website.json: removes 1 finding, adds 0 findings")
            && text.contains("removed:")
            && text.contains("statement PublicRead"),
        "{text}"
    );
    // SARIF says it with baselineState: the removed result is `absent`.
    let v = json(&orgscope(&[
        "findings",
        "acme",
        "--format",
        "sarif",
        "--scenario",
        fix,
        "--compare",
    ]));
    let results = v["runs"][0]["results"].as_array().unwrap();
    let absent: Vec<&serde_json::Value> = results
        .iter()
        .filter(|r| r["baselineState"] == "absent")
        .collect();
    assert_eq!(absent.len(), 1);
    assert_eq!(absent[0]["partialFingerprints"]["orgscope/v1"], public);
    assert!(
        results
            .iter()
            .filter(|r| r["baselineState"] != "absent")
            .all(|r| r["baselineState"] == "unchanged")
    );
}

/// A scenario that opens a bucket to everyone adds a critical finding: with
/// `--compare`, `--fail-on` gates on what it adds.
#[test]
fn a_scenario_that_adds_a_finding_fails_the_compare_gate() {
    let open = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/scenarios/public-data-lake.json"
    );
    let out = orgscope(&[
        "findings",
        "acme",
        "--format",
        "json",
        "--scenario",
        open,
        "--compare",
        "--fail-on",
        "critical",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let added = v["added"].as_array().unwrap();
    assert_eq!(added.len(), 1, "{added:?}");
    assert_eq!(added[0]["rule"], "external.public");
    assert_eq!(added[0]["node"], "arn:aws:s3:::acme-data-dev-lake");
    assert!(v["removed"].as_array().unwrap().is_empty());
    // A scenario that does not apply is refused with its file; --compare needs one.
    let out = orgscope(&["findings", "acme", "--compare"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--scenario <FILE>"));
    let missing = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/scenarios/nope.json"
    );
    let out = orgscope(&["findings", "acme", "--scenario", missing]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope.json"));
}

/// `--now` sets the time credential ages are counted to: before any key was made, no
/// key is old; long after, the same keys are. A time that does not parse is a usage
/// error that says what it expects.
#[test]
fn now_sets_the_time_credential_ages_count_to() {
    let old_keys = |now: &str| {
        let out = json(&orgscope(&[
            "findings", "acme", "--format", "json", "--now", now,
        ]));
        out["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "identity.old-access-key")
            .count()
    };
    assert_eq!(old_keys("2000-01-01T00:00:00Z"), 0);
    assert!(old_keys("2100-01-01T00:00:00Z") > 0);
    let out = orgscope(&["findings", "acme", "--now", "yesterday"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("expected RFC 3339"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A finding about a whole policy (no statement) names the policy in the table, as
/// the JSON's `policy` does.
#[test]
fn the_table_names_the_policy_of_a_finding_without_a_statement() {
    let dir = std::env::temp_dir().join(format!("orgscope-unattached-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scenario = dir.join("unattached.json");
    std::fs::write(
        &scenario,
        r#"{"changes": [{"op": "create_scp", "name": "Parked", "document": {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ec2:*", "Resource": "*"}]}}]}"#,
    )
    .unwrap();
    let scenario = scenario.to_str().unwrap();
    let table = orgscope(&["findings", "acme", "--scenario", scenario]);
    let table = String::from_utf8_lossy(&table.stdout);
    let json = json(&orgscope(&[
        "findings",
        "acme",
        "--scenario",
        scenario,
        "--format",
        "json",
    ]));
    let f = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "org.policy-unattached" && f["nodeName"] == "Parked")
        .expect("the parked SCP is reported");
    assert!(f["statement"].is_null());
    let policy = f["policy"].as_str().expect("the finding names its policy");
    let block = table
        .split("\n\n")
        .find(|b| b.contains("org.policy-unattached") && b.contains("Parked"))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(block.contains(&format!("in {policy}\n")), "{block}");
    std::fs::remove_dir_all(&dir).unwrap();
}
