//! Reading the simulate input: its shapes, the merge of defaults into cases, and
//! the position in the input text of every value, so that errors say where.

use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

use serde_json::value::RawValue;

use crate::policy::{Context, Request};

/// An input that cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("line {line} column {column}: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{0}")]
    Shape(String),
}

/// 1-based line and column (in bytes, as serde_json counts them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    /// The absolute position of `line:column` counted inside a value that starts here.
    pub fn offset(self, line: usize, column: usize) -> Pos {
        if line <= 1 {
            Pos {
                line: self.line,
                column: self.column + column.saturating_sub(1),
            }
        } else {
            Pos {
                line: self.line + line - 1,
                column,
            }
        }
    }
}

/// A case that cannot be evaluated: what is wrong and where.
#[derive(Debug)]
pub struct CaseError {
    pub pos: Option<Pos>,
    pub path: String,
    pub message: String,
}

impl fmt::Display for CaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = self.pos {
            write!(f, "line {} column {}, ", p.line, p.column)?;
        }
        write!(f, "at {}: {}", self.path, self.message)
    }
}

/// The input text and where its lines start.
struct Source<'t> {
    text: &'t str,
    line_starts: Vec<usize>,
}

impl<'t> Source<'t> {
    fn new(text: &'t str) -> Source<'t> {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Source { text, line_starts }
    }

    fn pos(&self, raw: &RawValue) -> Pos {
        let offset = (raw.get().as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
        let line = self.line_starts.partition_point(|&s| s <= offset);
        Pos {
            line,
            column: offset - self.line_starts[line - 1] + 1,
        }
    }
}

/// A JSON value of the input, with its position and JSON path.
#[derive(Clone)]
pub struct Located<'t> {
    pub raw: &'t RawValue,
    pub pos: Pos,
    pub path: String,
    src: Rc<Source<'t>>,
}

impl<'t> Located<'t> {
    fn new(src: &Rc<Source<'t>>, raw: &'t RawValue, path: String) -> Located<'t> {
        Located {
            raw,
            pos: src.pos(raw),
            path,
            src: src.clone(),
        }
    }

    fn child(&self, raw: &'t RawValue, path: String) -> Located<'t> {
        Located::new(&self.src, raw, path)
    }

    pub fn is_null(&self) -> bool {
        self.raw.get() == "null"
    }

    fn error(&self, message: impl Into<String>) -> CaseError {
        CaseError {
            pos: Some(self.pos),
            path: self.path.clone(),
            message: message.into(),
        }
    }

    fn kind(&self) -> &'static str {
        match self.raw.get().as_bytes().first() {
            Some(b'{') => "an object",
            Some(b'[') => "an array",
            Some(b'"') => "a string",
            Some(b't' | b'f') => "a boolean",
            Some(b'n') => "null",
            _ => "a number",
        }
    }

    pub fn array(&self) -> Result<Vec<Located<'t>>, CaseError> {
        let items: Vec<&'t RawValue> = serde_json::from_str(self.raw.get())
            .map_err(|_| self.error(format!("expected an array, found {}", self.kind())))?;
        Ok(items
            .into_iter()
            .enumerate()
            .map(|(i, r)| self.child(r, format!("{}[{i}]", self.path)))
            .collect())
    }

    fn object(&self) -> Result<BTreeMap<String, Located<'t>>, CaseError> {
        let map: BTreeMap<String, &'t RawValue> = serde_json::from_str(self.raw.get())
            .map_err(|_| self.error(format!("expected an object, found {}", self.kind())))?;
        Ok(map
            .into_iter()
            .map(|(k, r)| {
                let path = format!("{}.{k}", self.path);
                (k, self.child(r, path))
            })
            .collect())
    }

    pub fn boolean(&self) -> Result<bool, CaseError> {
        serde_json::from_str(self.raw.get())
            .map_err(|_| self.error(format!("expected true or false, found {}", self.kind())))
    }

    fn string(&self) -> Result<String, CaseError> {
        serde_json::from_str(self.raw.get())
            .map_err(|_| self.error(format!("expected a string, found {}", self.kind())))
    }

    /// A context value as AWS sees it: numbers and booleans in their string form.
    fn scalar(&self) -> Result<String, CaseError> {
        match self.raw.get().as_bytes().first() {
            Some(b'"') => self.string(),
            Some(b't' | b'f' | b'-' | b'0'..=b'9') => Ok(self.raw.get().to_string()),
            _ => Err(self.error(format!(
                "expected a string, number or boolean, found {}",
                self.kind()
            ))),
        }
    }

    /// A policy: a document, or `{"name": ..., "policy": document}`.
    pub fn named_policy(&self) -> Result<(Option<String>, Located<'t>), CaseError> {
        let obj = self.object()?;
        let named = obj.contains_key("policy") && obj.keys().all(|k| k == "name" || k == "policy");
        if !named {
            return Ok((None, self.clone()));
        }
        let name = obj.get("name").map(Located::string).transpose()?;
        Ok((name, obj["policy"].clone()))
    }
}

const CASE_FIELDS: &[&str] = &[
    "id",
    "request",
    "identityPolicies",
    "permissionsBoundary",
    "sessionPolicy",
    "scps",
    "rcps",
    "resourcePolicy",
    "vpcEndpointPolicy",
    "restrictPublicBuckets",
    "blockPublicAcls",
];
const REQUEST_FIELDS: &[&str] = &[
    "principal",
    "action",
    "resource",
    "resourcePattern",
    "resourceAccount",
    "context",
];

/// A case's fields after merging the defaults in.
pub struct Fields<'t> {
    fields: BTreeMap<String, Located<'t>>,
    request: BTreeMap<String, Located<'t>>,
    /// Where the case is, for errors about what it lacks.
    at: Located<'t>,
}

impl<'t> Fields<'t> {
    pub fn get(&self, field: &str) -> Option<&Located<'t>> {
        self.fields.get(field)
    }

    /// Whether the request names a set of resources (`resourcePattern`).
    pub fn is_pattern(&self) -> bool {
        self.request
            .get("resourcePattern")
            .is_some_and(|v| !v.is_null())
    }

    /// Whether the request's context gives `key` (names are case-insensitive).
    pub fn gives_context_key(&self, key: &str) -> bool {
        self.request
            .get("context")
            .filter(|c| !c.is_null())
            .and_then(|c| c.object().ok())
            .is_some_and(|o| o.keys().any(|k| k.eq_ignore_ascii_case(key)))
    }

    pub fn request(&self) -> Result<Request, CaseError> {
        let required = |name: &str| -> Result<String, CaseError> {
            match self.request.get(name) {
                Some(v) if !v.is_null() => v.string(),
                _ => Err(CaseError {
                    pos: Some(self.at.pos),
                    path: format!("{}.request", self.at.path),
                    message: format!("missing field `{name}`"),
                }),
            }
        };
        let principal = required("principal")?;
        let action = required("action")?;
        // `resourcePattern` in place of `resource`: the set it covers is asked.
        let resource = if self.is_pattern() {
            if self.request.get("resource").is_some_and(|v| !v.is_null()) {
                return Err(CaseError {
                    pos: Some(self.request["resourcePattern"].pos),
                    path: format!("{}.request.resourcePattern", self.at.path),
                    message:
                        "give `resource` (one resource) or `resourcePattern` (a set), not both"
                            .to_string(),
                });
            }
            required("resourcePattern")?
        } else {
            required("resource")?
        };
        let account = match self.request.get("resourceAccount") {
            Some(v) if !v.is_null() => Some(v.string()?),
            _ => None,
        };
        let mut context = Context::default();
        if let Some(c) = self.request.get("context").filter(|c| !c.is_null()) {
            for (key, v) in c.object()? {
                let values = if v.raw.get().starts_with('[') {
                    v.array()?
                        .iter()
                        .map(|x| x.scalar().map(String::into_boxed_str))
                        .collect::<Result<_, _>>()?
                } else {
                    smallvec::smallvec![v.scalar()?.into_boxed_str()]
                };
                context.insert(&key, values);
            }
        }
        Request::new(&principal, &action, &resource, account.as_deref(), context).map_err(|e| {
            let field = match e {
                crate::policy::RequestError::Principal(_) => "principal",
                crate::policy::RequestError::Action(_) => "action",
                crate::policy::RequestError::Resource(_) if self.is_pattern() => "resourcePattern",
                crate::policy::RequestError::Resource(_) => "resource",
                crate::policy::RequestError::Account(_) => "resourceAccount",
            };
            // An action is named with the catalog's nearest: `GetObject` -> `s3:GetObject`.
            let message = match field {
                "action" => crate::catalog::check_action(&action)
                    .err()
                    .filter(|n| matches!(n, crate::catalog::ActionError::Malformed { .. }))
                    .map_or_else(|| e.to_string(), |named| named.to_string()),
                _ => e.to_string(),
            };
            self.request[field].error(message)
        })
    }
}

/// One case as split from the input, before its policies are compiled.
pub struct RawCase<'t> {
    pub id: String,
    pub fields: Result<Fields<'t>, CaseError>,
}

fn json_error(e: serde_json::Error) -> InputError {
    InputError::Json {
        line: e.line(),
        column: e.column(),
        message: crate::policy::error::strip_position(&e.to_string()),
    }
}

/// Splits the input into cases, with the defaults merged into each.
pub fn split(text: &str, jsonl: bool) -> Result<Vec<RawCase<'_>>, InputError> {
    let src = Rc::new(Source::new(text));
    if jsonl {
        let mut cases = Vec::new();
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            if line.trim().is_empty() {
                continue;
            }
            let index = cases.len();
            let path = format!("$[{index}]");
            let case = match serde_json::from_str::<&RawValue>(line) {
                Ok(raw) => case(index, Located::new(&src, raw, path), None),
                Err(e) => {
                    let line_no = src.line_starts.partition_point(|&s| s <= start);
                    RawCase {
                        id: index.to_string(),
                        fields: Err(CaseError {
                            pos: Some(Pos {
                                line: line_no,
                                column: e.column(),
                            }),
                            path,
                            message: crate::policy::error::strip_position(&e.to_string()),
                        }),
                    }
                }
            };
            cases.push(case);
        }
        return Ok(cases);
    }

    let top: &RawValue = serde_json::from_str(text).map_err(json_error)?;
    let top = Located::new(&src, top, "$".to_string());
    match top.raw.get().as_bytes().first() {
        Some(b'[') => {
            let items = top.array().map_err(|e| InputError::Shape(e.to_string()))?;
            Ok(items
                .into_iter()
                .enumerate()
                .map(|(i, c)| case(i, c, None))
                .collect())
        }
        Some(b'{') => {
            let obj = top.object().map_err(|e| InputError::Shape(e.to_string()))?;
            if !obj.contains_key("cases") {
                return Ok(vec![case(0, top, None)]);
            }
            if let Some(k) = obj.keys().find(|k| *k != "cases" && *k != "defaults") {
                return Err(InputError::Shape(format!(
                    "line {} column {}, at $: unexpected field `{k}` beside `cases`; expected only `defaults` and `cases`",
                    obj[k].pos.line, obj[k].pos.column
                )));
            }
            let defaults = obj.get("defaults").filter(|d| !d.is_null());
            let defaults = defaults
                .map(|d| {
                    let fields = d.object()?;
                    check_fields(&fields, CASE_FIELDS, d)?;
                    let request = match fields.get("request") {
                        Some(r) => r.object()?,
                        None => BTreeMap::new(),
                    };
                    check_fields(&request, REQUEST_FIELDS, d)?;
                    Ok::<_, CaseError>((fields, request))
                })
                .transpose()
                .map_err(|e| InputError::Shape(e.to_string()))?;
            let items = obj["cases"]
                .array()
                .map_err(|e| InputError::Shape(e.to_string()))?;
            Ok(items
                .into_iter()
                .enumerate()
                .map(|(i, c)| case(i, c, defaults.as_ref()))
                .collect())
        }
        _ => Err(InputError::Shape(format!(
            "expected a case object, an array of cases or {{\"defaults\", \"cases\"}}, found {}",
            top.kind()
        ))),
    }
}

type Defaults<'t> = (BTreeMap<String, Located<'t>>, BTreeMap<String, Located<'t>>);

fn check_fields(
    fields: &BTreeMap<String, Located<'_>>,
    valid: &[&str],
    at: &Located<'_>,
) -> Result<(), CaseError> {
    match fields.iter().find(|(k, _)| !valid.contains(&k.as_str())) {
        None => Ok(()),
        Some((k, v)) => Err(CaseError {
            pos: Some(v.pos),
            path: at.path.clone(),
            message: format!("unknown field `{k}`, expected one of {}", valid.join(", ")),
        }),
    }
}

fn case<'t>(index: usize, at: Located<'t>, defaults: Option<&Defaults<'t>>) -> RawCase<'t> {
    let read = || -> Result<(Option<String>, Fields<'t>), CaseError> {
        let own = at.object()?;
        check_fields(&own, CASE_FIELDS, &at)?;
        let id = match own.get("id") {
            Some(v) if v.raw.get().starts_with('"') => Some(v.string()?),
            Some(v) if !v.is_null() => Some(v.scalar()?),
            _ => None,
        };
        let own_request = match own.get("request") {
            Some(r) if !r.is_null() => r.object()?,
            _ => BTreeMap::new(),
        };
        check_fields(&own_request, REQUEST_FIELDS, &at)?;
        let (mut fields, mut request) = defaults.cloned().unwrap_or_default();
        fields.extend(own);
        request.extend(own_request);
        Ok((
            id,
            Fields {
                fields,
                request,
                at: at.clone(),
            },
        ))
    };
    match read() {
        Ok((id, fields)) => RawCase {
            id: id.unwrap_or_else(|| index.to_string()),
            fields: Ok(fields),
        },
        Err(e) => RawCase {
            id: index.to_string(),
            fields: Err(e),
        },
    }
}
