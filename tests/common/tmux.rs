//! A private tmux server running one command, for the end-to-end tests that drive
//! the real binary with keys and read its screen. Each test file uses part of it.
#![allow(dead_code)]

use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

pub struct Tmux {
    socket: String,
    session: String,
}

impl Tmux {
    /// A server of its own (killed on drop) running `command` in a `width` x
    /// `height` window; `None` (the test skips, saying so) without tmux.
    pub fn start(name: &str, width: u16, height: u16, command: &[&str]) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            eprintln!("skipped: tmux is not installed");
            return None;
        }
        let id = format!(
            "orgscope-{name}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .subsec_nanos()
        );
        let socket = std::env::temp_dir().join(format!("{id}.sock"));
        let t = Tmux {
            socket: socket.display().to_string(),
            session: id,
        };
        let (w, h) = (width.to_string(), height.to_string());
        let mut args = vec!["new-session", "-d", "-s", &t.session, "-x", &w, "-y", &h];
        args.extend_from_slice(command);
        t.run(&args);
        Some(t)
    }

    /// The session's name, unique to this run: a prefix for the test's own files.
    pub fn session(&self) -> &str {
        &self.session
    }

    pub fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Each key in its own send-keys: Escape and what follows must not merge into
    /// an Alt key.
    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.run(&["send-keys", "-t", &self.session, k]);
        }
    }

    /// Types text as it is (no key names).
    pub fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", &self.session, "-l", text]);
    }

    pub fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", &self.session])
    }

    /// Waits until the screen shows `what`; panics with the screen after 30 s.
    pub fn wait_for(&self, what: &str) -> String {
        self.wait_until(what, |s| s.contains(what))
    }

    /// Waits until the screen shows every one of `all` at once. A capture can catch
    /// a frame half drawn, so what belongs together is waited for together, not
    /// waited for in part and then asserted.
    pub fn wait_for_all(&self, all: &[&str]) -> String {
        self.wait_until(&all.join(" and "), |s| all.iter().all(|w| s.contains(w)))
    }

    pub fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(30) {
                panic!("the screen never showed {what}:\n{s}");
            }
            sleep(Duration::from_millis(50));
        }
    }

    /// Whether the session (the command run in it) is still there.
    pub fn alive(&self) -> bool {
        Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .args(["has-session", "-t", &self.session])
            .output()
            .is_ok_and(|o| o.status.success())
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .arg("kill-server")
            .output();
        let _ = std::fs::remove_file(&self.socket);
    }
}
