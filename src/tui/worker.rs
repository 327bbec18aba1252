//! The search worker: builds the index at startup and answers searches off the UI
//! thread, so a first key over 250,000 names never holds up a frame.

use std::sync::OnceLock;
use std::sync::mpsc::{Receiver, Sender};

use super::app::{Msg, SearchJob, Target};
use super::nodes::{Node, OrgRef, OrgTree};
use super::search::{Search, SearchIndex};
use crate::org::Org;

/// Serves searches until the app drops its end of `jobs`. Jobs queued while one
/// runs are merged: only the latest per list is searched. Each job names the org
/// shown and its index: a new one (a scenario laid over the org, or taken back)
/// starts the searches afresh.
pub fn serve(
    org: &Org,
    index: &OnceLock<SearchIndex<Node>>,
    jobs: Receiver<SearchJob>,
    found: Sender<Msg>,
) {
    // The loaded org's index, built before the first key.
    index.get_or_init(|| super::org_index::build(&OrgTree::new(org)));
    // One search per list, each narrowing its own previous query.
    let mut searches: [Search; 3] = Default::default();
    let mut view = 0;
    let slot = Target::slot;
    while let Ok(first) = jobs.recv() {
        let mut latest: [Option<SearchJob>; 3] = [None, None, None];
        let i = slot(first.target);
        latest[i] = Some(first);
        while let Ok(job) = jobs.try_recv() {
            let i = slot(job.target);
            latest[i] = Some(job);
        }
        for job in latest.into_iter().flatten() {
            if job.view != view {
                view = job.view;
                searches = Default::default();
            }
            let index = job.index.0.get_or_init(|| {
                let tree = match &job.changed {
                    Some(o) => OrgTree::of(OrgRef::Changed(o.0.clone())),
                    None => OrgTree::new(org),
                };
                super::org_index::build(&tree)
            });
            let search = &mut searches[slot(job.target)];
            search.set_query(index, &job.query, job.only);
            if found
                .send(Msg::Found(job.target, job.view, search.matches().clone()))
                .is_err()
            {
                return;
            }
        }
    }
}
