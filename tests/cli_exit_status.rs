//! The exit statuses, one test per row of the README's table ("Exit statuses"): every
//! command named in a row is run as a script would run it.

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

fn orgscope(args: &[&str]) -> Output {
    orgscope_with_input(args, "")
}

fn orgscope_with_input(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_orgscope"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[track_caller]
fn assert_status(args: &[&str], stdin: &str, status: i32) {
    let out = orgscope_with_input(args, stdin);
    assert_eq!(
        out.status.code(),
        Some(status),
        "orgscope {}\nstderr: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A simulate case: alice may do `s3:*`; `action` is what she asks.
fn case(id: &str, action: &str) -> String {
    format!(
        r#"{{"id": "{id}", "request": {{"principal": "arn:aws:iam::111122223333:user/alice", "action": "{action}", "resource": "arn:aws:s3:::reports/q1.csv"}}, "identityPolicies": [{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}]}}]}}"#
    )
}

const TLS: [&str; 2] = ["-c", "aws:SecureTransport=true"];

#[test]
fn status_0_the_answer_is_yes_or_the_work_is_done() {
    let can = [
        "can",
        "acme",
        "-p",
        "dana",
        "-a",
        "sts:AssumeRole",
        "-r",
        "arn:aws:iam::222222222222:role/SecurityAuditor",
    ];
    assert_status(&can, "", 0);
    // Answered, whoever the answer names (nobody included).
    let nobody = [
        "-a",
        "iam:CreateUser",
        "-r",
        "arn:aws:iam::999999999999:user/x",
    ];
    assert_status(&[&["who-can", "acme"][..], &nobody].concat(), "", 0);
    assert_status(&["what-can", "acme", "-p", "dana"], "", 0);
    assert_status(&["paths", "acme", "--from", "dana"], "", 0);
    assert_status(&["paths", "acme", "--to", "SecurityAuditor"], "", 0);
    assert_status(&["validate", "acme"], "", 0);
    assert_status(&["validate", "sample-orgs/cloudsplaining-export"], "", 0);
    assert_status(&["export", "acme", "-o", "-"], "", 0);
    assert_status(&["generate", "--accounts", "4"], "", 0);
    assert_status(&["simulate", "-"], &case("a", "s3:GetObject"), 0);
    assert_status(
        &["simulate", "--repeat", "3", "-"],
        &case("a", "s3:GetObject"),
        0,
    );
    assert_status(&["--help"], "", 0);
    assert_status(&["can", "--help"], "", 0);
    assert_status(&["--version"], "", 0);
    // check: every expectation of acme's guardrails holds.
    let guardrails = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/scenarios/acme-guardrails.txt"
    );
    assert_status(&["check", "acme", "--expect", guardrails], "", 0);
}

#[test]
fn status_1_an_error_or_an_org_with_errors() {
    let ask = ["-a", "s3:GetObject", "-r", "*"];
    // The input cannot be read.
    assert_status(
        &[&["who-can", "/nonexistent/org.json"][..], &ask].concat(),
        "",
        1,
    );
    assert_status(&["simulate", "/nonexistent/cases.json"], "", 1);
    assert_status(&["simulate", "-"], "{ not json", 1);
    // The question cannot be asked: what it names is not there, or not one thing.
    assert_status(
        &[&["can", "acme", "-p", "nobody"][..], &ask].concat(),
        "",
        1,
    );
    assert_status(&["who-can", "acme", "-a", "s3:Get*", "-r", "*"], "", 1);
    assert_status(&["who-can", "acme", "-a", "GetObject", "-r", "*"], "", 1);
    let elsewhere = ["-r", "arn:aws:s3:::b/x", "--resource-account", "nowhere"];
    assert_status(
        &[&["who-can", "acme", "-a", "s3:GetObject"][..], &elsewhere].concat(),
        "",
        1,
    );
    assert_status(&["paths", "acme", "--to", "NoSuchRole"], "", 1);
    assert_status(
        &["what-can", "acme", "-p", "dana", "--service", "s4"],
        "",
        1,
    );
    // --strict: an action the catalog does not know.
    let typo = ["-a", "s3:GetObjct", "-r", "*", "--strict"];
    assert_status(&[&["can", "acme", "-p", "dana"][..], &typo].concat(), "", 1);
    // The org has errors.
    assert_status(
        &[
            "validate",
            "tests/fixtures/org/broken/account-in-two-ous.json",
        ],
        "",
        1,
    );
    assert_status(
        &["validate", "--format", "json", "/nonexistent/org.json"],
        "",
        1,
    );
    // The output cannot be written.
    assert_status(&["export", "acme", "-o", "/dev/null"], "", 1);
    assert_status(
        &["generate", "--accounts", "4", "-o", "/nonexistent/x"],
        "",
        1,
    );
}

#[test]
fn status_2_a_usage_error_or_a_simulate_case_in_error() {
    // The command line itself: clap's usage errors.
    assert_status(&["can", "acme", "-p", "dana"], "", 2);
    assert_status(&["can", "acme", "--frobnicate"], "", 2);
    assert_status(&["generate", "--accounts", "many"], "", 2);
    assert_status(
        &["who-can", "acme", "-a", "x", "-r", "*", "--format", "xml"],
        "",
        2,
    );
    // simulate: some case is an `error` line, with or without --repeat.
    let input = format!(
        "[{}, {}]",
        case("a", "s3:GetObject"),
        case("b", "GetObject")
    );
    assert_status(&["simulate", "-"], &input, 2);
    assert_status(&["simulate", "--format", "json", "-"], &input, 2);
    assert_status(&["simulate", "--repeat", "3", "-"], &input, 2);
    // --strict: a case whose action the catalog does not know.
    let typo = case("t", "s3:GetObjct");
    assert_status(&["simulate", "-"], &typo, 0);
    assert_status(&["simulate", "--strict", "-"], &typo, 2);
    assert_status(&["simulate", "--strict", "--repeat", "3", "-"], &typo, 2);
}

#[test]
fn status_3_implicitly_denied_or_unreachable() {
    // Nothing grants dana iam:CreateUser (IAM User Guide, "Policy evaluation logic":
    // no Allow is an implicit deny).
    let can = [
        "can",
        "acme",
        "-p",
        "dana",
        "-a",
        "iam:CreateUser",
        "-r",
        "arn:aws:iam::222222222222:user/x",
    ];
    assert_status(&can, "", 3);
    // A misspelt action is still answered: nothing grants it.
    let typo = ["can", "acme", "-p", "dana", "-a", "s3:GetObjct", "-r", "*"];
    assert_status(&[&typo[..], &TLS].concat(), "", 3);
    // paths: the target is not reached, from the principal or (alone) by anyone.
    assert_status(
        &[
            "paths",
            "acme",
            "--from",
            "dana",
            "--to",
            "OrgSecurityAdmin",
        ],
        "",
        3,
    );
    assert_status(&["paths", "acme", "--to", "OrgSecurityAdmin"], "", 3);
    // what-if: someone gains or loses access (frank joins an admin group).
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/scenarios/frank-joins-admins.json"
    );
    assert_status(&["what-if", "acme", "--scenario", scenario], "", 3);
    assert_status(
        &[
            "paths",
            "acme",
            "--to",
            "OrgSecurityAdmin",
            "--format",
            "json",
        ],
        "",
        3,
    );
}

#[test]
fn status_4_explicitly_denied() {
    // acme's root RCP denies S3 requests without TLS (Organizations User Guide,
    // "Resource control policies"): an explicit Deny.
    let can = [
        "can",
        "acme",
        "-p",
        "dana",
        "-a",
        "s3:GetObject",
        "-r",
        "arn:aws:s3:::acme-public-website/index.html",
        "-c",
        "aws:SecureTransport=false",
    ];
    assert_status(&can, "", 4);
    let mut json = can.to_vec();
    json.extend(["--format", "json"]);
    let out = orgscope(&json);
    assert_eq!(out.status.code(), Some(4));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["decision"], "ExplicitlyDenied");
}
