//! Paragraph starts read before, by thread. Most numbered paragraphs open with one of a few
//! hundred strings (`1. (C)`, `5. (SBU)`), and the grammar reads a line that opens with a
//! number and a mark no further than the mark (see `lines::grammar_reach`): what it made of
//! one such opening holds for every line that opens alike. A thread keeps the readings it
//! made and gives them again with their spans moved to the new line. This is memoisation
//! only: a reading given again is the grammar's own, whatever was read before.

use std::cell::RefCell;
use std::collections::HashMap;

use super::line_kind::LineKind;
use crate::model::Span;

/// More openings than a corpus of cables has; past it the memo starts afresh, so that its
/// memory stays bounded however varied the input.
const CAPACITY: usize = 4096;

thread_local! {
    /// Readings by opening, with spans counted from the line's start.
    static READINGS: RefCell<HashMap<Box<str>, LineKind>> = RefCell::new(HashMap::new());
}

/// The reading of the line at `line` that opens with `opening`, if this thread read a line
/// that opens alike before.
pub(crate) fn recall(opening: &str, line: Span) -> Option<LineKind> {
    READINGS.with_borrow(|memo| {
        let LineKind::Para { number, marking, text } = memo.get(opening)? else { return None };
        let marking = marking.as_ref().map(|m| {
            let mut m = m.clone();
            m.span = Span::new(line.start + m.span.start, line.start + m.span.end);
            m
        });
        let text = Span::new(line.start + text.start, line.end);
        Some(LineKind::Para { number: number.clone(), marking, text })
    })
}

/// Keeps `kind`, the grammar's reading of the line at `line` that opens with `opening`: only a
/// paragraph whose mark the grammar read, within the opening, and whose text starts right
/// after it. (Without a mark, the parser looks further into the text for one.)
pub(crate) fn remember(opening: &str, kind: &LineKind, line: Span) {
    let LineKind::Para { number, marking: Some(marking), text } = kind else { return };
    let end = line.start + opening.len();
    if text.start != end || marking.span.end > end || marking.span.start < line.start {
        return;
    }
    let mut relative = marking.clone();
    relative.span = Span::new(marking.span.start - line.start, marking.span.end - line.start);
    let kind = LineKind::Para {
        number: number.clone(),
        marking: Some(relative),
        text: Span::new(opening.len(), opening.len()),
    };
    READINGS.with_borrow_mut(|memo| {
        if memo.len() >= CAPACITY {
            memo.clear();
        }
        memo.insert(opening.into(), kind);
    });
}
