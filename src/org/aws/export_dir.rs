//! A directory of AWS CLI output for a whole organization.

use std::path::Path;

use crate::org::Org;
use crate::org::report::Report;

pub(crate) fn load(_dir: &Path) -> (Option<Org>, Report) {
    (None, Report::default())
}
