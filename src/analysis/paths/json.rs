//! The JSON of `paths`: every principal reached once, each naming only the hop that
//! reaches it. The chains form a tree (every principal has one shortest path), so
//! each hop is written once and a chain is rebuilt by following `hop.from` (with
//! `--from`) or `hop.to` (with only `--to`) from one reach to the next; writing every
//! chain whole made a whole-org answer hundreds of megabytes. The single answers
//! (`to`, `nearestAdmin`) keep their whole chain.

use serde::Serialize;

use super::{HopStep, PathsAnswer, Reach, SharedText};
use crate::analysis::paths::escalation::Edge;

/// One principal of `reachable[]`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReachEntry<'a> {
    pub role: &'a str,
    pub kind: &'static str,
    pub account: &'a SharedText,
    pub account_name: &'a SharedText,
    /// Where the chain starts: with only `--to`, the principal that reaches the
    /// target (with `--from` it is the answer's `from`, not repeated).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<&'a SharedText>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_account: Option<&'a SharedText>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_account_name: Option<&'a SharedText>,
    /// How many hops the chain has.
    pub depth: usize,
    /// With `--from`: the chain's last hop (into `role`, so its `to` is left out);
    /// with only `--to`: its first (out of `from`, so its `from` is left out).
    pub hop: Option<HopEntry<'a>>,
    pub admin: bool,
    pub needs: &'a [String],
}

/// One hop, without the end its reach already names.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HopEntry<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<&'a str>,
    pub via: &'a str,
    pub steps: &'a [super::Step],
    pub needs: &'a [String],
    /// How many of `steps`, first, raise `from`'s own permissions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raised_steps: Option<usize>,
}

/// `paths --from`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PathsJson<'a> {
    pub from: &'a str,
    pub admin: bool,
    pub escalations: &'a [Edge],
    pub reachable: Vec<ReachEntry<'a>>,
    pub to: Option<&'a Reach>,
    pub target_asked: bool,
    pub nearest_admin: Option<&'a Reach>,
}

/// `paths --to` alone.
#[derive(Serialize)]
pub struct WhoReachesJson<'a> {
    /// The ARN of the role or user reached.
    pub to: &'a str,
    pub reachable: Vec<ReachEntry<'a>>,
}

/// The compact form of an answer from one principal.
pub fn paths_json(a: &PathsAnswer) -> PathsJson<'_> {
    PathsJson {
        from: &a.from,
        admin: a.admin,
        escalations: &a.escalations,
        reachable: a
            .reachable
            .iter()
            .map(|r| entry(r, r.edges.last(), false))
            .collect(),
        to: a.to.as_ref(),
        target_asked: a.target_asked,
        nearest_admin: a.nearest_admin.as_ref(),
    }
}

/// The compact form of who reaches `to`.
pub fn who_reaches_json<'a>(to: &'a str, reaches: &'a [Reach]) -> WhoReachesJson<'a> {
    WhoReachesJson {
        to,
        reachable: reaches
            .iter()
            .map(|r| entry(r, r.edges.first(), true))
            .collect(),
    }
}

fn entry<'a>(
    r: &'a Reach,
    hop: Option<&'a std::sync::Arc<HopStep>>,
    with_start: bool,
) -> ReachEntry<'a> {
    ReachEntry {
        role: &r.role,
        kind: r.kind,
        account: &r.account,
        account_name: &r.account_name,
        from: with_start.then_some(&r.from),
        from_account: with_start.then_some(&r.from_account),
        from_account_name: with_start.then_some(&r.from_account_name),
        depth: r.edges.len(),
        hop: hop.map(|h| HopEntry {
            from: (!with_start).then_some(&*h.from),
            to: with_start.then_some(&*h.to),
            via: &h.via,
            steps: &h.steps,
            needs: &h.needs,
            raised_steps: h.raised_steps,
        }),
        admin: r.admin,
        needs: &r.needs,
    }
}
