//! The actions a scenario's changes can match that the default diff does not ask:
//! the default keeps Write and Permissions management, so a bucket policy opened to
//! everyone for `s3:GetObject` (Read) shows nobody gaining anything. Said, so that
//! an empty diff is never read as "nothing changes".

use std::collections::BTreeMap;

use crate::catalog::{AccessLevel, Catalog};
use crate::org::Org;

use super::impact::matched_actions;
use super::touched::touched;

/// The levels the default diff keeps (as [`super::impact`] does).
pub const DEFAULT_LEVELS: [AccessLevel; 2] =
    [AccessLevel::Write, AccessLevel::PermissionsManagement];

/// The actions a changed statement can match whose access level the default diff
/// leaves out, by level (sorted).
pub fn left_out_by_level(before: &Org, after: &Org) -> BTreeMap<AccessLevel, Vec<String>> {
    let catalog = Catalog::get();
    let mut out: BTreeMap<AccessLevel, Vec<String>> = BTreeMap::new();
    for a in matched_actions(&touched(before, after).docs) {
        if let Some(level) = catalog.action(&a).map(|x| x.level)
            && !DEFAULT_LEVELS.contains(&level)
        {
            out.entry(level).or_default().push(a);
        }
    }
    out
}

/// One sentence for a note, the way to ask them first (a narrow screen cuts the
/// end): `--level or --actions asks the 2 actions the changes match at levels the
/// default leaves out (List: s3:ListBucket; Read: s3:GetObject)`. None when nothing
/// was left out.
pub fn note(left_out: &BTreeMap<AccessLevel, Vec<String>>, how: &str) -> Option<String> {
    let n: usize = left_out.values().map(Vec::len).sum();
    if n == 0 {
        return None;
    }
    let parts: Vec<String> = left_out
        .iter()
        .map(|(level, actions)| {
            let shown: Vec<&str> = actions.iter().take(3).map(String::as_str).collect();
            let more = actions.len().saturating_sub(shown.len());
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            format!("{level}: {}{more}", shown.join(", "))
        })
        .collect();
    let s = if n == 1 { "" } else { "s" };
    Some(format!(
        "{how} the {n} action{s} the changes match at levels the default leaves out ({})",
        parts.join("; ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::ScenarioFile;

    /// A bucket policy opened to everyone for s3:GetObject: a Read action, which the
    /// default (Write and Permissions management) does not ask, named in the note.
    #[test]
    fn a_read_action_of_a_changed_policy_is_named() {
        let before = crate::org::load_builtin_acme();
        let file = ScenarioFile::from_text(
            std::path::Path::new("public.json"),
            r#"{"changes": [{"op": "put_resource_policy", "resource": "arn:aws:s3:::acme-data-dev-lake", "document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::acme-data-dev-lake/*"}]}}]}"#
                .to_string(),
        )
        .unwrap();
        let after = file.apply(&before).unwrap();
        let left = left_out_by_level(&before, &after);
        assert_eq!(
            left.get(&AccessLevel::Read),
            Some(&vec!["s3:GetObject".to_string()])
        );
        assert!(
            !left.values().flatten().any(|a| a == "s3:PutObject"),
            "Write is asked: {left:?}"
        );
        let n = note(&left, "--level read asks").unwrap();
        assert!(
            n.starts_with("--level read asks the ") && n.contains("actions the changes match"),
            "{n}"
        );
        let one = BTreeMap::from([(AccessLevel::Read, vec!["s3:GetObject".to_string()])]);
        assert_eq!(
            note(&one, "how").unwrap(),
            "how the 1 action the changes match at levels the default leaves out (Read: s3:GetObject)"
        );
        assert!(n.contains("Read: s3:GetObject"), "{n}");
        assert_eq!(note(&BTreeMap::new(), "x"), None);
    }
}
