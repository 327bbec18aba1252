//! AWS managed policies and AWS-managed organization policies, looked up offline in
//! the built-in catalog (assets/).

use crate::catalog::Catalog;

/// An AWS managed policy as the loader needs it.
pub(crate) struct CatalogPolicy {
    pub name: String,
    pub arn: String,
    pub version: Option<String>,
    /// Compact JSON text of the default version's document.
    pub text: String,
}

/// An AWS managed IAM policy by ARN (`arn:aws:iam::aws:policy/ReadOnlyAccess`, any
/// partition) or by name.
pub(crate) fn aws_managed(arn_or_name: &str) -> Option<CatalogPolicy> {
    let p = Catalog::get().managed_policy(arn_or_name)?;
    Some(CatalogPolicy {
        name: p.name.clone(),
        arn: p.arn.clone(),
        version: Some(p.version.clone()),
        text: p.document.to_string(),
    })
}

/// `FullAWSAccess` or `RCPFullAWSAccess`: their ARN, id and document text.
pub(crate) fn org_policy(name: &str) -> Option<(String, String, String)> {
    let p = Catalog::get().org_policy_info(name)?;
    Some((
        p.arn.clone().unwrap_or_default(),
        p.id.clone().unwrap_or_default(),
        p.content.to_string(),
    ))
}
