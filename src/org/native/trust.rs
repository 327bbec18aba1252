//! The trust shorthand: `"trust": ["111122223333", "ec2.amazonaws.com"]` stands for the
//! usual trust policy that lets those principals call `sts:AssumeRole`.

use serde_json::{Value, json};

/// The name every trust policy is compiled under.
pub(crate) const NAME: &str = "trust policy";

/// The trust policy a shorthand list stands for: account ids become
/// `arn:PARTITION:iam::ACCOUNT:root`, ARNs and `*` go under `AWS`, names ending in
/// `.amazonaws.com` under `Service`.
pub(crate) fn expand(partition: &str, principals: &[String]) -> Result<String, String> {
    if principals.is_empty() {
        return Err("an empty trust list lets nobody assume the role; list principals, or give a trust policy document".into());
    }
    let mut aws = Vec::new();
    let mut service = Vec::new();
    for p in principals {
        if p.len() == 12 && p.bytes().all(|b| b.is_ascii_digit()) {
            aws.push(format!("arn:{partition}:iam::{p}:root"));
        } else if p == "*" || p.starts_with("arn:") {
            aws.push(p.clone());
        } else if p.ends_with(".amazonaws.com") || p.ends_with(".amazonaws.com.cn") {
            service.push(p.clone());
        } else {
            return Err(format!(
                "`{p}` is not a principal; expected an account id, an ARN, `*` or a service like `ec2.amazonaws.com`"
            ));
        }
    }
    let one_or_many = |v: Vec<String>| {
        if v.len() == 1 {
            Value::String(v.into_iter().next().unwrap_or_default())
        } else {
            Value::from(v)
        }
    };
    let mut principal = serde_json::Map::new();
    if !aws.is_empty() {
        principal.insert("AWS".into(), one_or_many(aws));
    }
    if !service.is_empty() {
        principal.insert("Service".into(), one_or_many(service));
    }
    Ok(json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}]
    })
    .to_string())
}

/// The shorthand list for a trust policy that is exactly what [`expand`] writes, so
/// that an export stays short; `None` for anything else.
pub(crate) fn shorthand(partition: &str, doc: &Value) -> Option<Vec<String>> {
    let obj = doc.as_object()?;
    if obj.len() != 2 || obj.get("Version")? != "2012-10-17" {
        return None;
    }
    let [stmt] = obj.get("Statement")?.as_array()?.as_slice() else {
        return None;
    };
    let stmt = stmt.as_object()?;
    if stmt.len() != 3 || stmt.get("Effect")? != "Allow" || stmt.get("Action")? != "sts:AssumeRole"
    {
        return None;
    }
    let principal = stmt.get("Principal")?.as_object()?;
    let strings = |v: &Value| -> Option<Vec<String>> {
        match v {
            Value::String(s) => Some(vec![s.clone()]),
            Value::Array(a) if a.len() > 1 => {
                a.iter().map(|x| x.as_str().map(str::to_string)).collect()
            }
            _ => None,
        }
    };
    let mut out = Vec::new();
    for (k, v) in principal {
        match k.as_str() {
            "AWS" => {
                for a in strings(v)? {
                    let root = a
                        .strip_prefix(&format!("arn:{partition}:iam::"))
                        .and_then(|r| r.strip_suffix(":root"))
                        .filter(|acct| {
                            acct.len() == 12 && acct.bytes().all(|b| b.is_ascii_digit())
                        });
                    match root {
                        Some(acct) => out.push(acct.to_string()),
                        None if a == "*" || a.starts_with("arn:") => out.push(a),
                        None => return None,
                    }
                }
            }
            "Service" => {
                for s in strings(v)? {
                    if !(s.ends_with(".amazonaws.com") || s.ends_with(".amazonaws.com.cn")) {
                        return None;
                    }
                    out.push(s);
                }
            }
            _ => return None,
        }
    }
    let again: Value = serde_json::from_str(&expand(partition, &out).ok()?).ok()?;
    (again == *doc).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorthand_round_trips() {
        let list = vec![
            "111122223333".to_string(),
            "ec2.amazonaws.com".to_string(),
            "arn:aws:iam::444455556666:role/ci".to_string(),
        ];
        let text = expand("aws", &list).unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap();
        let back = shorthand("aws", &doc).unwrap();
        let mut sorted = back.clone();
        sorted.sort();
        let mut want = list.clone();
        want.sort();
        assert_eq!(sorted, want);
        let with_condition = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Condition": {}}]});
        assert_eq!(shorthand("aws", &with_condition), None);
        assert!(
            expand("aws", &["bob".into()])
                .unwrap_err()
                .contains("`bob` is not a principal")
        );
    }
}
