//! Every lesson's stated answers are the engine's: each question of each built-in
//! lesson is asked of its organization through `can` or who-can, so that a lesson
//! can never teach a wrong answer. And the lessons read clean, name real nodes, and
//! judge a right move right and a wrong one wrong.

use orgscope::engine::Decision;
use orgscope::learn::check::{self, Answer, Event, Judgment};
use orgscope::learn::format::{LayerKind, QuestionKind, StepKind};
use orgscope::learn::{self, Player, load};

#[test]
fn every_lesson_agrees_with_the_engine() {
    let mut failures = Vec::new();
    for lesson in learn::builtin() {
        let org = lesson.load_org().expect("the lesson's org loads");
        if let Err(e) = lesson.check_names(&org) {
            failures.push(e.to_string());
            continue;
        }
        for (i, step) in lesson.steps().iter().enumerate() {
            let (Some(q), Some(e)) = (step.question(), &step.expect) else {
                continue;
            };
            let result = match q.kind {
                QuestionKind::Can => check::answer_can(&org, q)
                    .and_then(|a| check::agrees(&org, q, e, Answer::Can(&a))),
                QuestionKind::WhoCan => check::answer_who_can(&org, q)
                    .and_then(|a| check::agrees(&org, q, e, Answer::WhoCan(&a))),
            };
            if let Err(why) = result {
                failures.push(format!("{} step {}: {why}", lesson.id(), i + 1));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "lessons disagree with the engine:\n{}",
        failures.join("\n")
    );
}

/// A prediction as the lesson states it is judged right; every other decision wrong,
/// with why.
#[test]
fn predictions_are_judged_by_the_engine() {
    for lesson in learn::builtin() {
        let org = lesson.load_org().unwrap();
        for step in lesson
            .steps()
            .iter()
            .filter(|s| s.kind() == StepKind::Predict)
        {
            let e = step.expect.as_ref().unwrap();
            let d = e.decision.unwrap().0;
            assert_eq!(
                check::judge(&org, step, Event::Predicted(d, e.layer)),
                Judgment::Right,
                "{}: {}",
                lesson.id(),
                step.say
            );
            for other in [
                Decision::Allowed,
                Decision::ImplicitlyDenied,
                Decision::ExplicitlyDenied,
            ] {
                if other == d {
                    continue;
                }
                let j = check::judge(&org, step, Event::Predicted(other, Some(LayerKind::Scp)));
                assert!(matches!(j, Judgment::Wrong(_)), "{}: {j:?}", lesson.id());
            }
            if let Some(l) = e.layer {
                let wrong = LayerKind::ALL.into_iter().find(|&k| k != l).unwrap();
                let j = check::judge(&org, step, Event::Predicted(d, Some(wrong)));
                let Judgment::Wrong(why) = j else {
                    panic!("{}: a wrong layer was judged right", lesson.id())
                };
                assert!(why.contains("it is decided by"), "{why}");
            }
        }
    }
}

/// A whole lesson played by the right moves ends finished; every select step refuses
/// the root with a reason.
#[test]
fn a_lesson_played_right_finishes() {
    for lesson in learn::builtin() {
        let org = lesson.load_org().unwrap();
        let mut p = Player::new(lesson.clone(), &Default::default());
        while let Some(step) = p.current().cloned() {
            match step.kind() {
                StepKind::Read => p.next(&org),
                StepKind::Select => {
                    let want = load::resolve_node(&org, step.select.as_deref().unwrap()).unwrap();
                    // Passing by a node of another kind on the way is no move.
                    if want != orgscope::org::Entity::Root {
                        let j = p.on(&org, Event::Selected(orgscope::org::Entity::Root));
                        assert_eq!(j, Judgment::Ignored, "{}", lesson.id());
                    }
                    assert_eq!(p.on(&org, Event::Selected(want)), Judgment::Right);
                    p.next(&org);
                }
                StepKind::Ask => {
                    let q = step.ask.clone().unwrap();
                    let j = match q.kind {
                        QuestionKind::Can => {
                            let a = check::answer_can(&org, &q).unwrap();
                            p.on(&org, Event::AskedCan(&a))
                        }
                        QuestionKind::WhoCan => {
                            let a = check::answer_who_can(&org, &q).unwrap();
                            p.on(&org, Event::AskedWhoCan(&a))
                        }
                    };
                    assert_eq!(j, Judgment::Right, "{}: {}", lesson.id(), step.say);
                    assert!(p.answer.is_some() || q.kind == QuestionKind::WhoCan);
                    p.next(&org);
                }
                StepKind::Predict => {
                    let e = step.expect.clone().unwrap();
                    let d = e.decision.unwrap().0;
                    p.predict(&org, d);
                    if d != Decision::Allowed {
                        p.predict_layer(&org, e.layer.unwrap_or(LayerKind::Identity));
                    }
                    assert!(
                        p.answer.is_some(),
                        "{}: the answer is revealed",
                        lesson.id()
                    );
                    p.next(&org);
                }
            }
        }
        assert!(p.progress().done, "{}", lesson.id());
        assert_eq!(p.predictions.wrong, 0, "{}", lesson.id());
    }
}

#[test]
fn lesson_ids_are_unique_and_lessons_are_listed_in_order() {
    let lessons = learn::builtin();
    let mut ids: Vec<&str> = lessons.iter().map(|l| l.id()).collect();
    assert!(ids.len() >= 10);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), lessons.len());
    assert!(learn::find(&lessons, "explicit-deny").is_ok());
    let err = learn::find(&lessons, "nope").unwrap_err();
    assert!(err.contains("explicit-deny"), "{err}");
}

/// The agreement check does catch a lesson that states a wrong answer.
#[test]
fn a_wrong_expected_answer_is_caught() {
    let text = r#"
id = "wrong"
title = "t"
summary = "s"
minutes = 1
org = "acme"

[[step]]
say = "predict"
[step.predict]
who = "heidi"
action = "organizations:LeaveOrganization"
resource = "*"
[step.expect]
decision = "allowed"
"#;
    let lesson = load::parse("wrong.toml", text, None).unwrap();
    let org = lesson.load_org().unwrap();
    let step = &lesson.steps()[0];
    let q = step.question().unwrap();
    let a = check::answer_can(&org, q).unwrap();
    let err = check::agrees(&org, q, step.expect.as_ref().unwrap(), Answer::Can(&a)).unwrap_err();
    assert!(err.contains("explicitly denied"), "{err}");
}

/// Bad lesson files are refused with the file, the line and what is wrong.
#[test]
fn bad_lessons_are_refused_with_their_place() {
    let cases = [
        // A misspelt key.
        (
            "id = \"x\"\ntitle = \"t\"\nsummary = \"s\"\nminutes = 1\norg = \"acme\"\n\n[[step]]\nsay = \"s\"\nselekt = \"dana\"\n",
            "bad.toml:9:",
            "selekt",
        ),
        // Two things to do in one step.
        (
            "id = \"x\"\ntitle = \"t\"\nsummary = \"s\"\nminutes = 1\norg = \"acme\"\n\n[[step]]\nsay = \"s\"\nselect = \"dana\"\n[step.predict]\nwho = \"dana\"\naction = \"s3:GetObject\"\nresource = \"*\"\n",
            "bad.toml:7:",
            "not several",
        ),
        // A prediction without the answer.
        (
            "id = \"x\"\ntitle = \"t\"\nsummary = \"s\"\nminutes = 1\norg = \"acme\"\n\n[[step]]\nsay = \"read\"\n\n[[step]]\nsay = \"p\"\n[step.predict]\nwho = \"dana\"\naction = \"s3:GetObject\"\nresource = \"*\"\n",
            "bad.toml:10:",
            "step 2",
        ),
        // A decision that is not one.
        (
            "id = \"x\"\ntitle = \"t\"\nsummary = \"s\"\nminutes = 1\norg = \"acme\"\n\n[[step]]\nsay = \"p\"\n[step.predict]\nwho = \"dana\"\naction = \"s3:GetObject\"\nresource = \"*\"\n[step.expect]\ndecision = \"maybe\"\n",
            "bad.toml:14:",
            "not a decision",
        ),
    ];
    for (text, place, what) in cases {
        let err = load::parse("bad.toml", text, None).unwrap_err().to_string();
        assert!(err.starts_with(place), "{err}");
        assert!(err.contains(what), "{err}");
    }
    // A name the org does not have: found against the org, with the step's line.
    let text = "id = \"x\"\ntitle = \"t\"\nsummary = \"s\"\nminutes = 1\norg = \"acme\"\n\n[[step]]\nsay = \"s\"\nselect = \"nobody-here\"\n";
    let lesson = load::parse("names.toml", text, None).unwrap();
    let org = lesson.load_org().unwrap();
    let err = lesson.check_names(&org).unwrap_err().to_string();
    assert!(
        err.starts_with("names.toml:7:1: step 1: no node is named `nobody-here`"),
        "{err}"
    );
}

/// A wrong node is answered with where both sit in the org.
#[test]
fn a_wrong_node_is_told_why() {
    let org = orgscope::org::load_builtin_acme();
    let node = |n: &str| load::resolve_node(&org, n).unwrap();
    let why = check::wrong_node(&org, node("DenyRootUser"), node("ProdGuardrails"));
    assert_eq!(
        why,
        "DenyRootUser is attached to Workloads, but the one this step asks for is attached to Prod"
    );
    let why = check::wrong_node(&org, node("frank"), node("dana"));
    assert_eq!(
        why,
        "frank is in account web-dev under OU Dev; the user this step asks for is in account security under OU Security"
    );
}

/// A what-if step ("make a change after which the question has this answer") is
/// judged on the org as changed, whatever the change: here the org with ProdGuardrails
/// no longer attached to Prod, built from the file, as the scenario module's overlay
/// will give it.
#[test]
fn a_change_is_judged_on_the_org_as_changed() {
    use orgscope::learn::format::{Expect, Question, Verdict};
    let q = Question {
        who: Some("WebDeployer".into()),
        action: "s3:DeleteBucket".into(),
        resource: "arn:aws:s3:::acme-public-website".into(),
        context: [
            ("aws:RequestedRegion".to_string(), "eu-west-1".to_string()),
            ("aws:SecureTransport".to_string(), "true".to_string()),
        ]
        .into(),
        ..Question::default()
    };
    let expect = Expect {
        decision: Some(Verdict(Decision::Allowed)),
        ..Expect::default()
    };
    let before = orgscope::org::load_builtin_acme();
    let Judgment::Wrong(why) = check::judge_changed(&before, &q, &expect) else {
        panic!("unchanged, the question is still denied")
    };
    assert!(
        why.starts_with("after your change, the engine says explicitly denied"),
        "{why}"
    );
    let changed_text = orgscope::org::ACME.replace(
        r#""scps": ["FullAWSAccess", "ProdGuardrails"]"#,
        r#""scps": ["FullAWSAccess"]"#,
    );
    assert_ne!(changed_text, orgscope::org::ACME);
    let (changed, report) = orgscope::org::load_str("acme-changed.json", &changed_text);
    let changed = changed.unwrap_or_else(|| panic!("{report}"));
    assert_eq!(check::judge_changed(&changed, &q, &expect), Judgment::Right);
}
