//! `orgscope learn`: the list with progress, a team's lessons checked against the
//! engine with their places, practice with a score, progress kept atomically in the
//! data directory the tests choose (never the real home).

use std::io::Write as _;
use std::process::{Command, Stdio};

use orgscope::engine::Decision;
use orgscope::learn::format::LayerKind;
use orgscope::learn::practice;

fn orgscope(data: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_orgscope"));
    c.env("ORGSCOPE_DATA_DIR", data);
    c
}

#[test]
fn the_list_shows_each_lesson_and_its_progress() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(
        data.path().join("progress.json"),
        r#"{"lessons": {"roles": {"step": 2}, "explicit-deny": {"step": 7, "done": true}}}"#,
    )
    .unwrap();
    let out = orgscope(data.path()).args(["learn"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("explicit-deny"), "{text}");
    let line = |id: &str| {
        text.lines()
            .find(|l| l.starts_with(id))
            .unwrap()
            .to_string()
    };
    assert!(line("explicit-deny ").contains("done"), "{text}");
    assert!(line("roles ").contains("step 3/"), "{text}");
    // Every built-in lesson, in order, with its length and title; untouched ones
    // say neither done nor a step.
    let lessons = orgscope::learn::builtin();
    let ids: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|id| lessons.iter().any(|x| x.id() == *id))
        .collect();
    assert_eq!(
        ids,
        lessons.iter().map(|l| l.id()).collect::<Vec<_>>(),
        "{text}"
    );
    for l in &lessons {
        let row = line(&format!("{} ", l.id()));
        assert!(row.contains(&format!("{} min", l.file.minutes)), "{row}");
        assert!(row.contains(&l.file.title), "{row}");
        if !["explicit-deny", "roles"].contains(&l.id()) {
            assert!(!row.contains("done") && !row.contains("step "), "{row}");
        }
    }
    let out = orgscope(data.path())
        .args(["learn", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let lessons = v["lessons"].as_array().unwrap();
    assert!(lessons.len() >= 10);
    assert!(lessons.iter().all(|l| l["minutes"].as_u64().unwrap() > 0));
}

#[test]
fn an_unknown_lesson_names_the_lessons() {
    let data = tempfile::tempdir().unwrap();
    let out = orgscope(data.path())
        .args(["learn", "no-such-lesson"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("no lesson `no-such-lesson`") && err.contains("kms-key-policies"),
        "{err}"
    );
}

/// A team's lesson that states a wrong answer is refused with its file, line and the
/// engine's answer; a right one passes.
#[test]
fn check_holds_a_teams_lessons_to_the_engine() {
    let data = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string("assets/lessons/explicit-deny.toml").unwrap();
    std::fs::write(dir.path().join("good.toml"), &good).unwrap();
    let out = orgscope(data.path())
        .args(["learn", "--check"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The same lesson teaching that heidi may leave the organization.
    let bad = good.replace(
        "decision = \"explicitly-denied\"\nlayer = \"scp\"\nstatement = \"DenyLeave\"",
        "decision = \"allowed\"",
    );
    assert_ne!(bad, good);
    std::fs::write(dir.path().join("good.toml"), &bad).unwrap();
    let out = orgscope(data.path())
        .args(["learn", "--check"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    let line = bad
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("[[step]]"))
        .nth(7)
        .unwrap()
        .0
        + 1;
    assert!(
        err.contains(&format!(
            "good.toml:{line}:1: step 8: the engine says explicitly denied, not allowed"
        )),
        "{err}"
    );
}

#[test]
fn practice_keeps_a_score() {
    let data = tempfile::tempdir().unwrap();
    let mut child = orgscope(data.path())
        .args(["learn", "--practice", "acme", "--count", "3"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a\ni identity\ne scp\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("1. can "), "{text}");
    assert!(text.contains("score: "), "{text}");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data.path().join("progress.json")).unwrap())
            .unwrap();
    let p = &saved["practice"];
    assert_eq!(
        p["right"].as_u64().unwrap() + p["wrong"].as_u64().unwrap(),
        3
    );
}

/// Practice questions bring up every kind of answer: allowed, each layer's implicit
/// deny, and explicit denies from SCPs, RCPs and resource policies.
#[test]
fn practice_questions_cover_every_layer_and_both_denies() {
    let org = orgscope::org::load_builtin_acme();
    let qs = practice::questions(&org, 24, 1);
    let kinds: std::collections::BTreeSet<(u8, Option<LayerKind>)> =
        qs.iter().map(|q| (q.key().0 as u8, q.key().1)).collect();
    for want in [
        (Decision::Allowed, None),
        (Decision::ImplicitlyDenied, Some(LayerKind::Identity)),
        (Decision::ImplicitlyDenied, Some(LayerKind::Scp)),
        (Decision::ImplicitlyDenied, Some(LayerKind::Boundary)),
        (Decision::ImplicitlyDenied, Some(LayerKind::Resource)),
        (Decision::ExplicitlyDenied, Some(LayerKind::Scp)),
        (Decision::ExplicitlyDenied, Some(LayerKind::Rcp)),
        (Decision::ExplicitlyDenied, Some(LayerKind::Resource)),
    ] {
        assert!(
            kinds.contains(&(want.0 as u8, want.1)),
            "no question of kind {want:?} among {kinds:?}"
        );
    }
    // The same seed, the same questions; each judged by the engine.
    let again = practice::questions(&org, 24, 1);
    assert_eq!(
        qs.iter().map(|q| q.text()).collect::<Vec<_>>(),
        again.iter().map(|q| q.text()).collect::<Vec<_>>()
    );
    for q in &qs {
        let (d, l) = q.key();
        assert_eq!(q.judge(&org, d, l), orgscope::learn::Judgment::Right);
    }
}

#[test]
fn progress_round_trips_and_resets() {
    use orgscope::learn::Progress;
    let data = tempfile::tempdir().unwrap();
    // SAFETY: the only test of this file that reads the variable in its own process.
    unsafe { std::env::set_var("ORGSCOPE_DATA_DIR", data.path()) };
    assert_eq!(Progress::load(), Progress::default());
    let mut p = Progress::default();
    p.lesson_mut("roles").step = 3;
    p.lesson_mut("explicit-deny").done = true;
    p.save().unwrap();
    let back = Progress::load();
    assert_eq!(back, p);
    let mut back = back;
    back.reset("roles");
    back.save().unwrap();
    assert_eq!(Progress::load().lesson("roles").step, 0);
    assert!(Progress::load().lesson("explicit-deny").done);
    // Written atomically: no temporary file is left beside it.
    let names: Vec<String> = std::fs::read_dir(data.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["progress.json"]);
    // A file that does not parse is a fresh start, not an error.
    std::fs::write(data.path().join("progress.json"), "{not json").unwrap();
    assert_eq!(Progress::load(), Progress::default());
}

/// A lesson's text quoted in an error stays inert on the terminal.
#[test]
fn check_errors_quote_lesson_text_inert() {
    let data = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("evil.toml"),
        "id = \"evil\"\ntitle = \"t\"\nsummary = \"s\"\nminutes = 1\norg = \"acme\"\n\n[[step]]\nsay = \"s\"\nselect = \"x\\u001b]0;pwned\\u0007\"\n",
    )
    .unwrap();
    let out = orgscope(data.path())
        .args(["learn", "--check"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!err.contains('\u{1b}'), "{err:?}");
    assert!(
        err.contains(r"no node is named `x\x1b]0;pwned\x07`"),
        "{err}"
    );
}

/// `orgscope learn ID --check --scenario FILE` judges the lesson's change step on
/// the organization as the scenario changes it: the lesson's kind of fix, a
/// different fix that also does it, and wrong ones, each told why. A right change
/// done by the learner at that step moves the saved progress past it.
#[test]
fn check_judges_a_change_step_from_a_scenario_file() {
    let data = tempfile::tempdir().unwrap();
    let judge = |file: &str| {
        let out = orgscope(data.path())
            .args(["learn", "least-privilege", "--check", "--scenario"])
            .arg(format!("tests/fixtures/learn/{file}"))
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let lessons = orgscope::learn::builtin();
    let lesson = orgscope::learn::find(&lessons, "least-privilege").unwrap();
    let n = 1 + lesson
        .steps()
        .iter()
        .position(|s| s.kind() == orgscope::learn::StepKind::Change)
        .unwrap();
    // The learner is at the change step.
    std::fs::write(
        data.path().join("progress.json"),
        format!(
            r#"{{"lessons": {{"least-privilege": {{"step": {}}}}}}}"#,
            n - 1
        ),
    )
    .unwrap();
    let (code, out, err) = judge("narrow-webops.json");
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.starts_with(&format!("step {n}: right.")), "{out}");
    assert!(out.contains("progress: step"), "{out}");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data.path().join("progress.json")).unwrap())
            .unwrap();
    assert_eq!(saved["lessons"]["least-privilege"]["step"], n, "{saved}");
    // Another right change: the policy detached, a narrow inline policy instead.
    let (code, out, _) = judge("inline-instead.json");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.starts_with(&format!("step {n}: right.")), "{out}");
    // Wrong: the job's permission gone too; nothing about ci-legacy; the wrong bucket.
    let (code, out, _) = judge("detach-only.json");
    assert_eq!(code, Some(1));
    assert_eq!(
        out.trim(),
        format!(
            "step {n}: not yet: the answer changed, but not to the one asked for: ci-legacy cannot do s3:PutObject: it is not among what it can do"
        )
    );
    let (code, out, _) = judge("unrelated.json");
    assert_eq!(code, Some(1));
    assert!(
        out.contains(
            "not yet: your change does not change the answer: ci-legacy can still do iam:"
        ),
        "{out}"
    );
    let (code, out, _) = judge("wrong-bucket.json");
    assert_eq!(code, Some(1));
    assert!(
        out.contains("breaks what must stay as it is (can ci-legacy do s3:PutObject on arn:aws:s3:::acme-public-website/index.html must stay allowed)"),
        "{out}"
    );
    // A step that asks for no change, and a scenario that does not apply, are refused.
    let out = orgscope(data.path())
        .args([
            "learn",
            "least-privilege",
            "--check",
            "--step",
            "1",
            "--scenario",
        ])
        .arg("tests/fixtures/learn/narrow-webops.json")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(&format!(
            "step 1 of least-privilege is not a change step; its change steps are: {n}"
        )),
        "{err}"
    );
    let bad = data.path().join("bad.json");
    std::fs::write(
        &bad,
        r#"{"changes": [{"op": "detach_managed_policy", "principal": "ci-legacy", "policy": "Nope"}]}"#,
    )
    .unwrap();
    let out = orgscope(data.path())
        .args(["learn", "least-privilege", "--check", "--scenario"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("bad.json:1:") && err.contains("changes[0]"),
        "{err}"
    );
}

/// `--check` with a lesson id checks that lesson alone.
#[test]
fn check_takes_a_lesson_id() {
    let data = tempfile::tempdir().unwrap();
    for args in [
        &["learn", "roles", "--check"][..],
        &["learn", "--check", "scp-inheritance"][..],
    ] {
        let out = orgscope(data.path()).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            "1 lesson(s) checked, 0 problem(s)\n"
        );
    }
}

/// Practice questions are answered as `orgscope can` answers them: the same
/// decision, deciding layer and sentence, asked through the command line with the
/// question's own principal, request and context.
#[test]
fn practice_answers_agree_with_can() {
    let data = tempfile::tempdir().unwrap();
    let org = orgscope::org::load_builtin_acme();
    let qs = practice::questions(&org, 10, 3);
    assert!(qs.len() >= 8, "{}", qs.len());
    for q in &qs {
        let out = orgscope(data.path())
            .args([
                "can",
                "acme",
                "-p",
                &q.who,
                "-a",
                &q.action,
                "-r",
                &q.resource,
            ])
            .args(["-c", &format!("aws:RequestedRegion={}", q.region)])
            .args(["-c", &format!("aws:SecureTransport={}", q.tls)])
            .args(["--format", "json"])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{}: {e}: {}",
                q.text(),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        let (d, layer) = q.key();
        assert_eq!(v["decision"], format!("{d:?}"), "{}", q.text());
        assert_eq!(
            v["explanation"]["blockedBy"]["layer"].as_str(),
            layer.map(|l| l.to_string()).as_deref(),
            "{}",
            q.text()
        );
        assert_eq!(v["summary"], q.answer.summary, "{}", q.text());
    }
}

/// The RCP lesson's change step: a Deny in the bucket policy also keeps the
/// outsider out, but it is not the layer the step asks for, and is told so.
#[test]
fn a_perimeter_in_the_bucket_policy_is_not_an_rcp() {
    let data = tempfile::tempdir().unwrap();
    let out = orgscope(data.path())
        .args(["learn", "rcp-perimeter", "--check", "--scenario"])
        .arg("tests/fixtures/learn/bucket-policy-deny.json")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("not yet: the answer changed, but not to the one asked for: the deciding layer is resource, not rcp"),
        "{text}"
    );
}
