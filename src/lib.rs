//! orgscope: explore an AWS Organization and compute effective permissions exactly as
//! AWS would. The library holds the domain (policy language, engine, catalog,
//! organization, analysis) and the front ends (CLI, TUI) built on it.

// The questions over a large org (paths, findings, what-if) build millions of small
// short-lived requests; glibc's allocator spent a third of their time in malloc and
// free (BENCHMARKS.md, "Escalation paths"). Set here so the binary, the tests and the
// benches all measure and run with the same allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
