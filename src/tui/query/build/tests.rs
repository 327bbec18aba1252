//! Answers of acme as rows.

use super::*;
use crate::analysis::Ask;
use crate::org::load_builtin_acme;
use crate::tui::tree::TreeSource;

fn text(t: &AnswerTree, id: u32) -> String {
    t.item(id).text()
}

fn all(t: &AnswerTree) -> Vec<String> {
    (0..t.len() as u32).map(|i| text(t, i)).collect()
}

#[test]
fn a_denied_can_names_the_blocking_layer_and_its_statement() {
    let org = load_builtin_acme();
    let q = Query::Can {
        principal: "eve".into(),
        ask: Ask {
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::acme-public-website/index.html".into(),
            ..Ask::default()
        },
    };
    let t = run(&org, &q).unwrap();
    let head: String = t.header[0].iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(head, "✗ ExplicitlyDenied  blocked by RCP root");
    let focus = t.focus.expect("the blocking layer is focused");
    assert!(
        text(&t, focus).starts_with("RCP root"),
        "{}",
        text(&t, focus)
    );
    let deny = t
        .children(focus)
        .into_iter()
        .find(|&c| text(&t, c).starts_with("Deny"))
        .unwrap();
    let Some(Jump::Statement(m)) = t.item(deny).jump.clone() else {
        panic!("a statement jump")
    };
    assert_eq!(org.policy_name(m.policy), "EnforceSecureTransport");
    assert!(
        all(&t)
            .iter()
            .any(|r| r.contains("aws:securetransport: (absent) → ExplicitlyDenied"))
    );
    assert!(
        t.context_hints
            .contains(&"aws:securetransport=true".to_string())
    );
}

#[test]
fn who_can_groups_by_account() {
    let org = load_builtin_acme();
    let q = Query::WhoCan {
        ask: Ask {
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::acme-public-website/index.html".into(),
            ..Ask::default()
        },
    };
    let t = run(&org, &q).unwrap();
    let rows = all(&t);
    assert_eq!(rows[0], "Allowed (1)");
    assert!(rows[1].starts_with("web-prod 666666666666"), "{}", rows[1]);
    assert!(
        rows.iter()
            .any(|r| r.starts_with("Allowed only under conditions (4)"))
    );
    assert!(
        rows.iter()
            .any(|r| r.contains("carol") && r.contains("when aws:securetransport=true"))
    );
    assert!(rows.iter().any(|r| r.starts_with("everyone *")));
}

#[test]
fn errors_are_words() {
    let org = load_builtin_acme();
    let q = Query::Paths {
        from: "nobody".into(),
        to: None,
        context: Vec::new(),
    };
    assert!(
        run(&org, &q)
            .unwrap_err()
            .contains("no user or role `nobody`")
    );
}
