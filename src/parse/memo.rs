//! Lines read before, by thread. Many structured lines come back from document to document:
//! caveat lines (`SIPDIS`), rules of dashes, and the openings of numbered paragraphs
//! (`1. (C)`, `5. (SBU)`), of which the grammar is given no more than the number and the
//! mark (see `lines::grammar_reach`). The grammar reads each gathered line from the text it
//! is given alone, so a thread keeps what it made of such a text and gives it again, with
//! its spans moved to the new line. Header lines (`ZNY CCCCC ZZH`, `RUCNMEM/EU MEMBER
//! STATES`) are kept apart, by their whole text. This is memoisation only: a reading given again is the
//! grammar's own, whatever was read before.

use std::cell::RefCell;
use std::collections::HashMap;

use foldhash::fast::RandomState;

use super::line_kind::{HeaderLine, LineKind};
use crate::model::Span;

/// More texts than a corpus of cables repeats; past it the memo starts afresh, so that its
/// memory stays bounded however varied the input.
const CAPACITY: usize = 4096;
/// Header lines: more of them are read once (a date-time group, a sequence number), so the
/// memo keeps more to hold the routing lines that come back.
const HEADER_CAPACITY: usize = 16384;

thread_local! {
    /// Readings by the text given to the grammar, with spans counted from the line's start.
    /// Hashed with foldhash: every gathered line is looked up, and SipHash cost 1% of a parse;
    /// its seed is random per process, so crafted lines cannot pile into one bucket.
    static READINGS: RefCell<HashMap<Box<str>, LineKind, RandomState>> =
        RefCell::new(HashMap::with_hasher(RandomState::default()));
    /// Header lines by their text: their readings hold no positions.
    static HEADER_READINGS: RefCell<HashMap<Box<str>, LineKind, RandomState>> =
        RefCell::new(HashMap::with_hasher(RandomState::default()));
}

/// The reading of the line at `line`, of which the grammar would be given `given`, if this
/// thread read a line that gave the grammar the same text before.
pub(crate) fn recall(given: &str, line: Span) -> Option<LineKind> {
    READINGS.with_borrow(|memo| {
        Some(match memo.get(given)? {
            LineKind::Para { number, marking, text } => LineKind::Para {
                number: number.clone(),
                marking: marking.as_ref().map(|m| {
                    let mut m = m.clone();
                    m.span = Span::new(line.start + m.span.start, line.start + m.span.end);
                    m
                }),
                // The paragraph's text runs to the end of this line.
                text: Span::new(line.start + text.start, line.end),
            },
            LineKind::Caveat { words_end, noforn, .. } => {
                LineKind::Caveat { glued: Vec::new(), words_end: line.start + words_end, noforn: *noforn }
            }
            kind => kind.clone(),
        })
    })
}

/// Keeps `kind`, the grammar's reading of the line at `line`, which was given `given`: a
/// paragraph whose mark the grammar read within `given` and whose text starts right after it
/// (without a mark, the parser looks further into the text for one); a caveat line without
/// fields glued on; a rule. Other kinds carry values the memo does not move.
pub(crate) fn remember(given: &str, kind: &LineKind, line: Span) {
    let end = line.start + given.len();
    let relative = match kind {
        LineKind::Para { number, marking: Some(marking), text }
            if text.start == end && marking.span.start >= line.start && marking.span.end <= end =>
        {
            let mut marking = marking.clone();
            marking.span = Span::new(marking.span.start - line.start, marking.span.end - line.start);
            LineKind::Para { number: number.clone(), marking: Some(marking), text: Span::new(given.len(), given.len()) }
        }
        LineKind::Caveat { glued, words_end, noforn }
            if glued.is_empty() && (line.start..=end).contains(words_end) && given.len() == line.end - line.start =>
        {
            LineKind::Caveat { glued: Vec::new(), words_end: words_end - line.start, noforn: *noforn }
        }
        LineKind::Rule if given.len() == line.end - line.start => LineKind::Rule,
        _ => return,
    };
    READINGS.with_borrow_mut(|memo| {
        if memo.len() >= CAPACITY {
            memo.clear();
        }
        memo.insert(given.into(), relative);
    });
}

/// The reading of a header line whose text is `line`, if this thread read it before.
pub(crate) fn recall_header(line: &str) -> Option<LineKind> {
    HEADER_READINGS.with_borrow(|memo| memo.get(line).cloned())
}

/// Keeps `kind`, the grammar's reading of the header line whose text is `line`, unless it
/// holds positions (a banner glued to a `Cable dated:` line).
pub(crate) fn remember_header(line: &str, kind: &LineKind) {
    if matches!(kind, LineKind::Header(HeaderLine::CableDated { banner: Some(_), .. })) {
        return;
    }
    HEADER_READINGS.with_borrow_mut(|memo| {
        if memo.len() >= HEADER_CAPACITY {
            memo.clear();
        }
        memo.insert(line.into(), kind.clone());
    });
}
