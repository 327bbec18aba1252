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
//! A config with mistakes never keeps the UI from starting: what can be read applies,
//! and the mistakes are shown on the status line.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::keymap::Keymap;
use super::theme::{Theme, ThemeConfig};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    keys: HashMap<String, OneOrMany>,
    #[serde(default)]
    theme: ThemeConfig,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// What the UI takes from the config file and the environment.
#[derive(Debug, Clone)]
pub struct Settings {
    pub keymap: Keymap,
    pub theme: Theme,
    /// Problems with the file, for the status line.
    pub warnings: Vec<String>,
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
                warnings: vec![format!("cannot read {}: {e}", path.display())],
                ..Settings::default()
            },
        }
    }

    /// Settings from the text of a config file named `name` in messages.
    pub fn from_toml(text: &str, name: &str) -> Settings {
        let mut s = Settings::default();
        let file: ConfigFile = match toml::from_str(text) {
            Ok(f) => f,
            Err(e) => {
                let at = e
                    .span()
                    .map(|sp| line_col(text, sp.start))
                    .map(|(l, c)| format!(":{l}:{c}"))
                    .unwrap_or_default();
                s.warnings.push(format!("{name}{at}: {}", e.message()));
                return s;
            }
        };
        let keys: HashMap<String, Vec<String>> = file
            .keys
            .into_iter()
            .map(|(k, v)| match v {
                OneOrMany::One(one) => (k, vec![one]),
                OneOrMany::Many(many) => (k, many),
            })
            .collect();
        if let Err(e) = s.keymap.patch(&keys) {
            s.warnings.push(format!("{name}: {e}"));
        }
        match Theme::from_config(&file.theme) {
            Ok(t) => s.theme = t,
            Err(e) => s.warnings.push(format!("{name}: {e}")),
        }
        s
    }
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
        assert!(s.warnings[0].starts_with("c.toml:2:"), "{:?}", s.warnings);
        let s = Settings::from_toml("[colours]\n", "c.toml");
        assert!(
            s.warnings[0].contains("unknown field `colours`"),
            "{:?}",
            s.warnings
        );
        let s = Settings::from_toml("[keys]\nfly = \"f\"\n[theme]\nbase = \"sepia\"\n", "c.toml");
        assert_eq!(s.warnings.len(), 2, "{:?}", s.warnings);
    }

    #[test]
    fn a_missing_file_is_the_defaults() {
        let s = Settings::from_file(Path::new("/nonexistent/orgscope/config.toml"));
        assert!(s.warnings.is_empty());
    }
}
