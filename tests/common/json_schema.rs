//! The part of JSON Schema the project's schemas use (type, properties, required,
//! additionalProperties, items, enum, oneOf, local $ref, minItems, minimum); `pattern`
//! and the annotations are not checked. Shared by the schema tests (`mod common;`).

use std::path::Path;

use serde_json::Value;

/// A schema of assets/, by file name.
pub fn schema(file: &str) -> Value {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("assets")
            .join(file),
    )
    .unwrap();
    serde_json::from_str(&text).expect("the schema is JSON")
}

/// Every violation of `schema` by `v`, as `path: what`.
pub fn violations(schema: &Value, v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    check(schema, schema, v, "$", &mut out);
    out
}

fn type_ok(ty: &str, v: &Value) -> bool {
    match ty {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64(),
        "null" => v.is_null(),
        _ => panic!("unknown type {ty}"),
    }
}

/// Every violation of `schema` by `v`, as `path: what`.
fn check(root: &Value, schema: &Value, v: &Value, path: &str, out: &mut Vec<String>) {
    let s = match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.strip_prefix("#/$defs/").expect("local $ref");
            &root["$defs"][name]
        }
        None => schema,
    };
    if let Some(ty) = s.get("type") {
        let ok = match ty {
            Value::String(t) => type_ok(t, v),
            Value::Array(ts) => ts.iter().any(|t| type_ok(t.as_str().unwrap(), v)),
            _ => panic!("bad type"),
        };
        if !ok {
            out.push(format!("{path}: expected {ty}"));
            return;
        }
    }
    if let Some(options) = s.get("enum").and_then(Value::as_array)
        && !options.contains(v)
    {
        out.push(format!("{path}: not one of {options:?}"));
    }
    if let Some(alts) = s.get("oneOf").and_then(Value::as_array) {
        let passing = alts
            .iter()
            .filter(|a| {
                let mut errs = Vec::new();
                check(root, a, v, path, &mut errs);
                errs.is_empty()
            })
            .count();
        if passing != 1 {
            out.push(format!(
                "{path}: matches {passing} of the oneOf alternatives"
            ));
        }
    }
    if let Some(min) = s.get("minimum").and_then(Value::as_f64)
        && v.as_f64().is_some_and(|n| n < min)
    {
        out.push(format!("{path}: below {min}"));
    }
    if let Value::Object(m) = v {
        let props = s.get("properties").and_then(Value::as_object);
        for req in s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !m.contains_key(req.as_str().unwrap()) {
                out.push(format!("{path}: missing {req}"));
            }
        }
        for (k, x) in m {
            let p = format!("{path}.{k}");
            match props.and_then(|p| p.get(k)) {
                Some(sub) => check(root, sub, x, &p, out),
                None => match s.get("additionalProperties") {
                    Some(Value::Bool(false)) => out.push(format!("{p}: not allowed")),
                    Some(sub @ Value::Object(_)) => check(root, sub, x, &p, out),
                    _ => {}
                },
            }
        }
    }
    if let Value::Array(items) = v {
        if let Some(min) = s.get("minItems").and_then(Value::as_u64)
            && (items.len() as u64) < min
        {
            out.push(format!("{path}: fewer than {min} items"));
        }
        if let Some(sub) = s.get("items") {
            for (i, x) in items.iter().enumerate() {
                check(root, sub, x, &format!("{path}[{i}]"), out);
            }
        }
    }
}
