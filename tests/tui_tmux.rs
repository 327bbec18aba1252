//! End to end: the real binary in tmux on the acme org. It navigates, filters, asks a
//! question, opens help and quits, and the shell prompt is back. Skipped (with a message) where tmux
//! is missing. A private tmux server is used and killed, so no session is left.

use std::thread::sleep;
use std::time::{Duration, Instant};

#[path = "common/tmux.rs"]
mod tmux;
use tmux::Tmux;

/// A private tmux server running a plain shell with a known prompt, so that its
/// return can be seen; `None` (the test skips) without tmux.
fn start(name: &str) -> Option<Tmux> {
    let t = Tmux::start(
        name,
        110,
        32,
        &[
            "env",
            "-i",
            "PATH=/usr/bin:/bin",
            "PS1=e2e-prompt$ ",
            "TERM=xterm-256color",
            "sh",
        ],
    )?;
    t.wait_for("e2e-prompt$");
    Some(t)
}

/// Waits until the prompt is back on the last line, with the UI gone from the
/// screen, and checks the terminal echoes and runs commands again.
fn prompt_is_back(t: &Tmux) {
    let start = Instant::now();
    let s = loop {
        let s = t.screen();
        let last = s
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .to_string();
        if last.starts_with("e2e-prompt$") && s.matches("e2e-prompt$").count() >= 2 {
            break s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "the prompt did not come back:\n{s}"
        );
        sleep(Duration::from_millis(50));
    };
    assert!(
        !s.contains("Organization policies"),
        "the alternate screen was left:\n{s}"
    );
    // Out of raw mode: typed text echoes and runs.
    t.type_text("echo back-$((40+2))");
    t.keys(&["Enter"]);
    t.wait_for("back-42");
}

#[test]
fn a_panic_gives_the_terminal_back() {
    let Some(t) = start("panic") else { return };
    let bin = env!("CARGO_BIN_EXE_orgscope");
    if !bin.contains("/debug/") {
        eprintln!("skipped: the panic key exists in debug builds only");
        return;
    }
    let cmd =
        format!("XDG_CONFIG_HOME=/nonexistent ORGSCOPE_TEST_PANIC_KEY=Z {bin}; echo status=$?");
    t.type_text(&cmd);
    t.keys(&["Enter"]);
    t.wait_for("Organization policies");
    t.keys(&["j", "Z"]);
    t.wait_for_all(&["status=101", "a test panic"]);
    prompt_is_back(&t);
}

#[test]
fn browse_acme_in_tmux() {
    let Some(t) = start("e2e") else { return };
    let bin = env!("CARGO_BIN_EXE_orgscope");
    let config = std::env::temp_dir().join(format!("{}-config", t.session()));
    let cmd = format!("XDG_CONFIG_HOME={} NO_COLOR=1 {bin}", config.display());
    t.type_text(&cmd);
    t.keys(&["Enter"]);
    t.wait_for_all(&["Organization policies", "Root r-acme", "? help"]);

    // Navigate: down to Security, open it, into its first account.
    t.keys(&["j", "l", "l"]);
    t.wait_for(" Root › Security › security");

    // Filter: jump to a user by name.
    t.keys(&["/"]);
    t.wait_for("Find");
    t.type_text("ci-legacy");
    t.wait_for("user     ci-legacy");
    t.keys(&["Enter"]);
    t.wait_for_all(&["Users › ci-legacy", "user ci-legacy"]);

    // A tab, then help, then close it.
    t.keys(&["5"]);
    t.wait_for("── ");
    t.keys(&["?"]);
    t.wait_for("Keys in the tree");
    t.keys(&["Escape"]);
    let start = Instant::now();
    while t.screen().contains("Keys in the tree") {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "help did not close"
        );
        sleep(Duration::from_millis(50));
    }

    // A question, answered on the query worker: the decision, then Enter on the
    // denying statement shows it highlighted in its policy.
    t.keys(&[":"]);
    t.wait_for("Command");
    t.type_text("can eve s3:GetObject arn:aws:s3:::acme-public-website/index.html");
    t.keys(&["Enter"]);
    t.wait_for_all(&[
        "ExplicitlyDenied  blocked by RCP root",
        "Layer by layer",
        "Enter jump",
    ]);
    t.keys(&["j", "j", "Enter"]);
    t.wait_for_all(&[
        "policy EnforceSecureTransport",
        "▌",
        "\"Sid\": \"DenyPlainHttp\"",
    ]);
    // `a` brings the answer back; Esc closes it.
    t.keys(&["a"]);
    t.wait_for("ExplicitlyDenied  blocked by RCP root");
    t.keys(&["Escape"]);
    t.wait_until("the pane closed", |s| !s.contains("Layer by layer"));
    // The jump left the keys in the JSON tab: back to the tree.
    t.keys(&["Escape"]);

    // Resize at any moment: one pane at 60x15, a message when too small, and back.
    t.run(&["resize-window", "-t", t.session(), "-x", "60", "-y", "15"]);
    t.wait_until("the tree alone", |s| {
        s.contains("┌ Organization") && !s.contains("1 Overview") && s.lines().count() <= 15
    });
    t.run(&["resize-window", "-t", t.session(), "-x", "30", "-y", "8"]);
    t.wait_for("terminal too small");
    t.run(&["resize-window", "-t", t.session(), "-x", "110", "-y", "32"]);
    t.wait_for("Organization policies");

    // Quit: the shell prompt is back and the UI is gone.
    t.keys(&["q"]);
    prompt_is_back(&t);
    let _ = std::fs::remove_dir_all(&config);
}

#[test]
fn an_org_with_errors_opens_on_its_problems() {
    let Some(t) = start("problems") else { return };
    let bin = env!("CARGO_BIN_EXE_orgscope");
    let dir = env!("CARGO_MANIFEST_DIR");
    // Nothing to look at: refused with its errors, status 1.
    let cmd = format!(
        "XDG_CONFIG_HOME=/nonexistent {bin} {dir}/tests/fixtures/org/broken/syntax-missing-comma.json; echo status=$?"
    );
    t.type_text(&cmd);
    t.keys(&["Enter"]);
    t.wait_for_all(&["the organization has 1 error", "status=1"]);
    // What loaded opens, on the list of problems; Enter goes to the first.
    let cmd = format!(
        "XDG_CONFIG_HOME=/nonexistent NO_COLOR=1 {bin} {dir}/tests/fixtures/org/broken/dangling-group.json"
    );
    t.type_text(&cmd);
    t.keys(&["Enter"]);
    t.wait_for_all(&["Problems: 1 error", "no group `Auditors`", "Enter go"]);
    t.keys(&["Enter"]);
    t.wait_for_all(&[
        "management › Users › alice",
        "user alice",
        "no group `Auditors`",
    ]);
    t.keys(&["q"]);
    prompt_is_back(&t);
}

/// The findings list in the real binary: computed on the worker, opened with
/// `:findings`, narrowed with `/`, and Enter jumps to the statement a finding points at.
#[test]
fn findings_in_tmux() {
    let Some(t) = start("findings") else { return };
    let bin = env!("CARGO_BIN_EXE_orgscope");
    t.type_text(&format!(
        "XDG_CONFIG_HOME=/nonexistent NO_COLOR=1 {bin} acme"
    ));
    t.keys(&["Enter"]);
    t.wait_for("Organization policies");
    t.keys(&[":"]);
    t.type_text("findings");
    t.keys(&["Enter"]);
    t.wait_for_all(&["Findings: ", "external.public", "Enter go"]);
    t.keys(&["/"]);
    t.type_text("website");
    t.wait_for_all(&["filter: website", "1/1"]);
    // Esc clears the filter; Escape and `/` sent together reach the app as one
    // Alt-/ key: apart.
    t.keys(&["Escape"]);
    t.wait_for("ci-legacy");
    sleep(Duration::from_millis(500));
    t.keys(&["/"]);
    t.type_text("public-website");
    t.wait_for_all(&["filter: public-website", "1/1"]);
    t.keys(&["Enter"]);
    t.wait_for("Enter go");
    t.keys(&["Enter"]);
    t.wait_for_all(&[
        "Resources › acme-public-website",
        "\"Sid\": \"PublicRead\"",
        "critical · anyone outside the organization",
    ]);
    t.keys(&["q"]);
    prompt_is_back(&t);
}

/// A lesson in the real binary: `orgscope learn ID` opens the app with the lesson
/// pane, a step is done with the app's own keys, and the progress is saved where
/// `ORGSCOPE_DATA_DIR` says.
#[test]
fn a_lesson_in_tmux() {
    let Some(t) = start("learn") else { return };
    let bin = env!("CARGO_BIN_EXE_orgscope");
    let data = std::env::temp_dir().join(format!("{}-data", t.session()));
    let cmd = format!(
        "XDG_CONFIG_HOME=/nonexistent ORGSCOPE_DATA_DIR={} NO_COLOR=1 {bin} learn explicit-deny",
        data.display()
    );
    t.type_text(&cmd);
    t.keys(&["Enter"]);
    t.wait_for_all(&[
        "Organization policies",
        "Lesson: Explicit deny",
        "Step 1 of 8",
        "Enter next",
        "q quit",
    ]);
    t.keys(&["Enter"]);
    t.wait_for_all(&["Step 2 of 8", "Select the role WebDeployer", "h hint"]);
    t.keys(&["h"]);
    t.wait_for_all(&["Step 2 of 8", "Hint 1:"]);
    // Do it in the app: the tree takes the keyboard, the filter finds the role.
    // Escape and `/` sent together reach the app as one Alt-/ key: apart.
    t.keys(&["Escape"]);
    sleep(Duration::from_millis(500));
    t.keys(&["/"]);
    t.wait_for("Find");
    t.type_text("WebDeployer");
    t.wait_for("role     WebDeployer");
    t.keys(&["Enter"]);
    t.wait_for_all(&[
        "Roles › WebDeployer",
        "Step 2 of 8",
        "goes to the next step",
    ]);
    t.keys(&["q"]);
    prompt_is_back(&t);
    let saved = std::fs::read_to_string(data.join("progress.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&saved).unwrap();
    // The step done: the lesson resumes at the next one.
    assert_eq!(v["lessons"]["explicit-deny"]["step"], 2, "{saved}");
    let _ = std::fs::remove_dir_all(&data);
}

/// Practice in the real binary: `orgscope learn --practice` in a terminal opens the
/// app with the practice pane; predictions are judged, the score kept and saved.
/// Then `:learn` of a lesson written on another organization starts the app again
/// on that organization, with the lesson open.
#[test]
fn practice_and_another_lessons_org_in_tmux() {
    let Some(t) = start("practice") else { return };
    let bin = env!("CARGO_BIN_EXE_orgscope");
    let data = std::env::temp_dir().join(format!("{}-data", t.session()));
    let cmd = format!(
        "XDG_CONFIG_HOME=/nonexistent ORGSCOPE_DATA_DIR={} NO_COLOR=1 {bin} learn --practice acme --count 3",
        data.display()
    );
    t.type_text(&cmd);
    t.keys(&["Enter"]);
    t.wait_for_all(&[
        "Organization policies",
        " Practice ",
        "Question 1 of 3",
        "score 0/0",
    ]);
    // Allowed: judged at once, the engine's answer shows.
    t.keys(&["a"]);
    t.wait_for_all(&["Engine:", "score ", "Enter asks the next question"]);
    t.keys(&["Enter"]);
    t.wait_for("Question 2 of 3");
    // A denial waits for its layer.
    t.keys(&["i"]);
    t.wait_for("which layer");
    t.keys(&["4"]);
    t.wait_for_all(&["Engine:", "Question 2 of 3"]);
    t.wait_until("the score of two predictions, the second judged", |s| {
        (s.contains("score 0/2") || s.contains("score 1/2") || s.contains("score 2/2"))
            && (s.contains("✓ right") || s.contains("✗ "))
    });
    // Another lesson's organization: the app starts again on it, the lesson open.
    t.keys(&["Escape"]);
    sleep(Duration::from_millis(500));
    t.keys(&[":"]);
    t.wait_for("Command");
    t.type_text("learn users-groups-policies");
    t.keys(&["Enter"]);
    // The screen is redrawn in one go but captured at any moment: wait for the whole
    // new frame (the lesson open, acme's tree gone) rather than judge a half-drawn one.
    // A frame that never loses acme times out with the screen in the message.
    t.wait_until("the lesson open on its own organization", |s| {
        s.contains("Lesson: Users, groups") && s.contains("Step 1 of") && !s.contains("Workloads")
    });
    t.keys(&["q"]);
    prompt_is_back(&t);
    let saved = std::fs::read_to_string(data.join("progress.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&saved).unwrap();
    let p = &v["practice"];
    assert_eq!(
        p["right"].as_u64().unwrap() + p["wrong"].as_u64().unwrap(),
        2,
        "{saved}"
    );
    let _ = std::fs::remove_dir_all(&data);
}
