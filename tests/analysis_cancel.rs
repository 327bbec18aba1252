//! Long questions stop when asked to (the TUI's Esc), and only then.

use std::sync::atomic::{AtomicUsize, Ordering};

use orgscope::analysis::{self, AnalysisError, Ask, Filter};

#[test]
fn who_can_and_what_can_stop_when_told() {
    let org = orgscope::org::load_builtin_acme();
    let ask = Ask {
        action: "s3:GetObject".to_string(),
        resource: "arn:aws:s3:::acme-public-website/index.html".to_string(),
        ..Ask::default()
    };
    assert!(matches!(
        analysis::who_can_until(&org, &ask, &|| true),
        Err(AnalysisError::Cancelled)
    ));
    let asked = AtomicUsize::new(0);
    let counting = || {
        asked.fetch_add(1, Ordering::Relaxed);
        false
    };
    let full = analysis::who_can_until(&org, &ask, &counting).unwrap();
    assert!(asked.load(Ordering::Relaxed) > 0, "the stop is consulted");
    assert_eq!(
        full.allowed.len(),
        analysis::who_can(&org, &ask).unwrap().allowed.len()
    );

    let filter = Filter::default();
    assert!(matches!(
        analysis::what_can_until(&org, "dana", &filter, &[], &|| true),
        Err(AnalysisError::Cancelled)
    ));
    assert!(analysis::what_can_until(&org, "dana", &filter, &[], &analysis::never).is_ok());
}
