//! "Did you mean": the closest candidate within a small edit distance.

/// Largest edit distance still offered as a suggestion; past it a guess confuses more than it helps.
const MAX_DISTANCE: usize = 2;

/// The candidate closest to `needle` (case-insensitive), if any is within [`MAX_DISTANCE`].
/// Says nothing on an exact match: there is nothing to suggest.
pub(crate) fn best_match<'a>(
    needle: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let needle_lower = needle.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        if candidate == needle {
            return None;
        }
        let distance = levenshtein(&needle_lower, &candidate.to_ascii_lowercase());
        if distance <= MAX_DISTANCE && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["alias", "alarms", "type"];
        assert_eq!(best_match("alais", names), Some("alias"));
        assert_eq!(best_match("Type", names), Some("type"));
        assert_eq!(best_match("completely-different", names), None);
    }

    #[test]
    fn exact_match_suggests_nothing() {
        assert_eq!(best_match("type", ["type", "typo"]), None);
    }

    #[test]
    fn distance_counts_edits() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
    }
}
