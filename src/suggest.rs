//! "Did you mean …?" suggestions for misspelt names.

/// The candidate closest to `name` by edit distance, when close enough to be a likely typo
/// (ties go to the first in alphabetical order).
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    let name: Vec<char> = name.to_lowercase().chars().collect();
    candidates
        .into_iter()
        .filter_map(|c| {
            let lower = lowercase(c);
            let d = distance_within(&name, &lower, limit)?;
            Some((d, c))
        })
        .min()
        .map(|(_, c)| c)
}

/// `text` in lower case, copied unless it is ASCII without capitals (nearly every id).
fn lowercase(text: &str) -> std::borrow::Cow<'_, str> {
    if text
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.to_lowercase())
    }
}

/// The Levenshtein distance (counting characters) between `a` and `b`, when it is at most
/// `limit`. Stops as soon as it must be more: the lengths differ by more, or every entry of a
/// row of the table already is (entries never decrease down a column's diagonal path).
fn distance_within(a: &[char], b: &str, limit: usize) -> Option<usize> {
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        let mut least = row[0];
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            least = least.min(row[j + 1]);
            prev = cur;
        }
        if least > limit {
            return None;
        }
    }
    Some(row[b.len()]).filter(|&d| d <= limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["criticality", "customers", "hours"];
        assert_eq!(closest("critcality", names), Some("criticality"));
        assert_eq!(
            closest("SLM-01", ["SLM-001", "SLM-002", "SCM-001"]),
            Some("SLM-001")
        );
        assert_eq!(closest("budget", names), None);
        // Case is ignored; among equally close names the first alphabetically wins.
        assert_eq!(closest("HOURZ", names), Some("hours"));
        assert_eq!(closest("ab", ["ac", "aa"]), Some("aa"));
    }

    #[test]
    fn the_bounded_distance_agrees_with_the_full_one() {
        fn full(a: &str, b: &str) -> usize {
            let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            let mut t = vec![vec![0; b.len() + 1]; a.len() + 1];
            for (i, row) in t.iter_mut().enumerate() {
                row[0] = i;
            }
            for (j, cell) in t[0].iter_mut().enumerate() {
                *cell = j;
            }
            for i in 1..=a.len() {
                for j in 1..=b.len() {
                    let sub = t[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1]);
                    t[i][j] = sub.min(t[i - 1][j] + 1).min(t[i][j - 1] + 1);
                }
            }
            t[a.len()][b.len()]
        }
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "kitten",
            "sitting",
            "flaw",
            "lawn",
            "payments",
            "paymnets",
            "ünïcode",
            "unicode",
        ];
        for a in words {
            for b in words {
                let chars: Vec<char> = a.chars().collect();
                for limit in 0..6 {
                    let d = full(a, b);
                    assert_eq!(
                        distance_within(&chars, b, limit),
                        (d <= limit).then_some(d),
                        "{a} {b} {limit}"
                    );
                }
            }
        }
    }
}
