//! Notes on a question that is answered but may not be the one meant.

use crate::catalog::{ActionError, check_action};

/// What may be wrong with a question that is still answered, from the AWS catalog
/// this build carries: an action it does not know (most likely a typo, which no policy
/// but a wildcard grants), or a resource unlike every resource the action acts on
/// (`s3:GetObject` on a bucket's ARN: AWS authorizes it on objects, so the answer
/// would be about a request AWS never receives).
pub fn question_notes(action: &str, resource: &str) -> Vec<String> {
    match check_action(action) {
        Ok(()) => {}
        Err(e @ ActionError::Unknown { .. }) => return vec![e.to_string()],
        // The question is refused: its error says what is wrong.
        Err(ActionError::Malformed { .. }) => return Vec::new(),
    }
    let catalog = crate::catalog::Catalog::get();
    let Some(a) = catalog.action(action) else {
        return Vec::new();
    };
    let Some(arn) = crate::policy::Arn::parse(resource) else {
        return Vec::new();
    };
    if a.resource_types.is_empty() {
        return vec![format!(
            "`{action}` acts on no particular resource: AWS authorizes it against `*`"
        )];
    }
    let service = catalog.service_info(a.service);
    let mut types: Vec<(&str, &str)> = a
        .resource_types
        .iter()
        .filter_map(|t| {
            let def = service?.resources.iter().find(|d| d.name == t.name)?;
            Some((def.name.as_str(), def.arn.as_str()))
        })
        .collect();
    let target = crate::policy::arn::ResourceRef::Arn(&arn);
    let fits = types.is_empty()
        || types.iter().any(|(_, t)| {
            crate::policy::arn::ArnPattern::compile(&variables_as_wildcards(t), false)
                .matches(&target, &crate::policy::Context::default())
        });
    if fits {
        return Vec::new();
    }
    // The plainest form first: where the line is cut short, it is what shows.
    types.sort_by_key(|(_, t)| t.len());
    let listed: Vec<String> = types.iter().map(|(n, t)| format!("{n} ({t})")).collect();
    vec![format!(
        "`{resource}` is not a resource `{action}` acts on: {}",
        listed.join(", ")
    )]
}

/// `arn:${Partition}:s3:::${BucketName}` as the pattern `arn:*:s3:::*`.
fn variables_as_wildcards(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        out.push('*');
        rest = rest[start..]
            .find('}')
            .map_or("", |end| &rest[start + end + 1..]);
    }
    out.push_str(rest);
    out
}
