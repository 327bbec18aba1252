//! Writing any loaded organization as a native file (docs/org-format.md).
//!
//! The output is what a person would write: defaults left out (FullAWSAccess where
//! nothing else is attached, `/` paths), customer managed policies by name, AWS
//! managed ones by ARN, trust policies as a principal list when that says it all.
//! Loading the output gives the same organization.

use serde_json::Value;

use super::Org;
use super::entities::*;
use super::ids::*;
use super::native::trust;
use super::ordered::{Map, Out};

/// The organization as a native file's JSON value (object keys sorted, as
/// `serde_json::Value` keeps them; [`to_native_text`] keeps the readable order).
pub fn to_native(org: &Org) -> Value {
    serde_json::to_value(native(org, DocForm::Readable)).unwrap_or(Value::Null)
}

/// How documents are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DocForm {
    /// As JSON objects, a trust policy as a principal list where that says it all.
    Readable,
    /// Each as its text in a JSON string, byte for byte: nothing is parsed, and the
    /// org loaded from the output holds the same texts (what-if rebuilds an org this
    /// way and finds what did not change by its text).
    Verbatim,
}

/// As [`to_native`], each document as its exact text in a JSON string.
pub(crate) fn to_native_verbatim(org: &Org) -> Value {
    serde_json::to_value(native(org, DocForm::Verbatim)).unwrap_or(Value::Null)
}

/// The organization as native file text: pretty-printed, keys in the order the format
/// documents them, documents in the order they were written.
///
/// `orgscope export ORG -o FILE` loads ORG with [`super::load`] and writes this text
/// with [`crate::atomic_write::write`] (to a temporary file, then renamed; never over
/// an input).
pub fn to_native_text(org: &Org) -> String {
    let mut text =
        serde_json::to_string_pretty(&native(org, DocForm::Readable)).unwrap_or_default();
    text.push('\n');
    text
}

fn native(org: &Org, form: DocForm) -> Out {
    let mut out = Map::new();
    let in_org = org.info().id.is_some();
    if in_org {
        out.insert("organization".into(), organization(org));
        out.insert("root".into(), root(org));
        let (scps, rcps) = org_policies(org, form);
        if !scps.is_empty() {
            out.insert("scps".into(), Out::Object(scps));
        }
        if !rcps.is_empty() {
            out.insert("rcps".into(), Out::Object(rcps));
        }
        if !org.ous().is_empty() {
            out.insert("ous".into(), org.ous().iter().map(|o| ou(org, o)).collect());
        }
    }
    let aws = aws_managed(org, form);
    if !aws.is_empty() {
        out.insert("aws_managed".into(), Out::Object(aws));
    }
    out.insert(
        "accounts".into(),
        org.accounts()
            .iter()
            .map(|a| account(org, a, in_org, form))
            .collect(),
    );
    Out::Object(out)
}

fn document(org: &Org, p: PolicyIx, form: DocForm) -> Out {
    doc_out(org, org.policy(p).doc, form)
}

fn doc_out(org: &Org, d: crate::org::DocIx, form: DocForm) -> Out {
    let text = &org.docs()[d.index()].text;
    if form == DocForm::Verbatim {
        return Out::String(text.to_string());
    }
    serde_json::from_str(text).unwrap_or(Out::Null)
}

fn time(t: Option<jiff::Timestamp>) -> Option<Out> {
    t.map(|t| Out::String(t.to_string()))
}

/// Inserts `v` unless it is absent.
fn put(m: &mut Map, k: &str, v: Option<Out>) {
    if let Some(v) = v {
        m.insert(k.into(), v);
    }
}

fn organization(org: &Org) -> Out {
    let info = org.info();
    let mut m = Map::new();
    put(&mut m, "id", info.id.as_deref().map(Out::from));
    let mgmt = info
        .management_account
        .map(|a| org.account(a).id.to_string());
    put(&mut m, "management_account", mgmt.map(Out::from));
    if &*info.partition != "aws" {
        m.insert("partition".into(), Out::from(&*info.partition));
    }
    if !info.scps_enabled {
        m.insert("scps_enabled".into(), Out::Bool(false));
    }
    if !info.rcps_enabled {
        m.insert("rcps_enabled".into(), Out::Bool(false));
    }
    put(
        &mut m,
        "description",
        info.description.as_deref().map(Out::from),
    );
    Out::Object(m)
}

/// SCP and RCP attachments, left out when they are AWS's default.
fn attachments(org: &Org, m: &mut Map, scps: &[PolicyIx], rcps: &[PolicyIx]) {
    for (key, list, builtin, enabled) in [
        ("scps", scps, "FullAWSAccess", org.info().scps_enabled),
        ("rcps", rcps, "RCPFullAWSAccess", org.info().rcps_enabled),
    ] {
        let names: Vec<&str> = list.iter().map(|&p| org.policy_name(p)).collect();
        let default = if enabled {
            names == [builtin]
        } else {
            names.is_empty()
        };
        if !default {
            m.insert(key.into(), Out::from(names));
        }
    }
}

fn root(org: &Org) -> Out {
    let r = org.root();
    let mut m = Map::new();
    m.insert("id".into(), Out::from(&*r.id));
    if &*r.name != "Root" {
        m.insert("name".into(), Out::from(&*r.name));
    }
    attachments(org, &mut m, &r.scps, &r.rcps);
    Out::Object(m)
}

fn org_policies(org: &Org, form: DocForm) -> (Map, Map) {
    let (mut scps, mut rcps) = (Map::new(), Map::new());
    for (i, p) in org.policies().iter().enumerate() {
        let ix = PolicyIx(i as u32);
        let target = match p.origin {
            PolicyOrigin::Scp => &mut scps,
            PolicyOrigin::Rcp => &mut rcps,
            _ => continue,
        };
        let name = org.policy_name(ix);
        let builtin = matches!(name, "FullAWSAccess" | "RCPFullAWSAccess")
            && p.id.as_deref().is_some_and(|id| id == format!("p-{name}"))
            && p.description.as_deref() == Some("AWS managed");
        if builtin {
            continue;
        }
        let mut m = Map::new();
        put(&mut m, "id", p.id.as_deref().map(Out::from));
        put(&mut m, "arn", p.arn.as_deref().map(Out::from));
        put(
            &mut m,
            "description",
            p.description.as_deref().map(Out::from),
        );
        m.insert("document".into(), document(org, ix, form));
        target.insert(name.to_string(), Out::Object(m));
    }
    (scps, rcps)
}

/// AWS managed policies whose document is not the catalog's, so that the file says
/// what the account saw.
fn aws_managed(org: &Org, form: DocForm) -> Map {
    let mut out = Map::new();
    for (i, p) in org.policies().iter().enumerate() {
        if p.origin != PolicyOrigin::AwsManaged {
            continue;
        }
        let ix = PolicyIx(i as u32);
        let arn = p.arn.as_deref().unwrap_or_default();
        let ours: Value = serde_json::from_str(&org.doc(ix).text).unwrap_or(Value::Null);
        let same = crate::catalog::Catalog::get()
            .managed_policy(arn)
            .is_some_and(|c| c.document == ours);
        if same {
            continue;
        }
        let mut m = Map::new();
        put(&mut m, "version", p.version.as_deref().map(Out::from));
        put(
            &mut m,
            "description",
            p.description.as_deref().map(Out::from),
        );
        m.insert("document".into(), document(org, ix, form));
        out.insert(arn.to_string(), Out::Object(m));
    }
    out
}

fn parent(org: &Org, p: Parent) -> Out {
    match p {
        Parent::Root => Out::from("root"),
        Parent::Ou(o) => Out::from(&*org.ou(o).id),
    }
}

fn ou(org: &Org, o: &Ou) -> Out {
    let mut m = Map::new();
    m.insert("id".into(), Out::from(&*o.id));
    m.insert("name".into(), Out::from(&*o.name));
    if o.parent != Parent::Root {
        m.insert("parent".into(), parent(org, o.parent));
    }
    attachments(org, &mut m, &o.scps, &o.rcps);
    Out::Object(m)
}

/// A managed policy reference as a principal of `account` would write it.
fn managed_ref(org: &Org, p: PolicyIx) -> Out {
    let rec = org.policy(p);
    match rec.origin {
        PolicyOrigin::CustomerManaged(_) => Out::from(org.policy_name(p)),
        _ => Out::from(rec.arn.as_deref().unwrap_or_default()),
    }
}

fn managed_list(org: &Org, list: &[PolicyIx]) -> Option<Out> {
    (!list.is_empty()).then(|| list.iter().map(|&p| managed_ref(org, p)).collect())
}

fn inline_map(org: &Org, list: &[PolicyIx], form: DocForm) -> Option<Out> {
    (!list.is_empty()).then(|| {
        Out::Object(
            list.iter()
                .map(|&p| (org.policy_name(p).to_string(), document(org, p, form)))
                .collect(),
        )
    })
}

fn tags(list: &[Tag]) -> Option<Out> {
    (!list.is_empty()).then(|| {
        Out::Object(
            list.iter()
                .map(|t| (t.key.to_string(), Out::from(&*t.value)))
                .collect(),
        )
    })
}

fn path(p: &str) -> Option<Out> {
    (p != "/").then(|| Out::from(p))
}

fn credentials(m: &mut Map, c: &Credentials) {
    if !c.mfa_devices.is_empty() {
        let devices: Vec<&str> = c.mfa_devices.iter().map(|d| &**d).collect();
        m.insert("mfa".into(), Out::from(devices));
    } else if c.mfa {
        m.insert("mfa".into(), Out::Bool(true));
    }
    if let Some(p) = &c.password {
        let mut pm = Map::new();
        put(&mut pm, "last_used", time(p.last_used));
        put(&mut pm, "last_changed", time(p.last_changed));
        m.insert(
            "password".into(),
            if pm.is_empty() {
                Out::Bool(true)
            } else {
                Out::Object(pm)
            },
        );
    }
    if !c.access_keys.is_empty() {
        let keys = c
            .access_keys
            .iter()
            .map(|k| {
                let mut km = Map::new();
                put(&mut km, "id", k.id.as_deref().map(Out::from));
                if !k.active {
                    km.insert("active".into(), Out::Bool(false));
                }
                put(&mut km, "created", time(k.created));
                put(&mut km, "last_used", time(k.last_used));
                put(
                    &mut km,
                    "last_service",
                    k.last_service.as_deref().map(Out::from),
                );
                put(
                    &mut km,
                    "last_region",
                    k.last_region.as_deref().map(Out::from),
                );
                Out::Object(km)
            })
            .collect();
        m.insert("access_keys".into(), keys);
    }
}

fn account(org: &Org, a: &Account, in_org: bool, form: DocForm) -> Out {
    let mut m = Map::new();
    m.insert("id".into(), Out::from(&*a.id));
    m.insert("name".into(), Out::from(&*a.name));
    put(&mut m, "email", a.email.as_deref().map(Out::from));
    put(&mut m, "status", a.status.as_deref().map(Out::from));
    if in_org {
        if a.parent != Parent::Root {
            m.insert("parent".into(), parent(org, a.parent));
        }
        attachments(org, &mut m, &a.scps, &a.rcps);
    }
    if let Some(c) = &a.root_user {
        let mut cm = Map::new();
        credentials(&mut cm, c);
        m.insert("root_user".into(), Out::Object(cm));
    }
    if let Some(b) = a.public_access_block {
        m.insert("public_access_block".into(), public_access_block(b));
    }
    if !a.policies.is_empty() {
        let policies = a
            .policies
            .iter()
            .map(|&p| {
                let rec = org.policy(p);
                let mut pm = Map::new();
                let arn = rec.arn.as_deref().unwrap_or_default();
                let iam_path = arn.split_once(":policy").map_or("/", |(_, rest)| {
                    &rest[..rest.rfind('/').map_or(1, |i| i + 1)]
                });
                put(&mut pm, "path", path(iam_path));
                put(
                    &mut pm,
                    "description",
                    rec.description.as_deref().map(Out::from),
                );
                pm.insert("document".into(), document(org, p, form));
                if !rec.other_versions.is_empty() {
                    let versions = rec
                        .other_versions
                        .iter()
                        .map(|v| (v.id.to_string(), doc_out(org, v.doc, form)))
                        .collect();
                    pm.insert("other_versions".into(), Out::Object(versions));
                }
                (org.policy_name(p).to_string(), Out::Object(pm))
            })
            .collect();
        m.insert("policies".into(), Out::Object(policies));
    }
    if !a.groups.is_empty() {
        let groups = a
            .groups
            .iter()
            .map(|&g| {
                let g = org.group(g);
                let mut gm = Map::new();
                put(&mut gm, "path", path(g.path()));
                put(&mut gm, "managed", managed_list(org, &g.managed));
                put(&mut gm, "inline", inline_map(org, &g.inline, form));
                (g.name().to_string(), Out::Object(gm))
            })
            .collect();
        m.insert("groups".into(), Out::Object(groups));
    }
    if !a.users.is_empty() {
        let users = a
            .users
            .iter()
            .map(|&u| {
                let u = org.user(u);
                let mut um = Map::new();
                put(&mut um, "path", path(u.path()));
                put(&mut um, "id", u.id.as_deref().map(Out::from));
                put(&mut um, "created", time(u.created));
                if !u.groups.is_empty() {
                    let gs: Vec<&str> = u.groups.iter().map(|&g| org.group(g).name()).collect();
                    um.insert("groups".into(), Out::from(gs));
                }
                put(&mut um, "managed", managed_list(org, &u.managed));
                put(&mut um, "inline", inline_map(org, &u.inline, form));
                put(&mut um, "boundary", u.boundary.map(|p| managed_ref(org, p)));
                put(&mut um, "tags", tags(&u.tags));
                credentials(&mut um, &u.credentials);
                (u.name().to_string(), Out::Object(um))
            })
            .collect();
        m.insert("users".into(), Out::Object(users));
    }
    if !a.roles.is_empty() {
        let roles = a
            .roles
            .iter()
            .map(|&r| {
                let r = org.role(r);
                let mut rm = Map::new();
                put(&mut rm, "path", path(r.path()));
                put(&mut rm, "id", r.id.as_deref().map(Out::from));
                put(&mut rm, "created", time(r.created));
                put(
                    &mut rm,
                    "description",
                    r.description.as_deref().map(Out::from),
                );
                let trust = r.trust.map(|p| {
                    if form == DocForm::Verbatim {
                        return document(org, p, form);
                    }
                    let value: Value =
                        serde_json::from_str(&org.doc(p).text).unwrap_or(Value::Null);
                    match trust::shorthand(&org.info().partition, &value) {
                        Some(list) => Out::from(list),
                        None => document(org, p, form),
                    }
                });
                // A role without a trust policy (some exports): nobody may assume it.
                let nobody = || {
                    Out::Object(Map(vec![
                        ("Version".into(), Out::from("2012-10-17")),
                        ("Statement".into(), Out::Array(Vec::new())),
                    ]))
                };
                rm.insert("trust".into(), trust.unwrap_or_else(nobody));
                put(&mut rm, "managed", managed_list(org, &r.managed));
                put(&mut rm, "inline", inline_map(org, &r.inline, form));
                put(&mut rm, "boundary", r.boundary.map(|p| managed_ref(org, p)));
                put(&mut rm, "tags", tags(&r.tags));
                if let Some(l) = &r.last_used {
                    let v = match (&l.region, time(l.date)) {
                        (None, Some(d)) => d,
                        (region, date) => {
                            let mut lm = Map::new();
                            put(&mut lm, "date", date);
                            put(&mut lm, "region", region.as_deref().map(Out::from));
                            Out::Object(lm)
                        }
                    };
                    rm.insert("last_used".into(), v);
                }
                put(
                    &mut rm,
                    "max_session_duration",
                    r.max_session_duration.map(Out::from),
                );
                if let Some(list) = &r.instance_profiles {
                    let arns: Vec<&str> = list.iter().map(|p| &*p.arn).collect();
                    rm.insert("instance_profiles".into(), Out::from(arns));
                }
                (r.name().to_string(), Out::Object(rm))
            })
            .collect();
        m.insert("roles".into(), Out::Object(roles));
    }
    let resources: Map = a
        .resources
        .iter()
        .map(|&r| {
            let res = org.resource(r);
            let mut rm = Map::new();
            // A resource without a policy (a what-if deleted it) keeps its account.
            if let Some(p) = res.policy {
                rm.insert("policy".into(), document(org, p, form));
            }
            if res.aws_managed {
                rm.insert("aws_managed".into(), Out::Bool(true));
            }
            if let Some(b) = res.public_access_block {
                rm.insert("public_access_block".into(), public_access_block(b));
            }
            (res.arn.to_string(), Out::Object(rm))
        })
        .collect();
    if !resources.is_empty() {
        m.insert("resources".into(), Out::Object(resources));
    }
    Out::Object(m)
}

/// S3 Block Public Access settings as the native format writes them: every one,
/// off included, so that what was read is what is written.
fn public_access_block(b: crate::org::PublicAccessBlock) -> Out {
    Out::Object(Map(vec![
        ("block_public_acls".into(), Out::Bool(b.block_public_acls)),
        ("ignore_public_acls".into(), Out::Bool(b.ignore_public_acls)),
        (
            "block_public_policy".into(),
            Out::Bool(b.block_public_policy),
        ),
        (
            "restrict_public_buckets".into(),
            Out::Bool(b.restrict_public_buckets),
        ),
    ]))
}
