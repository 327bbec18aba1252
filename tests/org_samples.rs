//! The sample organizations load clean and round-trip through the native format.

use orgscope::org::{self, export};

#[test]
fn acme_loads_without_findings() {
    let (org, report) = org::load_str("sample-orgs/acme.json", org::ACME);
    assert!(report.is_clean(), "{report}");
    let org = org.expect("acme loads");
    let s = org.stats();
    assert!(s.accounts >= 10, "{s:?}");
    assert_eq!(s.ous, 8);
}

#[test]
fn acme_round_trips_through_export() {
    let org = org::load_builtin_acme();
    let text = export::to_native_text(&org);
    let (again, report) = org::load_str("exported.json", &text);
    assert!(report.is_clean(), "{report}\n{text}");
    let again = again.expect("the export loads");
    assert_eq!(again.stats(), org.stats());
    assert_eq!(export::to_native(&again), export::to_native(&org));
    assert_eq!(export::to_native_text(&again), text);
}
