//! `orgscope validate`: a corpus of broken inputs, each with the findings it must
//! produce (message and location), and mutated inputs that must never panic.

use std::path::{Path, PathBuf};

use orgscope::org::{self, Severity, validate};
use proptest::prelude::*;
use serde::Deserialize;

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Expected {
    file: String,
    severity: String,
    line: usize,
    column: usize,
    path: String,
    message: String,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/org/broken")
}

fn expected() -> Vec<Expected> {
    let text =
        std::fs::read_to_string(corpus_dir().with_file_name("broken-expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// What validate says about one file, in the corpus's terms.
fn findings(name: &str) -> Vec<Expected> {
    let path = corpus_dir().join(name);
    validate::validate(&path)
        .findings
        .into_iter()
        .map(|f| Expected {
            file: f.file.file_name().unwrap().to_string_lossy().into_owned(),
            severity: f.severity.to_string(),
            line: f.line,
            column: f.column,
            path: f.json_path,
            message: f.message,
        })
        .collect()
}

#[test]
fn every_broken_input_reports_its_message_and_location() {
    let expected = expected();
    let mut files: Vec<String> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut failures = Vec::new();
    for file in &files {
        let want: Vec<&Expected> = expected.iter().filter(|e| &e.file == file).collect();
        assert!(
            !want.is_empty(),
            "{file} has no expected findings in broken-expected.json"
        );
        let got = findings(file);
        if got.iter().collect::<Vec<_>>() != want {
            failures.push(format!("{file}:\n  want {want:#?}\n  got  {got:#?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let broken = files
        .iter()
        .filter(|f| {
            expected
                .iter()
                .any(|e| &e.file == *f && e.severity == "error")
        })
        .count();
    assert!(broken >= 30, "only {broken} inputs with errors");
    for e in &expected {
        assert!(
            files.contains(&e.file),
            "{} is expected but missing",
            e.file
        );
    }
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct ExpectedInDir {
    case: String,
    file: String,
    severity: String,
    line: usize,
    column: usize,
    path: String,
    message: String,
}

/// Broken export directories: each case is a directory, its findings name files in it.
#[test]
fn every_broken_export_directory_reports_its_message_and_location() {
    let dirs = corpus_dir().with_file_name("broken-dirs");
    let text = std::fs::read_to_string(dirs.with_file_name("broken-dirs-expected.json")).unwrap();
    let expected: Vec<ExpectedInDir> = serde_json::from_str(&text).unwrap();
    let mut cases: Vec<String> = std::fs::read_dir(&dirs)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    assert!(cases.len() >= 8);
    for case in &cases {
        let root = dirs.join(case);
        let got: Vec<ExpectedInDir> = validate::validate(&root)
            .findings
            .into_iter()
            .map(|f| ExpectedInDir {
                case: case.clone(),
                file: f
                    .file
                    .strip_prefix(&root)
                    .unwrap_or(&f.file)
                    .to_string_lossy()
                    .into_owned(),
                severity: f.severity.to_string(),
                line: f.line,
                column: f.column,
                path: f.json_path,
                message: f.message,
            })
            .collect();
        let want: Vec<&ExpectedInDir> = expected.iter().filter(|e| &e.case == case).collect();
        assert!(!want.is_empty(), "{case} has no expected findings");
        assert_eq!(got.iter().collect::<Vec<_>>(), want, "{case}");
    }
}

#[test]
fn warnings_alone_do_not_stop_a_load() {
    for name in [
        "quota-scps-per-target.json",
        "quota-managed-per-user.json",
        "quota-policy-size.json",
        "no-scp-on-ou.json",
        "authz-truncated.json",
    ] {
        let (loaded, report) = org::load_with_report(&corpus_dir().join(name)).unwrap();
        assert!(loaded.is_some(), "{name}: {report}");
        assert!(
            report
                .findings
                .iter()
                .all(|f| f.severity == Severity::Warning),
            "{name}: {report}"
        );
    }
}

#[test]
fn errors_stop_a_load_and_list_the_findings() {
    let err = org::load(&corpus_dir().join("dangling-group.json")).unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with("the organization has 1 error\n  "),
        "{text}"
    );
    assert!(
        text.contains("dangling-group.json:8:48: error: no group `Auditors`"),
        "{text}"
    );
}

#[test]
fn an_unreadable_path_is_one_finding() {
    let report = validate::validate(Path::new("/nonexistent/org.json"));
    assert_eq!(report.findings.len(), 1);
    assert!(
        report.findings[0]
            .message
            .starts_with("cannot read `/nonexistent/org.json`"),
        "{report}"
    );
    assert!(report.has_errors());
}

#[test]
fn the_report_prints_one_finding_per_line() {
    let report = validate::validate(&corpus_dir().join("dangling-scp.json"));
    let text = report.to_string();
    assert_eq!(text.lines().count(), 1);
    assert!(text.ends_with(": error: no SCP named `DenyLeavingOrg`; expected one defined under `scps` or `FullAWSAccess` (at root.scps[1])\n"), "{text}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Cutting a piece out of a valid file and splicing in junk never panics.
    #[test]
    fn mutated_inputs_never_panic(start in 0usize..org::ACME.len(), len in 0usize..200, junk in "[\\[\\]{}\",:a-z0-9 ]{0,8}") {
        let text = org::ACME;
        let start = (0..=start).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let end = (start + len).min(text.len());
        let end = (end..=text.len()).find(|&i| text.is_char_boundary(i)).unwrap_or(text.len());
        let mutated = format!("{}{}{}", &text[..start], junk, &text[end..]);
        let _ = validate::validate_str("mutated.json", &mutated);
    }

    /// The same for an authorization-details export, with its URL-encoded documents.
    #[test]
    fn mutated_exports_never_panic(start in 0usize..4000, len in 0usize..100, junk in "[\\[\\]{}\",:%A-Za-z0-9 ]{0,8}") {
        let text = std::fs::read_to_string(corpus_dir().with_file_name("import").join("authz-quirks.json")).unwrap();
        let start = start.min(text.len());
        let start = (0..=start).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let end = (start + len).min(text.len());
        let end = (end..=text.len()).find(|&i| text.is_char_boundary(i)).unwrap_or(text.len());
        let mutated = format!("{}{}{}", &text[..start], junk, &text[end..]);
        let _ = validate::validate_str("mutated-authz.json", &mutated);
    }

    /// Prefixes of a valid file (a download cut short) never panic.
    #[test]
    fn truncated_inputs_never_panic(cut in 0usize..org::ACME.trim_end().len()) {
        let text = org::ACME;
        let cut = (0..=cut).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let report = validate::validate_str("cut.json", &text[..cut]);
        prop_assert!(report.has_errors());
    }
}
