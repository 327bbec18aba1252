//! Screens of the terminal UI as insta snapshots, drawn into ratatui's TestBackend:
//! each tab, help, filter, palette, a tiny terminal and a hostile org.

use orgscope::org::Org;
use orgscope::tui::app::{App, Msg};
use orgscope::tui::config::Settings;
use orgscope::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[path = "common/tui.rs"]
mod tui;
use tui::{app, goto, keys, screen, typed};

fn acme() -> Org {
    orgscope::org::load_builtin_acme()
}

#[test]
fn start() {
    let org = acme();
    insta::assert_snapshot!(screen(&app(&org, 120, 36)));
}

#[test]
fn user_overview() {
    let org = acme();
    let mut a = app(&org, 120, 30);
    goto(&mut a, "user eve");
    insta::assert_snapshot!(screen(&a));
}

#[test]
fn user_policies() {
    let org = acme();
    let mut a = app(&org, 120, 30);
    goto(&mut a, "user frank");
    keys(&mut a, "2");
    insta::assert_snapshot!(screen(&a));
}

#[test]
fn account_scps_and_rcps() {
    let org = acme();
    let mut a = app(&org, 120, 44);
    goto(&mut a, "account payments-prod");
    keys(&mut a, "3");
    insta::assert_snapshot!(screen(&a));
}

#[test]
fn group_members() {
    let org = acme();
    let mut a = app(&org, 120, 24);
    goto(&mut a, "group Developers");
    keys(&mut a, "4");
    insta::assert_snapshot!(screen(&a));
}

#[test]
fn policy_attachments() {
    let org = acme();
    let mut a = app(&org, 120, 24);
    goto(&mut a, "policy AdministratorAccess");
    keys(&mut a, "4");
    insta::assert_snapshot!(screen(&a));
}

#[test]
fn aws_managed_key_overview_says_rcps_do_not_apply() {
    let org = acme();
    let mut a = app(&org, 120, 24);
    goto(
        &mut a,
        "resource arn:aws:kms:eu-west-1:555555555555:key/a3d5e000-0000-4000-8000-000000000003",
    );
    let s = screen(&a);
    assert!(
        s.contains("Managed by") && s.contains("AWS (an AWS managed key: RCPs do not apply to it)"),
        "{s}"
    );
    assert!(s.contains("Kind            KMS key"), "{s}");
    // A customer managed key says nothing of the kind.
    goto(
        &mut a,
        "resource arn:aws:kms:eu-west-1:555555555555:key/9a7e0000-0000-4000-8000-000000000002",
    );
    let s = screen(&a);
    assert!(s.contains("9a7e0000") && !s.contains("Managed by"), "{s}");
}

#[test]
fn role_overview_and_trust() {
    let org = acme();
    let mut a = app(&org, 120, 26);
    goto(&mut a, "role OrgSecurityAdmin");
    insta::assert_snapshot!("role_overview", screen(&a));
    keys(&mut a, "4");
    insta::assert_snapshot!("role_trust", screen(&a));
}

#[test]
fn policy_json() {
    let org = acme();
    let mut a = app(&org, 120, 30);
    goto(&mut a, "policy ProtectSecurityBaseline");
    keys(&mut a, "5");
    insta::assert_snapshot!(screen(&a));
}

#[test]
fn help() {
    let org = acme();
    let mut a = app(&org, 100, 48);
    keys(&mut a, "?");
    insta::assert_snapshot!(screen(&a));
}

#[test]
fn help_lists_the_questions_options() {
    let org = acme();
    let mut a = app(&org, 100, 48);
    keys(&mut a, "? G");
    let s = screen(&a);
    assert!(
        s.contains("[--resource-account ID|NAME] [--session-policy FILE]"),
        "{s}"
    );
    assert!(s.contains("[--compare WHO]"), "{s}");
    insta::assert_snapshot!("help_commands", s);
}

#[test]
fn filter() {
    let org = acme();
    let mut a = app(&org, 110, 30);
    keys(&mut a, "/");
    typed(&mut a, "deploy");
    insta::assert_snapshot!(screen(&a));
}

#[test]
fn palette() {
    let org = acme();
    let mut a = app(&org, 110, 30);
    keys(&mut a, ":");
    insta::assert_snapshot!("palette_commands", screen(&a));
    typed(&mut a, "role pay");
    insta::assert_snapshot!("palette_roles", screen(&a));
}

#[test]
fn palette_question_with_options() {
    let org = acme();
    let mut a = app(&org, 110, 16);
    keys(&mut a, ":");
    typed(
        &mut a,
        "can WebDeployer s3:PutObject arn:aws:s3:::acme-public-website/x \
         --session-policy tests/fixtures/session-policies/read-only.json",
    );
    let s = screen(&a);
    // The end of a long line shows, where the cursor is; the options below.
    assert!(s.contains("session-policies/read-only.json█"), "{s}");
    assert!(
        s.contains("[--resource-account ID|NAME] [--session-policy FILE]"),
        "{s}"
    );
    insta::assert_snapshot!(s);
}

#[test]
fn tiny_terminal() {
    let org = acme();
    let mut a = app(&org, 60, 15);
    goto(&mut a, "user dana");
    insta::assert_snapshot!("tiny_tree", screen(&a));
    keys(&mut a, "tab");
    insta::assert_snapshot!("tiny_details", screen(&a));
    a.update(Msg::Resize(36, 8));
    insta::assert_snapshot!("too_small", screen(&a));
}

/// Names, tags and Sids holding escape sequences: shown inert.
const HOSTILE: &str = r#"{
  "organization": {"id": "o-hostile0001", "management_account": "111111111111"},
  "root": {"id": "r-host"},
  "ous": [{"id": "ou-host-evil0001", "name": "evil\u001b]0;pwned\u0007ou"}],
  "accounts": [
    {"id": "111111111111", "name": "mgmt"},
    {"id": "222222222222", "name": "pwn\u001b]0;pwned\u0007\u001b[2J", "parent": "ou-host-evil0001",
     "users": {"mallory": {"tags": {"team\u001b]0;x\u0007": "red\u009b2J\u202eevil"}}},
     "roles": {"R": {"trust": {"Version": "2012-10-17", "Statement": [
        {"Sid": "Trust\u001b[2J\u001b]0;pwned\u0007", "Effect": "Allow", "Principal": {"AWS": "222222222222"}, "Action": "sts:AssumeRole"}]}}}}
  ]
}"#;

#[test]
fn hostile_names_are_inert() {
    let (org, report) = orgscope::org::load_str("hostile.json", HOSTILE);
    let org = org.unwrap_or_else(|| panic!("{report}"));
    let mut a = app(&org, 110, 26);
    keys(&mut a, "j l l");
    let s = screen(&a);
    assert!(s.contains(r"pwn\x1b]0;pwned\x07\x1b[2J"), "{s}");
    insta::assert_snapshot!("hostile_tree", s);
    goto(&mut a, "user mallory");
    let s = screen(&a);
    assert!(s.contains(r"red\x9b2J\u{202e}evil"), "{s}");
    insta::assert_snapshot!("hostile_user", s);
    goto(&mut a, "role R");
    keys(&mut a, "4");
    let s = screen(&a);
    assert!(s.contains(r"Trust\x1b[2J\x1b]0;pwned\x07"), "{s}");
    insta::assert_snapshot!("hostile_trust", s);
    // The document as written: JSON escapes are text already.
    keys(&mut a, "5");
    let s = screen(&a);
    assert!(s.contains(r"Trust\u001b[2J"), "{s}");
    insta::assert_snapshot!("hostile_json", s);
    keys(&mut a, "/");
    typed(&mut a, "pwn");
    insta::assert_snapshot!("hostile_filter", screen(&a));
    // Answers name accounts, policies and Sids: inert too.
    keys(&mut a, "esc");
    goto(
        &mut a,
        "can mallory sts:AssumeRole arn:aws:iam::222222222222:role/R",
    );
    let s = screen(&a);
    assert!(s.contains(r"Trust\x1b[2J\x1b]0;pwned\x07"), "{s}");
    assert!(s.contains(r"SCP account pwn\x1b]0;pwned\x07"), "{s}");
    insta::assert_snapshot!("hostile_can", s);
}

// ---- the query pane ---------------------------------------------------------------

#[test]
fn query_form() {
    let org = acme();
    let mut a = app(&org, 120, 30);
    goto(&mut a, "user dana");
    keys(&mut a, "c");
    insta::assert_snapshot!("query_form", screen(&a));
    typed(&mut a, "sts:assume");
    keys(&mut a, "down");
    insta::assert_snapshot!("query_form_actions", screen(&a));
}

#[test]
fn query_can_allowed() {
    let org = acme();
    let mut a = app(&org, 120, 34);
    goto(
        &mut a,
        "can dana sts:AssumeRole arn:aws:iam::222222222222:role/SecurityAuditor",
    );
    let s = screen(&a);
    assert!(s.contains("✓ Allowed"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn query_can_denied_and_its_statement() {
    let org = acme();
    let mut a = app(&org, 120, 36);
    goto(
        &mut a,
        "can eve s3:GetObject arn:aws:s3:::acme-public-website/index.html",
    );
    let s = screen(&a);
    assert!(s.contains("✗ ExplicitlyDenied  blocked by RCP root"), "{s}");
    assert!(
        s.contains("aws:SecureTransport: (absent) → ExplicitlyDenied"),
        "{s}"
    );
    insta::assert_snapshot!("query_can_denied", s);
    // The selection starts on the blocking layer; its Deny is the second row below.
    keys(&mut a, "j j enter");
    let s = screen(&a);
    assert!(s.contains("▌") && s.contains("DenyPlainHttp"), "{s}");
    insta::assert_snapshot!("query_statement_in_json", s);
}

#[test]
fn query_who_can() {
    let org = acme();
    let mut a = app(&org, 120, 30);
    goto(
        &mut a,
        "who-can s3:GetObject arn:aws:s3:::acme-public-website/index.html",
    );
    insta::assert_snapshot!(screen(&a));
}

#[test]
fn query_what_can() {
    let org = acme();
    let mut a = app(&org, 120, 30);
    goto(&mut a, "what-can WebDeployer s3");
    insta::assert_snapshot!("query_what_can", screen(&a));
    keys(&mut a, "/");
    typed(&mut a, "policy");
    insta::assert_snapshot!("query_what_can_filtered", screen(&a));
}

#[test]
fn query_paths() {
    let org = acme();
    let mut a = app(&org, 120, 26);
    goto(&mut a, "paths dana");
    insta::assert_snapshot!(screen(&a));
}

#[test]
fn query_running() {
    let org = acme();
    let mut a = app(&org, 100, 24);
    // Questions go to a worker that never answers: the pane shows the progress.
    let (jobs, _held) = std::sync::mpsc::channel();
    let awaited = a.query_in_background(jobs);
    goto(&mut a, "who-can s3:GetObject *");
    let s = screen(&a);
    assert!(s.contains("Esc cancels") && s.contains("Esc cancel"), "{s}");
    insta::assert_snapshot!(s);

    // Once the question counts its principals, the bar fills and gives the part done
    // (the seconds are not snapshotted: they are the test's own time).
    let ask = orgscope::analysis::Ask {
        action: "s3:GetObject".into(),
        resource: "*".into(),
        ..Default::default()
    };
    let watch = orgscope::analysis::Watch::new(&orgscope::analysis::never, &awaited.progress);
    orgscope::analysis::who_can_until(&org, &ask, watch).unwrap();
    a.update(orgscope::tui::app::Msg::Tick);
    let s = screen(&a);
    let full = format!("│  {}{}│", "█".repeat(60), " ".repeat(36));
    assert!(s.contains(&full) && s.contains("100 %   "), "{s}");
}

#[test]
fn query_decisions_keep_their_weight_without_colour() {
    let org = acme();
    for (theme, coloured) in [
        (orgscope::tui::theme::Theme::dark(), true),
        (orgscope::tui::theme::Theme::dark().without_color(), false),
    ] {
        let settings = Settings {
            theme,
            ..Settings::default()
        };
        let mut a = App::new(&org, settings, 120, 30);
        goto(
            &mut a,
            "can eve s3:GetObject arn:aws:s3:::acme-public-website/index.html",
        );
        let mut t = Terminal::new(TestBackend::new(120, 30)).unwrap();
        t.draw(|f| view::draw(&a, f)).unwrap();
        let buf = t.backend().buffer();
        // The decision is the first text under the rule.
        let (x, y) = (0..30u16)
            .flat_map(|y| (0..120u16).map(move |x| (x, y)))
            .find(|&(x, y)| buf[(x, y)].symbol() == "✗")
            .expect("the decision is drawn");
        let cell = &buf[(x + 2, y)];
        assert_eq!(cell.symbol(), "E");
        assert_eq!(
            cell.fg != ratatui::style::Color::Reset,
            coloured,
            "{cell:?}"
        );
        assert!(
            cell.modifier.contains(ratatui::style::Modifier::BOLD),
            "{cell:?}"
        );
    }
}

#[test]
fn query_resource_account() {
    let org = acme();
    let mut a = app(&org, 120, 30);
    goto(&mut a, "user dana");
    keys(&mut a, "w");
    typed(&mut a, "s3:GetObject");
    keys(&mut a, "esc tab");
    typed(&mut a, "arn:aws:s3:::partner-drop/in/report.csv");
    keys(&mut a, "esc tab");
    typed(&mut a, "web");
    keys(&mut a, "down");
    let s = screen(&a);
    assert!(s.contains("web-prod") && s.contains("web-dev"), "{s}");
    insta::assert_snapshot!("query_form_accounts", s);
    // The second, web-prod: its id goes in the field.
    keys(&mut a, "down enter");
    let s = screen(&a);
    assert!(s.contains("Resource account 666666666666"), "{s}");
    keys(&mut a, "tab");
    typed(&mut a, "aws:RequestedRegion=eu-west-1");
    keys(&mut a, "esc enter");
    let s = screen(&a);
    assert!(
        s.contains("resource account 666666666666 (web-prod)"),
        "{s}"
    );
    insta::assert_snapshot!("query_who_can_resource_account", s);
}

#[test]
fn query_session_policy() {
    let org = acme();
    let mut a = app(&org, 120, 34);
    // Relative paths are from where orgscope runs: the crate, for tests.
    goto(
        &mut a,
        "can WebDeployer s3:PutObject arn:aws:s3:::acme-public-website/x \
         aws:RequestedRegion=eu-west-1 aws:SecureTransport=true \
         --session-policy tests/fixtures/session-policies/read-only.json",
    );
    let s = screen(&a);
    assert!(
        s.contains("✗ ImplicitlyDenied  blocked by session policy"),
        "{s}"
    );
    insta::assert_snapshot!("query_can_session_policy", s);
    // A policy that does not parse: the file, the line and column, the JSON path.
    keys(&mut a, "tab tab tab tab tab ctrl-u");
    typed(&mut a, "tests/fixtures/session-policies/bad-effect.json");
    keys(&mut a, "esc enter");
    let s = screen(&a);
    assert!(
        s.contains(
            "session policy `tests/fixtures/session-policies/bad-effect.json`: line 5 column 22, \
             at Statement[0].Effect"
        ),
        "{s}"
    );
    insta::assert_snapshot!("query_session_policy_error", s);
}

#[test]
fn query_what_can_compare() {
    let org = acme();
    let mut a = app(&org, 120, 32);
    goto(&mut a, "role WebDeployer");
    keys(&mut a, "W tab");
    typed(&mut a, "dan");
    keys(&mut a, "down");
    insta::assert_snapshot!("query_form_compare", screen(&a));
    keys(&mut a, "enter tab");
    typed(&mut a, "iam");
    keys(&mut a, "esc enter");
    let s = screen(&a);
    assert!(
        s.contains("1 action in both · 2 only WebDeployer · 75 only dana"),
        "{s}"
    );
    assert!(
        s.contains("Only WebDeployer") && s.contains("Only dana"),
        "{s}"
    );
    insta::assert_snapshot!("query_what_can_compare", s);
}

#[test]
fn query_files_and_their_errors_are_inert() {
    let dir = std::env::temp_dir().join(format!("orgscope-inert-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // A file name and a policy holding escape sequences (the JSON escape is a real
    // ESC once parsed, and the parser's message quotes it).
    let evil = dir.join("evil\u{1b}]0;pwned\u{7}.json");
    std::fs::write(
        &evil,
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "\u001b[2J", "Action": "*", "Resource": "*"}]}"#,
    )
    .unwrap();
    let org = acme();
    let mut a = app(&org, 120, 30);
    goto(&mut a, "user dana");
    keys(&mut a, "c");
    typed(&mut a, "s3:GetObject");
    keys(&mut a, "esc tab");
    typed(&mut a, "*");
    keys(&mut a, "esc tab tab");
    typed(&mut a, &format!("{}/ev", dir.display()));
    keys(&mut a, "down");
    let s = screen(&a);
    assert!(s.contains(r"evil\x1b]0;pwned\x07.json"), "{s}");
    keys(&mut a, "enter enter");
    let s = screen(&a);
    assert!(
        s.contains(r"evil\x1b]0;pwned\x07.json`: line 1 column"),
        "{s}"
    );
    assert!(s.contains(r"\x1b[2J"), "{s}");
    std::fs::remove_dir_all(&dir).unwrap();
}

fn broken(name: &str) -> (Org, orgscope::org::Report) {
    let path = std::path::Path::new("tests/fixtures/org/broken").join(name);
    orgscope::org::load_partial(&path).unwrap()
}

#[test]
fn an_org_with_errors_opens_on_its_problems() {
    let (org, report) = broken("policy-bad-effect-in-scp.json");
    let mut a = app(&org, 110, 24);
    a.set_problems(&report);
    let s = screen(&a);
    assert!(s.contains("Problems: 1 error"), "{s}");
    assert!(
        s.contains("`Effect` must be \"Allow\" or \"Deny\", not `Block`"),
        "{s}"
    );
    insta::assert_snapshot!("problems", s);
    // Enter: the SCP, its document with what is wrong with it.
    keys(&mut a, "enter");
    let s = screen(&a);
    assert!(
        s.contains("Guardrails") && s.contains("did not parse"),
        "{s}"
    );
    insta::assert_snapshot!("problem_in_json", s);
}

#[test]
fn a_problem_goes_to_its_node_and_answers_say_they_stand_on_what_loaded() {
    let (org, report) = broken("dangling-group.json");
    let mut a = app(&org, 110, 24);
    a.set_problems(&report);
    keys(&mut a, "enter");
    let s = screen(&a);
    assert!(s.contains("management › Users › alice"), "{s}");
    assert!(s.contains("no group `Auditors`"), "{s}");
    keys(&mut a, "!");
    assert!(screen(&a).contains("Problems: 1 error"));
    keys(&mut a, "esc");
    goto(&mut a, "can alice s3:GetObject *");
    let s = screen(&a);
    assert!(s.contains("⚠ the organization has 1 error"), "{s}");
    // An org without problems says nothing of the kind, and `!` tells there are none.
    let org = acme();
    let mut a = app(&org, 110, 24);
    a.set_problems(&orgscope::org::Report::default());
    goto(&mut a, "can dana s3:GetObject *");
    assert!(!screen(&a).contains("⚠ the organization has"));
    keys(&mut a, "esc !");
    assert!(screen(&a).contains("no problems"));
}

/// A config file's mistakes: the rest of the file applies, the status line says how
/// many, and `!` lists each whole (a long one wraps, nothing is cut).
#[test]
fn config_mistakes_are_listed_whole() {
    let org = acme();
    let settings = Settings::from_toml(
        "[keys]\nqiut = \"x\"\nquit = [\"ctrl-q\", \"Q\"]\n[theme]\nselectoin = { bold = true }\n",
        "config.toml",
    );
    let mut a = App::new(&org, settings, 110, 30);
    let s = screen(&a);
    assert!(
        s.contains("the config file has 2 mistakes: the rest applies (! lists them)"),
        "{s}"
    );
    assert!(s.contains("C-q quit"), "the rest of [keys] applies: {s}");
    keys(&mut a, "!");
    let s = screen(&a);
    assert!(
        s.contains("did you mean `quit`?") && s.contains("last_answer"),
        "{s}"
    );
    insta::assert_snapshot!("config_mistakes", s);
}

/// An answer row wider than the pane reads whole when selected, and so does a long
/// note in the header: nothing is cut at the pane's edge with no way to read it.
#[test]
fn long_rows_and_notes_read_whole() {
    let org = acme();
    let mut a = app(&org, 100, 30);
    goto(&mut a, "what-can WebDeployer s3");
    keys(&mut a, "j j j j j");
    let s = screen(&a);
    assert!(
        s.contains("aws:RequestedRegion, aws:SecureTransport  ⏎"),
        "the rest of the row: {s}"
    );
    insta::assert_snapshot!("answer_row_whole", s);
    // A note wider than the pane wraps.
    let (org, report) = broken("dangling-group.json");
    let mut a = app(&org, 80, 24);
    a.set_problems(&report);
    keys(&mut a, "esc");
    goto(&mut a, "can alice s3:GetObject *");
    let s = screen(&a);
    assert!(s.contains("(! lists them)"), "{s}");
}

/// A folder's Overview lists what it holds, whether the tree shows it open or not;
/// counts read `1 match`, `1 role`, with thousands grouped the same everywhere.
#[test]
fn folders_list_what_they_hold_and_counts_read_alike() {
    let org = acme();
    let mut a = app(&org, 110, 30);
    goto(&mut a, "user dana");
    keys(&mut a, "esc");
    let s = screen(&a);
    assert!(s.contains("Users"), "{s}");
    assert!(!s.contains("open it to see them"), "{s}");
    assert!(s.contains("• dana"), "{s}");
    insta::assert_snapshot!("folder_overview", s);
    keys(&mut a, "/");
    typed(&mut a, "OrgSecurityAdmin");
    let s = screen(&a);
    assert!(s.contains("1 match ") || s.contains("1 match of"), "{s}");
    assert!(!s.contains("1 matches"), "{s}");
}

/// `p` on a role asks who reaches it (`paths --to`): the form shows the role and no
/// principal, and the answer lists each principal with its chain.
#[test]
fn who_reaches_a_role() {
    let org = acme();
    let mut a = app(&org, 120, 30);
    goto(&mut a, "role SecurityAuditor");
    keys(&mut a, "p");
    let s = screen(&a);
    assert!(
        s.contains("To role") && s.contains("SecurityAuditor"),
        "{s}"
    );
    keys(&mut a, "enter");
    let s = screen(&a);
    assert!(s.contains("can reach SecurityAuditor"), "{s}");
    assert!(s.contains("dana"), "{s}");
    insta::assert_snapshot!("query_who_reaches", s);
    // The palette takes it too.
    keys(&mut a, "esc");
    goto(&mut a, "paths --to SecurityAuditor");
    let s = screen(&a);
    assert!(s.contains("can reach SecurityAuditor"), "{s}");
    // Both answers are kept.
    assert!(
        s.contains("Query · answer 2 of 2 ([ ] go through them)"),
        "{s}"
    );
}

/// The hint bar names every question and calls the finder what help calls it.
#[test]
fn the_hint_bar_names_every_question() {
    let org = acme();
    let a = app(&org, 160, 30);
    let s = screen(&a);
    let hints = s.lines().last().unwrap();
    for h in ["c can", "w who-can", "W what-can", "p paths", "/ find"] {
        assert!(hints.contains(h), "{h}: {hints}");
    }
    // Narrower, hints go whole or not at all: `? help` and `q quit` stay.
    for w in [60, 90, 100, 110, 120, 130] {
        let a = app(&org, w, 30);
        let s = screen(&a);
        let hints = s.lines().last().unwrap().trim_matches('"').trim_end();
        assert!(hints.ends_with("? help   q quit"), "{w}: {hints}");
    }
}

/// The findings list: every finding of acme, most severe first; `s`, `t` and `/`
/// narrow it; Enter goes to the statement a finding points at, highlighted.
#[test]
fn findings_list_narrows_and_jumps_to_the_statement() {
    let org = acme();
    let mut a = app(&org, 120, 36);
    keys(&mut a, "F");
    let s = screen(&a);
    for want in [
        "Findings: 18 findings: 2 critical, 3 high, 8 medium, 5 low",
        "critical  ci-legacy",
        "external.public",
        "why: a principal that can write its own policies is an administrator",
        "1/18",
        "Enter go",
    ] {
        assert!(s.contains(want), "{want}:\n{s}");
    }
    insta::assert_snapshot!("findings_list", s);
    // Critical only, then external access only: the public bucket alone.
    keys(&mut a, "s t");
    let s = screen(&a);
    assert!(
        s.contains("severity: critical") && s.contains("kind: external access"),
        "{s}"
    );
    assert!(
        s.contains("1/1") && s.contains("acme-public-website"),
        "{s}"
    );
    assert!(!s.contains("ci-legacy"), "{s}");
    // Back to all (severity: critical, high+, medium+, all; kinds: 4 then all), then
    // a text: what is typed narrows at once, Esc clears it.
    keys(&mut a, "s s s t t t t");
    keys(&mut a, "/");
    typed(&mut a, "no-mfa");
    let s = screen(&a);
    assert!(s.contains("filter: no-mfa") && s.contains("1/2"), "{s}");
    assert!(
        s.contains("eve") && s.contains("grace") && !s.contains("ci-legacy"),
        "{s}"
    );
    assert!(
        s.contains("Enter keep"),
        "the filter line has the keyboard:\n{s}"
    );
    // Esc clears it: all again, the selected finding kept.
    keys(&mut a, "esc");
    let s = screen(&a);
    assert!(
        s.contains("filter:  ") && s.contains("/18") && s.contains("ci-legacy"),
        "{s}"
    );
    keys(&mut a, "/");
    typed(&mut a, "public-website");
    keys(&mut a, "enter enter");
    let s = screen(&a);
    assert!(s.contains("Resources › acme-public-website"), "{s}");
    assert!(
        s.contains("▌     \"Sid\": \"PublicRead\","),
        "the statement is marked:\n{s}"
    );
    assert!(
        s.contains("critical · anyone outside the organization"),
        "{s}"
    );
    insta::assert_snapshot!("finding_jumps_to_its_statement", s);
    // F opens the list again, its filter kept.
    keys(&mut a, "F");
    assert!(screen(&a).contains("filter: public-website"));
}

/// A finding without a statement (an identity one) goes to its node's Overview, where
/// the node's own findings are listed.
#[test]
fn a_nodes_findings_show_in_its_overview() {
    let org = acme();
    let mut a = app(&org, 120, 36);
    // Until the findings are asked for (tests have no worker), the Overview has none.
    goto(&mut a, "user ci-legacy");
    assert!(!screen(&a).contains("Findings ("));
    keys(&mut a, "F");
    keys(&mut a, "esc");
    let s = screen(&a);
    assert!(s.contains("Findings (3)"), "{s}");
    assert!(
        s.contains("critical ci-legacy can give itself any permission"),
        "{s}"
    );
    assert!(s.contains("identity.direct-policies"), "{s}");
    insta::assert_snapshot!("node_findings", s);
    // An account: its own, and how many its principals and resources have.
    goto(&mut a, "account web-prod");
    let s = screen(&a);
    assert!(
        s.contains("Findings (0)") && s.contains("5 findings in the account"),
        "{s}"
    );
    // A policy's finding without a statement goes to its document; one with a
    // statement marks it.
    keys(&mut a, "F");
    keys(&mut a, "/");
    typed(&mut a, "grace");
    keys(&mut a, "enter enter");
    let s = screen(&a);
    assert!(
        s.contains("Users › grace") && s.contains("Findings (1)"),
        "{s}"
    );
    // `u`: only under the node selected in the tree (an OU: its accounts'), again: all.
    goto(&mut a, "ou Prod");
    keys(&mut a, "F");
    keys(&mut a, "/");
    keys(&mut a, "ctrl-u enter u");
    let s = screen(&a);
    assert!(s.contains("under: OU Prod") && s.contains("1/5"), "{s}");
    assert!(
        s.contains("acme-public-website") && !s.contains("grace"),
        "{s}"
    );
    keys(&mut a, "u");
    assert!(screen(&a).contains("under: all"));
}

/// While the worker computes, the list says which step it is at; the findings show
/// when they arrive, and so does each node's section.
#[test]
fn findings_computed_in_the_background_show_when_they_arrive() {
    let org = acme();
    let mut a = app(&org, 120, 36);
    let progress = a.findings_in_background();
    goto(&mut a, "user eve");
    let s = screen(&a);
    assert!(
        s.contains("Findings") && s.contains("being computed"),
        "{s}"
    );
    keys(&mut a, "F");
    let s = screen(&a);
    assert!(
        s.contains("Computing the findings: policy checks (step 1 of 5)"),
        "{s}"
    );
    progress.step.store(3, std::sync::atomic::Ordering::Relaxed);
    a.update(Msg::Tick);
    assert!(screen(&a).contains("external access (step 4 of 5)"));
    // Quitting tells the worker to stop (it checks between steps).
    assert!(!progress.stop.load(std::sync::atomic::Ordering::Relaxed));
    a.stop_findings();
    assert!(progress.stop.load(std::sync::atomic::Ordering::Relaxed));
    // Enter while computing says so, and does not leave.
    keys(&mut a, "enter");
    assert!(screen(&a).contains("still being computed"));
    let all = orgscope::findings::findings(
        &org,
        &orgscope::findings::Options {
            now: Some(a.now),
            ..Default::default()
        },
    );
    a.update(Msg::Findings(std::sync::Arc::new(all)));
    let s = screen(&a);
    assert!(
        s.contains("Findings: 18 findings") && s.contains("1/18"),
        "{s}"
    );
    keys(&mut a, "esc");
    let s = screen(&a);
    assert!(
        s.contains("Findings (3)") && s.contains("eve signs in to the console"),
        "{s}"
    );
}

/// A status message wider than the screen is shown whole, wrapped above the hint bar,
/// not cut at the edge.
#[test]
fn a_long_status_is_shown_whole() {
    let org = acme();
    let mut a = app(&org, 80, 24);
    let text = "refused: the policy document does not parse at line 3, column 17 (at Statement[0].Effect): expected Allow or Deny; nothing was changed";
    a.status = Some(orgscope::tui::app::Status {
        text: text.to_string(),
        warn: true,
    });
    let s = screen(&a);
    // Every word of the message is on the screen, in order, across its rows.
    let bottom: String = s
        .lines()
        .rev()
        .take(3)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .map(|l| l.trim_matches('"').trim())
        .collect::<Vec<_>>()
        .join(" ");
    let words: Vec<&str> = text.split(' ').collect();
    let mut at = 0;
    for w in &words {
        let found = bottom[at..]
            .find(w)
            .unwrap_or_else(|| panic!("`{w}` missing:\n{s}"));
        at += found + w.len();
    }
    // A short one stays on the hint bar with the hints.
    a.status = Some(orgscope::tui::app::Status {
        text: "saved".to_string(),
        warn: false,
    });
    let s = screen(&a);
    let last = s.lines().last().unwrap();
    assert!(last.contains("saved") && last.contains("help"), "{last}");
}
