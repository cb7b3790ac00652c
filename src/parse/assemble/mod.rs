//! Second stage of the parser: classified lines → portions and document fields.
//!
//! How lines group into portions depends on their neighbours, not on characters, so it is
//! decided here rather than in the grammar:
//! * a paragraph runs from its start line over text and blank lines until the next portion
//!   starts; repeated section banners, page markers and caveat lines met inside it are
//!   interruptions that stay inside it when its text goes on after them;
//! * `SUBJECT:`, `REF:` and `Classified By:` continue on the following lines until a blank
//!   line; the classification authority also takes a wrapped reason (`Reasons 1.` / `4 (b)`);
//! * a heading is a short line above a rule of dashes, between two rules, or glued to one;
//! * the signature is the short name line at the very end.
//!
//! Here: the portions being built and how lines extend, interrupt or close them. The front
//! matter's fields and their continuations are in `front_matter`, the transmission header in
//! `header`, headings, text lines and the signature in `body_text`, administrative-looking
//! lines inside the body in `body_marks`, what is derived once the portions are known in
//! `derived`.

mod body_marks;
mod body_text;
mod derived;
mod front_matter;
mod header;

use super::line_kind::{Field, Line, LineKind};
use super::lines::Lines;
use super::{classifier, dates, pieces};
use super::{guard, leads};
use crate::model::LineIndex;
use crate::model::{
    Banner, ClassifiedBy, Control, Decl, Document, Issue, Level, Marking, Portion, PortionKind, Reasons, Span,
    TransmissionHeader,
};

use body_text::{is_signature, same_number};
use derived::{classification, derived_id, handling_caveats_of, later_origin};
use front_matter::{authority_blocks, clean_tags, contains_classified_by, join_subject};

/// A portion still being extended by the lines that follow it.
#[derive(Debug)]
struct Open {
    kind: PortionKind,
    number: Option<String>,
    marking: Option<Marking>,
    start: usize,
    /// End of the last content line.
    end: usize,
    /// Content lines so far.
    lines: u32,
    /// The last content line.
    last_line: Span,
    /// End of content before the last content line.
    prev_end: usize,
    /// Whether the last content line is plain text.
    last_is_text: bool,
    /// Whether a blank line came right before the last content line.
    blank_before_last: bool,
    /// Whether a blank line came after the last content line.
    blank_after: bool,
    /// For a heading: whether it began with a rule (the top of a box).
    rule_top: bool,
    /// For a `Classified By:` block: whether its reasons are complete (it takes no more lines).
    complete: bool,
    /// Interruptions (own banners, page markers) that the last extension took inside.
    absorbed: Vec<(PortionKind, Span)>,
}

impl Open {
    fn new(kind: PortionKind, span: Span) -> Self {
        Self {
            kind,
            number: None,
            marking: None,
            start: span.start,
            end: span.end,
            lines: 1,
            last_line: span,
            prev_end: span.start,
            last_is_text: false,
            blank_before_last: false,
            blank_after: false,
            rule_top: false,
            complete: false,
            absorbed: Vec::new(),
        }
    }

    fn extend(&mut self, line: Span, is_text: bool) {
        self.prev_end = self.end;
        self.end = line.end;
        self.last_line = line;
        self.lines += 1;
        self.last_is_text = is_text;
        self.blank_before_last = self.blank_after;
        self.blank_after = false;
        self.absorbed.clear();
    }

    const fn is_flowing(&self) -> bool {
        matches!(self.kind, PortionKind::Paragraph | PortionKind::Subparagraph | PortionKind::Text)
    }

    const fn is_block(&self) -> bool {
        matches!(self.kind, PortionKind::Subject | PortionKind::Ref | PortionKind::ClassifiedBy | PortionKind::Tags)
    }
}

struct Builder<'s> {
    source: &'s str,
    index: &'s LineIndex,
    portions: Vec<Portion>,
    open: Option<Open>,
    /// Interruptions met inside an open paragraph, not yet known to be inside it.
    pending: Vec<(PortionKind, Span)>,
    main_text_started: bool,
    header: TransmissionHeader,
    banner: Option<Banner>,
    caveat_controls: Vec<Control>,
    order: Option<String>,
    decl: Option<Decl>,
    tags: Option<Vec<String>>,
    subject: Option<Vec<String>>,
    subject_closed: bool,
    /// What the subject's parts hold so far: letters, lower-case letters, anything.
    subject_letters: bool,
    subject_lower: bool,
    subject_text: bool,
    reasons: Reasons,
    classified_by_blocks: Vec<Span>,
    /// A `Date:` line's date.
    dated: Option<chrono::NaiveDate>,
    /// Whether the open paragraph states the classification authority.
    authority_in_paragraph: bool,
    cable_dated: Option<String>,
    /// The number the next paragraph would have, for starts that only count in sequence.
    next_number: u32,
    /// Declassification instructions after the first.
    later_decls: Vec<Decl>,
    /// The highest level of a banner after the first.
    highest_banner: Option<Level>,
    warnings: Vec<Issue>,
    /// How deep the reading of what follows a field on its line has gone (bounded).
    depth: u8,
    /// Starts of the lines of classification authority blocks in the body (sorted).
    authority_lines: Vec<usize>,
    /// Where the `Classified By` fields read while finding those blocks end, by span.
    classified_by_ends: Vec<(Span, (usize, bool))>,
}

/// About how many portions `lines` make: one per structured line and one per run of text
/// after a blank, so that the list of portions is sized once for most documents (growing it
/// copies every portion again: a document with a structured line on every line copied most of
/// them twice). Lines that glue several portions together make more; the list grows for them.
fn portions_expected(lines: &[Line]) -> usize {
    let mut count = 8;
    let mut after_blank = true;
    for line in lines {
        match line.kind {
            LineKind::Blank => after_blank = true,
            LineKind::Text => {
                count += usize::from(after_blank);
                after_blank = false;
            }
            _ => {
                count += 1;
                after_blank = false;
            }
        }
    }
    count
}

/// Builds the document from its lines.
///
/// `source` is the text the lines were read from (line breaks normalised); the document's
/// `source` is left empty for the caller to fill with the original text, which has the same
/// offsets.
pub(crate) fn assemble(source: &str, read: Lines, index: &LineIndex) -> Document {
    let mut classified_by_ends = Vec::new();
    let authority_lines = authority_blocks(&read.lines, source, &mut classified_by_ends);
    let mut builder = Builder {
        source,
        index,
        portions: Vec::with_capacity(portions_expected(&read.lines)),
        open: None,
        pending: Vec::new(),
        main_text_started: false,
        header: TransmissionHeader::default(),
        banner: None,
        caveat_controls: Vec::new(),
        order: None,
        decl: None,
        tags: None,
        subject: None,
        subject_closed: false,
        subject_letters: false,
        subject_lower: false,
        subject_text: false,
        reasons: Reasons::default(),
        classified_by_blocks: Vec::new(),
        authority_in_paragraph: false,
        dated: None,
        cable_dated: None,
        next_number: 1,
        later_decls: Vec::new(),
        highest_banner: None,
        warnings: Vec::new(),
        depth: 0,
        authority_lines,
        classified_by_ends,
    };
    let preamble = read.preamble.map(|(preamble, span)| {
        builder.emit(PortionKind::Preamble, span, None, None);
        preamble
    });
    builder.header_lines(&read.lines);
    for line in read.lines.iter().filter(|l| !l.in_header) {
        builder.body_line(line);
    }
    builder.close();
    builder.split_signature();
    let Builder {
        header,
        banner,
        caveat_controls,
        order,
        decl,
        tags,
        subject,
        mut reasons,
        classified_by_blocks,
        cable_dated,
        dated,
        mut portions,
        later_decls,
        highest_banner,
        mut warnings,
        ..
    } = builder;

    // The first block that names someone; failing that, the first block.
    let mut classified_by: Option<ClassifiedBy> = None;
    for block in classified_by_blocks {
        if let Some((classifier, found)) = pieces::classified_by_block(block, source) {
            if classified_by.as_ref().is_none_or(|c| c.name.is_none()) {
                let name = classifier::classifier_name(&classifier);
                if classified_by.is_none() || name.is_some() {
                    classified_by = Some(ClassifiedBy { name, classifier, span: block });
                }
            }
            if reasons.letters.is_empty() && !found.letters.is_empty() {
                reasons = found;
            }
        }
    }

    let origins: Vec<(&str, chrono::NaiveDate)> = [
        ("the preamble's `Created`", preamble.as_ref().and_then(|p| dates::iso_date_prefix(&p.created))),
        ("the date-time group", header.dtg_date),
        ("`Cable dated:`", cable_dated.as_deref().and_then(dates::iso_date_prefix)),
        ("the `Date:` line", dated),
    ]
    .into_iter()
    .filter_map(|(what, date)| date.map(|d| (what, d)))
    .collect();
    let created = later_origin(&origins, &mut warnings, index.position(source, 0));
    let first_paragraph = portions
        .iter()
        .position(|p| matches!(p.kind, PortionKind::Paragraph | PortionKind::Subparagraph))
        .unwrap_or(portions.len());
    for (i, portion) in portions.iter_mut().enumerate() {
        let text = source.get(portion.span.start..portion.span.end).unwrap_or("");
        let own = portion.marking.as_ref().map(|m| m.span.start);
        portion.embedded = guard::embedded_marks(text, portion.span.start, portion.kind, own, i < first_paragraph);
    }
    let id = preamble
        .as_ref()
        .map(|p| p.identifier.clone())
        .filter(|id| !id.is_empty())
        .or_else(|| derived_id(banner.as_ref(), created));
    let caveats = handling_caveats_of(source, &portions);
    let classification = classification(banner.as_ref(), &header, &caveat_controls, &portions, highest_banner);
    let mut errors = Vec::new();
    if classification.level.is_none() {
        errors.push(Issue {
            position: index.position(source, 0),
            message: "no banner, security line or portion mark states the document's classification".to_owned(),
        });
    }
    if portions.iter().all(|p| p.kind == PortionKind::Preamble) {
        errors.push(Issue { position: index.position(source, 0), message: "the document has no text".to_owned() });
    }
    Document {
        id,
        preamble,
        header,
        banner,
        classification,
        order,
        decl: decl.unwrap_or_else(Decl::missing),
        later_decls,
        reasons,
        classified_by,
        tags: clean_tags(tags.unwrap_or_default()),
        caveats,
        subject: subject.map(|parts| join_subject(&parts)).filter(|s| !s.is_empty()),
        created,
        portions,
        errors,
        warnings,
        source: String::new(),
    }
}

impl<'s> Builder<'s> {
    fn text(&self, span: Span) -> &'s str {
        self.source.get(span.start..span.end).unwrap_or("")
    }

    fn emit(&mut self, kind: PortionKind, span: Span, number: Option<String>, marking: Option<Marking>) {
        let span = trim_span(self.source, span);
        if span.is_empty() {
            return;
        }
        let position = match self.portions.last() {
            Some(last) => self.index.position_after(self.source, span.start, (last.span.start, last.position)),
            None => self.index.position(self.source, span.start),
        };
        self.portions.push(Portion {
            kind,
            number,
            marking: marking.map(Box::new),
            span,
            position,
            embedded: Vec::new(),
        });
    }

    fn close(&mut self) {
        if let Some(open) = self.open.take() {
            if open.kind == PortionKind::ClassifiedBy || std::mem::take(&mut self.authority_in_paragraph) {
                self.classified_by_blocks.push(Span::new(open.start, open.end));
            }
            if open.kind == PortionKind::Subject {
                self.subject_closed = true;
            }
            let kind = if open.kind == PortionKind::Heading && open.lines <= 1 && open.rule_top {
                // A lone rule of dashes is decoration, not a heading.
                PortionKind::Text
            } else {
                open.kind
            };
            self.emit(kind, Span::new(open.start, open.end), open.number, open.marking);
        }
        for (kind, span) in std::mem::take(&mut self.pending) {
            self.emit(kind, span, None, None);
        }
    }

    fn open(&mut self, open: Open) {
        self.close();
        self.open = Some(open);
    }

    /// One line of the body. Paragraphs that start in the middle of the line (glued behind a
    /// field, a heading, a page marker or the previous paragraph) cut it into pieces first;
    /// each piece is then read as a line of its own.
    fn body_line(&mut self, line: &Line) {
        let text = self.text(line.span);
        let starts = leads::midline_starts(text, self.next_number);
        let Some(first) = starts.first() else {
            self.piece(&line.kind, line.span);
            return;
        };
        // A portion per piece at least: room for them at once, since a line that holds a
        // whole body would otherwise grow the list by doubling, copying every portion again.
        self.portions.reserve(starts.len() + 1);
        let head = Span::new(line.span.start, line.span.start + first.at);
        let kind = self.reread(head);
        self.piece(&kind, head);
        for (i, start) in starts.iter().enumerate() {
            let end = starts.get(i + 1).map_or(line.span.end, |next| line.span.start + next.at);
            let span = Span::new(line.span.start + start.at, end);
            let kind = self.reread(span);
            self.piece(&kind, span);
        }
    }

    /// Where the `Classified By` field that starts the text at `span` ends, and whether its
    /// reasons were found (`pieces::classified_by_end`), read once per span.
    fn classified_by_end(&self, span: Span) -> (usize, bool) {
        match self.classified_by_ends.iter().find(|(read, _)| *read == span) {
            Some((_, end)) => *end,
            None => pieces::classified_by_end(span, self.source),
        }
    }

    /// What the text at `span` (part of a line) is, read as a line of its own.
    fn reread(&self, span: Span) -> LineKind {
        if self.text(span).trim().is_empty() {
            return LineKind::Blank;
        }
        pieces::reread(span, self.source).unwrap_or_else(|| pieces::text_kind(span, self.source))
    }

    /// Reads what follows a field on its line (`1. (C) …`, prose, a glued mark) as a piece of
    /// its own: never as part of the field.
    fn rest_of_line(&mut self, span: Span) {
        if span.is_empty() || self.text(span).trim().is_empty() {
            return;
        }
        // Each step takes something off the line, so this ends; the bound keeps a line of a
        // thousand glued fields linear.
        if self.depth >= 32 {
            self.text_line(span);
            return;
        }
        self.depth += 1;
        let kind = self.reread(span);
        self.piece(&kind, span);
        self.depth -= 1;
    }

    /// One piece of a line: a whole line, or the part of one between paragraph starts.
    fn piece(&mut self, kind: &LineKind, span: Span) {
        // Once the body has begun, administrative-looking lines are content of the paragraph
        // they stand in, unless they are this document's own section banners and page markers.
        if self.main_text_started && self.is_administrative(kind, span) {
            self.note_in_body(kind, span);
            self.text_line(span);
            return;
        }
        match kind {
            LineKind::Blank | LineKind::Header(_) => self.blank(),
            LineKind::Banner { banner, glued } => {
                let own_end = banner.span.end.min(span.end);
                if glued.is_empty()
                    && self.text(Span::new(own_end, span.end)).trim().is_empty()
                    && self.interrupts(PortionKind::Banner, span)
                {
                    return;
                }
                self.close();
                self.note_banner(banner, span);
                self.fields(span, Some((PortionKind::Banner, own_end)), glued);
            }
            LineKind::PageMarker { end, .. } => {
                let marker = Span::new(span.start, (*end).clamp(span.start, span.end));
                if !self.interrupts(PortionKind::PageMarker, marker) {
                    self.close();
                    self.emit(PortionKind::PageMarker, marker, None, None);
                }
                self.rest_of_line(Span::new(marker.end, span.end));
            }
            LineKind::Fields(found) => {
                self.close();
                self.fields(span, None, found);
            }
            LineKind::DeclassifyOn { decl, end } => {
                self.close();
                self.record_decl(Some((**decl).clone()), None, span);
                self.emit(PortionKind::Decl, Span::new(span.start, *end), None, None);
                self.rest_of_line(Span::new(*end, span.end));
            }
            LineKind::Dated { date, end } => {
                self.close();
                if self.dated.is_none() {
                    self.dated = *date;
                }
                self.emit(PortionKind::Header, Span::new(span.start, *end), None, None);
                self.rest_of_line(Span::new(*end, span.end));
            }
            LineKind::DerivedFrom => {
                self.close();
                self.emit(PortionKind::ClassifiedBy, span, None, None);
            }
            LineKind::Reason { reasons, end } => {
                self.close();
                if self.reasons.letters.is_empty() {
                    self.reasons = (**reasons).clone();
                }
                self.emit(PortionKind::ClassifiedBy, Span::new(span.start, *end), None, None);
                self.rest_of_line(Span::new(*end, span.end));
            }
            LineKind::Ref => {
                // `REF: … CLASSIFIED BY: …` glued on one line.
                if let Some((at, found)) = pieces::find_glued_field(span, self.source)
                    && found.iter().any(|f| matches!(f.value, Field::ClassifiedBy { .. }))
                {
                    self.open(Open::new(PortionKind::Ref, Span::new(span.start, at)));
                    self.fields(Span::new(at, span.end), None, &found);
                    return;
                }
                let end = self.cut_at_mark(span, PortionKind::Ref, None);
                self.open(Open::new(PortionKind::Ref, Span::new(span.start, end)));
                self.rest_of_line(Span::new(end, span.end));
            }
            LineKind::ClassifiedBy { marking } => {
                let (end, complete) = self.classified_by_end(span);
                let own = marking.as_ref().map(|m| m.span.start);
                let cut = self.cut_at_mark(Span::new(span.start, end), PortionKind::ClassifiedBy, own);
                let mut open = Open::new(PortionKind::ClassifiedBy, Span::new(span.start, cut));
                open.marking = marking.as_deref().cloned();
                open.complete = complete || cut < end;
                let end = cut;
                self.open(open);
                self.rest_of_line(Span::new(end, span.end));
            }
            LineKind::Caveat { glued, words_end, noforn } => {
                let words_end = (*words_end).clamp(span.start, span.end);
                if glued.is_empty()
                    && self.text(Span::new(words_end, span.end)).trim().is_empty()
                    && self.interrupts(PortionKind::Caveat, span)
                {
                    return;
                }
                self.close();
                if *noforn && !self.main_text_started {
                    self.caveat_controls.push(Control::Noforn);
                }
                self.fields(span, Some((PortionKind::Caveat, words_end)), glued);
            }
            LineKind::Para { number, marking, text } => {
                if self.takes_reason_continuation(marking.as_deref(), *text) {
                    self.extend(span, false);
                    return;
                }
                if marking.is_none() && self.number_continues_text(number, self.text(*text).trim().is_empty()) {
                    self.text_line(span);
                    return;
                }
                let mut open = Open::new(PortionKind::Paragraph, span);
                open.number = Some(number.clone());
                open.marking = marking.as_deref().cloned();
                self.open(open);
                if let Ok(n) = number.parse::<u32>() {
                    self.next_number = n + 1;
                }
                // `1. (U) CLASSIFIED BY …`: the authority stated in the first paragraph.
                if self.classified_by_blocks.is_empty() && contains_classified_by(self.text(*text)) {
                    self.authority_in_paragraph = true;
                }
                self.main_text_started = true;
            }
            LineKind::Lettered { label, marking } => {
                if self.takes_reason_continuation(Some(marking), span) {
                    self.extend(span, false);
                    return;
                }
                let mut open = Open::new(PortionKind::Subparagraph, span);
                open.number = Some(label.clone());
                open.marking = Some((**marking).clone());
                self.open(open);
                self.main_text_started = true;
            }
            LineKind::Marked { marking } => {
                if self.takes_reason_continuation(Some(marking), span) {
                    self.extend(span, false);
                    return;
                }
                let mut open = Open::new(PortionKind::Paragraph, span);
                open.marking = Some((**marking).clone());
                self.open(open);
                self.main_text_started = true;
            }
            LineKind::Rule => self.rule(span),
            LineKind::Text => self.text_line(span),
        }
    }

    /// Where an administrative field at `span` ends at the latest: before the first portion
    /// mark inside it (other than its own, which starts at `own`). A field holds no marks; a
    /// mark there starts a portion of its own.
    fn cut_at_mark(&self, span: Span, kind: PortionKind, own: Option<usize>) -> usize {
        let text = self.text(span);
        if !text.as_bytes().iter().any(|b| matches!(b, b'(' | b'[' | 0xEF)) {
            return span.end;
        }
        guard::embedded_marks(text, span.start, kind, own, true).iter().map(|m| m.span.start).min().unwrap_or(span.end)
    }

    /// Whether an unmarked numbered line continues the open paragraph rather than starting
    /// one. A figure that the sentence above goes on with (`… on November` ⏎ `16. His aim …`;
    /// copies put blank lines inside sentences), a number alone on its line (`… see para.` ⏎
    /// ⏎ `3.` ⏎ `2. (S) …`) and a number out of the paragraph sequence under a marked paragraph
    /// (`787), and would…`, a list item `1) …` under paragraph 5) continue it. The next number
    /// starts a paragraph, unless the sentence of a marked paragraph above goes on with it
    /// (`… met on April` ⏎ `2. Van den IJssel …`; in a cable of unmarked paragraphs, whose
    /// copies often cut lines short, it starts one). Joining never makes classified text
    /// unclassified: a line joins only an unmarked paragraph (it inherits either way), a
    /// classified one, or one marked at the banner's level; under `(U)` in a CONFIDENTIAL cable
    /// it stays a paragraph of its own that inherits.
    fn number_continues_text(&self, number: &str, bare: bool) -> bool {
        let Ok(n) = number.parse::<u32>() else { return false };
        let Some(open) = &self.open else { return false };
        if !matches!(open.kind, PortionKind::Paragraph | PortionKind::Subparagraph) {
            return false;
        }
        let banner = self.banner.as_ref().map(|b| b.level);
        let joining_is_safe = open.marking.as_ref().is_none_or(|marking| {
            marking.level().is_some_and(|level| level.is_classified() || banner.is_some_and(|b| level >= b))
        });
        let last = self.text(open.last_line).trim_end();
        let sentence_open = last.chars().last().is_some_and(|c| c.is_alphanumeric() || matches!(c, ',' | '('));
        if n == self.next_number {
            return sentence_open && open.marking.is_some() && joining_is_safe;
        }
        // A number alone holds no words to lower.
        if bare {
            return true;
        }
        if !joining_is_safe {
            return false;
        }
        if sentence_open {
            return true;
        }
        // In a cable of unmarked paragraphs, and for the number after the next (one skipped
        // or lost), a paragraph starts.
        open.marking.is_some() && n != self.next_number + 1
    }

    fn warn(&mut self, span: Span, message: String) {
        let position = self.index.position(self.source, span.start);
        self.warnings.push(Issue { position, message });
    }

    fn blank(&mut self) {
        // An empty `SUBJECT:` line may have its subject after a blank line.
        let subject_pending = self.subject.is_some() && !self.subject_text;
        match &mut self.open {
            Some(open) if open.kind == PortionKind::Subject && subject_pending => open.blank_after = true,
            Some(open) if open.is_block() => self.close(),
            Some(open) => open.blank_after = true,
            None => {}
        }
    }

    /// Keeps one of this document's own banners or page markers met inside a paragraph aside,
    /// in case the paragraph's text goes on after it. Returns whether it was kept aside.
    fn interrupts(&mut self, kind: PortionKind, span: Span) -> bool {
        match &self.open {
            Some(open) if open.is_flowing() && self.main_text_started => {
                self.pending.push((kind, span));
                true
            }
            _ => false,
        }
    }

    fn extend(&mut self, line: Span, is_text: bool) {
        if let Some(open) = &mut self.open {
            open.extend(line, is_text);
            open.absorbed = std::mem::take(&mut self.pending);
        }
    }
}

/// A span without surrounding whitespace (and never reaching into a newline at either end).
pub(super) fn trim_span(source: &str, span: Span) -> Span {
    let Some(text) = source.get(span.start..span.end) else { return Span::new(span.start, span.start) };
    let start = span.start + (text.len() - text.trim_start().len());
    let end = span.start + text.trim_end().len();
    Span::new(start, end.max(start))
}
