//! A policy with hundreds of misspelt actions: each is reported with the action it
//! most likely meant (IAM Access Analyzer policy validation, "Error – Invalid
//! action"), and the nearest spellings are found quickly enough for `findings` to
//! run on such a policy (the suggestions come from an index, not a scan per name).

use orgscope::catalog::Catalog;
use orgscope::findings::{self, Options};
use orgscope::org::load_str;
use serde_json::{Value, json};

/// `name` with two neighbouring, different letters swapped (one edit away), where
/// that names no action.
fn swapped(catalog: &Catalog, service: &str, name: &str) -> Option<String> {
    let mut c: Vec<char> = name.chars().collect();
    let at = (1..c.len().saturating_sub(1)).find(|&i| c[i] != c[i + 1])?;
    c.swap(at, at + 1);
    let wrong = format!("{service}:{}", c.iter().collect::<String>());
    catalog.action(&wrong).is_none().then_some(wrong)
}

#[test]
fn every_misspelt_action_of_a_large_policy_is_offered_its_right_spelling() {
    let catalog = Catalog::get();
    let mut meant: Vec<(String, String)> = Vec::new();
    for service in [
        "s3", "ec2", "iam", "dynamodb", "lambda", "kms", "sqs", "sns",
    ] {
        for a in catalog.service(service).unwrap().iter().take(25) {
            if let Some(wrong) = swapped(catalog, service, &a.name) {
                meant.push((wrong, a.full_name()));
            }
        }
    }
    assert!(meant.len() >= 190, "{}", meant.len());
    let mut v: Value = serde_json::from_str(include_str!("../sample-orgs/acme.json")).unwrap();
    let actions: Vec<&str> = meant.iter().map(|(w, _)| w.as_str()).collect();
    v["accounts"][4]["policies"]["Misspelt"] = json!({"document": {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "Typos", "Effect": "Deny", "Action": actions, "Resource": "*"}]}});
    let (org, report) = load_str("acme-misspelt.json", &v.to_string());
    let org = org.unwrap_or_else(|| panic!("{report}"));
    let opts = Options {
        now: Some("2026-12-01T00:00:00Z".parse().unwrap()),
        ..Options::default()
    };
    let unknown: Vec<String> = findings::findings(&org, &opts)
        .into_iter()
        .filter(|f| f.rule == "policy.unknown-action" && f.policy.as_deref() == Some("Misspelt"))
        .map(|f| f.message)
        .collect();
    assert_eq!(unknown.len(), meant.len(), "{unknown:#?}");
    for (wrong, right) in &meant {
        let m = unknown
            .iter()
            .find(|m| m.starts_with(&format!("`{wrong}` ")))
            .unwrap_or_else(|| panic!("{wrong} not reported"));
        let offered = m.split("did you mean ").nth(1).unwrap_or("");
        assert!(
            offered
                .trim_end_matches('?')
                .split(", ")
                .any(|a| a == right),
            "{wrong}: {m}"
        );
    }
}
