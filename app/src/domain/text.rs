//! Text normalisation shared by the server-side filter and the in-browser filter.

/// Folds a string for forgiving, case-insensitive matching: lower case, trimmed, inner runs of
/// whitespace collapsed, and `-`/`.` treated as spaces, so "st hanshaugen", "St. Hanshaugen" and
/// "ST-HANSHAUGEN" all match "St. Hanshaugen". Norwegian letters (æ, ø, å) are kept as they are.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text
        .split(|c: char| c.is_whitespace() || c == '-' || c == '.')
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// True when `query` (as typed by a person) matches `name`. An empty query matches everything.
pub fn matches_filter(name: &str, query: &str) -> bool {
    let query = fold(query);
    query.is_empty() || fold(name).contains(&query)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_query_matches_every_name() {
        assert!(matches_filter("Alna", ""));
        assert!(matches_filter("Alna", "   "));
    }

    #[test]
    fn matching_ignores_case_punctuation_and_spacing() {
        assert!(matches_filter("St. Hanshaugen", "st hanshaugen"));
        assert!(matches_filter("St. Hanshaugen", "ST-HANS"));
        assert!(matches_filter("Søndre Nordstrand", "søndre   nord"));
        assert!(matches_filter("Grünerløkka", "GRÜNER"));
    }

    #[test]
    fn a_query_that_is_not_in_the_name_does_not_match() {
        assert!(!matches_filter("Alna", "frogner"));
        assert!(!matches_filter("Nordstrand", "søndre"));
    }

    #[test]
    fn norwegian_letters_are_not_folded_to_ascii() {
        assert!(!matches_filter("Østensjø", "ostensjo"));
        assert!(matches_filter("Østensjø", "østen"));
    }
}
