//! orgscope: explore an AWS Organization and compute effective permissions exactly as
//! AWS would. The library holds the domain (policy language, engine, catalog,
//! organization, analysis) and the front ends (CLI, TUI) built on it.

pub mod analysis;
pub mod atomic_write;
pub mod catalog;
pub mod cli;
pub mod engine;
pub mod findings;
pub mod learn;
pub mod org;
pub mod policy;
pub mod scenario;
pub mod simulate;
pub mod suggest;
pub mod text;
pub mod text_file;
pub mod tui;
