//! The model of the teaching organization: tree, levels, principals, indexes, graph,
//! and decisions the engine makes from it.

use orgscope::engine::{self, Decision, PolicySet};
use orgscope::org::{
    self, AttachKind, Edge, Entity, NameLookup, Org, PolicyOrigin, PrincipalIx, ResourceKind,
};
use orgscope::policy::{Context, Request};

fn acme() -> Org {
    org::load_builtin_acme()
}

fn account(org: &Org, name: &str) -> org::AccountIx {
    match org.by_name(name) {
        NameLookup::Unique(Entity::Account(a)) => a,
        other => panic!("{name}: {other:?}"),
    }
}

fn names(org: &Org, level: &[org::PolicyIx]) -> Vec<String> {
    level
        .iter()
        .map(|&p| org.policy_name(p).to_string())
        .collect()
}

fn principal(org: &Org, arn: &str) -> PrincipalIx {
    org.principal_by_arn(arn)
        .unwrap_or_else(|| panic!("no principal {arn}"))
}

/// Every policy that applies to `arn` calling `action` on `resource`, built from the
/// model without parsing anything again.
fn decide(org: &Org, caller: &str, action: &str, resource: &str, ctx: &[(&str, &str)]) -> Decision {
    let p = principal(org, caller);
    let acct = org.principal_account(p);
    let res = org.resource_by_arn(resource);
    let res_acct = res.map(|r| org.resource(r).account).or_else(|| {
        resource
            .split(':')
            .nth(4)
            .and_then(|a| org.account_by_id(a))
    });
    let policy = |ix| &**org.compiled(ix);
    let resource_policy = match res {
        Some(r) => org.resource(r).policy.map(policy),
        None => org.principal_by_arn(resource).and_then(|t| match t {
            PrincipalIx::Role(r) => org.role(r).trust.map(policy),
            PrincipalIx::User(_) => None,
        }),
    };
    let set = PolicySet {
        identity: org.identity_policies(p).map(policy).collect(),
        boundary: org.boundary(p).map(policy),
        session: None,
        scps: org
            .scp_levels(acct)
            .iter()
            .map(|l| l.iter().map(|&x| policy(x)).collect::<Vec<_>>())
            .collect::<Vec<_>>()
            .into(),
        rcps: res_acct
            .map(|a| {
                org.rcp_levels(a)
                    .iter()
                    .map(|l| l.iter().map(|&x| policy(x)).collect())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
            .into(),
        aws_managed_key: res.is_some_and(|r| org.resource(r).aws_managed),
        restrict_public_buckets: res.is_some_and(|r| org.restricts_public_buckets(r)),
        // BlockPublicAcls, the bucket's own or its account's (S3 User Guide, "Blocking
        // public access to your Amazon S3 storage").
        block_public_acls: res.is_some_and(|r| {
            let b = org.resource(r);
            [
                b.public_access_block,
                org.account(b.account).public_access_block,
            ]
            .iter()
            .flatten()
            .any(|s| s.block_public_acls)
        }),
        resource: resource_policy,
        endpoint: None,
    };
    let context = Context::from_pairs(ctx.iter().map(|(k, v)| (*k, vec![v.to_string()])));
    let account_id = res_acct.map(|a| org.account(a).id.to_string());
    let req =
        Request::new(caller, action, resource, account_id.as_deref(), context).expect("request");
    engine::evaluate(&req, &set)
}

#[test]
fn scp_levels_run_from_the_root_to_the_account() {
    let org = acme();
    let payments = account(&org, "payments-prod");
    let levels: Vec<Vec<String>> = org
        .scp_levels(payments)
        .iter()
        .map(|l| names(&org, l))
        .collect();
    assert_eq!(
        levels,
        [
            vec![
                "FullAWSAccess",
                "DenyLeaveOrganization",
                "ProtectSecurityBaseline"
            ],
            vec![
                "FullAWSAccess",
                "DenyOutsideApprovedRegions",
                "DenyRootUser"
            ],
            vec!["FullAWSAccess", "ProdGuardrails"],
            vec!["FullAWSAccess", "PaymentsEncryptionAtRest"],
            vec!["FullAWSAccess"],
        ]
    );
    let ancestors: Vec<&str> = org
        .ancestors(payments)
        .iter()
        .map(|&o| &*org.ou(o).name)
        .collect();
    assert_eq!(ancestors, ["Workloads", "Prod", "Payments"]);
    let rcps: Vec<Vec<String>> = org
        .rcp_levels(payments)
        .iter()
        .map(|l| names(&org, l))
        .collect();
    assert_eq!(rcps[3], ["RCPFullAWSAccess", "PaymentsDataPerimeter"]);
}

#[test]
fn the_management_account_is_not_governed_by_scps_or_rcps() {
    let org = acme();
    let mgmt = org.management_account().expect("management account");
    assert_eq!(&*org.account(mgmt).id, "111111111111");
    assert!(org.scp_levels(mgmt).is_empty());
    assert!(org.rcp_levels(mgmt).is_empty());
}

#[test]
fn the_sandbox_uses_an_allow_list_at_every_level() {
    let org = acme();
    let bob = account(&org, "sandbox-bob");
    let levels: Vec<Vec<String>> = org.scp_levels(bob).iter().map(|l| names(&org, l)).collect();
    assert_eq!(levels[1], ["SandboxAllowList"]);
    assert_eq!(levels[2], ["FullAWSAccess"]);
}

#[test]
fn identity_policies_include_the_groups_policies() {
    let org = acme();
    let heidi = principal(&org, "arn:aws:iam::777777777777:user/heidi");
    let mut got: Vec<&str> = org
        .identity_policies(heidi)
        .map(|p| org.policy_name(p))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            "AdministratorAccess",
            "ManageOwnCredentials",
            "PowerUserAccess"
        ]
    );
    let PrincipalIx::User(u) = heidi else {
        panic!()
    };
    assert_eq!(org.user(u).groups.len(), 2);
    assert!(org.user(u).credentials.mfa);
}

#[test]
fn roles_have_trust_boundary_and_service_linked_flags() {
    let org = acme();
    let deployer = principal(&org, "arn:aws:iam::555555555555:role/PaymentsDeployer");
    assert_eq!(
        org.boundary(deployer).map(|p| org.policy_name(p)),
        Some("DeployerBoundary")
    );
    let PrincipalIx::Role(r) = deployer else {
        panic!()
    };
    let trust = org.role(r).trust.expect("trust policy");
    assert_eq!(org.policy(trust).origin, PolicyOrigin::Trust(r));
    let slr = principal(
        &org,
        "arn:aws:iam::666666666666:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing",
    );
    let PrincipalIx::Role(slr) = slr else {
        panic!()
    };
    assert!(org.role(slr).is_service_linked());
    assert!(!org.role(r).is_service_linked());
}

#[test]
fn lookups_by_arn_session_and_name() {
    let org = acme();
    let role = principal(&org, "arn:aws:iam::222222222222:role/SecurityAuditor");
    assert_eq!(
        org.principal_by_arn("arn:aws:sts::222222222222:assumed-role/SecurityAuditor/dana"),
        Some(role)
    );
    assert_eq!(
        org.by_name("carol"),
        NameLookup::Unique(Entity::User(
            match principal(&org, "arn:aws:iam::111111111111:user/carol") {
                PrincipalIx::User(u) => u,
                PrincipalIx::Role(_) => unreachable!(),
            }
        ))
    );
    // A role in three accounts and an AWS managed policy share the name.
    assert!(matches!(org.by_name("SecurityAudit"), NameLookup::Ambiguous(v) if v.len() == 4));
    assert_eq!(org.by_name("nobody"), NameLookup::NotFound);
    assert!(matches!(
        org.by_name("Payments"),
        NameLookup::Unique(Entity::Ou(_))
    ));
    assert!(matches!(
        org.by_name("555555555555"),
        NameLookup::Unique(Entity::Account(_))
    ));
    let bucket = org
        .resource_by_arn("arn:aws:s3:::acme-public-website")
        .expect("bucket");
    assert_eq!(org.resource(bucket).kind, ResourceKind::S3Bucket);
    assert_eq!(org.resource(bucket).name(), "acme-public-website");
    assert!(matches!(
        org.by_arn("arn:aws:iam::aws:policy/AdministratorAccess"),
        Some(Entity::Policy(_))
    ));
}

#[test]
fn attachments_answer_where_a_policy_is_used() {
    let org = acme();
    let Some(Entity::Policy(admin)) = org.by_arn("arn:aws:iam::aws:policy/AdministratorAccess")
    else {
        panic!()
    };
    let holders: Vec<&str> = org
        .attachments(admin)
        .iter()
        .map(|a| org.name(a.target))
        .collect();
    for who in [
        "OrgAdmins",
        "Admins",
        "OrgSecurityAdmin",
        "PaymentsDeployer",
        "alice",
        "bob",
        "mallory",
    ] {
        assert!(holders.contains(&who), "{who} not in {holders:?}");
    }
    let Some(Entity::Policy(boundary)) =
        org.by_arn("arn:aws:iam::555555555555:policy/DeployerBoundary")
    else {
        panic!()
    };
    let uses = org.attachments(boundary);
    assert_eq!(uses.len(), 1);
    assert_eq!(uses[0].how, AttachKind::Boundary);
    let full = match org.by_name("FullAWSAccess") {
        NameLookup::Unique(Entity::Policy(p)) => p,
        other => panic!("{other:?}"),
    };
    assert!(
        org.attachments(full)
            .iter()
            .any(|a| a.target == Entity::Root && a.how == AttachKind::Scp)
    );
}

#[test]
fn the_graph_links_containment_membership_and_attachments() {
    let org = acme();
    let g = org.graph();
    let s = org.stats();
    assert_eq!(
        g.node_count(),
        1 + s.ous + s.accounts + s.users + s.groups + s.roles + s.policies + s.resources
    );
    let NameLookup::Unique(Entity::Group(admins)) = org.by_name("OrgAdmins") else {
        panic!()
    };
    let members: Vec<&str> = g
        .incoming(Entity::Group(admins))
        .filter(|(_, e)| *e == Edge::MemberOf)
        .map(|(e, _)| org.name(e))
        .collect();
    assert_eq!(members, ["carol"]);
    let payments = account(&org, "payments-prod");
    let parent: Vec<Entity> = g
        .incoming(Entity::Account(payments))
        .filter(|(_, e)| *e == Edge::Contains)
        .map(|(e, _)| e)
        .collect();
    assert!(matches!(parent[..], [Entity::Ou(o)] if &*org.ou(o).name == "Payments"));
    // Identical trust policies (the three SecurityAudit roles) share one document.
    let trusts: Vec<_> = ["333333333333", "555555555555", "666666666666"]
        .iter()
        .map(|a| {
            let PrincipalIx::Role(r) =
                principal(&org, &format!("arn:aws:iam::{a}:role/SecurityAudit"))
            else {
                panic!()
            };
            org.policy(org.role(r).trust.unwrap()).doc
        })
        .collect();
    assert!(trusts.windows(2).all(|w| w[0] == w[1]));
}

#[test]
fn the_engine_decides_from_the_model() {
    let org = acme();
    let eu = [("aws:RequestedRegion", "eu-west-1")];
    // The over-broad policy lets the legacy CI user create users.
    assert_eq!(
        decide(
            &org,
            "arn:aws:iam::666666666666:user/ci-legacy",
            "iam:CreateUser",
            "arn:aws:iam::666666666666:user/x",
            &eu
        ),
        Decision::Allowed
    );
    // ... but not outside the approved regions (deny-list SCP on Workloads).
    assert_eq!(
        decide(
            &org,
            "arn:aws:iam::666666666666:user/ci-legacy",
            "s3:GetObject",
            "arn:aws:s3:::acme-public-website/index.html",
            &[("aws:RequestedRegion", "us-east-1")]
        ),
        Decision::ExplicitlyDenied
    );
    // Alice is an administrator in her sandbox, but the allow-list leaves out IAM writes.
    assert_eq!(
        decide(
            &org,
            "arn:aws:iam::999999999999:user/alice",
            "iam:CreateUser",
            "arn:aws:iam::999999999999:user/x",
            &[]
        ),
        Decision::ImplicitlyDenied
    );
    assert_eq!(
        decide(
            &org,
            "arn:aws:iam::999999999999:user/alice",
            "ec2:RunInstances",
            "*",
            &[]
        ),
        Decision::Allowed
    );
    // The boundary holds the deployer to its deployment duties.
    assert_eq!(
        decide(
            &org,
            "arn:aws:iam::555555555555:role/PaymentsDeployer",
            "lambda:UpdateFunctionCode",
            "*",
            &eu
        ),
        Decision::Allowed
    );
    assert_eq!(
        decide(
            &org,
            "arn:aws:iam::555555555555:role/PaymentsDeployer",
            "iam:CreateUser",
            "*",
            &eu
        ),
        Decision::ImplicitlyDenied
    );
    // The management account is not governed by SCPs; mallory's suspended account is.
    assert_eq!(
        decide(
            &org,
            "arn:aws:iam::111111111111:user/carol",
            "organizations:LeaveOrganization",
            "*",
            &[]
        ),
        Decision::Allowed
    );
    assert_eq!(
        decide(
            &org,
            "arn:aws:iam::121212121212:user/mallory",
            "s3:ListAllMyBuckets",
            "*",
            &eu
        ),
        Decision::ExplicitlyDenied
    );
    // The SLR is exempt from the region deny.
    assert_eq!(
        decide(
            &org,
            "arn:aws:iam::666666666666:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing",
            "ec2:DescribeInstances",
            "*",
            &[("aws:RequestedRegion", "us-east-1")]
        ),
        Decision::Allowed
    );
}
