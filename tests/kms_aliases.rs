//! KMS aliases: KMS resolves an alias and authorizes key operations on the key it
//! names (KMS Developer Guide, "Using aliases to control access to KMS keys": an alias
//! ARN in a policy's Resource controls only the alias operations). orgscope refuses a
//! question that names an alias for a key operation, and what-can never counts a
//! statement on an alias ARN as a grant of a key operation.

use orgscope::analysis::{self, AnalysisError, Ask, Filter};

const ORG: &str = r#"{
  "organization": {"id": "o-aliases0001", "management_account": "111111111111"},
  "root": {"scps": ["FullAWSAccess"]},
  "accounts": [
    {"id": "111111111111", "name": "management"},
    {
      "id": "222222222222",
      "name": "app",
      "policies": {
        "AliasOnly": {
          "document": {
            "Version": "2012-10-17",
            "Statement": [
              {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:UpdateAlias"],
               "Resource": "arn:aws:kms:eu-west-1:222222222222:alias/*"}
            ]
          }
        }
      },
      "users": {"ann": {"managed": ["AliasOnly"]}}
    }
  ]
}"#;

fn org() -> orgscope::org::Org {
    let (org, report) = orgscope::org::load_str("aliases.json", ORG);
    org.unwrap_or_else(|| panic!("{report:?}"))
}

fn ask(action: &str, resource: &str) -> Ask {
    Ask {
        action: action.into(),
        resource: resource.into(),
        ..Ask::default()
    }
}

#[test]
fn an_alias_for_a_key_operation_is_refused_with_the_reason() {
    let org = org();
    let alias = "arn:aws:kms:eu-west-1:222222222222:alias/app";
    for result in [
        analysis::can(&org, "ann", &ask("kms:Decrypt", alias)).map(|_| ()),
        analysis::who_can(&org, &ask("kms:Decrypt", alias)).map(|_| ()),
    ] {
        match result {
            Err(e @ AnalysisError::KmsAlias { .. }) => {
                let text = e.to_string();
                assert!(
                    text.contains("on the key that `alias/app` names")
                        && text.contains("key's ARN"),
                    "{text}"
                );
            }
            other => panic!("expected the alias to be refused, got {other:?}"),
        }
    }
    // The alias operations act on the alias: asked as they are.
    let a = analysis::can(&org, "ann", &ask("kms:UpdateAlias", alias)).unwrap();
    assert_eq!(a.decision, orgscope::engine::Decision::Allowed);
}

#[test]
fn what_can_does_not_count_a_key_operation_granted_on_an_alias() {
    let org = org();
    let a = analysis::what_can(&org, "ann", &Filter::default(), &[]).unwrap();
    let actions: Vec<&str> = a.grants.iter().map(|g| g.action.as_str()).collect();
    assert!(actions.contains(&"kms:UpdateAlias"), "{actions:?}");
    assert!(!actions.contains(&"kms:Decrypt"), "{actions:?}");
}
