//! End to end: the real binary in tmux on the acme org. It navigates, filters, opens
//! help and quits, and the shell prompt is back. Skipped (with a message) where tmux
//! is missing. A private tmux server is used and killed, so no session is left.

use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
    session: String,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.run(&["send-keys", "-t", &self.session, k]);
        }
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", &self.session])
    }

    /// Waits until the screen shows `what`; panics with the screen after 15 s.
    fn wait_for(&self, what: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(what) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(15) {
                panic!("the screen never showed {what:?}:\n{s}");
            }
            sleep(Duration::from_millis(50));
        }
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

#[test]
fn browse_acme_in_tmux() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("skipped: tmux is not installed");
        return;
    }
    let id = format!(
        "orgscope-e2e-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    let config = std::env::temp_dir().join(format!("{id}-config"));
    let socket = std::env::temp_dir().join(format!("{id}.sock"));
    let t = Tmux {
        socket: socket.display().to_string(),
        session: id,
    };
    // A plain shell with a known prompt, so that its return can be seen.
    t.run(&[
        "new-session",
        "-d",
        "-s",
        &t.session,
        "-x",
        "110",
        "-y",
        "32",
        "env",
        "-i",
        "PATH=/usr/bin:/bin",
        "PS1=e2e-prompt$ ",
        "TERM=xterm-256color",
        "sh",
    ]);
    t.wait_for("e2e-prompt$");
    let bin = env!("CARGO_BIN_EXE_orgscope");
    let cmd = format!("XDG_CONFIG_HOME={} NO_COLOR=1 {bin}", config.display());
    t.keys(&[&cmd, "Enter"]);
    let s = t.wait_for("Organization policies");
    assert!(s.contains("Root r-acme") && s.contains("? help"), "{s}");

    // Navigate: down to Security, open it, into its first account.
    t.keys(&["j", "l", "l"]);
    t.wait_for(" Root › Security › security");

    // Filter: jump to a user by name.
    t.keys(&["/"]);
    t.wait_for("Find");
    t.keys(&["-l", "ci-legacy"]);
    t.wait_for("user     ci-legacy");
    t.keys(&["Enter"]);
    let s = t.wait_for("Users › ci-legacy");
    assert!(s.contains("user ci-legacy"), "{s}");

    // A tab, then help, then close it.
    t.keys(&["5"]);
    t.wait_for("── ");
    t.keys(&["?"]);
    t.wait_for("Keys in the tree");
    t.keys(&["Escape"]);
    let start = Instant::now();
    while t.screen().contains("Keys in the tree") {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "help did not close"
        );
        sleep(Duration::from_millis(50));
    }

    // Quit: the shell prompt is back and the UI is gone.
    t.keys(&["q"]);
    let start = Instant::now();
    let s = loop {
        let s = t.screen();
        let last = s
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .to_string();
        if last.starts_with("e2e-prompt$") && s.matches("e2e-prompt$").count() >= 2 {
            break s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "the prompt did not come back:\n{s}"
        );
        sleep(Duration::from_millis(50));
    };
    assert!(
        !s.contains("Organization policies"),
        "the alternate screen was left:\n{s}"
    );
    // The terminal is out of raw mode: typed text echoes and runs.
    t.keys(&["echo back-$((40+2))", "Enter"]);
    t.wait_for("back-42");
    let _ = std::fs::remove_dir_all(&config);
}
