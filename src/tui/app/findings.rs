//! The findings list in the app: `F` or `:findings` opens it; `s`, `t` and `/`
//! narrow it; Enter goes to the node a finding is about, with the statement it
//! points at highlighted in the JSON tab. The findings are computed on a worker
//! (see [`crate::tui::findings::serve`]); until they are, the list says how far it is.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crossterm::event::KeyEvent;

use super::popups::edit;
use super::{App, Focus, Popup};
use crate::findings::Finding;
use crate::tui::commands::{Action, Context};
use crate::tui::details::Tab;
use crate::tui::findings::{Progress, Stage, mark, options, place};
use crate::tui::history::Visit;
use crate::tui::query::answer::Jump;
use crate::tui::sanitize::clean;

impl App<'_> {
    /// The findings are computed by a worker, from now; returns what it reports its
    /// step in, and reads a stop from.
    pub fn findings_in_background(&mut self) -> Arc<Progress> {
        let progress = Arc::new(Progress::default());
        self.findings.progress = Some(progress.clone());
        self.findings.stage = Stage::Computing {
            step: 0,
            elapsed: Duration::ZERO,
        };
        self.findings.started = Some(Instant::now());
        progress
    }

    /// Without a worker (tests), the findings are computed when first asked for.
    fn ensure_findings(&mut self) {
        if self.findings.stage == Stage::NotStarted {
            let all = crate::findings::findings(self.org(), &options(self.now));
            self.findings.set(all);
            // The details show them.
            self.detail.key = None;
        }
    }

    /// The worker's findings arrive.
    pub(super) fn findings_done(&mut self, all: Arc<Vec<Finding>>) {
        self.findings.set(Arc::unwrap_or_clone(all));
        // The details show them, where the user was reading.
        let scroll = self.detail.scroll;
        self.detail.key = None;
        self.refresh_detail();
        self.detail.scroll = scroll.min(self.max_detail_scroll());
        if self.popup != Popup::Findings && self.status.is_none() {
            self.say(format!("{} (F lists them)", self.findings.total));
        }
    }

    /// Time passes while the worker computes: its step and the time taken.
    pub(super) fn findings_tick(&mut self) {
        if let (Stage::Computing { .. }, Some(p), Some(t)) = (
            self.findings.stage,
            &self.findings.progress,
            self.findings.started,
        ) {
            self.findings.stage = Stage::Computing {
                step: p.step.load(Ordering::Relaxed),
                elapsed: t.elapsed(),
            };
        }
    }

    /// Whether the worker still computes (the runtime ticks for its progress line).
    pub fn findings_busy(&self) -> bool {
        self.findings.computing()
    }

    /// Tells the worker to stop (the app quits): it ends within a chunk's time.
    pub fn stop_findings(&self) {
        if let Some(p) = &self.findings.progress {
            p.stop.store(true, Ordering::Relaxed);
        }
    }

    pub(super) fn open_findings(&mut self) {
        self.ensure_findings();
        self.findings.editing = false;
        self.popup = Popup::Findings;
    }

    pub(super) fn findings_key(&mut self, ev: KeyEvent) -> Option<Visit> {
        if self.findings.editing {
            self.findings_filter_key(ev);
            return None;
        }
        let page = self.findings_page() as isize;
        let list = &mut self.findings;
        match self.keymap.action(Context::Findings, &ev)? {
            Action::Up => list.step(-1),
            Action::Down => list.step(1),
            Action::PageUp => list.step(-page),
            Action::PageDown => list.step(page),
            Action::Top => list.selected = 0,
            Action::Bottom => list.step(isize::MAX / 2),
            Action::FindingsSeverity => list.cycle_severity(),
            Action::FindingsKind => list.cycle_kind(),
            Action::FindingsUnder => {
                let node = self.selected();
                let shown = self.shown();
                self.findings.toggle_scope(shown.get(), node);
            }
            Action::Filter => list.editing = true,
            Action::Cancel | Action::Findings => self.popup = Popup::None,
            Action::Quit => self.quit = true,
            Action::Help => {
                self.popup = Popup::Help(Context::Findings);
                self.help_scroll = 0;
            }
            Action::Accept => return self.go_to_finding(),
            _ => {}
        }
        None
    }

    /// Rows a page of the list moves.
    fn findings_page(&self) -> usize {
        crate::tui::findings_view::list_rows(crate::tui::findings_view::area(&self.areas)).max(1)
    }

    /// The filter line: what is typed narrows the list at once.
    fn findings_filter_key(&mut self, ev: KeyEvent) {
        let list = &mut self.findings;
        match self.keymap.action(Context::FindingsFilter, &ev) {
            Some(Action::Accept) => list.editing = false,
            Some(Action::Cancel) => {
                list.editing = false;
                list.text.clear();
                list.refilter();
            }
            Some(Action::NextItem) => list.step(1),
            Some(Action::PrevItem) => list.step(-1),
            _ => {
                if edit(&mut list.text, &ev) {
                    list.refilter();
                }
            }
        }
    }

    /// Enter on a finding: the statement it points at, highlighted; else its node.
    fn go_to_finding(&mut self) -> Option<Visit> {
        let Some(f) = self.findings.current().cloned() else {
            self.say(if self.findings.computing() {
                "the findings are still being computed"
            } else {
                "no finding here"
            });
            return None;
        };
        // The findings are the loaded org's: their statement is found there, and
        // carried to the org shown (none when a scenario changed it).
        let (loaded, shown) = (self.loaded(), self.shown());
        let org = shown.get();
        let m = mark(loaded, &f).and_then(|m| crate::tui::org_map::statement(loaded, org, m));
        let visit = match (m, place(org, &f)) {
            (Some(m), _) => self.jump(Jump::Statement(m)),
            (None, Some(node)) => {
                self.popup = Popup::None;
                let visit = self.go(node);
                // A policy's finding shows with its document; the others with the
                // node's findings, on the Overview.
                if f.policy.is_some() {
                    self.tab = Tab::Json;
                    self.set_focus(Focus::Details);
                } else {
                    self.tab = Tab::Overview;
                }
                visit
            }
            (None, None) => {
                self.warn(format!("not in the tree: {}", clean(&f.node)));
                return None;
            }
        };
        self.popup = Popup::None;
        self.warn(format!(
            "{} · {}   (F lists the findings, [ goes back)",
            f.severity,
            clean(&f.message)
        ));
        visit
    }
}
