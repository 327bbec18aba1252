//! Files saved by Windows PowerShell load like any other: UTF-8 with a byte-order
//! mark (`Out-File -Encoding utf8` in PowerShell 5) and UTF-16 (`>` and `Out-File`'s
//! default there). Each kind of file orgscope reads is tried: an org file, an export
//! directory, simulate input (file and standard input) and a session policy file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use orgscope::org;

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn bom8(text: &str) -> Vec<u8> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    out.extend(text.as_bytes());
    out
}

fn utf16le(text: &str) -> Vec<u8> {
    std::iter::once(0xFEFF)
        .chain(text.encode_utf16())
        .flat_map(u16::to_le_bytes)
        .collect()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("orgscope-enc-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

#[test]
fn an_org_file_with_a_byte_order_mark_or_in_utf16_loads() {
    let text = std::fs::read_to_string(repo("sample-orgs/acme.json")).unwrap();
    let plain = org::load(&repo("sample-orgs/acme.json")).unwrap();
    let dir = temp_dir("org");
    for (name, bytes) in [("bom.json", bom8(&text)), ("utf16.json", utf16le(&text))] {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let org = org::load(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(org.accounts().len(), plain.accounts().len(), "{name}");
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn an_export_directory_of_powershell_files_loads() {
    let dir = temp_dir("export");
    copy_dir(&repo("sample-orgs/cloudsplaining-export"), &dir);
    let (plain, _) = org::load_with_report(&dir).unwrap();
    let plain = plain.expect("loads");
    // Every JSON file of the export re-saved: UTF-8 with a BOM and UTF-16 in turn.
    let mut n = 0;
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                let text = std::fs::read_to_string(&p).unwrap();
                n += 1;
                let bytes = if n % 2 == 0 {
                    bom8(&text)
                } else {
                    utf16le(&text)
                };
                std::fs::write(&p, bytes).unwrap();
            }
        }
    }
    assert!(n > 1);
    let (org, report) = org::load_with_report(&dir).unwrap();
    let org = org.unwrap_or_else(|| panic!("{report:?}"));
    assert_eq!(org.accounts().len(), plain.accounts().len());
    std::fs::remove_dir_all(dir).unwrap();
}

const CASE: &str = r#"{"id":"c","request":{"principal":"arn:aws:iam::111122223333:user/alice","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"},"identityPolicies":[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}]}"#;

fn run(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_orgscope"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn simulate_input_with_a_byte_order_mark_or_in_utf16_is_read() {
    let dir = temp_dir("simulate");
    for (name, bytes) in [("bom.json", bom8(CASE)), ("utf16.json", utf16le(CASE))] {
        let path = dir.join(name);
        std::fs::write(&path, &bytes).unwrap();
        let (code, out, err) = run(&["simulate", path.to_str().unwrap()], b"");
        assert_eq!(code, 0, "{name}: {err}");
        assert!(out.contains("\"Allowed\""), "{name}: {out}");
        // The same bytes on standard input.
        let (code, out, err) = run(&["simulate", "-"], &bytes);
        assert_eq!(code, 0, "{name} on stdin: {err}");
        assert!(out.contains("\"Allowed\""), "{name} on stdin: {out}");
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_session_policy_file_saved_by_powershell_is_read() {
    let dir = temp_dir("session");
    let text =
        std::fs::read_to_string(repo("tests/fixtures/session-policies/read-only.json")).unwrap();
    let path = dir.join("session.json");
    std::fs::write(&path, utf16le(&text)).unwrap();
    let (code, out, err) = run(
        &[
            "can",
            "acme",
            "--session-policy",
            path.to_str().unwrap(),
            "--principal",
            "arn:aws:iam::222222222222:role/SecurityAuditor",
            "--action",
            "s3:GetObject",
            "--resource",
            "arn:aws:s3:::x/y",
        ],
        b"",
    );
    // Read and parsed: an answer (0 allowed, 3 or 4 denied), not an error (1).
    assert!(matches!(code, 0 | 3 | 4), "{code}: {out}{err}");
    std::fs::remove_dir_all(dir).unwrap();
}
