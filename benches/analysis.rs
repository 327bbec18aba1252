//! The org-wide questions on a generated organization of 5,000 accounts (~250,000
//! principals): who-can for one action and resource (all cores), what-can for one
//! principal over the whole catalog (one thread), and the assume-role paths from a
//! management-account user (every OrganizationAccountAccessRole, and on from each)
//! and to one member account's audit role (all cores).
//!
//! `cargo bench --bench analysis`

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use orgscope::analysis::{self, Ask, Filter};
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

fn questions(c: &mut Criterion) {
    orgscope::tune_allocator();
    let org = org::generate::generate_org(5000, 1);
    let stats = org.stats();
    eprintln!(
        "generated org: {} accounts, {} users, {} roles",
        stats.accounts, stats.users, stats.roles
    );
    let account = &org.accounts()[10].id;
    let role = org.accounts()[10]
        .roles
        .first()
        .map(|&r| org.role(r).arn.to_string())
        .unwrap();
    let user = org.accounts()[10]
        .users
        .first()
        .map(|&u| org.user(u).arn.to_string())
        .unwrap();

    let mut g = c.benchmark_group("analysis_5000_accounts");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8));
    let known = ask(
        "s3:GetObject",
        &format!("arn:aws:s3:::app-data-{account}/x"),
    );
    g.bench_function("who_can_bucket_in_org", |b| {
        b.iter(|| analysis::who_can(&org, black_box(&known)).unwrap())
    });
    let unknown = ask("s3:GetObject", "arn:aws:s3:::bucket-not-in-the-org/x");
    g.bench_function("who_can_bucket_unknown", |b| {
        b.iter(|| analysis::who_can(&org, black_box(&unknown)).unwrap())
    });
    // The same with no context: most principals are conditional (a region for the
    // SCP, TLS for the RCP), and their keys are searched together.
    let bare = Ask {
        context: Vec::new(),
        ..unknown.clone()
    };
    g.bench_function("who_can_bucket_unknown_no_context", |b| {
        b.iter(|| analysis::who_can(&org, black_box(&bare)).unwrap())
    });
    let assume = ask("sts:AssumeRole", &role);
    g.bench_function("who_can_assume_role", |b| {
        b.iter(|| analysis::who_can(&org, black_box(&assume)).unwrap())
    });
    g.bench_function("what_can_user_all_actions", |b| {
        b.iter(|| analysis::what_can(&org, black_box(&user), &Filter::default(), &[]).unwrap())
    });
    g.bench_function("what_can_role_all_actions", |b| {
        b.iter(|| analysis::what_can(&org, black_box(&role), &Filter::default(), &[]).unwrap())
    });
    // paths: the trust and identity index, then the graph from one principal.
    g.bench_function("assume_index_build", |b| {
        b.iter(|| orgscope::org::assume_index::AssumeIndex::new(black_box(&org)))
    });
    let mgmt_user = org.accounts()[0]
        .users
        .first()
        .map(|&u| org.user(u).arn.to_string())
        .unwrap();
    g.bench_function("paths_from_management_user", |b| {
        b.iter(|| analysis::paths(&org, black_box(&mgmt_user), None, &[]).unwrap())
    });
    let audit = format!("arn:aws:iam::{account}:role/security-audit");
    eprintln!(
        "paths from {mgmt_user}: {} roles; {} principals reach {audit}",
        analysis::paths(&org, &mgmt_user, None, &[])
            .unwrap()
            .reachable
            .len(),
        analysis::who_reaches(&org, &audit, &[]).unwrap().len()
    );
    g.bench_function("paths_to_audit_role", |b| {
        b.iter(|| analysis::who_reaches(&org, black_box(&audit), &[]).unwrap())
    });
    g.finish();
}

criterion_group!(benches, questions);
criterion_main!(benches);
