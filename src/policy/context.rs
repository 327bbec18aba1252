//! The request context: condition keys and their values.
//!
//! Key names are case-insensitive in AWS (`aws:SourceIp` = `AWS:SOURCEIP`, and the tag
//! part of `aws:PrincipalTag/Team` too), so keys are stored lower-cased and sorted once,
//! when the request is built; lookups during evaluation allocate nothing.

use smallvec::SmallVec;

pub type Values = SmallVec<[Box<str>; 1]>;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Context {
    entries: Vec<(Box<str>, Values)>,
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
            ctx.insert(k.as_ref(), v.into_iter().map(String::into_boxed_str).collect());
        }
        ctx
    }

    /// Sets a key, replacing any earlier value.
    pub fn insert(&mut self, key: &str, values: Values) {
        let key = key.to_ascii_lowercase();
        match self.entries.binary_search_by(|(k, _)| (**k).cmp(&key)) {
            Ok(i) => self.entries[i].1 = values,
            Err(i) => self.entries.insert(i, (key.into_boxed_str(), values)),
        }
    }

    /// Sets a key only where the caller did not give it.
    pub fn insert_default(&mut self, key: &str, value: &str) {
        if self.get(&key.to_ascii_lowercase()).is_none() {
            self.insert(key, SmallVec::from_elem(value.into(), 1));
        }
    }

    /// Values of a key; `lower_key` must already be lower-cased.
    pub fn get(&self, lower_key: &str) -> Option<&[Box<str>]> {
        self.entries
            .binary_search_by(|(k, _)| (**k).cmp(lower_key))
            .ok()
            .map(|i| self.entries[i].1.as_slice())
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| &**k)
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_case_insensitive() {
        let ctx = Context::from_pairs([("AWS:SourceIp", vec!["10.0.0.1".to_string()])]);
        assert_eq!(ctx.get("aws:sourceip").map(|v| v.len()), Some(1));
        assert!(ctx.get("aws:SourceIp").is_none(), "lookups take lower-cased keys");
    }

    #[test]
    fn defaults_never_override() {
        let mut ctx = Context::from_pairs([("aws:username", vec!["bob".to_string()])]);
        ctx.insert_default("AWS:Username", "alice");
        ctx.insert_default("aws:PrincipalAccount", "111122223333");
        assert_eq!(ctx.get("aws:username").unwrap()[0].as_ref(), "bob");
        assert_eq!(ctx.get("aws:principalaccount").unwrap()[0].as_ref(), "111122223333");
    }
}
