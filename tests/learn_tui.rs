//! The lesson player in the terminal UI, drawn into ratatui's TestBackend: a lesson
//! played with the app's own keys and questions, hints, a wrong prediction and a
//! wrong node told why, the list of lessons, a narrow screen, hostile lesson text.

use orgscope::learn::{self, Player, load};
use orgscope::org::Org;
use orgscope::tui::app::{App, Msg};
use orgscope::tui::config::Settings;

#[path = "common/tui.rs"]
mod tui;
use tui::{goto, keys, screen, typed};

/// Progress is read from a directory of the tests' own, never the real home.
fn isolate() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let dir = std::env::temp_dir().join(format!("orgscope-learn-tui-{}", std::process::id()));
        // SAFETY: every test of this file sets the same value before reading it.
        unsafe { std::env::set_var("ORGSCOPE_DATA_DIR", dir) };
    });
}

fn app<'o>(org: &'o Org, w: u16, h: u16, lesson: &str) -> App<'o> {
    isolate();
    let mut a = tui::app(org, w, h);
    let lessons = learn::builtin();
    let l = learn::find(&lessons, lesson).unwrap().clone();
    a.start_lesson(Player::new(l, &Default::default()), false);
    a
}

/// Why the last move was wrong.
fn last(a: &App<'_>) -> String {
    match &a.lesson.as_ref().unwrap().last {
        Some(learn::Judgment::Wrong(why)) => why.clone(),
        other => format!("{other:?}"),
    }
}

fn acme() -> Org {
    orgscope::org::load_builtin_acme()
}

#[test]
fn a_lesson_played_with_the_apps_keys() {
    let org = acme();
    let mut a = app(&org, 130, 36, "explicit-deny");
    insta::assert_snapshot!("lesson_start", screen(&a));
    // A step to read: Enter goes on. Then hints, one and a stronger one.
    keys(&mut a, "enter h h");
    let s = screen(&a);
    assert!(s.contains("Hint 2"), "{s}");
    insta::assert_snapshot!("lesson_hints", s);
    // The learner does it in the app: Esc gives the tree the keyboard.
    keys(&mut a, "esc");
    goto(&mut a, "role WebDeployer");
    let s = screen(&a);
    assert!(s.contains("✓ right"), "{s}");
    insta::assert_snapshot!("lesson_selected_right", s);
    // The prediction: implicitly denied by the identity policies. Wrong, told why,
    // and the engine's answer is shown with the statement that decided.
    keys(&mut a, "enter i");
    insta::assert_snapshot!("lesson_pick_layer", screen(&a));
    keys(&mut a, "4");
    let s = screen(&a);
    assert!(s.contains("you predicted implicitly denied"), "{s}");
    assert!(s.contains("NoDestruction"), "{s}");
    insta::assert_snapshot!("lesson_prediction_wrong", s);
    // A wrong SCP is told apart from the right one, with where each is attached.
    keys(&mut a, "enter esc");
    goto(&mut a, "policy DenyRootUser");
    let s = screen(&a);
    assert!(s.contains("attached to Workloads"), "{s}");
    insta::assert_snapshot!("lesson_wrong_node", s);
    goto(&mut a, "policy ProdGuardrails");
    assert!(screen(&a).contains("✓ right"));
    // An ask step: the question asked in the app, answered by the engine.
    keys(&mut a, "enter esc");
    goto(
        &mut a,
        "can WebDeployer secretsmanager:GetSecretValue arn:aws:secretsmanager:eu-west-1:666666666666:secret:web/db-password-AbCdEf aws:RequestedRegion=eu-west-1 aws:SecureTransport=true",
    );
    keys(&mut a, "esc");
    let s = screen(&a);
    assert!(s.contains("OnlyWebApp"), "{s}");
    insta::assert_snapshot!("lesson_asked_right", s);
    let p = &a.lesson.as_ref().unwrap().player;
    assert_eq!(p.step, 4);
    assert_eq!((p.predictions.right, p.predictions.wrong), (0, 1));
}

#[test]
fn another_question_is_told_apart() {
    let org = acme();
    let mut a = app(&org, 130, 36, "explicit-deny");
    // Straight to the ask step.
    let pane = a.lesson.as_mut().unwrap();
    pane.player.step = 4;
    keys(&mut a, "esc");
    goto(
        &mut a,
        "can WebApp secretsmanager:GetSecretValue arn:aws:secretsmanager:eu-west-1:666666666666:secret:web/db-password-AbCdEf",
    );
    keys(&mut a, "esc");
    assert_eq!(
        last(&a),
        "you asked about WebApp; this step is about WebDeployer"
    );
    // The right question without the context the lesson gives: another answer.
    goto(
        &mut a,
        "can WebDeployer secretsmanager:GetSecretValue arn:aws:secretsmanager:eu-west-1:666666666666:secret:web/db-password-AbCdEf",
    );
    keys(&mut a, "esc");
    assert!(
        last(&a).starts_with("that is the question, but"),
        "{}",
        last(&a)
    );
    insta::assert_snapshot!("lesson_question_without_context", screen(&a));
}

#[test]
fn lesson_list_and_narrow_screen() {
    isolate();
    let org = acme();
    let mut a = App::new(&org, Settings::default(), 130, 40);
    goto(&mut a, "learn");
    let s = screen(&a);
    assert!(s.contains("explicit-deny"), "{s}");
    insta::assert_snapshot!("lesson_list", s);
    goto(&mut a, "learn scp-inheritance");
    assert!(a.lesson.is_some());
    // A screen too narrow for three columns: the lesson below the panes.
    a.update(Msg::Resize(100, 30));
    insta::assert_snapshot!("lesson_narrow", screen(&a));
    // The help of the lesson pane comes from the same command list.
    keys(&mut a, "?");
    insta::assert_snapshot!("lesson_help", screen(&a));
}

#[test]
fn finished_and_reset() {
    let org = acme();
    let mut a = app(&org, 130, 30, "root-user");
    let n = a.lesson.as_ref().unwrap().player.lesson.steps().len();
    a.lesson.as_mut().unwrap().player.step = n;
    a.lesson.as_mut().unwrap().player.phase = learn::player::Phase::Finished;
    let s = screen(&a);
    assert!(s.contains("Lesson finished"), "{s}");
    keys(&mut a, "R");
    assert_eq!(a.lesson.as_ref().unwrap().player.step, 0);
}

#[test]
fn hostile_lesson_text_is_inert() {
    isolate();
    let text = "id = \"evil\"\ntitle = \"T\\u001b]0;pwned\\u0007\"\nsummary = \"s\"\nminutes = 1\norg = \"acme\"\n\n[[step]]\nsay = \"read \\u001b[2J this\"\nhints = [\"\\u009b2J\"]\n";
    let lesson = load::parse("evil.toml", text, None).unwrap();
    let org = acme();
    let mut a = App::new(&org, Settings::default(), 120, 30);
    a.start_lesson(Player::new(lesson, &Default::default()), false);
    keys(&mut a, "h");
    let s = screen(&a);
    assert!(s.contains(r"read \x1b[2J this"), "{s}");
    assert!(s.contains(r"\x9b2J"), "{s}");
}

fn step_index(a: &App<'_>, kind: learn::StepKind) -> usize {
    a.lesson
        .as_ref()
        .unwrap()
        .player
        .lesson
        .steps()
        .iter()
        .position(|s| s.kind() == kind)
        .unwrap()
}

/// A what-can step done with the app's own question: the answer comes back from
/// the query pane and is judged.
#[test]
fn a_what_can_step_in_the_app() {
    let org = acme();
    let mut a = app(&org, 130, 36, "least-privilege");
    let i = a
        .lesson
        .as_ref()
        .unwrap()
        .player
        .lesson
        .steps()
        .iter()
        .position(|s| {
            s.ask
                .as_ref()
                .is_some_and(|q| q.kind == learn::format::QuestionKind::WhatCan)
        })
        .unwrap();
    a.lesson.as_mut().unwrap().player.step = i;
    keys(&mut a, "esc");
    goto(&mut a, "what-can WebApp");
    keys(&mut a, "esc");
    assert_eq!(
        last(&a),
        "you asked about WebApp; this step is about ci-legacy"
    );
    goto(&mut a, "what-can ci-legacy");
    keys(&mut a, "esc");
    let s = screen(&a);
    assert!(s.contains("✓ right"), "{s}");
    assert!(s.contains("ci-legacy can do"), "{s}");
}

/// The hook the app calls when its what-if scenario changes: the change step is
/// judged on the changed organization, a wrong change told why, a right one done
/// with the engine's answer after it.
#[test]
fn a_change_step_is_judged_when_the_scenario_changes() {
    use orgscope::scenario::{Change, Document, Scenario, apply};
    let org = acme();
    let mut a = app(&org, 130, 40, "explicit-deny");
    let i = step_index(&a, learn::StepKind::Change);
    a.lesson.as_mut().unwrap().player.step = i;
    let s = screen(&a);
    assert!(s.contains("then m (change menu)"), "{s}");
    assert!(s.contains("learn explicit-deny"), "{s}");
    insta::assert_snapshot!("lesson_change_step", s);
    // The last hint is the lesson's own solution.
    keys(&mut a, "h h h h");
    let shown = a.lesson.as_ref().unwrap().player.shown_hints();
    assert!(
        shown[3].starts_with("One change that does it: put_resource_policy"),
        "{shown:?}"
    );
    let scenario = |changes: Vec<Change>| Scenario {
        description: None,
        changes,
    };
    // An empty scenario (every change undone) is no move.
    let pane = a.lesson.as_mut().unwrap();
    let none = scenario(Vec::new());
    assert_eq!(
        pane.scenario_changed(&org, &org, &none),
        learn::Judgment::Ignored
    );
    // The Allow removed: denied, but not explicitly.
    let wrong = scenario(vec![Change::DeleteInlinePolicy {
        principal: "WebApp".into(),
        name: "WebAppAccess".into(),
    }]);
    let after = apply(&org, &wrong).unwrap();
    let learn::Judgment::Wrong(why) = pane.scenario_changed(&org, &after, &wrong) else {
        panic!("removing the Allow was judged right")
    };
    assert!(
        why.contains("implicitly denied, not explicitly denied"),
        "{why}"
    );
    // A Deny in the secret's own resource policy: right, whatever the lesson's way.
    let right = scenario(vec![Change::PutResourcePolicy {
        resource: "arn:aws:secretsmanager:eu-west-1:666666666666:secret:web/db-password-AbCdEf"
            .into(),
        account: None,
        document: Document::new(
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}"#,
        ),
    }]);
    let after = apply(&org, &right).unwrap();
    a.lesson_scenario_changed(&after, &right);
    let s = screen(&a);
    assert!(s.contains("✓ right"), "{s}");
    assert!(s.contains("Engine: Denied"), "{s}");
    let p = &a.lesson.as_ref().unwrap().player;
    assert_eq!(p.step, i);
    assert!(matches!(p.phase, learn::player::Phase::Done { .. }));
}

/// `:learn` opens a lesson on the app's organization in place; a lesson written on
/// another one asks the runtime to start the app again on it.
#[test]
fn learn_opens_any_lesson() {
    isolate();
    let org = acme();
    let mut a = App::new(&org, Settings::default(), 130, 36);
    goto(&mut a, "learn explicit-deny");
    assert!(a.lesson.is_some() && !a.quit && a.learn.open.is_none());
    a.lesson.as_mut().unwrap().keep_progress = false;
    // The lesson pane has the keyboard: Esc gives it to the tree, where `:` works.
    keys(&mut a, "esc");
    goto(&mut a, "learn users-groups-policies");
    assert!(a.quit, "the app ends to start again on the lesson's org");
    assert_eq!(
        a.learn.open.as_ref().map(|l| l.id()),
        Some("users-groups-policies")
    );
    // The runtime says which lesson org the app holds: the first-steps org's
    // lessons open in place there.
    let lessons = learn::builtin();
    let l = learn::find(&lessons, "users-groups-policies")
        .unwrap()
        .clone();
    let first_steps = l.load_org().unwrap();
    let mut b = App::new(&first_steps, Settings::default(), 130, 36);
    b.learn.org_key = Some(l.org_key());
    goto(&mut b, "learn users-groups-policies");
    assert!(b.lesson.is_some() && !b.quit);
    b.lesson.as_mut().unwrap().keep_progress = false;
    keys(&mut b, "esc");
    goto(&mut b, "learn explicit-deny");
    assert!(b.quit);
    assert_eq!(b.learn.open.as_ref().map(|l| l.id()), Some("explicit-deny"));
}

/// Practice in the pane: the question, a prediction, the engine's answer with the
/// deciding statement, the score, the next question.
#[test]
fn practice_in_the_pane() {
    isolate();
    let org = acme();
    let mut a = App::new(&org, Settings::default(), 130, 36);
    a.now = "2026-11-23T12:00:00Z".parse().unwrap();
    a.start_practice(6, 1, false);
    let s = screen(&a);
    assert!(s.contains("Question 1 of 6"), "{s}");
    insta::assert_snapshot!("practice_question", s);
    let p = a.learn.practice.as_ref().unwrap();
    let (d, layer) = p.current().unwrap().key();
    // The engine's own answer, keyed in: right.
    let key = match d {
        orgscope::engine::Decision::Allowed => "a",
        orgscope::engine::Decision::ImplicitlyDenied => "i",
        orgscope::engine::Decision::ExplicitlyDenied => "e",
    };
    keys(&mut a, key);
    if let Some(l) = layer {
        let n = learn::LayerKind::ALL.iter().position(|k| *k == l).unwrap() + 1;
        keys(&mut a, &n.to_string());
    }
    let s = screen(&a);
    assert!(s.contains("✓ right") && s.contains("Engine:"), "{s}");
    insta::assert_snapshot!("practice_answered", s);
    // The next question: predicted wrong on purpose, told why.
    keys(&mut a, "enter");
    let p = a.learn.practice.as_ref().unwrap();
    assert_eq!(p.at, 1);
    let wrong = match p.current().unwrap().key().0 {
        orgscope::engine::Decision::Allowed => "i 4",
        _ => "a",
    };
    keys(&mut a, wrong);
    let s = screen(&a);
    assert!(s.contains("✗ you predicted"), "{s}");
    assert!(s.contains("score 1/2"), "{s}");
    // Every question answered: the score.
    let p = a.learn.practice.as_mut().unwrap();
    p.at = p.questions.len() - 1;
    keys(&mut a, "enter");
    assert!(screen(&a).contains("Practice done"));
    // `:practice` from the palette opens it too, on the app's org.
    let mut b = App::new(&org, Settings::default(), 130, 36);
    b.lesson_list = false;
    goto(&mut b, "practice 3");
    b.learn.practice.as_mut().unwrap().keep_progress = false;
    assert_eq!(b.learn.practice.as_ref().unwrap().questions.len(), 3);
}

/// A paths step: who reaches a role is the other way round, told why; the roles
/// dana reaches is right.
#[test]
fn a_paths_step_in_the_app() {
    let org = acme();
    let mut a = app(&org, 130, 36, "roles");
    let i = a
        .lesson
        .as_ref()
        .unwrap()
        .player
        .lesson
        .steps()
        .iter()
        .position(|s| {
            s.ask
                .as_ref()
                .is_some_and(|q| q.kind == learn::format::QuestionKind::Paths)
        })
        .unwrap();
    a.lesson.as_mut().unwrap().player.step = i;
    keys(&mut a, "esc");
    goto(&mut a, "paths --to SecurityAuditor");
    keys(&mut a, "esc");
    assert_eq!(
        last(&a),
        "you asked who reaches a role; this step asks which roles dana can reach (p on dana)"
    );
    goto(&mut a, "paths dana");
    keys(&mut a, "esc");
    let s = screen(&a);
    assert!(s.contains("✓ right"), "{s}");
    assert!(s.contains("dana reaches 4 role(s)"), "{s}");
}

/// A change made with the app's own what-if keys is the move of a change step: a
/// change that leaves the answer as it was is told why (an allow-list at the account
/// does not lift the OU's), without moving on.
/// (AWS Organizations, "SCP evaluation": every level from the root to the account
/// must allow the action.)
#[test]
fn a_change_made_in_the_app_is_judged_by_the_lesson() {
    let org = acme();
    let mut a = app(&org, 130, 40, "scp-inheritance");
    let i = step_index(&a, learn::StepKind::Change);
    a.lesson.as_mut().unwrap().player.step = i;
    keys(&mut a, "esc :");
    typed(&mut a, "account sandbox-alice");
    keys(&mut a, "enter m");
    typed(&mut a, "attach an SCP");
    keys(&mut a, "enter");
    typed(&mut a, "FullAWSAccess");
    keys(&mut a, "enter");
    assert_eq!(a.what_if.changes.done().len(), 1, "{}", screen(&a));
    let s = screen(&a);
    let p = &a.lesson.as_ref().unwrap().player;
    assert_eq!(p.step, i, "{s}");
    assert!(
        !matches!(p.phase, learn::player::Phase::Done { .. }),
        "a change that leaves alice denied was taken as right: {s}"
    );
    assert!(s.contains("✗"), "the wrong change is told: {s}");
}
