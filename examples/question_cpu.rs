//! CPU time of one org-wide question, for comparing changes on a shared machine where
//! wall time moves with the load: `cargo run --release --example question_cpu
//! [who-can|who-can-bare|what-can|paths|paths-member|paths-to|impact-managed]`. The generated 5,000-account org, the question of
//! the worst who-can case in `benches/analysis.rs` (a bucket the org does not hold;
//! `who-can-bare` asks it with no context, so that most principals are conditional and
//! their keys are searched), a user's what-can over the whole catalog, the roles a
//! management-account user reaches (`paths`) or who reaches a member account's audit
//! role (`paths-to`), the what-if diff of AdministratorAccess attached to one role
//! (`impact-managed`); 20 runs, wall and process CPU time per run.

use orgscope::analysis::{self, Ask, Filter};

/// User plus system CPU time of this process so far, in seconds (Linux).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(") ")?.1.split(' ').collect();
    let ticks = |i: usize| fields.get(i)?.parse::<f64>().ok();
    Some((ticks(11)? + ticks(12)?) / 100.0)
}

fn main() {
    orgscope::tune_allocator();
    let which = std::env::args().nth(1).unwrap_or_else(|| "who-can".into());
    let org = orgscope::org::generate::generate_org(5000, 1);
    let context = vec![
        (
            "aws:RequestedRegion".to_string(),
            vec!["eu-west-1".to_string()],
        ),
        ("aws:SecureTransport".to_string(), vec!["true".to_string()]),
    ];
    let ask = Ask {
        action: "s3:GetObject".into(),
        resource: "arn:aws:s3:::bucket-not-in-the-org/x".into(),
        context: if which == "who-can-bare" {
            Vec::new()
        } else {
            context
        },
        ..Ask::default()
    };
    let user = org.user(org.accounts()[10].users[0]).arn.to_string();
    let mgmt_user = org.user(org.accounts()[0].users[0]).arn.to_string();
    let audit = format!("arn:aws:iam::{}:role/security-audit", org.accounts()[10].id);
    // `QUESTION_RUNS=3` for slow questions.
    let runs: u32 = std::env::var("QUESTION_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let managed_after = (which == "impact-managed").then(|| {
        let role = org.role(org.accounts()[10].roles[0]).arn.to_string();
        let admin = "arn:aws:iam::aws:policy/AdministratorAccess".to_string();
        let attach = orgscope::scenario::Scenario {
            description: None,
            changes: vec![orgscope::scenario::Change::AttachManagedPolicy {
                principal: role,
                policy: admin,
            }],
        };
        orgscope::scenario::apply(&org, &attach).expect("the role and the policy exist")
    });
    let (cpu0, wall0) = (cpu_seconds(), std::time::Instant::now());
    for _ in 0..runs {
        match which.as_str() {
            "paths" => {
                std::hint::black_box(analysis::paths(&org, &mgmt_user, None, &[]))
                    .expect("the user is in the org");
            }
            "paths-member" => {
                std::hint::black_box(analysis::paths(&org, &user, None, &[]))
                    .expect("the user is in the org");
            }
            "paths-to" => {
                std::hint::black_box(analysis::who_reaches(&org, &audit, &[]))
                    .expect("the role is in the org");
            }
            "impact-managed" => {
                let after = managed_after.as_ref().expect("built above");
                let options = orgscope::scenario::ImpactOptions::default();
                std::hint::black_box(orgscope::scenario::impact(&org, after, &[], &options))
                    .expect("a valid diff");
            }
            "what-can" => {
                std::hint::black_box(analysis::what_can(&org, &user, &Filter::default(), &[]))
                    .expect("the user is in the org");
            }
            _ => {
                std::hint::black_box(analysis::who_can(&org, &ask)).expect("a valid question");
            }
        }
    }
    let per_run = |s: f64| s * 1000.0 / f64::from(runs);
    let cpu = match (cpu0, cpu_seconds()) {
        (Some(a), Some(b)) => format!("{:.1} ms", per_run(b - a)),
        _ => "unknown".into(),
    };
    println!(
        "{which}: wall {:.1} ms, CPU {cpu} per run",
        per_run(wall0.elapsed().as_secs_f64())
    );
}
