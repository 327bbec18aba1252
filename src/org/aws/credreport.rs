//! IAM credential reports (`aws iam get-credential-report`): who has a password, MFA
//! and access keys, and when each was last used.
//!
//! The CLI returns JSON whose `Content` is the CSV report in base64; the decoded CSV
//! (`--query Content --output text | base64 -d`) is accepted as well.

use jiff::Timestamp;

use crate::org::entities::{AccessKey, Credentials, Password};
use crate::org::time::parse_time;

/// One row of the report.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    /// 1-based line in the CSV.
    pub line: usize,
    /// `<root_account>` for the root user.
    pub user: String,
    pub arn: String,
    pub credentials: Credentials,
}

/// Standard base64 (with or without padding, whitespace ignored).
pub(crate) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            b' ' | b'\n' | b'\r' | b'\t' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Splits one CSV line; fields may be quoted with `"` (doubled inside).
fn split_csv(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (',', false) => out.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    out.push(field);
    out
}

/// `N/A`, `no_information`, `not_supported` and empty fields are no date.
fn date(v: Option<&str>) -> Option<Timestamp> {
    v.filter(|v| !matches!(*v, "" | "N/A" | "no_information" | "not_supported"))
        .and_then(parse_time)
}

fn flag(v: Option<&str>) -> bool {
    v.is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

fn text(v: Option<&str>) -> Option<Box<str>> {
    v.filter(|v| !matches!(*v, "" | "N/A")).map(Into::into)
}

/// Parses the CSV report. `Err` when it has no `user` and `arn` columns.
pub(crate) fn parse(csv: &str) -> Result<Vec<Row>, String> {
    let mut lines = csv.lines();
    let header = split_csv(lines.next().unwrap_or(""));
    let col = |name: &str| header.iter().position(|h| h.trim() == name);
    let (Some(user_col), Some(arn_col)) = (col("user"), col("arn")) else {
        return Err(
            "not a credential report: the first line has no `user` and `arn` columns".into(),
        );
    };
    let mut rows = Vec::new();
    for (i, line) in lines.enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let f = split_csv(line);
        let get = |name: &str| col(name).and_then(|c| f.get(c)).map(|s| s.trim());
        let key = |n: u8| {
            let active = flag(get(&format!("access_key_{n}_active")));
            let created = date(get(&format!("access_key_{n}_last_rotated")));
            (active || created.is_some()).then(|| AccessKey {
                id: None,
                active,
                created,
                last_used: date(get(&format!("access_key_{n}_last_used_date"))),
                last_service: text(get(&format!("access_key_{n}_last_used_service"))),
                last_region: text(get(&format!("access_key_{n}_last_used_region"))),
            })
        };
        let password = flag(get("password_enabled")).then(|| Password {
            last_used: date(get("password_last_used")),
            last_changed: date(get("password_last_changed")),
        });
        rows.push(Row {
            line: i + 2,
            user: f.get(user_col).cloned().unwrap_or_default(),
            arn: f.get(arn_col).cloned().unwrap_or_default(),
            credentials: Credentials {
                mfa: flag(get("mfa_active")),
                mfa_devices: Vec::new(),
                password,
                access_keys: [key(1), key(2)].into_iter().flatten().collect(),
            },
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_users_keys_and_the_root_user() {
        let csv = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n\
<root_account>,arn:aws:iam::123456789012:root,2015-01-01T00:00:00+00:00,not_supported,2023-01-01T00:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n\
bob,arn:aws:iam::123456789012:user/bob,2019-01-01T00:00:00+00:00,true,no_information,2019-01-01T00:00:00+00:00,N/A,false,true,2019-01-02T00:00:00+00:00,2020-05-05T10:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n";
        let rows = parse(csv).unwrap();
        assert_eq!(rows.len(), 2);
        assert!(rows[0].credentials.mfa);
        assert_eq!(rows[0].credentials.password, None);
        let bob = &rows[1].credentials;
        assert!(!bob.mfa);
        assert_eq!(bob.password.as_ref().unwrap().last_used, None);
        assert_eq!(bob.access_keys.len(), 1);
        assert_eq!(bob.access_keys[0].last_service.as_deref(), Some("s3"));
        assert_eq!(rows[1].line, 3);
    }

    #[test]
    fn base64_and_quoted_fields() {
        assert_eq!(base64_decode("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(base64_decode("aGVs\nbG8").unwrap(), b"hello");
        assert_eq!(base64_decode("a$"), None);
        assert_eq!(split_csv("a,\"b,c\",\"d\"\"e\""), ["a", "b,c", "d\"e"]);
    }
}
