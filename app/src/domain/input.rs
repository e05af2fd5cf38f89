//! Free text as people type it into a form: normalised to Unicode NFC (so that "å" typed two ways
//! is one name, and the duplicate and returning-resident checks see it), trimmed, and refused when
//! it holds characters that have no business in a name, a reference or a comment: control
//! characters (NUL among them), bidirectional overrides and isolates (which make a text display
//! other than it is stored), zero-width and other invisible format characters, or when nothing
//! visible is left. One rule for the form in the browser and the server alike.

use unicode_normalization::UnicodeNormalization;

/// Whether the text is one line (a name, a reference) or may hold line breaks (a comment).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lines {
    One,
    Many,
}

/// Why a text was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextError {
    Empty,
    TooLong,
    /// A control, bidirectional or invisible format character.
    Forbidden,
}

/// Characters that are never accepted: Unicode's format characters (category Cf) that change how
/// text displays or hide text, and the line and paragraph separators.
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}'                  // soft hyphen
        | '\u{034F}'                // combining grapheme joiner
        | '\u{061C}'                // Arabic letter mark
        | '\u{0600}'..='\u{0605}' | '\u{06DD}' | '\u{070F}' | '\u{08E2}'
        | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' // Hangul fillers
        | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}'   // Mongolian variation selectors and vowel separator
        | '\u{200B}'..='\u{200F}'   // zero width space, non-joiner, joiner; LRM, RLM
        | '\u{2028}'..='\u{202E}'   // line/paragraph separator; bidi embeddings and overrides
        | '\u{2060}'..='\u{206F}'   // word joiner, invisible operators, bidi isolates
        | '\u{FE00}'..='\u{FE0F}'   // variation selectors
        | '\u{FEFF}'                // zero width no-break space (BOM)
        | '\u{FFF9}'..='\u{FFFB}'   // interlinear annotation
        | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E0FFF}' // tags and variation selectors supplement
    )
}

fn is_allowed(c: char, lines: Lines) -> bool {
    if is_invisible_format(c) {
        return false;
    }
    match c {
        '\n' | '\t' => lines == Lines::Many,
        _ => !c.is_control(),
    }
}

/// The text as stored: NFC, line breaks as `\n`, trimmed; `Ok(None)` when empty. At most `max`
/// characters (counted after normalisation).
pub fn clean(raw: &str, max: usize, lines: Lines) -> Result<Option<String>, TextError> {
    let text: String = raw.replace("\r\n", "\n").nfc().collect();
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if !text.chars().all(|c| is_allowed(c, lines)) {
        return Err(TextError::Forbidden);
    }
    // Something must be visible: not only whitespace and combining marks.
    if !text
        .chars()
        .any(|c| !c.is_whitespace() && !is_combining_only(c))
    {
        return Err(TextError::Forbidden);
    }
    if text.chars().count() > max {
        return Err(TextError::TooLong);
    }
    Ok(Some(text.to_owned()))
}

/// Combining marks (which draw nothing on their own), by the common blocks.
fn is_combining_only(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// A required text: like [`clean`], but empty is an error.
pub fn required(raw: &str, max: usize, lines: Lines) -> Result<String, TextError> {
    clean(raw, max, lines)?.ok_or(TextError::Empty)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_are_normalised_to_nfc_and_trimmed() {
        // "å" as a + combining ring above becomes one character.
        assert_eq!(
            required("  Ha\u{030A}kon  ", 200, Lines::One),
            Ok("H\u{00E5}kon".into())
        );
        assert_eq!(clean("   ", 10, Lines::One), Ok(None));
        assert_eq!(required("", 10, Lines::One), Err(TextError::Empty));
    }

    #[test]
    fn control_bidi_and_invisible_characters_are_refused() {
        for bad in [
            "\u{0}Kari",
            "Ka\u{0}ri",
            "Kari\u{7}",
            "Kari\u{202E}nesetset",
            "Kari\u{2066}x\u{2069}",
            "Ka\u{200B}ri",
            "Kari\u{FEFF}",
            "\u{200D}\u{200D}",
            "\u{3164}",
            "\u{0301}\u{0301}",
            "Kari\u{E0041}",
            "Kari\u{2028}Nordmann",
        ] {
            assert_eq!(
                clean(bad, 200, Lines::Many),
                Err(TextError::Forbidden),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn line_breaks_and_tabs_only_where_a_text_has_lines() {
        assert_eq!(
            clean("linje 1\r\nlinje 2", 100, Lines::Many),
            Ok(Some("linje 1\nlinje 2".into()))
        );
        assert_eq!(
            clean("linje 1\nlinje 2", 100, Lines::One),
            Err(TextError::Forbidden)
        );
        assert_eq!(clean("a\tb", 100, Lines::One), Err(TextError::Forbidden));
    }

    #[test]
    fn the_length_is_counted_in_characters_after_normalisation() {
        assert_eq!(
            clean(&"å".repeat(5), 5, Lines::One),
            Ok(Some("å".repeat(5)))
        );
        assert_eq!(
            clean(&"a\u{030A}".repeat(5), 5, Lines::One),
            Ok(Some("å".repeat(5)))
        );
        assert_eq!(clean("abcdef", 5, Lines::One), Err(TextError::TooLong));
    }

    proptest! {
        /// Whatever is accepted is stable: cleaning it again changes nothing, and it holds no
        /// control or invisible format character.
        #[test]
        fn accepted_text_is_clean_and_stable(raw in "\\PC{0,40}|[\\x00-\\x1f\\u{200B}-\\u{202E}a-z ]{0,20}") {
            if let Ok(Some(text)) = clean(&raw, 100, Lines::One) {
                prop_assert_eq!(clean(&text, 100, Lines::One), Ok(Some(text.clone())));
                prop_assert!(text.chars().all(|c| !c.is_control() && !is_invisible_format(c)));
            }
        }
    }
}
