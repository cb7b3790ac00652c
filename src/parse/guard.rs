//! The guard behind the paragraph grammar: portion marks that stand *inside* a portion.
//!
//! If the grammar misses a paragraph start (a lead-in it does not know, a paragraph glued
//! behind other text), the classified paragraph becomes part of the portion before it, which
//! may be unclassified or an administrative line. Its mark is still there, so every portion is
//! scanned for marks where a paragraph could start: at a line start, after the end of a
//! sentence, or after a lead-in (`7.`, `b)`, `--`). Administrative lines and subjects carry no
//! mark but their own, so there any mark counts. The engine judges a portion at the highest
//! level among its own mark and the marks found here, and flags it.
//!
//! The scan is bytes and a few comparisons per `(`; only a candidate is read by the grammar.

use memchr::memchr3_iter;

use super::marks;
use crate::model::{Marking, PortionKind};

/// Marks inside `text` (the text of a portion of `kind` starting at byte `offset` of the
/// document) that may raise its level: classified marks, and marks in disguise. The portion's
/// own mark, which starts at `own_start`, is not counted. `front_matter` says the portion
/// comes before the first paragraph, where text that is no known field is still no paragraph
/// (a field the grammar does not know, or text glued behind one), so any mark in it counts.
pub(crate) fn embedded_marks(
    text: &str,
    offset: usize,
    kind: PortionKind,
    own_start: Option<usize>,
    front_matter: bool,
) -> Vec<Marking> {
    let bytes = text.as_bytes();
    let front_text = front_matter && kind == PortionKind::Text;
    let anywhere = kind.is_header_line() || kind == PortionKind::Subject || front_text;
    // Reference labels `(A) … (C) …` and reason letters `1.4 (b), (c)` are not marks (`(S)` is).
    let letters_are_labels = matches!(kind, PortionKind::Ref | PortionKind::ClassifiedBy) || front_text;
    let mut out: Vec<Marking> = Vec::new();
    for p in memchr3_iter(b'(', b'[', 0xEF, bytes) {
        if own_start == Some(offset + p) {
            continue;
        }
        let position = lead_position(bytes, p);
        if !anywhere && position == Position::Inside {
            continue;
        }
        let Some(mark) = text.get(p..).and_then(|rest| marks::mark_at(rest, offset + p)) else { continue };
        let keep = match mark.level() {
            Some(level) => {
                let letter = mark.raw.trim_matches(['(', ')', ' ']);
                let lower = mark.raw.bytes().any(|b| b.is_ascii_lowercase());
                level.is_classified()
                    && (!lower || position == Position::AfterNumber)
                    && !(letters_are_labels
                        && letter.len() == 1
                        && matches!(letter.as_bytes()[0], b'A'..=b'H' | b'a'..=b'h'))
                    && !(anywhere && lower)
            }
            // Only marks in disguise come back unrecognised (see `marks::mark_at`).
            None => true,
        };
        if keep && !out.iter().any(|m| m.level() == mark.level() && m.level().is_some()) {
            out.push(mark);
        }
    }
    out
}

/// Where a token stands, as far as paragraph starts go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Position {
    /// At a line start, or after the end of a sentence.
    Start,
    /// After a paragraph number or label that itself stands at a start (`7. (c)`).
    AfterNumber,
    /// Anywhere else.
    Inside,
}

/// Whether byte `at` of `bytes` stands where a paragraph could start.
fn lead_position(bytes: &[u8], at: usize) -> Position {
    let k = skip_blanks_back(bytes, at);
    // A lead-in: `7.`, `7,`, `7)`, `b)`, `ii.`, `--`, `•` standing at a start itself.
    let mut m = k;
    if m > 0 && matches!(bytes[m - 1], b'.' | b',' | b')') {
        m -= 1;
    }
    let label_end = m;
    while m > 0 && bytes[m - 1].is_ascii_alphanumeric() && label_end - m < 5 {
        m -= 1;
    }
    if m == label_end {
        // Bullets.
        while m > 0 && matches!(bytes[m - 1], b'-' | b'*') && label_end - m < 3 {
            m -= 1;
        }
        if m == label_end && m >= 3 && &bytes[m - 3..m] == "•".as_bytes() {
            m -= 3;
        }
    }
    if m < label_end && (m == 0 || matches!(bytes[m - 1], b' ' | b'\t' | b'\n' | 0xA0 | b'"')) {
        let before = skip_blanks_back(bytes, m);
        if at_start(bytes, before, m) || m == 0 || bytes[m - 1] == b'"' {
            return Position::AfterNumber;
        }
    }
    if at_start(bytes, k, at) { Position::Start } else { Position::Inside }
}

fn skip_blanks_back(bytes: &[u8], mut k: usize) -> usize {
    while k > 0 && matches!(bytes[k - 1], b' ' | b'\t') || k > 1 && bytes[k - 2] == 0xC2 && bytes[k - 1] == 0xA0 {
        k -= if bytes[k - 1] == 0xA0 { 2 } else { 1 };
    }
    k
}

/// Whether the text before byte `k` (blanks skipped back from `at`) ends a line or a sentence.
fn at_start(bytes: &[u8], k: usize, at: usize) -> bool {
    if k == 0 || bytes[k - 1] == b'\n' {
        return true;
    }
    if k == at {
        return false;
    }
    // (A backslash ends a line in copies that kept the line continuations.)
    matches!(bytes[k - 1], b'.' | b'!' | b'?' | b':' | b';' | b'"' | b'\'' | b')' | b']' | b'\\')
        // `”` and `’` end in 0x9D and 0x99 after E2 80.
        || k >= 3 && bytes[k - 3] == 0xE2 && bytes[k - 2] == 0x80 && matches!(bytes[k - 1], 0x9D | 0x99)
        || bytes[k - 1] == b'-' && k >= 3 && bytes[k - 2] == b'-' && bytes[k - 3] == b'-'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, kind: PortionKind) -> Vec<String> {
        embedded_marks(text, 0, kind, Some(0), false).into_iter().map(|m| m.raw).collect()
    }

    #[test]
    fn marks_at_starts_inside_a_paragraph_are_found() {
        let p = PortionKind::Paragraph;
        assert_eq!(found("(U) Unclassified words. (S) Secret words.", p), ["(S)"]);
        assert_eq!(found("(U) Unclassified words\n(C) more", p), ["(C)"]);
        assert_eq!(found("(U) Words.  7. (S//NF) more", p), ["(S//NF)"]);
        assert_eq!(found("(U) Words.\n  b) (c) lower case after a label", p), ["(c)"]);
        assert_eq!(found("(U) Words.\n-- (S) a bullet", p), ["(S)"]);
        assert_eq!(found("(U) Words. （S） disguised", p), ["（S）"]);
        assert_eq!(found("(U) Words ----- (C) after a rule", p), ["(C)"]);
    }

    #[test]
    fn parentheticals_in_prose_are_not_marks() {
        let p = PortionKind::Paragraph;
        assert!(found("(U) The United States (US) and the talks (C) went on.", p).is_empty());
        assert!(found("(U) Items:\n(c) the third item", p).is_empty());
        assert!(found("(U) Unclassified words. (U) More.", p).is_empty());
        assert!(found("(U) Words. (SADC) officials met.", p).is_empty());
    }

    #[test]
    fn administrative_lines_hold_no_mark_but_their_own() {
        assert_eq!(found("E.O. 12958: DECL: 01/01/2019 (S) glued", PortionKind::Decl), ["(S)"]);
        assert_eq!(found("SUBJECT: (U) A TITLE (S) glued", PortionKind::Subject), ["(S)"]);
        assert!(found("Classified By: Jane Roe, Reasons 1.4 (B), (C) and (D)", PortionKind::ClassifiedBy).is_empty());
        assert!(found("REF: (A) STATE 1 (B) STATE 2 (C) STATE 3", PortionKind::Ref).is_empty());
        assert_eq!(found("REF: STATE 1. (S) glued", PortionKind::Ref), ["(S)"]);
    }
}
