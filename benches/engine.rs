//! Decisions per second over the shared workload (benches/data/engine-10k.json, a
//! copy of ../shared/bench/engine-10k.json): one thread, policies compiled once.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use orgscope::engine;

fn engine_10k(c: &mut Criterion) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/benches/data/engine-10k.json"
    ))
    .expect("benches/data/engine-10k.json");
    let cases = orgscope::simulate::read_cases(&text, false).unwrap();
    let ready: Vec<_> = cases.iter().map(|c| c.prepared.as_ref().unwrap()).collect();
    let sets: Vec<_> = ready.iter().map(|c| (&c.request, c.policy_set())).collect();

    let mut group = c.benchmark_group("engine-10k");
    group.throughput(Throughput::Elements(sets.len() as u64));
    group.bench_function("decide", |b| {
        b.iter(|| {
            sets.iter()
                .filter(|(r, s)| engine::evaluate(r, s) == engine::Decision::Allowed)
                .count()
        })
    });
    group.sample_size(10);
    group.bench_function("explain", |b| {
        b.iter(|| {
            sets.iter()
                .map(|(r, s)| engine::explain(r, s).layers.len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, engine_10k);
criterion_main!(benches);
