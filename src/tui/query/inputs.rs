//! What a question reads beyond its fields' text: the account a resource account's
//! name stands for, and the session policy in its file. Both run on the query
//! worker, and their errors are words for the pane. Files are only read.

use std::io::Read as _;
use std::path::PathBuf;
use std::sync::Arc;

use crate::org::Org;
use crate::policy::{Policy, PolicyKind};

/// The largest session policy file read: AWS takes 2,048 characters, packed; a
/// file far larger is not a policy (and `/dev/zero` is never read to the end).
const MAX_POLICY_BYTES: u64 = 1 << 20;

/// The resource account as the analysis takes it: an id, or the id of the account
/// with that name ([`crate::org::resource_account_id`], as the command line takes it).
pub fn account_id(org: &Org, text: &str) -> Result<String, String> {
    crate::org::resource_account_id(org, text).map_err(|e| e.to_string())
}

/// `~/x` under the home directory; other paths as typed (relative ones from where
/// orgscope runs).
pub fn expand_home(path: &str) -> PathBuf {
    match path.strip_prefix("~/") {
        Some(rest) => match std::env::var_os("HOME") {
            Some(home) => PathBuf::from(home).join(rest),
            None => PathBuf::from(path),
        },
        None => PathBuf::from(path),
    }
}

/// Reads and parses a session policy file, as `orgscope can --session-policy`
/// does: a document that does not parse says the line, the column and the JSON
/// path of what is wrong.
pub fn session_policy(path: &str) -> Result<Arc<Policy>, String> {
    let shown = path.trim();
    let fail = |why: String| format!("session policy `{shown}`: {why}");
    let file = expand_home(shown);
    let meta = std::fs::metadata(&file).map_err(|e| fail(format!("cannot read it: {e}")))?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a directory"
        } else {
            "not a regular file"
        };
        return Err(fail(format!("{what}, not a JSON policy file")));
    }
    if meta.len() > MAX_POLICY_BYTES {
        return Err(fail(format!(
            "{} bytes: too large for a policy (at most {MAX_POLICY_BYTES})",
            meta.len()
        )));
    }
    let mut text = String::new();
    std::fs::File::open(&file)
        .and_then(|f| f.take(MAX_POLICY_BYTES + 1).read_to_string(&mut text))
        .map_err(|e| fail(format!("cannot read it: {e}")))?;
    let policy = Policy::parse(PolicyKind::Session, "session policy", &text)
        .map_err(|e| fail(e.to_string()))?;
    Ok(Arc::new(policy))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::load_builtin_acme;

    #[test]
    fn accounts_are_taken_by_id_or_name() {
        let org = load_builtin_acme();
        assert_eq!(account_id(&org, "222222222222").unwrap(), "222222222222");
        assert_eq!(
            account_id(&org, "123456789012").unwrap(),
            "123456789012",
            "an id the org does not hold: a bucket elsewhere"
        );
        assert_eq!(account_id(&org, " security ").unwrap(), "222222222222");
        assert_eq!(account_id(&org, "Web-Prod").unwrap(), "666666666666");
        let e = account_id(&org, "nowhere").unwrap_err();
        assert!(
            e.starts_with("resource account `nowhere`: no account of the organization"),
            "{e}"
        );
        assert!(account_id(&org, "12345").is_err(), "not an id");
    }

    #[test]
    fn a_session_policy_file_is_read_or_says_where_it_is_wrong() {
        let dir = std::env::temp_dir().join(format!("orgscope-inputs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("good.json");
        std::fs::write(
            &good,
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}"#,
        )
        .unwrap();
        let p = session_policy(good.to_str().unwrap()).unwrap();
        assert_eq!(p.statements().len(), 1);
        let bad = dir.join("bad.json");
        std::fs::write(
            &bad,
            "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allw\", \"Action\": \"*\", \"Resource\": \"*\"}]\n}\n",
        )
        .unwrap();
        let e = session_policy(bad.to_str().unwrap()).unwrap_err();
        assert!(
            e.starts_with(&format!(
                "session policy `{}`: line 3 column",
                bad.display()
            )),
            "{e}"
        );
        assert!(e.contains("Statement[0].Effect"), "{e}");
        let e = session_policy(dir.join("missing.json").to_str().unwrap()).unwrap_err();
        assert!(e.contains("missing.json`: cannot read it:"), "{e}");
        let e = session_policy(dir.to_str().unwrap()).unwrap_err();
        assert!(e.contains("a directory, not a JSON policy file"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
