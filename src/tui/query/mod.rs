//! The query pane: `:can`, `:who-can`, `:what-can` and `:paths` asked of the org
//! from the UI. Layers, each testable without a terminal: [`form`] (the fields and
//! the question they make), [`complete`] (candidates for a field), [`build`] (the
//! analysis' answer as rows), [`answer`] (those rows as a tree, filtered),
//! [`locate`] (from a matched statement back to its policy), [`inputs`] (what a
//! question reads beyond its fields: an account's name, a session policy file). The pane's state is
//! [`QueryPane`]; the app drives it (`app/query.rs`) and the view draws it
//! (`view/query.rs`).
//!
//! Questions run on the query worker ([`serve`]): who-can over a quarter of a million
//! principals takes a second, and the screen keeps drawing meanwhile. Esc cancels: the
//! worker drops what it was computing when it is done, and skips what was queued.

pub mod answer;
pub mod build;
pub mod complete;
pub mod form;
pub mod inputs;
pub mod locate;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender};
use std::time::{Duration, Instant};

use answer::{AnswerTree, Jump};
use complete::{Candidates, CatalogIndex};
use form::{Form, Query, QueryKind};

use super::app::Msg;
use super::tree::{Move, Tree};
use crate::analysis::{Progress, Watch};
use crate::org::Org;

/// A question for the worker, numbered: answers to questions no longer awaited are
/// dropped.
#[derive(Debug, Clone)]
pub struct QueryJob {
    pub id: u64,
    pub query: Query,
    /// While a scenario is active: the org it makes, which answers (the loaded org's
    /// answer goes beside it).
    pub changed: Option<Arc<Org>>,
}

/// What a question comes back as: the answer's rows, or what went wrong in words.
pub type Outcome = Result<AnswerTree, String>;

/// What the app and the query worker share: the number of the question the app
/// awaits (0: none), and how far the worker is with it.
#[derive(Debug, Default)]
pub struct Awaited {
    pub id: AtomicU64,
    pub progress: Progress,
}

/// Answers questions until the app drops its end of `jobs`. A question queued behind
/// a newer one, or cancelled, is skipped (`awaited.id` is no longer its number), and
/// its answer never sent.
pub fn serve(org: &Org, jobs: Receiver<QueryJob>, awaited: &Awaited, out: Sender<Msg>) {
    let wanted = &awaited.id;
    // The catalog is read on first use: here, rather than on the first key typed in
    // the action field.
    let _ = crate::catalog::Catalog::get();
    while let Ok(mut job) = jobs.recv() {
        while let Ok(newer) = jobs.try_recv() {
            job = newer;
        }
        if job.id != wanted.load(Ordering::Acquire) {
            continue;
        }
        // A newer question, or Esc, stops this one between principals.
        let stop = || wanted.load(Ordering::Acquire) != job.id;
        let watch = Watch::new(&stop, &awaited.progress);
        let outcome = match &job.changed {
            Some(after) => build::run_what_if(org, after, &job.query, watch),
            None => build::run_until(org, &job.query, watch),
        };
        if job.id != wanted.load(Ordering::Acquire) {
            continue;
        }
        if out.send(Msg::Answered(job.id, Arc::new(outcome))).is_err() {
            return;
        }
    }
}

/// Where the pane's keys go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PaneFocus {
    /// The focused field of the form.
    #[default]
    Form,
    /// The answer's rows.
    Answer,
    /// The answer's filter line.
    Filter,
}

/// A question on its way.
#[derive(Debug, Clone)]
pub struct Running {
    pub id: u64,
    /// The form as it was asked.
    pub asked: Form,
    pub kind: QueryKind,
    pub started: Instant,
    /// Time spent so far, as of the last tick (the view reads only this).
    pub elapsed: Duration,
    /// How many principals who-can evaluates, for the progress line.
    pub principals: usize,
    /// The part done, as of the last tick; `None` while the worker does not know.
    pub done: Option<f64>,
}

/// An answer on screen: the rows, the filter, the tree's selection and scroll.
#[derive(Debug, Clone)]
pub struct Answered {
    pub full: Arc<AnswerTree>,
    /// The form as it was asked: when it has changed since, the answer is an
    /// earlier question's.
    pub asked: Form,
    /// The rows the filter keeps; `None` without a filter.
    filtered: Option<AnswerTree>,
    pub filter: String,
    pub view: Tree<u32>,
}

impl Answered {
    pub fn new(full: Arc<AnswerTree>, asked: Form, height: usize) -> Answered {
        let mut a = Answered {
            view: Tree::opened(&*full, |id| full.item(id).open),
            full,
            asked,
            filtered: None,
            filter: String::new(),
        };
        a.view.set_height(height);
        a.select_focus();
        a
    }

    /// The rows shown: all, or those the filter keeps.
    pub fn tree(&self) -> &AnswerTree {
        self.filtered.as_ref().unwrap_or(&self.full)
    }

    fn select_focus(&mut self) {
        if let Some(f) = self.tree().focus
            && let Some(i) = self.view.rows().iter().position(|r| r.id == f)
        {
            self.view.select_index(i);
        }
    }

    /// Filters the rows, opening them all again.
    pub fn set_filter(&mut self, filter: &str) {
        self.filter = filter.to_string();
        self.filtered = (!filter.trim().is_empty()).then(|| self.full.filtered(filter));
        let height = self.view.height();
        self.view = match &self.filtered {
            // What the filter keeps shows whole.
            Some(f) => Tree::expanded(f),
            None => Tree::opened(&*self.full, |id| self.full.item(id).open),
        };
        self.view.set_height(height);
        self.select_focus();
    }

    /// Moves the selection, opens or closes a row.
    pub fn apply(&mut self, m: Move) {
        let tree = self.filtered.as_ref().unwrap_or(&self.full);
        self.view.apply(tree, m);
    }

    /// Opens or closes the selected row.
    pub fn toggle(&mut self) {
        let tree = self.filtered.as_ref().unwrap_or(&self.full);
        self.view.toggle(tree);
    }

    /// Changes or drops every row's jump, the filtered rows' too (the org shown
    /// changed: see [`crate::tui::org_map::jump`]).
    pub fn map_jumps(&mut self, mut f: impl FnMut(Jump) -> Option<Jump>) {
        Arc::make_mut(&mut self.full).map_jumps(&mut f);
        if let Some(t) = self.filtered.as_mut() {
            t.map_jumps(&mut f);
        }
    }

    /// Where Enter on the selected row goes.
    pub fn selected_jump(&self) -> Option<Jump> {
        self.view
            .selected()
            .and_then(|id| self.tree().item(id).jump.clone())
    }
}

/// The pane's whole state; it lasts while the pane is closed, so that `a` brings the
/// last answer back.
#[derive(Debug, Default)]
pub struct QueryPane {
    pub form: Form,
    pub focus: PaneFocus,
    /// Candidates for the focused field, shown while completing.
    pub candidates: Candidates,
    /// The candidate chosen with the arrows; none until then (Enter runs).
    pub selected: Option<usize>,
    pub completing: bool,
    /// Select the first candidate when the list comes (Down opened it).
    pub want_first: bool,
    /// The text the org search was last asked about (its matches are taken only if
    /// they answer it).
    pub org_query: Option<String>,
    pub catalogs: CatalogIndex,
    pub running: Option<Running>,
    /// The answer shown; the ones before and after it in [`QueryPane::earlier`] and
    /// [`QueryPane::later`] (`[` and `]` go through them).
    pub answer: Option<Answered>,
    /// Earlier answers, oldest first.
    pub earlier: Vec<Answered>,
    /// Later answers, after going back: the next one last.
    pub later: Vec<Answered>,
    /// The last question's error.
    pub error: Option<String>,
    last_id: u64,
}

/// How many answers are kept to go back to.
pub const KEPT_ANSWERS: usize = 30;
/// How many rows they may hold together: a who-can over a large org has hundreds of
/// thousands; the oldest answers go first.
pub const KEPT_ROWS: usize = 500_000;

impl QueryPane {
    /// A new answer, after all the others (going back and asking again keeps the
    /// later ones: nothing asked is lost, up to [`KEPT_ANSWERS`] and [`KEPT_ROWS`]).
    pub fn keep_answer(&mut self, new: Answered) {
        self.earlier.extend(self.answer.take());
        self.earlier.extend(self.later.drain(..).rev());
        let over = self.earlier.len().saturating_sub(KEPT_ANSWERS - 1);
        self.earlier.drain(..over);
        let mut rows = new.full.len();
        let keep = self
            .earlier
            .iter()
            .rev()
            .take_while(|a| {
                rows += a.full.len();
                rows <= KEPT_ROWS
            })
            .count();
        let old = self.earlier.len() - keep;
        self.earlier.drain(..old);
        self.answer = Some(new);
    }

    /// Shows the answer before (or after) the one shown; false at the end.
    pub fn step_answer(&mut self, forward: bool) -> bool {
        let (from, to) = if forward {
            (&mut self.later, &mut self.earlier)
        } else {
            (&mut self.earlier, &mut self.later)
        };
        let Some(next) = from.pop() else {
            return false;
        };
        to.extend(self.answer.replace(next));
        if let Some(a) = &self.answer {
            self.form = a.asked.clone();
        }
        true
    }

    /// The shown answer's place among all: `(2, 5)`.
    pub fn answer_position(&self) -> (usize, usize) {
        let shown = usize::from(self.answer.is_some());
        (
            self.earlier.len() + shown,
            self.earlier.len() + shown + self.later.len(),
        )
    }

    /// A fresh number for a question.
    pub fn next_id(&mut self) -> u64 {
        self.last_id += 1;
        self.last_id
    }

    /// Stops completing: the list goes, the answer shows again.
    pub fn stop_completing(&mut self) {
        self.completing = false;
        self.want_first = false;
        self.selected = None;
        self.candidates = Candidates::None;
        self.org_query = None;
    }

    /// Moves the candidate selection; from none, down starts at the first.
    pub fn select_candidate(&mut self, forward: bool) {
        let n = self.candidates.len();
        if n == 0 {
            self.selected = None;
            return;
        }
        self.selected = Some(match (self.selected, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(rows: usize) -> Answered {
        let mut t = AnswerTree::new(form::QueryKind::WhoCan);
        for _ in 0..rows {
            t.add(None, Vec::new(), None);
        }
        Answered::new(Arc::new(t), Form::default(), 10)
    }

    #[test]
    fn answers_are_kept_within_a_count_and_a_row_budget() {
        let mut pane = QueryPane::default();
        for _ in 0..KEPT_ANSWERS + 5 {
            pane.keep_answer(answer(1));
        }
        assert_eq!(pane.answer_position(), (KEPT_ANSWERS, KEPT_ANSWERS));
        // Two large answers do not fit together: the older goes, the new one stays.
        pane.keep_answer(answer(KEPT_ROWS - 10));
        pane.keep_answer(answer(KEPT_ROWS - 10));
        assert_eq!(pane.answer_position(), (1, 1));
        // Back and forth, then a new one: it comes after all the others.
        pane.keep_answer(answer(1));
        pane.keep_answer(answer(2));
        assert!(pane.step_answer(false) && pane.step_answer(false));
        assert!(!pane.step_answer(false));
        pane.keep_answer(answer(3));
        assert_eq!(pane.answer_position(), (4, 4));
        assert_eq!(pane.answer.as_ref().unwrap().full.len(), 3);
    }
}
