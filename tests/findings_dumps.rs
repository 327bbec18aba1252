//! The findings of the real dumps the repository holds (an IAM export that
//! Cloudsplaining publishes as demo data, and the organization assembled from the AWS
//! CLI's documented examples), snapshotted so that a change to any rule shows up as a
//! reviewed diff: one line per finding, its severity, rule, node and statement.

use orgscope::findings::{self, Options};

fn lines(dir: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let org = orgscope::org::load(&path).unwrap_or_else(|e| panic!("{dir}: {e}"));
    let options = Options {
        // Credential ages are counted to a fixed day, not to the day the test runs.
        now: Some("2026-12-01T00:00:00Z".parse().unwrap()),
        ..Options::default()
    };
    let all = findings::findings(&org, &options);
    let mut out: Vec<String> = all
        .iter()
        .map(|f| {
            format!(
                "{:?} {} {} {}",
                f.severity,
                f.rule,
                f.node,
                f.statement.as_deref().unwrap_or("-")
            )
        })
        .collect();
    out.sort();
    // Every finding has its stable id, once.
    let mut ids: Vec<&str> = all.iter().map(|f| f.id.as_str()).collect();
    ids.sort_unstable();
    let n = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), n, "{dir}: duplicate finding ids");
    out.join("\n")
}

#[test]
fn cloudsplaining_export() {
    insta::assert_snapshot!(lines("sample-orgs/cloudsplaining-export"));
}

#[test]
fn awscli_examples_export() {
    insta::assert_snapshot!(lines("tests/fixtures/awscli-export"));
}
