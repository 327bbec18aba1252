//! What AWS gives: `get-account-authorization-details` output, and directories of AWS
//! CLI output for a whole organization (docs/aws-export.md).

pub(crate) mod authz;
mod credreport;
pub(crate) mod export_dir;
