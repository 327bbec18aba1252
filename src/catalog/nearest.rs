//! The catalog's actions nearest to a name it does not know: what "did you mean" offers
//! for a misspelt action, in the errors and notes of every front end.

use std::collections::HashMap;

use super::{Action, Catalog};
use crate::suggest::Index;

/// How many actions "did you mean" offers.
const OFFERED: usize = 5;

/// An action that the question may not be about as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    /// No `service:` prefix: not an action at all (the question cannot be asked).
    #[error("`{action}` is not an action; expected `service:Action`{}", offer(.nearest, ", e.g. `s3:GetObject`"))]
    Malformed {
        action: String,
        nearest: Vec<String>,
    },
    /// Well formed, but not in the catalog: most likely misspelt (the catalog may
    /// also lag behind AWS, so the question is still answered unless asked strictly).
    #[error("`{action}` is not an action in the AWS catalog orgscope carries{}", offer(.nearest, ": check its spelling"))]
    Unknown {
        action: String,
        nearest: Vec<String>,
    },
}

fn offer(nearest: &[String], otherwise: &str) -> String {
    let quoted: Vec<String> = nearest.iter().map(|a| format!("`{a}`")).collect();
    match quoted.as_slice() {
        [] => otherwise.to_string(),
        [one] => format!(": did you mean {one}?"),
        _ => format!(": did you mean one of {}?", quoted.join(", ")),
    }
}

/// Whether the catalog knows `action`; a pattern (`s3:Get*`) passes, for the analysis
/// to refuse in its own words.
pub fn check_action(action: &str) -> Result<(), ActionError> {
    if action.contains(['*', '?']) {
        return Ok(());
    }
    let catalog = Catalog::get();
    let has_service = action
        .split_once(':')
        .is_some_and(|(s, n)| !s.is_empty() && !n.is_empty());
    if has_service && catalog.action(action).is_some() {
        return Ok(());
    }
    let nearest = catalog.nearest_actions(action, OFFERED);
    let action = action.to_string();
    Err(if has_service {
        ActionError::Unknown { action, nearest }
    } else {
        ActionError::Malformed { action, nearest }
    })
}

/// The catalog's names, indexed once for "did you mean" (a policy may hold hundreds
/// of misspelt actions, each asked about).
#[derive(Default)]
pub(super) struct Names {
    services: Index,
    /// Each service's action names, by prefix.
    by_service: HashMap<&'static str, Index>,
    /// Every action name.
    all: Index,
    /// Lower-cased action name to the actions of that name, in catalog order.
    by_name: HashMap<Box<str>, Vec<usize>>,
}

impl Names {
    fn new(c: &Catalog) -> Names {
        let mut by_name: HashMap<Box<str>, Vec<usize>> = HashMap::new();
        for (i, a) in c.actions.iter().enumerate() {
            by_name
                .entry(a.name.to_ascii_lowercase().into())
                .or_default()
                .push(i);
        }
        Names {
            services: Index::new(c.services()),
            by_service: c
                .services
                .iter()
                .map(|s| {
                    let names = c.actions[s.actions.clone()].iter().map(|a| a.name.as_str());
                    (s.prefix, Index::new(names))
                })
                .collect(),
            all: Index::new(c.actions.iter().map(|a| a.name.as_str())),
            by_name,
        }
    }
}

impl Catalog {
    fn names(&self) -> &Names {
        self.names.get_or_init(|| Names::new(self))
    }

    /// The actions nearest to `text`, as `service:Name`, at most `limit`, trying in
    /// turn: for a name without its service (`GetObject`), that name in every service;
    /// the nearest spelling in the service named (`s3:GetObjct`); that name in the
    /// services spelt nearest (`s4:GetObject`), then in any service (`s3:GetItem` ->
    /// `dynamodb:GetItem`); the nearest spelling in the whole catalog. Empty when
    /// nothing is near, or when `text` is an action the catalog knows.
    pub fn nearest_actions(&self, text: &str, limit: usize) -> Vec<String> {
        let text = text.trim();
        if self.action(text).is_some() {
            return Vec::new();
        }
        let (service, name) = match text.split_once(':') {
            Some((s, n)) => (Some(s), n),
            None => (None, text),
        };
        let full = |actions: Vec<&Action>| -> Vec<String> {
            actions.iter().take(limit).map(|a| a.full_name()).collect()
        };
        let index = self.names();
        let mut everywhere: Vec<&Action> = index
            .by_name
            .get(name.to_ascii_lowercase().as_str())
            .map_or_else(Vec::new, |ix| {
                ix.iter().map(|&i| &self.actions[i]).collect()
            });
        // The service with the shortest prefix first: `s3` before `s3-outposts`, the
        // service most people mean before its variants.
        everywhere.sort_by_key(|a| (a.service.len(), a.service));
        if service.is_none() && !everywhere.is_empty() {
            return full(everywhere);
        }
        if let Some(service) = service {
            if let Some(info) = self.service_info(service) {
                let actions = &self.actions[info.actions.clone()];
                let names = index
                    .by_service
                    .get(info.prefix)
                    .map_or_else(Vec::new, |x| x.nearest(name, limit));
                let near: Vec<&Action> = actions
                    .iter()
                    .filter(|a| names.contains(&a.name.as_str()))
                    .collect();
                if !near.is_empty() {
                    return full(near);
                }
            } else {
                let services = index.services.nearest(service, limit);
                let near: Vec<&Action> = everywhere
                    .iter()
                    .copied()
                    .filter(|a| services.contains(&a.service))
                    .collect();
                if !near.is_empty() {
                    return full(near);
                }
            }
        }
        if !everywhere.is_empty() {
            return full(everywhere);
        }
        // Spelt wrong whole: the nearest names anywhere, in every service that has one.
        let names = index.all.nearest(name, limit);
        full(
            self.actions
                .iter()
                .filter(|a| names.contains(&a.name.as_str()))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::Catalog;

    #[test]
    fn a_misspelt_action_is_offered_the_nearest_ones() {
        let c = Catalog::get();
        let near = |t: &str| c.nearest_actions(t, 5);
        assert_eq!(near("s3:GetObjct"), ["s3:GetObject"]);
        assert_eq!(near("S3:getobjcet"), ["s3:GetObject"], "a swap, any case");
        assert_eq!(near("iam:PassRoles"), ["iam:PassRole"]);
        assert_eq!(
            near("s4:GetObject"),
            ["s3:GetObject"],
            "the service misspelt"
        );
        assert!(near("s3:GetItem").contains(&"dynamodb:GetItem".to_string()));
        assert!(near("s3:GetObject").is_empty(), "known: nothing to offer");
        assert!(near("s3:Zzzzzzzzzzzzzzzz").is_empty(), "nothing near");
    }

    #[test]
    fn a_name_without_its_service_is_found_in_every_service() {
        let c = Catalog::get();
        let near = c.nearest_actions("GetObject", 20);
        assert_eq!(
            near[0], "s3:GetObject",
            "the plainest service first: {near:?}"
        );
        assert!(near.iter().all(|a| a.ends_with(":GetObject")), "{near:?}");
        assert_eq!(c.nearest_actions("AssumeRole", 5), ["sts:AssumeRole"]);
        let near = c.nearest_actions("PutObjct", 20);
        assert!(near.contains(&"s3:PutObject".to_string()), "{near:?}");
    }
}
