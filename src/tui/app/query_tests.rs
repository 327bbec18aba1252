//! The query pane driven by messages, with no terminal: opening it from a node or the
//! palette, completion, running, answers, jumps, the filter, and the worker with its
//! cancellation.

use std::sync::mpsc;
use std::time::Duration;

use super::tests::{acme, app, click, node_named, press, type_text};
use super::*;
use crate::tui::query::answer::Jump;
use crate::tui::query::form::{Field, QueryKind};

/// The rows of the answer as text, as shown (after the filter).
fn rows(a: &App<'_>) -> Vec<String> {
    let ans = a.query.answer.as_ref().expect("an answer");
    ans.view
        .rows()
        .iter()
        .map(|r| ans.tree().item(r.id).text())
        .collect()
}

/// Selects the first answer row whose text satisfies `f`.
fn select_row(a: &mut App<'_>, f: impl Fn(&str) -> bool) {
    let i = rows(a)
        .iter()
        .position(|t| f(t))
        .unwrap_or_else(|| panic!("no such row in {:#?}", rows(a)));
    a.query.answer.as_mut().unwrap().view.select_index(i);
}

fn header(a: &App<'_>) -> String {
    let ans = a.query.answer.as_ref().expect("an answer");
    ans.full.header[0].iter().map(|(_, s)| s.as_str()).collect()
}

#[test]
fn c_on_a_user_opens_the_form_prefilled() {
    let org = acme();
    let mut a = app(&org);
    press(&mut a, ":");
    type_text(&mut a, "user dana");
    press(&mut a, "enter c");
    assert_eq!(a.popup, Popup::Query);
    assert_eq!(a.context(), Context::Query);
    assert_eq!(a.query.form.kind, QueryKind::Can);
    assert_eq!(a.query.form.value(Field::Principal), "dana");
    assert_eq!(
        a.query.form.focused(),
        Field::Action,
        "the first empty field"
    );
    // Completion: typing lists actions, Down chooses, Enter takes.
    type_text(&mut a, "sts:assumerole");
    assert!(a.query.completing && a.query.candidates.len() >= 3);
    assert_eq!(a.query.selected, None, "nothing chosen: Enter would run");
    press(&mut a, "down enter");
    assert_eq!(a.query.form.value(Field::Action), "sts:AssumeRole");
    assert!(!a.query.completing);
    // Resources and roles come from the org.
    press(&mut a, "tab");
    type_text(&mut a, "securityauditor");
    press(&mut a, "down enter");
    assert_eq!(
        a.query.form.value(Field::Resource),
        "arn:aws:iam::222222222222:role/SecurityAuditor"
    );
    press(&mut a, "enter");
    assert_eq!(a.context(), Context::Answer);
    assert_eq!(header(&a), "✓ Allowed");
    // Esc closes, `a` brings it back as it was.
    press(&mut a, "esc");
    assert_eq!(a.popup, Popup::None);
    press(&mut a, "a");
    assert_eq!(a.context(), Context::Answer);
    assert_eq!(header(&a), "✓ Allowed");
}

#[test]
fn w_on_a_role_asks_who_can_assume_it() {
    let org = acme();
    let mut a = app(&org);
    let role = node_named(&a, "OrgSecurityAdmin");
    a.jump_to(role);
    press(&mut a, "w");
    assert_eq!(a.query.form.kind, QueryKind::WhoCan);
    assert_eq!(a.query.form.value(Field::Action), "sts:AssumeRole");
    assert_eq!(
        a.query.form.value(Field::Resource),
        "arn:aws:iam::222222222222:role/OrgSecurityAdmin"
    );
    press(&mut a, "enter");
    assert_eq!(a.context(), Context::Answer);
    assert!(rows(&a)[0].starts_with("Allowed"), "{:?}", rows(&a));
}

#[test]
fn a_statement_jumps_to_its_policy_highlighted() {
    let org = acme();
    let mut a = app(&org);
    press(&mut a, ":");
    type_text(
        &mut a,
        "can eve s3:GetObject arn:aws:s3:::acme-public-website/index.html",
    );
    press(&mut a, "enter");
    assert_eq!(a.context(), Context::Answer, "arguments fill it: it runs");
    assert_eq!(header(&a), "✗ ExplicitlyDenied  blocked by RCP root");
    // The blocking layer is selected first.
    let ans = a.query.answer.as_ref().unwrap();
    let sel = ans.view.selected().unwrap();
    assert!(ans.tree().item(sel).text().starts_with("RCP root"));
    select_row(&mut a, |t| {
        t.starts_with("Deny") && t.contains("DenyPlainHttp")
    });
    let Some(Jump::Statement(m)) = a.query.answer.as_ref().unwrap().selected_jump() else {
        panic!("a statement row")
    };
    press(&mut a, "enter");
    assert_eq!(a.popup, Popup::None);
    assert_eq!(a.selected(), node_named(&a, "EnforceSecureTransport"));
    assert_eq!(a.tab, Tab::Json);
    assert_eq!(a.focus, Focus::Details);
    assert_eq!(a.mark.map(|(_, x)| x), Some(m));
    // The marked lines are in the JSON tab, and on screen.
    let text = |l: &Line<'_>| {
        l.spans
            .iter()
            .map(|s| s.content.as_ref())
            .collect::<String>()
    };
    let marked: Vec<usize> = (0..a.detail.lines.len())
        .filter(|&i| text(&a.detail.lines[i]).starts_with('▌'))
        .collect();
    assert!(!marked.is_empty());
    assert!(
        marked
            .iter()
            .any(|&i| text(&a.detail.lines[i]).contains("DenyPlainHttp"))
    );
    let rows = a.areas.detail_rows().unwrap().height as usize;
    assert!(marked[0] >= a.detail.scroll && marked[0] < a.detail.scroll + rows);
    assert!(a.status.as_ref().unwrap().text.contains("DenyPlainHttp"));
    // Moving away drops the highlight; back in history, the policy shows plain.
    press(&mut a, "esc j");
    assert!(a.mark.is_none());
    // The answer is still there.
    press(&mut a, "a");
    assert_eq!(header(&a), "✗ ExplicitlyDenied  blocked by RCP root");
    // A layer's row shows its node with the tab of its policies.
    select_row(&mut a, |t| t.starts_with("RCP OU Workloads"));
    press(&mut a, "enter");
    assert_eq!(a.selected(), node_named(&a, "Workloads"));
    assert_eq!((a.tab, a.focus), (Tab::OrgPolicies, Focus::Details));
    press(&mut a, "a");
    select_row(&mut a, |t| t.starts_with("identity policies"));
    press(&mut a, "enter");
    assert_eq!(a.selected(), node_named(&a, "eve"));
    assert_eq!(a.tab, Tab::Policies);
}

#[test]
fn principals_and_roles_in_answers_jump_to_the_tree() {
    let org = acme();
    let mut a = app(&org);
    press(&mut a, ":");
    type_text(
        &mut a,
        "who-can s3:GetObject arn:aws:s3:::acme-public-website/index.html",
    );
    press(&mut a, "enter");
    select_row(&mut a, |t| t.starts_with("carol"));
    press(&mut a, "enter");
    assert_eq!(a.selected(), node_named(&a, "carol"));
    assert_eq!(a.focus, Focus::Tree);
    press(&mut a, ":");
    type_text(&mut a, "paths dana");
    press(&mut a, "enter");
    assert!(
        header(&a).ends_with("can reach 4 principals"),
        "{}",
        header(&a)
    );
    select_row(&mut a, |t| t.starts_with("SecurityAuditor"));
    press(&mut a, "enter");
    assert_eq!(a.selected(), node_named(&a, "SecurityAuditor"));
}

/// Who reaches a role: each row names the account of the principal that reaches it
/// (carol is in 111111111111), not the account of the role reached.
#[test]
fn who_reaches_names_each_principals_own_account() {
    let org = acme();
    let mut a = app(&org);
    press(&mut a, ":");
    type_text(&mut a, "paths --to ci-legacy");
    press(&mut a, "enter");
    let carol = rows(&a)
        .into_iter()
        .find(|t| t.starts_with("carol"))
        .expect("carol reaches ci-legacy");
    assert!(carol.contains("(111111111111)"), "{carol}");
}

#[test]
fn what_can_is_filtered() {
    let org = acme();
    let mut a = app(&org);
    press(&mut a, ":");
    type_text(&mut a, "what-can WebDeployer s3");
    press(&mut a, "enter");
    assert_eq!(a.context(), Context::Answer);
    let all = rows(&a).len();
    assert!(all > 179, "{all}");
    press(&mut a, "/");
    assert_eq!(a.context(), Context::AnswerFilter);
    type_text(&mut a, "bucketpolicy");
    let kept = rows(&a);
    assert!(kept.len() < 10, "{kept:?}");
    assert!(kept.iter().any(|r| r.starts_with("s3:PutBucketPolicy")));
    press(&mut a, "enter");
    assert_eq!(a.context(), Context::Answer, "the filter stays");
    assert_eq!(rows(&a).len(), kept.len());
    press(&mut a, "/ esc");
    assert_eq!(rows(&a).len(), all, "Esc clears it");
    // Left closes a group, Right opens it.
    press(&mut a, "g left");
    assert!(rows(&a).len() < all);
    press(&mut a, "right");
    assert_eq!(rows(&a).len(), all);
}

#[test]
fn an_incomplete_form_says_what_is_missing() {
    let org = acme();
    let mut a = app(&org);
    press(&mut a, "c");
    assert_eq!(a.query.form.focused(), Field::Principal);
    type_text(&mut a, "dana");
    press(&mut a, "esc enter");
    assert!(a.status.as_ref().unwrap().text.contains("give the action"));
    assert_eq!(a.query.form.focused(), Field::Action);
    assert!(a.query.answer.is_none());
    // An unknown principal is the analysis' error, shown in the pane.
    press(&mut a, "backtab ctrl-u");
    type_text(&mut a, "nobody");
    press(&mut a, "esc tab");
    type_text(&mut a, "s3:GetObject");
    press(&mut a, "esc tab");
    type_text(&mut a, "*");
    press(&mut a, "esc enter");
    let e = a.query.error.as_deref().unwrap();
    assert!(e.contains("no user or role `nobody`"), "{e}");
    assert_eq!(a.context(), Context::Query);
    // Esc with no list open closes the pane.
    press(&mut a, "esc");
    assert_eq!(a.popup, Popup::None);
}

#[test]
fn the_answer_switches_question_with_the_same_fields() {
    let org = acme();
    let mut a = app(&org);
    press(&mut a, ":");
    type_text(
        &mut a,
        "can dana sts:AssumeRole arn:aws:iam::777777777777:role/DevDeploy",
    );
    press(&mut a, "enter");
    assert_eq!(a.context(), Context::Answer);
    // p: paths from dana, shown in the form first; Enter runs it.
    press(&mut a, "p");
    assert_eq!(a.query.form.kind, QueryKind::Paths);
    assert_eq!(a.context(), Context::Query);
    press(&mut a, "enter");
    assert_eq!(a.context(), Context::Answer);
    assert!(header(&a).contains("dana can reach"), "{}", header(&a));
    // ? shows the answer's keys, and closing it comes back to the pane.
    press(&mut a, "?");
    assert_eq!(a.context(), Context::Help);
    let help: Vec<String> = crate::tui::view::help_lines(&a, Context::Answer)
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect();
    assert!(
        help.iter().any(|l| l == "Keys in the query form"),
        "{help:#?}"
    );
    press(&mut a, "esc");
    assert_eq!(a.context(), Context::Answer);
    // Tab goes to the form; Tab past the last field back to the answer.
    press(&mut a, "tab");
    assert_eq!(a.context(), Context::Query);
    press(&mut a, "tab tab tab");
    assert_eq!(a.context(), Context::Answer);
}

#[test]
fn the_worker_answers_and_a_cancelled_question_is_dropped() {
    let org = acme();
    let (job_tx, job_rx) = mpsc::channel();
    let (msg_tx, msg_rx) = mpsc::channel();
    let mut a = app(&org);
    let awaited = a.query_in_background(job_tx);
    press(&mut a, ":");
    type_text(
        &mut a,
        "can dana sts:AssumeRole arn:aws:iam::777777777777:role/DevDeploy",
    );
    press(&mut a, "enter");
    assert_eq!(a.context(), Context::QueryRunning);
    assert!(a.busy());
    // Keys other than Esc do nothing while it runs.
    press(&mut a, "j tab");
    assert_eq!(a.context(), Context::QueryRunning);
    press(&mut a, "esc");
    assert!(!a.busy());
    assert_eq!(a.context(), Context::Query);
    assert!(a.status.as_ref().unwrap().text.contains("can cancelled"));
    // A second question, awaited.
    press(&mut a, "enter");
    assert!(a.busy());
    std::thread::scope(|s| {
        let org = &org;
        let awaited = &awaited;
        // The worker starts with both questions queued: it skips the cancelled one.
        s.spawn(move || crate::tui::query::serve(org, job_rx, awaited, msg_tx));
        let m = msg_rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the worker answers");
        let Msg::Answered(id, _) = &m else {
            panic!("{m:?}")
        };
        assert_eq!(*id, 2, "only the awaited question is answered");
        // A stale answer (to the cancelled question) would be ignored too.
        let stale = Msg::Answered(1, std::sync::Arc::new(Err("stale".into())));
        a.update(stale);
        assert!(a.busy() && a.query.error.is_none());
        a.update(m);
        assert!(!a.busy());
        assert_eq!(a.context(), Context::Answer);
        assert_eq!(
            header(&a),
            "✗ ImplicitlyDenied  blocked by identity policies"
        );
        // Dropping the app closes the queue and the worker ends.
        drop(a);
    });
    assert!(msg_rx.try_recv().is_err(), "nothing else was sent");
}

#[test]
fn ticks_move_the_progress_line() {
    let org = acme();
    let (job_tx, _job_rx) = mpsc::channel();
    let mut a = app(&org);
    let awaited = a.query_in_background(job_tx);
    press(&mut a, ":");
    type_text(&mut a, "who-can s3:GetObject *");
    press(&mut a, "enter");
    assert_eq!(a.query.running.as_ref().unwrap().elapsed, Duration::ZERO);
    std::thread::sleep(Duration::from_millis(5));
    a.update(Msg::Tick);
    let r = a.query.running.as_ref().unwrap();
    assert!(r.elapsed > Duration::ZERO);
    assert_eq!(r.done, None, "nothing counted yet: the bar sweeps");
    // The worker's part, done here: the question counts its principals as it goes.
    let ask = crate::analysis::Ask {
        action: "s3:GetObject".into(),
        resource: "*".into(),
        ..Default::default()
    };
    let watch = crate::analysis::Watch::new(&crate::analysis::never, &awaited.progress);
    crate::analysis::who_can_until(&org, &ask, watch).unwrap();
    a.update(Msg::Tick);
    assert_eq!(a.query.running.as_ref().unwrap().done, Some(1.0));
}

#[test]
fn clicks_pick_rows_fields_and_questions() {
    let org = acme();
    let mut a = app(&org);
    press(&mut a, ":");
    type_text(
        &mut a,
        "who-can s3:GetObject arn:aws:s3:::acme-public-website/index.html",
    );
    press(&mut a, "enter");
    let parts = a.query_parts();
    assert_eq!(
        parts.fields.height, 1,
        "the form folds while the answer has the keys"
    );
    let carol = rows(&a)
        .iter()
        .position(|r| r.starts_with("carol"))
        .unwrap();
    let y = parts.rows.y + carol as u16;
    click(&mut a, 10, y);
    assert_eq!(a.popup, Popup::Query, "a first click selects");
    click(&mut a, 10, y);
    assert_eq!(a.popup, Popup::None, "a second one jumps");
    assert_eq!(a.selected(), node_named(&a, "carol"));
    // The folded form: a click unfolds it.
    press(&mut a, "a");
    let y = a.query_parts().fields.y;
    click(&mut a, 10, y);
    assert_eq!(a.context(), Context::Query);
    assert_eq!(a.query_parts().fields.height, 4);
    // The question names: a click switches.
    let kinds = a.query_parts().kinds;
    let x = kinds.x + 1 + "can │ who-can │ ".len() as u16 + 2;
    click(&mut a, x, kinds.y);
    assert_eq!(a.query.form.kind, QueryKind::WhatCan);
}

#[test]
fn y_copies_what_a_row_points_to() {
    let org = acme();
    let mut a = app(&org);
    press(&mut a, ":");
    type_text(&mut a, "paths dana");
    press(&mut a, "enter");
    select_row(&mut a, |t| t.starts_with("SecurityAuditor"));
    assert_eq!(
        press(&mut a, "y"),
        [Effect::Copy(
            "arn:aws:iam::222222222222:role/SecurityAuditor".into()
        )]
    );
    press(&mut a, "g");
    assert!(press(&mut a, "y").is_empty(), "a heading points nowhere");
    assert!(a.status.as_ref().unwrap().text.contains("nothing to copy"));
}

#[test]
fn a_dependency_asks_again_with_its_value() {
    let org = acme();
    let mut a = app(&org);
    press(&mut a, ":");
    type_text(
        &mut a,
        "can eve s3:GetObject arn:aws:s3:::acme-public-website/index.html aws:SourceIp=10.0.0.1",
    );
    press(&mut a, "enter");
    select_row(&mut a, |t| t.starts_with("aws:SecureTransport: (absent)"));
    press(&mut a, "right");
    select_row(&mut a, |t| {
        t == "ask with aws:SecureTransport=true → ImplicitlyDenied"
    });
    press(&mut a, "enter");
    assert_eq!(
        a.query.form.value(Field::Context),
        "aws:SourceIp=10.0.0.1 aws:SecureTransport=true"
    );
    assert_eq!(
        header(&a),
        "✗ ImplicitlyDenied  blocked by identity policies"
    );
    // Asked again with the other value: it replaces the key's.
    let mut b = app(&org);
    b.query
        .form
        .set(Field::Context, "AWS:SecureTransport=true x=1");
    b.with_context("aws:securetransport=false");
    assert_eq!(
        b.query.form.value(Field::Context),
        "x=1 aws:securetransport=false"
    );
}

/// A directory of its own for a test's files, removed when dropped.
struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("orgscope-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn file(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn headers(a: &App<'_>) -> Vec<String> {
    let ans = a.query.answer.as_ref().expect("an answer");
    ans.full
        .header
        .iter()
        .map(|l| l.iter().map(|(_, s)| s.as_str()).collect())
        .collect()
}

#[test]
fn the_resource_account_completes_accounts_and_takes_names() {
    let org = acme();
    let mut a = app(&org);
    press(&mut a, ":");
    type_text(&mut a, "user dana");
    press(&mut a, "enter c");
    type_text(&mut a, "s3:GetObject");
    press(&mut a, "esc tab");
    type_text(&mut a, "arn:aws:s3:::elsewhere-bucket/k");
    press(&mut a, "esc tab");
    assert_eq!(a.query.form.focused(), Field::ResourceAccount);
    // Accounts by name or id; the id is taken.
    type_text(&mut a, "web-pr");
    press(&mut a, "down");
    assert!(!a.query.candidates.is_empty());
    press(&mut a, "enter");
    assert_eq!(a.query.form.value(Field::ResourceAccount), "666666666666");
    press(&mut a, "enter");
    assert_eq!(a.context(), Context::Answer);
    assert_eq!(headers(&a)[2], "resource account 666666666666 (web-prod)");
    // The RCPs are those of that account.
    assert!(
        rows(&a)
            .iter()
            .any(|r| r.starts_with("RCP account web-prod"))
    );
    // A name is turned into its id; an unknown one is an error in the pane.
    a.query.form.set(Field::ResourceAccount, "security");
    a.run_query();
    assert_eq!(headers(&a)[2], "resource account 222222222222 (security)");
    a.query.form.set(Field::ResourceAccount, "nowhere");
    a.run_query();
    let e = a.query.error.as_deref().expect("an error");
    assert!(
        e.starts_with("resource account `nowhere`: no account of the organization has this name"),
        "{e}"
    );
    assert_eq!(a.context(), Context::Query);
    // Left empty: the principal's own account, assumed, and the answer says so.
    a.query.form.set(Field::ResourceAccount, "");
    a.run_query();
    assert_eq!(
        headers(&a)[2],
        "resource account 222222222222 (security)  (assumed: the ARN names no account)"
    );
}

#[test]
fn who_can_takes_the_resource_account_from_the_palette() {
    let org = acme();
    let mut a = app(&org);
    press(&mut a, ":");
    type_text(
        &mut a,
        "who-can s3:GetObject arn:aws:s3:::elsewhere-bucket/k --resource-account web-prod",
    );
    press(&mut a, "enter");
    assert_eq!(a.context(), Context::Answer);
    assert_eq!(a.query.form.value(Field::ResourceAccount), "web-prod");
    assert_eq!(headers(&a)[1], "resource account 666666666666 (web-prod)");
    // Without it, the account is unknown: each principal in its own.
    press(&mut a, "esc :");
    type_text(
        &mut a,
        "who-can s3:GetObject arn:aws:s3:::elsewhere-bucket/k",
    );
    press(&mut a, "enter");
    assert_eq!(a.query.form.value(Field::ResourceAccount), "", "cleared");
    assert!(headers(&a)[1].starts_with("the resource's account is unknown"));
    // An option the question does not take: said, and nothing runs.
    press(&mut a, "esc :");
    type_text(&mut a, "who-can s3:GetObject * --compare eve");
    press(&mut a, "enter");
    assert_eq!(a.context(), Context::Query);
    assert!(a.query.running.is_none());
    let s = &a.status.as_ref().unwrap().text;
    assert_eq!(
        s,
        "`--compare` is not for this question: who-can takes --resource-account"
    );
}

const READ_ONLY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "ReadOnly", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
  ]
}
"#;

#[test]
fn a_session_policy_file_narrows_can() {
    let dir = Scratch::new("session-policy");
    let good = dir.file("read-only.json", READ_ONLY);
    let before = std::fs::metadata(&good).unwrap().modified().unwrap();
    let org = acme();
    let mut a = app(&org);
    let question = "can WebDeployer s3:PutObject arn:aws:s3:::acme-public-website/x \
                    aws:RequestedRegion=eu-west-1 aws:SecureTransport=true";
    press(&mut a, ":");
    type_text(&mut a, question);
    press(&mut a, "enter");
    assert_eq!(header(&a), "✓ Allowed");
    press(&mut a, "esc :");
    type_text(&mut a, &format!("{question} --session-policy {good}"));
    press(&mut a, "enter");
    assert_eq!(a.query.form.value(Field::SessionPolicy), good);
    assert_eq!(header(&a), "✗ ImplicitlyDenied  blocked by session policy");
    assert!(headers(&a).contains(&format!("session policy {good}")));
    assert!(
        rows(&a)
            .iter()
            .any(|r| r.starts_with("session policy") && r.contains("no allow")),
        "{:#?}",
        rows(&a)
    );
    // Read, never written.
    assert_eq!(std::fs::read_to_string(&good).unwrap(), READ_ONLY);
    assert_eq!(
        std::fs::metadata(&good).unwrap().modified().unwrap(),
        before
    );
}

#[test]
fn a_bad_session_policy_file_says_where_and_what() {
    let dir = Scratch::new("bad-session-policy");
    let bad = dir.file(
        "bad.json",
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allw\", \"Action\": \"s3:*\", \"Resource\": \"*\"}\n  ]\n}\n",
    );
    let org = acme();
    let mut a = app(&org);
    press(&mut a, ":");
    type_text(
        &mut a,
        &format!("can WebDeployer s3:PutObject * --session-policy {bad}"),
    );
    press(&mut a, "enter");
    assert_eq!(a.context(), Context::Query, "the error is in the pane");
    assert_eq!(
        a.query.error.as_deref(),
        Some(
            format!(
                "session policy `{bad}`: line 4 column 21, at Statement[0].Effect: \
                 `Effect` must be \"Allow\" or \"Deny\", not `Allw`"
            )
            .as_str()
        )
    );
    // A file that is not there, a directory, a file that is not JSON.
    let missing = format!("{}/missing.json", dir.0.display());
    for (path, says) in [
        (
            missing.as_str(),
            "cannot read it: No such file or directory",
        ),
        (
            dir.0.to_str().unwrap(),
            "a directory, not a JSON policy file",
        ),
    ] {
        a.query.form.set(Field::SessionPolicy, path);
        a.run_query();
        let e = a.query.error.as_deref().expect("an error");
        assert!(
            e.starts_with(&format!("session policy `{path}`: {says}")),
            "{e}"
        );
    }
    let text = dir.file("notes.txt", "not json\n");
    a.query.form.set(Field::SessionPolicy, &text);
    a.run_query();
    let e = a.query.error.as_deref().expect("an error");
    assert!(
        e.starts_with(&format!("session policy `{text}`: line 1 column 2")),
        "{e}"
    );
    // Corrected, it runs.
    a.query
        .form
        .set(Field::SessionPolicy, dir.file("ok.json", READ_ONLY));
    a.run_query();
    assert!(a.query.error.is_none());
    assert_eq!(a.context(), Context::Answer);
}

#[test]
fn the_session_policy_field_completes_paths() {
    let dir = Scratch::new("complete-paths");
    std::fs::create_dir_all(dir.0.join("policies")).unwrap();
    dir.file("policies/read-only.json", READ_ONLY);
    let org = acme();
    let mut a = app(&org);
    press(&mut a, "c");
    a.query.form.focus(Field::SessionPolicy);
    type_text(&mut a, &format!("{}/pol", dir.0.display()));
    assert!(a.query.completing);
    press(&mut a, "down enter");
    let policies = format!("{}/policies/", dir.0.display());
    assert_eq!(a.query.form.value(Field::SessionPolicy), policies);
    // A directory taken: its files are listed next.
    assert!(a.query.completing);
    press(&mut a, "down enter");
    assert_eq!(
        a.query.form.value(Field::SessionPolicy),
        format!("{policies}read-only.json")
    );
    assert!(!a.query.completing);
}

#[test]
fn what_can_compares_and_its_principals_jump() {
    let org = acme();
    let mut a = app(&org);
    press(&mut a, ":");
    type_text(&mut a, "user dana");
    press(&mut a, "enter W");
    assert_eq!(a.query.form.kind, QueryKind::WhatCan);
    press(&mut a, "tab");
    assert_eq!(a.query.form.focused(), Field::Compare);
    // Principals complete, as in the principal field.
    type_text(&mut a, "webdeploy");
    press(&mut a, "down enter");
    assert_eq!(a.query.form.value(Field::Compare), "WebDeployer");
    press(&mut a, "tab");
    type_text(&mut a, "iam");
    press(&mut a, "esc enter");
    assert_eq!(a.context(), Context::Answer);
    let h = headers(&a);
    assert!(
        h[0].contains(" in both · ") && h[0].contains(" only WebDeployer"),
        "{h:?}"
    );
    assert!(
        h[1].starts_with("dana can do ") && h[1].ends_with("(only iam)"),
        "{h:?}"
    );
    let all = rows(&a);
    assert!(all[0].starts_with("Only dana"), "{all:?}");
    assert!(all.iter().any(|r| r.starts_with("Only WebDeployer")));
    assert!(all.iter().any(|r| r.starts_with("In both (")));
    // A large group starts closed (dana's 75 actions), a small one open
    // (WebDeployer's 2); Right opens.
    assert_eq!(
        all,
        [
            "Only dana (75 actions)  arn:aws:iam::222222222222:user/dana",
            "Only WebDeployer (2 actions)  arn:aws:iam::666666666666:role/WebDeployer",
            "iam  (2)",
            "iam:CreateServiceLinkedRole  Write                   *",
            "iam:DeleteServiceLinkedRole  Write                   *",
            "In both (1 action; resources as dana has them)",
        ]
    );
    select_row(&mut a, |t| t.starts_with("Only dana"));
    press(&mut a, "right");
    assert!(rows(&a).len() > 75, "{}", rows(&a).len());
    // Enter on a principal's group goes to it in the tree.
    select_row(&mut a, |t| t.starts_with("Only WebDeployer"));
    press(&mut a, "enter");
    assert_eq!(a.popup, Popup::None);
    assert_eq!(a.selected(), node_named(&a, "WebDeployer"));
    press(&mut a, "a");
    select_row(&mut a, |t| t.starts_with("Only dana"));
    press(&mut a, "enter");
    assert_eq!(a.selected(), node_named(&a, "dana"));
    // An unknown principal to compare with: the analysis' error, in the pane.
    press(&mut a, "esc :");
    type_text(&mut a, "what-can dana --compare nobody");
    press(&mut a, "enter");
    let e = a.query.error.as_deref().expect("an error");
    assert!(e.contains("no user or role `nobody`"), "{e}");
    // Cleared, it is what-can again.
    a.query.form.set(Field::Compare, "");
    a.run_query();
    assert!(
        header(&a).starts_with("arn:aws:iam::222222222222:user/dana can do "),
        "{}",
        header(&a)
    );
    assert!(!rows(&a).iter().any(|r| r.starts_with("Only ")));
}

/// Every matched statement of an answer, Entered one after another (the details
/// pane keeps the keys in between, as after a jump): its policy's JSON tab shows it
/// marked on every row it takes, wrapped rows too, and on screen.
#[test]
fn every_matched_statement_is_marked_and_in_view() {
    let org = acme();
    // Narrow: long ARNs wrap.
    let mut a = App::new(&org, Settings::default(), 90, 30);
    let text = |l: &Line<'_>| {
        l.spans
            .iter()
            .map(|s| s.content.as_ref())
            .collect::<String>()
    };
    let mut seen = 0;
    for question in [
        "can dana sts:AssumeRole arn:aws:iam::222222222222:role/SecurityAuditor",
        "can eve s3:GetObject arn:aws:s3:::acme-public-website/index.html",
        "can frank iam:CreateUser arn:aws:iam::777777777777:user/newcomer",
        "can WebDeployer s3:PutObject arn:aws:s3:::acme-public-website/x",
    ] {
        press(&mut a, "esc :");
        type_text(&mut a, question);
        press(&mut a, "enter");
        // Every row open: the statements under layers that start closed too.
        let ans = a.query.answer.as_mut().unwrap();
        let height = ans.view.height();
        ans.view = crate::tui::tree::Tree::expanded(&*ans.full);
        ans.view.set_height(height);
        let statements: Vec<usize> = (0..rows(&a).len())
            .filter(|&i| {
                let ans = a.query.answer.as_mut().unwrap();
                ans.view.select_index(i);
                matches!(ans.selected_jump(), Some(Jump::Statement(_)))
            })
            .collect();
        assert!(!statements.is_empty(), "{question}");
        for i in statements {
            press(&mut a, "a");
            let ans = a.query.answer.as_mut().unwrap();
            if ans.view.rows().len() <= i {
                ans.view = crate::tui::tree::Tree::expanded(&*ans.full);
                ans.view.set_height(height);
            }
            ans.view.select_index(i);
            let Some(Jump::Statement(m)) = a.query.answer.as_ref().unwrap().selected_jump() else {
                unreachable!()
            };
            press(&mut a, "enter");
            let what = format!("{question}: row {i}, {m:?}");
            assert_eq!(a.mark.map(|(_, x)| x), Some(m), "{what}");
            assert_eq!((a.tab, a.focus), (Tab::Json, Focus::Details), "{what}");
            let marked: Vec<usize> = (0..a.detail.lines.len())
                .filter(|&i| text(&a.detail.lines[i]).starts_with('▌'))
                .collect();
            let (first, last) = (marked[0], *marked.last().unwrap());
            assert_eq!(marked.len(), last - first + 1, "{what}: a row lost its bar");
            let rows = a.areas.detail_rows().unwrap().height as usize;
            assert!(
                first >= a.detail.scroll && first < a.detail.scroll + rows,
                "{what}: not in view"
            );
            seen += 1;
        }
    }
    assert!(seen >= 8, "{seen}");
}

/// `c`, `w`, `W` and `p` in an answer start from the selected row, not from the
/// previous question's fields, and show the form before running.
#[test]
fn a_question_asked_from_a_row_starts_from_the_row() {
    let org = acme();
    let mut a = app(&org);
    press(&mut a, ":");
    type_text(
        &mut a,
        "who-can sts:AssumeRole arn:aws:iam::222222222222:role/SecurityAuditor",
    );
    press(&mut a, "enter");
    select_row(&mut a, |t| t.starts_with("dana"));
    press(&mut a, "c");
    assert_eq!(a.context(), Context::Query, "the form shows first");
    let f = &a.query.form;
    assert_eq!(f.kind, QueryKind::Can);
    assert_eq!(f.value(Field::Principal), "dana");
    assert_eq!(f.value(Field::Action), "sts:AssumeRole");
    press(&mut a, "enter");
    assert_eq!(header(&a), "✓ Allowed");
    // W on the same principal: what dana can do.
    press(&mut a, "p");
    press(&mut a, "enter");
    assert!(header(&a).contains("dana can reach"), "{}", header(&a));
    // From a what-can grant: can with its principal, action and resource.
    press(&mut a, "esc :");
    type_text(&mut a, "what-can WebDeployer s3");
    press(&mut a, "enter");
    select_row(&mut a, |t| t.starts_with("s3:PutObject "));
    let row = rows(&a)[a.query.answer.as_ref().unwrap().view.selected_index()].clone();
    press(&mut a, "c");
    let f = &a.query.form;
    assert_eq!((f.kind, a.context()), (QueryKind::Can, Context::Query));
    assert_eq!(f.value(Field::Principal), "WebDeployer");
    assert_eq!(f.value(Field::Action), "s3:PutObject");
    assert!(
        row.contains(&format!("  {}", f.value(Field::Resource))),
        "{row}"
    );
    // A row that names nothing (a heading) keeps the fields as they were.
    press(&mut a, "esc :");
    type_text(&mut a, "can dana s3:GetObject *");
    press(&mut a, "enter");
    a.query.answer.as_mut().unwrap().view.select_index(0);
    press(&mut a, "w");
    assert_eq!(a.query.form.value(Field::Action), "s3:GetObject");
    assert_eq!(a.context(), Context::Query);
}

/// Enter on a what-can grant shows the statement that grants it.
#[test]
fn a_grant_opens_the_statement_that_grants_it() {
    let org = acme();
    let mut a = app(&org);
    press(&mut a, ":");
    type_text(&mut a, "what-can dana sts");
    press(&mut a, "enter");
    select_row(&mut a, |t| t.starts_with("sts:AssumeRole "));
    press(&mut a, "enter");
    assert_eq!(
        (a.tab, a.focus, a.popup),
        (Tab::Json, Focus::Details, Popup::None)
    );
    let (node, m) = a.mark.expect("a statement marked");
    assert!(matches!(node, Node::Group(_)), "{node:?}");
    assert_eq!(org.policy_name(m.policy), "AssumeAuditorRole");
}

/// Tab in the palette completes a question's arguments as the form's fields
/// would: names of the org for the principal and the resource, the catalog's
/// actions for the action.
#[test]
fn the_palette_completes_a_questions_arguments() {
    let org = acme();
    let mut a = app(&org);
    press(&mut a, ":");
    type_text(&mut a, "can da");
    assert!(
        a.palette_query().is_some(),
        "names are searched for the principal"
    );
    press(&mut a, "tab");
    assert_eq!(a.palette.input, "can dana ");
    type_text(&mut a, "sts:assumer");
    press(&mut a, "tab");
    assert_eq!(a.palette.input, "can dana sts:AssumeRole ");
    type_text(&mut a, "securityauditor");
    press(&mut a, "tab");
    assert_eq!(
        a.palette.input,
        "can dana sts:AssumeRole arn:aws:iam::222222222222:role/SecurityAuditor "
    );
    press(&mut a, "enter");
    assert_eq!(header(&a), "✓ Allowed");
    // An option's value completes as its field: `--compare`, `--to`.
    press(&mut a, "esc :");
    type_text(&mut a, "paths --to orgsecurity");
    press(&mut a, "tab");
    assert_eq!(a.palette.input, "paths --to OrgSecurityAdmin ");
}

/// Every question asked is kept with its answer: `[` and `]` in the answer go
/// through them, each with its form; a question asked after going back comes
/// after all the others, none lost.
#[test]
fn answers_are_kept_to_go_back_to() {
    let org = acme();
    let mut a = app(&org);
    let ask = |a: &mut App<'_>, q: &str| {
        press(a, "esc :");
        type_text(a, q);
        press(a, "enter");
    };
    ask(
        &mut a,
        "can dana sts:AssumeRole arn:aws:iam::222222222222:role/SecurityAuditor",
    );
    ask(
        &mut a,
        "who-can s3:GetObject arn:aws:s3:::acme-public-website/index.html",
    );
    ask(&mut a, "paths dana");
    assert_eq!(a.query.answer_position(), (3, 3));
    press(&mut a, "[ [");
    assert_eq!(a.query.answer_position(), (1, 3));
    assert_eq!(header(&a), "✓ Allowed");
    assert_eq!(
        (a.query.form.kind, a.context()),
        (QueryKind::Can, Context::Answer)
    );
    assert_eq!(a.query.form.value(Field::Principal), "dana");
    press(&mut a, "[");
    assert_eq!(a.status.as_ref().unwrap().text, "no earlier answer");
    press(&mut a, "]");
    assert_eq!(a.query.form.kind, QueryKind::WhoCan);
    // Asked from here: after all three.
    ask(&mut a, "what-can dana sts");
    assert_eq!(a.query.answer_position(), (4, 4));
    press(&mut a, "[");
    assert_eq!(
        a.query.form.kind,
        QueryKind::Paths,
        "the one asked just before"
    );
    // Closed and brought back with `a`: the one shown.
    press(&mut a, "esc a");
    assert_eq!(a.query.form.kind, QueryKind::Paths);
    assert_eq!(a.context(), Context::Answer);
}

/// A grant allowed only with context the question did not give (an RCP wants TLS,
/// an SCP a region) still shows the statement that grants it.
#[test]
fn a_grant_that_needs_context_shows_its_statement() {
    let org = acme();
    let mut a = app(&org);
    press(&mut a, ":");
    type_text(&mut a, "what-can WebDeployer s3");
    press(&mut a, "enter");
    select_row(&mut a, |t| {
        t.starts_with("s3:PutObject ") && t.contains("needs")
    });
    press(&mut a, "enter");
    assert_eq!((a.popup, a.tab), (Popup::None, Tab::Json));
    let (_, m) = a.mark.expect("the statement");
    let s = &org.compiled(m.policy).statements()[m.statement];
    assert_eq!(s.effect, crate::policy::Effect::Allow);
}
