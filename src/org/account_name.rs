//! An account as a person gives it to a question: its 12-digit id, or its name. The
//! command line's `--resource-account` and the TUI's *Resource account* field both
//! take it through here, so that a name answers the same everywhere.

use super::Org;

/// How many accounts an error lists when none is near the name given.
const LISTED: usize = 12;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountNameError {
    #[error(
        "resource account `{text}`: no account of the organization has this name; give a 12-digit account id or an account's name{}",
        unknown_hint(.near, .listed, *.accounts)
    )]
    Unknown {
        text: String,
        /// `name (id)` of the accounts whose names are nearest.
        near: Vec<String>,
        /// `name (id)` of every account, when there are few and none is near.
        listed: Vec<String>,
        accounts: usize,
    },
    #[error(
        "resource account `{text}`: {} accounts have this name ({}); give the id",
        ids.len(),
        ids.join(", ")
    )]
    Ambiguous { text: String, ids: Vec<String> },
}

fn unknown_hint(near: &[String], listed: &[String], accounts: usize) -> String {
    match (near, listed) {
        ([one], _) => format!("; did you mean {one}?"),
        ([_, ..], _) => format!("; did you mean one of {}?", near.join(", ")),
        ([], [_, ..]) => format!("; its accounts: {}", listed.join(", ")),
        ([], []) if accounts > 0 => {
            format!("; none of its {accounts} accounts has a name near this one")
        }
        ([], []) => "; it has no accounts".to_string(),
    }
}

/// The resource account as the analysis takes it: a 12-digit id as it is (the org
/// need not hold the account: a bucket may be anywhere), or the id of the one account
/// with that name (exactly, else ignoring case).
pub fn resource_account_id(org: &Org, text: &str) -> Result<String, AccountNameError> {
    let text = text.trim();
    if text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(text.to_string());
    }
    let named = |same: &dyn Fn(&str) -> bool| -> Vec<&str> {
        org.accounts()
            .iter()
            .filter(|a| same(&a.name))
            .map(|a| &*a.id)
            .collect()
    };
    let mut hits = named(&|n| n == text);
    if hits.is_empty() {
        hits = named(&|n| n.eq_ignore_ascii_case(text));
    }
    match hits.as_slice() {
        [id] => Ok(id.to_string()),
        [] => {
            let shown = |name: &str| -> Vec<String> {
                org.accounts()
                    .iter()
                    .filter(|a| &*a.name == name)
                    .map(|a| format!("`{}` ({})", a.name, a.id))
                    .collect()
            };
            let names = org.accounts().iter().map(|a| &*a.name);
            let near: Vec<String> = crate::suggest::nearest(text, names, 5)
                .into_iter()
                .flat_map(shown)
                .collect();
            let accounts = org.accounts().len();
            let listed = if near.is_empty() && accounts <= LISTED {
                org.accounts()
                    .iter()
                    .map(|a| format!("`{}` ({})", a.name, a.id))
                    .collect()
            } else {
                Vec::new()
            };
            Err(AccountNameError::Unknown {
                text: text.to_string(),
                near,
                listed,
                accounts,
            })
        }
        many => Err(AccountNameError::Ambiguous {
            text: text.to_string(),
            ids: many.iter().map(ToString::to_string).collect(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::load_builtin_acme;

    #[test]
    fn an_account_is_taken_by_id_or_by_name() {
        let org = load_builtin_acme();
        let id = |text| resource_account_id(&org, text);
        assert_eq!(id("222222222222").unwrap(), "222222222222");
        assert_eq!(
            id("123456789012").unwrap(),
            "123456789012",
            "an id the org does not hold: a bucket elsewhere"
        );
        assert_eq!(id(" security ").unwrap(), "222222222222");
        assert_eq!(id("Web-Prod").unwrap(), "666666666666");
    }

    #[test]
    fn an_unknown_name_says_what_is_near_or_what_there_is() {
        let org = load_builtin_acme();
        let e = resource_account_id(&org, "web-prd")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "resource account `web-prd`: no account of the organization has this name; \
             give a 12-digit account id or an account's name; did you mean `web-prod` \
             (666666666666)?"
        );
        let e = resource_account_id(&org, "nowhere")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("resource account `nowhere`: no account of the organization"),
            "{e}"
        );
        // acme's 11 accounts are listed: the user sees what to type.
        assert!(e.contains("; its accounts: `"), "{e}");
        assert!(e.contains("`web-prod` (666666666666)"), "{e}");
        let e = resource_account_id(&org, "12345").unwrap_err().to_string();
        assert!(e.contains("`12345`: no account"), "not an id: {e}");
    }

    #[test]
    fn a_name_two_accounts_share_lists_their_ids() {
        let text = crate::org::ACME.replacen("\"name\": \"web-prod\"", "\"name\": \"security\"", 1);
        let (org, report) = crate::org::load_str("twins.json", &text);
        let org = org.unwrap_or_else(|| panic!("{report}"));
        let e = resource_account_id(&org, "security")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "resource account `security`: 2 accounts have this name (222222222222, \
             666666666666); give the id"
        );
    }
}
