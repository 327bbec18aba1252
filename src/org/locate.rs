//! Where a JSON path is in a text: positions for findings, worked out only when there
//! are findings, for all of a file's paths in one walk.

use super::report::{JsonPath, Seg};

/// Line starts of a text, for offset -> (line, column).
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// 1-based line and byte column of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        (line, offset - self.starts[line - 1] + 1)
    }

    /// The byte offset of a 1-based line and column.
    pub fn offset(&self, line: usize, column: usize) -> Option<usize> {
        self.starts
            .get(line.checked_sub(1)?)
            .map(|s| s + column.saturating_sub(1))
    }
}

/// Finds the byte offsets of the values at many paths in one walk over the text.
/// Paths that are not there (or text that is not JSON) give `None`.
pub(crate) fn locate_all(text: &str, paths: &[&JsonPath]) -> Vec<Option<usize>> {
    let mut out = vec![None; paths.len()];
    if paths.is_empty() {
        return out;
    }
    let mut trie = Trie::default();
    for (i, p) in paths.iter().enumerate() {
        trie.insert(&p.0, i);
    }
    let mut s = Scanner {
        b: text.as_bytes(),
        i: 0,
    };
    s.ws();
    s.walk(&trie, 0, &mut out);
    out
}

#[derive(Default)]
struct Trie {
    nodes: Vec<TrieNode>,
}

#[derive(Default)]
struct TrieNode {
    children: Vec<(Seg, usize)>,
    wanted: Vec<usize>,
}

impl Trie {
    fn insert(&mut self, path: &[Seg], id: usize) {
        if self.nodes.is_empty() {
            self.nodes.push(TrieNode::default());
        }
        let mut node = 0;
        for seg in path {
            node = match self.nodes[node].children.iter().find(|(s, _)| s == seg) {
                Some(&(_, n)) => n,
                None => {
                    self.nodes.push(TrieNode::default());
                    let n = self.nodes.len() - 1;
                    self.nodes[node].children.push((seg.clone(), n));
                    n
                }
            };
        }
        self.nodes[node].wanted.push(id);
    }
}

/// A forgiving JSON scanner: it never fails, it stops.
struct Scanner<'t> {
    b: &'t [u8],
    i: usize,
}

impl Scanner<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// At a value: records it for the paths that end here and descends where needed.
    fn walk(&mut self, trie: &Trie, node: usize, out: &mut [Option<usize>]) {
        for &w in &trie.nodes[node].wanted {
            out[w] = Some(self.i);
        }
        let children = &trie.nodes[node].children;
        if children.is_empty() {
            self.skip_value();
            return;
        }
        match self.peek() {
            Some(b'{') => {
                self.i += 1;
                loop {
                    self.ws();
                    if self.peek() != Some(b'"') {
                        // `}` or malformed.
                        self.i += usize::from(self.peek() == Some(b'}'));
                        return;
                    }
                    let start = self.i;
                    self.skip_string();
                    let key = unescape(&self.b[start..self.i]);
                    self.ws();
                    if self.peek() != Some(b':') {
                        return;
                    }
                    self.i += 1;
                    self.ws();
                    let child = key.and_then(|k| {
                        children
                            .iter()
                            .find(|(s, _)| matches!(s, Seg::Key(x) if **x == *k))
                            .map(|c| c.1)
                    });
                    match child {
                        Some(c) => self.walk(trie, c, out),
                        None => self.skip_value(),
                    }
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return;
                        }
                        _ => return,
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut n = 0;
                loop {
                    self.ws();
                    if matches!(self.peek(), Some(b']') | None) {
                        self.i += 1;
                        return;
                    }
                    match children.iter().find(|(s, _)| *s == Seg::Index(n)) {
                        Some(&(_, c)) => self.walk(trie, c, out),
                        None => self.skip_value(),
                    }
                    n += 1;
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return;
                        }
                        _ => return,
                    }
                }
            }
            _ => self.skip_value(),
        }
    }

    fn skip_string(&mut self) {
        self.i += 1;
        while let Some(c) = self.peek() {
            self.i += 1;
            match c {
                b'\\' => self.i += 1,
                b'"' => return,
                _ => {}
            }
        }
    }

    fn skip_value(&mut self) {
        let mut depth = 0usize;
        loop {
            self.ws();
            match self.peek() {
                None => return,
                Some(b'"') => self.skip_string(),
                Some(b'{' | b'[') => {
                    depth += 1;
                    self.i += 1;
                    continue;
                }
                Some(b'}' | b']') => {
                    if depth == 0 {
                        return;
                    }
                    depth -= 1;
                    self.i += 1;
                }
                Some(b',' | b':') if depth > 0 => {
                    self.i += 1;
                    continue;
                }
                Some(b',' | b':') => return,
                Some(_) => {
                    while let Some(c) = self.peek() {
                        if matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r' | b':') {
                            break;
                        }
                        self.i += 1;
                    }
                }
            }
            if depth == 0 {
                return;
            }
        }
    }
}

fn unescape(quoted: &[u8]) -> Option<String> {
    let s = std::str::from_utf8(quoted).ok()?;
    if !s.contains('\\') {
        return s.get(1..s.len().checked_sub(1)?).map(str::to_string);
    }
    serde_json::from_str(s).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::report::jpath;

    #[test]
    fn locates_values_by_path() {
        let text = "{\n  \"a\": [1, {\"b\": \"x\"}],\n  \"c\\u0064\": {\"e\": true}\n}";
        let lines = LineIndex::new(text);
        let p1 = jpath!["a", 1, "b"];
        let p2 = jpath!["cd", "e"];
        let p3 = jpath!["a", 5];
        let p4 = jpath!["a"];
        let found = locate_all(text, &[&p1, &p2, &p3, &p4]);
        assert_eq!(found[0].map(|o| lines.position(o)), Some((2, 18)));
        assert_eq!(found[1].map(|o| lines.position(o)), Some((3, 20)));
        assert_eq!(found[2], None);
        assert_eq!(found[3].map(|o| lines.position(o)), Some((2, 8)));
    }

    #[test]
    fn locating_in_broken_text_stops_without_panicking() {
        let p = jpath!["a", 0, "b"];
        for text in [
            "",
            "{",
            "{\"a\"",
            "{\"a\": [",
            "{\"a\": [{\"b\"",
            "[[[[",
            "\"",
            "{\"a\": [1,,]}",
        ] {
            let _ = locate_all(text, &[&p]);
        }
    }
}
