//! The request context: condition keys and their values.
//!
//! Key names are case-insensitive in AWS (`aws:SourceIp` = `AWS:SOURCEIP`, and the tag
//! part of `aws:PrincipalTag/Team` too), so keys are interned lower-cased once,
//! when the request is built; lookups during evaluation allocate nothing.

use std::collections::HashMap;
use std::sync::{OnceLock, RwLock};

use smallvec::SmallVec;

pub type Values = SmallVec<[Box<str>; 1]>;

/// A condition key, lower-cased and interned: every distinct key gets one number
/// for the life of the process, so that lookups during evaluation compare integers.
/// The text is interned too (kept for the life of the process, as keys are few), so a
/// key is `Copy`: no reference count for threads to contend on.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    id: u32,
    lower: &'static str,
}

/// One id per distinct lower-cased text, so the id alone decides.
impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.id == other.id
    }
}

impl Eq for Key {}

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}

/// Every key interned so far: its number by lower-cased text, and by number the
/// spelling to show (AWS's own, as policies write it: `aws:SecureTransport`).
#[derive(Default)]
struct Interned {
    ids: HashMap<&'static str, u32>,
    spellings: Vec<&'static str>,
}

fn interned() -> &'static RwLock<Interned> {
    static KEYS: OnceLock<RwLock<Interned>> = OnceLock::new();
    KEYS.get_or_init(Default::default)
}

impl Key {
    pub fn new(name: &str) -> Key {
        let keys = interned();
        // Most keys and services come lower-cased already: no allocation for them.
        let lowered;
        let lower: &str = if name.bytes().any(|b| b.is_ascii_uppercase()) {
            lowered = name.to_ascii_lowercase();
            &lowered
        } else {
            name
        };
        let spelt = lower != name;
        {
            let r = keys.read().unwrap_or_else(|e| e.into_inner());
            if let Some((k, &id)) = r.ids.get_key_value(lower) {
                // A spelling with capitals is AWS's (keys are documented in camel
                // case): it replaces one seen only in lower case.
                if !spelt || r.spellings[id as usize] != *k {
                    return Key { id, lower: k };
                }
            }
        }
        let mut w = keys.write().unwrap_or_else(|e| e.into_inner());
        if let Some((k, &id)) = w.ids.get_key_value(lower) {
            let k: &'static str = k;
            if spelt && w.spellings[id as usize] == k {
                w.spellings[id as usize] = Box::leak(name.to_string().into_boxed_str());
            }
            return Key { id, lower: k };
        }
        let id = w.spellings.len() as u32;
        let lower: &'static str = Box::leak(lower.to_string().into_boxed_str());
        let spelling = if spelt {
            Box::leak(name.to_string().into_boxed_str())
        } else {
            lower
        };
        w.ids.insert(lower, id);
        w.spellings.push(spelling);
        Key { id, lower }
    }

    /// The key as AWS spells it, where a policy or a request gave that spelling
    /// (`aws:SecureTransport`); else lower-cased.
    pub fn spelling(&self) -> &'static str {
        interned()
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .spellings[self.id as usize]
    }

    pub fn as_str(&self) -> &str {
        self.lower
    }

    /// The interned number: equal keys, equal ids.
    pub(crate) fn id(&self) -> u32 {
        self.id
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.lower)
    }
}

/// Keys are few (a dozen in a typical request), so a linear scan over their ids
/// beats any map.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Context {
    entries: Vec<(Key, Values)>,
}

impl Context {
    pub fn from_pairs<K, V, I>(pairs: I) -> Context
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: IntoIterator<Item = String>,
    {
        let mut ctx = Context::default();
        for (k, v) in pairs {
            ctx.insert(
                k.as_ref(),
                v.into_iter().map(String::into_boxed_str).collect(),
            );
        }
        ctx
    }

    /// Sets a key, replacing any earlier value.
    pub fn insert(&mut self, key: &str, values: Values) {
        self.insert_key(Key::new(key), values);
    }

    /// Sets an interned key, replacing any earlier value.
    pub fn insert_key(&mut self, key: Key, values: Values) {
        match self.entries.iter().position(|(k, _)| k.id == key.id) {
            Some(i) => self.entries[i].1 = values,
            None => self.entries.push((key, values)),
        }
    }

    /// Takes an interned key out.
    pub fn remove_key(&mut self, key: &Key) {
        self.entries.retain(|(k, _)| k.id != key.id);
    }

    /// A copy with room for `more` keys, so that adding them does not reallocate.
    pub fn clone_with_room(&self, more: usize) -> Context {
        let mut entries = Vec::with_capacity(self.entries.len() + more);
        entries.extend(self.entries.iter().cloned());
        Context { entries }
    }

    /// Sets an interned key only where the caller did not give it.
    pub fn insert_default_key(&mut self, key: &Key, value: &str) {
        if self.get_key(key).is_some() {
            return;
        }
        // One value made in place: `SmallVec::from_elem` clones it and drops the
        // original, two allocations for every key of every request.
        self.entries.push((*key, smallvec::smallvec![value.into()]));
    }

    /// Sets a key only where the caller did not give it.
    pub fn insert_default(&mut self, key: &str, value: &str) {
        if self.get(&key.to_ascii_lowercase()).is_none() {
            self.insert(key, smallvec::smallvec![value.into()]);
        }
    }

    /// Values of a key; `lower_key` must already be lower-cased.
    pub fn get(&self, lower_key: &str) -> Option<&[Box<str>]> {
        self.get_key(&Key::new(lower_key))
            .filter(|_| !lower_key.bytes().any(|b| b.is_ascii_uppercase()))
    }

    /// Values of a key, without allocating.
    #[inline]
    pub fn get_key(&self, key: &Key) -> Option<&[Box<str>]> {
        self.entries
            .iter()
            .find(|(k, _)| k.id == key.id)
            .map(|(_, v)| v.as_slice())
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every key (lower-cased) with its values.
    pub fn keys(&self) -> impl Iterator<Item = (&str, &[Box<str>])> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_case_insensitive() {
        let ctx = Context::from_pairs([("AWS:SourceIp", vec!["10.0.0.1".to_string()])]);
        assert_eq!(ctx.get("aws:sourceip").map(|v| v.len()), Some(1));
        assert!(
            ctx.get("aws:SourceIp").is_none(),
            "lookups take lower-cased keys"
        );
    }

    #[test]
    fn defaults_never_override() {
        let mut ctx = Context::from_pairs([("aws:username", vec!["bob".to_string()])]);
        ctx.insert_default("AWS:Username", "alice");
        ctx.insert_default("aws:PrincipalAccount", "111122223333");
        assert_eq!(ctx.get("aws:username").unwrap()[0].as_ref(), "bob");
        assert_eq!(
            ctx.get("aws:principalaccount").unwrap()[0].as_ref(),
            "111122223333"
        );
    }
}
