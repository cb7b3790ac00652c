//! First stage of the parser: the pest parse of a whole document, flattened into a list of
//! classified lines with the values the grammar recognised on each.

use pest::Parser as _;
use pest::iterators::Pair;

use super::fields::span_of;
use super::grammar::{DocumentParser, Rule};
use super::leads;
use super::line_kind::{HeaderLine, Line, LineKind};
use super::memo;
use super::pieces::{body_line, find_field_start, header_line, reread_or_text, text_kind};
use crate::model::{LineIndex, Preamble, Span};

/// The result of the first stage.
pub(crate) struct Lines {
    pub preamble: Option<(Preamble, Span)>,
    pub lines: Vec<Line>,
}

/// Parses `source` (which ends with a newline) into lines. The grammar accepts any text, so
/// this only fails if pest itself reports an error, which it describes.
///
/// Two grammar calls for a cable: one for the preamble and the header lines the memo does not
/// know (a header of more than 32 such lines takes more), one for the lines of the body that
/// may be structured (a body with more than 64 KB of such lines takes one call per 64 KB).
/// Prose and blank lines, most of a cable, never reach pest: byte tests that are the grammar's
/// own `run_start` and `indented_prose` (see the grammar) set them apart, and the other lines
/// are read together, since every call costs pest a fixed price and a line index of its whole
/// input.
pub(crate) fn read(source: &str, index: &LineIndex) -> Result<Lines, String> {
    // One `Line` per line at most, plus the few that a glued header line splits into: sized
    // once, since growing the list would copy every `Line` again.
    let mut out = Lines { preamble: None, lines: Vec::with_capacity(index.line_count() + 8) };
    let body_start = if let Some(end) = read_front(source, &mut out)? {
        end
    } else {
        out.lines.clear();
        read_front_whole(source, &mut out)?
    };
    read_body(source, body_start, &mut out.lines, index)?;
    Ok(out)
}

/// At most this many header lines that the memo does not know go to the grammar in one call.
const HEADER_BATCH: usize = 32;

/// Reads the front as the grammar's `front` reads it (a BOM, the preamble, the header's lines
/// as long as they are `header_line`s) into `out`, and returns where the body starts; `None`
/// when the text opens like a preamble that the grammar does not take for one.
///
/// A header line's reading depends on its own text only, and routing lines come back from
/// cable to cable (`ZNY CCCCC ZZH`, `RUCNMEM/EU MEMBER STATES`): the memo gives those again.
/// The others are gathered behind the text's opening (the BOM and the preamble's eight lines,
/// given whole) and read in one call. Only the grammar can tell where the header ends, so the
/// lines are walked up to the first that looks like the body's banner (or at most
/// `HEADER_BATCH` unknown lines, then another call); lines walked past the end are read
/// again as body.
fn read_front(source: &str, out: &mut Lines) -> Result<Option<usize>, String> {
    let bytes = source.as_bytes();
    let bom = if source.starts_with('\u{FEFF}') { '\u{FEFF}'.len_utf8() } else { 0 };
    let opening = if source[bom..].starts_with("Identifier") {
        memchr::memchr_iter(b'\n', &bytes[bom..]).nth(7).map_or(source.len(), |i| bom + i + 1)
    } else {
        bom
    };
    // The opening goes to the grammar only with a preamble: the BOM alone has nothing to read,
    // and the grammar's `bom?` and `preamble?` may only be tried at the start of the text, never
    // at the start of gathered lines that follow lines the memo knew.
    let preamble_given = opening > bom;
    let mut gathered = String::with_capacity(opening + 2048);
    if preamble_given {
        gathered.push_str(&source[..opening]);
    }
    let mut walked: Vec<(Span, Option<LineKind>)> = Vec::with_capacity(4 * HEADER_BATCH);
    let mut body_from = None;
    let mut pos = opening;
    let mut first = true;
    loop {
        // Walk the lines from `pos`, each known to the memo or gathered; a last line without
        // a newline belongs to the body.
        walked.clear();
        let mut misses = 0;
        let mut at = pos;
        let mut banner_like = false;
        while misses < HEADER_BATCH
            && !banner_like
            && let Some(newline) = memchr::memchr(b'\n', &bytes[at..])
        {
            let span = Span::new(at, at + newline);
            let text = &source[span.start..span.end];
            let known = memo::recall_header(text);
            if known.is_none() {
                gathered.push_str(text);
                gathered.push('\n');
                misses += 1;
                banner_like = looks_like_banner(text);
            }
            walked.push((span, known));
            at = span.end + 1;
        }
        let mut readings = Vec::with_capacity(misses);
        if first && preamble_given {
            let mut pairs = DocumentParser::parse(Rule::front, &gathered).map_err(|e| e.to_string())?;
            let front = pairs.next().ok_or_else(|| "empty parse".to_owned())?;
            for part in front.into_inner() {
                match part.as_rule() {
                    // The opening is the text's own: its spans are the document's.
                    Rule::preamble => out.preamble = preamble(part),
                    Rule::header => readings.extend(part.into_inner()),
                    _ => {}
                }
            }
            if out.preamble.is_none() {
                return Ok(None);
            }
        } else if misses > 0 {
            let mut pairs = DocumentParser::parse(Rule::header, &gathered).map_err(|e| e.to_string())?;
            readings.extend(pairs.next().ok_or_else(|| "empty parse".to_owned())?.into_inner());
        }
        let mut readings = readings.into_iter();
        for (span, known) in walked.drain(..) {
            let kind = if let Some(kind) = known {
                kind
            } else {
                // The header ends at the first gathered line the grammar did not read.
                let Some(pair) = readings.next() else { return Ok(Some(span.start)) };
                let offset = span.start - pair.as_span().start();
                let kind = header_line(pair, offset, source);
                memo::remember_header(&source[span.start..span.end], &kind);
                kind
            };
            push_header_line(kind, span, source, &mut body_from, &mut out.lines);
        }
        // Every walked line was a header line: the header goes on past them, or ends where
        // the walk did.
        if misses < HEADER_BATCH && !banner_like {
            return Ok(Some(at));
        }
        pos = at;
        first = false;
        gathered.clear();
    }
}

/// Whether a header line the memo does not know looks like the banner that opens most bodies
/// (`C O N F I D E N T I A L`, `UNCLAS SECTION 01 OF 02`): where the walk for the grammar
/// stops. Only a guess of where the header ends; the grammar decides.
fn looks_like_banner(line: &str) -> bool {
    ["C O N", "S E C", "SS E C", "T O P", "U N C", "UNCLAS", "SECRET", "CONFIDENTIAL", "TOP SECRET"]
        .iter()
        .any(|w| line.len() >= w.len() && line.as_bytes()[..w.len()].eq_ignore_ascii_case(w.as_bytes()))
}

/// Adds a header line to `out`, split where body text is glued on (`glued_body`); once that
/// happened (`body_from`), the header's remaining lines are body.
fn push_header_line(kind: LineKind, span: Span, source: &str, body_from: &mut Option<usize>, out: &mut Vec<Line>) {
    if body_from.is_some() {
        out.push(Line { kind: reread_or_text(span, source), span, in_header: false });
        return;
    }
    match glued_body(&kind, span, source) {
        Some(at) => {
            let head = Span::new(span.start, at);
            let rest = Span::new(at, span.end);
            out.push(Line { kind, span: head, in_header: true });
            out.push(Line { kind: reread_or_text(rest, source), span: rest, in_header: false });
            *body_from = Some(at);
        }
        None => out.push(Line { kind, span, in_header: true }),
    }
}

/// The publisher's preamble table, from the grammar's pair.
fn preamble(part: Pair<'_, Rule>) -> Option<(Preamble, Span)> {
    let span = span_of(&part, 0);
    let values: Vec<String> = part.into_inner().map(|p| p.as_str().trim().to_owned()).collect();
    let [identifier, created, classification, origin] = &values[..] else { return None };
    let preamble = Preamble {
        identifier: identifier.clone(),
        created: created.clone(),
        classification: classification.clone(),
        origin: origin.clone(),
    };
    Some((preamble, span))
}

/// `read_front` for a text that opens like a preamble and is none: the whole front in one
/// call, from a prefix of the text that ends at a line end, doubled while the header runs to
/// its end.
fn read_front_whole(source: &str, out: &mut Lines) -> Result<usize, String> {
    let mut size = 4096;
    let front = loop {
        let mut end = source.len().min(size);
        if end < source.len() {
            end = memchr::memrchr(b'\n', &source.as_bytes()[..end]).map_or(source.len(), |i| i + 1);
        }
        let prefix = &source[..end];
        let mut pairs = DocumentParser::parse(Rule::front, prefix).map_err(|e| e.to_string())?;
        let front = pairs.next().ok_or_else(|| "empty parse".to_owned())?;
        if front.as_span().end() < end || end == source.len() {
            break front;
        }
        size = end * 2;
    };
    let body_start = front.as_span().end();
    let mut body_from = None;
    for part in front.into_inner() {
        match part.as_rule() {
            Rule::preamble => out.preamble = preamble(part),
            Rule::header => {
                for line in part.into_inner() {
                    let span = span_of(&line, 0);
                    let kind = header_line(line, 0, source);
                    push_header_line(kind, span, source, &mut body_from, &mut out.lines);
                }
            }
            _ => {}
        }
    }
    Ok(body_start)
}

/// At most this much gathered text goes to the grammar in one call: enough to pay for a
/// call's fixed cost many times over, little enough that pest's token queue stays a few
/// megabytes on a document of any size (a short structured line such as `TAGS: PREL,` makes
/// a dozen tokens of 40 bytes, and the queue grows by doubling: up to 80 times its text).
const GATHER_LIMIT: usize = 1 << 16;

/// The lines of the body, from `start` to the end of `source`.
///
/// Read first with two shortcuts: paragraph lines cut to what the grammar reads of them
/// (`grammar_reach`), and lines whose reading the memo holds (`memo`) left out of the
/// gathered text. A line's reading never depends on the lines after it, with one
/// exception: the reasons of a `REASON: 1.4 (b),` line may run on over the newline into the
/// next gathered line (which need not be the next line of the text: prose between them is
/// not gathered). When such a reading ran into a line that a shortcut changed, the body is
/// read again without them.
fn read_body(source: &str, start: usize, out: &mut Vec<Line>, index: &LineIndex) -> Result<(), String> {
    let first = out.len();
    if read_body_with(source, start, out, true, index)? {
        return Ok(());
    }
    out.truncate(first);
    read_body_with(source, start, out, false, index).map(|_| ())
}

/// A line gathered for the grammar.
#[derive(Debug, Clone, Copy)]
struct Gathered {
    /// Where it starts in the gathered text.
    at: usize,
    /// Its index in the list of lines.
    index: usize,
    /// Whether a shortcut changed it (cut it short), or left a line out just before it.
    altered: bool,
}

/// `read_body`, with the shortcuts or without; whether no reading ran into a line that a
/// shortcut changed (always so without them). `index` indexes the lines of `source`.
fn read_body_with(
    source: &str,
    start: usize,
    out: &mut Vec<Line>,
    shortcuts: bool,
    index: &LineIndex,
) -> Result<bool, String> {
    let body = source.get(start..).unwrap_or("");
    // Each line is read at once (prose, blank) or gathered for the grammar.
    let mut gathered = String::with_capacity(body.len().min(GATHER_LIMIT + 4096));
    let mut lines: Vec<Gathered> = Vec::new();
    // Lines read by the grammar: `(index, length given)`, whose readings the memo may keep.
    let mut fresh: Vec<(usize, usize)> = Vec::new();
    let mut left_out = false;
    let mut exact = true;
    let mut from = 0;
    let ends = index.newlines_from(start).map(|at| at - start).chain((!body.ends_with('\n')).then_some(body.len()));
    for end in ends {
        let text = &body[from..end];
        let span = Span::new(start + from, start + end);
        from = end + 1;
        match prose_or_blank(text.as_bytes()) {
            Some(true) => out.push(Line { kind: LineKind::Blank, span, in_header: false }),
            Some(false) => out.push(Line { kind: text_kind(span, source), span, in_header: false }),
            None if indented_prose(text.as_bytes()) => out.push(Line { kind: LineKind::Text, span, in_header: false }),
            None => {
                let given = if shortcuts { &text[..grammar_reach(text)] } else { text };
                if shortcuts {
                    if let Some(kind) = memo::recall(given, span) {
                        out.push(Line { kind, span, in_header: false });
                        left_out = true;
                        continue;
                    }
                    fresh.push((out.len(), given.len()));
                }
                let altered = left_out || given.len() < text.len();
                left_out = false;
                lines.push(Gathered { at: gathered.len(), index: out.len(), altered });
                gathered.push_str(given);
                gathered.push('\n');
                // A placeholder, filled from the grammar below.
                out.push(Line { kind: LineKind::Text, span, in_header: false });
                if gathered.len() >= GATHER_LIMIT {
                    exact &= read_gathered(&gathered, &lines, source, out)?;
                    gathered.clear();
                    lines.clear();
                }
            }
        }
    }
    exact &= read_gathered(&gathered, &lines, source, out)?;
    if !exact {
        return Ok(false);
    }
    for (index, len) in fresh {
        if let Some(line) = out.get(index) {
            memo::remember(&source[line.span.start..line.span.start + len], &line.kind, line.span);
        }
    }
    Ok(true)
}

/// Reads the gathered lines with the grammar in one call and fills their placeholders in
/// `out`. Returns whether no reading ran on into a line that a shortcut changed.
fn read_gathered(gathered: &str, lines: &[Gathered], source: &str, out: &mut [Line]) -> Result<bool, String> {
    if lines.is_empty() {
        return Ok(true);
    }
    let mut pairs = DocumentParser::parse(Rule::candidates, gathered).map_err(|e| e.to_string())?;
    let top = pairs.next().ok_or_else(|| "empty parse".to_owned())?;
    let mut exact = true;
    let mut next = 0;
    for pair in top.into_inner().filter(|p| p.as_rule() == Rule::gathered).flat_map(Pair::into_inner) {
        let (gathered_at, gathered_end) = (pair.as_span().start(), pair.as_span().end());
        // The gathered line this pair starts (each pair is one line: none of them is prose).
        while next + 1 < lines.len() && lines[next + 1].at <= gathered_at {
            next += 1;
        }
        // A reading that ran on past its line's newline, into a changed line.
        exact &= !lines[next + 1..].iter().take_while(|l| l.at < gathered_end).any(|l| l.altered);
        let Gathered { at, index, .. } = lines[next];
        let Some(line) = out.get_mut(index) else { continue };
        let offset = line.span.start - at;
        // A line may have been cut (see `grammar_reach`): its text runs to its own end.
        line.kind = match pair.as_rule() {
            Rule::text_line => text_kind(line.span, source),
            _ => body_line(pair, source, offset, line.span.end),
        };
    }
    Ok(exact)
}

/// How much of a gathered line the grammar needs to read it as it reads the whole line: a
/// paragraph's text can run to thousands of bytes on one line, and pest pays for each byte it
/// is given (its line index), though `para_text` only skips them.
///
/// A line that starts with a digit is a `para_line` or a `text_line`, and `para_line` reads
/// no further than this: the number, its punctuation, blanks and a repeated number (the bytes
/// skipped first below, a superset of what any of its alternatives reads); a lead-in word
/// compared from any of those places (at most 19 bytes: `SUMMARY AND COMMENT`), which fails
/// on the first byte when a `(` or one of those bytes stands there; a mark, which can only
/// open at the first `(` (nothing before it opens one) and reads no further than the first
/// `)` after it. Every other line is given whole, as is a line whose first `(` has no `)`
/// after it. What `para_text` and `text_line` would have taken from the rest is restored
/// from the line's own span.
fn grammar_reach(line: &str) -> usize {
    /// The longest lead-in word and one byte more.
    const LEAD_IN: usize = 20;
    let bytes = line.as_bytes();
    if !bytes.first().is_some_and(u8::is_ascii_digit) {
        return bytes.len();
    }
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        match b {
            b'0'..=b'9' | b' ' | b'\t' | b'.' | b',' | b')' => at += 1,
            0xC2 if bytes.get(at + 1) == Some(&0xA0) => at += 2,
            _ => break,
        }
    }
    let reach = match memchr::memchr(b'(', &bytes[at..]) {
        None => at + LEAD_IN,
        Some(i) => match memchr::memchr(b')', &bytes[at + i..]) {
            // The mark opens right after the number: no lead-in word can match before it,
            // and the number and mark alone are given (an opening that many lines share).
            Some(j) if i == 0 => at + j + 1,
            Some(j) => (at + i + LEAD_IN).max(at + i + j + 1),
            None => return bytes.len(),
        },
    };
    // Any longer prefix reads the same; a cut falls between characters.
    (reach..bytes.len()).find(|&i| line.is_char_boundary(i)).unwrap_or(bytes.len())
}

/// Whether a body line is prose (`Some(false)`) or blank (`Some(true)`) by the grammar's own
/// `run_start` test and its first-capital dispatch, or may be structured (`None`). A prose line
/// starts with a lower-case letter, a capital and a lower-case letter, two capitals of which
/// the first starts no banner, field or caveat word, or a capital and none of the words that
/// start a structured line; a blank line holds only blanks.
fn prose_or_blank(line: &[u8]) -> Option<bool> {
    let blank = |b: &u8| matches!(b, b' ' | b'\t' | b'\r');
    match line {
        [] => Some(true),
        [first, ..] if first.is_ascii_lowercase() => Some(false),
        [first, second, ..] if first.is_ascii_uppercase() && second.is_ascii_lowercase() => Some(false),
        [b'A'..=b'B' | b'G'..=b'K' | b'M' | b'O' | b'Q' | b'V'..=b'Z', second, ..] if second.is_ascii_uppercase() => {
            Some(false)
        }
        _ if is_blank_line(line) => Some(true),
        _ if line.iter().all(blank) => Some(true),
        [first, ..] if first.is_ascii_uppercase() && !may_be_structured(line) => Some(false),
        [first, ..] if first.is_ascii_punctuation() && !punctuation_may_be_structured(line) => Some(false),
        _ => None,
    }
}

/// Whether a line that starts with ASCII punctuation may be more than text to the grammar's
/// `structured_item`, by its own dispatch: `(` starts marks and lettered lines; `-`, `=`,
/// `_` and `*` start a rule (`-----`, the whole line) or a lettered line (`--`, `-` or `*`,
/// blanks, then the `(` of a mark); no other punctuation starts any structured shape.
fn punctuation_may_be_structured(line: &[u8]) -> bool {
    let first = line[0];
    match first {
        b'(' => true,
        b'-' | b'=' | b'_' | b'*' => {
            let run = line.iter().take_while(|&&b| b == first).count();
            let rule = first != b'*' && run >= 3 && is_blank_line(&line[run..]);
            let label = match first {
                b'-' if line.starts_with(b"--") => 2,
                b'-' | b'*' => 1,
                _ => return rule,
            };
            let mut at = label;
            loop {
                match line.get(at) {
                    Some(b' ' | b'\t') => at += 1,
                    Some(0xC2) if line.get(at + 1) == Some(&0xA0) => at += 2,
                    next => break rule || next == Some(&b'('),
                }
            }
        }
        _ => false,
    }
}

/// Whether a line is the grammar's `indented_prose`: blanks (no-break spaces too), then a
/// lower-case letter, a capital and a lower-case letter, or a quote. The grammar reads it as
/// text without trying any structured shape, and so does this test.
fn indented_prose(line: &[u8]) -> bool {
    let mut i = 0;
    loop {
        match line.get(i) {
            Some(b' ' | b'\t') => i += 1,
            Some(0xC2) if line.get(i + 1) == Some(&0xA0) => i += 2,
            _ => break,
        }
    }
    match line.get(i..).unwrap_or_default() {
        _ if i == 0 => false,
        [first, ..] if first.is_ascii_lowercase() => true,
        [first, second, ..] if first.is_ascii_uppercase() && second.is_ascii_lowercase() => true,
        [b'"' | b'\'', ..] => true,
        _ => false,
    }
}

/// Whether a line that starts with a capital may be one of the structured lines the grammar
/// tries for that capital (`capital_item`): the words each of them starts with, in any case.
/// A line that starts with none of them is text to the grammar too, so it need not be asked.
fn may_be_structured(line: &[u8]) -> bool {
    let starts: &[&str] = match line[0] {
        b'S' => &["S E C", "SS E C", "SECRET", "SUBJ", "SIPDIS", "SENSITIVE", "STADIS", "STATE "],
        b'T' => &["T O P", "TOP SECRET", "TAG", "TAS", "TABS", "TGS", "TREASURY "],
        b'C' => &["C O N", "CONFIDENTIAL", "CLASSIFIED", "CORRECTED COPY", "CXWASH", "CIA "],
        b'E' => &["E.O", "E.0", "EO", "EXDIS", "E F T O", "EFTO"],
        b'D' => &["DECL", "DERIVED", "DATE", "DEPT", "DEPARTMENT", "DOD ", "DHS ", "DOE ", "DOJ "],
        b'U' => &["U N C", "UNCLAS", "USDOC", "USAID", "USTR", "USEU", "USNATO", "USDA"],
        b'R' => &["REF", "REASON"],
        b'P' => &["PAGE", "PASS TO", "PLEASE PASS", "PARIS "],
        b'N' => &["NOFORN", "NODIS", "NOT FOR", "NSC "],
        b'L' => &["LIMDIS", "LONDON "],
        b'F' => &["FOR ", "FBI "],
        // Capitals that start no field: the grammar only tries a lettered label (`A.`, `B)`).
        _ => return true,
    };
    // A lettered subparagraph (`S. (C)`, `T) (S)`).
    matches!(line.get(1), Some(b'.' | b')'))
        || starts.iter().any(|w| line.len() >= w.len() && line[..w.len()].eq_ignore_ascii_case(w.as_bytes()))
}

/// A line of blanks, the no-break spaces of web copies included.
fn is_blank_line(line: &[u8]) -> bool {
    let mut i = 0;
    while i < line.len() {
        match line[i] {
            b' ' | b'\t' | b'\r' => i += 1,
            0xC2 if line.get(i + 1) == Some(&0xA0) => i += 2,
            _ => return false,
        }
    }
    true
}

/// Where the body starts inside a routing or addressee line of the header, when a copy glued
/// them together (`RUCNMER/MERCOSUR COLLECTIVE"C O N F I D E N T I A L BUENOS AIRES …`,
/// `… PRIORITY E.O. 12958: DECL: …`, `… PRIORITY 1. (C) …`): a header line is released only
/// when the whole line is header.
fn glued_body(kind: &LineKind, span: Span, source: &str) -> Option<usize> {
    if !matches!(kind, LineKind::Header(HeaderLine::Other | HeaderLine::To(_) | HeaderLine::Info(_))) {
        return None;
    }
    let text = source.get(span.start..span.end)?;
    // Routing lines are short; one that holds glued body text is not.
    if text.len() < 40 {
        return None;
    }
    let banner = ["C O N F I D E N T I A L", "S E C R E T", "U N C L A S", "UNCLAS "]
        .iter()
        .filter_map(|b| memchr::memmem::find(text.as_bytes(), b.as_bytes()))
        .filter(|&at| at > 0)
        .min();
    let field = find_field_start(text).filter(|&at| at > 0);
    let paragraph = leads::midline_starts(text, 1).first().map(|s| s.at);
    let at = [banner, field, paragraph].into_iter().flatten().min()?;
    Some(span.start + at)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the grammar's `body` makes of each line of `text`: `plain` for prose, blank and
    /// text lines, otherwise the structured rule's name.
    fn by_the_body_rule(text: &str) -> Vec<String> {
        let body = DocumentParser::parse(Rule::body, text).expect("the grammar reads any text").next().expect("body");
        let mut out = Vec::new();
        for pair in body.into_inner() {
            let lines = pair.as_str().split('\n').count();
            let name = match pair.as_rule() {
                Rule::text_run | Rule::indented_prose | Rule::text_line => "plain".to_owned(),
                rule => format!("{rule:?}"),
            };
            out.extend(std::iter::repeat_n(name, lines));
        }
        out
    }

    /// The same, the parser's way: the byte tests first, then the line alone through
    /// `candidates`.
    fn by_the_byte_tests(text: &str) -> Vec<String> {
        text.lines()
            .map(|line| {
                if prose_or_blank(line.as_bytes()).is_some() || indented_prose(line.as_bytes()) {
                    return "plain".to_owned();
                }
                let gathered = format!("{line}\n");
                let top = DocumentParser::parse(Rule::candidates, &gathered).expect("reads").next().expect("top");
                let pair = top.into_inner().find(|p| p.as_rule() == Rule::gathered).and_then(|g| g.into_inner().next());
                match pair.map(|p| p.as_rule()) {
                    None | Some(Rule::text_line) => "plain".to_owned(),
                    Some(rule) => format!("{rule:?}"),
                }
            })
            .collect()
    }

    /// Every token the grammar reads on `line` as a gathered line, with `None` for the end of
    /// the tokens that run to the end of the line (a cut line's end sooner, by design).
    fn gathered_tokens(line: &str) -> Vec<(Rule, usize, Option<usize>)> {
        let gathered = format!("{line}\n");
        let top = DocumentParser::parse(Rule::candidates, &gathered).expect("reads").next().expect("top");
        top.into_inner()
            .flatten()
            .filter(|p| !matches!(p.as_rule(), Rule::EOI | Rule::gathered))
            .map(|p| {
                let (start, end) = (p.as_span().start(), p.as_span().end());
                let to_the_end =
                    matches!(p.as_rule(), Rule::para_line | Rule::para_text | Rule::text_line) && end == line.len();
                (p.as_rule(), start, (!to_the_end).then_some(end))
            })
            .collect()
    }

    /// A paragraph line cut where `grammar_reach` says is read as the whole line is: over
    /// numbers, punctuation, blanks, repeated numbers, lead-in words and marks of every shape
    /// (unterminated, padded, long, lower case, not marks at all), before long texts.
    #[test]
    fn a_cut_paragraph_line_reads_as_the_whole_line() {
        let long = "The minister (see ref) said that the talks went on; ".repeat(5);
        let accents = "é".repeat(120);
        let tails = [long.as_str(), accents.as_str(), " ENTIRE TEXT) then more text, and (C) again. "];
        let numbers = ["1", "12", "123", "1234"];
        let punctuation = ["", ".", "..", ")", ",", " .", " ,"];
        let blanks = ["", " ", "   ", "\u{a0}", "                              "];
        let repeated = ["", "1. "];
        let lead_ins = [
            "",
            "SUMMARY: ",
            "Summary and Comment - ",
            "COMMENT ",
            "ACTION REQUEST. ",
            "SUMMARY                         : ",
            "Background",
        ];
        let marks = [
            "(C)",
            "( S )",
            "(S//NF)",
            "(C//REL TO USA, AUS, CAN, GBR, NZL)",
            "(C//REL TO USA, AUS, CAN, GBR, NZL, FRA, DEU, ITA, ESP, NLD, BEL, POL, NOR)",
            "(C - ENTIRE TEXT)",
            "(CONFIDENTIAL -- ENTIRE PARAGRAPH)",
            "(TOP SECRET//SCI//NOFORN)",
            "(c)",
            "(SE)",
            "(S/P)",
            "(Mideast)",
            "(b) and (d)",
            "(S//REL TO USA",
            "(",
            "",
        ];
        let (mut lines, mut cut) = (0, 0);
        for number in numbers {
            for punct in punctuation {
                for blank in blanks {
                    for again in repeated {
                        for lead_in in lead_ins {
                            for mark in marks {
                                for tail in tails {
                                    let line = format!("{number}{punct}{blank}{again}{lead_in}{mark}{tail}");
                                    let reach = grammar_reach(&line);
                                    lines += 1;
                                    if reach == line.len() {
                                        continue;
                                    }
                                    cut += 1;
                                    assert_eq!(
                                        gathered_tokens(&line[..reach]),
                                        gathered_tokens(&line),
                                        "{line:?} cut at {reach}"
                                    );
                                }
                            }
                        }
                    }
                }
            }
        }
        // Most of these lines are cut, so the comparison is made.
        assert!(cut * 2 > lines, "{cut} of {lines} lines cut");
    }

    /// A line that gave the grammar the same text before on this thread is given the reading
    /// the grammar makes of it: a document read after others that share its paragraph
    /// openings, caveat lines and rules (a warm memo) comes out as it does alone on a fresh
    /// thread.
    #[test]
    fn a_remembered_line_reads_as_the_grammar_reads_it() {
        let first =
            "SIPDIS\n1. (C) One.\nNOFORN\n2. (S//NF) Two (see ref).\n----------\n3. (C//REL TO USA, GBR) Three.\n";
        let second = "Intro line\n  1. (C) Other text here.\nSIPDIS\n1. (C) Other text.\n2. (S//NF)\n  NOFORN\nNOFORN\n----------\n3. (C//REL TO USA, GBR)é and more\n10. (C) x\n";
        let read = |text: &str| format!("{:?}", read(text, &LineIndex::new(text)).expect("reads").lines);
        let alone = std::thread::spawn(move || read(second)).join().expect("reads on a fresh thread");
        let warm = {
            read(first);
            read(second)
        };
        assert_eq!(warm, alone);
        for kind in ["Para", "Caveat", "Rule"] {
            assert!(warm.contains(kind), "{kind} in {warm}");
        }
    }

    /// The front read in parts (lines the memo knows, the others gathered behind the opening,
    /// in batches) comes out as the grammar's `front` reads it in one call: on a fresh thread
    /// and after other fronts that share routing lines, for headers longer than a batch, that
    /// end at a banner or at a line that looks like none, and for a text that opens like a
    /// preamble and is none.
    #[test]
    fn a_front_read_in_parts_reads_as_the_whole_front() {
        let routing: String = (0..HEADER_BATCH + 5)
            .flat_map(|i| [format!("RUEHX{}/AMEMBASSY POST {i}", i % 7), "\n".to_owned()])
            .collect();
        let preamble =
            "Identifier\nCreated\nClassification\nOrigin\n09POST123\n2009-01-02 03:04\nSECRET\nEmbassy Post\n\n";
        let documents = [
            format!(
                "{preamble}VZCZCXRO1234\nPP RUEHWEB\nDE RUEHXX #0123/01 0021234\nZNY SSSSS ZZH\nP 021234Z JAN 09\nFM AMEMBASSY POST\nTO RUEHC/SECSTATE WASHDC PRIORITY 0001\nINFO RUCNMEM/EU MEMBER STATES\n{routing}\nFriday, 02 January 2009, 12:34\nS E C R E T SECTION 01 OF 02 POST 000123\n\nSIPDIS\n1. (S) Text.\n"
            ),
            format!(
                "\u{FEFF}R 021234Z JAN 09\nFM AMEMBASSY POST\nTO RUEHC/SECSTATE WASHDC 0002\nUNCLAS SECRETARIAT\nRUCNMEM/EU MEMBER STATES\n{routing}Embassy Post\nUNCLAS POST 000124\n"
            ),
            "ZNY CCCCC ZZH\nFM AMEMBASSY POST\nCONFIDENTIAL\nE.O. 12958: DECL: 01/02/2019\n".to_owned(),
            "Identifier\nCreated\nNot a table\nZNY CCCCC ZZH\nC O N F I D E N T I A L\n".to_owned(),
            "RUEHC/SECSTATE WASHDC\nRUEHC/SECSTATE WASHDC 1. (C) Glued on.\nRUCNMEM/EU MEMBER STATES\nlast line"
                .to_owned(),
            // Lines the memo knows, then lines that would pass for a BOM or a preamble at the
            // start of a text, and are none here.
            "RUCNMEM/EU MEMBER STATES\n\u{FEFF}RUEHC/SECSTATE WASHDC\nZNY CCCCC ZZH\n".to_owned(),
            format!("\u{FEFF}ZNY CCCCC ZZH\n{preamble}ZNY CCCCC ZZH\n"),
            format!("ZNY CCCCC ZZH\n{preamble}C O N F I D E N T I A L\n"),
        ];
        let in_parts = |text: &str| {
            let mut out = Lines { preamble: None, lines: Vec::new() };
            let end = read_front(text, &mut out).expect("reads");
            format!("{end:?} {:?} {:?}", out.preamble, out.lines)
        };
        let whole = |text: &str| {
            let mut out = Lines { preamble: None, lines: Vec::new() };
            let end = read_front_whole(text, &mut out).map(Some).expect("reads");
            format!("{end:?} {:?} {:?}", out.preamble, out.lines)
        };
        for text in &documents {
            let fresh = {
                let text = text.clone();
                std::thread::spawn(move || in_parts(&text)).join().expect("reads on a fresh thread")
            };
            let warm = {
                for other in &documents {
                    in_parts(other);
                }
                in_parts(text)
            };
            assert_eq!(warm, fresh, "{text:?}");
            if fresh.starts_with("None") {
                assert!(text.starts_with("Identifier"), "only a false preamble is read whole: {text:?}");
                continue;
            }
            assert_eq!(fresh, whole(text), "{text:?}");
        }
        assert!(whole(&documents[0]).contains("Dtg") && whole(&documents[0]).contains("09POST123"));
    }

    /// Reasons that may run on into the next gathered line (`REASON: 1.4 (b),`), when a
    /// remembered line was left out after them, are read as without the shortcuts: the body is
    /// read again.
    #[test]
    fn reasons_that_run_on_read_as_without_the_shortcuts() {
        let documents = [
            "REASON: 1.4 (b), (d) \n1.  (C)  Summary text.\nmore prose\n(a) list item\n",
            "REASONS: 1.4 (b),\n2. (C) Text.\n(d) Item.\n",
        ];
        let lines = |text: &str, shortcuts: bool| {
            let mut out = Vec::new();
            let exact = read_body_with(text, 0, &mut out, shortcuts, &LineIndex::new(text)).expect("reads");
            (exact, format!("{out:?}"))
        };
        // The memo knows `1.  (C)` and `2. (C)`.
        let _ = lines("1.  (C)  Earlier.\n2. (C) Earlier.\n", true);
        for text in documents {
            let (shortcuts_exact, _) = lines(text, true);
            assert!(!shortcuts_exact, "the shortcuts change this reading: {text:?}");
            let mut out = Vec::new();
            read_body(text, 0, &mut out, &LineIndex::new(text)).expect("reads");
            assert_eq!(format!("{out:?}"), lines(text, false).1, "{text:?}");
        }
    }

    /// The parser skips `text_run` and `indented_prose` for the lines it gathers, on the
    /// strength of its byte tests: over lines of every first character and shape, with and
    /// without an indent, the result is the grammar's own.
    #[test]
    fn the_byte_tests_read_lines_as_the_body_rule_does() {
        let shapes = [
            "the minister said",
            "The minister said",
            "THE MINISTER SAID",
            "SECRET",
            "Secret ballots",
            "SUBJECT: TALKS",
            "Subject: talks",
            "SUBJ: X",
            "TAGS: PREL, PGOV",
            "TAGS PREL",
            "Tags: PREL",
            "CONFIDENTIAL",
            "C O N F I D E N T I A L SECTION 01 OF 02 MOSCOW 000123",
            "S E C R E T STATE 000001",
            "UNCLAS SECTION 01 OF 03 PARIS 001234",
            "Classified By: J. Roe, reasons 1.4 (b)",
            "CLASSIFIED BY: J. ROE",
            "E.O. 12958: DECL: 02/15/2018",
            "e.o. 12958: decl: 02/15/2018",
            "EO 12958 DECL: 1/6/2018",
            "DECL: 02/15/2018",
            "Declassify On: 20351231",
            "Derived From: DOS SCG",
            "Reason: 1.4(c)",
            "Date: 12 May 2011",
            "REF: A. STATE 123",
            "REFTEL: X",
            "SIPDIS",
            "NOFORN",
            "EXDIS",
            "LIMDIS",
            "STADIS",
            "NODIS",
            "STATE FOR INR/B",
            "DEPT PASS TO USTR",
            "PASS TO USTR",
            "FOR EUR/RUS",
            "PAGE 02 STATE 000123",
            "1. (C) Summary: text.",
            "1. Unmarked text.",
            "10, (C) x",
            "4 . (C) x",
            "3.. (SBU) x",
            "1. 1. (SBU) x",
            "1) (S//NF) x",
            "1 (C) x",
            "¶2. (C) x",
            "A. (C) Lettered.",
            "B) (S) x",
            "(a) (C) x",
            "ii. (S) x",
            "IV. (S) x",
            "-- (C) x",
            "- (C) x",
            "* (S) x",
            "• (S) x",
            "o (C) x",
            "(S//NF) ISOO text",
            "(C) text",
            "(c) list item",
            "(U) x",
            "COMMENT: (S) x",
            "SUMMARY: (C) x",
            "Comment: (C) x",
            "---------",
            "=====",
            "_____",
            "MOSCOW 00003335 002 OF 004",
            "\"quoted\"",
            "'quoted'",
            "[S] text",
            "（S） text",
            "12345",
            "",
            "\u{a0}",
            "\u{a0}\u{a0}text",
            "ZNY CCCCC",
            "O 141234Z FEB 08",
            "FM AMEMBASSY X",
            "RUEHC/SECSTATE WASHDC",
            "VZCZCXRO1234",
            "BT",
            "NNNN",
            "END SUMMARY.",
            "XX YY",
            "K. text",
            "\"quoted",
            ".5 percent",
            "/s/ Jones",
            "$100",
            "#1",
            "&amp;",
            "<p>",
            "@home",
            "?",
            "{C} x",
            "---- text",
            "----",
            "---- ",
            "-----(C) x",
            "--(C) x",
            "-(S) x",
            "-- text",
            "-  (C) x",
            "- text",
            "* text",
            "*(C) x",
            "*** x",
            "===",
            "=== x",
            "= (C) x",
            "___",
            "__ x",
            "_ (C) x",
            "--\u{a0}(C) x",
        ];
        let mut text = String::new();
        for indent in ["", " ", "   ", "\t", " \t"] {
            for shape in shapes {
                text.push_str(indent);
                text.push_str(shape);
                text.push('\n');
            }
        }
        let grammar = by_the_body_rule(&text);
        let parser = by_the_byte_tests(&text);
        assert_eq!(grammar.len(), parser.len());
        for ((line, g), p) in text.lines().zip(&grammar).zip(&parser) {
            assert_eq!(g, p, "{line:?}");
        }
        // The sample reaches the structured shapes, not only text.
        assert!(grammar.iter().filter(|g| *g != "plain").count() > 100, "{grammar:?}");
    }
}
