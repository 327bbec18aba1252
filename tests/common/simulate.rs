//! Running `orgscope simulate` with a document on standard input, as the simulate
//! tests do. (Each test file uses part of it.)
#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// `orgscope simulate ARGS` with `stdin` as its input.
pub fn simulate(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_orgscope"))
        .arg("simulate")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Standard output, one JSON value a line.
pub fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The answers of `orgscope simulate -` to `stdin`, one a case.
pub fn answers(stdin: &str) -> Vec<Value> {
    lines(&simulate(&["-"], stdin))
}
