//! `paths --format json` writes each hop once: every reach names the hop into it
//! (`--from`) or out of it (only `--to`), and the chains rebuilt from those hops are
//! the paths the table shows and `to` holds whole.

use std::collections::HashMap;

use serde_json::Value;

fn json(args: &[&str]) -> Value {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_orgscope"))
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

fn s(v: &Value) -> String {
    v.as_str().unwrap().to_string()
}

#[test]
fn chains_rebuilt_from_each_reachs_hop_are_the_whole_paths() {
    let sample = "tests/paths/escalation-techniques.json";
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(sample);
    let file = file.to_str().unwrap();
    let from = "arn:aws:iam::111111111111:user/key-maker";
    let target = "arn:aws:iam::111111111111:user/deployer";
    let v = json(&["paths", file, "--from", from, "--to", target]);
    let reach = v["reachable"].as_array().unwrap();
    assert!(!reach.is_empty(), "{v}");
    let prev: HashMap<String, String> = reach
        .iter()
        .map(|r| (s(&r["role"]), s(&r["hop"]["from"])))
        .collect();
    for r in reach {
        // Back to the start, one hop per step of `depth`.
        let mut chain = vec![s(&r["role"])];
        while let Some(p) = prev.get(chain.last().unwrap()) {
            chain.push(p.clone());
        }
        chain.reverse();
        assert_eq!(chain[0], from);
        assert_eq!(
            chain.len() - 1,
            r["depth"].as_u64().unwrap() as usize,
            "{r}"
        );
        assert!(
            r.get("path").is_none() && r["hop"].get("to").is_none(),
            "{r}"
        );
        if s(&r["role"]) == target {
            let whole: Vec<String> = v["to"]["path"].as_array().unwrap().iter().map(s).collect();
            assert_eq!(chain, whole);
        }
    }
    // Only --to: each entry's hop leads on towards the target.
    let v = json(&["paths", file, "--to", target]);
    let reach = v["reachable"].as_array().unwrap();
    assert!(!reach.is_empty(), "{v}");
    let next: HashMap<String, String> = reach
        .iter()
        .map(|r| (s(&r["from"]), s(&r["hop"]["to"])))
        .collect();
    for r in reach {
        let mut chain = vec![s(&r["from"])];
        while let Some(n) = next.get(chain.last().unwrap()) {
            chain.push(n.clone());
        }
        assert_eq!(chain.last().unwrap(), target, "{r}");
        assert_eq!(
            chain.len() - 1,
            r["depth"].as_u64().unwrap() as usize,
            "{r}"
        );
    }
}
