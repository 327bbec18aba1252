//! The app driven by messages, with no terminal: navigation, filter, palette,
//! history, focus, copy, mouse, resize.

use crossterm::event::{KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

use super::*;
use crate::org::{Entity, NameLookup};
use crate::tui::keymap::Key;

pub(super) fn acme() -> Org {
    crate::org::load_builtin_acme()
}

pub(super) fn app(org: &Org) -> App<'_> {
    let mut a = App::new(org, Settings::default(), 120, 40);
    a.now = "2026-11-23T12:00:00Z".parse().unwrap();
    a
}

/// Keys in the keymap notation, space separated; `text:` types the rest literally.
pub(super) fn press(app: &mut App<'_>, keys: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    let mut send = |app: &mut App<'_>, k: Key| {
        let ev = KeyEvent::new(k.code, k.mods);
        effects.extend(app.update(Msg::Key(ev)));
    };
    for word in keys.split(' ').filter(|w| !w.is_empty()) {
        if let Some(text) = word.strip_prefix("text:") {
            for c in text.chars() {
                send(
                    app,
                    Key::new(crossterm::event::KeyCode::Char(c), KeyModifiers::NONE),
                );
            }
        } else {
            send(app, Key::parse(word).unwrap());
        }
    }
    effects
}

pub(super) fn type_text(app: &mut App<'_>, text: &str) {
    for c in text.chars() {
        let code = if c == ' ' {
            "space".to_string()
        } else {
            c.to_string()
        };
        press(app, &code);
    }
}

pub(super) fn node_named(app: &App<'_>, name: &str) -> Node {
    match app.org().by_name(name) {
        NameLookup::Unique(e) => app.src.node_of(e),
        other => panic!("{name}: {other:?}"),
    }
}

pub(super) fn click(app: &mut App<'_>, col: u16, row: u16) {
    let ev = MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: col,
        row,
        modifiers: KeyModifiers::NONE,
    };
    app.update(Msg::Mouse(ev));
}

#[test]
fn starts_on_the_open_root() {
    let org = acme();
    let a = app(&org);
    assert_eq!(a.selected(), Node::Root);
    assert!(a.tree.is_expanded(Node::Root));
    assert_eq!(
        a.tree.rows().len(),
        1 + 5 + 1 + 1,
        "root, 5 OUs, the management account, org policies"
    );
    assert_eq!(a.context(), Context::Tree);
    assert!(a.detail.lines.len() > 3, "the overview is built");
}

#[test]
fn arrows_and_vim_keys_walk_the_tree() {
    let org = acme();
    let mut a = app(&org);
    press(&mut a, "j");
    let security = node_named(&a, "Security");
    assert_eq!(a.selected(), security);
    press(&mut a, "l");
    assert!(a.tree.is_expanded(security));
    press(&mut a, "right");
    assert_eq!(a.selected(), node_named(&a, "security"));
    press(&mut a, "h");
    assert_eq!(a.selected(), security);
    press(&mut a, "left");
    assert!(!a.tree.is_expanded(security));
    press(&mut a, "G");
    assert_eq!(a.selected(), Node::OrgPolicies);
    press(&mut a, "g");
    assert_eq!(a.selected(), Node::Root);
    press(&mut a, "l l l");
    let account = a.selected();
    press(&mut a, "l l");
    assert!(matches!(a.selected(), Node::Folder(..)));
    press(&mut a, "esc");
    assert_eq!(a.selected(), account, "Esc goes to the parent");
    assert!(a.tree.is_expanded(account), "and closes nothing");
    press(&mut a, "g enter");
    assert_eq!(a.tree.rows().len(), 2, "Enter closed the root");
}

#[test]
fn the_filter_finds_by_name_id_or_arn_and_jumps() {
    let org = acme();
    let mut a = app(&org);
    press(&mut a, "/");
    assert_eq!(a.context(), Context::Filter);
    type_text(&mut a, "dana");
    assert!(a.filter.total >= 1);
    press(&mut a, "enter");
    assert_eq!(a.context(), Context::Tree);
    let dana = node_named(&a, "dana");
    assert_eq!(a.selected(), dana);
    assert_eq!(
        a.breadcrumbs().len(),
        5,
        "Root › Security › security › Users › dana"
    );
    // By ARN and by account id.
    press(&mut a, "/");
    type_text(&mut a, "role/PaymentsDeployer");
    press(&mut a, "enter");
    assert_eq!(a.selected(), node_named(&a, "PaymentsDeployer"));
    press(&mut a, "/");
    type_text(&mut a, "121212121212");
    press(&mut a, "enter");
    assert_eq!(a.selected(), node_named(&a, "old-project"));
}

#[test]
fn the_filter_edits_and_cancels() {
    let org = acme();
    let mut a = app(&org);
    press(&mut a, "/");
    type_text(&mut a, "zzzz");
    assert_eq!(a.filter.total, 0);
    press(&mut a, "enter");
    assert_eq!(a.context(), Context::Filter, "nothing to jump to");
    press(&mut a, "backspace backspace backspace backspace");
    assert_eq!(a.filter.query, "");
    type_text(&mut a, "web");
    press(&mut a, "ctrl-u");
    assert_eq!(a.filter.query, "");
    type_text(&mut a, "web");
    press(&mut a, "down");
    assert_eq!(a.filter.selected, 1);
    press(&mut a, "esc");
    assert_eq!(a.context(), Context::Tree);
    assert_eq!(a.selected(), Node::Root, "cancel does not jump");
}

#[test]
fn the_palette_jumps_by_kind_and_completes() {
    let org = acme();
    let mut a = app(&org);
    press(&mut a, ":");
    type_text(&mut a, "account web-dev");
    press(&mut a, "enter");
    assert_eq!(a.selected(), node_named(&a, "web-dev"));
    press(&mut a, ":");
    type_text(&mut a, "pol FullAWSAccess");
    press(&mut a, "enter");
    assert_eq!(a.selected(), node_named(&a, "FullAWSAccess"));
    // Completion: the command, then the name.
    press(&mut a, ":");
    type_text(&mut a, "ro");
    press(&mut a, "tab");
    assert_eq!(a.palette.input, "role ");
    type_text(&mut a, "orgsecadm");
    press(&mut a, "tab");
    assert_eq!(a.palette.input, "role OrgSecurityAdmin");
    press(&mut a, "enter");
    assert_eq!(a.selected(), node_named(&a, "OrgSecurityAdmin"));
    // A role named like an account is not taken for it.
    press(&mut a, ":");
    type_text(&mut a, "role web-dev");
    press(&mut a, "enter");
    assert!(matches!(a.selected(), Node::Role(_)), "{:?}", a.selected());
}

#[test]
fn the_palette_says_what_it_cannot_do() {
    let org = acme();
    let mut a = app(&org);
    press(&mut a, ":");
    type_text(&mut a, "fly away");
    press(&mut a, "enter");
    assert!(
        a.status
            .as_ref()
            .unwrap()
            .text
            .contains("unknown command `fly`")
    );
    press(&mut a, "ctrl-u");
    type_text(&mut a, "user nobodyxyz");
    press(&mut a, "enter");
    assert!(a.status.as_ref().unwrap().text.contains("no user matches"));
    press(&mut a, "ctrl-u");
    type_text(&mut a, "help");
    press(&mut a, "enter");
    assert_eq!(a.context(), Context::Help);
    press(&mut a, "esc");
    press(&mut a, ":");
    type_text(&mut a, "q");
    press(&mut a, "enter");
    assert!(a.quit);
}

#[test]
fn history_goes_back_and_forward() {
    let org = acme();
    let mut a = app(&org);
    press(&mut a, "/");
    type_text(&mut a, "dana");
    press(&mut a, "enter");
    let dana = a.selected();
    press(&mut a, "j j");
    let walked = a.selected();
    press(&mut a, ":");
    type_text(&mut a, "role WebDeployer");
    press(&mut a, "enter");
    let deployer = a.selected();
    press(&mut a, "[");
    assert_eq!(a.selected(), walked, "a walk is one place");
    press(&mut a, "[");
    assert_eq!(a.selected(), dana);
    press(&mut a, "[");
    assert_eq!(a.selected(), Node::Root);
    press(&mut a, "[");
    assert_eq!(a.status.as_ref().unwrap().text, "nothing further back");
    press(&mut a, "] ] ]");
    assert_eq!(a.selected(), deployer);
    // Back to a node whose branch was closed since: it is opened again.
    press(&mut a, "g enter");
    press(&mut a, "[");
    assert!(a.tree.rows().iter().any(|r| r.id == a.selected()));
}

/// `[` shows the place left as it was left: its tab too, after a jump that
/// changed tab (a statement in a policy's JSON tab).
#[test]
fn history_restores_the_tab() {
    let org = acme();
    let mut a = app(&org);
    press(&mut a, ":");
    type_text(&mut a, "user frank");
    press(&mut a, "enter 3");
    assert_eq!(a.tab, Tab::OrgPolicies);
    press(&mut a, ":");
    type_text(
        &mut a,
        "can eve s3:GetObject arn:aws:s3:::acme-public-website/index.html",
    );
    press(&mut a, "enter j j enter");
    assert_eq!(a.tab, Tab::Json);
    let policy = a.selected();
    press(&mut a, "[");
    assert_eq!(a.selected(), node_named(&a, "frank"));
    assert_eq!(a.tab, Tab::OrgPolicies, "the tab frank was left on");
    press(&mut a, "]");
    assert_eq!((a.selected(), a.tab), (policy, Tab::Json));
}

#[test]
fn tab_cycles_panes_and_tabs() {
    let org = acme();
    let mut a = app(&org);
    press(&mut a, "tab");
    assert_eq!((a.focus, a.tab), (Focus::Details, Tab::Overview));
    press(&mut a, "tab tab tab tab");
    assert_eq!(a.tab, Tab::Json);
    press(&mut a, "tab");
    assert_eq!((a.focus, a.tab), (Focus::Tree, Tab::Overview));
    press(&mut a, "backtab");
    assert_eq!((a.focus, a.tab), (Focus::Details, Tab::Json));
    press(&mut a, "3");
    assert_eq!(a.tab, Tab::OrgPolicies);
    press(&mut a, "esc");
    assert_eq!(a.focus, Focus::Tree);
    // In the details, j scrolls instead of moving the selection.
    press(&mut a, ":");
    type_text(&mut a, "policy SecurityAudit");
    press(&mut a, "enter 5 tab");
    assert_eq!(a.focus, Focus::Details);
    let node = a.selected();
    press(&mut a, "j j pgdn");
    assert!(a.detail.scroll > 2);
    assert_eq!(a.selected(), node);
    press(&mut a, "g");
    assert_eq!(a.detail.scroll, 0);
}

#[test]
fn y_copies_the_arn_or_the_id() {
    let org = acme();
    let mut a = app(&org);
    press(&mut a, ":");
    type_text(&mut a, "role OrgSecurityAdmin");
    press(&mut a, "enter");
    let fx = press(&mut a, "y");
    assert_eq!(
        fx,
        [Effect::Copy(
            "arn:aws:iam::222222222222:role/OrgSecurityAdmin".into()
        )]
    );
    press(&mut a, ":");
    type_text(&mut a, "account web-dev");
    press(&mut a, "enter");
    assert_eq!(press(&mut a, "y"), [Effect::Copy("777777777777".into())]);
    press(&mut a, "l l");
    assert!(matches!(a.selected(), Node::Folder(..)));
    assert!(press(&mut a, "y").is_empty());
    assert_eq!(a.status.as_ref().unwrap().text, "nothing to copy here");
}

#[test]
fn clicks_select_and_open_tabs() {
    let org = acme();
    let mut a = app(&org);
    let rows = a.areas.tree_rows().unwrap();
    click(&mut a, rows.x + 4, rows.y + 2);
    assert_eq!(a.tree.selected_index(), 2);
    let picked = a.selected();
    click(&mut a, rows.x + 4, rows.y + 2);
    assert!(a.tree.is_expanded(picked), "a second click opens");
    let tabs = a.areas.tab_row().unwrap();
    let x = tabs.x + a.tab_titles()[0].len() as u16 + 4;
    click(&mut a, x, tabs.y);
    assert_eq!((a.tab, a.focus), (Tab::Policies, Focus::Details));
    let wheel = MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: rows.x + 1,
        row: rows.y + 1,
        modifiers: KeyModifiers::NONE,
    };
    a.update(Msg::Mouse(wheel));
    assert_eq!(a.tree.selected_index(), 5);
}

#[test]
fn small_screens_show_one_pane_and_resizing_keeps_the_place() {
    let org = acme();
    let mut a = app(&org);
    press(&mut a, "/");
    type_text(&mut a, "mallory");
    press(&mut a, "enter");
    let mallory = a.selected();
    a.update(Msg::Resize(60, 15));
    assert!(a.areas.details.is_none());
    assert!(
        a.tree.window().iter().any(|r| r.id == mallory),
        "still in sight"
    );
    press(&mut a, "tab");
    assert!(a.areas.tree.is_none() && a.areas.details.is_some());
    assert!(!a.detail.lines.is_empty());
    a.update(Msg::Resize(20, 5));
    assert!(a.areas.too_small);
    press(&mut a, "q");
    assert!(a.quit);
}

#[test]
fn details_follow_the_selection_and_tab() {
    let org = acme();
    let mut a = app(&org);
    let text = |a: &App<'_>| {
        a.detail
            .lines
            .iter()
            .map(|l| l.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    press(&mut a, "/");
    type_text(&mut a, "eve");
    press(&mut a, "enter");
    let t = text(&a);
    assert!(t.contains("AKIAEXAMPLEEVE000001"), "{t}");
    assert!(t.contains("no, with a console password"), "{t}");
    press(&mut a, "4");
    assert!(text(&a).contains("SecurityAuditors"));
    let Node::User(u) = a.selected() else {
        panic!()
    };
    assert_eq!(org.user(u).name(), "eve");
    let _ = Entity::User(u);
}

#[test]
fn a_worker_searches_off_the_ui_thread() {
    use std::sync::mpsc;
    use std::time::Duration;
    let org = acme();
    let (job_tx, job_rx) = mpsc::channel();
    let (msg_tx, msg_rx) = mpsc::channel();
    std::thread::scope(|s| {
        let mut a = app(&org);
        let index = a.search_in_background(job_tx);
        let org = &org;
        s.spawn(move || crate::tui::worker::serve(org, &index, job_rx, msg_tx));
        press(&mut a, "/");
        type_text(&mut a, "grace");
        // Results come back as messages; stale ones (for "g", "gr", ...) are dropped.
        while a.searching(Target::Filter) {
            let m = msg_rx
                .recv_timeout(Duration::from_secs(10))
                .expect("the worker answers");
            a.update(m);
        }
        assert_eq!(a.filter.query, "grace");
        press(&mut a, "enter");
        assert_eq!(a.selected(), node_named(&a, "grace"));
        press(&mut a, ":");
        type_text(&mut a, "role netadm");
        while a.searching(Target::Palette) {
            a.update(msg_rx.recv_timeout(Duration::from_secs(10)).unwrap());
        }
        press(&mut a, "enter");
        assert_eq!(a.selected(), node_named(&a, "NetworkAdmin"));
        // Dropping the app closes the queue and the worker ends.
        drop(a);
    });
}

/// A click on a problem selects it; a second click on it goes where Enter goes; a
/// click outside the list closes it.
#[test]
fn a_click_selects_a_problem_and_a_second_one_goes_there() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/org/broken/dangling-group.json");
    let (org, mut report) = crate::org::load_partial(&path).unwrap();
    report.findings.push(report.findings[0].clone());
    let mut a = app(&org);
    a.set_problems(&report);
    assert_eq!(a.popup, Popup::Problems);
    let body = crate::tui::layout::inner(a.areas.help());
    // The rows of the second problem, found on the screen the way the user sees it.
    let second = (body.y..body.y + body.height)
        .find(|&row| crate::tui::view::problems::problem_at(&a, row) == Some(1))
        .expect("the second problem is on screen");
    let col = body.x + 2;
    // The intro line above the first problem is no problem.
    assert_eq!(crate::tui::view::problems::problem_at(&a, body.y), None);
    click(&mut a, col, second);
    assert_eq!(a.problems.selected, 1);
    assert_eq!(a.popup, Popup::Problems);
    let first = (body.y..body.y + body.height)
        .find(|&row| crate::tui::view::problems::problem_at(&a, row) == Some(0))
        .unwrap();
    click(&mut a, col, first);
    assert_eq!(a.problems.selected, 0);
    click(&mut a, col, first);
    assert_eq!(a.popup, Popup::None, "a second click goes to the problem");
    press(&mut a, "!");
    click(&mut a, 0, 0);
    assert_eq!(a.popup, Popup::None, "a click outside closes the list");
}

/// The problems list: walked with the arrows, `?` shows its keys and comes back to
/// it, Esc closes it and `!` opens it again.
#[test]
fn the_problems_list_is_walked_and_left() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/org/broken/dangling-group.json");
    let (org, mut report) = crate::org::load_partial(&path).unwrap();
    report.findings.push(report.findings[0].clone());
    let mut a = app(&org);
    a.set_problems(&report);
    assert_eq!(a.context(), Context::Problems);
    press(&mut a, "j");
    assert_eq!(a.problems.selected, 1);
    press(&mut a, "j");
    assert_eq!(a.problems.selected, 1, "the list ends");
    press(&mut a, "?");
    assert_eq!(a.popup, Popup::Help(Context::Problems));
    press(&mut a, "esc");
    assert_eq!(a.popup, Popup::Problems);
    press(&mut a, "esc");
    assert_eq!(a.popup, Popup::None);
    press(&mut a, "!");
    assert_eq!(a.popup, Popup::Problems);
    // The palette has it too.
    press(&mut a, "esc :");
    type_text(&mut a, "problems");
    press(&mut a, "enter");
    assert_eq!(a.popup, Popup::Problems);
}
