//! Long questions stop when asked to (the TUI's Esc), and only then; and they count
//! how far they are (the TUI's bar).

use std::sync::atomic::{AtomicUsize, Ordering};

use orgscope::analysis::{self, AnalysisError, Ask, Filter, Progress, Watch};

fn stopping() -> bool {
    true
}

#[test]
fn who_can_and_what_can_stop_when_told() {
    let org = orgscope::org::load_builtin_acme();
    let ask = Ask {
        action: "s3:GetObject".to_string(),
        resource: "arn:aws:s3:::acme-public-website/index.html".to_string(),
        ..Ask::default()
    };
    let progress = Progress::default();
    assert!(matches!(
        analysis::who_can_until(&org, &ask, Watch::new(&stopping, &progress)),
        Err(AnalysisError::Cancelled)
    ));
    let asked = AtomicUsize::new(0);
    let counting = || {
        asked.fetch_add(1, Ordering::Relaxed);
        false
    };
    let full = analysis::who_can_until(&org, &ask, Watch::new(&counting, &progress)).unwrap();
    assert!(asked.load(Ordering::Relaxed) > 0, "the stop is consulted");
    assert_eq!(
        full.allowed.len(),
        analysis::who_can(&org, &ask).unwrap().allowed.len()
    );

    let filter = Filter::default();
    assert!(matches!(
        analysis::what_can_until(&org, "dana", &filter, &[], Watch::new(&stopping, &progress)),
        Err(AnalysisError::Cancelled)
    ));
    assert!(analysis::what_can_until(&org, "dana", &filter, &[], Watch::NONE).is_ok());
}

#[test]
fn questions_count_their_progress_to_the_end() {
    let org = orgscope::org::load_builtin_acme();
    let progress = Progress::default();
    assert_eq!(progress.fraction(), None, "nothing known before a question");
    let ask = Ask {
        action: "s3:GetObject".to_string(),
        resource: "*".to_string(),
        ..Ask::default()
    };
    let watch = Watch::new(&analysis::never, &progress);
    analysis::who_can_until(&org, &ask, watch).unwrap();
    assert_eq!(progress.fraction(), Some(1.0));

    progress.reset();
    assert_eq!(progress.fraction(), None);
    // Cancelled at once: the first action is counted, and no more.
    analysis::what_can_until(
        &org,
        "dana",
        &Filter::default(),
        &[],
        Watch::new(&stopping, &progress),
    )
    .unwrap_err();
    let part = progress.fraction().unwrap();
    assert!(part > 0.0 && part < 0.001, "{part}");
    analysis::what_can_until(&org, "dana", &Filter::default(), &[], watch).unwrap();
    assert_eq!(progress.fraction(), Some(1.0));
}

#[test]
fn paths_stop_when_told_and_count_their_hops() {
    let org = orgscope::org::load_builtin_acme();
    let progress = Progress::default();
    assert!(matches!(
        analysis::paths_until(&org, "dana", None, &[], Watch::new(&stopping, &progress)),
        Err(AnalysisError::Cancelled)
    ));
    assert!(matches!(
        analysis::who_reaches_until(
            &org,
            "SecurityAuditor",
            &[],
            Watch::new(&stopping, &progress)
        ),
        Err(AnalysisError::Cancelled)
    ));
    let watch = Watch::new(&analysis::never, &progress);
    let full = analysis::paths_until(&org, "dana", None, &[], watch).unwrap();
    assert_eq!(progress.fraction(), Some(1.0));
    assert_eq!(
        full.reachable.len(),
        analysis::paths(&org, "dana", None, &[])
            .unwrap()
            .reachable
            .len()
    );
    analysis::who_reaches_until(&org, "SecurityAuditor", &[], watch).unwrap();
    assert_eq!(progress.fraction(), Some(1.0));
}
