//! The problems list in the app: opened at start when the organization has errors,
//! walked with the arrows, Enter goes to the node a problem is about.

use crossterm::event::KeyEvent;

use super::{App, Focus, Popup};
use crate::org::Report;
use crate::tui::commands::{Action, Context};
use crate::tui::details::Tab;
use crate::tui::history::Visit;
use crate::tui::problems::{Problems, not_loaded, place};
use crate::tui::sanitize::clean;

impl App<'_> {
    /// Keeps the findings the organization was loaded with. With errors, the list
    /// opens at once: what they name did not load, and every answer leaves it out.
    pub fn set_problems(&mut self, report: &Report) {
        let org = Problems::new(report);
        let (what, count, errors) = (org.summary(), org.findings.len(), org.errors);
        // The config file's mistakes stay in the list.
        let config = std::mem::take(&mut self.problems.findings);
        self.problems = org;
        self.problems.add(config);
        if count == 0 {
            return;
        }
        if errors > 0 {
            self.popup = Popup::Problems;
            let they = if count == 1 { "it names" } else { "they name" };
            self.warn(format!(
                "opened with {what}: what {they} did not load and answers leave it out"
            ));
        } else {
            self.say(format!("the organization has {what} (! lists them)"));
        }
    }

    pub(super) fn open_problems(&mut self) {
        if self.problems.is_empty() {
            self.say("the organization loaded with no problems");
        } else {
            self.popup = Popup::Problems;
        }
    }

    pub(super) fn problems_key(&mut self, ev: KeyEvent) -> Option<Visit> {
        let page = self.areas.help().height.saturating_sub(4).max(1) as isize / 3;
        match self.keymap.action(Context::Problems, &ev)? {
            Action::Up => self.problems.step(-1),
            Action::Down => self.problems.step(1),
            Action::PageUp => self.problems.step(-page.max(1)),
            Action::PageDown => self.problems.step(page.max(1)),
            Action::Top => self.problems.selected = 0,
            Action::Bottom => self.problems.step(isize::MAX / 2),
            Action::Cancel | Action::Problems => self.popup = Popup::None,
            Action::Quit => self.quit = true,
            Action::Help => {
                self.popup = Popup::Help(Context::Problems);
                self.help_scroll = 0;
            }
            Action::Accept => return self.go_to_problem(),
            _ => {}
        }
        None
    }

    /// Enter on a problem: its node in the tree, or where it is in the file.
    pub(super) fn go_to_problem(&mut self) -> Option<Visit> {
        let f = self.problems.current()?.clone();
        let place = place(self.org(), &f);
        self.popup = Popup::None;
        let visit = place.and_then(|n| self.go(n));
        // A policy document's problem shows with the document.
        if place.is_some() && is_about_a_document(&f.json_path) {
            self.tab = Tab::Json;
            self.set_focus(Focus::Details);
        }
        let at = clean(&f.message);
        if let Some(what) = not_loaded(self.org(), &f) {
            self.warn(format!(
                "{at}   ({what} did not load: its account is shown)"
            ));
        } else if place.is_some() {
            self.warn(format!("{at}   (! lists them)"));
        } else {
            self.warn(format!("not in the tree: {at}   (! lists them)"));
        }
        visit
    }
}

/// Whether a JSON path leads into a policy document (an inline policy, a trust
/// policy, a `document`, a statement).
fn is_about_a_document(path: &str) -> bool {
    [
        ".inline.",
        ".trust",
        "document",
        "Document",
        "Statement",
        ".policy",
    ]
    .iter()
    .any(|k| path.contains(k))
}
