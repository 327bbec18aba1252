//! Scenarios over acme, with the diff each must give written from the AWS rules and
//! sample-orgs/acme.json (not from running orgscope). Each names the actions it asks
//! so that the expected diff is short enough to check by hand.

use std::collections::BTreeSet;
use std::path::Path;

use orgscope::scenario::impact::{Impact, Standing};
use orgscope::scenario::{ImpactOptions, ScenarioFile, impact};

/// `(account name, principal ARN, gained|lost|changed, action, resource)`.
type Line = (String, String, &'static str, String, String);

fn run(fixture: &str, actions: &[&str]) -> Impact {
    let org = orgscope::org::load_builtin_acme();
    let file = ScenarioFile::load(&Path::new("tests/fixtures/scenarios").join(fixture))
        .unwrap_or_else(|e| panic!("{e}"));
    let after = file.apply(&org).unwrap_or_else(|e| panic!("{e}"));
    let options = ImpactOptions {
        actions: Some(actions.iter().map(|s| s.to_string()).collect()),
        ..ImpactOptions::default()
    };
    let changes: Vec<String> = file
        .scenario
        .changes
        .iter()
        .map(|c| c.to_string())
        .collect();
    impact(&org, &after, &changes, &options).unwrap_or_else(|e| panic!("{e}"))
}

fn lines(i: &Impact) -> BTreeSet<Line> {
    let mut out = BTreeSet::new();
    for a in &i.accounts {
        for p in &a.principals {
            let mut add = |kind, action: &str, resource: &str| {
                out.insert((
                    a.account_name.clone(),
                    p.principal.clone(),
                    kind,
                    action.to_string(),
                    resource.to_string(),
                ));
            };
            for x in &p.gained {
                add("gained", &x.action, &x.resource);
            }
            for x in &p.lost {
                add("lost", &x.action, &x.resource);
            }
            for x in &p.changed {
                add("changed", &x.action, &x.resource);
            }
        }
    }
    out
}

fn line(account: &str, principal: &str, kind: &'static str, action: &str, resource: &str) -> Line {
    (
        account.into(),
        principal.into(),
        kind,
        action.into(),
        resource.into(),
    )
}

const CREATE_USER: &str = "iam:CreateUser";

/// A Deny SCP at an OU takes the action from every principal below it that had it,
/// and from nobody else (SCP levels: root -> OUs -> account, any Deny denies). In the
/// Dev OU only heidi (Admins: AdministratorAccess) could create users, on her own
/// account's users (IAM has no resource policies, so never across accounts).
#[test]
fn deny_scp_at_an_ou() {
    let i = run("deny-iam-users-in-dev.json", &[CREATE_USER]);
    let heidi = "arn:aws:iam::777777777777:user/heidi";
    let want: BTreeSet<Line> = ["frank", "grace", "heidi"]
        .iter()
        .map(|u| {
            line(
                "web-dev",
                heidi,
                "lost",
                CREATE_USER,
                &format!("arn:aws:iam::777777777777:user/{u}"),
            )
        })
        .collect();
    assert_eq!(lines(&i), want);
    assert!(i.outside.is_empty());
}

/// FullAWSAccess off the root: the root level keeps only Deny statements, so it allows
/// nothing, and every member account loses everything; the management account is not
/// governed by SCPs and keeps what it had (carol, its root user).
#[test]
fn full_aws_access_removed_from_the_root() {
    let i = run("remove-full-access-from-root.json", &[CREATE_USER]);
    let user = |acct: &str, u: &str| format!("arn:aws:iam::{acct}:user/{u}");
    let mut want = BTreeSet::new();
    for who in [
        "arn:aws:iam::222222222222:role/OrgSecurityAdmin",
        "arn:aws:iam::222222222222:root",
    ] {
        for u in ["dana", "eve"] {
            want.insert(line(
                "security",
                who,
                "lost",
                CREATE_USER,
                &user("222222222222", u),
            ));
        }
    }
    for who in [
        "arn:aws:iam::666666666666:role/OrganizationAccountAccessRole",
        "arn:aws:iam::666666666666:user/ci-legacy",
    ] {
        want.insert(line(
            "web-prod",
            who,
            "lost",
            CREATE_USER,
            &user("666666666666", "ci-legacy"),
        ));
    }
    for u in ["frank", "grace", "heidi"] {
        want.insert(line(
            "web-dev",
            "arn:aws:iam::777777777777:user/heidi",
            "lost",
            CREATE_USER,
            &user("777777777777", u),
        ));
    }
    assert_eq!(lines(&i), want);
}

/// sandbox-bob moves from the Sandbox allow-list (iam:Get*/List* only) to Dev, under
/// Workloads' deny-list: bob (AdministratorAccess) gains iam:CreateUser (not
/// region-limited: DenyOutsideApprovedRegions exempts iam:*), and ec2:RunInstances,
/// allowed outright before, now needs an approved aws:RequestedRegion (a
/// StringNotEquals on an absent key matches, so the Deny applies without one). The
/// account's root user (all permissions in its own account, SCPs aside) loses
/// ec2:RunInstances, which the allow-list let through and Workloads' DenyRootUser
/// does not; iam:CreateUser it had under neither.
#[test]
fn account_moved_from_an_allow_list_to_a_deny_list() {
    let i = run(
        "move-sandbox-to-dev.json",
        &[CREATE_USER, "ec2:RunInstances"],
    );
    let bob = "arn:aws:iam::101010101010:user/bob";
    let want: BTreeSet<Line> = [
        line("sandbox-bob", bob, "gained", CREATE_USER, bob),
        line("sandbox-bob", bob, "changed", "ec2:RunInstances", "*"),
        line(
            "sandbox-bob",
            "arn:aws:iam::101010101010:root",
            "lost",
            "ec2:RunInstances",
            "*",
        ),
    ]
    .into_iter()
    .collect();
    assert_eq!(lines(&i), want);
    let bob_line = i.accounts[0].principals.iter().find(|p| p.principal == bob);
    let shift = &bob_line.expect("bob changes").changed[0];
    assert_eq!(
        (shift.before, shift.after),
        (Standing::Allowed, Standing::Conditional)
    );
    assert!(
        shift
            .when
            .iter()
            .any(|c| c.key.eq_ignore_ascii_case("aws:RequestedRegion"))
    );
}

/// A boundary must also allow (IAM User Guide, "Permissions boundaries"): ReadOnlyAccess
/// does not allow iam:CreateUser, so the role loses it; nobody else changes.
#[test]
fn boundary_set_on_a_role() {
    let i = run("bound-org-access-role.json", &[CREATE_USER]);
    let want: BTreeSet<Line> = [line(
        "web-prod",
        "arn:aws:iam::666666666666:role/OrganizationAccountAccessRole",
        "lost",
        CREATE_USER,
        "arn:aws:iam::666666666666:user/ci-legacy",
    )]
    .into_iter()
    .collect();
    assert_eq!(lines(&i), want);
}

/// A group's policies are its members' (identity policies: the user's and its
/// groups'): frank gains AdministratorAccess's iam:CreateUser on web-dev's users.
#[test]
fn user_added_to_an_admin_group() {
    let i = run("frank-joins-admins.json", &[CREATE_USER]);
    let frank = "arn:aws:iam::777777777777:user/frank";
    let want: BTreeSet<Line> = ["frank", "grace", "heidi"]
        .iter()
        .map(|u| {
            line(
                "web-dev",
                frank,
                "gained",
                CREATE_USER,
                &format!("arn:aws:iam::777777777777:user/{u}"),
            )
        })
        .collect();
    assert_eq!(lines(&i), want);
}

/// A trust policy must name the caller (cross-account: both sides allow): CIPipeline
/// is no longer named and loses sts:AssumeRole on WebDeployer; the partner's role,
/// outside the org, is named and its resource side allows.
#[test]
fn trust_policy_opened_to_another_account() {
    let i = run("open-webdeployer-trust.json", &["sts:AssumeRole"]);
    let deployer = "arn:aws:iam::666666666666:role/WebDeployer";
    let want: BTreeSet<Line> = [line(
        "shared-services",
        "arn:aws:iam::444444444444:role/CIPipeline",
        "lost",
        "sts:AssumeRole",
        deployer,
    )]
    .into_iter()
    .collect();
    assert_eq!(lines(&i), want);
    assert_eq!(i.outside.len(), 1, "{:#?}", i.outside);
    let o = &i.outside[0];
    assert_eq!(
        (o.resource.as_str(), o.who.as_str(), o.change, o.after),
        (
            deployer,
            "arn:aws:iam::123456789012:role/PartnerDeploy",
            "gained",
            Some("allowed")
        )
    );
}

/// A bucket policy naming `*` lets anyone in: everyone outside the org is named (the
/// RCP EnforceSecureTransport still requires TLS, so only with aws:SecureTransport),
/// and org principals of other accounts whose identity policies allow s3:GetObject now
/// pass the resource side (cross-account needs both). web-dev's principals were named
/// already (the old policy delegated to account 777777777777) and do not change.
#[test]
fn bucket_policy_made_public() {
    let i = run("public-data-lake.json", &["s3:GetObject"]);
    let objects = "arn:aws:s3:::acme-data-dev-lake/*";
    let everyone: Vec<_> = i
        .outside
        .iter()
        .filter(|o| o.resource == objects && o.kind == "everyone")
        .collect();
    assert_eq!(everyone.len(), 1, "{:#?}", i.outside);
    assert_eq!(
        (everyone[0].change, everyone[0].after),
        ("gained", Some("conditional"))
    );
    let got = lines(&i);
    let admin = "arn:aws:iam::222222222222:role/OrgSecurityAdmin";
    assert!(
        got.iter()
            .any(|l| l.1 == admin && l.2 == "gained" && l.4 == objects),
        "{got:#?}"
    );
    assert!(
        got.iter().all(|l| l.0 != "web-dev" && l.2 == "gained"),
        "{got:#?}"
    );
}

/// Narrowing an inline policy takes away what only the removed statements granted:
/// WebApp keeps sqs:SendMessage and loses the secret and the website objects (both
/// conditional before: the region deny-list and the TLS RCP read keys not given).
#[test]
fn role_inline_policy_narrowed() {
    let i = run(
        "narrow-webapp-inline.json",
        &[
            "secretsmanager:GetSecretValue",
            "s3:PutObject",
            "sqs:SendMessage",
        ],
    );
    let app = "arn:aws:iam::666666666666:role/WebApp";
    let want: BTreeSet<Line> = [
        line(
            "web-prod",
            app,
            "lost",
            "secretsmanager:GetSecretValue",
            "arn:aws:secretsmanager:eu-west-1:666666666666:secret:web/db-password-AbCdEf",
        ),
        line(
            "web-prod",
            app,
            "lost",
            "s3:PutObject",
            "arn:aws:s3:::acme-public-website/*",
        ),
    ]
    .into_iter()
    .collect();
    assert_eq!(lines(&i), want);
    for l in &i.accounts[0].principals[0].lost {
        assert_eq!(l.standing, Standing::Conditional, "{l:?}");
    }
}

/// The progress handle counts every question the diff asks, and a cancelled diff stops
/// with `Cancelled` instead of answering (the TUI drops a diff its scenario outdated).
#[test]
fn progress_counts_questions_and_cancel_stops_the_diff() {
    use orgscope::analysis::AnalysisError;
    use orgscope::scenario::impact::Progress;
    use std::sync::Arc;
    let org = orgscope::org::load_builtin_acme();
    let file = ScenarioFile::load(Path::new("tests/fixtures/scenarios/public-data-lake.json"))
        .unwrap_or_else(|e| panic!("{e}"));
    let after = file.apply(&org).unwrap_or_else(|e| panic!("{e}"));
    let progress = Arc::new(Progress::default());
    let options = ImpactOptions {
        actions: Some(vec!["s3:GetObject".into(), "s3:PutObject".into()]),
        progress: Some(progress.clone()),
        ..ImpactOptions::default()
    };
    let done = impact(&org, &after, &[], &options).unwrap();
    assert_eq!(progress.get(), (done.questions, done.questions));
    assert!(done.questions > 0);

    let cancelled = Arc::new(Progress::default());
    cancelled.cancel();
    let options = ImpactOptions {
        progress: Some(cancelled.clone()),
        ..options
    };
    assert!(matches!(
        impact(&org, &after, &[], &options),
        Err(AnalysisError::Cancelled)
    ));
    // Stops before its first question on every action, though they run in parallel.
    assert_eq!(
        cancelled.get().0,
        0,
        "a diff cancelled before it starts asks nothing"
    );
}

/// A trust policy naming another account lets in every principal of that account whose
/// own policies allow (IAM User Guide, "Cross-account policy evaluation logic"; "IAM
/// JSON policy elements: Principal", AWS account principals), though its root user
/// cannot assume a role. The outsider is the account, and it gains the role: an
/// answer taken from the root user alone said "denied" and hid it. Access Analyzer
/// reports such a trust policy as external access, and so must `findings`.
#[test]
fn a_trust_policy_opened_to_another_account_lets_that_account_in() {
    let i = run(
        "open-webdeployer-trust-to-account.json",
        &["sts:AssumeRole"],
    );
    let deployer = "arn:aws:iam::666666666666:role/WebDeployer";
    assert_eq!(i.outside.len(), 1, "{:#?}", i.outside);
    let o = &i.outside[0];
    assert_eq!(
        (
            o.resource.as_str(),
            o.kind.as_str(),
            o.who.as_str(),
            o.change,
            o.after
        ),
        (
            deployer,
            "account",
            "123456789012",
            "gained",
            Some("allowed")
        )
    );
    let org = orgscope::org::load_builtin_acme();
    let file = ScenarioFile::load(
        &Path::new("tests/fixtures/scenarios").join("open-webdeployer-trust-to-account.json"),
    )
    .unwrap();
    let after = file.apply(&org).unwrap();
    let outside: Vec<_> = orgscope::findings::findings(&after, &Default::default())
        .into_iter()
        .filter(|f| f.rule == "external.outside-org" && f.node == deployer)
        .collect();
    assert_eq!(outside.len(), 1, "{outside:#?}");
    assert!(
        outside[0].message.contains("account 123456789012"),
        "{outside:#?}"
    );
}

/// A request names one object (IAM User Guide, "IAM JSON policy elements: Resource"):
/// a bucket policy that lets everyone read one prefix, `reports/*`, opens those
/// objects to the world. Asked only as `acme-data-dev-lake/*`, no question matched the
/// new statement and the diff said nobody gained. The prefix is now asked as objects
/// of its own; the RCP on the root denies requests without TLS (`DenyPlainHttp`), so
/// the gain is conditional on `aws:SecureTransport`.
#[test]
fn a_bucket_policy_opening_one_prefix_shows_everyone_gaining_it() {
    let i = run("public-lake-reports.json", &["s3:GetObject"]);
    let reports = "arn:aws:s3:::acme-data-dev-lake/reports/*";
    let everyone: Vec<_> = i
        .outside
        .iter()
        .filter(|o| o.kind == "everyone" && o.resource == reports)
        .collect();
    assert_eq!(everyone.len(), 1, "{:#?}", i.outside);
    assert_eq!(
        (everyone[0].change, everyone[0].after),
        ("gained", Some("conditional"))
    );
    // The rest of the bucket stays shut to the world.
    assert!(
        !i.outside
            .iter()
            .any(|o| o.kind == "everyone" && o.resource == "arn:aws:s3:::acme-data-dev-lake/*"),
        "{:#?}",
        i.outside
    );
}

/// A changed policy about a part of a bucket that no policy of the org names: an
/// Allow for `incoming/*` in DataScientist's new inline policy, and an SCP Deny on
/// `scratch/secret/*` where DataScientist may write all of `scratch/*`. Asked only as
/// `acme-data-dev-lake/*` and the parts the org's own policies name, neither request
/// matched the changed statement and the diff said nobody changed. A statement's
/// Resource is matched against the request's resource (IAM User Guide, "IAM JSON
/// policy elements: Resource"), so a write to `incoming/x` is newly allowed (same
/// account, no bucket policy needed) and a write to `scratch/secret/x` newly denied
/// (an SCP Deny denies whatever the identity policies allow). Both conditional: the
/// region deny-list SCP and the TLS RCP read keys the diff does not give.
#[test]
fn a_changed_policy_naming_a_new_part_of_a_bucket_shows_that_part() {
    let ds = "arn:aws:iam::888888888888:role/DataScientist";
    let i = run("datascientist-puts-incoming.json", &["s3:PutObject"]);
    let want: BTreeSet<Line> = [line(
        "data-dev",
        ds,
        "gained",
        "s3:PutObject",
        "arn:aws:s3:::acme-data-dev-lake/incoming/*",
    )]
    .into_iter()
    .collect();
    assert_eq!(lines(&i), want);
    let i = run("deny-lake-scratch-secret.json", &["s3:PutObject"]);
    let want: BTreeSet<Line> = [line(
        "data-dev",
        ds,
        "lost",
        "s3:PutObject",
        "arn:aws:s3:::acme-data-dev-lake/scratch/secret/*",
    )]
    .into_iter()
    .collect();
    assert_eq!(lines(&i), want);
    for p in i.accounts.iter().flat_map(|a| &a.principals) {
        for l in p.lost.iter().chain(&p.gained) {
            assert_eq!(l.standing, Standing::Conditional, "{l:?}");
        }
    }
}
