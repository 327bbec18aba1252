//! "Did you mean ...?": the names nearest to one that names nothing, for the errors
//! and notes that answer a misspelt action or account.

/// The candidates nearest to `wanted`, ignoring case: those at the smallest edit
/// distance (optimal string alignment: two letters swapped count once), when that
/// distance is small for the length (a quarter of it, at least 1, at most 3); where
/// none is that near, those that contain `wanted` (3 characters or more). At most
/// `limit`, nearest first, then alphabetically; no duplicates.
pub fn nearest<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    limit: usize,
) -> Vec<&'a str> {
    let wanted = wanted.trim().to_lowercase();
    let len = wanted.chars().count();
    let max = (len / 4).clamp(1, 3);
    let mut close: Vec<(usize, &str)> = Vec::new();
    let mut containing: Vec<&str> = Vec::new();
    for c in candidates {
        let lower = c.to_lowercase();
        if lower == wanted {
            // Not misspelt: the caller looked it up some other way (an exact case).
            close.push((0, c));
            continue;
        }
        if len >= 3 && lower.contains(&wanted) {
            containing.push(c);
        }
        if lower.chars().count().abs_diff(len) > max {
            continue;
        }
        let d = strsim::osa_distance(&lower, &wanted);
        if d <= max {
            close.push((d, c));
        }
    }
    let mut out: Vec<&str> = if close.is_empty() {
        containing.sort_unstable();
        containing
    } else {
        let best = close.iter().map(|&(d, _)| d).min().unwrap_or(0);
        let mut v: Vec<&str> = close
            .into_iter()
            .filter(|&(d, _)| d == best)
            .map(|(_, c)| c)
            .collect();
        v.sort_unstable();
        v
    };
    out.dedup();
    out.truncate(limit);
    out
}

#[cfg(test)]
mod tests {
    use super::nearest;

    #[test]
    fn the_nearest_names_come_first_and_far_ones_never() {
        let names = ["GetObject", "GetObjectAcl", "PutObject", "ListBucket"];
        assert_eq!(nearest("GetObjct", names, 5), ["GetObject"]);
        assert_eq!(
            nearest("getobjcet", names, 5),
            ["GetObject"],
            "a swap, any case"
        );
        assert_eq!(nearest("PutObjct", names, 5), ["PutObject"]);
        assert!(nearest("DeleteBucketPolicy", names, 5).is_empty());
        // Nothing near: names that contain it.
        let accounts = ["web-prod", "payments-prod", "security", "web-prod"];
        assert_eq!(nearest("prod", accounts, 5), ["payments-prod", "web-prod"]);
        assert_eq!(nearest("web-prd", accounts, 5), ["web-prod"]);
        assert_eq!(nearest("prod", accounts, 1), ["payments-prod"], "the limit");
        assert!(
            nearest("xy", accounts, 5).is_empty(),
            "too short to contain"
        );
    }
}
