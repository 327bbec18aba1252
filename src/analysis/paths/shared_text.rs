//! Text that many reaches of one answer hold (the start principal's ARN, an
//! account's id and name): one allocation shared by reference count, where a
//! `String` per reach made a whole-org answer (233,607 reaches) spend most of its
//! time copying and freeing. Reads, compares, prints and serializes as a string.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::{Serialize, Serializer};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SharedText(Arc<str>);

impl SharedText {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for SharedText {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SharedText {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for SharedText {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<Arc<str>> for SharedText {
    fn from(s: Arc<str>) -> SharedText {
        SharedText(s)
    }
}

impl From<&str> for SharedText {
    fn from(s: &str) -> SharedText {
        SharedText(s.into())
    }
}

impl fmt::Display for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for SharedText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl PartialEq<str> for SharedText {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for SharedText {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for SharedText {
    fn eq(&self, other: &String) -> bool {
        &*self.0 == other.as_str()
    }
}

impl PartialEq<SharedText> for String {
    fn eq(&self, other: &SharedText) -> bool {
        self.as_str() == &*other.0
    }
}

impl PartialEq<SharedText> for &str {
    fn eq(&self, other: &SharedText) -> bool {
        *self == &*other.0
    }
}

#[cfg(test)]
mod tests {
    use super::SharedText;

    #[test]
    fn compares_prints_and_serializes_as_its_text() {
        let t = SharedText::from("arn:aws:iam::111111111111:role/a");
        assert_eq!(t, "arn:aws:iam::111111111111:role/a");
        assert_eq!(t, "arn:aws:iam::111111111111:role/a".to_string());
        assert_ne!(t, "arn:aws:iam::111111111111:role/b");
        assert_eq!(t.to_string(), "arn:aws:iam::111111111111:role/a");
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#""arn:aws:iam::111111111111:role/a""#
        );
        let (a, b) = (SharedText::from("a"), SharedText::from("b"));
        assert!(a < b);
    }
}
