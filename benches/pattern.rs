//! `can` on a resource pattern over the generated organization of 5,000 accounts:
//! `sts:AssumeRole` on `*` (every role of the org, ~180,000, each decided) and
//! `s3:GetObject` on `*` (every bucket's objects, cut along the policies' patterns).
//!
//! `cargo bench --bench pattern`

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use orgscope::analysis::{Ask, pattern::can_pattern};
use orgscope::org;

fn ask(action: &str, resource: &str) -> Ask {
    Ask {
        action: action.to_string(),
        resource: resource.to_string(),
        context: vec![
            (
                "aws:RequestedRegion".to_string(),
                vec!["eu-west-1".to_string()],
            ),
            ("aws:SecureTransport".to_string(), vec!["true".to_string()]),
        ],
        ..Ask::default()
    }
}

fn patterns(c: &mut Criterion) {
    orgscope::tune_allocator();
    let org = org::generate::generate_org(5000, 1);
    let stats = org.stats();
    eprintln!(
        "generated org: {} accounts, {} roles, {} resources",
        stats.accounts,
        stats.roles,
        org.resources().len()
    );
    let role = "arn:aws:iam::100000000000:role/ops-002";
    let user = org.accounts()[10]
        .users
        .first()
        .map(|&u| org.user(u).arn.to_string())
        .unwrap();
    let roles = ask("sts:AssumeRole", "*");
    let objects = ask("s3:GetObject", "*");
    for (who, q) in [(role, &roles), (user.as_str(), &objects)] {
        let a = can_pattern(&org, who, q).unwrap();
        eprintln!(
            "{who} {} {}: {}, {} classes",
            q.action,
            q.resource,
            a.outcome,
            a.classes.len()
        );
    }
    let mut g = c.benchmark_group("pattern_5000_accounts");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10));
    g.bench_function("can_assume_role_on_every_role", |b| {
        b.iter(|| can_pattern(&org, black_box(role), &roles).unwrap())
    });
    g.bench_function("can_get_object_on_every_bucket", |b| {
        b.iter(|| can_pattern(&org, black_box(&user), &objects).unwrap())
    });
    g.finish();
}

criterion_group!(benches, patterns);
criterion_main!(benches);
