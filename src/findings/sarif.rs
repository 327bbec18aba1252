//! Findings as SARIF 2.1.0 (OASIS "Static Analysis Results Interchange Format"), the
//! format code-scanning views and CI systems read. Each finding is a result whose
//! logical location is the org node it is about; its stable id is the fingerprint, so
//! that a result keeps its identity across runs.

use serde_json::{Value, json};

use super::{Finding, Severity};

/// One SARIF log with one run of orgscope over `source` (the org file or directory).
pub fn log(findings: &[Finding], source: &str) -> Value {
    let source = uri_reference(source);
    let mut rules: Vec<&Finding> = Vec::new();
    for f in findings {
        if !rules.iter().any(|r| r.rule == f.rule) {
            rules.push(f);
        }
    }
    rules.sort_by_key(|f| f.rule);
    let rule_index = |rule: &str| rules.iter().position(|r| r.rule == rule).unwrap_or(0);
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "orgscope",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/orgscope/orgscope",
                "rules": rules.iter().map(|f| json!({
                    "id": f.rule,
                    "shortDescription": {"text": f.why},
                    "help": {"text": f.fix},
                    "defaultConfiguration": {"level": level(f.severity)},
                    "properties": {"category": f.category},
                })).collect::<Vec<_>>(),
            }},
            "results": findings.iter().map(|f| json!({
                "ruleId": f.rule,
                "ruleIndex": rule_index(f.rule),
                "level": level(f.severity),
                "message": {"text": f.message},
                "locations": [{
                    "physicalLocation": physical(f, &source),
                    "logicalLocations": [{
                        "fullyQualifiedName": f.node,
                        "name": f.node_name,
                    }],
                }],
                "partialFingerprints": {"orgscope/v1": f.id},
                "properties": {
                    "severity": f.severity,
                    "grade": f.grade,
                    "account": f.account,
                    "policy": f.policy,
                    "statement": f.statement,
                    "location": f.location,
                },
            })).collect::<Vec<_>>(),
        }],
    })
}

/// The file and, where the finding has a statement read from a file, its line and
/// column (SARIF 2.1.0, 3.29 physicalLocation, 3.30 region: 1-based).
fn physical(f: &Finding, source: &str) -> Value {
    match &f.location {
        Some(at) => json!({
            "artifactLocation": {"uri": uri_reference(&at.file)},
            "region": {"startLine": at.line, "startColumn": at.column},
        }),
        None => json!({"artifactLocation": {"uri": source}}),
    }
}

/// A file path as a URI reference, which `artifactLocation.uri` must be (SARIF 2.1.0,
/// 3.4.3; RFC 3986): every byte but the unreserved ones and `/` percent-encoded, so
/// that a space, `#`, `%` or a `:` in the first segment (read as a scheme) keeps its
/// meaning.
fn uri_reference(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// SARIF's three levels: critical and high are errors.
fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

#[cfg(test)]
mod tests {
    use super::uri_reference;

    #[test]
    fn a_path_becomes_a_uri_reference() {
        assert_eq!(
            uri_reference("sample-orgs/acme.json"),
            "sample-orgs/acme.json"
        );
        assert_eq!(
            uri_reference("/tmp/my org #1 100%.json"),
            "/tmp/my%20org%20%231%20100%25.json"
        );
        assert_eq!(uri_reference("c:org.json"), "c%3Aorg.json");
        assert_eq!(uri_reference("é"), "%C3%A9");
    }
}
