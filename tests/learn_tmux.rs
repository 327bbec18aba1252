//! The first lesson walked end to end in the real binary, in tmux: `orgscope learn
//! ID` opens it, each step is done with the app's keys from the lesson's own file
//! (Enter past a step to read, the palette to select, `a` `i` `e` and the layer's
//! number to predict), the screen shows each step judged right, the lesson
//! finishes with every prediction right, and the progress saved says it is done.
//! Skipped (with a message) where tmux is missing; a private tmux server is used
//! and killed.

use std::thread::sleep;
use std::time::{Duration, Instant};

use orgscope::engine::Decision;
use orgscope::learn::{self, LayerKind, StepKind, load};

#[path = "common/tmux.rs"]
mod tmux;
use tmux::Tmux;
#[path = "common/tui.rs"]
mod tui;
use tui::go_command;

/// Esc gives the tree the keyboard; the next key waits, or the two reach the app as
/// one Alt key.
fn escape(t: &Tmux) {
    t.keys(&["Escape"]);
    sleep(Duration::from_millis(500));
}

#[test]
fn the_first_lesson_end_to_end_in_tmux() {
    let lessons = learn::builtin();
    let lesson = &lessons[0];
    let org = lesson.load_org().unwrap();
    let steps = lesson.steps();
    let n = steps.len();

    let id = format!("orgscope-learn-walk-{}", std::process::id());
    let data = std::env::temp_dir().join(format!("{id}-data"));
    let bin = env!("CARGO_BIN_EXE_orgscope");
    let data_env = format!("ORGSCOPE_DATA_DIR={}", data.display());
    let Some(t) = Tmux::start(
        "learn-walk",
        130,
        45,
        &[
            "env",
            "-i",
            "PATH=/usr/bin:/bin",
            "TERM=xterm-256color",
            "XDG_CONFIG_HOME=/nonexistent",
            "NO_COLOR=1",
            &data_env,
            bin,
            "learn",
            lesson.id(),
        ],
    ) else {
        return;
    };
    t.wait_for_all(&[
        "Organization policies",
        "Lesson: ",
        &format!("Step 1 of {n}"),
    ]);

    let mut predictions = 0;
    for (i, step) in steps.iter().enumerate() {
        let here = format!("Step {} of {n}", i + 1);
        t.wait_for_all(&[&here]);
        match step.kind() {
            StepKind::Read => {
                t.keys(&["Enter"]);
                continue;
            }
            StepKind::Select => {
                let name = step.select.as_deref().unwrap();
                let e = load::resolve_node(&org, name).unwrap();
                escape(&t);
                t.keys(&[":"]);
                t.wait_for_all(&["Command"]);
                t.type_text(&format!("{} {name}", go_command(e)));
                t.keys(&["Enter"]);
            }
            StepKind::Predict => {
                let e = step.expect.as_ref().unwrap();
                let d = e.decision.unwrap().0;
                t.keys(&[match d {
                    Decision::Allowed => "a",
                    Decision::ImplicitlyDenied => "i",
                    Decision::ExplicitlyDenied => "e",
                }]);
                if d != Decision::Allowed {
                    t.wait_for_all(&["which layer"]);
                    let l = e.layer.unwrap();
                    let k = LayerKind::ALL.iter().position(|x| *x == l).unwrap() + 1;
                    t.keys(&[&k.to_string()]);
                }
                predictions += 1;
                t.wait_for_all(&[&here, "✓ right", "Engine:"]);
            }
            other => panic!("the first lesson has a {other:?} step: walk it here too"),
        }
        // Judged right, the explanation shows; Enter goes on.
        let next = if i + 1 == n {
            "Enter finishes the lesson"
        } else {
            "Enter goes to the next step"
        };
        let mut done = vec![here.as_str(), "✓ right", next];
        if !step.explain.is_empty() {
            done.push("Why");
        }
        t.wait_for_all(&done);
        t.keys(&["Enter"]);
    }
    t.wait_for_all(&[
        "Lesson finished",
        &format!("Predictions: {predictions} right of {predictions}"),
    ]);
    t.keys(&["q"]);
    // The app gone (its session ends with it): nothing writes the progress after.
    let start = Instant::now();
    while t.alive() {
        assert!(start.elapsed() < Duration::from_secs(10), "q did not quit");
        sleep(Duration::from_millis(50));
    }
    let saved = data.join("progress.json");
    let text = std::fs::read_to_string(&saved).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let p = &v["lessons"][lesson.id()];
    assert_eq!(p["done"], true, "{text}");
    assert_eq!(p["step"], n, "{text}");
    assert_eq!(p["predictions"]["right"], predictions, "{text}");
    assert_eq!(p["predictions"]["wrong"], 0, "{text}");
    let _ = std::fs::remove_dir_all(&data);
}
