//! `load_partial` over every broken fixture: an org or a refusal, never a panic, and
//! every question still answers on what loaded.

use std::path::{Path, PathBuf};

use super::*;

fn fixtures(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/org")
        .join(dir);
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

#[test]
fn every_broken_input_opens_or_is_refused_with_its_errors() {
    let mut opened = 0;
    for path in fixtures("broken")
        .into_iter()
        .chain(fixtures("broken-dirs"))
    {
        let strict = load_with_report(&path).unwrap();
        match load_partial(&path) {
            Ok((org, report)) => {
                assert_eq!(report, strict.1, "{}: the same findings", path.display());
                assert!(!org.accounts().is_empty(), "{}", path.display());
                // Questions answer on what loaded.
                for p in org.users().iter().map(|u| u.arn.to_string()).take(2) {
                    let ask = crate::analysis::Ask {
                        action: "s3:GetObject".into(),
                        resource: "arn:aws:s3:::b/k".into(),
                        ..Default::default()
                    };
                    crate::analysis::can(&org, &p, &ask).unwrap();
                }
                opened += 1;
            }
            Err(LoadError::Invalid(report)) => {
                assert!(report.has_errors(), "{}", path.display());
                assert_eq!(report, strict.1, "{}", path.display());
            }
            Err(e) => panic!("{}: {e}", path.display()),
        }
    }
    assert!(opened >= 30, "{opened}");
}

#[test]
fn a_document_that_does_not_parse_keeps_its_text_and_allows_nothing() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/org/broken/policy-bad-effect-in-scp.json");
    assert!(load(&path).is_err(), "the strict load still refuses it");
    let (org, report) = load_partial(&path).unwrap();
    assert!(report.has_errors());
    let broken: Vec<&Doc> = org
        .docs()
        .iter()
        .filter(|d| d.unreadable.is_some())
        .collect();
    assert_eq!(broken.len(), 1);
    assert!(broken[0].text.contains("Block"));
    assert!(broken[0].policy.statements().is_empty());
    assert!(broken[0].unreadable.as_deref().unwrap().contains("Effect"));
}
