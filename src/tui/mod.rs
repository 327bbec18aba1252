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
//! [`sanitize`] (untrusted text made inert).

pub mod app;
pub mod commands;
pub mod config;
pub mod details;
pub mod history;
pub mod json;
pub mod keymap;
pub mod layout;
pub mod nodes;
pub mod org_index;
pub mod osc52;
pub mod palette;
pub mod sanitize;
pub mod search;
pub mod theme;
pub mod tree;
pub mod view;

use std::io::Write as _;
use std::time::Duration;

use anyhow::Context as _;
use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use crossterm::execute;
use ratatui::DefaultTerminal;

use app::{App, Effect, Msg};
use config::Settings;

use crate::org::Org;

/// Runs the UI on an org until the user quits. The terminal is restored whatever
/// happens.
pub fn run(org: &Org) -> anyhow::Result<()> {
    let settings = Settings::load();
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
        .and_then(|()| event_loop(&mut terminal, org, settings));
    let _ = execute!(std::io::stdout(), DisableMouseCapture);
    ratatui::restore();
    result
}

fn event_loop(terminal: &mut DefaultTerminal, org: &Org, settings: Settings) -> anyhow::Result<()> {
    let size = terminal.size()?;
    let mut app = App::new(org, settings, size.width, size.height);
    loop {
        let size = terminal.size()?;
        if (size.width, size.height) != (app.areas.screen.width, app.areas.screen.height) {
            app.update(Msg::Resize(size.width, size.height));
        }
        terminal.draw(|f| view::draw(&app, f))?;
        if app.quit {
            return Ok(());
        }
        // Wait for one event, then take whatever else is already queued before the
        // next frame: fast typing or scrolling costs one frame, not one per event.
        let mut ev = Some(event::read()?);
        while let Some(e) = ev.take() {
            if let Some(msg) = to_msg(e)
                && let Some(effect) = app.update(msg)
            {
                perform(terminal, effect)?;
            }
            if app.quit {
                break;
            }
            if event::poll(Duration::ZERO)? {
                ev = Some(event::read()?);
            }
        }
    }
}

fn to_msg(e: Event) -> Option<Msg> {
    match e {
        Event::Key(k) => Some(Msg::Key(k)),
        Event::Mouse(m) => Some(Msg::Mouse(m)),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        _ => None,
    }
}

fn perform(terminal: &mut DefaultTerminal, effect: Effect) -> anyhow::Result<()> {
    match effect {
        Effect::Copy(text) => {
            let out = terminal.backend_mut();
            out.write_all(osc52::sequence(&text).as_bytes())?;
            out.flush()?;
        }
    }
    Ok(())
}
