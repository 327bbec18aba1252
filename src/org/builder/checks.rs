//! The checks that need the whole organization: the tree (cycles, depth), SCP and RCP
//! counts per target, and per-account IAM counts.

use super::{Builder, Site};
use crate::org::ids::*;
use crate::org::quota;

impl Builder {
    /// Breaks parent cycles, then links children and computes depths.
    pub(super) fn check_tree(&mut self) {
        let n = self.ous.len();
        for start in 0..n {
            let mut chain = vec![start];
            let mut cur = self.ous[start].parent;
            while let Parent::Ou(o) = cur {
                if o.index() == start {
                    let names: Vec<&str> = chain
                        .iter()
                        .chain(std::iter::once(&start))
                        .map(|&i| &*self.ous[i].name)
                        .collect();
                    let site = self.ou_sites[start].clone();
                    let msg = format!(
                        "OU `{}` is its own ancestor: {}; an OU's parent must lead to the root",
                        self.ous[start].name,
                        names.join(" -> ")
                    );
                    self.problems
                        .error(site.file, site.path.with("parent"), msg);
                    self.ous[start].parent = Parent::Root;
                    break;
                }
                if chain.len() > n {
                    break;
                }
                chain.push(o.index());
                cur = self.ous[o.index()].parent;
            }
        }
        for i in 0..n {
            let ix = OuIx::new(i);
            match self.ous[i].parent {
                Parent::Root => self.root.ous.push(ix),
                Parent::Ou(p) => self.ous[p.index()].ous.push(ix),
            }
        }
        for i in 0..self.accounts.len() {
            let ix = AccountIx::new(i);
            match self.accounts[i].parent {
                Parent::Root => self.root.accounts.push(ix),
                Parent::Ou(p) => self.ous[p.index()].accounts.push(ix),
            }
        }
        for i in 0..n {
            let mut depth = 1;
            let mut cur = self.ous[i].parent;
            while let Parent::Ou(o) = cur {
                depth += 1;
                cur = self.ous[o.index()].parent;
                if depth as usize > n {
                    break;
                }
            }
            self.ous[i].depth = depth;
            if depth == quota::OU_DEPTH + 1 {
                let site = self.ou_sites[i].clone();
                self.problems.warn(
                    site.file,
                    site.path,
                    format!(
                        "OU `{}` is nested {depth} levels below the root; AWS allows {}",
                        self.ous[i].name,
                        quota::OU_DEPTH
                    ),
                );
            }
        }
    }

    /// SCP and RCP counts per target, and targets left with no SCP.
    pub(super) fn check_org_policies(&mut self) {
        if self.info.id.is_none() {
            return;
        }
        let mut targets: Vec<(Option<Site>, String, usize, usize)> = Vec::new();
        targets.push((
            self.root_site.clone(),
            "the root".into(),
            self.root.scps.len(),
            self.root.rcps.len(),
        ));
        for (i, ou) in self.ous.iter().enumerate() {
            targets.push((
                Some(self.ou_sites[i].clone()),
                format!("OU `{}`", ou.name),
                ou.scps.len(),
                ou.rcps.len(),
            ));
        }
        for (i, a) in self.accounts.iter().enumerate() {
            targets.push((
                Some(self.account_sites[i].clone()),
                format!("account {}", a.id),
                a.scps.len(),
                a.rcps.len(),
            ));
        }
        for (site, what, scps, rcps) in targets {
            let Some(site) = site else { continue };
            if self.info.scps_enabled && scps == 0 {
                self.problems.warn(
                    site.file,
                    site.path.clone(),
                    format!("no SCP is attached to {what}: SCPs allow nothing there, so only the management account could act; attach FullAWSAccess to allow by default"),
                );
            }
            for (n, kind) in [(scps, "SCPs"), (rcps, "RCPs")] {
                if let Some(m) = quota::count(
                    &format!("{kind} attached to {what}"),
                    n,
                    quota::ORG_POLICIES_PER_TARGET,
                    "",
                ) {
                    self.problems.warn(site.file, site.path.clone(), m);
                }
            }
        }
    }

    /// Per-account IAM counts.
    pub(super) fn check_accounts(&mut self) {
        for i in 0..self.accounts.len() {
            let a = &self.accounts[i];
            let checks = [
                ("users", a.users.len(), quota::USERS_PER_ACCOUNT),
                ("groups", a.groups.len(), quota::GROUPS_PER_ACCOUNT),
                ("roles", a.roles.len(), quota::ROLES_PER_ACCOUNT),
                (
                    "customer managed policies",
                    a.policies.len(),
                    quota::CUSTOMER_POLICIES_PER_ACCOUNT,
                ),
            ];
            let msgs: Vec<String> = checks
                .iter()
                .filter_map(|&(what, n, limit)| {
                    quota::count(
                        &format!("{what} in account {}", a.id),
                        n,
                        limit,
                        " by default",
                    )
                })
                .collect();
            let site = self.account_sites[i].clone();
            for m in msgs {
                self.problems.warn(site.file, site.path.clone(), m);
            }
        }
    }
}
