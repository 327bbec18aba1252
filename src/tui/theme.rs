//! Colours and styles by role, dark and light, patched by the config file;
//! `NO_COLOR` strips every colour and keeps only bold, dim and reverse.

use std::collections::HashMap;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

macro_rules! theme {
    ($($(#[$doc:meta])* $field:ident),* $(,)?) => {
        /// The style of each thing the UI draws.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Theme {
            $($(#[$doc])* pub $field: Style,)*
        }

        impl Theme {
            fn field_mut(&mut self, name: &str) -> Option<&mut Style> {
                match name {
                    $(stringify!($field) => Some(&mut self.$field),)*
                    _ => None,
                }
            }

            const FIELDS: &[&str] = &[$(stringify!($field)),*];

            fn for_each_mut(&mut self, mut f: impl FnMut(&mut Style)) {
                $(f(&mut self.$field);)*
            }
        }
    };
}

theme! {
    /// Plain text.
    text,
    /// Counts, paths, secondary text.
    dim,
    border,
    border_focus,
    title,
    /// The selected row in the focused pane.
    selection,
    /// The selected row in a pane without focus.
    selection_dim,
    root,
    ou,
    account,
    folder,
    user,
    group,
    role,
    policy,
    resource,
    /// Keys in the hint bar and help.
    key,
    hint,
    breadcrumb,
    tab,
    tab_active,
    /// Field names in the Overview.
    label,
    heading,
    good,
    warn,
    bad,
    json_key,
    json_str,
    json_num,
    json_lit,
    json_punct,
    /// Matched characters in filter results.
    matched,
    /// The bar beside a statement an answer jumped to.
    mark,
    /// The lines of that statement.
    marked,
    input,
    status,
}

const fn fg(c: Color) -> Style {
    Style::new().fg(c)
}

impl Theme {
    pub fn dark() -> Theme {
        Theme {
            text: Style::new(),
            dim: fg(Color::DarkGray),
            border: fg(Color::DarkGray),
            border_focus: fg(Color::Cyan),
            title: Style::new().add_modifier(Modifier::BOLD),
            selection: Style::new().fg(Color::Black).bg(Color::Cyan),
            selection_dim: Style::new().add_modifier(Modifier::REVERSED),
            root: fg(Color::Magenta).add_modifier(Modifier::BOLD),
            ou: fg(Color::Blue).add_modifier(Modifier::BOLD),
            account: fg(Color::Cyan),
            folder: fg(Color::Gray),
            user: fg(Color::Green),
            group: fg(Color::LightGreen),
            role: fg(Color::Yellow),
            policy: fg(Color::LightMagenta),
            resource: fg(Color::LightBlue),
            key: fg(Color::Cyan).add_modifier(Modifier::BOLD),
            hint: fg(Color::Gray),
            breadcrumb: fg(Color::Gray),
            tab: fg(Color::Gray),
            tab_active: fg(Color::Cyan).add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            label: fg(Color::Gray),
            heading: fg(Color::Cyan).add_modifier(Modifier::BOLD),
            good: fg(Color::Green),
            warn: fg(Color::Yellow),
            bad: fg(Color::Red).add_modifier(Modifier::BOLD),
            json_key: fg(Color::Cyan),
            json_str: fg(Color::Green),
            json_num: fg(Color::Magenta),
            json_lit: fg(Color::Yellow),
            json_punct: fg(Color::Gray),
            matched: fg(Color::Yellow).add_modifier(Modifier::BOLD),
            mark: fg(Color::Yellow).add_modifier(Modifier::BOLD),
            marked: Style::new().bg(Color::Indexed(236)),
            input: Style::new().add_modifier(Modifier::BOLD),
            status: fg(Color::Yellow),
        }
    }

    pub fn light() -> Theme {
        Theme {
            dim: fg(Color::Gray),
            border: fg(Color::Gray),
            border_focus: fg(Color::Blue),
            selection: Style::new().fg(Color::White).bg(Color::Blue),
            account: fg(Color::Blue),
            folder: fg(Color::DarkGray),
            group: fg(Color::Green),
            role: fg(Color::Rgb(0x9a, 0x67, 0x00)),
            policy: fg(Color::Magenta),
            resource: fg(Color::Blue),
            key: fg(Color::Blue).add_modifier(Modifier::BOLD),
            hint: fg(Color::DarkGray),
            breadcrumb: fg(Color::DarkGray),
            tab: fg(Color::DarkGray),
            tab_active: fg(Color::Blue).add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            label: fg(Color::DarkGray),
            heading: fg(Color::Blue).add_modifier(Modifier::BOLD),
            good: fg(Color::Green),
            warn: fg(Color::Rgb(0x9a, 0x67, 0x00)),
            json_key: fg(Color::Blue),
            json_str: fg(Color::Green),
            json_lit: fg(Color::Rgb(0x9a, 0x67, 0x00)),
            json_punct: fg(Color::DarkGray),
            matched: fg(Color::Red).add_modifier(Modifier::BOLD),
            mark: fg(Color::Magenta).add_modifier(Modifier::BOLD),
            marked: Style::new().bg(Color::Indexed(254)),
            status: fg(Color::Magenta),
            ..Theme::dark()
        }
    }

    /// Every colour removed (NO_COLOR): selection shown in reverse video.
    pub fn without_color(mut self) -> Theme {
        self.for_each_mut(|s| {
            s.fg = None;
            s.bg = None;
            s.underline_color = None;
        });
        self.selection = Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD);
        self.selection_dim = Style::new().add_modifier(Modifier::REVERSED);
        self
    }

    /// Applies the `[theme]` table of the config file.
    /// The theme a `[theme]` table describes. Each entry stands alone: a mistake
    /// leaves its style as the base has it, and is returned by entry name.
    pub fn from_config(cfg: &ThemeConfig) -> (Theme, Vec<(String, String)>) {
        let mut mistakes = Vec::new();
        let mut theme = match cfg.base.as_deref() {
            None | Some("dark") => Theme::dark(),
            Some("light") => Theme::light(),
            Some(other) => {
                mistakes.push((
                    "base".to_string(),
                    format!("unknown theme base `{other}`; use `dark` or `light`"),
                ));
                Theme::dark()
            }
        };
        let mut names: Vec<&String> = cfg.styles.keys().collect();
        names.sort();
        for name in names {
            let patch = &cfg.styles[name];
            let Some(style) = theme.field_mut(name) else {
                let hint = super::config::closest(name, Theme::FIELDS)
                    .map(|c| format!("did you mean `{c}`? "))
                    .unwrap_or_default();
                mistakes.push((
                    name.clone(),
                    format!(
                        "unknown style `{name}` in [theme]; {hint}known: {}",
                        Theme::FIELDS.join(", ")
                    ),
                ));
                continue;
            };
            match patch.apply(*style) {
                Ok(s) => *style = s,
                Err(e) => mistakes.push((name.clone(), format!("[theme] {name}: {e}"))),
            }
        }
        (theme, mistakes)
    }
}

/// The `[theme]` table: a base and the styles it changes.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ThemeConfig {
    pub base: Option<String>,
    #[serde(flatten)]
    pub styles: HashMap<String, StylePatch>,
}

/// What a config file says of one style; what it leaves out stays.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StylePatch {
    pub fg: Option<String>,
    pub bg: Option<String>,
    pub bold: Option<bool>,
    pub italic: Option<bool>,
    pub underline: Option<bool>,
    pub dim: Option<bool>,
    pub reversed: Option<bool>,
}

impl StylePatch {
    fn apply(&self, mut s: Style) -> Result<Style, String> {
        if let Some(c) = &self.fg {
            s.fg = Some(parse_color(c)?);
        }
        if let Some(c) = &self.bg {
            s.bg = Some(parse_color(c)?);
        }
        for (flag, m) in [
            (self.bold, Modifier::BOLD),
            (self.italic, Modifier::ITALIC),
            (self.underline, Modifier::UNDERLINED),
            (self.dim, Modifier::DIM),
            (self.reversed, Modifier::REVERSED),
        ] {
            match flag {
                Some(true) => s = s.add_modifier(m),
                Some(false) => s = s.remove_modifier(m),
                None => {}
            }
        }
        Ok(s)
    }
}

/// `red`, `lightblue`, `#ff8800`, `208` (a 256-colour index), `reset`.
pub fn parse_color(s: &str) -> Result<Color, String> {
    if let Ok(n) = s.parse::<u8>() {
        return Ok(Color::Indexed(n));
    }
    s.parse::<Color>().map_err(|_| {
        format!("unknown colour `{s}`; use a name (`red`, `lightblue`), `#rrggbb` or 0-255")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_leaves_no_colour_and_a_visible_selection() {
        let t = Theme::dark().without_color();
        let mut colours = 0;
        let mut copy = t.clone();
        copy.for_each_mut(|s| colours += usize::from(s.fg.is_some() || s.bg.is_some()));
        assert_eq!(colours, 0);
        assert!(t.selection.add_modifier.contains(Modifier::REVERSED));
    }

    #[test]
    fn a_config_changes_only_what_it_names() {
        let cfg: ThemeConfig = toml::from_str(
            r##"
            base = "light"
            selection = { fg = "black", bg = "#ffcc00", bold = true }
            role = { fg = "208" }
            "##,
        )
        .unwrap();
        let (t, mistakes) = Theme::from_config(&cfg);
        assert!(mistakes.is_empty());
        assert_eq!(t.selection.bg, Some(Color::Rgb(0xff, 0xcc, 0)));
        assert!(t.selection.add_modifier.contains(Modifier::BOLD));
        assert_eq!(t.role.fg, Some(Color::Indexed(208)));
        assert_eq!(t.user, Theme::light().user);
    }

    #[test]
    fn config_mistakes_are_named() {
        let cfg: ThemeConfig =
            toml::from_str("selectoin = { fg = \"red\" }\nrole = { fg = \"208\" }").unwrap();
        let (t, mistakes) = Theme::from_config(&cfg);
        assert!(
            mistakes[0]
                .1
                .contains("unknown style `selectoin` in [theme]; did you mean `selection`?"),
            "{mistakes:?}"
        );
        assert_eq!(t.role.fg, Some(Color::Indexed(208)), "the rest applies");
        let cfg: ThemeConfig = toml::from_str("role = { fg = \"blurple\" }").unwrap();
        assert!(
            Theme::from_config(&cfg).1[0]
                .1
                .contains("[theme] role: unknown colour `blurple`")
        );
        let cfg: ThemeConfig = toml::from_str("base = \"sepia\"").unwrap();
        assert_eq!(Theme::from_config(&cfg).1.len(), 1);
        assert!(toml::from_str::<ThemeConfig>("role = { colour = \"red\" }").is_err());
    }
}
