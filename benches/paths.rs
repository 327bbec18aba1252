//! Escalation search for one principal on the generated organization of 5,000
//! accounts (target: under 1 s on 2 cores): every principal it reaches by assuming
//! roles and by every escalation technique, each hop decided by the engine.
//!
//! `cargo bench --bench paths`. The answer is dropped outside the measured time
//! (`iter_with_large_drop`): the management user's holds 233,607 reaches.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use orgscope::analysis;
use orgscope::org;

fn escalation_search(c: &mut Criterion) {
    orgscope::tune_allocator();
    let org = org::generate::generate_org(5000, 1);
    let mgmt_user = org.user(org.accounts()[0].users[0]).arn.to_string();
    let member_user = org.user(org.accounts()[10].users[0]).arn.to_string();
    let audit = format!("arn:aws:iam::{}:role/security-audit", org.accounts()[10].id);
    let whole = analysis::paths(&org, &mgmt_user, None, &[]).unwrap();
    eprintln!(
        "paths from {mgmt_user}: {} principals reached, {} of them admin",
        whole.reachable.len(),
        whole.reachable.iter().filter(|r| r.admin).count()
    );
    drop(whole);
    let mut g = c.benchmark_group("paths");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("from_management_admin_user", |b| {
        b.iter_with_large_drop(|| analysis::paths(&org, black_box(&mgmt_user), None, &[]))
    });
    g.bench_function("from_member_user", |b| {
        b.iter_with_large_drop(|| analysis::paths(&org, black_box(&member_user), None, &[]))
    });
    g.bench_function("who_reaches_member_audit_role", |b| {
        b.iter_with_large_drop(|| analysis::who_reaches(&org, black_box(&audit), &[]))
    });
    g.finish();
}

criterion_group!(benches, escalation_search);
criterion_main!(benches);
