//! Parsing and evaluating arbitrary input never panics: it is either a policy or an
//! error. The generators lean on the policy vocabulary so that the parser is driven
//! deep into statements and conditions, not stopped at the first unknown key.

use orgscope::engine::{self, PolicySet};
use orgscope::policy::{Context, Policy, PolicyKind, Request};
use proptest::prelude::*;
use serde_json::{Map, Value};

const KEYS: &[&str] = &[
    "Version",
    "Id",
    "Statement",
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
    "AWS",
    "Service",
    "Federated",
    "CanonicalUser",
    "StringEquals",
    "StringLike",
    "ForAnyValue:StringLike",
    "ForAllValues:StringEquals",
    "NumericLessThanIfExists",
    "DateGreaterThan",
    "Bool",
    "IpAddress",
    "NotIpAddress",
    "ArnLike",
    "Null",
    "BinaryEquals",
    "aws:username",
    "aws:SourceIp",
    "aws:PrincipalTag/team",
    "aws:TagKeys",
];

const STRINGS: &[&str] = &[
    "2012-10-17",
    "2008-10-17",
    "Allow",
    "Deny",
    "*",
    "s3:*",
    "s3:Get?bject",
    "iam:*User*",
    "arn:aws:s3:::b/${aws:username}/*",
    "arn:aws:iam::111122223333:root",
    "111122223333",
    "arn:aws:iam::111122223333:user/alice",
    "${aws:PrincipalTag/team, 'x'}",
    "${*}${?}${$}",
    "${",
    "10.0.0.0/8",
    "2001:db8::/32",
    "2024-01-01T00:00:00Z",
    "true",
    "-1.5",
    "dGVzdA==",
    "",
    "arn:aws:kms:*:*:key/*",
    "arn:*:*:*:*:*",
    "::::",
    "\u{1b}[2J",
];

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop::sample::select(STRINGS).prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..6).prop_map(|kv| {
                Value::Object(
                    kv.into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect::<Map<_, _>>(),
                )
            }),
        ]
    })
}

const OPERATORS: &[&str] = &[
    "StringEquals",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLikeIfExists",
    "ForAnyValue:StringLike",
    "ForAllValues:StringEquals",
    "NumericLessThan",
    "NumericNotEqualsIfExists",
    "DateGreaterThan",
    "DateEquals",
    "Bool",
    "BoolIfExists",
    "IpAddress",
    "NotIpAddress",
    "ArnLike",
    "ArnNotEquals",
    "Null",
    "BinaryEquals",
];

/// Well-formed statements with arbitrary values, so that evaluation is reached.
fn statement() -> impl Strategy<Value = Value> {
    let s = || prop::sample::select(STRINGS).prop_map(Value::from);
    let cond = (
        prop::sample::select(OPERATORS),
        prop::sample::select(KEYS),
        json(),
    )
        .prop_map(|(op, key, v)| serde_json::json!({op: {key: v}}));
    (
        prop::sample::select(&["Allow", "Deny"][..]),
        prop::sample::select(&["Action", "NotAction"][..]),
        prop::collection::vec(s(), 1..3),
        prop::sample::select(&["Resource", "NotResource"][..]),
        prop::collection::vec(s(), 1..3),
        prop::option::of(prop_oneof![
            Just(Value::from("*")),
            s().prop_map(|v| serde_json::json!({"AWS": v}))
        ]),
        prop::option::of(cond),
    )
        .prop_map(
            |(effect, ak, actions, rk, resources, principal, condition)| {
                let mut m = Map::new();
                m.insert("Effect".into(), effect.into());
                m.insert(ak.into(), Value::Array(actions));
                m.insert(rk.into(), Value::Array(resources));
                if let Some(p) = principal {
                    m.insert("Principal".into(), p);
                }
                if let Some(c) = condition {
                    m.insert("Condition".into(), c);
                }
                Value::Object(m)
            },
        )
}

const KINDS: [PolicyKind; 8] = [
    PolicyKind::Identity,
    PolicyKind::Boundary,
    PolicyKind::Session,
    PolicyKind::Scp,
    PolicyKind::Rcp,
    PolicyKind::Resource,
    PolicyKind::Endpoint,
    PolicyKind::Any,
];

fn requests() -> Vec<Request> {
    let ctx = || {
        Context::from_pairs([
            ("aws:SourceIp", vec!["10.1.2.3".to_string()]),
            ("aws:TagKeys", vec!["a".to_string(), "b".to_string()]),
            ("aws:PrincipalTag/team", vec!["red".to_string()]),
        ])
    };
    [
        (
            "arn:aws:iam::111122223333:user/alice",
            "s3:GetObject",
            "arn:aws:s3:::b/alice/k",
        ),
        (
            "arn:aws:sts::444455556666:assumed-role/r/s",
            "kms:Decrypt",
            "arn:aws:kms:eu-west-1:111122223333:key/k",
        ),
        ("anonymous", "s3:GetObject", "*"),
        (
            "arn:aws:iam::111122223333:root",
            "sts:AssumeRole",
            "arn:aws:iam::111122223333:role/r",
        ),
    ]
    .into_iter()
    .map(|(p, a, r)| Request::new(p, a, r, None, ctx()).unwrap())
    .collect()
}

fn evaluate_everywhere(policy: &Policy, requests: &[Request]) {
    for r in requests {
        let sets = [
            PolicySet {
                identity: vec![policy],
                ..Default::default()
            },
            PolicySet {
                scps: vec![vec![policy]].into(),
                rcps: vec![vec![policy]].into(),
                ..Default::default()
            },
            PolicySet {
                resource: Some(policy),
                boundary: Some(policy),
                session: Some(policy),
                endpoint: Some(policy),
                ..Default::default()
            },
        ];
        for set in &sets {
            let x = engine::explain(r, set);
            assert_eq!(engine::decide(r, set), (x.decision, x.blocked_by));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_json_values(doc in json()) {
        let reqs = requests();
        for kind in KINDS {
            if let Ok(p) = Policy::from_value(kind, "p", &doc) {
                evaluate_everywhere(&p, &reqs);
            }
            let text = doc.to_string();
            if let Ok(p) = Policy::parse(kind, "p", &text) {
                evaluate_everywhere(&p, &reqs);
            }
        }
    }

    #[test]
    fn arbitrary_statements(statements in prop::collection::vec(json(), 1..4), version in prop::sample::select(&["2012-10-17", "2008-10-17"][..])) {
        let doc = serde_json::json!({"Version": version, "Statement": statements});
        let reqs = requests();
        for kind in KINDS {
            if let Ok(p) = Policy::from_value(kind, "p", &doc) {
                evaluate_everywhere(&p, &reqs);
            }
        }
    }

    #[test]
    fn well_formed_statements(statements in prop::collection::vec(statement(), 1..4), version in prop::sample::select(&["2012-10-17", "2008-10-17"][..])) {
        let doc = serde_json::json!({"Version": version, "Statement": statements});
        let reqs = requests();
        for kind in KINDS {
            if let Ok(p) = Policy::from_value(kind, "p", &doc) {
                evaluate_everywhere(&p, &reqs);
            }
        }
    }

    #[test]
    fn arbitrary_text(text in ".{0,200}") {
        let _ = Policy::parse(PolicyKind::Identity, "p", &text);
        for jsonl in [false, true] {
            if let Ok(cases) = orgscope::simulate::read_cases(&text, jsonl) {
                for c in &cases {
                    let _ = orgscope::simulate::evaluate(c, true);
                }
            }
        }
    }

    #[test]
    fn arbitrary_simulate_cases(case in json()) {
        let text = case.to_string();
        if let Ok(cases) = orgscope::simulate::read_cases(&text, false) {
            for c in &cases {
                let _ = orgscope::simulate::evaluate(c, true);
            }
        }
    }

    #[test]
    fn arbitrary_requests(principal in prop::sample::select(STRINGS), action in ".{0,20}", resource in prop::sample::select(STRINGS)) {
        let _ = Request::new(principal, &action, resource, None, Context::default());
    }
}
