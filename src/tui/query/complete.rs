//! Completion for the form's fields: principals, roles and resources from the org
//! (searched like the `/` filter, by the search worker), actions and services from
//! the AWS catalog (fuzzy, narrowing as the word grows), context keys from the answer
//! and the catalog, accounts from the org, files from the disk (the session policy).

use std::sync::OnceLock;

use super::form::Field;
use crate::catalog::Catalog;
use crate::tui::nodes::Kind;
use crate::tui::search::{Matches, Search, SearchIndex, tags};

/// Where a field's candidates come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Names of the org, of these kinds (a tag set).
    Org(u32),
    Actions,
    Services,
    ContextKeys,
    /// Files and directories where the typed path points.
    Files,
}

pub fn source(field: Field) -> Source {
    match field {
        Field::Principal | Field::Compare => {
            Source::Org(tags(&[Kind::User.tag(), Kind::Role.tag()]))
        }
        Field::ResourceAccount => Source::Org(tags(&[Kind::Account.tag()])),
        Field::SessionPolicy => Source::Files,
        Field::Resource => Source::Org(tags(&[
            Kind::Resource.tag(),
            Kind::Role.tag(),
            Kind::User.tag(),
        ])),
        Field::Role => Source::Org(tags(&[Kind::Role.tag()])),
        Field::Action => Source::Actions,
        Field::Service => Source::Services,
        Field::Context => Source::ContextKeys,
    }
}

/// A field's candidates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Candidates {
    #[default]
    None,
    /// From the org's index ([`crate::tui::org_index`]).
    Org(Matches),
    /// From [`CatalogIndex::actions`].
    Actions(Matches),
    /// From [`CatalogIndex::services`].
    Services(Matches),
    /// Context keys and `KEY=VALUE` pairs, and the word they complete.
    Keys(Vec<String>, String),
    /// Paths (a directory's with a `/`), and the name being typed.
    Files(Vec<String>, String),
}

impl Candidates {
    /// How many are listed.
    pub fn len(&self) -> usize {
        match self {
            Candidates::None => 0,
            Candidates::Org(m) | Candidates::Actions(m) | Candidates::Services(m) => m.best.len(),
            Candidates::Keys(k, _) | Candidates::Files(k, _) => k.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many matched (more than are listed, for large sets).
    pub fn total(&self) -> usize {
        match self {
            Candidates::Org(m) | Candidates::Actions(m) | Candidates::Services(m) => m.total,
            other => other.len(),
        }
    }
}

/// The catalog's actions and services as search indexes, built on first use.
#[derive(Debug, Default)]
pub struct CatalogIndex {
    actions: OnceLock<SearchIndex<u32>>,
    services: OnceLock<SearchIndex<u32>>,
    /// The action searches' state: each key narrows the previous matches.
    pub action_search: Search,
    pub service_search: Search,
}

impl CatalogIndex {
    /// `s3:GetObject`, found by its name (fuzzy) or its access level.
    pub fn actions(&self) -> &SearchIndex<u32> {
        self.actions.get_or_init(|| {
            SearchIndex::new(
                Catalog::get()
                    .actions()
                    .enumerate()
                    .map(|(i, a)| (i as u32, 0, a.full_name(), a.level.to_string()))
                    .collect(),
            )
        })
    }

    /// `s3`, found by its prefix or AWS's name for it (`Amazon S3`).
    pub fn services(&self) -> &SearchIndex<u32> {
        self.services.get_or_init(|| {
            let c = Catalog::get();
            SearchIndex::new(
                c.services()
                    .enumerate()
                    .map(|(i, s)| {
                        let name = c.service_info(s).map_or("", |x| x.name.as_str());
                        (i as u32, 0, s.to_string(), name.to_string())
                    })
                    .collect(),
            )
        })
    }

    /// Searches the actions, narrowing the previous search. What starts with the
    /// query (`sts:assume`, or the name alone: `getobj`) comes first, then the fuzzy
    /// matches.
    pub fn find_action(&mut self, query: &str) -> Matches {
        self.actions();
        let ix = self.actions.get().expect("built above");
        self.action_search.set_query(ix, query, None);
        let mut m = self.action_search.matches().clone();
        let q = query.trim().to_ascii_lowercase();
        if !q.is_empty() && !q.contains(char::is_whitespace) {
            let rank = |item: u32| {
                let name = item_name(ix, item).to_ascii_lowercase();
                if name.starts_with(&q) {
                    0
                } else if name.split_once(':').is_some_and(|(_, a)| a.starts_with(&q)) {
                    1
                } else {
                    2
                }
            };
            m.best.sort_by_key(|h| rank(h.item));
        }
        m
    }

    pub fn find_service(&mut self, query: &str) -> Matches {
        self.services();
        let ix = self.services.get().expect("built above");
        self.service_search.set_query(ix, query, None);
        self.service_search.matches().clone()
    }
}

/// The name part of an index item's text (`s3:GetObject` of `s3:GetObject  Read`).
pub fn item_name<Id: Copy + Send + Sync>(ix: &SearchIndex<Id>, item: u32) -> &str {
    let text = ix.text(item);
    text.split_once("  ").map_or(text, |(name, _)| name)
}

/// How many directory entries a file completion looks at: a directory of a
/// million files does not hold up a key.
const MAX_ENTRIES: usize = 5_000;

/// Files and directories for a path being typed: the entries of its directory
/// whose name starts with what follows the last `/` (case-insensitive; hidden ones
/// only once a `.` is typed), directories first with a `/`, JSON files next, each
/// as the whole path to put in the field. The name being typed comes with them.
pub fn files(text: &str) -> (Vec<String>, String) {
    let (dir, word) = match text.rfind('/') {
        Some(i) => (&text[..=i], &text[i + 1..]),
        None => ("", text),
    };
    let w = word.to_lowercase();
    let path = if dir.is_empty() {
        std::path::PathBuf::from(".")
    } else {
        super::inputs::expand_home(dir)
    };
    let Ok(entries) = std::fs::read_dir(&path) else {
        return (Vec::new(), word.to_string());
    };
    let mut found: Vec<(u8, String)> = entries
        .take(MAX_ENTRIES)
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let lower = name.to_lowercase();
            if !lower.starts_with(&w) || (name.starts_with('.') && !w.starts_with('.')) {
                return None;
            }
            // Through a link, what it points to.
            let is_dir = std::fs::metadata(e.path()).is_ok_and(|m| m.is_dir());
            let rank = if is_dir {
                0
            } else if lower.ends_with(".json") {
                1
            } else {
                2
            };
            let slash = if is_dir { "/" } else { "" };
            Some((rank, format!("{dir}{name}{slash}")))
        })
        .collect();
    found.sort();
    (
        found.into_iter().map(|(_, p)| p).collect(),
        word.to_string(),
    )
}

/// Global condition keys every request may carry (IAM User Guide, "AWS global
/// condition context keys"), the ones policies test most.
const GLOBAL_KEYS: &[&str] = &[
    "aws:CalledVia",
    "aws:CurrentTime",
    "aws:EpochTime",
    "aws:MultiFactorAuthAge",
    "aws:MultiFactorAuthPresent",
    "aws:PrincipalIsAWSService",
    "aws:PrincipalOrgID",
    "aws:PrincipalTag/",
    "aws:RequestTag/",
    "aws:RequestedRegion",
    "aws:ResourceTag/",
    "aws:SecureTransport",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceIp",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:TagKeys",
    "aws:TokenIssueTime",
    "aws:UserAgent",
    "aws:ViaAWSService",
    "aws:VpcSourceIp",
];

/// The text before the last word, and the last word: the context field completes
/// its last pair.
pub fn last_word(text: &str) -> (&str, &str) {
    match text.rfind(char::is_whitespace) {
        Some(i) => (&text[..=i], &text[i + 1..]),
        None => ("", text),
    }
}

/// Context candidates for the word being typed: first the pairs the last answer
/// said matter, then the action's own keys and the global keys (as `KEY=`), those
/// that contain the word (case-insensitive).
pub fn context_keys(hints: &[String], action: &str, word: &str) -> Vec<String> {
    let w = word.to_lowercase();
    let mut keys: Vec<String> = hints.to_vec();
    if let Some(a) = Catalog::get().action(action.trim()) {
        keys.extend(a.all_condition_keys().iter().map(|k| format!("{k}=")));
    }
    keys.extend(GLOBAL_KEYS.iter().map(|k| format!("{k}=")));
    let mut seen = std::collections::HashSet::new();
    keys.retain(|k| k.to_lowercase().contains(&w) && seen.insert(k.to_lowercase()));
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_complete_by_prefix_and_fuzzily() {
        let mut c = CatalogIndex::default();
        let ix = |c: &CatalogIndex, m: &Matches| -> Vec<String> {
            m.best
                .iter()
                .map(|h| item_name(c.actions(), h.item).to_string())
                .collect()
        };
        let m = c.find_action("sts:assumerole");
        assert_eq!(ix(&c, &m)[0], "sts:AssumeRole", "the exact name first");
        assert!(m.total > 1, "sts:AssumeRoleWithSAML too");
        let m = c.find_action("s3:getobj");
        assert!(ix(&c, &m)[..3].contains(&"s3:GetObject".to_string()));
        let m = c.find_action("sts:assume");
        let names = ix(&c, &m);
        let prefixed = names
            .iter()
            .take_while(|n| n.starts_with("sts:Assume"))
            .count();
        assert!(prefixed >= 4, "prefix matches first: {names:?}");
        let m = c.find_action("getobjectacl");
        assert_eq!(ix(&c, &m)[0], "s3:GetObjectAcl", "the name alone");
        let m = c.find_action("s3getobjacl");
        assert!(ix(&c, &m).contains(&"s3:GetObjectAcl".to_string()), "fuzzy");
        assert_eq!(c.actions().len(), Catalog::get().action_count());
    }

    #[test]
    fn services_complete_by_prefix_or_name() {
        let mut c = CatalogIndex::default();
        let m = c.find_service("s3");
        assert_eq!(item_name(c.services(), m.best[0].item), "s3");
        let m = c.find_service("amazon s3");
        assert_eq!(
            item_name(c.services(), m.best[0].item),
            "s3",
            "AWS's name too"
        );
    }

    #[test]
    fn files_complete_the_last_name_of_a_path() {
        let dir = std::env::temp_dir().join(format!("orgscope-files-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("policies")).unwrap();
        for f in [
            "session.json",
            "Session-notes.txt",
            ".secret.json",
            "other.json",
        ] {
            std::fs::write(dir.join(f), "{}").unwrap();
        }
        let base = format!("{}/", dir.display());
        let (found, word) = files(&format!("{base}se"));
        assert_eq!(word, "se");
        assert_eq!(
            found,
            [
                format!("{base}session.json"),
                format!("{base}Session-notes.txt")
            ],
            "JSON files first, the case aside"
        );
        let (found, _) = files(&base);
        assert_eq!(found[0], format!("{base}policies/"), "directories first");
        assert!(!found.iter().any(|f| f.contains(".secret")), "{found:?}");
        let (found, _) = files(&format!("{base}."));
        assert_eq!(found, [format!("{base}.secret.json")]);
        assert!(files(&format!("{base}nowhere/x")).0.is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn context_keys_come_from_the_answer_the_action_and_aws() {
        let hints = vec!["aws:securetransport=true".to_string()];
        let keys = context_keys(&hints, "s3:GetObject", "secure");
        assert_eq!(keys[0], "aws:securetransport=true", "the answer's first");
        assert!(keys.contains(&"aws:SecureTransport=".to_string()));
        let keys = context_keys(&[], "s3:GetObject", "s3:");
        assert!(!keys.is_empty() && keys.iter().all(|k| k.to_lowercase().contains("s3:")));
        assert_eq!(context_keys(&[], "", "").len(), GLOBAL_KEYS.len());
        assert_eq!(last_word("a=1 b"), ("a=1 ", "b"));
        assert_eq!(last_word("ab"), ("", "ab"));
        assert_eq!(last_word("a=1 "), ("a=1 ", ""));
    }
}
