//! Lessons: AWS security learnt by doing it in an organization. Lessons are data
//! (assets/lessons, or a team's own files; see docs/lessons.md); this module reads
//! them, judges each step from what the learner did and what the engine answers, and
//! keeps progress. No UI: the TUI only plays lessons (src/tui/learn).

pub mod check;
pub mod format;
pub mod load;
pub mod player;
pub mod practice;
pub mod progress;

pub use check::{Event, Judgment, judge};
pub use format::{LayerKind, LessonFile, Step, StepKind};
pub use load::{Lesson, LessonError, builtin};
pub use player::Player;
pub use progress::Progress;

/// A lesson by id among `lessons`, or the nearest ids when none matches.
pub fn find<'l>(lessons: &'l [Lesson], id: &str) -> Result<&'l Lesson, String> {
    if let Some(l) = lessons.iter().find(|l| l.id().eq_ignore_ascii_case(id)) {
        return Ok(l);
    }
    let ids: Vec<&str> = lessons.iter().map(|l| l.id()).collect();
    Err(format!(
        "no lesson `{id}`; the lessons are: {}",
        ids.join(", ")
    ))
}
