//! The terminal UI on a generated 5,000-account organization: the time from a key
//! press to a finished frame (update + draw into ratatui's TestBackend), and the time
//! from start to the first frame.
//!
//! `cargo bench --bench tui_keys` prints percentiles per script of keys, then runs
//! criterion on the commonest presses. Searches run on a worker thread as in the real
//! UI: the frame after a key shows the typed text at once, and the matches arrive in a
//! later frame (their delay is reported as "search results").

use std::sync::mpsc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use orgscope::org::Org;
use orgscope::tui::app::{App, Msg, Target};
use orgscope::tui::config::Settings;
use orgscope::tui::keymap::Key;
use orgscope::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const ACCOUNTS: usize = 5_000;
const SEED: u64 = 7;
const SIZE: (u16, u16) = (160, 48);

fn key(word: &str) -> Msg {
    let k = Key::parse(word).unwrap();
    Msg::Key(KeyEvent::new(k.code, k.mods))
}

fn char_key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// Keys as the keymap writes them; `"text:abc"` types letters.
fn script(words: &[&str]) -> Vec<Msg> {
    let mut out = Vec::new();
    for w in words {
        match w.strip_prefix("text:") {
            Some(t) => out.extend(t.chars().map(char_key)),
            None => out.push(key(w)),
        }
    }
    out
}

struct Driver<'a> {
    app: App<'a>,
    term: Terminal<TestBackend>,
    found: mpsc::Receiver<Msg>,
}

impl Driver<'_> {
    /// One key press to a finished frame, as the runtime does it: update, take the
    /// search results already there, draw.
    fn press(&mut self, msg: Msg) -> Duration {
        let t = Instant::now();
        self.app.update(msg);
        while let Ok(m) = self.found.try_recv() {
            self.app.update(m);
        }
        let app = &self.app;
        self.term.draw(|f| view::draw(app, f)).unwrap();
        t.elapsed()
    }

    /// Waits for pending searches (not timed as a key press).
    fn settle(&mut self) -> Duration {
        let t = Instant::now();
        while self.app.searching(Target::Filter) || self.app.searching(Target::Palette) {
            let m = self
                .found
                .recv_timeout(Duration::from_secs(30))
                .expect("the worker answers");
            self.app.update(m);
        }
        t.elapsed()
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

fn report(name: &str, mut times: Vec<Duration>) -> Vec<Duration> {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "{name:<28} {:>5} keys  p50 {:>6.2} ms  p99 {:>6.2} ms  max {:>6.2} ms",
        times.len(),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
        ms(*times.last().unwrap()),
    );
    times
}

fn generated() -> (String, std::path::PathBuf) {
    let text = orgscope::org::generate::generate(ACCOUNTS, SEED);
    let path = std::env::temp_dir().join(format!(
        "orgscope-bench-{ACCOUNTS}-{}.json",
        std::process::id()
    ));
    std::fs::write(&path, &text).unwrap();
    (text, path)
}

fn startup(path: &std::path::Path) -> Org {
    let mut runs = Vec::new();
    let mut org = None;
    for _ in 0..3 {
        let t = Instant::now();
        let o = orgscope::org::load(path).unwrap();
        let loaded = t.elapsed();
        let app = App::new(&o, Settings::default(), SIZE.0, SIZE.1);
        let mut term = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).unwrap();
        term.draw(|f| view::draw(&app, f)).unwrap();
        runs.push((t.elapsed(), loaded));
        drop(app);
        org = Some(o);
    }
    runs.sort();
    let (total, loaded) = runs[1];
    let org = org.unwrap();
    let s = org.stats();
    println!(
        "org: {} accounts, {} OUs, {} users, {} roles, {} groups, {} policies ({} documents)",
        s.accounts, s.ous, s.users, s.roles, s.groups, s.policies, s.documents
    );
    println!(
        "startup to first frame (median of 3): {:.0} ms, of which loading the file {:.0} ms",
        total.as_secs_f64() * 1e3,
        loaded.as_secs_f64() * 1e3
    );
    let t = Instant::now();
    let tree = orgscope::tui::nodes::OrgTree::new(&org);
    let ix = orgscope::tui::org_index::build(&tree);
    println!(
        "search index (built on the worker at startup): {} items in {:.0} ms",
        ix.len(),
        t.elapsed().as_secs_f64() * 1e3
    );
    org
}

/// The OU with the most accounts directly under it, and one of its accounts with
/// users.
fn big_ou(org: &Org) -> (String, String) {
    let ou = org.ous().iter().max_by_key(|o| o.accounts.len()).unwrap();
    let acc = ou
        .accounts
        .iter()
        .map(|&a| org.account(a))
        .find(|a| !a.users.is_empty())
        .unwrap();
    println!("widest OU: {} with {} accounts", ou.name, ou.accounts.len());
    (ou.name.to_string(), acc.name.to_string())
}

fn percentiles(org: &Org) {
    let (ou, account) = big_ou(org);
    let (job_tx, job_rx) = mpsc::channel();
    let (msg_tx, msg_rx) = mpsc::channel();
    std::thread::scope(|s| {
        let mut app = App::new(org, Settings::default(), SIZE.0, SIZE.1);
        let index = app.search_in_background(job_tx);
        s.spawn(move || orgscope::tui::worker::serve(org, &index, job_rx, msg_tx));
        let mut d = Driver {
            app,
            term: Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).unwrap(),
            found: msg_rx,
        };
        // Let the worker build its index, as it does while the user looks at the
        // first screen.
        d.press(key("/"));
        d.settle();
        std::thread::sleep(Duration::from_millis(50));
        d.press(key("esc"));
        let mut all = Vec::new();
        let run = |d: &mut Driver<'_>, all: &mut Vec<Duration>, name: &str, msgs: Vec<Msg>| {
            let times: Vec<Duration> = msgs.into_iter().map(|m| d.press(m)).collect();
            all.extend(report(name, times));
        };
        // Open the widest OU (thousands of rows) and walk it.
        let mut open = script(&[":"]);
        open.extend(script(&[&format!("text:ou {ou}"), "enter", "enter"]));
        run(&mut d, &mut all, "jump to and open the wide OU", open);
        d.settle();
        let mut walk = Vec::new();
        for _ in 0..300 {
            walk.push(key("j"));
        }
        for _ in 0..60 {
            walk.push(key("pgdn"));
        }
        walk.extend(script(&["G", "g", "G"]));
        for _ in 0..60 {
            walk.push(key("pgup"));
        }
        for _ in 0..100 {
            walk.push(key("k"));
        }
        run(&mut d, &mut all, "walk the tree (j k pages G g)", walk);
        // Into an account: folders, users, each tab.
        let mut tabs = script(&[":", &format!("text:account {account}"), "enter"]);
        d.settle();
        tabs.extend(script(&["l", "l", "l", "j"]));
        for _ in 0..20 {
            tabs.extend(script(&["2", "3", "4", "5", "1", "j"]));
        }
        tabs.extend(script(&[
            "tab", "tab", "tab", "tab", "tab", "tab", "backtab", "backtab",
        ]));
        run(&mut d, &mut all, "tabs on principals", tabs);
        // Filter: every key of the query is a frame; matches come in later frames.
        let mut results = Vec::new();
        for q in ["prod", "deployer", "admin 1000", "arn:aws:iam::1000000042"] {
            let mut times = vec![d.press(key("/"))];
            for c in q.chars() {
                times.push(d.press(char_key(c)));
            }
            results.push(d.settle());
            times.push(d.press(key("down")));
            times.push(d.press(key("enter")));
            all.extend(times.clone());
            report(&format!("filter \"{q}\""), times);
        }
        // Palette with a kind, then history.
        let mut pal = Vec::new();
        for cmd in ["role security-audit", "user alice", "policy ReadOnlyAccess"] {
            pal.push(d.press(key(":")));
            for c in cmd.chars() {
                pal.push(d.press(char_key(c)));
            }
            results.push(d.settle());
            pal.push(d.press(key("enter")));
        }
        all.extend(report("palette jumps", pal));
        run(
            &mut d,
            &mut all,
            "history [ ]",
            script(&["[", "[", "[", "]", "]", "[", "]"]),
        );
        run(
            &mut d,
            &mut all,
            "help",
            script(&["?", "j", "j", "pgdn", "esc"]),
        );
        run(
            &mut d,
            &mut all,
            "resize",
            vec![
                Msg::Resize(120, 40),
                Msg::Resize(60, 15),
                Msg::Resize(160, 48),
            ],
        );
        report("search results (not keys)", results);
        let all = report("ALL KEY PRESSES", all);
        assert!(!all.is_empty());
        drop(d);
    });
}

fn criterion_benches(c: &mut Criterion) {
    let (_, path) = generated();
    let org = orgscope::org::load(&path).unwrap();
    let _ = std::fs::remove_file(&path);
    let (ou, _) = big_ou(&org);
    let mut app = App::new(&org, Settings::default(), SIZE.0, SIZE.1);
    for m in script(&[":", &format!("text:ou {ou}"), "enter", "enter"]) {
        app.update(m);
    }
    let mut term = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).unwrap();
    let mut group = c.benchmark_group("tui-5000-accounts");
    group
        .sample_size(30)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));
    let mut down = true;
    group.bench_function("j/k + frame", |b| {
        b.iter(|| {
            app.update(key(if down { "j" } else { "k" }));
            down = !down;
            term.draw(|f| view::draw(&app, f)).unwrap();
        })
    });
    let mut tab = 0;
    group.bench_function("tab switch + frame", |b| {
        b.iter(|| {
            tab = (tab + 1) % 5;
            app.update(key(&(tab + 1).to_string()));
            term.draw(|f| view::draw(&app, f)).unwrap();
        })
    });
    group.finish();
}

criterion_group!(benches, criterion_benches);

fn main() {
    let (_, path) = generated();
    let org = startup(&path);
    let _ = std::fs::remove_file(&path);
    percentiles(&org);
    drop(org);
    benches();
    Criterion::default().configure_from_args().final_summary();
}
