//! Single lines and pieces of lines read with the grammar: a grammar pair made into a
//! [`LineKind`], a text line read again with every structured shape, a field found glued
//! inside a line, the end of a `Classified By` field. The second stage (`assemble`) asks the
//! grammar through these functions only.

use pest::Parser as _;
use pest::iterators::Pair;

use super::fields::{self, span_of};
use super::grammar::{DocumentParser, Rule};
use super::line_kind::{Field, HeaderLine, LineKind, Located};
use super::{dates, leads, marks};
use crate::model::{Decl, Level, Reasons, Span};

/// A line read on its own with every structured shape, or as text.
pub(crate) fn reread_or_text(span: Span, source: &str) -> LineKind {
    if source.get(span.start..span.end).is_none_or(|t| t.trim().is_empty()) {
        return LineKind::Blank;
    }
    reread(span, source).unwrap_or_else(|| text_kind(span, source))
}

/// A text line, unless it is one of the structured lines that start like prose: a page
/// marker (`MOSCOW 00003335 002 OF 004`), told apart by its end, or a line that starts with a
/// field, caveat or banner word in mixed or lower case, read again with every structured shape.
pub(crate) fn text_kind(span: Span, source: &str) -> LineKind {
    let line = source.get(span.start..span.end).unwrap_or("");
    let trimmed = line.trim_start();
    if starts_with_structured_word(trimmed)
        && let Some(kind) = reread(span, source)
    {
        return kind;
    }
    let first = trimmed.as_bytes().first().copied().unwrap_or(b' ');
    // A subparagraph label in lower case before a mark (`a) (S)`, `ii. (S)`).
    if first.is_ascii_lowercase()
        && let Some(at) = leads::lower_label_then_mark(line)
    {
        if let Some(kind) = reread(span, source) {
            return kind;
        }
        if let Some(marking) = marks::mark_at(&line[at..], span.start + at) {
            let label = line[..at].trim().trim_matches(['(', ')', '.']).to_owned();
            return LineKind::Lettered { label, marking: Box::new(marking) };
        }
    }
    // A mark in disguise at the start of a line (`[S] …`, `（S） …`, `(Ѕ) …`).
    if matches!(first, b'(' | b'[' | b'{') || first >= 0x80 {
        let at = line.len() - trimmed.len();
        if let Some(marking) = marks::mark_at(&line[at..], span.start + at) {
            return LineKind::Marked { marking: Box::new(marking) };
        }
    }
    // A page marker (`MOSCOW 00003335 002 OF 004`), alone on its line or with text after it.
    if first.is_ascii_uppercase()
        && looks_like_page_marker(trimmed)
        && let Some(kind) = page_marker(span, source)
    {
        return kind;
    }
    LineKind::Text
}

/// A cheap test before the grammar's, on a line without its indent: a post name (letters and
/// blanks, four words at most, as the grammar's `post_name`) and then a serial of five to
/// eight digits, within the first 40 bytes.
fn looks_like_page_marker(trimmed: &str) -> bool {
    let bytes = trimmed.as_bytes();
    // Most lines have no digit in their first 40 bytes: a test of them all at once (no early
    // exit, so it compiles to a few vector instructions) turns them away before the walk.
    let head = &bytes[..bytes.len().min(40)];
    if !head.iter().fold(false, |any, b| any | b.is_ascii_digit()) {
        return false;
    }
    // The first byte that is no letter or blank must be the serial's first digit; a fifth
    // word rules the line out at once (most lines that get here are prose).
    let mut words = 0;
    let mut digit = None;
    for (i, &b) in bytes.iter().take(40).enumerate() {
        if b.is_ascii_alphabetic() {
            if i == 0 || bytes[i - 1] == b' ' {
                words += 1;
                if words > 4 {
                    return false;
                }
            }
        } else if b != b' ' {
            digit = Some(i);
            break;
        }
    }
    let Some(digit) = digit else { return false };
    let digits = bytes[digit..].iter().take_while(|b| b.is_ascii_digit()).count();
    digit > 1 && bytes[digit - 1] == b' ' && (5..=8).contains(&digits)
}

/// A page marker at the start of the line at `span`, if the line starts with one that the
/// end of the line or a blank follows.
fn page_marker(span: Span, source: &str) -> Option<LineKind> {
    let line = source.get(span.start..span.end)?;
    let pair = DocumentParser::parse(Rule::page_marker, line).ok()?.next()?;
    let end = pair.as_span().end();
    if !line[end..].chars().next().is_none_or(char::is_whitespace) {
        return None;
    }
    let mut post = None;
    let mut serial = None;
    for inner in pair.into_inner() {
        match inner.as_rule() {
            Rule::post_name => post = Some(inner.as_str().to_owned()),
            Rule::page_serial => serial = Some(inner.as_str().to_owned()),
            _ => {}
        }
    }
    Some(LineKind::PageMarker { post, serial, end: span.start + end })
}

/// Whether a line that the grammar took for prose starts with a word that begins a structured
/// line in mixed or lower case (`Classified By:`, `Subject:`, `sipdis`, `o (C)`), or with a
/// lead-in word before a portion mark (`Comment: (S) …`).
fn starts_with_structured_word(trimmed: &str) -> bool {
    let bytes = trimmed.as_bytes();
    let Some(first) = bytes.first() else { return false };
    // Words by initial, so that most lines are dismissed by their first byte; then the lead-in
    // words that may stand before a mark instead of a paragraph number.
    let (words, lead_ins): (&[&str], &[&str]) = match first.to_ascii_lowercase() {
        b'c' => (&["classified", "c o n"], &["comment"]),
        b's' => (&["subject", "subj", "sipdis", "sensitive", "s e c"], &["summary"]),
        b't' => (&["tags", "tag:", "tas:", "t o p"], &[]),
        b'r' => (&["ref", "reason"], &[]),
        b'd' => (&["derived", "declassify", "date:"], &[]),
        b'n' => (&["noforn"], &["note"]),
        b'e' => (&["eo 1", "eo:", "e.o"], &[]),
        b'o' => (&["o ("], &[]),
        b'u' => (&["u n c"], &["update"]),
        b'a' => (&[], &["action request"]),
        b'b' => (&[], &["background"]),
        _ => return false,
    };
    let starts = |w: &&str| bytes.len() >= w.len() && bytes[..w.len()].eq_ignore_ascii_case(w.as_bytes());
    // A lead-in word counts only with a `(` close behind it.
    words.iter().any(starts) || (lead_ins.iter().any(starts) && bytes.iter().take(32).any(|b| *b == b'('))
}

/// Re-reads a text line that starts with a field word in a case the fast path takes for prose
/// (`subject: …` in a case-mangled copy) with every structured shape.
pub(crate) fn reread(span: Span, source: &str) -> Option<LineKind> {
    let line = source.get(span.start..span.end)?;
    let pair = DocumentParser::parse(Rule::structured_line, line).ok()?.next()?;
    if matches!(pair.as_rule(), Rule::blank_line | Rule::EOI) {
        return None;
    }
    Some(body_line(pair, source, span.start, span.end))
}

/// What a header line is, from the grammar's pair: `offset` places the pair's input in
/// `source`.
pub(crate) fn header_line(pair: Pair<'_, Rule>, offset: usize, source: &str) -> LineKind {
    let rule = pair.as_rule();
    if rule == Rule::blank_line {
        return LineKind::Blank;
    }
    let text = pair.as_str();
    let header = match rule {
        Rule::cable_dated_line => {
            let mut date = String::new();
            let mut banner = None;
            for inner in pair.into_inner() {
                match inner.as_rule() {
                    Rule::cable_datetime => date = inner.as_str().to_owned(),
                    Rule::banner => {
                        if let Some((b, tail)) = fields::banner(&inner, offset) {
                            let glued = tail.map(|t| glued_tail(t, source)).unwrap_or_default();
                            banner = Some((b, glued));
                        }
                    }
                    _ => {}
                }
            }
            HeaderLine::CableDated { date, banner: banner.map(Box::new) }
        }
        Rule::partial_notice_line => HeaderLine::Notice,
        Rule::web_title_line if pair.clone().into_inner().any(|p| p.as_rule() == Rule::cable_title) => {
            HeaderLine::CableTitle
        }
        Rule::security_line => {
            HeaderLine::Security { code: pair.into_inner().next().map(|p| p.as_str().to_owned()).unwrap_or_default() }
        }
        Rule::dtg_line => {
            let mut precedence = String::new();
            let mut dtg = String::new();
            for inner in pair.into_inner() {
                match inner.as_rule() {
                    Rule::precedence => precedence = inner.as_str().to_owned(),
                    Rule::dtg => dtg = inner.as_str().to_owned(),
                    _ => {}
                }
            }
            HeaderLine::Dtg { precedence, dtg }
        }
        Rule::fm_line => HeaderLine::From(after_keyword(text)),
        Rule::to_line => HeaderLine::To(after_keyword(text)),
        Rule::info_line => HeaderLine::Info(after_keyword(text)),
        _ => HeaderLine::Other,
    };
    LineKind::Header(header)
}

fn after_keyword(text: &str) -> String {
    text.split_once(' ').map_or("", |(_, rest)| rest).trim().to_owned()
}

/// What a structured line is, from the grammar's pair: `offset` places the pair's input in
/// `source`, and `line_end` is where the line (or the piece of one) ends there.
pub(crate) fn body_line(pair: Pair<'_, Rule>, source: &str, offset: usize, line_end: usize) -> LineKind {
    match pair.as_rule() {
        Rule::blank_line => LineKind::Blank,
        Rule::banner_line => {
            let Some(banner_pair) = pair.into_inner().find(|p| p.as_rule() == Rule::banner) else {
                return LineKind::Text;
            };
            match fields::banner(&banner_pair, offset) {
                Some((banner, tail)) => {
                    let glued = tail.map(|t| glued_tail(t, source)).unwrap_or_default();
                    LineKind::Banner { banner: Box::new(banner), glued }
                }
                None => LineKind::Text,
            }
        }
        Rule::page_marker_line => {
            page_marker(Span::new(offset + pair.as_span().start(), offset + pair.as_span().end()), source)
                .unwrap_or(LineKind::Text)
        }
        Rule::page_line => LineKind::PageMarker { post: None, serial: None, end: offset + pair.as_span().end() },
        Rule::eo_line | Rule::decl_line | Rule::tags_line | Rule::subject_line => {
            LineKind::Fields(field_sequence(pair, source, offset))
        }
        Rule::isoo_line => isoo_line(pair, offset),
        Rule::ref_line => LineKind::Ref,
        Rule::classified_by_line => LineKind::ClassifiedBy {
            marking: pair
                .into_inner()
                .find(|p| p.as_rule() == Rule::portion_mark)
                .map(|p| Box::new(fields::marking(&p, offset))),
        },
        Rule::caveat_line => {
            let noforn = pair.as_str().contains("NOFORN");
            let tail = pair.into_inner().find(|p| p.as_rule() == Rule::caveat_tail);
            let words_end = tail.as_ref().map_or(offset, |t| offset + t.as_span().start());
            let glued = tail
                .filter(|t| !t.as_str().trim().is_empty())
                .map(|t| glued_tail(span_of(&t, offset), source))
                .unwrap_or_default();
            LineKind::Caveat { glued, words_end, noforn }
        }
        Rule::para_line => {
            let mut number = String::new();
            let mut marking = None;
            let mut text = Span::default();
            for inner in pair.into_inner() {
                match inner.as_rule() {
                    Rule::para_number => number = inner.as_str().to_owned(),
                    Rule::portion_mark | Rule::unrecognized_mark => marking = Some(fields::marking(&inner, offset)),
                    // The text runs to the end of the line, also when the grammar was given
                    // only the line's start.
                    Rule::para_text => text = Span::new(offset + inner.as_span().start(), line_end),
                    _ => {}
                }
            }
            // A mark the grammar cannot read is still a mark: never an unmarked paragraph.
            if marking.is_none() {
                let rest = source.get(text.start..text.end).unwrap_or("");
                let at = rest.len() - rest.trim_start().len();
                marking = marks::mark_at(&rest[at..], text.start + at)
                    .or_else(|| marks::split_mark(&rest[at..], text.start + at));
            }
            LineKind::Para { number, marking: marking.map(Box::new), text }
        }
        Rule::lettered_line => {
            let mut label = String::new();
            let mut marking = None;
            for inner in pair.into_inner() {
                match inner.as_rule() {
                    Rule::sub_label => label = inner.as_str().trim_matches(['(', ')', '.']).to_owned(),
                    Rule::portion_mark => marking = Some(fields::marking(&inner, offset)),
                    _ => {}
                }
            }
            marking.map_or(LineKind::Text, |marking| LineKind::Lettered { label, marking: Box::new(marking) })
        }
        Rule::marked_line | Rule::lead_marked_line => pair
            .into_inner()
            .find(|p| p.as_rule() == Rule::portion_mark)
            .map_or(LineKind::Text, |p| LineKind::Marked { marking: Box::new(fields::marking(&p, offset)) }),
        Rule::rule_line => LineKind::Rule,
        _ => LineKind::Text,
    }
}

fn isoo_line(pair: Pair<'_, Rule>, offset: usize) -> LineKind {
    let Some(inner) = pair.into_inner().next() else { return LineKind::Text };
    let end = offset + inner.as_span().end();
    match inner.as_rule() {
        Rule::declassify_on => {
            let decl = inner
                .clone()
                .into_inner()
                .find(|p| p.as_rule() == Rule::decl_value)
                .map_or_else(Decl::missing, |value| fields::decl(&value, offset));
            LineKind::DeclassifyOn { decl: Box::new(decl), end }
        }
        Rule::dated => LineKind::Dated {
            date: inner.into_inner().find(|p| p.as_rule() == Rule::decl_date).and_then(|d| dates::date_of(&d)),
            end,
        },
        Rule::isoo_reason => LineKind::Reason {
            reasons: inner
                .into_inner()
                .find(|p| p.as_rule() == Rule::reasons)
                .map(|r| Box::new(fields::reasons(&r)))
                .unwrap_or_default(),
            end,
        },
        _ => LineKind::DerivedFrom,
    }
}

/// The fields of an `eo_line`, `tags_line` or `subject_line`, in order.
fn field_sequence(pair: Pair<'_, Rule>, source: &str, offset: usize) -> Vec<Located<Field>> {
    // Most such lines hold one field; a line per field of a long document adds up.
    let mut out = Vec::with_capacity(1);
    for inner in pair.into_inner() {
        match inner.as_rule() {
            Rule::glued_fields => {
                for glued in inner.into_inner() {
                    if glued.as_rule() == Rule::tail {
                        if !glued.as_str().trim().is_empty() {
                            out.extend(glued_tail(span_of(&glued, offset), source));
                        }
                    } else {
                        push_field(&glued, offset, &mut out);
                    }
                }
            }
            _ => push_field(&inner, offset, &mut out),
        }
    }
    out
}

fn push_field(pair: &Pair<'_, Rule>, offset: usize, out: &mut Vec<Located<Field>>) {
    if let Some(value) = field(pair, offset) {
        out.push(Located { value, span: field_span(pair, offset) });
    }
}

/// Where a field ends: `TAGS:` at the last word that is a tag, `Classified By` after its
/// reasons (and the punctuation that closes them). Whatever follows on the line is not the
/// field, whatever the grammar's rest-of-line token took.
fn field_span(pair: &Pair<'_, Rule>, offset: usize) -> Span {
    let span = span_of(pair, offset);
    let text = pair.as_str();
    let length = match pair.as_rule() {
        Rule::tags_field => {
            let list_start = pair
                .clone()
                .into_inner()
                .find(|p| p.as_rule() == Rule::tag_list)
                .map_or(text.len(), |p| p.as_span().start() - pair.as_span().start());
            list_start + fields::tags_extent(&text[list_start..])
        }
        Rule::classified_by_field => classified_by_length(pair).0,
        _ => text.len(),
    };
    Span::new(span.start, span.start + length.min(text.len()))
}

/// The length of a `classified_by_field` pair up to the end of its reasons and their closing
/// punctuation, and whether it has reasons; without reasons, the whole pair.
fn classified_by_length(pair: &Pair<'_, Rule>) -> (usize, bool) {
    let text = pair.as_str();
    let start = pair.as_span().start();
    let reasons_end = pair
        .clone()
        .into_inner()
        .find(|p| p.as_rule() == Rule::reason_clause)
        .and_then(|clause| clause.into_inner().find(|p| p.as_rule() == Rule::reasons))
        .map(|reasons| reasons.as_span().end() - start);
    match reasons_end {
        Some(end) => {
            let closing =
                text[end..].bytes().take_while(|b| matches!(b, b'.' | b')' | b';' | b',' | b' ' | b'\t')).count();
            (end + closing, true)
        }
        None => (text.len(), false),
    }
}

/// Where the `Classified By` field that starts the text at `span` ends (its reasons may wrap
/// onto the lines `span` also covers), and whether its reasons were found.
pub(crate) fn classified_by_end(span: Span, source: &str) -> (usize, bool) {
    let Some(text) = source.get(span.start..span.end) else { return (span.end, false) };
    let Some(at) = find_ascii_ci(text, "classified") else { return (span.end, false) };
    let Some(pair) = DocumentParser::parse(Rule::classified_by_field, &text[at..]).ok().and_then(|mut p| p.next())
    else {
        return (span.end, false);
    };
    let (length, found) = classified_by_length(&pair);
    let end = span.start + at + length;
    // Blanks before the end of the text belong to nobody.
    (if found { end.min(span.end) } else { span.end }, found)
}

/// The byte offset of `needle` (ASCII, lower case) in `text`, in any case.
fn find_ascii_ci(text: &str, needle: &str) -> Option<usize> {
    let n = needle.len();
    text.as_bytes().windows(n).position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

fn field(pair: &Pair<'_, Rule>, offset: usize) -> Option<Field> {
    Some(match pair.as_rule() {
        Rule::eo_field | Rule::decl_field => {
            let mut order = None;
            let mut decl = None;
            for inner in pair.clone().into_inner() {
                match inner.as_rule() {
                    Rule::order => order = Some(inner.as_str().to_owned()),
                    Rule::decl_instruction | Rule::decl_value | Rule::na => {
                        decl = Some(Box::new(fields::decl(&inner, offset)));
                    }
                    _ => {}
                }
            }
            Field::Eo { order, decl }
        }
        Rule::tags_field => Field::Tags(fields::tags(pair)),
        Rule::subject_field => {
            let mut marking = None;
            let mut text = String::new();
            for inner in pair.clone().into_inner() {
                match inner.as_rule() {
                    Rule::portion_mark => marking = Some(Box::new(fields::marking(&inner, offset))),
                    Rule::subject_text => text = inner.as_str().trim().to_owned(),
                    _ => {}
                }
            }
            Field::Subject { marking, text }
        }
        Rule::glued_caveat => Field::Caveat,
        Rule::classified_by_field => Field::ClassifiedBy { complete: classified_by_length(pair).1 },
        _ => return None,
    })
}

/// At most this much of a glued tail, and `TAIL_MARGIN` more, goes to the grammar in one call:
/// a banner can carry hundreds of thousands of glued fields, and pest's tokens for them take
/// eighty times the text.
const TAIL_CHUNK: usize = 1 << 16;
/// A field the grammar reads in a cut chunk is its reading in the whole text when it ends this
/// far before the cut: the shapes it tried look a few bytes past where they end, except those
/// that run to the end of the line, which end at the cut. Fields closer to the cut are read
/// again in the next chunk, from where the last one before them ended.
const TAIL_MARGIN: usize = 4096;

/// Parses text glued after a banner, caveat or field (`SIPDISE.O. 12958: DECL: …TAGS: …`)
/// into the fields it contains. Spans are in document coordinates. Text the grammar does not
/// take as a field (`DEPT FOR EUR/RUS, …`) is passed over up to the next `E.O.` or
/// `Classified By` in it.
pub(crate) fn glued_tail(tail: Span, source: &str) -> Vec<Located<Field>> {
    glued_tail_in_chunks(tail, source, TAIL_CHUNK, TAIL_MARGIN)
}

/// `glued_tail`, with the chunk size and the margin given.
fn glued_tail_in_chunks(tail: Span, source: &str, chunk: usize, margin: usize) -> Vec<Located<Field>> {
    let mut out = Vec::new();
    let mut from = tail.start;
    // Set after a chunk in which no field ended far enough before the cut: the rest goes to
    // the grammar whole.
    let mut whole = false;
    while from < tail.end {
        let mut end = tail.end;
        if !whole && tail.end - from > chunk.saturating_add(margin) {
            end = from + chunk + margin;
            while !source.is_char_boundary(end) {
                end -= 1;
            }
        }
        let cut = end < tail.end;
        whole = false;
        let Some(text) = source.get(from..end) else { break };
        let Ok(mut pairs) = DocumentParser::parse(Rule::glued_tail, text) else { break };
        let Some(top) = pairs.next() else { break };
        let mut rest = from;
        let mut resume = None;
        for inner in top.into_inner() {
            let span = span_of(&inner, from);
            if inner.as_rule() == Rule::tail {
                rest = span.start;
                continue;
            }
            // In a cut chunk, a field near the cut may read on in the whole text.
            if cut && span.end + margin > end {
                break;
            }
            if let Some(value) = field(&inner, from) {
                out.push(Located { value, span });
            }
            resume = Some(span.end);
        }
        if cut {
            // The grammar goes on where the last field kept ended; were nothing kept (or no
            // byte read), the rest goes whole, so that the walk always moves on.
            match resume {
                Some(at) if at > from => from = at,
                _ => whole = true,
            }
            continue;
        }
        // Look for a field further on in what the grammar left over.
        let leftover = source.get(rest..tail.end).unwrap_or("");
        match find_field_start(leftover) {
            Some(at) if at > 0 => from = rest + at,
            _ => break,
        }
    }
    out
}

/// Finds an `E.O.` field or a `Classified By` glued in the middle of a front-matter text line
/// (`DEPT FOR WHA/BSC E.O. 12958: DECL: 11/22/2012`) and parses from there.
pub(crate) fn find_glued_field(line: Span, source: &str) -> Option<(usize, Vec<Located<Field>>)> {
    let text = source.get(line.start..line.end)?;
    let at = find_field_start(text)?;
    let fields = glued_tail(Span::new(line.start + at, line.end), source);
    (!fields.is_empty()).then_some((line.start + at, fields))
}

/// Byte offset of the first `E.O. 1xxxx`, `EO 1xxxx` or `Classified By` in `text`.
pub(crate) fn find_field_start(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let eo = memchr::memchr2_iter(b'E', b'e', bytes).find(|&i| {
        let rest = &bytes[i..];
        let after = if rest.len() >= 4 && rest[..4].eq_ignore_ascii_case(b"e.o.") {
            &rest[4..]
        } else if rest.len() >= 3 && rest[..3].eq_ignore_ascii_case(b"eo ") {
            &rest[3..]
        } else {
            return false;
        };
        let digits = after.iter().skip_while(|b| **b == b' ' || **b == b':').take(2).collect::<Vec<_>>();
        digits.len() == 2 && *digits[0] == b'1' && digits[1].is_ascii_digit()
    });
    let classified = memchr::memchr2_iter(b'C', b'c', bytes).find(|&i| {
        (i == 0 || !bytes[i - 1].is_ascii_alphabetic())
            && bytes.len() >= i + 13
            && bytes[i..i + 13].eq_ignore_ascii_case(b"classified by")
    });
    match (eo, classified) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The overall level a security-line code (`CCCCC`) witnesses.
pub(crate) fn security_level(code: &str) -> Option<Level> {
    match code {
        "CCCCC" => Some(Level::C),
        "SSSSS" => Some(Level::S),
        "TTTTT" => Some(Level::Ts),
        "UUUUU" | "EEEEE" => Some(Level::U),
        _ => None,
    }
}

/// Parses a `classified_by_field` block (one or more lines) into the classifier and reasons.
pub(crate) fn classified_by_block(block: Span, source: &str) -> Option<(String, Reasons)> {
    let text = source.get(block.start..block.end)?;
    let at = text.to_ascii_lowercase().find("classified")?;
    let text = text.get(at..)?;
    let mut pairs = DocumentParser::parse(Rule::classified_by_field, text).ok()?;
    let top = pairs.next()?;
    let mut classifier = String::new();
    let mut reasons = Reasons::default();
    for inner in top.into_inner() {
        match inner.as_rule() {
            Rule::classifier => classifier = trim_classifier(inner.as_str()),
            Rule::reason_clause => {
                if let Some(r) = inner.into_inner().find(|p| p.as_rule() == Rule::reasons) {
                    reasons = fields::reasons(&r);
                }
            }
            _ => {}
        }
    }
    // `CLASSIFIED BY: X, REASON 1.5 (D)` may also put the reasons before a glued tail.
    if reasons.letters.is_empty()
        && let Some(found) = find_reasons(text)
    {
        reasons = found;
    }
    Some((classifier, reasons))
}

/// The classifier without the words and punctuation that lead to the reason (`… Burns.
/// for`), on one line.
fn trim_classifier(text: &str) -> String {
    let mut words: Vec<&str> = text.split_whitespace().collect();
    while words
        .last()
        .is_some_and(|w| w.eq_ignore_ascii_case("for") || w.chars().all(|c| matches!(c, ',' | ';' | ':' | '-')))
    {
        words.pop();
    }
    words.join(" ").trim_end_matches([',', ';', ':']).to_owned()
}

/// Finds the first `1.4 …` reasons phrase in `text`.
pub(crate) fn find_reasons(text: &str) -> Option<Reasons> {
    let lower = text.to_ascii_lowercase();
    let at = lower.find("reason")?;
    let from = at + lower[at..].find(|c: char| c.is_ascii_digit())?;
    let sub = text.get(from..)?;
    let mut pairs = DocumentParser::parse(Rule::reasons, sub).ok()?;
    pairs.next().map(|r| fields::reasons(&r))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A long glued tail read a chunk at a time gives the fields it gives read in one call: with
    /// fields of every kind, text between them that is none, runs of blanks longer than a
    /// chunk, and fields that run to the end of the line.
    #[test]
    fn a_glued_tail_read_in_chunks_reads_as_in_one_call() {
        let pieces = [
            "E.O. 12958: DECL: 01/01/2020 ",
            "SIPDIS",
            "NOFORN ",
            "E.O. 12958: N/A ",
            "EO 13526 DECL: 2030-01-01 ",
            "DEPT FOR EUR/RUS ",
            "   ",
            "E.O. 13526: DECL: 25X1-human ",
        ];
        let mut tail = String::new();
        let mut state = 0x2545_f491_u32;
        for i in 0..1500usize {
            // A fixed pseudo-random order, so that cuts fall everywhere in the fields.
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            tail.push_str(pieces[state as usize % pieces.len()]);
            if i % 400 == 399 {
                tail.push_str(&" ".repeat(700));
            }
        }
        let endings = [
            "",
            "SUBJECT: A SUBJECT THAT RUNS TO THE END E.O. 12958: N/A",
            "TAGS: PREL, PGOV E.O. 12958: N/A",
            "Classified By: X, reasons 1.4 (b)",
        ];
        for ending in endings {
            let source = format!("{tail}{ending}");
            let span = Span::new(0, source.len());
            let whole = format!("{:?}", glued_tail_in_chunks(span, &source, usize::MAX, 0));
            // Cuts at every place in a field, some of which leave a shorter field that the
            // grammar reads (a year cut to two digits).
            for (chunk, margin) in (200..260).map(|c| (c, 64)).chain([(1000, 100), (5000, 300)]) {
                let chunked = format!("{:?}", glued_tail_in_chunks(span, &source, chunk, margin));
                assert_eq!(chunked, whole, "chunks of {chunk}, margin {margin}, ending {ending:?}");
            }
            let fields = whole.matches("Eo {").count();
            assert!(fields > 500, "{fields} E.O. fields, ending {ending:?}");
        }
    }

    /// The cheap test lets through every page marker the grammar reads, with its serial as
    /// far in as the test looks (40 bytes), and turns away prose, with or without digits.
    #[test]
    fn the_page_marker_test_lets_markers_through_and_turns_prose_away() {
        for marker in [
            "MOSCOW 00003335 002 OF 004",
            "KUALA LUMPUR 00001403  001.2 OF 004   CLASSIFIED BY: X",
            "AAAAAAAAA BBBBBBBBBB CCCCCCCCCC DDDDDD 12345 001 OF 002",
        ] {
            assert!(looks_like_page_marker(marker), "{marker}");
            let line = format!("{marker}\n");
            assert!(matches!(text_kind(Span::new(0, marker.len()), &line), LineKind::PageMarker { .. }), "{marker}");
        }
        for prose in [
            "THE MINISTER SAID THAT SOME 12345 PEOPLE CAME",
            "MOSCOW, 00003335 002 OF 004",
            "AAAAAAAAA BBBBBBBBBB CCCCCCCCCC DDDDDDDDD 12345 001 OF 002",
            "NO DIGITS IN THIS LINE AT ALL, NOT ONE OF THEM",
        ] {
            assert!(!looks_like_page_marker(prose), "{prose}");
        }
    }
}
