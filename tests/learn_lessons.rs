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
    let mut kinds = std::collections::BTreeSet::new();
    for lesson in learn::builtin() {
        let org = lesson.load_org().expect("the lesson's org loads");
        for e in lesson.check_answers(&org) {
            failures.push(e.to_string());
        }
        for step in lesson.steps() {
            if let Some(q) = step.question() {
                kinds.insert((format!("{:?}", step.kind()), q.kind.name()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "lessons disagree with the engine:\n{}",
        failures.join("\n")
    );
    // Every kind of question is asked somewhere, and changes are asked for.
    for want in [
        ("Ask", "can"),
        ("Ask", "who-can"),
        ("Ask", "what-can"),
        ("Ask", "paths"),
        ("Predict", "can"),
        ("Change", "can"),
        ("Change", "what-can"),
    ] {
        assert!(
            kinds.contains(&(want.0.to_string(), want.1)),
            "no {want:?} step among {kinds:?}"
        );
    }
}

/// A change step's stated answer is checked like the others: a lesson whose
/// solution does not do what the step asks, or whose question already has the
/// answer, is caught.
#[test]
fn a_change_step_that_cannot_be_done_is_caught() {
    let lesson = learn::builtin()
        .into_iter()
        .find(|l| l.id() == "explicit-deny")
        .unwrap();
    let org = lesson.load_org().unwrap();
    let i = lesson
        .steps()
        .iter()
        .position(|s| s.kind() == StepKind::Change)
        .unwrap();
    // The solution denies everything: the guard (the website) breaks.
    let mut broken = lesson.clone();
    broken.file.steps[i].solution[0] = toml::from_str(
        r#"
op = "put_inline_policy"
principal = "WebApp"
name = "Stop"
document = '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}'
"#,
    )
    .unwrap();
    let errors = broken.check_answers(&org);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = errors[0].to_string();
    assert!(
        e.contains(&format!("step {}: the solution does not do it: that answers the question, but breaks what must stay as it is", i + 1)),
        "{e}"
    );
    // A question that already has the stated answer asks for no change.
    let mut idle = lesson.clone();
    idle.file.steps[i].expect.as_mut().unwrap().decision =
        Some(orgscope::learn::format::Verdict(Decision::Allowed));
    let e = idle.check_answers(&org)[0].to_string();
    assert!(e.contains("already has the stated answer"), "{e}");
}

/// The app keeps a change step's change, and answers the later steps for the org it
/// makes: a step after it whose stated answer the solution changes is caught, with
/// the change step named. (explicit-deny: WebApp reads the secret, allowed before
/// the step that cuts it off; asked again after it, the answer is a deny.)
#[test]
fn a_step_after_a_change_that_the_change_answers_otherwise_is_caught() {
    let lesson = learn::builtin()
        .into_iter()
        .find(|l| l.id() == "explicit-deny")
        .unwrap();
    let org = lesson.load_org().unwrap();
    assert!(lesson.check_answers(&org).is_empty());
    let steps = lesson.steps();
    let change = steps
        .iter()
        .position(|s| s.kind() == StepKind::Change)
        .unwrap();
    let before = steps[..change]
        .iter()
        .position(|s| {
            s.kind() == StepKind::Predict
                && s.predict.as_ref().unwrap().action == "secretsmanager:GetSecretValue"
        })
        .expect("the secret's predict step before the change");
    let mut again = lesson.clone();
    let copy = again.file.steps[before].clone();
    again.file.steps.push(copy);
    let errors = again.check_answers(&org);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = errors[0].to_string();
    assert!(
        e.contains(&format!(
            "step {}: asked after step {}'s change (its solution applied, as the app keeps it): ",
            again.file.steps.len(),
            change + 1
        )) && e.contains("explicitly denied"),
        "{e}"
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
                        QuestionKind::WhatCan | QuestionKind::Paths => {
                            match check::answer(&org, &q).unwrap() {
                                check::Answered::WhatCan(a) => p.on(
                                    &org,
                                    Event::AskedWhatCan(&a, &orgscope::analysis::Filter::default()),
                                ),
                                check::Answered::Paths(a) => p.on(&org, Event::AskedPaths(&a)),
                                other => panic!("{other:?}"),
                            }
                        }
                    };
                    assert_eq!(j, Judgment::Right, "{}: {}", lesson.id(), step.say);
                    assert!(p.answer.is_some() || q.kind == QuestionKind::WhoCan);
                    p.next(&org);
                }
                StepKind::Change => {
                    // Nothing changed yet is no move; the lesson's own solution is right.
                    let j = p.on(&org, Event::Changed(&org));
                    assert!(matches!(j, Judgment::Wrong(_)), "{}: {j:?}", lesson.id());
                    let after =
                        orgscope::scenario::apply(&org, &check::solution(&step).unwrap()).unwrap();
                    assert_eq!(
                        p.on(&org, Event::Changed(&after)),
                        Judgment::Right,
                        "{}: {}",
                        lesson.id(),
                        step.say
                    );
                    assert!(p.answer.is_some(), "{}", lesson.id());
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
    // Accounts by where they sit; a policy attached everywhere by a few places.
    let why = check::wrong_node(&org, node("acme-management"), node("security"));
    assert_eq!(
        why,
        "acme-management is directly under the root; the account this step asks for is under OU Security"
    );
    let why = check::wrong_node(&org, node("FullAWSAccess"), node("ProdGuardrails"));
    let n = org.attachments(node_policy(&org, "FullAWSAccess")).len();
    assert_eq!(
        why,
        format!(
            "FullAWSAccess is attached to Root, Security, Infrastructure and {} more, but the one this step asks for is attached to Prod",
            n - 3
        )
    );
}

fn node_policy(org: &orgscope::org::Org, name: &str) -> orgscope::org::PolicyIx {
    match load::resolve_node(org, name).unwrap() {
        orgscope::org::Entity::Policy(p) => p,
        other => panic!("{other:?}"),
    }
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

/// What-can and paths steps are judged from the app's answers: another principal, a
/// filter that hides what the step is about, or another kind of question is wrong,
/// with why.
#[test]
fn what_can_and_paths_steps_are_judged_from_the_answers() {
    use orgscope::analysis::{Filter, paths, what_can};
    let lessons = learn::builtin();
    let org = orgscope::org::load_builtin_acme();
    let step_of = |id: &str, kind: QuestionKind| {
        learn::find(&lessons, id)
            .unwrap()
            .steps()
            .iter()
            .find(|s| s.kind() == StepKind::Ask && s.ask.as_ref().unwrap().kind == kind)
            .unwrap()
            .clone()
    };
    let wc = step_of("least-privilege", QuestionKind::WhatCan);
    let none = Filter::default();
    let a = what_can(&org, "ci-legacy", &none, &[]).unwrap();
    assert_eq!(
        check::judge(&org, &wc, Event::AskedWhatCan(&a, &none)),
        Judgment::Right
    );
    let other = what_can(&org, "WebApp", &none, &[]).unwrap();
    assert_eq!(
        check::judge(&org, &wc, Event::AskedWhatCan(&other, &none)),
        Judgment::Wrong("you asked about WebApp; this step is about ci-legacy".into())
    );
    let s3 = Filter {
        service: Some("s3".into()),
        level: None,
    };
    let filtered = what_can(&org, "ci-legacy", &s3, &[]).unwrap();
    let Judgment::Wrong(why) = check::judge(&org, &wc, Event::AskedWhatCan(&filtered, &s3)) else {
        panic!("a filter that hides the IAM actions was judged right")
    };
    assert!(
        why.contains("you filtered on the service s3, which hides iam:AttachUserPolicy"),
        "{why}"
    );
    let p = paths(&org, "ci-legacy", None, &[]).unwrap();
    assert_eq!(
        check::judge(&org, &wc, Event::AskedPaths(&p)),
        Judgment::Wrong(
            "this step asks what ci-legacy can do (W), not which roles one can reach".into()
        )
    );

    let ps = step_of("roles", QuestionKind::Paths);
    let dana = paths(&org, "dana", None, &[]).unwrap();
    assert_eq!(
        check::judge(&org, &ps, Event::AskedPaths(&dana)),
        Judgment::Right
    );
    // frank reaches none of dana's roles: the answer the step states is not his.
    let frank = paths(&org, "frank", None, &[]).unwrap();
    assert_eq!(
        check::judge(&org, &ps, Event::AskedPaths(&frank)),
        Judgment::Wrong("you asked about frank; this step is about dana".into())
    );
}

/// A change step: any change that gives the stated answer counts; a change that
/// leaves the answer as it was, moves it the wrong way, or breaks a guard is told
/// apart, with why.
#[test]
fn change_steps_take_any_right_change_and_tell_wrong_ones_why() {
    use orgscope::scenario::{Change, Document, Scenario, apply};
    let lessons = learn::builtin();
    let lesson = learn::find(&lessons, "explicit-deny").unwrap();
    let org = lesson.load_org().unwrap();
    let step = lesson
        .steps()
        .iter()
        .find(|s| s.kind() == StepKind::Change)
        .unwrap();
    let deny_secret = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}"#;
    let judged = |changes: Vec<Change>| {
        let after = apply(
            &org,
            &Scenario {
                description: None,
                changes,
            },
        )
        .unwrap();
        check::judge_change(&org, &after, step)
    };
    // The lesson's way (an inline Deny on WebApp) and another: an SCP on web-prod.
    assert_eq!(
        judged(check::solution(step).unwrap().changes),
        Judgment::Right
    );
    assert_eq!(
        judged(vec![
            Change::CreateOrgPolicy {
                kind: orgscope::scenario::OrgPolicyKind::Scp,
                name: "NoSecrets".into(),
                description: None,
                document: Document::new(deny_secret),
            },
            Change::Attach {
                kind: orgscope::scenario::OrgPolicyKind::Scp,
                policy: "NoSecrets".into(),
                target: "web-prod".into(),
            },
        ]),
        Judgment::Right
    );
    // Nothing to do with WebApp: the answer did not move.
    let Judgment::Wrong(why) = judged(vec![Change::CreateUser {
        account: "web-prod".into(),
        name: "intern".into(),
        path: None,
    }]) else {
        panic!("an unrelated change was judged right")
    };
    assert!(
        why.starts_with(
            "your change does not change the answer: the engine says allowed, not explicitly denied"
        ),
        "{why}"
    );
    // The Allow taken away: denied, but implicitly.
    let Judgment::Wrong(why) = judged(vec![Change::DeleteInlinePolicy {
        principal: "WebApp".into(),
        name: "WebAppAccess".into(),
    }]) else {
        panic!("removing the Allow was judged right")
    };
    assert!(why.starts_with("the answer changed, but not to the one asked for: the engine says implicitly denied, not explicitly denied"), "{why}");
    // A Deny on everything: the secret is denied, and so is the website.
    let Judgment::Wrong(why) = judged(vec![Change::PutInlinePolicy {
        principal: "WebApp".into(),
        name: "Stop".into(),
        document: Document::new(
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}"#,
        ),
    }]) else {
        panic!("a change that breaks the guard was judged right")
    };
    assert!(why.starts_with("that answers the question, but breaks what must stay as it is (can WebApp do s3:PutObject on arn:aws:s3:::acme-public-website/index.html must stay allowed)"), "{why}");
}

/// A who-can answer that allows a principal only on a condition the question does
/// not settle cannot back a lesson stating that it is not allowed.
#[test]
fn a_conditional_principal_is_not_excluded() {
    let text = r#"
id = "cond"
title = "t"
summary = "s"
minutes = 1
org = "acme"

[[step]]
say = "who can assume OrgSecurityAdmin?"
[step.ask]
kind = "who-can"
action = "sts:AssumeRole"
resource = "arn:aws:iam::222222222222:role/OrgSecurityAdmin"
[step.expect]
excludes = ["OrgSecurityAdmin"]
"#;
    let lesson = load::parse("cond.toml", text, None).unwrap();
    let org = lesson.load_org().unwrap();
    let errors = lesson.check_answers(&org);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].to_string().contains(
            "OrgSecurityAdmin can sts:AssumeRole on a condition the question does not settle"
        ),
        "{}",
        errors[0]
    );
}
