//! Keys as data: each action's keys, from defaults patched by the config file.

use std::collections::HashMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::commands::{ACTIONS, Action, COMMANDS, Context};

/// A key with its modifiers, as the keymap file writes it: `q`, `G`, `ctrl-c`,
/// `shift-tab`, `pgdn`, `f1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub const fn new(code: KeyCode, mods: KeyModifiers) -> Key {
        Key { code, mods }
    }

    /// Parses the keymap notation.
    pub fn parse(s: &str) -> Result<Key, String> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = s;
        // `-` alone is a key; `ctrl--` is ctrl and `-`.
        while let Some((m, tail)) = rest
            .split_once('-')
            .filter(|(m, t)| !m.is_empty() && !t.is_empty())
        {
            mods |= match m.to_ascii_lowercase().as_str() {
                "ctrl" | "c" => KeyModifiers::CONTROL,
                "alt" | "a" | "meta" | "m" => KeyModifiers::ALT,
                "shift" | "s" => KeyModifiers::SHIFT,
                _ => break,
            };
            rest = tail;
        }
        let code = match rest.to_ascii_lowercase().as_str() {
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" if mods.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "insert" | "ins" => KeyCode::Insert,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pgup" | "pageup" => KeyCode::PageUp,
            "pgdn" | "pgdown" | "pagedown" => KeyCode::PageDown,
            "space" => KeyCode::Char(' '),
            f if f.len() > 1
                && f.starts_with('f')
                && f[1..].parse::<u8>().is_ok_and(|n| (1..=24).contains(&n)) =>
            {
                KeyCode::F(f[1..].parse().unwrap_or(1))
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => KeyCode::Char(c),
                    _ => {
                        return Err(format!(
                            "unknown key `{s}`; write a character, `ctrl-x`, `alt-x`, `enter`, `esc`, `tab`, `shift-tab`, `up`, `pgdn`, `home`, `f1`, ..."
                        ));
                    }
                }
            }
        };
        // Shift is in the character itself (`G`, `?`), and in BackTab.
        if matches!(code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods.remove(KeyModifiers::SHIFT);
        }
        Ok(Key { code, mods })
    }

    /// Whether a terminal key event is this key.
    pub fn matches(&self, ev: &KeyEvent) -> bool {
        let mut mods =
            ev.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        if matches!(ev.code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods.remove(KeyModifiers::SHIFT);
        }
        let code = match ev.code {
            // Some terminals send ctrl-letters upper case.
            KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            c => c,
        };
        code == self.code && mods == self.mods
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("C-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("M-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("S-")?;
        }
        match self.code {
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("S-Tab"),
            KeyCode::Backspace => f.write_str("Bksp"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::Insert => f.write_str("Ins"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::F(n) => write!(f, "F{n}"),
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            _ => f.write_str("?"),
        }
    }
}

/// Each action's keys.
#[derive(Debug, Clone)]
pub struct Keymap {
    keys: HashMap<Action, Vec<Key>>,
}

impl Default for Keymap {
    fn default() -> Keymap {
        let keys = ACTIONS
            .iter()
            .map(|(a, _, ks)| {
                (
                    *a,
                    ks.iter()
                        .map(|k| Key::parse(k).expect("default keys parse"))
                        .collect(),
                )
            })
            .collect();
        Keymap { keys }
    }
}

impl Keymap {
    /// The keys of an action, the first one the one hints show.
    pub fn keys(&self, a: Action) -> &[Key] {
        self.keys.get(&a).map_or(&[], Vec::as_slice)
    }

    /// What a key does in a context: the first command of that context bound to it.
    pub fn action(&self, ctx: Context, ev: &KeyEvent) -> Option<Action> {
        COMMANDS
            .iter()
            .filter(|c| c.contexts.contains(&ctx))
            .map(|c| c.action)
            .find(|a| self.keys(*a).iter().any(|k| k.matches(ev)))
    }

    /// Replaces the keys of the actions named (the `[keys]` table of the config
    /// file); the others keep their defaults. Each entry stands alone: a mistake
    /// leaves its action as it was (or, among several keys, drops only the bad one)
    /// and is returned, by action name, with what would be valid.
    pub fn patch(&mut self, table: &HashMap<String, Vec<String>>) -> Vec<(String, String)> {
        let mut names: Vec<&String> = table.keys().collect();
        names.sort();
        let mut mistakes = Vec::new();
        for name in names {
            let Some(action) = Action::from_id(name) else {
                let known: Vec<&str> = ACTIONS.iter().map(|(_, id, _)| *id).collect();
                let hint = super::config::closest(name, &known)
                    .map(|c| format!("did you mean `{c}`? "))
                    .unwrap_or_default();
                mistakes.push((
                    name.clone(),
                    format!(
                        "unknown action `{name}` in [keys]; {hint}known: {}",
                        known.join(", ")
                    ),
                ));
                continue;
            };
            let mut keys = Vec::new();
            for k in &table[name] {
                match Key::parse(k) {
                    Ok(key) => keys.push(key),
                    Err(e) => mistakes.push((name.clone(), format!("[keys] {name}: {e}"))),
                }
            }
            // No key left would leave the action out of reach: it keeps its own.
            if !keys.is_empty() || table[name].is_empty() {
                self.keys.insert(action, keys);
            }
        }
        mistakes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn notation_parses_and_prints() {
        for (s, shown) in [
            ("q", "q"),
            ("G", "G"),
            ("ctrl-c", "C-c"),
            ("shift-tab", "S-Tab"),
            ("pgdn", "PgDn"),
            ("f5", "F5"),
            ("-", "-"),
            ("ctrl--", "C--"),
            ("alt-enter", "M-Enter"),
            ("space", "Space"),
        ] {
            assert_eq!(Key::parse(s).unwrap().to_string(), shown, "{s}");
        }
        assert!(Key::parse("hyper-x").is_err());
        assert!(Key::parse("f99").is_err());
        assert!(Key::parse("ab").is_err());
    }

    #[test]
    fn shifted_characters_match_as_typed() {
        let g = Key::parse("G").unwrap();
        assert!(g.matches(&ev(KeyCode::Char('G'), KeyModifiers::SHIFT)));
        assert!(!g.matches(&ev(KeyCode::Char('g'), KeyModifiers::NONE)));
        let back = Key::parse("backtab").unwrap();
        assert!(back.matches(&ev(KeyCode::BackTab, KeyModifiers::SHIFT)));
        let ctrl_c = Key::parse("ctrl-c").unwrap();
        assert!(ctrl_c.matches(&ev(KeyCode::Char('C'), KeyModifiers::CONTROL)));
        assert!(!ctrl_c.matches(&ev(KeyCode::Char('c'), KeyModifiers::NONE)));
    }

    #[test]
    fn context_decides_what_a_key_does() {
        let km = Keymap::default();
        let j = ev(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(km.action(Context::Tree, &j), Some(Action::Down));
        assert_eq!(
            km.action(Context::Filter, &j),
            None,
            "typed into the filter"
        );
        let tab = ev(KeyCode::Tab, KeyModifiers::NONE);
        assert_eq!(km.action(Context::Tree, &tab), Some(Action::NextFocus));
        assert_eq!(km.action(Context::Palette, &tab), Some(Action::Complete));
        let q = ev(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(km.action(Context::Details, &q), Some(Action::Quit));
        assert_eq!(
            km.action(Context::Help, &ev(KeyCode::Char('?'), KeyModifiers::NONE)),
            Some(Action::Help)
        );
    }

    #[test]
    fn a_patch_changes_only_what_it_names() {
        let mut km = Keymap::default();
        let table = HashMap::from([("quit".to_string(), vec!["ctrl-q".to_string()])]);
        assert!(km.patch(&table).is_empty());
        assert_eq!(km.keys(Action::Quit), [Key::parse("ctrl-q").unwrap()]);
        assert_eq!(km.keys(Action::Down), Keymap::default().keys(Action::Down));
        let bad = HashMap::from([("jump".to_string(), vec!["x".to_string()])]);
        assert!(km.patch(&bad)[0].1.contains("unknown action `jump`"));
        let bad = HashMap::from([("quit".to_string(), vec!["nope".to_string()])]);
        assert!(
            km.patch(&bad)[0]
                .1
                .contains("[keys] quit: unknown key `nope`")
        );
        assert_eq!(
            km.keys(Action::Quit),
            [Key::parse("ctrl-q").unwrap()],
            "no key left: the action keeps its keys"
        );
    }

    /// One mistake costs its own entry, never the others (sorted before or after it).
    #[test]
    fn a_mistake_costs_only_its_entry() {
        let mut km = Keymap::default();
        let table = HashMap::from([
            ("aaa_unknown".to_string(), vec!["x".to_string()]),
            (
                "down".to_string(),
                vec!["ctrl-n".to_string(), "nope".to_string()],
            ),
            ("quit".to_string(), vec!["ctrl-q".to_string()]),
            ("qiut".to_string(), vec!["z".to_string()]),
        ]);
        let mistakes = km.patch(&table);
        assert_eq!(mistakes.len(), 3, "{mistakes:?}");
        assert!(
            mistakes
                .iter()
                .any(|(_, m)| m.contains("did you mean `quit`?"))
        );
        assert_eq!(km.keys(Action::Quit), [Key::parse("ctrl-q").unwrap()]);
        assert_eq!(km.keys(Action::Down), [Key::parse("ctrl-n").unwrap()]);
    }
}
