//! Watching a long question: stopping it (the TUI's Esc) and counting how far it is
//! (the TUI's progress bar). The CLI watches nothing: [`Watch::NONE`].

use std::sync::atomic::{AtomicUsize, Ordering};

/// Asked by long questions between principals (or actions): true to stop now. The TUI
/// passes one that turns true when the user presses Esc; the CLI never stops.
pub type Stop<'a> = &'a (dyn Fn() -> bool + Sync);

/// A [`Stop`] that never stops.
pub fn never() -> bool {
    false
}

/// How a long question is watched while it runs: `stop` to give up (the TUI's Esc)
/// and `progress`, where it counts how far it is (the TUI's bar).
#[derive(Clone, Copy)]
pub struct Watch<'a> {
    pub stop: Stop<'a>,
    pub progress: Option<&'a Progress>,
}

impl Watch<'static> {
    /// Not watched: the CLI's questions.
    pub const NONE: Watch<'static> = Watch {
        stop: &never,
        progress: None,
    };
}

impl<'a> Watch<'a> {
    pub fn new(stop: Stop<'a>, progress: &'a Progress) -> Self {
        Watch {
            stop,
            progress: Some(progress),
        }
    }

    pub(super) fn stopped(&self) -> bool {
        (self.stop)()
    }

    pub(super) fn begin(&self, total: usize) {
        if let Some(p) = self.progress {
            p.reset();
            p.total.store(total, Ordering::Relaxed);
        }
    }

    /// More work found while running (paths discovers its graph as it goes).
    pub(super) fn grow(&self, n: usize) {
        if let Some(p) = self.progress {
            p.total.fetch_add(n, Ordering::Relaxed);
        }
    }

    pub(super) fn advance(&self, n: usize) {
        if let Some(p) = self.progress {
            p.done.fetch_add(n, Ordering::Relaxed);
        }
    }
}

/// How much of a question is done, counted from the threads that answer it. For
/// display only: the count is approximate while it runs.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicUsize,
    total: AtomicUsize,
}

impl Progress {
    /// Back to nothing known, for the next question.
    pub fn reset(&self) {
        self.done.store(0, Ordering::Relaxed);
        self.total.store(0, Ordering::Relaxed);
    }

    /// The part done, from 0 to 1; `None` before the question knows its size.
    pub fn fraction(&self) -> Option<f64> {
        let total = self.total.load(Ordering::Relaxed);
        (total > 0).then(|| (self.done.load(Ordering::Relaxed) as f64 / total as f64).min(1.0))
    }
}
