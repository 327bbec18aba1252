//! Driving the app in-process for the TUI tests: an app at a fixed time, keys in
//! the keymap's notation, typed text, and the screen drawn into ratatui's
//! TestBackend. Each test file uses part of it.
#![allow(dead_code)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use orgscope::org::{Entity, Org};
use orgscope::tui::app::{App, Msg};
use orgscope::tui::config::Settings;
use orgscope::tui::keymap::Key;
use orgscope::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// A `w` x `h` app on `org`, at a fixed time (ages on screen do not move).
pub fn app(org: &Org, w: u16, h: u16) -> App<'_> {
    let mut a = App::new(org, Settings::default(), w, h);
    a.now = "2026-11-23T12:00:00Z".parse().unwrap();
    a
}

pub fn press(a: &mut App<'_>, code: KeyCode, mods: KeyModifiers) {
    a.update(Msg::Key(KeyEvent::new(code, mods)));
}

/// Keys in the keymap's notation, separated by spaces; `text:` types the rest of
/// the word as it is.
pub fn keys(a: &mut App<'_>, keys: &str) {
    for word in keys.split(' ').filter(|w| !w.is_empty()) {
        if let Some(text) = word.strip_prefix("text:") {
            typed(a, text);
            continue;
        }
        let k = Key::parse(word).unwrap();
        press(a, k.code, k.mods);
    }
}

pub fn typed(a: &mut App<'_>, text: &str) {
    for c in text.chars() {
        press(a, KeyCode::Char(c), KeyModifiers::NONE);
    }
}

/// `:KIND NAME` then Enter.
pub fn goto(a: &mut App<'_>, command: &str) {
    keys(a, ":");
    typed(a, command);
    keys(a, "enter");
}

/// The screen as text; no control character may reach it.
pub fn screen(a: &App<'_>) -> String {
    let (w, h) = (a.areas.screen.width, a.areas.screen.height);
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view::draw(a, f)).unwrap();
    for cell in t.backend().buffer().content() {
        assert!(
            !cell.symbol().chars().any(|c| c.is_control()),
            "a control character reached the screen: {:?}",
            cell.symbol()
        );
    }
    t.backend().to_string()
}

/// The palette command that selects an entity of `e`'s kind (`:role NAME`).
pub fn go_command(e: Entity) -> &'static str {
    match e {
        Entity::Ou(_) => "ou",
        Entity::Account(_) => "account",
        Entity::User(_) => "user",
        Entity::Group(_) => "group",
        Entity::Role(_) => "role",
        Entity::Policy(_) => "policy",
        Entity::Resource(_) => "resource",
        Entity::Root => panic!("the palette has no command for the root"),
    }
}
