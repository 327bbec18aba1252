//! The embedded catalog: counts as in the source, lookups, wildcard expansion, AWS
//! managed policies and the default organization policies.

use orgscope::catalog::{AccessLevel, Catalog};
use orgscope::policy::PolicyKind;

#[test]
fn counts_match_the_source() {
    let c = Catalog::get();
    // The source's own _counts: 456 services, 22,091 actions.
    assert_eq!(c.service_count(), 456);
    assert_eq!(c.action_count(), 22_091);
    assert_eq!(c.actions().count(), 22_091);
    assert_eq!(c.services().count(), 456);
    let per_service: usize = c.services().map(|s| c.service(s).unwrap().len()).sum();
    assert_eq!(per_service, 22_091);
    assert_eq!(c.managed_policies().count(), 1_594);
    assert_eq!(c.managed_policy_count(), 1_594);
}

#[test]
fn access_levels_of_known_actions() {
    let c = Catalog::get();
    let level = |a: &str| c.action(a).unwrap_or_else(|| panic!("{a} missing")).level;
    assert_eq!(level("s3:GetObject"), AccessLevel::Read);
    assert_eq!(
        level("iam:PutRolePolicy"),
        AccessLevel::PermissionsManagement
    );
    assert_eq!(level("s3:ListAllMyBuckets"), AccessLevel::List);
    assert_eq!(level("ec2:CreateTags"), AccessLevel::Tagging);
    assert_eq!(level("s3:PutObject"), AccessLevel::Write);
    assert_eq!(level("iam:TagRole"), AccessLevel::Tagging);
    // Every level occurs.
    for l in AccessLevel::ALL {
        assert!(c.actions().any(|a| a.level == l), "no action at {l}");
    }
}

#[test]
fn lookups_are_case_insensitive() {
    let c = Catalog::get();
    let a = c.action("s3:getobject").unwrap();
    assert_eq!(a.service, "s3");
    assert_eq!(a.name, "GetObject");
    assert_eq!(a.full_name(), "s3:GetObject");
    assert_eq!(a.to_string(), "s3:GetObject");
    assert_eq!(c.action("S3:GETOBJECT"), Some(a));
    assert_eq!(c.action("s3:GetObject"), Some(a));
    assert!(c.action("s3:GetObjects").is_none());
    assert!(c.action("s3").is_none());
    assert!(c.action("").is_none());
    assert!(c.action(&"x".repeat(300)).is_none());
    assert_eq!(
        c.service("S3").unwrap().len(),
        c.service("s3").unwrap().len()
    );
    assert!(c.service("nosuchservice").is_none());
}

#[test]
fn resource_types_and_condition_keys() {
    let c = Catalog::get();
    let put = c.action("iam:PutRolePolicy").unwrap();
    assert_eq!(put.resource_types.len(), 1);
    assert_eq!(put.resource_types[0].name, "role");
    assert!(put.resource_types[0].required);
    assert!(
        put.condition_keys
            .iter()
            .any(|k| k == "iam:PermissionsBoundary")
    );

    let get = c.action("s3:GetObject").unwrap();
    let names: Vec<&str> = get.resource_types.iter().map(|r| r.name.as_str()).collect();
    assert!(names.contains(&"object"), "{names:?}");
    assert!(get.condition_keys.iter().any(|k| k == "s3:TlsVersion"));
    // An action with no resource types works only with "Resource": "*".
    assert!(
        c.action("s3:ListAllMyBuckets")
            .unwrap()
            .resource_types
            .is_empty()
    );

    // Resource-specific condition keys stay with their resource type.
    let acme = c.action("acm:CreateAcmeDomainValidation").unwrap();
    assert_eq!(acme.resource_types[0].name, "acme-endpoint");
    assert!(acme.resource_types[0].required);
    assert_eq!(
        acme.resource_types[0].condition_keys,
        ["aws:ResourceTag/${TagKey}"]
    );
    assert_eq!(
        acme.all_condition_keys(),
        [
            "aws:RequestTag/${TagKey}",
            "aws:ResourceTag/${TagKey}",
            "aws:TagKeys"
        ]
    );

    // No duplicates (the source lists some keys twice; the script drops repeats).
    for a in c.actions() {
        let mut keys = a.condition_keys.clone();
        keys.dedup();
        assert_eq!(keys, a.condition_keys, "{a}");
    }

    // Every resource type an action names is defined by its service.
    for s in c.services() {
        let info = c.service_info(s).unwrap();
        for a in c.service(s).unwrap() {
            for rt in &a.resource_types {
                assert!(
                    info.resources.iter().any(|r| r.name == rt.name),
                    "{a}: resource type {} not defined by {s}",
                    rt.name
                );
            }
        }
    }

    let s3 = c.service_info("s3").unwrap();
    assert_eq!(s3.name, "Amazon S3");
    let object = s3.resources.iter().find(|r| r.name == "object").unwrap();
    assert!(
        object.arn.starts_with("arn:${Partition}:s3:::"),
        "{}",
        object.arn
    );
    assert!(s3.condition_keys.iter().any(|k| k.name == "s3:TlsVersion"));
}

#[test]
fn order_is_stable_and_sorted() {
    let c = Catalog::get();
    let services: Vec<&str> = c.services().collect();
    assert!(services.windows(2).all(|w| w[0] < w[1]));
    let all: Vec<(&str, &str)> = c.actions().map(|a| (a.service, a.name.as_str())).collect();
    assert!(all.windows(2).all(|w| w[0] < w[1]));
    // The service slices are the same actions, in the same order.
    let again: Vec<(&str, &str)> = services
        .iter()
        .flat_map(|s| {
            c.service(s)
                .unwrap()
                .iter()
                .map(|a| (a.service, a.name.as_str()))
        })
        .collect();
    assert_eq!(all, again);
}

#[test]
fn expand_wildcards() {
    let c = Catalog::get();
    // The same set by another route: the service's actions whose name starts "Get".
    let by_hand = c
        .service("s3")
        .unwrap()
        .iter()
        .filter(|a| a.name.starts_with("Get"))
        .count();
    assert!(by_hand > 50, "{by_hand}");
    assert_eq!(c.expand("s3:Get*").len(), by_hand);
    assert_eq!(c.expand("S3:get*").len(), by_hand);
    let names =
        |v: Vec<&orgscope::catalog::Action>| v.iter().map(|a| a.full_name()).collect::<Vec<_>>();
    let s3_like = c
        .actions()
        .filter(|a| a.service.starts_with("s3") && a.name.starts_with("Get"))
        .count();
    assert!(s3_like > by_hand);
    assert_eq!(c.expand("s3*:Get*").len(), s3_like);

    assert_eq!(c.expand("*").len(), c.action_count());
    assert_eq!(c.expand("*:*").len(), c.action_count());
    assert_eq!(c.expand("s3:*").len(), c.service("s3").unwrap().len());

    let one = c.expand("ec2:Describe?nstances");
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].name, "DescribeInstances");
    assert_eq!(names(c.expand("ec2:describeinstances")), names(one));

    // Without a colon the pattern spans the whole name.
    let whole = c.expand("s3?GetObject");
    assert_eq!(whole.len(), 1);
    assert_eq!(whole[0].full_name(), "s3:GetObject");
    let by_hand_iam = c
        .actions()
        .filter(|a| a.service.starts_with("iam") && a.name.starts_with("Put"))
        .count();
    assert_eq!(c.expand("iam*Put*").len(), by_hand_iam);

    assert!(c.expand("s3:NoSuchThing*").is_empty());
    assert!(c.expand("nosuchservice:*").is_empty());
    assert!(c.expand("s3:GetObject:x").is_empty());
    assert!(c.expand("").is_empty());

    // Expansion follows the catalog's order.
    let get = c.expand("*:Get*");
    assert!(
        get.windows(2)
            .all(|w| (w[0].service, &w[0].name) < (w[1].service, &w[1].name))
    );
}

#[test]
fn access_level_names() {
    for l in AccessLevel::ALL {
        assert_eq!(l.to_string().parse::<AccessLevel>(), Ok(l));
    }
    assert_eq!(
        AccessLevel::PermissionsManagement.to_string(),
        "Permissions management"
    );
    for s in [
        "permissions-management",
        "Permissions management",
        "permissions",
        "PERMISSIONS_MANAGEMENT",
    ] {
        assert_eq!(s.parse(), Ok(AccessLevel::PermissionsManagement), "{s}");
    }
    assert_eq!("LIST".parse(), Ok(AccessLevel::List));
    assert_eq!("tagging".parse(), Ok(AccessLevel::Tagging));
    let err = "admin".parse::<AccessLevel>().unwrap_err();
    assert!(
        err.to_string().contains("unknown access level `admin`"),
        "{err}"
    );
}

#[test]
fn managed_policies_by_arn_and_name() {
    let c = Catalog::get();
    let ro = c
        .managed_policy("arn:aws:iam::aws:policy/ReadOnlyAccess")
        .unwrap();
    assert_eq!(ro.name, "ReadOnlyAccess");
    assert_eq!(ro.path, "/");
    assert!(ro.version.starts_with('v'));
    assert_eq!(ro.document["Version"], "2012-10-17");
    assert_eq!(c.managed_policy("ReadOnlyAccess"), Some(ro));
    assert_eq!(c.managed_policy("readonlyaccess"), Some(ro));

    let admin = c.managed_policy("AdministratorAccess").unwrap();
    assert_eq!(admin.arn, "arn:aws:iam::aws:policy/AdministratorAccess");

    // Paths: service-role/, aws-service-role/, job-function/.
    let config = c
        .managed_policy("arn:aws:iam::aws:policy/service-role/AWS_ConfigRole")
        .unwrap();
    assert_eq!(config.path, "/service-role/");
    assert_eq!(c.managed_policy("AWS_ConfigRole"), Some(config));
    assert_eq!(
        c.managed_policy("service-role/AWS_ConfigRole"),
        Some(config)
    );
    assert_eq!(
        c.managed_policy("/service-role/AWS_ConfigRole"),
        Some(config)
    );
    // The path is part of the ARN: the wrong one does not resolve.
    assert!(
        c.managed_policy("arn:aws:iam::aws:policy/AWS_ConfigRole")
            .is_none()
    );
    let lambda = c
        .managed_policy("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
        .unwrap();
    assert_eq!(lambda.name, "AWSLambdaBasicExecutionRole");
    let job = c
        .managed_policy("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess")
        .unwrap();
    assert_eq!(job.path, "/job-function/");
    // Other partitions name the same policies.
    assert_eq!(
        c.managed_policy("arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess"),
        Some(ro)
    );

    assert!(c.managed_policy("NoSuchPolicy").is_none());
    assert!(
        c.managed_policy("arn:aws:iam::123456789012:policy/ReadOnlyAccess")
            .is_none()
    );
    assert!(c.managed_policy("arn:").is_none());

    // Every policy resolves by its own ARN and by its name; ARNs are path + name.
    for p in c.managed_policies() {
        assert_eq!(c.managed_policy(&p.arn), Some(p));
        assert_eq!(c.managed_policy(&p.name), Some(p));
        assert_eq!(
            p.arn,
            format!("arn:aws:iam::aws:policy{}{}", p.path, p.name)
        );
        assert!(p.document.get("Statement").is_some(), "{}", p.name);
    }
}

#[test]
fn org_policies() {
    let c = Catalog::get();
    let full = c.org_policy("FullAWSAccess").unwrap();
    assert_eq!(
        full,
        &serde_json::json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
    );
    assert_eq!(c.org_policy("p-FullAWSAccess"), Some(full));
    assert_eq!(
        c.org_policy("arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess"),
        Some(full)
    );
    let rcp = c.org_policy("RCPFullAWSAccess").unwrap();
    assert_eq!(rcp["Statement"][0]["Principal"], "*");
    assert_eq!(c.org_policy("p-RCPFullAWSAccess"), Some(rcp));

    let info = c.org_policy_info("FullAWSAccess").unwrap();
    assert_eq!(info.kind, PolicyKind::Scp);
    assert_eq!(info.id.as_deref(), Some("p-FullAWSAccess"));
    assert_eq!(
        c.org_policy_info("RCPFullAWSAccess").unwrap().kind,
        PolicyKind::Rcp
    );
    assert_eq!(c.org_policies().count(), 2);
    assert!(c.org_policy("NoSuchPolicy").is_none());

    // Both parse as what they are.
    for p in c.org_policies() {
        orgscope::policy::Policy::from_value(p.kind, &p.name, &p.content).unwrap();
    }
}
