//! Synthetic organizations: deterministic, clean, and shaped like real ones.

use orgscope::org::{self, NameLookup, Parent, generate};

#[test]
fn the_same_seed_gives_the_same_file() {
    assert_eq!(generate::generate(40, 7), generate::generate(40, 7));
    assert_ne!(generate::generate(40, 7), generate::generate(40, 8));
}

#[test]
fn generated_organizations_load_clean_at_any_size() {
    for n in [1, 4, 13, 120] {
        let text = generate::generate(n, 3);
        let (org, report) = org::load_str("generated.json", &text);
        assert!(report.is_clean(), "{n} accounts:\n{report}");
        assert_eq!(org.unwrap().accounts().len(), n.max(4));
    }
}

#[test]
fn generated_organizations_look_like_real_ones() {
    let org = generate::generate_org(200, 11);
    // 20 to 100 principals per account, 50 on average.
    let mut total = 0;
    for a in org.accounts() {
        let n = a.users.len() + a.roles.len();
        assert!((20..=100).contains(&n), "{} has {n} principals", a.id);
        total += n;
    }
    let mean = total as f64 / org.accounts().len() as f64;
    assert!((40.0..=60.0).contains(&mean), "mean {mean}");
    // OUs nested up to AWS's five levels, SCPs below the root.
    let depth = org.ous().iter().map(|o| o.depth).max().unwrap();
    assert!((3..=5).contains(&depth), "depth {depth}");
    let deepest = org
        .accounts()
        .iter()
        .map(|a| org.ancestors(org.account_by_id(&a.id).unwrap()).len())
        .max()
        .unwrap();
    assert!(deepest >= 3);
    assert!(org.ous().iter().any(|o| o.scps.len() > 1));
    assert!(org.accounts().iter().any(|a| a.parent == Parent::Root));
    // Service-linked roles, boundaries, cross-account trust and resource policies.
    assert!(org.roles().iter().any(|r| r.is_service_linked()));
    assert!(org.roles().iter().any(|r| r.boundary.is_some()));
    assert!(org.resources().len() >= org.accounts().len());
    assert!(matches!(
        org.by_name("security-auditor"),
        NameLookup::Unique(_)
    ));
    // Few distinct documents for many policies.
    let s = org.stats();
    assert!(s.documents * 5 < s.policies, "{s:?}");
}
