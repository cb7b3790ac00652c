//! First stage of the parser: the pest parse of a whole document, flattened into a list of
//! classified lines with the values the grammar recognised on each.

use pest::Parser as _;
use pest::iterators::Pair;

use super::fields::{self, span_of};
use super::grammar::{DocumentParser, Rule};
use super::{leads, marks};
use crate::model::{Banner, Decl, Level, Marking, Preamble, Reasons, Span};

/// A field found on a line, possibly glued behind another one.
#[derive(Debug, Clone)]
pub(crate) enum Field {
    /// An `E.O.` field: the order and its instruction.
    Eo { order: Option<String>, decl: Option<Decl> },
    /// `TAGS:` and its tags.
    Tags(Vec<String>),
    /// `SUBJECT:`, its mark and the subject text on this line.
    Subject { marking: Option<Marking>, text: String },
    /// A glued caveat word such as `SIPDIS`.
    Caveat,
    /// `Classified By` glued on a line: the block starts here; `complete` when its reasons are
    /// on the line (the field ends after them).
    ClassifiedBy { complete: bool },
}

/// A field and where it is.
#[derive(Debug, Clone)]
pub(crate) struct Located<T> {
    pub value: T,
    pub span: Span,
}

/// What one line is.
#[derive(Debug, Clone)]
pub(crate) enum LineKind {
    Blank,
    /// A transmission header line.
    Header(HeaderLine),
    Banner {
        banner: Banner,
        glued: Vec<Located<Field>>,
    },
    /// A page marker (`MOSCOW 00003335 002 OF 004`) or old telegram page header (`PAGE 02 …`),
    /// ending at `end` (text may follow it on the line).
    PageMarker {
        /// The post, as the marker writes it (`MOSCOW`, `KUALA LUMP`).
        post: Option<String>,
        /// The serial, as the marker writes it (`00003335`).
        serial: Option<String>,
        end: usize,
    },
    /// A line made of fields (`E.O.`, `TAGS:`, `SUBJECT:`, glued together or not).
    Fields(Vec<Located<Field>>),
    /// ISOO `Declassify On:`, the field ending at `end`.
    DeclassifyOn {
        decl: Decl,
        end: usize,
    },
    /// ISOO `Derived From:`.
    DerivedFrom,
    /// ISOO `Reason:`, the field ending at `end`.
    Reason {
        reasons: Reasons,
        end: usize,
    },
    /// `Date: 12 May 2011`, the field ending at `end`.
    Dated {
        date: Option<chrono::NaiveDate>,
        end: usize,
    },
    Ref,
    ClassifiedBy {
        marking: Option<Marking>,
    },
    /// Caveat words (`SIPDIS`, `STATE FOR INR/B`) up to `words_end`, then fields glued on.
    Caveat {
        glued: Vec<Located<Field>>,
        words_end: usize,
    },
    Para {
        number: String,
        marking: Option<Marking>,
        text: Span,
    },
    Lettered {
        label: String,
        marking: Marking,
    },
    Marked {
        marking: Marking,
    },
    Rule,
    Text,
}

/// Transmission header lines.
#[derive(Debug, Clone)]
pub(crate) enum HeaderLine {
    CableDated { date: String, banner: Option<(Banner, Vec<Located<Field>>)> },
    Notice,
    Security { code: String },
    Dtg { precedence: String, dtg: String },
    From(String),
    To(String),
    Info(String),
    Other,
}

/// A classified line.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub kind: LineKind,
    /// The line without its newline.
    pub span: Span,
    /// Whether the line is in the transmission header.
    pub in_header: bool,
}

/// The result of the first stage.
pub(crate) struct Lines {
    pub preamble: Option<(Preamble, Span)>,
    pub lines: Vec<Line>,
}

/// Parses `source` (which ends with a newline) into lines. The grammar accepts any text, so
/// this only fails if pest itself reports an error, which it describes.
///
/// Two grammar calls: one for the preamble and transmission header, one for the lines of the
/// body that may be structured. Prose and blank lines, most of a cable, never reach pest: a
/// byte test that is the grammar's own `run_start` (see the grammar) sets them apart, and the
/// other lines are read in one call, since every call costs pest a fixed price and a line index
/// of its whole input.
pub(crate) fn read(source: &str) -> Result<Lines, String> {
    // The front is read from the start of the text only (pest indexes the lines of all it is
    // given): a prefix that ends at a line end, doubled while the header runs to its end.
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
    // One `Line` per line at most, plus the few that a glued header line splits into: sized
    // once, since a `Line` is large and growing the list would copy it again and again.
    let line_count = memchr::memchr_iter(b'\n', source.as_bytes()).count();
    let mut out = Lines { preamble: None, lines: Vec::with_capacity(line_count + 8) };
    for part in front.into_inner() {
        match part.as_rule() {
            Rule::preamble => {
                let span = span_of(&part, 0);
                let values: Vec<String> = part.into_inner().map(|p| p.as_str().trim().to_owned()).collect();
                if let [identifier, created, classification, origin] = &values[..] {
                    let preamble = Preamble {
                        identifier: identifier.clone(),
                        created: created.clone(),
                        classification: classification.clone(),
                        origin: origin.clone(),
                    };
                    out.preamble = Some((preamble, span));
                }
            }
            Rule::header => {
                let mut body_from = None;
                for line in part.into_inner() {
                    let span = span_of(&line, 0);
                    // Once the body was found glued to a header line, the rest is body.
                    if body_from.is_some() {
                        out.lines.push(Line { kind: reread_or_text(span, source), span, in_header: false });
                        continue;
                    }
                    let kind = header_line(line);
                    match glued_body(&kind, span, source) {
                        Some(at) => {
                            let head = Span::new(span.start, at);
                            let rest = Span::new(at, span.end);
                            out.lines.push(Line { kind, span: head, in_header: true });
                            out.lines.push(Line { kind: reread_or_text(rest, source), span: rest, in_header: false });
                            body_from = Some(at);
                        }
                        None => out.lines.push(Line { kind, span, in_header: true }),
                    }
                }
            }
            _ => {}
        }
    }
    read_body(source, body_start, &mut out.lines)?;
    Ok(out)
}

/// At most this much gathered text goes to the grammar in one call: enough to pay for a
/// call's fixed cost many times over, little enough that pest's token queue (tens of bytes
/// per token) stays a few megabytes on a document of any size.
const GATHER_LIMIT: usize = 1 << 18;

/// The lines of the body, from `start` to the end of `source`.
fn read_body(source: &str, start: usize, out: &mut Vec<Line>) -> Result<(), String> {
    let body = source.get(start..).unwrap_or("");
    // Each line is read at once (prose, blank) or gathered for the grammar: `(at, index)`
    // says where a gathered line starts in the gathered text and in the source.
    let mut gathered = String::with_capacity(body.len().min(GATHER_LIMIT + 4096));
    let mut starts: Vec<(usize, usize)> = Vec::new();
    let mut from = 0;
    let ends = memchr::memchr_iter(b'\n', body.as_bytes()).chain((!body.ends_with('\n')).then_some(body.len()));
    for end in ends {
        let text = &body[from..end];
        let span = Span::new(start + from, start + end);
        from = end + 1;
        match prose_or_blank(text.as_bytes()) {
            Some(true) => out.push(Line { kind: LineKind::Blank, span, in_header: false }),
            Some(false) => out.push(Line { kind: text_kind(span, source), span, in_header: false }),
            None if indented_prose(text.as_bytes()) => out.push(Line { kind: LineKind::Text, span, in_header: false }),
            None => {
                starts.push((gathered.len(), out.len()));
                gathered.push_str(text);
                gathered.push('\n');
                // A placeholder, filled from the grammar below.
                out.push(Line { kind: LineKind::Text, span, in_header: false });
                if gathered.len() >= GATHER_LIMIT {
                    read_gathered(&gathered, &starts, source, out)?;
                    gathered.clear();
                    starts.clear();
                }
            }
        }
    }
    read_gathered(&gathered, &starts, source, out)
}

/// Reads the gathered lines with the grammar in one call and fills their placeholders in
/// `out`; `starts` pairs each line's start in `gathered` with its index in `out`. Each
/// gathered line is read on its own, so any cut between lines reads the same.
fn read_gathered(gathered: &str, starts: &[(usize, usize)], source: &str, out: &mut [Line]) -> Result<(), String> {
    if starts.is_empty() {
        return Ok(());
    }
    let mut pairs = DocumentParser::parse(Rule::candidates, gathered).map_err(|e| e.to_string())?;
    let lines = pairs.next().ok_or_else(|| "empty parse".to_owned())?;
    let mut next = 0;
    for pair in lines.into_inner().filter(|p| p.as_rule() == Rule::body).flat_map(Pair::into_inner) {
        let gathered_at = pair.as_span().start();
        // The gathered line this pair starts (each pair is one line: none of them is prose).
        while next + 1 < starts.len() && starts[next + 1].0 <= gathered_at {
            next += 1;
        }
        let (gathered_start, index) = starts[next];
        let Some(line) = out.get_mut(index) else { continue };
        let offset = line.span.start - gathered_start;
        let span = span_of(&pair, offset);
        line.kind = match pair.as_rule() {
            Rule::text_line | Rule::text_run => text_kind(span, source),
            _ => body_line(pair, source, offset),
        };
    }
    Ok(())
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
        _ => None,
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

/// A line read on its own with every structured shape, or as text.
fn reread_or_text(span: Span, source: &str) -> LineKind {
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
    if starts_with_structured_word(line)
        && let Some(kind) = reread(span, source)
    {
        return kind;
    }
    let first = line.trim_start().as_bytes().first().copied().unwrap_or(b' ');
    // A subparagraph label in lower case before a mark (`a) (S)`, `ii. (S)`).
    if first.is_ascii_lowercase()
        && let Some(at) = leads::lower_label_then_mark(line)
    {
        if let Some(kind) = reread(span, source) {
            return kind;
        }
        if let Some(marking) = marks::mark_at(&line[at..], span.start + at) {
            let label = line[..at].trim().trim_matches(['(', ')', '.']).to_owned();
            return LineKind::Lettered { label, marking };
        }
    }
    // A mark in disguise at the start of a line (`[S] …`, `（S） …`, `(Ѕ) …`).
    if matches!(first, b'(' | b'[' | b'{') || first >= 0x80 {
        let at = line.len() - line.trim_start().len();
        if let Some(marking) = marks::mark_at(&line[at..], span.start + at) {
            return LineKind::Marked { marking };
        }
    }
    // A page marker (`MOSCOW 00003335 002 OF 004`), alone on its line or with text after it.
    if first.is_ascii_uppercase()
        && looks_like_page_marker(line)
        && let Some(kind) = page_marker(span, source)
    {
        return kind;
    }
    LineKind::Text
}

/// A cheap test before the grammar's: a post name (capitals and blanks) and then a serial of
/// five to eight digits, within the first 40 bytes.
fn looks_like_page_marker(line: &str) -> bool {
    let bytes = line.trim_start().as_bytes();
    let Some(digit) = bytes.iter().take(40).position(u8::is_ascii_digit) else { return false };
    let post_ok =
        digit > 1 && bytes[digit - 1] == b' ' && bytes[..digit].iter().all(|b| b.is_ascii_alphabetic() || *b == b' ');
    let digits = bytes[digit..].iter().take_while(|b| b.is_ascii_digit()).count();
    post_ok && (5..=8).contains(&digits)
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

/// Lead-in words that may stand before a portion mark instead of a paragraph number.
const LEAD_INS: [&str; 6] = ["comment", "summary", "note", "update", "action request", "background"];

/// Whether a line that the grammar took for prose starts with a word that begins a structured
/// line in mixed or lower case (`Classified By:`, `Subject:`, `sipdis`, `o (C)`).
fn starts_with_structured_word(line: &str) -> bool {
    let bytes = line.trim_start().as_bytes();
    let Some(first) = bytes.first() else { return false };
    // Words by initial, so that most lines are dismissed by their first byte.
    let words: &[&str] = match first.to_ascii_lowercase() {
        b'c' => &["classified", "c o n"],
        b's' => &["subject", "subj", "sipdis", "sensitive", "s e c"],
        b't' => &["tags", "tag:", "tas:", "t o p"],
        b'r' => &["ref", "reason"],
        b'd' => &["derived", "declassify", "date:"],
        b'n' => &["noforn"],
        b'e' => &["eo 1", "eo:", "e.o"],
        b'o' => &["o ("],
        b'u' => &["u n c"],
        _ => &[],
    };
    let starts = |w: &&str| bytes.len() >= w.len() && bytes[..w.len()].eq_ignore_ascii_case(w.as_bytes());
    if words.iter().any(starts) {
        return true;
    }
    // A lead-in word before a mark (`Comment: (S) …`): only with a `(` close behind it.
    LEAD_INS.iter().any(starts) && bytes.iter().take(32).any(|b| *b == b'(')
}

/// Re-reads a text line that starts with a field word in a case the fast path takes for prose
/// (`subject: …` in a case-mangled copy) with every structured shape.
pub(crate) fn reread(span: Span, source: &str) -> Option<LineKind> {
    let line = source.get(span.start..span.end)?;
    let pair = DocumentParser::parse(Rule::structured_line, line).ok()?.next()?;
    if matches!(pair.as_rule(), Rule::blank_line | Rule::EOI) {
        return None;
    }
    Some(body_line(pair, source, span.start))
}

fn header_line(pair: Pair<'_, Rule>) -> LineKind {
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
                        if let Some((b, tail)) = fields::banner(&inner, 0) {
                            let glued = tail.map(|t| glued_tail(t, inner.get_input())).unwrap_or_default();
                            banner = Some((b, glued));
                        }
                    }
                    _ => {}
                }
            }
            HeaderLine::CableDated { date, banner }
        }
        Rule::partial_notice_line => HeaderLine::Notice,
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

fn body_line(pair: Pair<'_, Rule>, source: &str, offset: usize) -> LineKind {
    match pair.as_rule() {
        Rule::blank_line => LineKind::Blank,
        Rule::banner_line => {
            let Some(banner_pair) = pair.into_inner().find(|p| p.as_rule() == Rule::banner) else {
                return LineKind::Text;
            };
            match fields::banner(&banner_pair, offset) {
                Some((banner, tail)) => {
                    let glued = tail.map(|t| glued_tail(t, source)).unwrap_or_default();
                    LineKind::Banner { banner, glued }
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
            marking: pair.into_inner().find(|p| p.as_rule() == Rule::portion_mark).map(|p| fields::marking(&p, offset)),
        },
        Rule::caveat_line => {
            let tail = pair.into_inner().find(|p| p.as_rule() == Rule::caveat_tail);
            let words_end = tail.as_ref().map_or(offset, |t| offset + t.as_span().start());
            let glued = tail
                .filter(|t| !t.as_str().trim().is_empty())
                .map(|t| glued_tail(span_of(&t, offset), source))
                .unwrap_or_default();
            LineKind::Caveat { glued, words_end }
        }
        Rule::para_line => {
            let mut number = String::new();
            let mut marking = None;
            let mut text = Span::default();
            for inner in pair.into_inner() {
                match inner.as_rule() {
                    Rule::para_number => number = inner.as_str().to_owned(),
                    Rule::portion_mark | Rule::unrecognized_mark => marking = Some(fields::marking(&inner, offset)),
                    Rule::para_text => text = span_of(&inner, offset),
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
            LineKind::Para { number, marking, text }
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
            marking.map_or(LineKind::Text, |marking| LineKind::Lettered { label, marking })
        }
        Rule::marked_line | Rule::lead_marked_line => pair
            .into_inner()
            .find(|p| p.as_rule() == Rule::portion_mark)
            .map_or(LineKind::Text, |p| LineKind::Marked { marking: fields::marking(&p, offset) }),
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
            LineKind::DeclassifyOn { decl, end }
        }
        Rule::dated => LineKind::Dated {
            date: inner.into_inner().find(|p| p.as_rule() == Rule::decl_date).and_then(|d| fields::date_of(&d)),
            end,
        },
        Rule::isoo_reason => LineKind::Reason {
            reasons: inner
                .into_inner()
                .find(|p| p.as_rule() == Rule::reasons)
                .map(|r| fields::reasons(&r))
                .unwrap_or_default(),
            end,
        },
        _ => LineKind::DerivedFrom,
    }
}

/// The fields of an `eo_line`, `tags_line` or `subject_line`, in order.
fn field_sequence(pair: Pair<'_, Rule>, source: &str, offset: usize) -> Vec<Located<Field>> {
    let mut out = Vec::new();
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
                    Rule::decl_instruction | Rule::decl_value | Rule::na => decl = Some(fields::decl(&inner, offset)),
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
                    Rule::portion_mark => marking = Some(fields::marking(&inner, offset)),
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

/// Parses text glued after a banner, caveat or field (`SIPDISE.O. 12958: DECL: …TAGS: …`)
/// into the fields it contains. Spans are in document coordinates. Text the grammar does not
/// take as a field (`DEPT FOR EUR/RUS, …`) is passed over up to the next `E.O.` or
/// `Classified By` in it.
pub(crate) fn glued_tail(tail: Span, source: &str) -> Vec<Located<Field>> {
    let mut out = Vec::new();
    let mut from = tail.start;
    while from < tail.end {
        let Some(text) = source.get(from..tail.end) else { break };
        let Ok(mut pairs) = DocumentParser::parse(Rule::glued_tail, text) else { break };
        let Some(top) = pairs.next() else { break };
        let mut rest = from;
        for inner in top.into_inner() {
            if inner.as_rule() == Rule::tail {
                rest = from + inner.as_span().start();
                continue;
            }
            let span = span_of(&inner, from);
            if let Some(value) = field(&inner, from) {
                out.push(Located { value, span });
            }
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
