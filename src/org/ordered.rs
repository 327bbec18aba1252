//! A JSON value whose objects keep their keys in the order they were written or read:
//! what `orgscope export` builds, so that files read the way the format documents them
//! and documents keep the order their authors gave them.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// A JSON value whose objects keep their keys in order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Out {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Out>),
    Object(Map),
}

/// An object's members, in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Map(pub Vec<(String, Out)>);

impl Map {
    pub fn new() -> Map {
        Map::default()
    }
    pub fn insert(&mut self, k: String, v: Out) {
        self.0.push((k, v));
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<(String, Out)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Out)>>(iter: I) -> Map {
        Map(iter.into_iter().collect())
    }
}

impl FromIterator<Out> for Out {
    fn from_iter<I: IntoIterator<Item = Out>>(iter: I) -> Out {
        Out::Array(iter.into_iter().collect())
    }
}

impl From<&str> for Out {
    fn from(s: &str) -> Out {
        Out::String(s.to_string())
    }
}
impl From<String> for Out {
    fn from(s: String) -> Out {
        Out::String(s)
    }
}
impl From<u32> for Out {
    fn from(n: u32) -> Out {
        Out::Number(n.into())
    }
}
impl<T: Into<Out>> From<Vec<T>> for Out {
    fn from(v: Vec<T>) -> Out {
        Out::Array(v.into_iter().map(Into::into).collect())
    }
}

impl Serialize for Out {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Out::Null => s.serialize_unit(),
            Out::Bool(b) => s.serialize_bool(*b),
            Out::Number(n) => n.serialize(s),
            Out::String(x) => s.serialize_str(x),
            Out::Array(a) => {
                let mut seq = s.serialize_seq(Some(a.len()))?;
                for x in a {
                    seq.serialize_element(x)?;
                }
                seq.end()
            }
            Out::Object(m) => {
                let mut map = s.serialize_map(Some(m.0.len()))?;
                for (k, v) in &m.0 {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Out {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Out, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Out;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Out, E> {
                Ok(Out::Null)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Out, E> {
                Ok(Out::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Out, E> {
                Ok(Out::Number(v.into()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Out, E> {
                Ok(Out::Number(v.into()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Out, E> {
                Ok(serde_json::Number::from_f64(v).map_or(Out::Null, Out::Number))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Out, E> {
                Ok(Out::String(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Out, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = seq.next_element()? {
                    v.push(x);
                }
                Ok(Out::Array(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Out, A::Error> {
                let mut m = Map::new();
                while let Some((k, v)) = map.next_entry()? {
                    m.insert(k, v);
                }
                Ok(Out::Object(m))
            }
        }
        d.deserialize_any(V)
    }
}
