//! `orgscope simulate` as scripts use it: the real binary, its input shapes, its
//! output lines, its errors and exit status (the contract: docs in README,
//! "The simulate format").

use std::process::Command;

use serde_json::Value;

#[path = "common/simulate.rs"]
mod run;
use run::{lines, simulate};

const ALLOW_S3: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"S3","Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;

fn case(id: &str, action: &str) -> String {
    format!(
        r#"{{"id":"{id}","request":{{"principal":"arn:aws:iam::111122223333:user/alice","action":"{action}","resource":"arn:aws:s3:::b/k"}},"identityPolicies":[{ALLOW_S3}]}}"#
    )
}

#[test]
fn one_case_gives_one_line() {
    let out = simulate(&["-"], &case("a", "s3:GetObject"));
    assert!(out.status.success());
    assert_eq!(
        lines(&out),
        vec![serde_json::json!({"id": "a", "decision": "Allowed", "notes": []})]
    );
}

#[test]
fn an_array_keeps_input_order_and_default_ids() {
    let input = format!(
        "[{}, {}]",
        case("x", "ec2:RunInstances"),
        r#"{"request":{"principal":"arn:aws:iam::111122223333:user/alice","action":"s3:GetObject","resource":"*"}}"#
    );
    let got = lines(&simulate(&["-"], &input));
    assert_eq!(got[0]["id"], "x");
    assert_eq!(got[0]["decision"], "ImplicitlyDenied");
    assert_eq!(
        got[0]["blockedBy"],
        serde_json::json!({"layer": "identity"})
    );
    assert_eq!(got[1]["id"], "1", "a case without id is named by its index");
}

#[test]
fn defaults_merge_shallow_and_request_one_level_deeper() {
    let input = format!(
        r#"{{"defaults": {{"request": {{"principal":"arn:aws:iam::111122223333:user/alice","resource":"arn:aws:s3:::b/k"}},
              "identityPolicies": [{ALLOW_S3}],
              "scps": [[{{"name":"DenyGet","policy":{{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}}]}}}}]]}},
            "cases": [
              {{"id":"get","request":{{"action":"s3:GetObject"}}}},
              {{"id":"put","request":{{"action":"s3:PutObject"}}}},
              {{"id":"ungoverned","request":{{"action":"s3:GetObject"}},"scps":null}},
              {{"id":"other-resource","request":{{"action":"s3:GetObject","resource":"arn:aws:ec2:eu-west-1:111122223333:instance/i-1"}},"identityPolicies":[]}}
            ]}}"#
    );
    let got = lines(&simulate(&["-"], &input));
    let decisions: Vec<_> = got
        .iter()
        .map(|l| (l["id"].as_str().unwrap(), l["decision"].as_str().unwrap()))
        .collect();
    assert_eq!(
        decisions,
        [
            ("get", "ExplicitlyDenied"),
            // The SCP level holds only a Deny: nothing allows s3:PutObject there.
            ("put", "ImplicitlyDenied"),
            ("ungoverned", "Allowed"),
            ("other-resource", "ExplicitlyDenied"),
        ]
    );
    assert_eq!(
        got[0]["blockedBy"],
        serde_json::json!({"layer": "scp", "level": 0})
    );
}

#[test]
fn jsonl_skips_blank_lines_and_a_bad_line_does_not_stop_the_rest() {
    let input = format!(
        "{}\n\n{{\"id\": oops}}\n{}\n",
        case("1", "s3:GetObject"),
        case("3", "iam:CreateUser")
    );
    let out = simulate(&["--jsonl", "-"], &input);
    assert_eq!(out.status.code(), Some(2), "some case failed");
    let got = lines(&out);
    assert_eq!(got.len(), 3);
    assert_eq!(got[0]["decision"], "Allowed");
    let err = got[1]["error"].as_str().unwrap();
    assert!(err.starts_with("line 3 column"), "{err}");
    assert_eq!(got[2]["decision"], "ImplicitlyDenied");
}

#[test]
fn a_bad_policy_is_an_error_line_with_its_place_in_the_file() {
    let input = "[\n".to_string()
        + &case("good", "s3:GetObject")
        + ",\n{\"id\": \"bad\", \"request\": {\"principal\": \"arn:aws:iam::111122223333:user/alice\", \"action\": \"s3:GetObject\", \"resource\": \"*\"},\n"
        + " \"identityPolicies\": [{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\",\n"
        + "   \"Condition\": {\"StringEqualz\": {\"aws:username\": \"alice\"}}}]}]}\n]";
    let got = lines(&simulate(&["-"], &input));
    assert_eq!(got[0]["decision"], "Allowed");
    assert_eq!(got[1]["id"], "bad");
    let err = got[1]["error"].as_str().unwrap();
    assert!(err.starts_with("line 5 column"), "{err}");
    assert!(
        err.contains("$[1].identityPolicies[0].Statement[0].Condition"),
        "{err}"
    );
    assert!(err.contains("StringEqualz"), "{err}");
}

#[test]
fn bad_requests_and_unknown_fields_are_named() {
    let bad = [
        (
            r#"{"request":{"principal":"alice","action":"s3:GetObject","resource":"*"}}"#,
            "principal",
        ),
        (
            r#"{"request":{"principal":"arn:aws:iam::111122223333:user/alice","action":"GetObject","resource":"*"}}"#,
            "at $.request.action: `GetObject` is not an action; expected `service:Action`: did you mean one of `s3:GetObject`,",
        ),
        (
            r#"{"request":{"principal":"arn:aws:iam::111122223333:user/alice","action":"s3:GetObject"}}"#,
            "missing field `resource`",
        ),
        (
            r#"{"request":{"principal":"arn:aws:iam::111122223333:user/alice","action":"s3:GetObject","resource":"*"},"identityPolicy":[]}"#,
            "unknown field `identityPolicy`",
        ),
        (
            r#"{"request":{"principal":"arn:aws:iam::111122223333:user/alice","action":"s3:GetObject","resource":"*","resourceAccount":"12"}}"#,
            "12 digits",
        ),
        (
            r#"{"request":{"principal":"arn:aws:iam::111122223333:user/alice","action":"s3:GetObject","resource":"*"},"scps":[{}]}"#,
            "expected an array",
        ),
    ];
    for (input, needle) in bad {
        let got = lines(&simulate(&["-"], input));
        let err = got[0]["error"]
            .as_str()
            .unwrap_or_else(|| panic!("{input} should fail"));
        assert!(
            err.contains(needle),
            "{input}: {err} should mention {needle}"
        );
        // Every error says where: the line and column in the input, and the JSON path.
        assert!(err.starts_with("line 1 column "), "{err}");
        assert!(err.contains(", at $"), "{err}");
    }
}

#[test]
fn unreadable_input_fails_with_position_and_status_1() {
    let out = simulate(&["-"], "{\n  \"request\": ,\n}");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2 column"), "{err}");
    let missing = Command::new(env!("CARGO_BIN_EXE_orgscope"))
        .args(["simulate", "/nonexistent/cases.json"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/cases.json"));
}

#[test]
fn explain_lists_layers_and_statements() {
    let got = lines(&simulate(&["--explain", "-"], &case("a", "s3:GetObject")));
    let x = &got[0]["explanation"];
    assert_eq!(x["decision"], "Allowed");
    let identity = x["layers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["layer"] == "identity")
        .unwrap();
    assert_eq!(identity["outcome"], "allowed");
    assert_eq!(identity["statements"][0]["statement"], "S3");
    assert_eq!(
        identity["statements"][0]["policy"], "identityPolicies[0]",
        "unnamed policies are named by their place"
    );
}

#[test]
fn context_values_of_every_json_type() {
    let input = r#"{"request":{"principal":"arn:aws:iam::111122223333:user/alice","action":"s3:GetObject","resource":"*",
        "context":{"aws:MultiFactorAuthPresent":true,"s3:max-keys":5,"aws:TagKeys":["a","b"]}},
        "identityPolicies":[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{
          "Bool":{"aws:MultiFactorAuthPresent":"true"},"NumericEquals":{"s3:max-keys":"5"},"ForAllValues:StringEquals":{"aws:TagKeys":["a","b","c"]}}}]}]}"#;
    assert_eq!(lines(&simulate(&["-"], input))[0]["decision"], "Allowed");
}

#[test]
fn repeat_measures_without_printing_cases() {
    let out = simulate(
        &["--repeat", "3", "-"],
        &format!(
            "[{}, {}]",
            case("a", "s3:GetObject"),
            case("b", "s3:PutObject")
        ),
    );
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("6 decisions") && err.contains("decisions/s"),
        "{err}"
    );
}

#[test]
fn repeat_counts_cases_in_error_and_exits_2() {
    let out = simulate(
        &["--repeat", "3", "-"],
        &format!(
            "[{}, {}]",
            case("a", "s3:GetObject"),
            case("b", "GetObject")
        ),
    );
    assert_eq!(out.status.code(), Some(2), "as without --repeat");
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("3 decisions"),
        "the good case is measured: {err}"
    );
    assert!(
        err.contains("1 of 2 cases are errors and were not evaluated"),
        "{err}"
    );
}

#[test]
fn a_misspelt_action_is_noted_on_its_line_or_refused_with_strict() {
    let input = format!(
        "[{}, {}]",
        case("good", "s3:GetObject"),
        case("typo", "s3:GetObjct")
    );
    let said = "`s3:GetObjct` is not an action in the AWS catalog orgscope carries: did you mean `s3:GetObject`?";
    let out = simulate(&["-"], &input);
    assert_eq!(out.status.code(), Some(0));
    let got = lines(&out);
    assert_eq!(
        got[0],
        serde_json::json!({"id": "good", "decision": "Allowed", "notes": []}),
        "no notes: an empty list"
    );
    // `s3:*` grants it all the same: the note is what tells the typo.
    assert_eq!(
        got[1],
        serde_json::json!({"id": "typo", "decision": "Allowed", "notes": [said]})
    );
    let out = simulate(&["--strict", "-"], &input);
    assert_eq!(out.status.code(), Some(2));
    let got = lines(&out);
    assert_eq!(got[0]["decision"], "Allowed");
    assert_eq!(
        got[1],
        serde_json::json!({"id": "typo", "error": format!("{said} (--strict)")})
    );
}

#[test]
fn format_json_prints_one_array_of_the_same_objects() {
    let input = format!(
        "[{}, {}, {}]",
        case("a", "s3:GetObject"),
        case("b", "GetObject"),
        case("c", "s3:GetObjct")
    );
    let jsonl = lines(&simulate(&["-"], &input));
    let out = simulate(&["--format", "json", "-"], &input);
    assert_eq!(out.status.code(), Some(2), "case b is an error");
    let array: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(array, Value::Array(jsonl));
    let out = simulate(&["--format", "json", "-"], "[]");
    assert_eq!(out.status.code(), Some(0));
    let empty: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(empty, serde_json::json!([]), "no cases: an empty list");
}
