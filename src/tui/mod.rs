//! The terminal UI: browse the organization.
//!
//! The Elm Architecture: [`app::App`] is the state, [`app::Msg`] what happens to it,
//! `App::update` the only place it changes, and [`view::draw`] draws it without
//! changing it. This module is the runtime: it gives the terminal to the app and
//! always takes it back (on quit, on error and on panic).
//!
//! Layers, each testable without a terminal: [`tree`] (the flattened, virtualised
//! tree), [`nodes`] (the org as a tree), [`search`] (fuzzy matching), [`history`],
//! [`commands`] and [`keymap`] (keys as data), [`details`] (what the tabs say),
//! [`query`] (the questions pane: form, completion, answers as trees),
//! [`sanitize`] (untrusted text made inert).

pub mod app;
pub mod commands;
pub mod config;
pub mod details;
pub mod findings;
pub mod findings_view;
pub mod history;
pub mod json;
pub mod keymap;
pub mod layout;
pub mod learn;
pub mod nodes;
pub mod org_index;
pub mod org_map;
pub mod osc52;
pub mod palette;
pub mod problems;
pub mod query;
pub mod sanitize;
pub mod search;
pub mod theme;
pub mod tree;
pub mod view;
pub mod what_if;
pub mod words;
pub mod worker;

use std::io::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::Context as _;
use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use crossterm::execute;
use ratatui::DefaultTerminal;

use app::{App, Effect, Msg};
use config::Settings;

use crate::org::{Org, Report};

/// Runs the UI on an org until the user quits, with the findings it was loaded with
/// (errors included: see [`crate::org::load_partial`]). The terminal is restored
/// whatever happens.
pub fn run(org: &Org, report: &Report) -> anyhow::Result<()> {
    run_with(org, report, Start::Browse, WhatIfStart::default())
}

/// What the UI starts with for what if: a scenario already applied (`--scenario`),
/// expectations (`--expect`), and the files the org was read from (never written
/// over by `:w`).
#[derive(Default)]
pub struct WhatIfStart {
    pub scenario: Option<(crate::scenario::Scenario, std::sync::Arc<Org>)>,
    pub expectations: Option<(
        std::path::PathBuf,
        Vec<crate::scenario::expect::Expectation>,
    )>,
    pub inputs: Vec<std::path::PathBuf>,
}

/// Runs the UI with a scenario or expectations loaded.
pub fn run_what_if(org: &Org, report: &Report, start: WhatIfStart) -> anyhow::Result<()> {
    run_with(org, report, Start::Browse, start)
}

/// Runs the UI on the lesson's organization with the lesson in its pane.
pub fn run_lesson(org: &Org, report: &Report, player: crate::learn::Player) -> anyhow::Result<()> {
    run_with(
        org,
        report,
        Start::Lesson(Box::new(player)),
        WhatIfStart::default(),
    )
}

/// Runs the UI with practice questions drawn from `org` in the lesson pane.
pub fn run_practice(org: &Org, report: &Report, count: usize, seed: u64) -> anyhow::Result<()> {
    run_with(
        org,
        report,
        Start::Practice { count, seed },
        WhatIfStart::default(),
    )
}

/// What the app opens with.
enum Start {
    Browse,
    Lesson(Box<crate::learn::Player>),
    Practice { count: usize, seed: u64 },
}

fn run_with(org: &Org, report: &Report, start: Start, what_if: WhatIfStart) -> anyhow::Result<()> {
    let mut terminal = match ratatui::try_init() {
        Ok(t) => t,
        Err(e) => {
            ratatui::restore();
            return Err(e)
                .context("the terminal UI needs a terminal (try a subcommand: `orgscope --help`)");
        }
    };
    // ratatui's hook restores raw mode and the main screen; mouse reporting is ours
    // to turn off, before that.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
        hook(info);
    }));
    let result = execute!(std::io::stdout(), EnableMouseCapture)
        .context("cannot turn on mouse reporting")
        .and_then(|()| run_lessons(&mut terminal, org, report, start, what_if));
    let _ = execute!(std::io::stdout(), DisableMouseCapture);
    ratatui::restore();
    result
}

/// Runs the app; `:learn` of a lesson written on another organization ends it with
/// that lesson, and it starts again on the lesson's organization (the app borrows
/// its org for its whole life, so a new org is a new app, without the scenario:
/// it was made for the other org).
fn run_lessons(
    terminal: &mut DefaultTerminal,
    org: &Org,
    report: &Report,
    start: Start,
    what_if: WhatIfStart,
) -> anyhow::Result<()> {
    let key = match &start {
        Start::Lesson(p) => Some(p.lesson.org_key()),
        _ => None,
    };
    let mut next = event_loop(terminal, org, report, Settings::load(), start, key, what_if)?;
    while let Some(lesson) = next {
        let org = lesson.load_org()?;
        lesson.check_names(&org)?;
        let progress = crate::learn::Progress::load().lesson(lesson.id());
        let key = Some(lesson.org_key());
        let player = crate::learn::Player::new(lesson, &progress);
        next = event_loop(
            terminal,
            &org,
            &Report::default(),
            Settings::load(),
            Start::Lesson(Box::new(player)),
            key,
            WhatIfStart::default(),
        )?;
    }
    Ok(())
}

/// Six threads: this one draws and updates, one reads the terminal, one searches,
/// one answers questions, one applies scenarios and computes their diffs, one
/// computes the findings. All messages come in on one channel: one loop, waiting on
/// input or results. Returns the lesson to open next on its own organization, if the
/// app asked for one.
fn event_loop(
    terminal: &mut DefaultTerminal,
    org: &Org,
    report: &Report,
    settings: Settings,
    start: Start,
    org_key: Option<String>,
    what_if: WhatIfStart,
) -> anyhow::Result<Option<crate::learn::Lesson>> {
    let (msg_tx, msg_rx) = mpsc::channel::<Msg>();
    let (job_tx, job_rx) = mpsc::channel();
    let (ask_tx, ask_rx) = mpsc::channel();
    let (change_tx, change_rx) = mpsc::channel();
    let stop = AtomicBool::new(false);
    let paused = AtomicBool::new(false);
    std::thread::scope(|s| {
        let size = terminal.size()?;
        let mut app = App::new(org, settings, size.width, size.height);
        app.set_problems(report);
        app.learn.org_key = org_key;
        match start {
            Start::Browse => {}
            Start::Lesson(player) => app.start_lesson(*player, true),
            Start::Practice { count, seed } => app.start_practice(count, seed, true),
        }
        app.inputs = what_if.inputs;
        if let Some((scenario, changed)) = what_if.scenario {
            app.start_scenario(scenario, changed);
        }
        if let Some((file, list)) = what_if.expectations {
            app.set_expectations(file, list);
        }
        app.what_if_in_background(change_tx);
        let changed = msg_tx.clone();
        s.spawn(move || what_if::worker::serve(org, change_rx, changed));
        let index = app.search_in_background(job_tx);
        let found = msg_tx.clone();
        s.spawn(move || worker::serve(org, &index, job_rx, found));
        // The findings, from the start: the first thing an auditor asks.
        let progress = app.findings_in_background();
        app.findings_send_to(msg_tx.clone());
        let (done, now) = (msg_tx.clone(), app.now);
        s.spawn(move || findings::serve(org, now, &progress, done));
        let awaited = app.query_in_background(ask_tx);
        let answered = msg_tx.clone();
        s.spawn(move || query::serve(org, ask_rx, &awaited, answered));
        let stop = &stop;
        let paused = &paused;
        s.spawn(move || read_input(&msg_tx, stop, paused));
        // The scope waits for its threads, also when a panic unwinds through it: the
        // input thread must be told to stop either way.
        let _stop = StopOnDrop(stop);
        let result = ui_loop(terminal, &mut app, &msg_rx, paused);
        let open = app.learn.open.take();
        // A question still running is told to stop (it checks between principals),
        // as are the findings (they check per resource and per chunk of principals),
        // and the terminal is given back first, so that quitting shows at once (not
        // when the app starts again on a lesson's organization).
        app.stop_findings();
        if app.busy() || app.findings_busy() {
            app.cancel_query();
            if open.is_none() {
                let _ = execute!(std::io::stdout(), DisableMouseCapture);
                ratatui::restore();
            }
        }
        // Dropping the app closes the workers' queues: they end.
        drop(app);
        result.map(|()| open)
    })
}

/// Tells the input thread to stop when dropped.
struct StopOnDrop<'s>(&'s AtomicBool);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Reads terminal events until told to stop (checking every 50 ms); reads nothing
/// while `paused` (`$EDITOR` has the terminal).
fn read_input(tx: &mpsc::Sender<Msg>, stop: &AtomicBool, paused: &AtomicBool) {
    while !stop.load(Ordering::Relaxed) {
        if paused.load(Ordering::Acquire) {
            std::thread::sleep(Duration::from_millis(20));
            continue;
        }
        let msg = match event::poll(Duration::from_millis(50)) {
            Ok(false) => continue,
            Ok(true) => match event::read() {
                Ok(e) => to_msg(e),
                // The terminal is gone: nothing more can be read or shown.
                Err(_) => Some(Msg::Quit),
            },
            Err(_) => Some(Msg::Quit),
        };
        if let Some(m) = msg
            && tx.send(m).is_err()
        {
            return;
        }
    }
}

/// How often the progress line moves.
const TICK: Duration = Duration::from_millis(100);

fn ui_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App<'_>,
    rx: &mpsc::Receiver<Msg>,
    paused: &AtomicBool,
) -> anyhow::Result<()> {
    loop {
        let size = terminal.size()?;
        if (size.width, size.height) != (app.areas.screen.width, app.areas.screen.height) {
            app.update(Msg::Resize(size.width, size.height));
        }
        terminal.draw(|f| view::draw(app, f))?;
        if app.quit {
            return Ok(());
        }
        // Wait for one message, then take whatever else is already queued before the
        // next frame: fast typing or scrolling costs one frame, not one per event.
        // While a question runs, time passing is a message too (the progress line).
        let mut next = if app.busy() || app.findings_busy() {
            match rx.recv_timeout(TICK) {
                Ok(m) => Some(m),
                Err(mpsc::RecvTimeoutError::Timeout) => Some(Msg::Tick),
                Err(mpsc::RecvTimeoutError::Disconnected) => None,
            }
        } else {
            rx.recv().ok()
        };
        if next.is_none() {
            return Ok(());
        }
        while let Some(msg) = next.take() {
            panic_for_tests(&msg);
            if let Some(effect) = app.update(msg)
                && let Some(back) = perform(terminal, effect, paused)?
            {
                app.update(back);
            }
            if app.quit {
                break;
            }
            next = rx.try_recv().ok();
        }
    }
}

/// Debug builds only: panics on the key named by `ORGSCOPE_TEST_PANIC_KEY`, so the
/// end-to-end test can check that a panic gives the terminal back.
fn panic_for_tests(msg: &Msg) {
    #[cfg(debug_assertions)]
    if let Msg::Key(k) = msg
        && let Some(want) = std::env::var_os("ORGSCOPE_TEST_PANIC_KEY")
        && k.code
            == crossterm::event::KeyCode::Char(
                want.to_string_lossy().chars().next().unwrap_or('\0'),
            )
    {
        panic!("a test panic, asked for by ORGSCOPE_TEST_PANIC_KEY");
    }
    #[cfg(not(debug_assertions))]
    let _ = msg;
}

fn to_msg(e: Event) -> Option<Msg> {
    match e {
        Event::Key(k) => Some(Msg::Key(k)),
        Event::Mouse(m) => Some(Msg::Mouse(m)),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        _ => None,
    }
}

fn perform(
    terminal: &mut DefaultTerminal,
    effect: Effect,
    paused: &AtomicBool,
) -> anyhow::Result<Option<Msg>> {
    match effect {
        Effect::Copy(text) => {
            let out = terminal.backend_mut();
            out.write_all(osc52::sequence(&text).as_bytes())?;
            out.flush()?;
            Ok(None)
        }
        Effect::Edit(text) => Ok(Some(Msg::Edited(edit_outside(terminal, &text, paused)?))),
    }
}

/// Gives the terminal to `$VISUAL`, `$EDITOR` or `vi` on a temporary file holding
/// `text`, and takes it back: the file's text, or why there is none. Errors that
/// leave the terminal unusable end the UI.
fn edit_outside(
    terminal: &mut DefaultTerminal,
    text: &str,
    paused: &AtomicBool,
) -> anyhow::Result<Result<String, String>> {
    // The input thread stops reading first: the editor gets every key.
    paused.store(true, Ordering::Release);
    std::thread::sleep(Duration::from_millis(80));
    let _ = execute!(std::io::stdout(), DisableMouseCapture);
    ratatui::restore();
    let result = run_editor(text);
    crossterm::terminal::enable_raw_mode().context("cannot take the terminal back")?;
    execute!(
        std::io::stdout(),
        crossterm::terminal::EnterAlternateScreen,
        EnableMouseCapture
    )
    .context("cannot take the terminal back")?;
    terminal.clear()?;
    paused.store(false, Ordering::Release);
    Ok(result)
}

fn run_editor(text: &str) -> Result<String, String> {
    let mut file = tempfile::Builder::new()
        .prefix("orgscope-policy-")
        .suffix(".json")
        .tempfile()
        .map_err(|e| format!("cannot make a temporary file: {e}"))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.flush())
        .map_err(|e| format!("cannot write the temporary file: {e}"))?;
    let command = std::env::var("VISUAL")
        .ok()
        .or_else(|| std::env::var("EDITOR").ok())
        .filter(|c| !c.trim().is_empty())
        .unwrap_or_else(|| "vi".into());
    // `code --wait`: the program, then its arguments, then the file.
    let mut words = command.split_whitespace();
    let program = words.next().unwrap_or("vi");
    let status = std::process::Command::new(program)
        .args(words)
        .arg(file.path())
        .status()
        .map_err(|e| format!("cannot run `{command}`: {e}"))?;
    if !status.success() {
        return Err(format!(
            "`{command}` exited with {status}: the edit is dropped"
        ));
    }
    crate::text_file::read(file.path()).map_err(|e| format!("cannot read the edit back: {e}"))
}
