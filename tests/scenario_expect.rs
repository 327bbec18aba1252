//! Guardrail expectations: each form holds where the AWS rules say it holds and fails
//! where they say it fails, on acme and on acme as a scenario changes it.

use std::path::Path;

use orgscope::org::Org;
use orgscope::scenario::ScenarioFile;
use orgscope::scenario::expect::{Outcome, check, parse};

fn acme() -> Org {
    orgscope::org::load_builtin_acme()
}

fn run(org: &Org, text: &str) -> Vec<Outcome> {
    let e = parse("e.txt", text).unwrap_or_else(|e| panic!("{e}"));
    check(org, &e).unwrap_or_else(|e| panic!("{e}"))
}

fn holds(org: &Org, line: &str) -> bool {
    run(org, line)[0].holds
}

fn with(fixture: &str) -> Org {
    ScenarioFile::load(&Path::new("tests/fixtures/scenarios").join(fixture))
        .unwrap()
        .apply(&acme())
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn acme_guardrails_file_holds() {
    let text = std::fs::read_to_string("tests/fixtures/scenarios/acme-guardrails.txt").unwrap();
    let out = run(&acme(), &text);
    assert_eq!(out.len(), 4);
    assert!(out.iter().all(|o| o.holds), "{out:#?}");
    assert_eq!(out[3].line, 5, "lines are the file's, comments counted");
}

/// A user can do what an identity policy allows in its own account when no SCP
/// denies; adding frank to Admins makes "frank cannot" fail, naming frank and the
/// statement that lets him in.
#[test]
fn principal_forms() {
    let org = acme();
    let frank = "user frank cannot iam:CreateUser on arn:aws:iam::777777777777:user/grace";
    assert!(holds(&org, frank));
    let admin = with("frank-joins-admins.json");
    let out = run(&admin, frank);
    assert!(!out[0].holds);
    assert_eq!(out[0].breaking.len(), 1);
    let b = &out[0].breaking[0];
    assert_eq!(b.principal, "arn:aws:iam::777777777777:user/frank");
    assert_eq!(b.standing, "allowed");
    assert!(
        b.why.iter().any(|w| w.contains("AdministratorAccess")),
        "{b:#?}"
    );
    // `can` fails with the layer that refuses: heidi under the Dev deny SCP.
    let heidi = "heidi can iam:CreateUser on arn:aws:iam::777777777777:user/frank";
    assert!(holds(&org, heidi));
    let out = run(&with("deny-iam-users-in-dev.json"), heidi);
    assert!(!out[0].holds);
    assert_eq!(out[0].breaking[0].standing, "ExplicitlyDenied");
    assert!(
        out[0].breaking[0]
            .why
            .iter()
            .any(|w| w == "blocked by SCP OU Dev"),
        "{:#?}",
        out[0]
    );
    // `role NAME` picks the role; a conditional answer is not `can`.
    assert!(holds(
        &org,
        "role WebApp can sqs:SendMessage on arn:aws:sqs:eu-west-1:555555555555:payments-events with aws:SecureTransport=true aws:RequestedRegion=eu-west-1"
    ));
    assert!(!holds(
        &org,
        "role WebApp can sqs:SendMessage on arn:aws:sqs:eu-west-1:555555555555:payments-events"
    ));
    // ... and a conditional answer breaks `cannot`: some request gets through.
    assert!(!holds(
        &org,
        "role WebApp cannot sqs:SendMessage on arn:aws:sqs:eu-west-1:555555555555:payments-events"
    ));
}

/// `nobody outside the organization`: the public website's bucket policy names `*`,
/// the data lake's names only account 777777777777 of the org; making it public
/// breaks the guardrail.
#[test]
fn nobody_outside_the_organization() {
    let org = acme();
    let site = "nobody outside the organization can s3:GetObject on arn:aws:s3:::acme-public-website/index.html";
    let out = run(&org, site);
    assert!(!out[0].holds);
    assert!(
        out[0].breaking.iter().any(|b| b.principal == "everyone *"),
        "{out:#?}"
    );
    let lake =
        "nobody outside the organization can s3:GetObject on arn:aws:s3:::acme-data-dev-lake/x";
    assert!(holds(&org, lake));
    assert!(!holds(&with("public-data-lake.json"), lake));
}

/// `nobody outside account|ou`: only the principals of that account (or below that
/// OU) may; others break it. Sandbox's allow-list lets ec2 through to its own users.
#[test]
fn nobody_outside_an_account_or_ou() {
    let org = acme();
    let line = "nobody outside account sandbox-alice can iam:CreateUser on arn:aws:iam::999999999999:user/alice";
    // alice's allow-list has only iam:Get*/List*: nobody can.
    assert!(holds(&org, line));
    let ou = "nobody outside ou Dev can iam:CreateUser on arn:aws:iam::777777777777:user/frank";
    assert!(holds(&org, ou), "heidi is in web-dev, under Dev");
    let out = run(
        &org,
        "nobody outside ou Sandbox can iam:CreateUser on arn:aws:iam::777777777777:user/frank",
    );
    assert!(!out[0].holds);
    assert_eq!(
        out[0].breaking[0].principal,
        "arn:aws:iam::777777777777:user/heidi"
    );
    // Plain `nobody`.
    assert!(!holds(
        &org,
        "nobody can iam:CreateUser on arn:aws:iam::777777777777:user/frank"
    ));
}

#[test]
fn the_json_form_reads_the_same() {
    let json = r#"{"expectations": [
  {"who": "user frank", "can": false, "action": "iam:CreateUser", "resource": "arn:aws:iam::777777777777:user/grace"},
  {"who": "role WebApp", "can": true, "action": "sqs:SendMessage", "resource": "arn:aws:sqs:eu-west-1:555555555555:payments-events",
   "context": {"aws:SecureTransport": "true", "aws:RequestedRegion": ["eu-west-1"]}},
  {"who": "nobody outside the organization", "can": true, "action": "s3:GetObject", "resource": "arn:aws:s3:::acme-data-dev-lake/x"}
]}"#;
    let out = run(&acme(), json);
    assert_eq!(out.len(), 3);
    assert!(out.iter().all(|o| o.holds), "{out:#?}");
    let out = run(&with("frank-joins-admins.json"), json);
    assert!(!out[0].holds && out[1].holds && out[2].holds);
}

#[test]
fn mistakes_are_located() {
    let e = parse("e.txt", "# ok\n  user frank may iam:CreateUser on *\n")
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("e.txt:2:3: no `can` or `cannot`"), "{e}");
    let e = parse("e.txt", "nobody can s3:GetObject at *")
        .unwrap_err()
        .to_string();
    assert!(e.contains("expected `ACTION on RESOURCE`"), "{e}");
    let e = parse("e.txt", "nobody cannot s3:GetObject on *")
        .unwrap_err()
        .to_string();
    assert!(e.contains("says nothing"), "{e}");
    let e = parse(
        "e.json",
        "{\"expectations\": [{\"who\": \"dana\", \"can\": \"yes\"}]}",
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.starts_with("e.json:1:") && e.contains("expectations[0].can"),
        "{e}"
    );
}
