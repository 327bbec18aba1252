//! Loading and indexing organizations: the built-in sample, a real-shaped export
//! directory, and generated organizations up to 5,000 accounts and ~250,000 principals.
//!
//! ```text
//! cargo bench --bench org_load                        # criterion
//! cargo bench --bench org_load -- --generate 5000 1 /tmp/org-5000.json
//! /usr/bin/time -v cargo bench --bench org_load -- --load /tmp/org-5000.json
//! ```
//! The last two write a generated file, then load it once (for peak memory).

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};
use orgscope::org;

fn load_samples(c: &mut Criterion) {
    let mut g = c.benchmark_group("org_load");
    g.bench_function("acme", |b| {
        b.iter(|| org::load_str("acme.json", black_box(org::ACME)))
    });
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-orgs/cloudsplaining-export");
    g.bench_function("cloudsplaining-export", |b| {
        b.iter(|| org::load(black_box(&dir)).unwrap())
    });
    g.finish();
}

fn load_generated(c: &mut Criterion) {
    let mut g = c.benchmark_group("org_load_generated");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(15));
    for accounts in [500, 5000] {
        let text = org::generate::generate(accounts, 1);
        g.bench_function(format!("{accounts}_accounts"), |b| {
            // Dropping the organization is not part of loading it.
            b.iter_with_large_drop(|| {
                let (o, _) = org::load_str("generated.json", black_box(&text));
                o.unwrap()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, load_samples, load_generated);

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--generate") {
        let (n, seed, out) = (&args[i + 1], &args[i + 2], &args[i + 3]);
        let text =
            org::generate::generate(n.parse().expect("accounts"), seed.parse().expect("seed"));
        orgscope::atomic_write::write(Path::new(out), text.as_bytes(), &[]).expect("write");
        eprintln!("wrote {out}: {} bytes", text.len());
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--load") {
        let path = Path::new(&args[i + 1]);
        let t = Instant::now();
        let o = org::load(path).unwrap_or_else(|e| panic!("{e}"));
        eprintln!(
            "loaded {} in {:?}: {:?}",
            path.display(),
            t.elapsed(),
            o.stats()
        );
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
