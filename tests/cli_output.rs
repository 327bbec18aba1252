//! `export -o` and `generate -o` as users type them: standard output for `-` or no
//! `-o`, a regular file written atomically (and said when replaced), and everything
//! that is not a regular file refused and left as it was.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn orgscope(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orgscope"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("orgscope-cli-out-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every entry of `dir`, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_dash_or_no_output_is_standard_output() {
    let dir = scratch("stdout");
    for args in [
        &["export", "acme", "-o", "-"][..],
        &["export", "acme"],
        &["generate", "--accounts", "4", "-o", "-"],
        &["generate", "--accounts", "4"],
    ] {
        let out = orgscope(args, &dir);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        let org: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: not JSON on stdout: {e}"));
        assert!(org["accounts"].as_array().is_some_and(|a| a.len() >= 4));
    }
    assert!(
        entries(&dir).is_empty(),
        "no file named `-`: {:?}",
        entries(&dir)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_file_is_written_and_replacing_one_is_said() {
    let dir = scratch("file");
    let out = orgscope(&["export", "acme", "-o", "org.json"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    assert!(!stderr(&out).contains("replaced"), "{}", stderr(&out));
    let first = std::fs::read_to_string(dir.join("org.json")).unwrap();
    assert!(first.contains("\"accounts\""));
    let out = orgscope(&["generate", "--accounts", "4", "-o", "org.json"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("replaced the existing `org.json`"),
        "{}",
        stderr(&out)
    );
    assert_ne!(
        std::fs::read_to_string(dir.join("org.json")).unwrap(),
        first
    );
    assert_eq!(entries(&dir), ["org.json"], "no temporary file is left");
    // Never over the input it read.
    let out = orgscope(&["export", "org.json", "-o", "./org.json"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("refusing to overwrite the input `./org.json`"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn what_is_not_a_regular_file_is_refused_and_left_as_it_was() {
    let dir = scratch("special");
    std::fs::write(dir.join("target.json"), "kept").unwrap();
    std::os::unix::fs::symlink("target.json", dir.join("link.json")).unwrap();
    std::fs::create_dir(dir.join("sub")).unwrap();
    let fifo = Command::new("mkfifo")
        .arg(dir.join("fifo"))
        .status()
        .is_ok_and(|s| s.success());
    let mut cases = vec![
        (
            "link.json",
            "`link.json` is a symbolic link, not a regular file",
        ),
        ("/dev/stdout", "`/dev/stdout` is a symbolic link"),
        ("/dev/null", "`/dev/null` is a character device"),
        ("sub", "`sub` is a directory"),
    ];
    if fifo {
        cases.push(("fifo", "`fifo` is a named pipe"));
    }
    for (path, says) in cases {
        for cmd in [&["export", "acme"][..], &["generate", "--accounts", "4"]] {
            let mut args = cmd.to_vec();
            args.extend(["-o", path]);
            let out = orgscope(&args, &dir);
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            let err = stderr(&out);
            assert!(err.contains(says), "{args:?}: {err}");
            assert!(
                err.contains("orgscope replaces only regular files"),
                "{err}"
            );
            assert!(out.stdout.is_empty());
        }
    }
    assert!(
        std::fs::symlink_metadata(dir.join("link.json"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("target.json")).unwrap(),
        "kept"
    );
    assert!(dir.join("sub").is_dir() && entries(&dir.join("sub")).is_empty());
    let mut expected = vec!["link.json", "sub", "target.json"];
    if fifo {
        expected.insert(0, "fifo");
    }
    assert_eq!(entries(&dir), expected, "nothing else written");
    std::fs::remove_dir_all(&dir).unwrap();
}
