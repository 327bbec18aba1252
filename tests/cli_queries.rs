//! The headless questions as scripts use them, on the built-in acme organization:
//! exit statuses, JSON output, principals by short name, errors.

use std::process::{Command, Output};

use serde_json::Value;

fn orgscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orgscope"))
        .args(args)
        .output()
        .unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

const EU: [&str; 4] = [
    "-c",
    "aws:RequestedRegion=eu-west-1",
    "-c",
    "aws:SecureTransport=true",
];

#[test]
fn can_exit_status_says_the_decision() {
    // Organizations User Guide, "SCP evaluation": the deny-list OU denies other regions.
    let allowed = orgscope(&[
        "can",
        "acme",
        "-p",
        "dana",
        "-a",
        "sts:AssumeRole",
        "-r",
        "arn:aws:iam::222222222222:role/SecurityAuditor",
    ]);
    assert_eq!(
        allowed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&allowed.stdout)
    );
    let denied = orgscope(&[
        "can",
        "acme",
        "-p",
        "frank",
        "-a",
        "ec2:RunInstances",
        "-r",
        // One resource: `*` would be a pattern, answered for the set it covers.
        "arn:aws:ec2:us-east-1:777777777777:instance/i-0123456789abcdef0",
        "-c",
        "aws:RequestedRegion=us-east-1",
    ]);
    assert_eq!(
        denied.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&denied.stdout)
    );
    let text = String::from_utf8_lossy(&denied.stdout);
    assert!(text.starts_with("ExplicitlyDenied"), "{text}");
    assert!(text.contains("blocked by SCP OU Workloads"), "{text}");
    assert!(text.contains("DenyOtherRegions"), "{text}");
}

#[test]
fn can_json_carries_the_explanation_and_the_assumed_account() {
    let mut args = vec![
        "can",
        "acme",
        "--format",
        "json",
        "-p",
        "arn:aws:iam::777777777777:user/frank",
    ];
    args.extend(["-a", "s3:GetObject", "-r", "arn:aws:s3:::not-in-the-org/x"]);
    args.extend(EU);
    let v = json(&orgscope(&args));
    assert_eq!(v["principal"], "arn:aws:iam::777777777777:user/frank");
    assert_eq!(v["resourceAccountAssumed"], true);
    assert_eq!(v["resourceAccount"], "777777777777");
    assert!(
        v["explanation"]["layers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["layer"] == "scp")
    );
}

#[test]
fn unknown_and_malformed_inputs_are_clear_errors() {
    let out = orgscope(&[
        "can",
        "acme",
        "-p",
        "nobody",
        "-a",
        "s3:GetObject",
        "-r",
        "*",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no user or role `nobody`"), "{err}");
    let out = orgscope(&[
        "can",
        "acme",
        "-p",
        "dana",
        "-a",
        "s3:GetObject",
        "-r",
        "*",
        "-c",
        "novalue",
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected KEY=VALUE"));
    let out = orgscope(&["can", "acme", "-p", "dana", "-a", "GetObject", "-r", "*"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("service:Action"));
    let out = orgscope(&[
        "can",
        "/nonexistent/org.json",
        "-p",
        "dana",
        "-a",
        "s3:GetObject",
        "-r",
        "*",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/org.json"));
}

#[test]
fn who_can_lists_principals_by_account() {
    let mut args = vec!["who-can", "acme", "--format", "json", "-a", "s3:GetObject"];
    args.extend(["-r", "arn:aws:s3:::acme-public-website/index.html"]);
    let out = orgscope(&args);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    // IAM User Guide, "Policy evaluation logic": a public bucket policy names everyone.
    assert!(
        v["outside"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["kind"] == "everyone")
    );
    assert!(v["evaluated"].as_u64().unwrap() > 0);
}

#[test]
fn paths_exit_status_says_whether_the_target_is_reachable() {
    let out = orgscope(&[
        "paths",
        "acme",
        "--from",
        "dana",
        "--to",
        "arn:aws:iam::333333333333:role/SecurityAudit",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("shortest path"));
}

/// The table says what the JSON's `admin` says: ci-legacy can attach any policy to
/// itself (issue 13: it was read as "may raise", as if not admin); dana cannot.
#[test]
fn paths_table_says_when_the_start_is_admin_level() {
    for (who, admin) in [("ci-legacy", true), ("dana", false)] {
        let table = orgscope(&["paths", "acme", "--from", who]);
        let table = String::from_utf8_lossy(&table.stdout).to_string();
        let v = json(&orgscope(&[
            "paths", "acme", "--from", who, "--format", "json",
        ]));
        assert_eq!(v["admin"], admin, "{v}");
        assert_eq!(
            table.contains("is admin-level: it can give itself any permission"),
            admin,
            "{table}"
        );
    }
}

#[test]
fn validate_and_export_round_trip() {
    let out = orgscope(&["validate", "sample-orgs/acme.json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let dir = std::env::temp_dir().join(format!("orgscope-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("acme.json");
    let out = orgscope(&["export", "acme", "-o", file.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = orgscope(&["validate", file.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // The export answers as the original does.
    let q = |org: &str| {
        let mut a = vec![
            "can",
            org,
            "--format",
            "json",
            "-p",
            "frank",
            "-a",
            "ec2:RunInstances",
            "-r",
            "*",
        ];
        a.extend(EU);
        json(&orgscope(&a))["decision"].clone()
    };
    assert_eq!(q("acme"), q(file.to_str().unwrap()));
    // Never over an input.
    let out = orgscope(&[
        "export",
        file.to_str().unwrap(),
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn hostile_names_never_reach_the_terminal_raw() {
    // An account name may hold any character; a user name may not, and the error
    // quoting it must not carry its escape sequence either.
    let dir = std::env::temp_dir().join(format!("orgscope-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ok = dir.join("ok.json");
    std::fs::write(
        &ok,
        r#"{"organization": {"id": "o-hostile0001", "management_account": "111111111111"},
            "ous": [{"id": "ou-hostile-0001", "name": "Evil\u001b]0;pwned\u0007"}],
            "accounts": [
              {"id": "111111111111", "name": "management"},
              {"id": "222222222222", "name": "prod\u001b[2J", "parent": "ou-hostile-0001",
               "users": {"alice": {"inline": {"All": {"Version": "2012-10-17",
                 "Statement": [{"Sid": "x\u001b[31m", "Effect": "Allow", "Action": "*", "Resource": "*"}]}}}}}
            ]}"#,
    )
    .unwrap();
    let out = orgscope(&[
        "can",
        ok.to_str().unwrap(),
        "-p",
        "alice",
        "-a",
        "s3:GetObject",
        "-r",
        "arn:aws:s3:::b/k",
        "--resource-account",
        "222222222222",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text:?}"
    );
    assert!(
        text.contains("\\x1b"),
        "the escape is shown, made visible: {text}"
    );

    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        r#"{"organization": {"id": "o-hostile0001", "management_account": "111111111111"},
            "accounts": [{"id": "111111111111", "name": "management",
              "users": {"eve\u001b[2J": {}}}]}"#,
    )
    .unwrap();
    for args in [
        vec!["validate", bad.to_str().unwrap()],
        vec![
            "can",
            bad.to_str().unwrap(),
            "-p",
            "x",
            "-a",
            "s3:GetObject",
            "-r",
            "*",
        ],
    ] {
        let out = orgscope(&args);
        assert_eq!(out.status.code(), Some(1));
        let all = [out.stdout.as_slice(), out.stderr.as_slice()].concat();
        assert!(!all.contains(&0x1b), "{}", String::from_utf8_lossy(&all));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_resource_account_that_contradicts_the_org_or_the_arn_is_refused() {
    // The account is for resources neither the org nor the ARN places (S3 buckets
    // outside the org); one that contradicts them would evaluate the wrong RCPs.
    let bucket = "arn:aws:s3:::acme-public-website/index.html";
    let out = orgscope(&[
        "can",
        "acme",
        "-p",
        "frank",
        "-a",
        "s3:GetObject",
        "-r",
        bucket,
        "--resource-account",
        "111111111111",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "111111111111, is not the resource's: the org holds it in account 666666666666"
        ),
        "{err}"
    );
    let key = "arn:aws:kms:eu-west-1:123456789012:key/not-in-the-org";
    let out = orgscope(&[
        "who-can",
        "acme",
        "-a",
        "kms:Decrypt",
        "-r",
        key,
        "--resource-account",
        "111111111111",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("its ARN names account 123456789012"), "{err}");
    // The same account as the org's is fine, and so is any account for a bucket the
    // org does not hold.
    for (resource, account) in [
        (bucket, "666666666666"),
        ("arn:aws:s3:::elsewhere/x", "111111111111"),
    ] {
        let out = orgscope(&[
            "who-can",
            "acme",
            "-a",
            "s3:GetObject",
            "-r",
            resource,
            "--resource-account",
            account,
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn patterns_typos_and_unknown_services_are_told() {
    // A request names one action: a pattern is refused.
    let out = orgscope(&["who-can", "acme", "-a", "s3:Get*", "-r", "arn:aws:s3:::b/x"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`s3:Get*` is a pattern: a request names one action"),
        "{err}"
    );
    // A typo is still answered (the catalog may lag behind AWS), with a note. (Over
    // TLS: acme's RCP denies S3 requests without it.)
    let out = orgscope(&[
        "can",
        "acme",
        "-p",
        "dana",
        "-a",
        "s3:GetObjet",
        "-r",
        "*",
        "-c",
        "aws:SecureTransport=true",
    ]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "implicitly denied: nothing grants it"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("note: `s3:GetObjet` is not an action in the AWS catalog"),
        "{err}"
    );
    let out = orgscope(&["can", "acme", "-p", "dana", "-a", "s3:GetObject", "-r", "*"]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("note"));
    // what-can's service filter names a service of the catalog.
    let out = orgscope(&["what-can", "acme", "-p", "dana", "--service", "s4"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no service `s4` in the AWS catalog"), "{err}");
    let out = orgscope(&["what-can", "acme", "-p", "dana", "--service", "S3"]);
    assert_eq!(out.status.code(), Some(0), "the prefix in any case");
}

#[test]
fn a_resource_unlike_the_actions_resources_is_noted() {
    // AWS authorizes s3:GetObject on objects (IAM Service Authorization Reference,
    // "Actions defined by Amazon S3"): asked on the bucket, the answer is about a
    // request AWS never receives.
    let note = |action: &str, resource: &str| {
        let out = orgscope(&["can", "acme", "-p", "dana", "-a", action, "-r", resource]);
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = note("s3:GetObject", "arn:aws:s3:::acme-public-website");
    assert!(
        err.contains(
            "is not a resource `s3:GetObject` acts on: object (arn:${Partition}:s3:::${BucketName}/${ObjectName}), accesspointobject"
        ),
        "{err}"
    );
    let err = note("iam:ListUsers", "arn:aws:iam::222222222222:user/dana");
    assert!(err.contains("acts on no particular resource"), "{err}");
    for (action, resource) in [
        (
            "s3:GetObject",
            "arn:aws:s3:::acme-public-website/index.html",
        ),
        ("s3:ListBucket", "arn:aws:s3:::acme-public-website"),
        (
            "sts:AssumeRole",
            "arn:aws:iam::222222222222:role/SecurityAuditor",
        ),
        ("iam:ListUsers", "*"),
    ] {
        let err = note(action, resource);
        assert!(!err.contains("note"), "{action} {resource}: {err}");
    }
}

#[test]
fn a_resource_account_is_taken_by_name_as_by_id() {
    // The bucket is not in the org and its ARN names no account: the account given
    // decides whose RCPs apply and whether the request is cross-account.
    let bucket = "arn:aws:s3:::partner-drop/report.csv";
    let ask = |cmd: &str, account: &str| {
        let mut a = vec![cmd, "acme", "--format", "json", "-a", "s3:GetObject"];
        if cmd == "can" {
            a.extend(["-p", "carol"]);
        }
        a.extend(["-r", bucket, "--resource-account", account]);
        let out = orgscope(&a);
        assert_eq!(
            out.status.code().map(|c| c == 1),
            Some(false),
            "{cmd} {account}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        json(&out)
    };
    for cmd in ["can", "who-can"] {
        let by_id = ask(cmd, "666666666666");
        assert_eq!(by_id["resourceAccount"], "666666666666");
        assert_eq!(
            ask(cmd, "web-prod"),
            by_id,
            "{cmd}: the name is the account"
        );
        assert_eq!(
            ask(cmd, " Web-Prod "),
            by_id,
            "{cmd}: any case, spaces trimmed"
        );
    }
    let who = ask("who-can", "web-prod");
    assert!(who["evaluated"].as_u64() > Some(0), "{who}");
}

#[test]
fn a_resource_account_that_names_no_account_is_refused_with_the_near_ones() {
    for cmd in ["can", "who-can"] {
        let mut a = vec![cmd, "acme", "-a", "s3:GetObject"];
        if cmd == "can" {
            a.extend(["-p", "carol"]);
        }
        a.extend(["-r", "arn:aws:s3:::partner-drop/x", "--resource-account"]);
        let mut typo = a.clone();
        typo.push("web-prd");
        let out = orgscope(&typo);
        assert_eq!(out.status.code(), Some(1), "{cmd}");
        assert!(out.stdout.is_empty(), "{cmd}: no answer is printed");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(
                "resource account `web-prd`: no account of the organization has this name; \
                 give a 12-digit account id or an account's name; did you mean `web-prod` \
                 (666666666666)?"
            ),
            "{cmd}: {err}"
        );
        let mut far = a.clone();
        far.push("zzz");
        let err = String::from_utf8_lossy(&orgscope(&far).stderr).into_owned();
        assert!(err.contains("its accounts: `"), "{cmd}: what exists: {err}");
    }
}

#[test]
fn a_misspelt_action_is_offered_the_nearest_ones() {
    // Without its service: not an action, one error that names the candidates.
    let out = orgscope(&["can", "acme", "-p", "dana", "-a", "GetObject", "-r", "*"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with(
            "orgscope: `GetObject` is not an action; expected `service:Action`: did you mean one of `s3:GetObject`,"
        ),
        "{err}"
    );
    assert!(
        !err.contains("note:"),
        "one message, not a note and an error: {err}"
    );
    // Well formed: answered, with the note on stderr and in the JSON.
    for cmd in ["can", "who-can"] {
        let mut a = vec![cmd, "acme", "--format", "json", "-a", "s3:GetObjct"];
        if cmd == "can" {
            a.extend(["-p", "dana"]);
        }
        a.extend(["-r", "arn:aws:s3:::acme-public-website/index.html"]);
        let out = orgscope(&a);
        let said = "`s3:GetObjct` is not an action in the AWS catalog orgscope carries: did you mean `s3:GetObject`?";
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("note: {said}")), "{cmd}: {err}");
        assert_eq!(json(&out)["notes"], serde_json::json!([said]), "{cmd}");
        // --strict: refused, for scripts that must not get an answer to a typo.
        a.push("--strict");
        let out = orgscope(&a);
        assert_eq!(out.status.code(), Some(1), "{cmd} --strict");
        assert!(out.stdout.is_empty());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("orgscope: {said} (--strict)")),
            "{err}"
        );
    }
    // A known action passes --strict, and its JSON notes are an empty list.
    let out = orgscope(&[
        "can",
        "acme",
        "--format",
        "json",
        "-p",
        "dana",
        "-a",
        "s3:getobject",
        "-r",
        "*",
        "--strict",
    ]);
    assert_eq!(json(&out)["notes"], serde_json::json!([]));
}

#[test]
fn every_json_answer_has_a_notes_list() {
    for args in [
        &["what-can", "acme", "-p", "dana"][..],
        &["what-can", "acme", "-p", "dana", "--compare", "eve"],
        &["paths", "acme", "--from", "dana"],
        &["paths", "acme", "--to", "SecurityAuditor"],
        &["who-can", "acme", "-a", "s3:GetObject", "-r", "*"],
        &["validate", "acme"],
    ] {
        let mut a = args.to_vec();
        a.extend(["--format", "json"]);
        let v = json(&orgscope(&a));
        assert!(v["notes"].is_array(), "{args:?}: {v}");
    }
    // `paths --to` alone: the role by ARN and the principals that reach it.
    let v = json(&orgscope(&[
        "paths",
        "acme",
        "--to",
        "SecurityAuditor",
        "--format",
        "json",
    ]));
    assert_eq!(v["to"], "arn:aws:iam::222222222222:role/SecurityAuditor");
    assert!(
        v["reachable"].as_array().is_some_and(|r| !r.is_empty()),
        "{v}"
    );
}

#[test]
fn acme_names_the_built_in_sample_for_the_terminal_ui_too() {
    // Without a terminal the UI cannot start; what matters is that `acme` was loaded
    // (the error is about the terminal), as every command loads it. `setsid` runs it
    // with no controlling terminal, so that the UI never opens the one running the
    // tests.
    let Ok(out) = Command::new("setsid")
        .arg("--wait")
        .arg(env!("CARGO_BIN_EXE_orgscope"))
        .arg("acme")
        .stdin(std::process::Stdio::null())
        .output()
    else {
        eprintln!("skipped: no `setsid` to run without a terminal");
        return;
    };
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("the terminal UI needs a terminal"), "{err}");
    assert!(!err.contains("cannot read"), "{err}");
}

/// An S3 ARN names no account, and the org does not hold this bucket: the answer
/// takes it to be in the caller's account and says so where it is read first, since
/// in another account the bucket policy must allow too (IAM User Guide, "Cross-account
/// policy evaluation logic"). Asked with that other account, the same request is denied.
#[test]
fn an_allowed_on_a_bucket_of_a_guessed_account_says_what_it_rests_on() {
    let ask = |extra: &[&str]| {
        let mut a = vec![
            "can",
            "acme",
            "--format",
            "json",
            "-p",
            "alice",
            "-a",
            "s3:GetObject",
            "-r",
            "arn:aws:s3:::not-in-the-org/report.csv",
            "-c",
            "aws:SecureTransport=true",
        ];
        a.extend(extra);
        json(&orgscope(&a))
    };
    let guessed = ask(&[]);
    assert_eq!(guessed["decision"], "Allowed", "{guessed}");
    assert_eq!(guessed["resourceAccountAssumed"], true);
    let summary = guessed["summary"].as_str().unwrap();
    assert!(
        summary.contains("if the resource is in account 999999999999, as assumed")
            && summary.contains("its resource policy must allow too"),
        "{summary}"
    );
    let elsewhere = ask(&["--resource-account", "web-prod"]);
    assert_eq!(elsewhere["decision"], "ImplicitlyDenied", "{elsewhere}");
    assert_eq!(elsewhere["resourceAccountAssumed"], false);
    assert!(
        !elsewhere["summary"]
            .as_str()
            .unwrap()
            .contains("as assumed")
    );
}

/// `can ... --format json` on acme as `scenario` (a scenario file's JSON) changes it,
/// with `args` after the org; the scenario is written to a directory of its own.
fn can_with_scenario(tag: &str, scenario: &str, args: &[&str]) -> Value {
    let dir = std::env::temp_dir().join(format!("orgscope-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("scenario.json");
    std::fs::write(&file, scenario).unwrap();
    let mut all = vec!["can", "acme", "--scenario", file.to_str().unwrap()];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let out = json(&orgscope(&all));
    std::fs::remove_dir_all(&dir).unwrap();
    out
}

/// AWS sets `aws:CurrentTime` on every request (IAM User Guide, "AWS global condition
/// context keys"): a question without it is asked as of now, and the answer says at
/// which time; the time given with `-c` is the time asked.
#[test]
fn a_deny_after_an_expiry_applies_now_and_the_answer_says_the_time() {
    let expired = r#"{"changes": [{"op": "put_inline_policy", "principal": "dana", "name": "Expired",
        "document": {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "sts:AssumeRole",
        "Resource": "*", "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}}}]}}]}"#;
    let ask = |extra: &[&str]| {
        let mut args = vec![
            "-p",
            "dana",
            "-a",
            "sts:AssumeRole",
            "-r",
            "arn:aws:iam::222222222222:role/SecurityAuditor",
        ];
        args.extend_from_slice(extra);
        can_with_scenario("expiry", expired, &args)
    };
    let now = ask(&[]);
    assert_eq!(now["decision"], "ExplicitlyDenied", "{now:#}");
    let notes = now["explanation"]["notes"].to_string();
    assert!(
        notes.contains("aws:CurrentTime is ") && notes.contains("the time of asking"),
        "{notes}"
    );
    let before = ask(&["-c", "aws:CurrentTime=2019-06-01T00:00:00Z"]);
    assert_eq!(before["decision"], "Allowed", "{before:#}");
    assert!(
        !before["explanation"]["notes"]
            .to_string()
            .contains("the time of asking")
    );
}

/// A bucket-policy Deny that names a canonical user (S3's account id) cannot be matched
/// to the caller: orgscope does not know which account it is. If it is the caller's,
/// AWS denies (Amazon S3 User Guide, "Principals": canonical user ID), so an Allowed
/// says what it rests on.
#[test]
fn an_allowed_beside_a_deny_naming_a_canonical_user_says_so() {
    let out = can_with_scenario(
        "canonical",
        r#"{"changes": [{"op": "put_resource_policy", "resource": "arn:aws:s3:::acme-public-website",
            "document": {"Version": "2012-10-17", "Statement": [
              {"Sid": "Read", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-public-website/*"},
              {"Sid": "NotThatOne", "Effect": "Deny", "Principal": {"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},
               "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-public-website/*"}]}}]}"#,
        &[
            "-p",
            "anonymous",
            "-a",
            "s3:GetObject",
            "-r",
            "arn:aws:s3:::acme-public-website/index.html",
            // The root's RCP EnforceSecureTransport denies plain HTTP.
            "-c",
            "aws:SecureTransport=true",
        ],
    );
    assert_eq!(out["decision"], "Allowed", "{out:#}");
    let notes = out["explanation"]["notes"].to_string();
    assert!(
        notes.contains("Deny NotThatOne names a canonical user"),
        "{notes}"
    );
}
