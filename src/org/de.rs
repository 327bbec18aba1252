//! Deserialization helpers shared by the loaders: strings borrowed from the input when
//! they can be, maps read as ordered entries, and AWS's "one or many".

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A string borrowed from the input unless it had escapes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub(crate) struct Str<'a>(pub Cow<'a, str>);

impl std::ops::Deref for Str<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Str<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Str<'a>, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Str<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Str<'a>, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Str<'a>, E> {
                Ok(Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Str<'a>, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V(PhantomData))
    }
}

/// A JSON object read as its entries in order; a key given twice is an error (JSON
/// readers disagree on which one wins).
#[derive(Debug, Clone)]
pub(crate) struct Entries<'a, T>(pub Vec<(Str<'a>, T)>);

impl<T> Default for Entries<'_, T> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

impl<'de: 'a, 'a, T: Deserialize<'de>> Deserialize<'de> for Entries<'a, T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a, T>(PhantomData<(&'a (), T)>);
        impl<'de: 'a, 'a, T: Deserialize<'de>> Visitor<'de> for V<'a, T> {
            type Value = Entries<'a, T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out: Vec<(Str<'a>, T)> = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(key) = map.next_key::<Str<'a>>()? {
                    // Small maps: a linear scan beats hashing; large ones are rare.
                    if out.len() < 64 && out.iter().any(|(k, _)| *k == key) {
                        return Err(de::Error::custom(format!("duplicate key `{key}`")));
                    }
                    let value = map.next_value::<T>()?;
                    out.push((key, value));
                }
                if out.len() >= 64 {
                    let mut keys: Vec<&str> = out.iter().map(|(k, _)| &*k.0).collect();
                    keys.sort_unstable();
                    if let Some(w) = keys.windows(2).find(|w| w[0] == w[1]) {
                        return Err(de::Error::custom(format!("duplicate key `{}`", w[0])));
                    }
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

/// A struct that must be given as a JSON object. serde's derived structs also accept
/// an array of their fields in order, which turns a slip like `"alice": ["Admins"]`
/// into a user whose path is `Admins`; wrapping them refuses arrays.
#[derive(Debug, Clone, Default)]
pub(crate) struct Obj<T>(pub T);

impl<T> std::ops::Deref for Obj<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Obj<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Obj<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Obj<T>, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Obj)
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

/// A list that AWS tools sometimes give as a single object, or as null.
#[derive(Debug, Clone)]
pub(crate) struct OneOrMany<T>(pub Vec<T>);

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        OneOrMany(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array or an object")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(x) = seq.next_element()? {
                    out.push(x);
                }
                Ok(OneOrMany(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                Ok(OneOrMany(vec![T::deserialize(
                    de::value::MapAccessDeserializer::new(map),
                )?]))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(OneOrMany(vec![T::deserialize(
                    de::value::StrDeserializer::<E>::new(v),
                )?]))
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(OneOrMany(vec![T::deserialize(
                    de::value::BorrowedStrDeserializer::<E>::new(v),
                )?]))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(OneOrMany(Vec::new()))
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(OneOrMany(Vec::new()))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// A JSON error with the path it happened at.
#[derive(Debug)]
pub(crate) struct JsonError {
    pub path: super::report::JsonPath,
    pub error: serde_json::Error,
}

/// Reads `T` from text: fast, and only on failure a second time with path tracking, so
/// that the error names the JSON path as well as the line and column.
pub(crate) fn from_str_tracked<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, JsonError> {
    let fast = match serde_json::from_str::<T>(text) {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let tracked = serde_path_to_error::deserialize::<_, T>(&mut de);
    Err(match tracked {
        Err(e) => JsonError {
            path: super::report::JsonPath::from_serde(e.path()),
            error: e.into_inner(),
        },
        // Only trailing text fails the fast read and not the tracked one.
        Ok(_) => JsonError {
            path: Default::default(),
            error: de.end().err().unwrap_or(fast),
        },
    })
}
