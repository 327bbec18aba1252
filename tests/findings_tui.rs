//! The TUI's findings: while a what-if scenario is active the list shows the changed
//! org's findings (not the loaded org's), says so in its title, and marks what the
//! scenario adds, changes and removes, as `findings --scenario --compare` does; the
//! list sorts and shows progress; each finding's Access Analyzer grade and place in
//! the input show as `findings` prints them, and Enter highlights the statement
//! that place names.

use std::path::Path;
use std::sync::Arc;

use orgscope::findings::Grade;
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
    // Names in a reader's order, case aside.
    assert!(
        by_node
            .windows(2)
            .all(|w| w[0].1.to_lowercase() <= w[1].1.to_lowercase()),
        "{by_node:?}"
    );
    assert!(by_node.iter().any(|n| n.1 == "DataScientist"));
    assert!(by_node.windows(2).any(|w| w[0].1 > w[1].1), "case is aside");
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

/// The 1-based line and byte column's offset in `text`.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    start + column - 1
}

/// The JSON value that starts at `offset` of `text`.
fn value_at(text: &str, offset: usize) -> serde_json::Value {
    serde_json::Deserializer::from_str(&text[offset..])
        .into_iter::<serde_json::Value>()
        .next()
        .expect("a value")
        .expect("valid JSON")
}

/// The statement a location names, read from the input file itself: the value at its
/// line and column, or inside the string found there at its `inDocument` place.
fn statement_at(at: &orgscope::findings::Location) -> serde_json::Value {
    let text = std::fs::read_to_string(&at.file).unwrap();
    let value = value_at(&text, offset_of(&text, at.line, at.column));
    match (at.in_document, value) {
        (None, v) => v,
        (Some(inside), serde_json::Value::String(doc)) => {
            value_at(&doc, offset_of(&doc, inside.line, inside.column))
        }
        (Some(_), other) => panic!("not a document in a string: {other}"),
    }
}

/// Statement `k` of a policy document (`Statement` a list, or one object).
fn statement_of(text: &str, k: usize) -> serde_json::Value {
    let doc: serde_json::Value = serde_json::from_str(text).unwrap();
    match &doc["Statement"] {
        serde_json::Value::Array(list) => list[k].clone(),
        one => {
            assert_eq!(k, 0);
            one.clone()
        }
    }
}

/// acme with an SCP held as JSON text in a string (as AWS's `Content` is), its
/// second statement misspelling an action, the `Statement` of an SCP a lone
/// object, and a Sid that reads as a place: a place in a string, a statement that
/// is not in a list, a label that could name two statements.
fn acme_with_scps_in_strings(dir: &Path) -> std::path::PathBuf {
    let mut v: serde_json::Value =
        serde_json::from_str(include_str!("../sample-orgs/acme.json")).unwrap();
    let document = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Sid\": \"A\", \"Effect\": \"Deny\", \"Action\": \"s3:DeleteBucket\", \"Resource\": \"*\"},\n    {\"Sid\": \"Typo\", \"Effect\": \"Deny\", \"Action\": \"s3:GetObjct\", \"Resource\": \"*\"}\n  ]\n}";
    v["scps"]["AsText"] = serde_json::json!({ "document": document });
    v["scps"]["Lone"] = serde_json::json!({ "document": {
        "Version": "2012-10-17",
        "Statement": {"Effect": "Deny", "Action": "ec2:TerminateInstancez", "Resource": "*"}
    }});
    // A Sid that reads as another statement's place: the finding on the second
    // statement (no Sid: `Statement[1]`) is about the second, not the first.
    v["scps"]["Tricky"] = serde_json::json!({ "document": {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Statement[1]", "Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"},
            {"Effect": "Deny", "Action": "s3:PutObjekt", "Resource": "*"}
        ]
    }});
    let root = v["root"]["scps"].as_array_mut().unwrap();
    root.push(serde_json::json!("AsText"));
    root.push(serde_json::json!("Lone"));
    root.push(serde_json::json!("Tricky"));
    let path = dir.join("acme-scps-in-strings.json");
    std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    path
}

/// Enter on each finding that names a statement in a file highlights, in the policy's
/// JSON tab, the very statement its location names: the one read from the input
/// file at that line and column (inside the string, for a document held as text).
/// On acme (and an SCP in a string, an SCP whose `Statement` is one object) and on
/// both AWS CLI export dumps.
#[test]
fn enter_highlights_the_statement_the_location_names() {
    let dir = std::env::temp_dir().join(format!("orgscope-ftui-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let inputs = [
        acme_with_scps_in_strings(&dir),
        "sample-orgs/cloudsplaining-export".into(),
        "tests/fixtures/awscli-export".into(),
    ];
    let mut total = 0;
    for input in &inputs {
        let org = orgscope::org::load(input).unwrap();
        let mut a = app(&org);
        keys(&mut a, "F");
        let (mut located, mut in_strings, mut lone, mut tricky) = (0, 0, 0, 0);
        for i in 0..a.findings.shown.len() {
            a.findings.selected = i;
            let f = a.findings.current().unwrap().clone();
            let (Some(at), Some(label)) = (f.location.clone(), f.statement.clone()) else {
                continue;
            };
            // The list's details say where it is, as `findings` prints it.
            let s = screen(&a);
            assert!(
                s.contains(&format!("at {}:{}:{}", at.file, at.line, at.column)),
                "{s}"
            );
            keys(&mut a, "enter");
            let (_, m) = a
                .mark
                .unwrap_or_else(|| panic!("{}: no statement marked", f.id));
            let expected = statement_at(&at);
            assert_eq!(
                statement_of(&org.doc(m.policy).text, m.statement),
                expected,
                "{}: the statement highlighted is not the one at {at}",
                f.id
            );
            assert_eq!(org.policy_name(m.policy), f.policy.as_deref().unwrap());
            // On screen: the JSON tab, the statement's lines marked, its Sid among them.
            let s = screen(&a);
            let marked: Vec<&str> = s.lines().filter(|l| l.contains('▌')).collect();
            assert!(!marked.is_empty(), "{}: nothing marked:\n{s}", f.id);
            if let Some(sid) = expected["Sid"].as_str().filter(|s| !s.is_empty()) {
                assert_eq!(label, sid);
                assert!(
                    marked
                        .iter()
                        .any(|l| l.contains(&format!("\"Sid\": \"{sid}\""))),
                    "{}: {sid} not among the marked lines:\n{s}",
                    f.id
                );
            }
            located += 1;
            in_strings += usize::from(at.in_document.is_some());
            lone += usize::from(at.json_path.ends_with(".Statement"));
            tricky += usize::from(expected["Action"] == "s3:PutObjekt");
            keys(&mut a, "F");
        }
        assert!(located >= 1, "{}: {located}", input.display());
        total += located;
        if input.starts_with(&dir) {
            assert_eq!((in_strings, lone, tricky), (1, 1, 1));
        }
    }
    assert!(total >= 20, "{total}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The screen's lines above the rule that ends the list, and those below it (what
/// the list tells of the selected finding).
fn split_at_rule(s: &str) -> (Vec<&str>, Vec<&str>) {
    let lines: Vec<&str> = s.lines().collect();
    let rule = lines
        .iter()
        .rposition(|l| l.contains("│────"))
        .expect("the rule under the list");
    (lines[..rule].to_vec(), lines[rule + 1..].to_vec())
}

/// The rows of the list on screen that show `rule`.
fn rows_of<'s>(s: &'s str, rule: &str) -> Vec<&'s str> {
    split_at_rule(s)
        .0
        .into_iter()
        .filter(|l| l.contains(&format!(" {rule} ")))
        .collect()
}

/// Access Analyzer's grade shows in the list (a column, where the list is wide) and
/// under it (always); `a` narrows the list to each grade in turn (the findings
/// of that grade, as `findings` computes them), then shows all again.
#[test]
fn the_grade_shows_and_narrows_the_list() {
    let org = orgscope::org::load(Path::new("sample-orgs/cloudsplaining-export")).unwrap();
    let mut a = app(&org);
    let all = orgscope::findings::findings(
        &org,
        &orgscope::findings::Options {
            now: Some(a.now),
            ..Default::default()
        },
    );
    keys(&mut a, "F");
    let s = screen(&a);
    assert!(
        s.contains("a grade: all") && s.contains("a grade   u under"),
        "{s}"
    );
    let ids = |a: &App<'_>| -> Vec<String> {
        let mut v: Vec<String> = a
            .findings
            .shown
            .iter()
            .map(|&i| a.findings.all[i].id.clone())
            .collect();
        v.sort();
        v
    };
    let everything = ids(&a);
    assert_eq!(everything.len(), all.len());
    let grades = [
        Grade::Error,
        Grade::SecurityWarning,
        Grade::Warning,
        Grade::Suggestion,
    ];
    for g in grades {
        keys(&mut a, "a");
        let mut want: Vec<String> = all
            .iter()
            .filter(|f| f.grade == Some(g))
            .map(|f| f.id.clone())
            .collect();
        want.sort();
        assert_eq!(ids(&a), want, "{g}");
        let s = screen(&a);
        assert!(s.contains(&format!("a grade: {g}   ")), "{s}");
        if want.is_empty() {
            assert!(s.contains("No finding matches the filters"), "{s}");
            continue;
        }
        assert!(s.contains(&format!("1/{} ", want.len())), "{s}");
        // Each row shows its grade in its column, and the selected one's is told.
        let first = &a.findings.all[a.findings.shown[0]];
        let rows = rows_of(&s, first.rule);
        assert!(!rows.is_empty(), "{s}");
        assert!(rows.iter().all(|r| r.contains(&format!(" {g} "))), "{s}");
        assert!(
            s.contains(&format!("grade: {g} (IAM Access Analyzer)")),
            "{s}"
        );
    }
    keys(&mut a, "a");
    assert!(screen(&a).contains("a grade: all"));
    assert_eq!(ids(&a), everything);
    // Without graded findings (identity ones only), no grade column.
    keys(&mut a, "t t t");
    let s = screen(&a);
    assert!(s.contains("kind: identity"), "{s}");
    let first = a.findings.all[a.findings.shown[0]].rule;
    let row = rows_of(&s, first)[0];
    assert!(
        row.contains(&format!("{first}   ")) && !row.contains("warning"),
        "{s}"
    );
}

/// At 100 columns the list has no grade column (the message keeps its room), the
/// grade is told under the list, and the filter line takes two rows rather than cut
/// what is typed.
#[test]
fn a_narrow_list_tells_the_grade_below_and_wraps_the_filters() {
    let org = orgscope::org::load(Path::new("sample-orgs/cloudsplaining-export")).unwrap();
    let mut a = tui::app(&org, 100, 40);
    keys(&mut a, "F s s a a /");
    typed(&mut a, "privesc-codebuild");
    let s = screen(&a);
    for want in [
        "s severity: high and above",
        "a grade: security warning",
        "u under: all",
        "o order: severity",
        "/ filter: privesc-codebuild▏",
        "grade: security warning (IAM Access Analyzer)",
        "1/1 ",
    ] {
        assert!(s.contains(want), "{want}:\n{s}");
    }
    let row = rows_of(&s, "policy.pass-role-any");
    assert_eq!(row.len(), 1, "{s}");
    assert!(
        !row[0].contains("security warning") && row[0].contains("allows iam:PassRole"),
        "{s}"
    );
    insta::assert_snapshot!("findings_list_100_columns", s);
}

/// Whitespace collapsed, so that text wrapped on screen compares with text on one line.
fn collapsed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What the list tells of the selected finding: the rows below the list's rule,
/// without the borders, on one line.
fn told(s: &str) -> String {
    collapsed(
        &split_at_rule(s)
            .1
            .iter()
            .map(|l| l.trim_matches('"').trim_matches('│').trim_end_matches('│'))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// The details pane's text (right of the tree), on one line.
fn details_pane(s: &str) -> String {
    let lines: Vec<Vec<char>> = s
        .lines()
        .map(|l| l.trim_matches('"').chars().collect())
        .collect();
    let left = lines
        .iter()
        .find_map(|l| l.windows(2).position(|w| w == ['┐', '┌']))
        .expect("two panes")
        + 2;
    collapsed(
        &lines
            .iter()
            .filter(|l| l.len() > left)
            .map(|l| l[left..].iter().collect::<String>().replace('│', " "))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// One finding, both views: each line `orgscope findings` prints for it (severity,
/// rule and node; grade; message; policy and statement; place; why; fix) is in
/// what the TUI's list tells of it, the JSON's grade and location included; and the
/// Overview of its node lists it with its grade and place.
#[test]
fn the_tui_tells_a_finding_as_the_cli_prints_it() {
    let cases = [
        ("sample-orgs/acme.json", "policy.pass-role-any"),
        ("sample-orgs/acme.json", "external.public"),
        ("sample-orgs/cloudsplaining-export", "external.public"),
        (
            "sample-orgs/cloudsplaining-export",
            "policy.allow-not-action",
        ),
    ];
    for (input, rule) in cases {
        let run = |format: &str| {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_orgscope"))
                .args(["findings", input, "--format", format])
                .output()
                .unwrap();
            String::from_utf8(out.stdout).unwrap()
        };
        let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
        let table = run("table");
        let listed: Vec<&serde_json::Value> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == rule)
            .collect();
        assert_eq!(listed.len(), 1, "{input} {rule}");
        let one = listed[0];
        let node = one["node"].as_str().unwrap();
        // The table's block for it: from its first line to the blank line after.
        let block: Vec<&str> = table
            .split("\n\n")
            .find(|b| {
                b.lines()
                    .next()
                    .is_some_and(|l| l.contains(rule) && l.ends_with(node))
            })
            .unwrap_or_else(|| panic!("{rule} {node} not in:\n{table}"))
            .lines()
            .collect();

        let org = orgscope::org::load(Path::new(input)).unwrap();
        let mut a = app(&org);
        keys(&mut a, "F");
        let i = a
            .findings
            .shown
            .iter()
            .position(|&i| a.findings.all[i].id == one["id"])
            .unwrap_or_else(|| panic!("{} not in the TUI's list", one["id"]));
        a.findings.selected = i;
        let s = screen(&a);
        let told = told(&s);
        for line in &block {
            assert!(
                told.contains(&collapsed(line)),
                "{input} {rule}: the table's `{}` is not in the TUI's\n{told}\n{s}",
                line.trim()
            );
        }
        // The JSON's fields, as the list tells them.
        if let Some(g) = one["grade"].as_str() {
            let words = g.to_lowercase().replace('_', " ");
            assert!(
                told.contains(&format!("grade: {words} (IAM Access Analyzer)")),
                "{told}"
            );
        } else {
            assert!(!told.contains("grade:"), "{told}");
        }
        let at = &one["location"];
        let place = format!(
            "at {}:{}:{}",
            at["file"].as_str().unwrap(),
            at["line"],
            at["column"]
        );
        assert!(told.contains(&place), "{place}: {told}");
        if let Some(d) = at.get("inDocument") {
            assert!(
                told.contains(&format!(
                    "(a document in a string: line {} column {} of it)",
                    d["line"], d["column"]
                )),
                "{told}"
            );
        }
        for field in ["message", "policy", "statement", "why", "fix"] {
            let text = one[field].as_str().unwrap();
            assert!(told.contains(&collapsed(text)), "{field} {text}: {told}");
        }
        // The row: severity, name, rule.
        let row = rows_of(&s, rule)[0];
        assert!(
            collapsed(row).contains(&format!(
                "{} {}",
                one["severity"].as_str().unwrap(),
                one["nodeName"].as_str().unwrap()
            )),
            "{row}"
        );
        // The node's Overview lists it, with its grade and place.
        keys(&mut a, "enter 1");
        let s = details_pane(&screen(&a));
        assert!(
            s.contains(&collapsed(one["message"].as_str().unwrap())),
            "{s}"
        );
        // (A path longer than the pane is cut mid-word where it wraps.)
        let bare = |t: &str| t.replace(' ', "");
        assert!(bare(&s).contains(&bare(&place)), "{place}: {s}");
        if let Some(g) = one["grade"].as_str() {
            let words = g.to_lowercase().replace('_', " ");
            assert!(s.contains(&format!("{rule} ({words})")), "{s}");
        }
    }
}

/// Sids from the input reach the screen inert (names are refused at load unless
/// IAM's characters), in what the list tells of a finding, the statement Enter
/// highlights and the node's Overview: a Sid carrying terminal escapes and a bidi
/// override.
#[test]
fn sids_from_the_input_are_inert_on_screen() {
    let mut v: serde_json::Value =
        serde_json::from_str(include_str!("../sample-orgs/acme.json")).unwrap();
    let web = v["accounts"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|a| a["name"] == "web-prod")
        .unwrap();
    web["policies"]["WebOpsEverything"]["document"]["Statement"][0]["Sid"] =
        "Every\u{1b}]0;pwned\u{7}thing\u{202e}".into();
    let (org, report) = orgscope::org::load_str("escapes.json", &v.to_string());
    let org = org.unwrap_or_else(|| panic!("{report}"));
    let mut a = app(&org);
    keys(&mut a, "F /");
    typed(&mut a, "pass-role");
    keys(&mut a, "enter");
    // `screen` fails on any control character reaching it.
    let s = screen(&a);
    let sid = r"Every\x1b]0;pwned\x07thing\u{202e}";
    assert!(
        s.contains(&format!("in WebOpsEverything, statement {sid}")),
        "{s}"
    );
    // The JSON tab writes the document as JSON: the escapes as JSON's.
    keys(&mut a, "enter");
    let s = screen(&a);
    assert!(
        s.lines()
            .any(|l| l.contains('▌')
                && l.contains(r#""Sid": "Every\u001b]0;pwned\u0007thing\u{202e}""#)),
        "{s}"
    );
    keys(&mut a, "1");
    let s = screen(&a);
    assert!(
        s.contains("policy.pass-role-any (security warning) · WebOpsEverything ·")
            && s.contains(sid),
        "{s}"
    );
}

/// A click on a finding selects it; a second click on it goes there, as Enter does
/// (as in the problems list).
#[test]
fn a_click_selects_a_finding_and_a_second_goes_there() {
    use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let click = |a: &mut App<'_>, row: u16| {
        a.update(Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: 40,
            row,
            modifiers: KeyModifiers::NONE,
        }))
    };
    let org = orgscope::org::load_builtin_acme();
    let mut a = app(&org);
    keys(&mut a, "F");
    let s = screen(&a);
    let row = s
        .lines()
        .position(|l| l.contains("WebOpsEverything") && l.contains("policy.pass-role-any"))
        .unwrap() as u16;
    click(&mut a, row);
    let s = screen(&a);
    assert!(
        s.contains("in WebOpsEverything, statement Everything") && s.contains("4/18"),
        "{s}"
    );
    click(&mut a, row);
    let s = screen(&a);
    assert!(
        s.contains("Policies › WebOpsEverything")
            && s.lines()
                .any(|l| l.contains('▌') && l.contains("\"Sid\": \"Everything\"")),
        "{s}"
    );
}

/// An OU's Overview counts the findings in its accounts by severity, an account's
/// those in it (its users', roles' and resources'), as `findings --scope` finds them
/// (the same options: the subtree's accounts).
#[test]
fn an_ou_and_an_account_count_their_findings_by_severity() {
    use orgscope::org::{AccountIx, Entity, NameLookup};
    let org = orgscope::org::load_builtin_acme();
    let mut a = app(&org);
    keys(&mut a, "F esc");
    for (command, name, says) in [
        ("ou Prod", "Prod", "its accounts hold"),
        ("account web-prod", "web-prod", "in the account in all"),
    ] {
        let accounts: Vec<AccountIx> = match org.by_name(name) {
            NameLookup::Unique(Entity::Ou(o)) => org
                .accounts()
                .iter()
                .filter_map(|x| org.account_by_id(&x.id))
                .filter(|&x| org.ancestors(x).contains(&o))
                .collect(),
            NameLookup::Unique(Entity::Account(x)) => vec![x],
            other => panic!("{other:?}"),
        };
        let listed = orgscope::findings::findings(
            &org,
            &orgscope::findings::Options {
                accounts: Some(accounts),
                now: Some(a.now),
                ..Default::default()
            },
        );
        let count = |s: &str| listed.iter().filter(|f| f.severity.word() == s).count();
        let parts: Vec<String> = ["critical", "high", "medium", "low"]
            .into_iter()
            .filter(|s| count(s) > 0)
            .map(|s| format!("{} {s}", count(s)))
            .collect();
        tui::goto(&mut a, command);
        let s = details_pane(&screen(&a));
        assert!(
            s.contains(&format!("{} findings", listed.len()))
                && s.contains(says)
                && s.contains(&parts.join(", ")),
            "{name}: {} {parts:?}\n{s}",
            listed.len()
        );
    }
}
