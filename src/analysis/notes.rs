//! Notes on a question that is answered but may not be the one meant, and the
//! action that cannot be: what the AWS catalog knows offered in place of a misspelling.

/// How many actions "did you mean" offers.
const OFFERED: usize = 5;

/// An action that the question may not be about as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    /// No `service:` prefix: not an action at all (the question cannot be asked).
    #[error("`{action}` is not an action; expected `service:Action`{}", offer(.nearest, ", e.g. `s3:GetObject`"))]
    Malformed {
        action: String,
        nearest: Vec<String>,
    },
    /// Well formed, but not in the catalog: most likely misspelt (the catalog may
    /// also lag behind AWS, so the question is still answered unless asked strictly).
    #[error("`{action}` is not an action in the AWS catalog orgscope carries{}", offer(.nearest, ": check its spelling"))]
    Unknown {
        action: String,
        nearest: Vec<String>,
    },
}

fn offer(nearest: &[String], otherwise: &str) -> String {
    let quoted: Vec<String> = nearest.iter().map(|a| format!("`{a}`")).collect();
    match quoted.as_slice() {
        [] => otherwise.to_string(),
        [one] => format!(": did you mean {one}?"),
        _ => format!(": did you mean one of {}?", quoted.join(", ")),
    }
}

/// Whether the catalog knows `action`; a pattern (`s3:Get*`) passes, for the analysis
/// to refuse in its own words.
pub fn check_action(action: &str) -> Result<(), ActionError> {
    if action.contains(['*', '?']) {
        return Ok(());
    }
    let catalog = crate::catalog::Catalog::get();
    let has_service = action
        .split_once(':')
        .is_some_and(|(s, n)| !s.is_empty() && !n.is_empty());
    if has_service && catalog.action(action).is_some() {
        return Ok(());
    }
    let nearest = catalog.nearest_actions(action, OFFERED);
    let action = action.to_string();
    Err(if has_service {
        ActionError::Unknown { action, nearest }
    } else {
        ActionError::Malformed { action, nearest }
    })
}

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
