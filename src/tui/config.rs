//! The config file: `$XDG_CONFIG_HOME/orgscope/config.toml` (or
//! `~/.config/orgscope/config.toml`), holding only what the user changes.
//!
//! ```toml
//! [keys]
//! quit = ["ctrl-q"]          # replaces the default keys of `quit`
//! down = ["j", "down", "ctrl-n"]
//!
//! [theme]
//! base = "light"             # or "dark"
//! selection = { fg = "black", bg = "yellow", bold = true }
//! ```
//!
//! A config with mistakes never keeps the UI from starting: what can be read applies
//! (each entry stands alone), and the mistakes are listed with the organization's
//! problems (`!`), each with its line.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::keymap::Keymap;
use super::theme::{StylePatch, Theme, ThemeConfig};
use crate::org::{Finding, Severity};

/// What the UI takes from the config file and the environment.
#[derive(Debug, Clone)]
pub struct Settings {
    pub keymap: Keymap,
    pub theme: Theme,
    /// Mistakes in the file, each with its place.
    pub warnings: Vec<Finding>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            keymap: Keymap::default(),
            theme: Theme::dark(),
            warnings: Vec::new(),
        }
    }
}

/// Where the config file is looked for.
pub fn config_path() -> Option<PathBuf> {
    use etcetera::BaseStrategy as _;
    let base = etcetera::choose_base_strategy().ok()?;
    Some(base.config_dir().join("orgscope").join("config.toml"))
}

/// Whether `NO_COLOR` asks for no colour (set and not empty, as no-color.org says).
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

impl Settings {
    /// Reads the config file if there is one, and honours `NO_COLOR`.
    pub fn load() -> Settings {
        let mut s = match config_path() {
            Some(p) => Settings::from_file(&p),
            None => Settings::default(),
        };
        if no_color() {
            s.theme = s.theme.without_color();
        }
        s
    }

    /// Settings from a file; a missing file is no problem.
    pub fn from_file(path: &Path) -> Settings {
        match std::fs::read_to_string(path) {
            Ok(text) => Settings::from_toml(&text, &path.display().to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Settings::default(),
            Err(e) => Settings {
                warnings: vec![mistake(
                    &path.display().to_string(),
                    None,
                    "",
                    format!("cannot read the config file: {e}"),
                )],
                ..Settings::default()
            },
        }
    }

    /// Settings from the text of a config file named `name` in messages.
    pub fn from_toml(text: &str, name: &str) -> Settings {
        let mut s = Settings::default();
        let file: toml::Table = match toml::from_str(text) {
            Ok(f) => f,
            // Not TOML: nothing can be read.
            Err(e) => {
                let at = e.span().map(|sp| line_col(text, sp.start));
                s.warnings
                    .push(mistake(name, at, "", e.message().to_string()));
                return s;
            }
        };
        let at = |section: &str, key: &str| find_key(text, section, key);
        let mut keys: HashMap<String, Vec<String>> = HashMap::new();
        let mut theme = ThemeConfig::default();
        for (section, value) in &file {
            match (section.as_str(), value.as_table()) {
                ("keys", Some(table)) => {
                    for (action, v) in table {
                        match key_list(v) {
                            Some(list) => {
                                keys.insert(action.clone(), list);
                            }
                            None => s.warnings.push(mistake(
                                name,
                                at("keys", action),
                                &format!("keys.{action}"),
                                format!(
                                    "[keys] {action}: expected a key (\"ctrl-q\") or a list of keys"
                                ),
                            )),
                        }
                    }
                }
                ("theme", Some(table)) => {
                    for (style, v) in table {
                        if style == "base" {
                            match v.as_str() {
                                Some(b) => theme.base = Some(b.to_string()),
                                None => s.warnings.push(mistake(
                                    name,
                                    at("theme", style),
                                    "theme.base",
                                    "[theme] base: expected \"dark\" or \"light\"".into(),
                                )),
                            }
                            continue;
                        }
                        match v.clone().try_into::<StylePatch>() {
                            Ok(patch) => {
                                theme.styles.insert(style.clone(), patch);
                            }
                            Err(e) => s.warnings.push(mistake(
                                name,
                                at("theme", style),
                                &format!("theme.{style}"),
                                format!("[theme] {style}: {}", e.message()),
                            )),
                        }
                    }
                }
                ("keys" | "theme", None) => s.warnings.push(mistake(
                    name,
                    at("", section),
                    section,
                    format!("`{section}` must be a table: [{section}]"),
                )),
                _ => s.warnings.push(mistake(
                    name,
                    find_section(text, section).or_else(|| at("", section)),
                    section,
                    format!("unknown section `{section}`; expected [keys] or [theme]"),
                )),
            }
        }
        for (action, m) in s.keymap.patch(&keys) {
            s.warnings.push(mistake(
                name,
                at("keys", &action),
                &format!("keys.{action}"),
                m,
            ));
        }
        let (t, mistakes) = Theme::from_config(&theme);
        s.theme = t;
        for (style, m) in mistakes {
            s.warnings.push(mistake(
                name,
                at("theme", &style),
                &format!("theme.{style}"),
                m,
            ));
        }
        s.warnings.sort_by_key(|f| f.line);
        s
    }
}

/// A mistake in the config file, as a finding (it is listed with the org's).
fn mistake(file: &str, at: Option<(usize, usize)>, path: &str, message: String) -> Finding {
    let (line, column) = at.unwrap_or((0, 0));
    Finding {
        severity: Severity::Warning,
        file: file.into(),
        json_path: path.to_string(),
        line,
        column,
        message,
    }
}

/// `"q"` or `["q", "ctrl-c"]`.
fn key_list(v: &toml::Value) -> Option<Vec<String>> {
    match v {
        toml::Value::String(one) => Some(vec![one.clone()]),
        toml::Value::Array(many) => many
            .iter()
            .map(|k| k.as_str().map(str::to_string))
            .collect(),
        _ => None,
    }
}

/// Where `key = ...` is written in `[section]` (`""`: at the top), as line and
/// column; `None` when it is not written that simply (a dotted or quoted key).
fn find_key(text: &str, section: &str, key: &str) -> Option<(usize, usize)> {
    let mut current = "";
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix('[') {
            current = rest.split(']').next().unwrap_or("").trim();
            continue;
        }
        if current == section
            && let Some(after) = t.strip_prefix(key)
            && after.trim_start().starts_with('=')
        {
            return Some((i + 1, line.len() - t.len() + 1));
        }
    }
    None
}

/// Where `[section]` is written.
fn find_section(text: &str, section: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let t = line.trim_start();
        let name = t.strip_prefix('[')?.split(']').next()?.trim();
        (name == section).then_some((i + 1, line.len() - t.len() + 1))
    })
}

/// The known name closest to a misspelt one, when it is close (two edits at most).
pub fn closest<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (edits(name, k), *k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance, ignoring case.
fn edits(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut prev = row[0];
        row[0] = i;
        for j in 1..=b.len() {
            let cur = row[j];
            row[j] = (prev + usize::from(a[i - 1] != b[j - 1]))
                .min(row[j] + 1)
                .min(row[j - 1] + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::commands::Action;
    use crate::tui::keymap::Key;

    #[test]
    fn a_partial_file_patches_keys_and_theme() {
        let s = Settings::from_toml(
            "[keys]\nquit = \"ctrl-q\"\ndown = [\"j\", \"ctrl-n\"]\n[theme]\nbase = \"light\"\n",
            "config.toml",
        );
        assert!(s.warnings.is_empty(), "{:?}", s.warnings);
        assert_eq!(s.keymap.keys(Action::Quit), [Key::parse("ctrl-q").unwrap()]);
        assert_eq!(s.keymap.keys(Action::Down).len(), 2);
        assert_eq!(
            s.keymap.keys(Action::Up),
            Keymap::default().keys(Action::Up)
        );
        assert_eq!(s.theme, Theme::light());
    }

    #[test]
    fn mistakes_become_warnings_with_a_place() {
        let s = Settings::from_toml("[keys]\nquit = 3\n", "c.toml");
        assert_eq!(s.warnings.len(), 1);
        assert_eq!((s.warnings[0].line, s.warnings[0].column), (2, 1));
        let s = Settings::from_toml("[colours]\n", "c.toml");
        assert!(
            s.warnings[0].message.contains("unknown section `colours`"),
            "{:?}",
            s.warnings
        );
        let s = Settings::from_toml("[keys]\nfly = \"f\"\n[theme]\nbase = \"sepia\"\n", "c.toml");
        assert_eq!(s.warnings.len(), 2, "{:?}", s.warnings);
        assert_eq!(s.warnings[1].line, 4);
        // Not TOML at all: one mistake, with its place.
        let s = Settings::from_toml("[keys\n", "c.toml");
        assert_eq!((s.warnings.len(), s.warnings[0].line), (1, 1));
    }

    /// What can be read applies: one unknown action, a key of the wrong type or a
    /// bad style costs only its own entry.
    #[test]
    fn one_mistake_costs_only_its_entry() {
        let s = Settings::from_toml(
            "[keys]\nzzz = \"x\"\nquit = \"ctrl-q\"\nbad = 3\ndown = [\"ctrl-n\"]\n[theme]\nrole = { fg = \"208\" }\nuser = { fg = 3 }\n",
            "c.toml",
        );
        assert_eq!(s.warnings.len(), 3, "{:?}", s.warnings);
        assert_eq!(s.keymap.keys(Action::Quit), [Key::parse("ctrl-q").unwrap()]);
        assert_eq!(s.keymap.keys(Action::Down), [Key::parse("ctrl-n").unwrap()]);
        assert_eq!(s.theme.role.fg, Some(ratatui::style::Color::Indexed(208)));
        let lines: Vec<usize> = s.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [2, 4, 8]);
    }

    #[test]
    fn a_missing_file_is_the_defaults() {
        let s = Settings::from_file(Path::new("/nonexistent/orgscope/config.toml"));
        assert!(s.warnings.is_empty());
    }
}
