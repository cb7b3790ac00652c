//! Reading a portion mark wherever one may stand, including marks written so that the grammar
//! cannot read them: full-width or square brackets (`（S）`, `[S]`), look-alike letters from
//! other scripts (`(Ѕ)` with a Cyrillic DZE), zero-width and other invisible characters
//! (`(C\u{200B})`), or a mark cut by the end of a line (`(S` ⏎ `//NF)`). Such a token is a
//! mark the document carries, so it must never make a portion *unmarked*: it is read as an
//! *unrecognised* mark, kept as written, and never released.
//!
//! The fold that sees through the disguises covers the characters that can spell a mark:
//! the brackets, the letters of the levels and controls, blanks and invisible characters. It
//! is a table of our own (the Unicode confusables list is large and almost all of it is about
//! letters no mark uses); NFKC alone would not catch the Cyrillic and Greek look-alikes.

use pest::Parser as _;

use super::fields;
use super::grammar::{DocumentParser, Rule};
use crate::model::{MarkValue, Marking, Span};

/// The longest mark, disguised or not, that is looked for (`(S//REL TO USA, AUS, CAN, GBR, NZL)`).
const MAX_MARK_CHARS: usize = 48;
/// The same in bytes, for a character of up to four bytes each.
const MAX_MARK_BYTES: usize = 4 * MAX_MARK_CHARS;

/// The mark that starts `text` (at byte `offset` of the document), if any: a recognised
/// portion mark as the grammar reads it, or an unrecognised one when the token is a mark in
/// disguise (see the module documentation). Mark-shaped tokens the grammar itself reads as
/// unrecognised (`(SE)`) are not returned here: callers meet those through the grammar.
pub(crate) fn mark_at(text: &str, offset: usize) -> Option<Marking> {
    let first = *text.as_bytes().first()?;
    if first.is_ascii() && !matches!(first, b'(' | b'[' | b'{') {
        return None;
    }
    // A mark is short and on one line: the grammar and the fold see only that much (pest
    // indexes the lines of whatever it is given).
    let mut end = text.len().min(MAX_MARK_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let window = &text[..memchr::memchr(b'\n', &text.as_bytes()[..end]).unwrap_or(end)];
    let token = &window[..window.find(')').map_or(window.len(), |i| i + 1)];
    if first == b'(' {
        let level = token.bytes().skip(1).find(|b| *b != b' ')?;
        if matches!(level.to_ascii_uppercase(), b'U' | b'C' | b'S' | b'T')
            && let Some(pair) = DocumentParser::parse(Rule::portion_mark, window).ok().and_then(|mut p| p.next())
        {
            return Some(fields::marking(&pair, offset));
        }
        // Plain ASCII that the grammar does not read is no mark in disguise.
        if token.is_ascii() {
            return None;
        }
    }
    disguised(window, offset)
}

/// A mark in disguise at the start of `text`: after folding, a mark-shaped token that was
/// not written in plain ASCII parentheses and letters.
fn disguised(text: &str, offset: usize) -> Option<Marking> {
    let mut folded = String::with_capacity(24);
    let mut changed = false;
    let mut end = 0;
    for (i, c) in text.char_indices().take(MAX_MARK_CHARS) {
        end = i + c.len_utf8();
        match fold(c) {
            Folded::Same => folded.push(c),
            Folded::Into(ascii) => {
                folded.push(ascii);
                changed = true;
            }
            Folded::Invisible => changed = true,
        }
        if folded.len() == 1 && !folded.starts_with('(') {
            return None;
        }
        if folded.ends_with(')') || c == '\n' {
            break;
        }
    }
    if !folded.starts_with('(') {
        return None;
    }
    let raw = text.get(..end)?.trim_end().to_owned();
    let span = Span::new(offset, offset + raw.len());
    // Cut at its first `)`, the folded token is a mark when the grammar reads it as one.
    let shaped = folded.ends_with(')')
        && (DocumentParser::parse(Rule::portion_mark, &folded).is_ok()
            || DocumentParser::parse(Rule::unrecognized_mark, &folded).is_ok());
    (changed && shaped).then_some(Marking { raw, span, value: MarkValue::Unrecognized })
}

/// A mark cut by the end of its line: `(S` or `(S//` with the rest on the next line. `rest`
/// is what follows the paragraph number up to the end of the line.
pub(crate) fn split_mark(rest: &str, offset: usize) -> Option<Marking> {
    let trimmed = rest.trim_end();
    let bytes = trimmed.as_bytes();
    let open = *bytes.first()?;
    if open != b'(' || trimmed.contains(')') || trimmed.chars().count() > 16 {
        return None;
    }
    if !bytes[1..].iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b' ' | b',')) {
        return None;
    }
    // The first word is a level (in any case); any other letters are capitals, as in controls.
    let mut words = trimmed[1..].split(['/', '-', ' ', ',']).filter(|w| !w.is_empty());
    let level = words.next()?;
    let is_level = ["U", "C", "S", "TS", "SBU"].iter().any(|l| level.eq_ignore_ascii_case(l));
    let controls_upper = words.all(|w| !w.bytes().any(|b| b.is_ascii_lowercase()));
    (is_level && controls_upper).then(|| Marking {
        raw: trimmed.to_owned(),
        span: Span::new(offset, offset + trimmed.len()),
        value: MarkValue::Unrecognized,
    })
}

enum Folded {
    Same,
    Into(char),
    Invisible,
}

/// Folds one character of a possible mark into the ASCII it imitates.
fn fold(c: char) -> Folded {
    if c.is_ascii() {
        return match c {
            '[' | '{' => Folded::Into('('),
            ']' | '}' => Folded::Into(')'),
            _ => Folded::Same,
        };
    }
    let ascii = match c {
        // Invisible and formatting characters: zero-width space and joiners, marks of
        // direction, word joiner, soft hyphen, byte-order mark.
        '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' => {
            return Folded::Invisible;
        }
        // Blanks of other widths.
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => ' ',
        // Full-width forms of ASCII.
        '\u{FF01}'..='\u{FF5E}' => return char::from_u32(c as u32 - 0xFEE0).map_or(Folded::Same, fold_ascii),
        // Brackets of other shapes.
        '⁽' | '₍' | '❨' | '❪' | '﹙' | '〔' | '【' | '〖' | '⦅' => '(',
        '⁾' | '₎' | '❩' | '❫' | '﹚' | '〕' | '】' | '〗' | '⦆' => ')',
        '⁄' | '∕' => '/',
        '‐' | '‑' | '‒' | '–' | '—' | '−' => '-',
        // Cyrillic and Greek look-alikes.
        'А' | 'а' | 'Α' => 'A',
        'В' | 'в' | 'Β' => 'B',
        'С' | 'с' | 'Ϲ' | 'ϲ' => 'C',
        'Е' | 'е' | 'Ε' => 'E',
        'Н' | 'н' | 'Η' => 'H',
        'І' | 'і' | 'Ӏ' | 'Ι' => 'I',
        'Ј' | 'ј' => 'J',
        'К' | 'к' | 'Κ' => 'K',
        'М' | 'м' | 'Μ' => 'M',
        'Ν' => 'N',
        'О' | 'о' | 'Ο' | 'ο' => 'O',
        'Р' | 'р' | 'Ρ' => 'P',
        'Ѕ' | 'ѕ' => 'S',
        'Т' | 'т' | 'Τ' => 'T',
        'Х' | 'х' | 'Χ' => 'X',
        'У' | 'у' | 'Υ' => 'Y',
        'Ԁ' | 'ԁ' => 'D',
        'Ζ' => 'Z',
        _ => return Folded::Same,
    };
    Folded::Into(ascii)
}

fn fold_ascii(c: char) -> Folded {
    match fold(c) {
        Folded::Same => Folded::Into(c),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unrecognised(text: &str) -> bool {
        mark_at(text, 0).is_some_and(|m| m.value == MarkValue::Unrecognized)
    }

    #[test]
    fn plain_marks_are_read_as_the_grammar_reads_them() {
        let mark = mark_at("(S//NF) text", 0).expect("a mark");
        assert_eq!(mark.raw, "(S//NF)");
        assert!(mark.is_recognized());
        assert!(mark_at("(Mideast) text", 0).is_none());
        assert!(mark_at("the (S) text", 0).is_none());
    }

    #[test]
    fn marks_in_disguise_are_unrecognised_never_unmarked() {
        assert!(unrecognised("（S） text"), "full-width parentheses");
        assert!(unrecognised("(Ｓ) text"), "full-width letter");
        assert!(unrecognised("[S] text"), "square brackets");
        assert!(unrecognised("[C//NF] text"), "square brackets with controls");
        assert!(unrecognised("(\u{0405}) text"), "Cyrillic DZE");
        assert!(unrecognised("(\u{0421}) text"), "Cyrillic ES");
        assert!(unrecognised("(C\u{200B}) text"), "zero-width space");
        assert!(unrecognised("(\u{FEFF}S) text"), "byte-order mark inside");
        assert_eq!(mark_at("[S] text", 7).map(|m| (m.raw, m.span)), Some(("[S]".to_owned(), Span::new(7, 10))));
    }

    #[test]
    fn brackets_that_are_not_marks_stay_text() {
        assert!(mark_at("[DETAILS REMOVED] text", 0).is_none());
        assert!(mark_at("[en.example.com]", 0).is_none());
        assert!(mark_at("«quoted»", 0).is_none());
        assert!(mark_at("（注）", 0).is_none());
    }

    #[test]
    fn a_mark_cut_by_the_end_of_its_line_is_unrecognised() {
        assert!(split_mark("(S", 0).is_some());
        assert!(split_mark("(S//", 0).is_some());
        assert!(split_mark("(C/NF ", 0).is_some());
        assert!(split_mark("(S) text", 0).is_none());
        assert!(split_mark("(see the annex", 0).is_none());
    }
}
