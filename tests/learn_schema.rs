//! assets/lesson-schema.json says what the lesson loader accepts: every built-in
//! lesson satisfies it, and lessons the loader refuses for their shape do not.
//! (The checker is tests/common/json_schema.rs.)

use std::path::Path;

use serde_json::Value;

mod common;

fn violations(toml_text: &str) -> Vec<String> {
    let t: toml::Value = toml::from_str(toml_text).unwrap();
    let v: Value = serde_json::to_value(t).unwrap();
    common::json_schema::violations(&common::json_schema::schema("lesson-schema.json"), &v)
}

#[test]
fn every_lesson_satisfies_the_schema() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/lessons");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            violations(&text),
            Vec::<String>::new(),
            "{}",
            path.display()
        );
        n += 1;
    }
    assert_eq!(
        n,
        orgscope::learn::builtin().len(),
        "every file is built in"
    );
}

#[test]
fn lessons_the_loader_refuses_for_their_shape_break_the_schema() {
    let head = "id = \"x\"\ntitle = \"t\"\nsummary = \"s\"\nminutes = 1\norg = \"acme\"\n\n[[step]]\nsay = \"s\"\n";
    for bad in [
        format!("{head}selekt = \"dana\"\n"),
        format!(
            "{head}[step.predict]\nwho = \"dana\"\naction = \"s3:GetObject\"\nresource = \"*\"\n[step.expect]\ndecision = \"maybe\"\n"
        ),
        format!("{head}[step.expect]\nlayer = \"scps\"\n"),
        head.replace("minutes = 1\n", ""),
        // A what-can question with no principal.
        format!("{head}[step.ask]\nkind = \"what-can\"\n[step.expect]\nincludes = [\"s3:*\"]\n"),
        // A change step whose solution is no scenario change.
        format!(
            "{head}[step.change]\nwho = \"dana\"\naction = \"s3:GetObject\"\nresource = \"*\"\n[step.expect]\ndecision = \"allowed\"\n[[step.solution]]\npolicy = \"x\"\n"
        ),
        // A guard without its answer.
        format!(
            "{head}[step.change]\nwho = \"dana\"\naction = \"s3:GetObject\"\nresource = \"*\"\n[step.expect]\ndecision = \"allowed\"\n[[step.keep]]\nask = {{ who = \"dana\", action = \"s3:GetObject\", resource = \"*\" }}\n[[step.solution]]\nop = \"create_user\"\naccount = \"security\"\nname = \"x\"\n"
        ),
    ] {
        assert!(
            orgscope::learn::load::parse("bad.toml", &bad, None).is_err(),
            "{bad}"
        );
        assert!(!violations(&bad).is_empty(), "{bad}");
    }
}
