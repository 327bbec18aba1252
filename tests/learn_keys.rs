//! Every built-in lesson played through the app by key events, as a learner plays it
//! (no terminal): select steps with the palette (`:role NAME`...), questions with the
//! query pane (`c`, `w`, `W`, `p`, fields filled by typing), predictions with `a`
//! `i` `e` and the layer's number, changes with the change menu (`m`) and the in-app
//! editor (`Ctrl-s`), from each lesson's own TOML: its `select`, `ask`, `expect` and
//! `solution`. The moves are made from the step's kind, never per lesson. Then every
//! step played wrong: the step is not done, and the learner is told why.

use crossterm::event::{KeyCode, KeyModifiers};
use orgscope::engine::Decision;
use orgscope::learn::format::{Question, QuestionKind};
use orgscope::learn::player::Phase;
use orgscope::learn::{self, Judgment, LayerKind, Lesson, Player, Step, StepKind, check, load};
use orgscope::org::{Entity, NameLookup, Org};
use orgscope::scenario::{Change, OrgPolicyKind};
use orgscope::tui::app::{App, Popup};
use orgscope::tui::config::Settings;
use orgscope::tui::query::form::Field;

#[path = "common/tui.rs"]
mod tui;
use tui::{go_command, keys, press, screen, typed};

// ---- keys -----------------------------------------------------------------------

/// The tree takes the keyboard (Esc from the lesson pane), as the pane's help says.
fn to_tree(a: &mut App<'_>) {
    if a.lesson_focused() {
        keys(a, "esc");
    }
    assert!(!a.lesson_focused());
}

/// The lesson pane takes the keyboard back (`L`).
fn to_lesson(a: &mut App<'_>) {
    if !a.lesson_focused() {
        keys(a, "L");
    }
    assert!(a.lesson_focused(), "{:?}", a.status);
}

fn palette(a: &mut App<'_>, command: &str) {
    to_tree(a);
    keys(a, ":");
    typed(a, command);
    keys(a, "enter");
}

// ---- the moves, from a step -----------------------------------------------------

/// Selects `e` with the palette, naming it `text` (a name, an id or an ARN).
fn select(a: &mut App<'_>, e: Entity, text: &str) {
    palette(a, &format!("{} {text}", go_command(e)));
    assert_eq!(
        a.selected().entity(),
        Some(e),
        "`:{} {text}` did not select it: {:?}",
        go_command(e),
        a.status
    );
}

/// How a learner names a node in the palette: its name where unique, else its ARN.
fn palette_name(org: &Org, e: Entity) -> String {
    let name = org.name(e);
    if matches!(org.by_name(name), NameLookup::Unique(_)) {
        return name.to_string();
    }
    org.arn(e).unwrap_or(name).to_string()
}

/// Asks a question in the query pane: its key, then each field of the form cleared
/// (`Ctrl-u`) and typed, Tab between fields, Enter.
fn ask(a: &mut App<'_>, q: &Question) {
    to_tree(a);
    keys(
        a,
        match q.kind {
            QuestionKind::Can => "c",
            QuestionKind::WhoCan => "w",
            QuestionKind::WhatCan => "W",
            QuestionKind::Paths => "p",
        },
    );
    assert_eq!(a.popup, Popup::Query);
    let context: Vec<String> = q.context.iter().map(|(k, v)| format!("{k}={v}")).collect();
    for &field in a.query.form.fields() {
        let value = match field {
            Field::Principal => q.who.clone().unwrap_or_default(),
            Field::Action => q.action.clone(),
            Field::Resource => q.resource.clone(),
            Field::Context => context.join(" "),
            _ => String::new(),
        };
        // Tab to the field, as the cursor shows it.
        for _ in 0..a.query.form.fields().len() {
            if a.query.form.focused() == field {
                break;
            }
            keys(a, "tab");
        }
        assert_eq!(a.query.form.focused(), field);
        keys(a, "ctrl-u");
        typed(a, &value);
    }
    keys(a, "enter");
    assert!(a.shown_answer().is_some(), "no answer: {:?}", a.status);
    keys(a, "esc");
}

/// Predicts with the lesson pane's keys: `a`, `i` or `e`, and a denial's layer as
/// its number in the pane's list.
fn predict(a: &mut App<'_>, d: Decision, layer: Option<LayerKind>) {
    to_lesson(a);
    keys(
        a,
        match d {
            Decision::Allowed => "a",
            Decision::ImplicitlyDenied => "i",
            Decision::ExplicitlyDenied => "e",
        },
    );
    if d != Decision::Allowed {
        let l = layer.expect("a denial is predicted with its layer");
        let n = LayerKind::ALL.iter().position(|k| *k == l).unwrap() + 1;
        keys(a, &n.to_string());
    }
}

/// The menu row whose label contains `text`, chosen by typing it as the filter.
fn menu_pick(a: &mut App<'_>, text: &str) {
    assert_eq!(a.popup, Popup::ChangeMenu, "{:?}", a.status);
    typed(a, text);
    let m = a.menu.as_ref().unwrap();
    let rows = m.rows();
    assert!(!rows.is_empty(), "the menu has no row `{text}`");
    // Exact labels first: `PaymentsDataPerimeter` before `PaymentsDataPerimeterOld`.
    if let Some(at) = rows.iter().position(|(_, l)| *l == text) {
        for _ in 0..at {
            keys(a, "down");
        }
    }
    keys(a, "enter");
}

/// Replaces the editor's text with `document` by keys: select all (to the top, then
/// Shift to the bottom), delete, type, and keep it with `Ctrl-s`.
fn edit_document(a: &mut App<'_>, document: &str) {
    assert_eq!(a.popup, Popup::Editor, "{:?}", a.status);
    press(a, KeyCode::Char('<'), KeyModifiers::ALT);
    keys(a, "home");
    press(
        a,
        KeyCode::Down,
        KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT,
    );
    press(a, KeyCode::End, KeyModifiers::SHIFT);
    keys(a, "backspace");
    assert_eq!(a.editor.as_ref().unwrap().text(), "");
    typed(a, document);
    keys(a, "ctrl-s");
    assert_eq!(
        a.popup,
        Popup::None,
        "the edit was not kept: {:?}",
        a.status
    );
}

/// Resolves a scenario's name for an entity, as `apply` does: an ARN, a unique name.
fn entity(org: &Org, text: &str) -> Entity {
    load::resolve_node(org, text).unwrap_or_else(|e| panic!("{e}"))
}

/// A customer managed policy by its account (name or id) and name.
fn managed_policy(org: &Org, account: &str, name: &str) -> Entity {
    let Entity::Account(acc) = entity(org, account) else {
        panic!("{account} is not an account")
    };
    let arn = format!("arn:aws:iam::{}:policy/{name}", org.account(acc).id);
    org.by_arn(&arn)
        .unwrap_or_else(|| panic!("no managed policy {arn}"))
}

/// What a change is made with in the app: the node it is made on, the menu row,
/// and the choice or the document.
enum Made {
    Choice(Entity, String, String),
    Document(Entity, String, String),
}

fn how_made(org: &Org, c: &Change) -> Made {
    use Change::*;
    let kind = |k: &OrgPolicyKind| k.label();
    match c {
        Attach {
            kind: k,
            policy,
            target,
        } => Made::Choice(
            entity(org, target),
            format!("attach an {}", kind(k)),
            policy.clone(),
        ),
        Detach {
            kind: k,
            policy,
            target,
        } => Made::Choice(
            entity(org, target),
            format!("detach an {}", kind(k)),
            policy.clone(),
        ),
        MoveAccount { account, to } => {
            Made::Choice(entity(org, account), "move the account".into(), to.clone())
        }
        AddUserToGroup { user, group } => Made::Choice(
            entity(org, user),
            "add the user to a group".into(),
            group.clone(),
        ),
        RemoveUserFromGroup { user, group } => Made::Choice(
            entity(org, user),
            "remove the user from a group".into(),
            group.clone(),
        ),
        AttachManagedPolicy { principal, policy } => Made::Choice(
            entity(org, principal),
            "attach a managed policy".into(),
            policy.clone(),
        ),
        DetachManagedPolicy { principal, policy } => Made::Choice(
            entity(org, principal),
            "detach a managed policy".into(),
            policy.clone(),
        ),
        SetBoundary { principal, policy } => Made::Choice(
            entity(org, principal),
            "set the permissions boundary".into(),
            policy.clone(),
        ),
        EditOrgPolicy {
            policy, document, ..
        } => Made::Document(
            entity(org, policy),
            "edit the policy".into(),
            document.text().into(),
        ),
        PutManagedPolicy {
            account,
            name,
            document,
        } => Made::Document(
            managed_policy(org, account, name),
            "edit the policy".into(),
            document.text().into(),
        ),
        PutInlinePolicy {
            principal,
            name,
            document,
        } => Made::Document(
            entity(org, principal),
            format!("edit the inline policy {name}"),
            document.text().into(),
        ),
        SetTrustPolicy { role, document } => Made::Document(
            entity(org, role),
            "edit the trust policy".into(),
            document.text().into(),
        ),
        PutResourcePolicy {
            resource, document, ..
        } => Made::Document(
            entity(org, resource),
            "edit the resource policy".into(),
            document.text().into(),
        ),
        other => panic!(
            "no key path in the app for the change {}: the change menu does not offer it",
            other.op()
        ),
    }
}

/// Makes a change with the what-if keys: select its node, `m`, its row, then the
/// choice or the document in the editor.
fn make(a: &mut App<'_>, org: &Org, c: &Change) {
    let done = a.what_if.changes.done().len();
    match how_made(org, c) {
        Made::Choice(on, row, choice) => {
            select(a, on, &palette_name(org, on));
            keys(a, "m");
            menu_pick(a, &row);
            menu_pick(a, &choice);
        }
        Made::Document(on, row, document) => {
            select(a, on, &palette_name(org, on));
            keys(a, "m");
            menu_pick(a, &row);
            edit_document(a, &document);
        }
    }
    assert_eq!(
        a.what_if.changes.done().len(),
        done + 1,
        "the change was not made: {:?}",
        a.status
    );
}

/// Plays a step right, from the lesson's own file.
fn play_right(a: &mut App<'_>, org: &Org, step: &Step) {
    match step.kind() {
        StepKind::Read => {}
        StepKind::Select => {
            let text = step.select.as_deref().unwrap();
            select(a, entity(org, text), text);
        }
        StepKind::Ask => ask(a, step.ask.as_ref().unwrap()),
        StepKind::Predict => {
            let e = step.expect.as_ref().unwrap();
            predict(a, e.decision.unwrap().0, e.layer);
        }
        StepKind::Change => {
            for c in check::solution(step).unwrap().changes {
                make(a, org, &c);
            }
        }
    }
}

/// Every node of the same kind as `want`, found as a learner names them (ids, ARNs).
fn of_kind(org: &Org, want: Entity) -> Vec<Entity> {
    let names: Vec<String> = match want {
        Entity::Ou(_) => org.ous().iter().map(|o| o.id.to_string()).collect(),
        Entity::Account(_) => org.accounts().iter().map(|x| x.id.to_string()).collect(),
        Entity::User(_) => org.users().iter().map(|x| x.arn.to_string()).collect(),
        Entity::Group(_) => org.groups().iter().map(|x| x.arn.to_string()).collect(),
        Entity::Role(_) => org.roles().iter().map(|x| x.arn.to_string()).collect(),
        // Policies by where they are attached or kept (an SCP has no ARN).
        Entity::Policy(_) => {
            let root = org.root();
            let mut ixs: Vec<orgscope::org::PolicyIx> =
                root.scps.iter().chain(&root.rcps).copied().collect();
            for o in org.ous() {
                ixs.extend(o.scps.iter().chain(&o.rcps));
            }
            for x in org.accounts() {
                ixs.extend(x.scps.iter().chain(&x.rcps).chain(&x.policies));
            }
            ixs.dedup();
            return ixs.into_iter().map(Entity::Policy).collect();
        }
        Entity::Resource(_) => org.resources().iter().map(|x| x.arn.to_string()).collect(),
        Entity::Root => Vec::new(),
    };
    names
        .iter()
        .filter_map(|n| load::resolve_node(org, n).ok())
        .filter(|e| std::mem::discriminant(e) == std::mem::discriminant(&want))
        .collect()
}

/// Another node of the same kind as `want`.
fn another_of_kind(org: &Org, want: Entity) -> Entity {
    of_kind(org, want)
        .into_iter()
        .find(|&e| e != want && matches!(org.by_name(org.name(e)), NameLookup::Unique(_)))
        .unwrap_or_else(|| panic!("no other node of the kind of {}", org.name(want)))
}

/// Another principal than the question's, for a question asked about the wrong one.
fn another_principal(org: &Org, q: &Question) -> String {
    let who = q.who.as_deref().unwrap_or_default();
    let want = load::resolve_node(org, who).ok();
    org.roles()
        .iter()
        .map(|r| r.arn.to_string())
        .chain(org.users().iter().map(|u| u.arn.to_string()))
        .find(|arn| org.by_arn(arn) != want)
        .expect("another principal")
}

/// A document for the same policy that allows something unrelated: a change made,
/// that does not reach the step's goal.
fn unrelated_document(made_on: Entity, org: &Org) -> String {
    let resource_side = match made_on {
        Entity::Resource(_) => true,
        Entity::Role(_) => false,
        _ => false,
    };
    let _ = org;
    if resource_side {
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "s3:ListBucket", "Resource": "*"}]}"#.into()
    } else {
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]}"#.into()
    }
}

/// Plays a step wrong: another node of its kind, the question about another
/// principal or action, the other prediction (or the right decision with another
/// layer), a change on the same node that does not do what is asked.
fn play_wrong(a: &mut App<'_>, org: &Org, step: &Step) {
    match step.kind() {
        StepKind::Read => {}
        StepKind::Select => {
            let want = entity(org, step.select.as_deref().unwrap());
            let other = another_of_kind(org, want);
            // Selecting the node selected already is no move: first away from it,
            // to another kind of node (no move either).
            if a.selected().entity() == Some(other) {
                let away = match want {
                    Entity::Account(_) => org.ous()[0].id.to_string(),
                    _ => org.accounts()[0].id.to_string(),
                };
                select(a, entity(org, &away), &away);
                assert_eq!(a.lesson.as_ref().unwrap().last, None);
            }
            select(a, other, &palette_name(org, other));
        }
        StepKind::Ask => {
            let mut q = step.ask.clone().unwrap();
            match q.kind {
                QuestionKind::WhoCan => {
                    q.action = if q.action == "s3:ListBucket" {
                        "s3:GetObject".into()
                    } else {
                        "s3:ListBucket".into()
                    }
                }
                _ => q.who = Some(another_principal(org, &q)),
            }
            ask(a, &q);
        }
        StepKind::Predict => {
            let e = step.expect.as_ref().unwrap();
            match (e.decision.unwrap().0, e.layer) {
                (Decision::Allowed, _) => {
                    predict(a, Decision::ImplicitlyDenied, Some(LayerKind::Identity))
                }
                (d, Some(l)) => {
                    let other = *LayerKind::ALL.iter().find(|k| **k != l).unwrap();
                    predict(a, d, Some(other));
                }
                (_, None) => predict(a, Decision::Allowed, None),
            }
        }
        StepKind::Change => {
            let solution = check::solution(step).unwrap().changes;
            match how_made(org, &solution[0]) {
                Made::Document(on, row, _) => {
                    select(a, on, &palette_name(org, on));
                    keys(a, "m");
                    menu_pick(a, &row);
                    edit_document(a, &unrelated_document(on, org));
                }
                Made::Choice(on, row, choice) => {
                    // The same menu, another choice than the solution's.
                    select(a, on, &palette_name(org, on));
                    keys(a, "m");
                    menu_pick(a, &row);
                    let rows: Vec<String> = a
                        .menu
                        .as_ref()
                        .unwrap()
                        .rows()
                        .iter()
                        .map(|(_, l)| l.to_string())
                        .collect();
                    let other = rows
                        .iter()
                        .find(|l| !l.starts_with(&choice))
                        .unwrap_or_else(|| panic!("only {choice} to choose"));
                    menu_pick(a, other);
                }
            }
        }
    }
}

// ---- the lessons ----------------------------------------------------------------

/// Progress is kept in a directory of the tests' own, never the real home.
fn isolate() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let dir = std::env::temp_dir().join(format!("orgscope-learn-keys-{}", std::process::id()));
        // SAFETY: every test of this file sets the same value before reading it.
        unsafe { std::env::set_var("ORGSCOPE_DATA_DIR", dir) };
    });
}

fn app<'o>(org: &'o Org, lesson: &Lesson) -> App<'o> {
    isolate();
    let mut a = tui::app(org, 140, 45);
    a.start_lesson(Player::new(lesson.clone(), &Default::default()), false);
    a
}

fn player<'x>(a: &'x App<'_>) -> &'x Player {
    &a.lesson.as_ref().unwrap().player
}

/// Enter in the lesson pane: on past a step done (or one to read).
fn go_on(a: &mut App<'_>) {
    to_lesson(a);
    keys(a, "enter");
}

#[test]
fn every_lesson_completes_played_by_keys_from_its_own_file() {
    let lessons = learn::builtin();
    assert!(lessons.len() >= 12);
    for lesson in &lessons {
        let org = lesson.load_org().unwrap();
        let mut a = app(&org, lesson);
        for (i, step) in lesson.steps().iter().enumerate() {
            let at = format!("{} step {}", lesson.id(), i + 1);
            assert_eq!(
                (player(&a).step, &player(&a).phase),
                (i, &Phase::Doing),
                "{at}"
            );
            play_right(&mut a, &org, step);
            if step.kind() != StepKind::Read {
                assert_eq!(
                    player(&a).phase,
                    Phase::Done { missed: false },
                    "{at}: {:?} {:?}",
                    a.lesson.as_ref().unwrap().last,
                    a.status
                );
                assert_eq!(
                    a.lesson.as_ref().unwrap().last,
                    Some(Judgment::Right),
                    "{at}"
                );
                assert!(screen(&a).contains("✓ right"), "{at}");
            }
            go_on(&mut a);
        }
        let p = player(&a);
        assert_eq!(p.phase, Phase::Finished, "{}", lesson.id());
        assert!(p.progress().done, "{}", lesson.id());
        assert_eq!(p.predictions.wrong, 0, "{}", lesson.id());
        assert!(screen(&a).contains("Lesson finished"), "{}", lesson.id());
    }
}

#[test]
fn every_step_played_wrong_is_not_done_and_told_why() {
    let lessons = learn::builtin();
    let mut judged = 0;
    for lesson in &lessons {
        let org = lesson.load_org().unwrap();
        let mut a = app(&org, lesson);
        let predictions = lesson
            .steps()
            .iter()
            .filter(|s| s.kind() == StepKind::Predict)
            .count();
        for (i, step) in lesson.steps().iter().enumerate() {
            let at = format!("{} step {}", lesson.id(), i + 1);
            if step.kind() == StepKind::Read {
                go_on(&mut a);
                continue;
            }
            play_wrong(&mut a, &org, step);
            let Some(Judgment::Wrong(why)) = a.lesson.as_ref().unwrap().last.clone() else {
                panic!(
                    "{at}: a wrong move was judged {:?}",
                    a.lesson.as_ref().unwrap().last
                )
            };
            assert!(!why.is_empty(), "{at}");
            // The pane says why (its first words: the pane wraps the rest).
            let start: String = why.chars().take(24).collect();
            let s = screen(&a);
            assert!(
                s.contains(&format!("✗ {start}")),
                "{at}: the pane does not say why ({why}):\n{s}"
            );
            judged += 1;
            if step.kind() == StepKind::Predict {
                // A prediction is made once: it counts as missed, the answer shows.
                assert_eq!(player(&a).phase, Phase::Done { missed: true }, "{at}");
            } else {
                assert_eq!(player(&a).phase, Phase::Doing, "{at}: {why}");
                assert_eq!(player(&a).step, i, "{at}");
                // The wrong change undone (`u`), the right move is still taken.
                if step.kind() == StepKind::Change {
                    to_tree(&mut a);
                    keys(&mut a, "u");
                    assert!(a.what_if.changes.is_empty(), "{at}");
                }
                play_right(&mut a, &org, step);
                assert_eq!(player(&a).phase, Phase::Done { missed: false }, "{at}");
            }
            go_on(&mut a);
        }
        let p = player(&a);
        assert_eq!(p.phase, Phase::Finished, "{}", lesson.id());
        assert_eq!(
            (p.predictions.right, p.predictions.wrong),
            (0, u32::try_from(predictions).unwrap()),
            "{}",
            lesson.id()
        );
    }
    assert!(judged > 50, "{judged}");
}

/// The lesson the what-if judging tests play: its secret is read, then denied.
fn explicit_deny() -> Lesson {
    learn::builtin()
        .into_iter()
        .find(|l| l.id() == "explicit-deny")
        .unwrap()
}

/// The place of the ask or predict step about reading the secret.
fn secret_step(steps: &[Step], kind: StepKind) -> usize {
    steps
        .iter()
        .position(|s| {
            let action = match kind {
                StepKind::Ask => s.ask.as_ref().map(|q| q.action.as_str()),
                StepKind::Predict => s.predict.as_ref().map(|q| q.action.as_str()),
                _ => None,
            };
            s.kind() == kind && action == Some("secretsmanager:GetSecretValue")
        })
        .unwrap_or_else(|| panic!("the secret's {kind:?} step"))
}

/// Every step before `at` played right: the lesson stands at `at`.
fn play_right_up_to(a: &mut App<'_>, org: &Org, steps: &[Step], at: usize) {
    for step in &steps[..at] {
        play_right(a, org, step);
        go_on(a);
    }
    assert_eq!(player(a).step, at);
}

/// While a what-if scenario is active the learner sees the org it makes, and an ask
/// step is judged on that org: a scenario that changes the answer makes the right
/// question's answer not the lesson's, told as such; undone, the same question is
/// right.
#[test]
fn an_ask_step_is_judged_on_the_org_the_learner_sees() {
    let lesson = explicit_deny();
    let org = lesson.load_org().unwrap();
    let mut a = app(&org, &lesson);
    let steps = lesson.steps();
    let at = secret_step(steps, StepKind::Ask);
    play_right_up_to(&mut a, &org, steps, at);
    let q = steps[at].ask.clone().unwrap();
    // The secret's policy opened to everyone: WebDeployer is no longer denied there.
    let secret = "arn:aws:secretsmanager:eu-west-1:666666666666:secret:web/db-password-AbCdEf";
    make(
        &mut a,
        &org,
        &Change::PutResourcePolicy {
            resource: secret.into(),
            account: Some("666666666666".into()),
            document: orgscope::scenario::Document::new(
                r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}"#,
            ),
        },
    );
    ask(&mut a, &q);
    assert_eq!(player(&a).phase, Phase::Doing, "{:?}", a.status);
    let last = a.lesson.as_ref().unwrap().last.clone();
    assert!(
        matches!(&last, Some(Judgment::Wrong(why)) if why.contains("what-if changes")),
        "{last:?} {:?}",
        a.status
    );
    to_tree(&mut a);
    keys(&mut a, "esc u");
    assert!(a.what_if.changes.done().is_empty(), "{:?}", a.status);
    ask(&mut a, &q);
    assert_eq!(
        a.lesson.as_ref().unwrap().last,
        Some(Judgment::Right),
        "{:?}",
        a.status
    );
}

/// While a what-if scenario is active a predict step is judged on the org the
/// learner sees, as an ask step is, and the pane says so before the prediction and
/// shows the answer before the changes beside the engine's after it.
#[test]
fn a_predict_step_is_judged_on_the_org_the_learner_sees() {
    let lesson = explicit_deny();
    let org = lesson.load_org().unwrap();
    let mut a = app(&org, &lesson);
    let steps = lesson.steps();
    // The prediction that WebApp reads the secret: allowed in the org as loaded.
    let at = secret_step(steps, StepKind::Predict);
    play_right_up_to(&mut a, &org, steps, at);
    assert!(!screen(&a).contains("⚑ what if"), "no scenario yet");
    // The next step's own solution, made early: the secret's policy now denies
    // everyone.
    let fix = steps[at + 1..]
        .iter()
        .find(|s| s.kind() == StepKind::Change)
        .unwrap();
    for c in check::solution(fix).unwrap().changes {
        make(&mut a, &org, &c);
    }
    let s = screen(&a);
    assert!(
        s.contains("⚑ what if: answered for the organization as"),
        "{s}"
    );
    // The lesson's answer (allowed, as loaded) is wrong on the org shown.
    let e = steps[at].expect.as_ref().unwrap();
    predict(&mut a, e.decision.unwrap().0, e.layer);
    assert_eq!(player(&a).phase, Phase::Done { missed: true });
    let answer = player(&a).answer.clone().unwrap_or_default();
    assert!(answer.contains("explicitly denies"), "{answer}");
    let before = a
        .lesson
        .as_ref()
        .unwrap()
        .before
        .clone()
        .unwrap_or_default();
    assert!(
        before.starts_with("before your what-if changes: Allowed"),
        "{before}"
    );
    let s = screen(&a);
    assert!(s.contains("Engine, before your"), "{s}");

    // Undone and played again from that step: the org as loaded, no note, right.
    to_tree(&mut a);
    keys(&mut a, "esc u");
    assert!(a.what_if.changes.done().is_empty(), "{:?}", a.status);
    a.lesson.as_mut().unwrap().player.step = at;
    a.lesson.as_mut().unwrap().player.phase = Phase::Doing;
    predict(&mut a, e.decision.unwrap().0, e.layer);
    assert_eq!(player(&a).phase, Phase::Done { missed: false });
    assert_eq!(a.lesson.as_ref().unwrap().before, None);
    assert!(!screen(&a).contains("⚑ what if"));
}

/// Practice drawn before a what-if change is answered on the org shown when the
/// prediction is made: an SCP denying everything attached to the principal's
/// account makes an allowed question explicitly denied by an SCP; the pane says
/// which org and what the answer was before the change.
#[test]
fn practice_is_answered_on_the_org_the_learner_sees() {
    isolate();
    let org = orgscope::org::load_builtin_acme();
    let mut a = App::new(&org, Settings::default(), 140, 45);
    a.start_practice(40, 1, false);
    let mgmt = org
        .management_account()
        .map(|m| org.account(m).id.to_string());
    let p = a.learn.practice.as_mut().unwrap();
    // An allowed question of a user in a member account (SCPs govern it).
    let at = p
        .questions
        .iter()
        .position(|q| {
            let account = q.arn.split(':').nth(4).map(str::to_string);
            q.answer.decision == Decision::Allowed && q.arn.contains(":user/") && account != mgmt
        })
        .expect("an allowed question of a member account's user");
    p.at = at;
    let q = p.current().unwrap().clone();
    let account = q.arn.split(':').nth(4).unwrap().to_string();
    make(
        &mut a,
        &org,
        &Change::Attach {
            kind: OrgPolicyKind::Scp,
            policy: "DenyAll".into(),
            target: account,
        },
    );
    assert!(screen(&a).contains("⚑ what if"));
    predict(&mut a, Decision::ExplicitlyDenied, Some(LayerKind::Scp));
    let p = a.learn.practice.as_ref().unwrap();
    assert_eq!(
        p.phase,
        orgscope::tui::learn::practice::PracticePhase::Answered(Judgment::Right),
        "{:?}",
        a.status
    );
    assert_eq!(
        p.current().unwrap().answer.decision,
        Decision::ExplicitlyDenied
    );
    let before = p.before.clone().unwrap_or_default();
    assert!(
        before.starts_with("before your what-if changes: Allowed"),
        "{before}"
    );
    assert!(screen(&a).contains("Engine, before your"));
}
