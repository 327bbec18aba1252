//! The TUI's findings while a what-if scenario is active: the list shows the changed
//! org's findings (not the loaded org's), says so in its title, and marks what the
//! scenario adds, changes and removes, as `findings --scenario --compare` does.

use std::path::Path;
use std::sync::Arc;

use orgscope::org::Org;
use orgscope::scenario::{Scenario, ScenarioFile};
use orgscope::tui::app::{App, Msg};
use orgscope::tui::findings::Delta;

#[path = "common/tui.rs"]
mod tui;
use tui::{keys, screen, typed};

/// The findings screens' size.
fn app(org: &Org) -> App<'_> {
    tui::app(org, 160, 45)
}

/// Both of acme's scenario fixtures at once: one closes the public website bucket
/// (removes its `external.public`), one opens the data lake (adds one).
fn close_one_open_another() -> Scenario {
    let mut changes = Vec::new();
    for name in ["close-public-website", "public-data-lake"] {
        let path = format!("tests/fixtures/scenarios/{name}.json");
        changes.extend(
            ScenarioFile::load(Path::new(&path))
                .unwrap()
                .scenario
                .changes,
        );
    }
    Scenario {
        description: None,
        changes,
    }
}

fn started(org: &Org, scenario: Scenario) -> App<'_> {
    let changed = orgscope::scenario::apply(org, &scenario).unwrap();
    let mut a = app(org);
    a.start_scenario(scenario, Arc::new(changed));
    a
}

/// The list shows the changed org's findings, marked: the data lake's public
/// finding is added, the website's removed (listed, marked, not counted).
#[test]
fn findings_of_the_changed_org_are_listed_with_what_the_scenario_did() {
    let org = orgscope::org::load_builtin_acme();
    let mut a = started(&org, close_one_open_another());
    keys(&mut a, "F");
    let s = screen(&a);
    // 18 findings before; the scenario removes one and adds one: 18 after.
    assert!(
        s.contains("Findings of the org as the scenario changes it: 18 findings")
            && s.contains("the scenario adds 1, removes 1, changes 0"),
        "{s}"
    );
    let row = |name: &str| {
        s.lines()
            .find(|l| l.contains(name) && l.contains("external.public"))
            .unwrap_or_else(|| panic!("no row for {name}:\n{s}"))
            .to_string()
    };
    assert!(row("acme-data-dev-lake").contains("+ critical"), "{s}");
    assert!(row("acme-public-website").contains("- critical"), "{s}");
    // The others are unmarked.
    let grace = s.lines().find(|l| l.contains("grace signs in")).unwrap();
    assert!(grace.contains("│  high      grace"), "{s}");

    // `/` finds what the scenario removed by that word.
    keys(&mut a, "/");
    typed(&mut a, "removed");
    keys(&mut a, "enter");
    let s = screen(&a);
    assert!(
        s.contains("1/1") && s.contains("acme-public-website"),
        "{s}"
    );
    assert!(
        s.contains("the scenario removes it: a finding of the org as loaded"),
        "{s}"
    );
    assert_eq!(a.findings.current_delta(), Some(&Delta::Removed));
    // Enter on it goes to the bucket in the changed org, its Overview saying the
    // finding is gone (its statement is gone with the old policy).
    keys(&mut a, "enter");
    let s = screen(&a);
    assert!(
        s.contains("removed by the scenario: critical") && s.contains("acme-public-website"),
        "{s}"
    );
    // The added one leads to its statement in the changed org's bucket policy.
    keys(&mut a, "F / esc /");
    typed(&mut a, "added");
    keys(&mut a, "enter enter");
    let s = screen(&a);
    assert!(s.contains("\"Sid\": \"Public\""), "{s}");
}

/// Without a scenario the list is the loaded org's, unmarked; with one, every
/// finding of the changed org (as `findings` computes them for it) and those removed.
#[test]
fn without_a_scenario_the_list_is_the_loaded_orgs_and_unmarked() {
    let org = orgscope::org::load_builtin_acme();
    let mut a = app(&org);
    keys(&mut a, "F");
    let s = screen(&a);
    assert!(s.contains(" Findings: 18 findings"), "{s}");
    assert!(!s.contains("scenario"), "{s}");
    assert!(a.findings.deltas.is_empty());

    let mut b = started(&org, close_one_open_another());
    keys(&mut b, "F");
    let changed = orgscope::findings::findings(
        &orgscope::scenario::apply(&org, &close_one_open_another()).unwrap(),
        &orgscope::findings::Options {
            now: Some(b.now),
            ..Default::default()
        },
    );
    // Every finding of the changed org is listed, plus the one removed.
    assert_eq!(b.findings.all.len(), changed.len() + 1);
    for f in &changed {
        assert!(b.findings.all.iter().any(|g| g.id == f.id), "{}", f.id);
    }
}

/// With the runtime's worker, the changed org's findings come on a thread of their
/// own; until they do the list says it computes the changed org's, and findings
/// computed for an org the scenario no longer makes are dropped.
#[test]
fn findings_of_a_changed_org_come_from_their_own_thread() {
    let org = orgscope::org::load_builtin_acme();
    let scenario = close_one_open_another();
    let changed = Arc::new(orgscope::scenario::apply(&org, &scenario).unwrap());
    let mut a = app(&org);
    let (tx, rx) = std::sync::mpsc::channel();
    let _ = a.findings_in_background();
    a.findings_send_to(tx);
    a.start_scenario(scenario, changed.clone());
    keys(&mut a, "F");
    let s = screen(&a);
    assert!(
        s.contains("Computing the findings of the org as the scenario changes it"),
        "{s}"
    );
    // The loaded org's, as the loaded org's worker would send them.
    let opts = orgscope::findings::Options {
        now: Some(a.now),
        ..Default::default()
    };
    a.update(Msg::Findings(Arc::new(orgscope::findings::findings(
        &org, &opts,
    ))));
    // Still computing: the changed org's are not there yet.
    assert!(screen(&a).contains("Computing the findings of the org as"));
    // The changed org's, from the thread the app started.
    let msg = rx
        .recv_timeout(std::time::Duration::from_secs(120))
        .expect("the changed org's findings");
    assert!(matches!(msg, Msg::ScenarioFindings(..)));
    a.update(msg);
    let s = screen(&a);
    assert!(
        s.contains("the scenario adds 1, removes 1, changes 0"),
        "{s}"
    );
    // Findings of another org (a scenario since replaced) change nothing.
    let other = Arc::new(orgscope::org::load_builtin_acme());
    a.update(Msg::ScenarioFindings(
        orgscope::tui::what_if::Shared(other),
        Arc::new(Vec::new()),
    ));
    assert!(screen(&a).contains("the scenario adds 1, removes 1, changes 0"));
}

/// `o` sorts the list by severity (the default), then by node, then by rule; the
/// filter line says which.
#[test]
fn the_list_sorts_by_severity_node_or_rule() {
    let org = orgscope::org::load_builtin_acme();
    let mut a = app(&org);
    keys(&mut a, "F");
    assert!(screen(&a).contains("o order: severity"));
    let listed = |a: &App<'_>| -> Vec<(String, String, &'static str)> {
        a.findings
            .shown
            .iter()
            .map(|&i| {
                let f = &a.findings.all[i];
                (f.severity.to_string(), f.node_name.clone(), f.rule)
            })
            .collect()
    };
    let by_severity = listed(&a);
    assert_eq!(by_severity[0].0, "critical");
    keys(&mut a, "o");
    assert!(screen(&a).contains("o order: node"));
    let by_node = listed(&a);
    assert_eq!(by_node.len(), by_severity.len());
    assert!(by_node.windows(2).all(|w| w[0].1 <= w[1].1), "{by_node:?}");
    assert_ne!(by_node, by_severity);
    keys(&mut a, "o");
    let s = screen(&a);
    assert!(s.contains("o order: rule"), "{s}");
    let by_rule = listed(&a);
    assert!(by_rule.windows(2).all(|w| w[0].2 <= w[1].2), "{by_rule:?}");
    // The first row on screen is the first rule's.
    assert!(s.contains("escalation.self"), "{s}");
    keys(&mut a, "o");
    assert_eq!(listed(&a), by_severity);
}

/// While the findings are computed, a bar fills with the steps done (of five).
#[test]
fn a_bar_fills_as_the_steps_are_done() {
    let org = orgscope::org::load_builtin_acme();
    let mut a = app(&org);
    let progress = a.findings_in_background();
    keys(&mut a, "F");
    let s = screen(&a);
    assert!(s.contains(&format!("│{}", "░".repeat(50))), "{s}");
    progress.step.store(2, std::sync::atomic::Ordering::Relaxed);
    a.update(Msg::Tick);
    let s = screen(&a);
    assert!(
        s.contains(&format!("{}{}", "█".repeat(20), "░".repeat(30))),
        "{s}"
    );
}
