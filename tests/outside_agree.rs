//! `can` with a caller the organization does not hold agrees with who-can's list of
//! outsiders: for every principal outside the org that a resource's policy (a bucket,
//! key, queue or topic policy, a role's trust policy) names, the resource side who-can
//! reports is `can`'s decision for that caller, and the values who-can says let it in
//! make `can` allow. Both ask the engine through `analysis::outside`; this keeps the
//! two doors from drifting apart (a who-can listing "denied" where `can` allows would
//! hide an external grant).

use orgscope::analysis::{self, Ask};
use orgscope::engine::Decision;
use orgscope::org::{Org, ResourceKind};

fn load(path: &str) -> Org {
    orgscope::org::load(std::path::Path::new(path)).unwrap()
}

/// Questions on every resource and role of the org, with actions its policies grant
/// to outsiders in the sample orgs.
fn questions(org: &Org) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for r in org.resources() {
        let arn = r.arn.to_string();
        match r.kind {
            ResourceKind::S3Bucket => {
                for key in ["x", "drafts/a.csv", "logs/x", "AWSLogs/o-acme0example/x"] {
                    for action in ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] {
                        out.push((action.to_string(), format!("{arn}/{key}")));
                    }
                }
                for action in ["s3:ListBucket", "s3:GetBucketAcl"] {
                    out.push((action.to_string(), arn.clone()));
                }
            }
            ResourceKind::KmsKey => {
                for action in ["kms:Decrypt", "kms:GenerateDataKey", "kms:PutKeyPolicy"] {
                    out.push((action.to_string(), arn.clone()));
                }
            }
            ResourceKind::SqsQueue => {
                for action in ["sqs:SendMessage", "sqs:ReceiveMessage"] {
                    out.push((action.to_string(), arn.clone()));
                }
            }
            _ => {
                for action in [
                    "sns:Publish",
                    "sns:Subscribe",
                    "secretsmanager:GetSecretValue",
                    "lambda:InvokeFunction",
                ] {
                    out.push((action.to_string(), arn.clone()));
                }
            }
        }
    }
    for role in org.roles() {
        out.push(("sts:AssumeRole".to_string(), role.arn.to_string()));
    }
    out
}

/// The callers `can` is asked about for one of who-can's outsiders: an account named
/// stands for every principal of it, its root user and its IAM principals (one that no
/// policy names, as who-can asks).
fn callers(kind: &str, who: &str) -> Vec<String> {
    match kind {
        "everyone" => vec!["anonymous".to_string()],
        "account" => vec![
            format!("arn:aws:iam::{who}:root"),
            format!(
                "arn:aws:iam::{who}:role/{}",
                orgscope::analysis::outside::ANY_PRINCIPAL
            ),
        ],
        _ => vec![who.to_string()],
    }
}

fn check(org_path: &str) -> usize {
    let org = load(org_path);
    let mut checked = 0;
    let mut failures = Vec::new();
    let contexts: [&[(&str, &str)]; 2] = [&[], &[("aws:SecureTransport", "true")]];
    for (action, resource) in questions(&org) {
        for ctx in contexts {
            let ask = Ask {
                action: action.clone(),
                resource: resource.clone(),
                context: ctx
                    .iter()
                    .map(|(k, v)| (k.to_string(), vec![v.to_string()]))
                    .collect(),
                ..Ask::default()
            };
            let Ok(who) = analysis::who_can(&org, &ask) else {
                continue;
            };
            for o in &who.outside {
                let Some(side) = o.resource_side else {
                    continue;
                };
                let cs = callers(o.kind, &o.who);
                let c = cs.join(" or ");
                checked += 1;
                // who-can's answer is one of its callers', and Allowed when any is.
                let mut decisions = Vec::new();
                for caller in &cs {
                    match analysis::can(&org, caller, &ask) {
                        Err(e) => failures.push(format!("{caller} {action} {resource}: {e}")),
                        Ok(a) => decisions.push(a.decision),
                    }
                }
                let any_allowed = decisions.contains(&Decision::Allowed);
                if !decisions.contains(&side) || (any_allowed && side != Decision::Allowed) {
                    failures.push(format!(
                        "{c} {action} {resource} {ctx:?}: who-can says {side}, can says {decisions:?}"
                    ));
                }
                // A value too costly to work out (`None`) names no request to ask.
                if side != Decision::Allowed
                    && !o.when.is_empty()
                    && o.when.iter().all(|w| w.value.is_some())
                {
                    let mut with = ask.clone();
                    for w in &o.when {
                        let Some(value) = &w.value else { continue };
                        with.context
                            .retain(|(k, _)| !k.eq_ignore_ascii_case(&w.key));
                        with.context.push((w.key.clone(), vec![value.clone()]));
                    }
                    let allowed = cs.iter().any(|caller| {
                        analysis::can(&org, caller, &with).unwrap().decision == Decision::Allowed
                    });
                    if !allowed {
                        failures.push(format!(
                            "{c} {action} {resource}: who-can says allowed when {:?}, can does not",
                            o.when
                        ));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{org_path}:\n{}", failures.join("\n"));
    checked
}

#[test]
fn outside_callers_agree_on_the_partner_org() {
    // Every kind of outsider: an account, a role of another account, services.
    assert!(check("tests/fixtures/org/outside/partners.json") >= 10);
}

#[test]
fn outside_callers_agree_on_acme() {
    assert!(check("sample-orgs/acme.json") > 0);
}

#[test]
fn outside_callers_agree_on_the_real_shaped_export() {
    assert!(check("sample-orgs/cloudsplaining-export") > 0);
}

#[test]
fn who_can_evaluates_the_services_a_policy_names() {
    // IAM User Guide, "AWS JSON policy elements: Principal" (AWS service principals):
    // the topic policy admits events.amazonaws.com for rules of its own account.
    let org = load("tests/fixtures/org/outside/partners.json");
    let ask = Ask {
        action: "sns:Publish".into(),
        resource: "arn:aws:sns:eu-west-1:222222222222:alerts".into(),
        ..Ask::default()
    };
    let who = analysis::who_can(&org, &ask).unwrap();
    let events = who
        .outside
        .iter()
        .find(|o| o.who == "events.amazonaws.com")
        .expect("the service is listed");
    assert_eq!(events.kind, "service");
    assert_eq!(events.resource_side, Some(Decision::ImplicitlyDenied));
    assert!(
        events
            .when
            .iter()
            .any(|c| c.key.eq_ignore_ascii_case("aws:SourceArn")),
        "{:?}",
        events.when
    );
}
