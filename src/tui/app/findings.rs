//! The findings list in the app: `F` or `:findings` opens it; `s`, `t`, `a` and `/`
//! narrow it; Enter goes to the node a finding is about, with the statement it
//! points at highlighted in the JSON tab. The findings are computed on a worker
//! (see [`crate::tui::findings::serve`]); until they are, the list says how far it is.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::Sender;
use std::time::Instant;

use crossterm::event::KeyEvent;

use super::popups::edit;
use super::{App, Focus, Msg, Popup};
use crate::findings::Finding;
use crate::org::Org;
use crate::tui::commands::{Action, Context};
use crate::tui::details::Tab;
use crate::tui::findings::{
    Delta, Progress, ScenarioRun, Stage, mark, options, place, serve_scenario,
};
use crate::tui::history::Visit;
use crate::tui::nodes::OrgRef;
use crate::tui::query::answer::Jump;
use crate::tui::sanitize::clean;

impl App<'_> {
    /// The findings are computed by a worker, from now; returns what it reports its
    /// step in, and reads a stop from.
    pub fn findings_in_background(&mut self) -> Arc<Progress> {
        let progress = Arc::new(Progress::default());
        self.findings.progress = Some(progress.clone());
        self.findings.started = Some(Instant::now());
        self.findings.restage();
        progress
    }

    /// Where the findings of a changed org are sent, from their own thread (the
    /// runtime's channel); without it (tests) they are computed when asked for.
    pub fn findings_send_to(&mut self, done: Sender<Msg>) {
        self.findings.worker = Some(done);
        // A scenario given on the command line is active already.
        self.start_scenario_findings();
    }

    /// Starts computing the changed org's findings on a thread of its own (the
    /// changed org is shared, not borrowed), where there is a runtime to send them.
    fn start_scenario_findings(&mut self) {
        let Some(done) = self.findings.worker.clone() else {
            return;
        };
        let Some(run) = self
            .findings
            .scenario
            .as_mut()
            .filter(|r| r.found.is_none() && r.progress.is_none())
        else {
            return;
        };
        let progress = Arc::new(Progress::default());
        run.progress = Some(progress.clone());
        run.started = Some(Instant::now());
        let (org, now) = (run.org.clone(), self.now);
        std::thread::spawn(move || serve_scenario(org, now, &progress, done));
        self.findings.restage();
    }

    /// Without a worker (tests), the findings are computed when first asked for:
    /// the loaded org's, and the changed org's while a scenario is active.
    fn ensure_findings(&mut self) {
        let mut computed = false;
        if self.findings.loaded.is_none() && self.findings.progress.is_none() {
            let all = crate::findings::findings(self.loaded(), &options(self.now));
            self.findings.set(all);
            computed = true;
        }
        if let Some(run) = &self.findings.scenario
            && run.found.is_none()
            && run.progress.is_none()
        {
            let org = run.org.clone();
            let all = crate::findings::findings(&org, &options(self.now));
            self.findings.set_scenario(&org, all);
            computed = true;
        }
        if computed {
            // The details show them.
            self.detail.key = None;
        }
    }

    /// The findings follow the org shown: while a scenario is active, the changed
    /// org's are computed (on a thread of their own, the loaded org's worker being
    /// busy or done) and compared with the loaded org's; without one, the loaded
    /// org's are shown again.
    pub(super) fn findings_follow_shown(&mut self) {
        let changed = match self.shown() {
            OrgRef::Changed(o) => Some(o),
            OrgRef::Loaded(_) => None,
        };
        let same = match (&self.findings.scenario, &changed) {
            (Some(run), Some(o)) => Arc::ptr_eq(&run.org, o),
            (None, None) => true,
            _ => false,
        };
        if same {
            return;
        }
        if let Some(p) = self.findings.scenario.take().and_then(|r| r.progress) {
            p.stop.store(true, Ordering::Relaxed);
        }
        self.findings.scenario = changed.map(ScenarioRun::new);
        self.start_scenario_findings();
        // Tests compute them on the next look, as they did the loaded org's.
        if self.findings.stage != Stage::NotStarted {
            self.ensure_findings();
        }
        self.findings.restage();
        self.detail.key = None;
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

    /// The changed org's findings arrive (dropped if the scenario changed since).
    pub(super) fn scenario_findings_done(&mut self, org: &Arc<Org>, all: Arc<Vec<Finding>>) {
        self.findings.set_scenario(org, Arc::unwrap_or_clone(all));
        let scroll = self.detail.scroll;
        self.detail.key = None;
        self.refresh_detail();
        self.detail.scroll = scroll.min(self.max_detail_scroll());
    }

    /// Time passes while the worker computes: its step and the time taken.
    pub(super) fn findings_tick(&mut self) {
        if self.findings.computing() {
            self.findings.restage();
        }
    }

    /// Whether the worker still computes (the runtime ticks for its progress line).
    pub fn findings_busy(&self) -> bool {
        self.findings.computing()
    }

    /// Tells the workers to stop (the app quits): they end within a chunk's time.
    pub fn stop_findings(&self) {
        let changed = self
            .findings
            .scenario
            .as_ref()
            .and_then(|r| r.progress.as_ref());
        for p in self.findings.progress.iter().chain(changed) {
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
            Action::FindingsGrade => list.cycle_grade(),
            Action::FindingsOrder => list.cycle_order(),
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
        crate::tui::findings_view::list_rows(
            crate::tui::findings_view::area(&self.areas),
            &self.findings,
        )
        .max(1)
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
    pub(super) fn go_to_finding(&mut self) -> Option<Visit> {
        let Some(f) = self.findings.current().cloned() else {
            self.say(if self.findings.computing() {
                "the findings are still being computed"
            } else {
                "no finding here"
            });
            return None;
        };
        // A finding of the org shown has its statement there; one a scenario
        // removed is the loaded org's: its statement is carried over (none when the
        // scenario changed it).
        let removed = self.findings.current_delta() == Some(&Delta::Removed);
        let (loaded, shown) = (self.loaded(), self.shown());
        let org = shown.get();
        let m = if removed {
            mark(loaded, &f).and_then(|m| crate::tui::org_map::statement(loaded, org, m))
        } else {
            mark(org, &f)
        };
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
        let removed = if removed {
            "removed by the scenario: "
        } else {
            ""
        };
        self.warn(format!(
            "{removed}{} · {}   (F lists the findings, [ goes back)",
            f.severity,
            clean(&f.message)
        ));
        visit
    }
}
