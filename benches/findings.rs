//! Every finding over the generated organization of 5,000 accounts (target: under
//! 10 s on 2 cores).
//!
//! `cargo bench --bench findings`

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use orgscope::findings::{self, Options};
use orgscope::org;

fn all_findings(c: &mut Criterion) {
    orgscope::tune_allocator();
    let org = org::generate::generate_org(5000, 1);
    let opts = Options {
        now: Some("2026-12-01T00:00:00Z".parse().unwrap()),
        ..Options::default()
    };
    let mut g = c.benchmark_group("findings");
    g.sample_size(10).measurement_time(Duration::from_secs(30));
    g.bench_function("generated_5000_accounts", |b| {
        b.iter(|| findings::findings(&org, &opts).len())
    });
    g.finish();
}

criterion_group!(benches, all_findings);
criterion_main!(benches);
