//! Counts as the UI writes them, everywhere the same: `1 role`, `29,815 roles`.

/// `254,460`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 role`, `29,815 roles`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_the_same_everywhere() {
        assert_eq!(plural(1, "match", "matches"), "1 match");
        assert_eq!(plural(0, "role", "roles"), "0 roles");
        assert_eq!(plural(29815, "role", "roles"), "29,815 roles");
        assert_eq!(thousands(254460), "254,460");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(123_456), "123,456");
    }
}
