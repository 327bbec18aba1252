//! acme, as it ships or as a scenario file of tests/fixtures/scenarios changes it.

use std::path::Path;

use orgscope::org::Org;
use orgscope::scenario::ScenarioFile;

pub fn acme() -> Org {
    orgscope::org::load_builtin_acme()
}

/// acme as `fixture` (a file of tests/fixtures/scenarios) changes it.
pub fn acme_with(fixture: &str) -> Org {
    ScenarioFile::load(&Path::new("tests/fixtures/scenarios").join(fixture))
        .unwrap_or_else(|e| panic!("{e}"))
        .apply(&acme())
        .unwrap_or_else(|e| panic!("{e}"))
}
