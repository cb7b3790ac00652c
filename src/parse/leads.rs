//! Paragraph starts that the line-by-line grammar cannot see: a numbered paragraph that begins
//! in the middle of a line, glued behind a `Classified By:` field, a heading, a page marker or
//! the end of the previous paragraph (`… REASON: 1.4 (b), (d) 1. (C) Summary: …`, `CHINA -----
//! 3. (C) The Commission…`, `…Mendoza's economy. 10.  (U)  FM believes…`). Copies of cables
//! that lost their line breaks hold a whole body on one line, so a missed start here merges a
//! classified paragraph into whatever came before it.
//!
//! A start is a paragraph number of one to three digits standing as a word of its own, then:
//! * `.` or `)` and a portion mark (`4. (S/NF)`, `2) (C)`, `4 . (C)`): a start wherever it
//!   stands;
//! * a comma or nothing between the number and the mark (`5, (C)`, `4 (SBU)`): a start only
//!   where the number is the next one in the document's sequence, since such a pair is also a
//!   cable reference (`BERN 881 (C) BERN 924`, `(B) TRIPOLI 321, (C) TRIPOLI 297`);
//! * no mark, `.` and a capitalised word, right after the end of a sentence (`… agreed.  10.
//!   Embassy staff …`): a start only where the number is the next in the sequence.

use memchr::memchr2_iter;

use super::marks;

/// A paragraph start found inside a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Start {
    /// Byte offset in the line where the paragraph begins (its number, or its pilcrow).
    pub at: usize,
    /// The paragraph number.
    pub number: u32,
}

/// The paragraph starts inside `line` (never at its very beginning), in order. `next` is the
/// number the document's next paragraph would have.
pub(crate) fn midline_starts(line: &str, mut next: u32) -> Vec<Start> {
    let bytes = line.as_bytes();
    let mut out: Vec<Start> = Vec::new();
    // Marked starts: every `(` that opens a mark, read backwards to its number. Unmarked
    // starts, on longer lines: `.` then a capital. One pass finds both in order: a start's
    // bytes (number, punctuation, blanks, then `(` or a capital) never hold another's, so
    // the order of their `(` and `.` is the order of the starts.
    let long = bytes.len() > 40;
    let found = memchr2_iter(b'(', b'.', bytes).filter_map(|p| match bytes[p] {
        b'(' => marked_start(line, p),
        _ if long => unmarked_start(bytes, p),
        _ => None,
    });
    for (start, sequence_only) in found.map(|s| (s, s.number & SEQUENCE_ONLY != 0)) {
        let number = start.number & !SEQUENCE_ONLY;
        if sequence_only && number != next {
            continue;
        }
        if out.last().is_some_and(|last| last.at >= start.at) {
            continue;
        }
        out.push(Start { at: start.at, number });
        next = number + 1;
    }
    out
}

/// Flag on a start's number: only a start where it is the next number of the sequence.
const SEQUENCE_ONLY: u32 = 1 << 31;

/// A start whose mark opens at byte `open` (`(`) of `line`.
fn marked_start(line: &str, open: usize) -> Option<Start> {
    let bytes = line.as_bytes();
    // The mark's level letter comes first (`(C)`, `( S )`).
    let after = bytes.get(open + 1..)?;
    let letter = after.iter().find(|b| **b != b' ')?;
    if !matches!(letter.to_ascii_uppercase(), b'U' | b'C' | b'S' | b'T') {
        return None;
    }
    // Backwards: blanks, punctuation, the number.
    let mut j = open;
    let mut blanks = 0;
    while j > 0 && matches!(bytes[j - 1], b' ' | b'\t') {
        j -= 1;
        blanks += 1;
    }
    if blanks > 4 {
        return None;
    }
    let mut punct = None;
    if j > 0 && matches!(bytes[j - 1], b'.' | b',' | b')') {
        punct = Some(bytes[j - 1]);
        j -= 1;
        if j > 0 && bytes[j - 1] == b' ' && j > 1 && bytes[j - 2].is_ascii_digit() {
            j -= 1;
        }
    }
    let digits_end = j;
    while j > 0 && bytes[j - 1].is_ascii_digit() {
        j -= 1;
    }
    let digits = digits_end - j;
    if !(1..=3).contains(&digits) {
        return None;
    }
    let number: u32 = line.get(j..digits_end)?.parse().ok()?;
    // A pilcrow in front belongs to the start.
    if line.get(..j).is_some_and(|before| before.ends_with('¶')) {
        j -= '¶'.len_utf8();
    }
    // The number is a word of its own: a blank before it, the quote of a mangled copy
    // (`…generally ,,""9. (S) As of…`), or a rule of dashes (`-----7.  (C)`).
    // Not the start of the line, nor a number written twice there (`1. 1. (SBU)`).
    let head = line[..j].trim();
    if j == 0
        || !(before_is_blank(bytes, j) || bytes[j - 1] == b'"' || j >= 3 && &bytes[j - 3..j] == b"---")
        || head.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b')' | b' ' | b'\t'))
        || head == "\u{b6}"
    {
        return None;
    }
    let mark = marks::mark_at(line.get(open..)?, 0)?;
    if !mark.is_recognized() {
        return None;
    }
    // A lower-case mark (`(c)`) only with the number's own punctuation (`3. (c)`): without it,
    // `2 (c)` is a list item or a reason letter.
    let lower = mark.raw.bytes().any(|b| b.is_ascii_lowercase());
    if lower && punct.is_none() {
        return None;
    }
    // `N.` and `N)` start a paragraph wherever they stand; a bare `N` or `N,` only in sequence
    // (`BERN 881 (C) BERN 924`, `(B) TRIPOLI 321, (C) TRIPOLI 297` are references).
    let anywhere = matches!(punct, Some(b'.' | b')'));
    Some(Start { at: j, number: if anywhere { number } else { number | SEQUENCE_ONLY } })
}

/// An unmarked start at the `.` at byte `dot`: `… sentence.  10. Capital`.
fn unmarked_start(bytes: &[u8], dot: usize) -> Option<Start> {
    if dot == 0 || !bytes[dot - 1].is_ascii_digit() {
        return None;
    }
    // After the dot: one blank, then a capital letter.
    let rest = bytes.get(dot + 1..dot + 4)?;
    if !(rest[0] == b' ' && (rest[1].is_ascii_uppercase() || rest[1] == b' ' && rest[2].is_ascii_uppercase())) {
        return None;
    }
    let mut j = dot;
    while j > 0 && bytes[j - 1].is_ascii_digit() {
        j -= 1;
    }
    let digits = dot - j;
    if !(1..=2).contains(&digits) || j < 3 || !before_is_blank(bytes, j) {
        return None;
    }
    // Before the blanks: the end of a sentence.
    let mut k = j;
    while k > 0 && bytes[k - 1] == b' ' {
        k -= 1;
    }
    if k == 0 || !matches!(bytes[k - 1], b'.' | b'!' | b'?' | b'"' | b')') || j - k > 3 {
        return None;
    }
    let number: u32 = std::str::from_utf8(&bytes[j..dot]).ok()?.parse().ok()?;
    (number >= 2).then_some(Start { at: j, number: number | SEQUENCE_ONLY })
}

/// Whether the byte before `at` is a blank (space, tab, or the no-break space of web copies).
fn before_is_blank(bytes: &[u8], at: usize) -> bool {
    at > 0 && (matches!(bytes[at - 1], b' ' | b'\t') || at > 1 && bytes[at - 2] == 0xC2 && bytes[at - 1] == 0xA0)
}

/// The end of a subparagraph label at the start of a line written in lower case, which the
/// grammar's fast path takes for prose: `a) (S)`, `ii. (S)`, `o (C)`. Returns the offset of
/// the `(` or other opening of the mark after it.
pub(crate) fn lower_label_then_mark(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let start = bytes.iter().position(|b| !matches!(b, b' ' | b'\t'))?;
    let mut j = start;
    while j < bytes.len() && bytes[j].is_ascii_lowercase() && j - start < 5 {
        j += 1;
    }
    let letters = j - start;
    let label_ok = match bytes.get(j) {
        Some(b'.' | b')') => letters == 1 || bytes[start..j].iter().all(|b| matches!(b, b'i' | b'v' | b'x')),
        Some(b' ') => letters == 1 && bytes[start] == b'o',
        _ => false,
    };
    if !label_ok || letters == 0 {
        return None;
    }
    if bytes[j] != b' ' {
        j += 1;
    }
    while j < bytes.len() && matches!(bytes[j], b' ' | b'\t') {
        j += 1;
    }
    let next = *bytes.get(j)?;
    (next == b'(' || next == b'[' || next >= 0x80).then_some(j)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn starts(line: &str, next: u32) -> Vec<(String, u32)> {
        midline_starts(line, next).into_iter().map(|s| (line[s.at..].chars().take(6).collect(), s.number)).collect()
    }

    #[test]
    fn starts_glued_behind_fields_headings_and_sentences() {
        assert_eq!(
            starts(
                "CLASSIFIED BY: Jane Roe. REASON: 1.4 (b), (d) 1. (C) Summary: text.  End summary.  2. (C) More.",
                1
            ),
            [("1. (C)".to_owned(), 1), ("2. (C)".to_owned(), 2)]
        );
        assert_eq!(starts("TRADE ----- 3. (C) The Commission said", 3), [("3. (C)".to_owned(), 3)]);
        assert_eq!(starts("the regional economy. 10.  (U)  The governor", 10), [("10.  (".to_owned(), 10)]);
        assert_eq!(starts("POST 00000123  002.2 OF 004   9. (S//NF) A dearth", 9), [("9. (S/".to_owned(), 9)]);
        assert_eq!(starts("said so. 5, (C) Later", 5), [("5, (C)".to_owned(), 5)]);
        assert_eq!(starts("said so. ¶6. (C) Later", 6), [("¶6. (C".to_owned(), 6)]);
    }

    #[test]
    fn numbers_without_punctuation_need_the_sequence() {
        assert_eq!(starts("NOC REACTS SWIFTLY 4 (SBU) The company", 4), [("4 (SBU".to_owned(), 4)]);
        assert!(starts("REF: (A) STATE 126979 (B) BERN 881 (C) BERN 924", 2).is_empty());
    }

    #[test]
    fn reasons_lists_and_prose_are_not_starts() {
        assert!(starts("Classified By: Jane Roe, for reasons 1.4 (b) and (d).", 1).is_empty());
        assert!(starts("REASONS 1.4 (B), (C) AND (D)", 1).is_empty());
        assert!(starts("under section 4(c) who has", 4).is_empty());
        assert!(starts("items (a), (b) and 2 (c) follow", 2).is_empty());
        assert!(starts("a budget of 2.5 (U.S.) billion", 3).is_empty());
    }

    #[test]
    fn unmarked_starts_only_in_sequence_after_a_sentence() {
        let line = "The talks went well and both sides agreed.  7. Embassy staff will follow up next week.";
        assert_eq!(starts(line, 7), [("7. Emb".to_owned(), 7)]);
        assert!(starts(line, 3).is_empty());
        assert!(starts("He cited page 7. The rest of the long sentence goes on here.", 7).is_empty());
    }

    #[test]
    fn lower_case_labels_before_a_mark() {
        assert_eq!(lower_label_then_mark("a) (S) text"), Some(3));
        assert_eq!(lower_label_then_mark("  ii. (S) text"), Some(6));
        assert_eq!(lower_label_then_mark("o (C) text"), Some(2));
        assert_eq!(lower_label_then_mark("and (S) text"), None);
        assert_eq!(lower_label_then_mark("a) the list"), None);
    }
}
