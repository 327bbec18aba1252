//! orgscope: explore an AWS Organization and compute effective permissions exactly as
//! AWS would. The library holds the domain (policy language, engine, catalog,
//! organization, analysis) and the front ends (CLI, TUI) built on it.

// The questions over a large org (paths, findings, what-if) build millions of small
// short-lived requests; glibc's allocator spent a third of their time in malloc and
// free (BENCHMARKS.md, "Escalation paths"). Set here so the binary, the tests and the
// benches all measure and run with the same allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`: the crate leaves it unnamed; in the C enum
/// (`mimalloc.h`, v2 and v3) it comes just before `mi_option_use_numa_nodes`.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t =
    libmimalloc_sys::mi_option_use_numa_nodes - 1;

/// Keeps freed memory for 10 s before giving it back to the system (mimalloc's default
/// is 1 s). A question over a large org frees and allocates hundreds of megabytes;
/// given back after 1 s, every page came back as a fresh page fault, zeroed by the
/// kernel: a fifth of an escalation search's time (BENCHMARKS.md, "Escalation paths").
/// The binary calls it first; the benches and examples too, to measure the same.
pub fn tune_allocator() {
    // SAFETY: mi_option_set only stores an option's value; any value is valid for the
    // purge delay (milliseconds, -1 for never).
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 10_000) }
}

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

#[cfg(test)]
mod allocator_tests {
    /// The option set is the purge delay: before tuning it holds mimalloc v3's default
    /// (1000 ms), which no neighbouring option has; after, the value set.
    #[test]
    fn tune_allocator_sets_the_purge_delay() {
        // SAFETY: reads an option's value.
        let get = || unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert!([1000, 10_000].contains(&get()), "{}", get());
        super::tune_allocator();
        assert_eq!(get(), 10_000);
    }
}
