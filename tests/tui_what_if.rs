//! What if in the terminal UI: the what-if view and the scenario pane as insta
//! snapshots (drawn into ratatui's TestBackend, as tests/tui_screens.rs does), and
//! the real binary in tmux making a change, seeing its diff and undoing it.

use std::process::Command;

use orgscope::tui::app::App;

#[path = "common/tmux.rs"]
mod tmux;
use tmux::Tmux;
#[path = "common/tui.rs"]
mod tui;
use tui::{app, keys, screen};

/// dana taken out of SecurityAuditors, from her node's change menu.
fn dana_leaves_her_group(a: &mut App<'_>) {
    keys(a, ": text:user space text:dana enter");
    keys(a, "m text:remove enter text:Security enter");
}

#[test]
fn what_if_view() {
    let org = orgscope::org::load_builtin_acme();
    let mut a = app(&org, 110, 24);
    dana_leaves_her_group(&mut a);
    keys(&mut a, "d");
    let s = screen(&a);
    // What the rules say, whatever the layout: dana loses assuming the auditor role
    // her group let her assume.
    assert!(s.contains("sts:AssumeRole"), "{s}");
    assert!(s.contains("was allowed"), "{s}");
    insta::assert_snapshot!(s);
}

/// With guardrails, two folds (the broken expectation, dana): each shows its
/// one-line summary until → opens it.
#[test]
fn what_if_view_folded() {
    let org = orgscope::org::load_builtin_acme();
    let mut a = app(&org, 110, 16);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("guardrails.txt");
    std::fs::write(
        &file,
        "user dana can sts:AssumeRole on arn:aws:iam::222222222222:role/SecurityAuditor\n",
    )
    .unwrap();
    keys(
        &mut a,
        &format!(": text:expect space text:{} enter", file.display()),
    );
    dana_leaves_her_group(&mut a);
    keys(&mut a, "d");
    let s = screen(&a);
    // dana loses five actions (sts:AssumeRole among them), folded to one line.
    assert!(s.contains("▸ user/dana  loses 5 actions"), "{s}");
    assert!(!s.contains("sts:AssumeRole  arn"), "folded: {s}");
    insta::assert_snapshot!(s);
    keys(&mut a, "G right G");
    let s = screen(&a);
    assert!(s.contains("▾ user/dana"), "{s}");
    assert!(
        s.contains("- sts:AssumeRole  arn:aws:iam::222222222222:role/SecurityAuditor  was allowed"),
        "{s}"
    );
}

/// `v` opens a picker of the five access levels over the diff, checked as asked
/// now (the default: Write and Permissions management); the header then names the
/// levels chosen.
#[test]
fn the_level_picker_checks_levels_and_the_header_names_them() {
    let org = orgscope::org::load_builtin_acme();
    let mut a = app(&org, 110, 30);
    dana_leaves_her_group(&mut a);
    keys(&mut a, "d v");
    let s = screen(&a);
    assert!(s.contains("Access levels the diff asks"), "{s}");
    for (want, level) in [
        ("[ ] 1 List", "List"),
        ("[ ] 2 Read", "Read"),
        ("[x] 3 Write", "Write"),
        ("[x] 4 Permissions management", "PM"),
        ("[ ] 5 Tagging", "Tagging"),
    ] {
        assert!(s.contains(want), "{level}: {s}");
    }
    keys(&mut a, "1 2 enter");
    let s = screen(&a);
    assert!(!s.contains("Access levels the diff asks"), "closed: {s}");
    assert!(
        s.contains("levels asked: List, Read, Write, Permissions management (v picks others)"),
        "{s}"
    );
    keys(&mut a, "v 5 enter");
    assert!(screen(&a).contains("every access level asked"));
}

#[test]
fn scenario_pane() {
    let org = orgscope::org::load_builtin_acme();
    let mut a = app(&org, 100, 20);
    dana_leaves_her_group(&mut a);
    keys(
        &mut a,
        ": text:ou space text:Prod enter m enter text:DenyAll enter",
    );
    keys(&mut a, "u s");
    let s = screen(&a);
    assert!(s.contains("remove_user_from_group"), "{s}");
    assert!(s.contains("undone"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn the_tree_marks_what_a_change_touched() {
    let org = orgscope::org::load_builtin_acme();
    let mut a = app(&org, 100, 24);
    dana_leaves_her_group(&mut a);
    let s = screen(&a);
    let dana = s
        .lines()
        .find(|l| l.contains("│") && l.contains(" dana"))
        .expect("dana's row");
    assert!(dana.contains('✎'), "{s}");
    assert!(s.contains("Changed by the scenario: 1 change"), "{s}");
    keys(&mut a, "u");
    let s = screen(&a);
    assert!(!s.contains('✎'), "{s}");
}

/// While a scenario is active the tree is the changed org's: web-dev moved from Dev
/// to Sandbox, and an OU created under Workloads, each where the changes put them.
#[test]
fn the_tree_shows_a_moved_account_and_a_created_ou() {
    let org = orgscope::org::load_builtin_acme();
    let mut a = app(&org, 100, 26);
    keys(
        &mut a,
        ": text:ou space text:Workloads enter m text:create enter text:Lab enter",
    );
    keys(&mut a, ": text:account space text:web-dev enter");
    keys(&mut a, "m text:move enter text:Sandbox enter");
    keys(&mut a, ": text:ou space text:Workloads enter right down");
    let s = screen(&a);
    let row = |name: &str| {
        s.lines()
            .position(|l| l.contains(&format!(" {name} ")))
            .unwrap_or_else(|| panic!("no row for {name}:\n{s}"))
    };
    // Lab is in Workloads' subtree; web-dev under Sandbox, after it; Dev holds
    // data-dev alone.
    assert!(
        row("Workloads") < row("Lab") && row("Lab") < row("Sandbox"),
        "{s}"
    );
    assert!(row("Sandbox") < row("web-dev"), "{s}");
    assert!(s.contains("Changed by the scenario: 2 changes"), "{s}");
    insta::assert_snapshot!(s);
}

/// ProdGuardrails detached from Prod: the OU's SCPs tab, read from the changed org,
/// no longer lists it, and web-prod's inherited SCPs no longer come from it.
#[test]
fn the_details_of_an_ou_after_an_scp_is_detached() {
    let org = orgscope::org::load_builtin_acme();
    let mut a = app(&org, 110, 36);
    keys(&mut a, ": text:ou space text:Prod enter 3");
    let s = screen(&a);
    assert!(s.contains("ProdGuardrails"), "{s}");
    keys(
        &mut a,
        "m text:detach space text:an space text:SCP enter text:ProdGuardrails enter",
    );
    let s = screen(&a);
    assert!(!s.contains("ProdGuardrails"), "{s}");
    insta::assert_snapshot!(s);
    keys(&mut a, ": text:account space text:web-prod enter 3");
    let s = screen(&a);
    assert!(s.contains("DenyOutsideApprovedRegions"), "{s}");
    assert!(!s.contains("ProdGuardrails"), "{s}");
}

// ---- end to end, in tmux --------------------------------------------------------------

/// The real binary on acme in a tmux window of its own (no config, no colour),
/// its tree drawn; `None` (the test skips) without tmux.
fn acme_in_tmux(name: &str) -> Option<Tmux> {
    let bin = env!("CARGO_BIN_EXE_orgscope");
    let t = Tmux::start(
        name,
        120,
        40,
        &[
            "env",
            "-i",
            "PATH=/usr/bin:/bin",
            "TERM=xterm-256color",
            "XDG_CONFIG_HOME=/nonexistent",
            "NO_COLOR=1",
            bin,
            "acme",
        ],
    )?;
    t.wait_for("Organization policies");
    Some(t)
}

/// `:COMMAND` from the palette, then waits until the screen shows `shows`.
fn palette(t: &Tmux, command: &str, shows: &str) {
    t.keys(&[":"]);
    t.type_text(command);
    t.keys(&["Enter"]);
    t.wait_for(shows);
}

/// `m`, waits for `offer` in the change menu, types `filter` and Enter.
fn menu(t: &Tmux, offer: &str, filter: &str) {
    t.keys(&["m"]);
    t.wait_for(offer);
    t.type_text(filter);
    t.keys(&["Enter"]);
}

#[test]
fn make_a_change_see_the_diff_and_undo_it_in_tmux() {
    let Some(t) = acme_in_tmux("whatif") else {
        return;
    };
    palette(&t, "user dana", "Users › dana");
    menu(&t, "remove the user from a group", "remove");
    t.wait_for("choose");
    t.type_text("SecurityAuditors");
    t.keys(&["Enter"]);
    t.wait_for("Changed by the scenario: 1 change");
    t.keys(&["d"]);
    // A frame can be captured half drawn: each check waits for the whole frame.
    t.wait_for_all(&["sts:AssumeRole", "What if · 1 change · user dana"]);
    // dana, the only principal, starts open; ← folds her to her summary, → opens.
    t.keys(&["j", "Left"]);
    t.wait_until("dana folded to her summary", |s| {
        s.contains("▸ user/dana  loses 5 actions") && !s.contains("- sts:AssumeRole")
    });
    t.keys(&["Right"]);
    t.wait_for("- sts:AssumeRole");
    // Esc in its own send-keys, and the tree back before the next key: an Esc
    // followed at once by a key reads as Alt and that key.
    t.keys(&["Escape"]);
    t.wait_for("┌ Changed by the scenario: 1 change");
    t.keys(&["u"]);
    t.wait_until("the change undone and its pane gone", |s| {
        s.contains("undone: 0 changes left") && !s.contains("Changed by the scenario: 1 change")
    });
    t.keys(&["q"]);
}

/// The real binary, its workers included: an OU created by a change is in the tree,
/// the search worker finds it in the changed org, and undoing the change takes the
/// selection back to its parent in the loaded org.
#[test]
fn a_created_ou_is_found_and_undone_in_tmux() {
    let Some(t) = acme_in_tmux("whatif-ou") else {
        return;
    };
    palette(&t, "ou Workloads", "Root › Workloads");
    menu(&t, "create an OU here", "create an OU");
    t.type_text("Lab");
    t.keys(&["Enter"]);
    t.wait_for("Changed by the scenario: 1 change");
    t.keys(&["/"]);
    t.type_text("Lab");
    t.wait_for("Lab  ou-what-");
    t.keys(&["Enter"]);
    t.wait_for("Root › Workloads › Lab");
    t.keys(&["u"]);
    t.wait_until("the OU gone and Workloads selected", |s| {
        s.contains("undone: 0 changes left")
            && s.lines().next().map(str::trim_end) == Some(" Root › Workloads")
            && !s.contains("Lab")
    });
    t.keys(&["q"]);
}

/// `orgscope ORG --scenario FILE`: a scenario that does not apply is told before the
/// UI opens, with its file and the change at fault.
#[test]
fn a_scenario_given_at_start_that_does_not_apply_is_refused_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scenario.json");
    std::fs::write(
        &file,
        "{\"changes\": [\n  {\"op\": \"attach_scp\", \"policy\": \"NoSuchPolicy\", \"target\": \"Prod\"}\n]}\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_orgscope"))
        .arg("acme")
        .arg("--scenario")
        .arg(&file)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("scenario.json:2:"), "{err}");
    assert!(err.contains("NoSuchPolicy"), "{err}");
    assert!(!err.contains("terminal"), "refused before the UI: {err}");
}
