//! Where each lesson is: kept in the XDG data directory (`$XDG_DATA_HOME/orgscope/
//! progress.json`, usually `~/.local/share/orgscope/`), or under `ORGSCOPE_DATA_DIR`
//! (tests set it, so they never touch the real home). Written atomically: a reader
//! sees the old file or the new one.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Overrides the data directory (tests).
pub const DATA_DIR_VAR: &str = "ORGSCOPE_DATA_DIR";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Progress {
    pub lessons: BTreeMap<String, LessonProgress>,
    pub practice: Score,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LessonProgress {
    /// The step to resume at (0-based).
    pub step: usize,
    pub done: bool,
    /// Predictions right and wrong, over the lesson.
    pub predictions: Score,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Score {
    pub right: u32,
    pub wrong: u32,
}

/// The directory progress is kept in.
pub fn data_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os(DATA_DIR_VAR).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    use etcetera::BaseStrategy as _;
    let base = etcetera::choose_base_strategy().ok()?;
    Some(base.data_dir().join("orgscope"))
}

fn path() -> Option<PathBuf> {
    data_dir().map(|d| d.join("progress.json"))
}

impl Progress {
    /// The saved progress; none saved (or a file that does not parse) is a fresh start.
    pub fn load() -> Progress {
        path()
            .and_then(|p| std::fs::read_to_string(p).ok())
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    /// Writes the progress atomically, creating the directory.
    pub fn save(&self) -> anyhow::Result<()> {
        let Some(p) = path() else {
            anyhow::bail!("no data directory to keep progress in (set {DATA_DIR_VAR})");
        };
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d)?;
        }
        let text = serde_json::to_string_pretty(self)?;
        crate::atomic_write::write(&p, text.as_bytes(), &[])?;
        Ok(())
    }

    pub fn lesson(&self, id: &str) -> LessonProgress {
        self.lessons.get(id).cloned().unwrap_or_default()
    }

    pub fn lesson_mut(&mut self, id: &str) -> &mut LessonProgress {
        self.lessons.entry(id.to_string()).or_default()
    }

    /// Forgets a lesson: it starts again at its first step.
    pub fn reset(&mut self, id: &str) {
        self.lessons.remove(id);
    }
}
