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

use super::LineIndex;
use super::fields;
use super::lines::{self, Field, HeaderLine, Line, LineKind, Lines, Located};
use crate::model::{
    Banner, Classification, ClassificationSource, ClassifiedBy, Control, Decl, DeclKind, Document, Issue, Marking,
    Portion, PortionKind, Reasons, Span, TransmissionHeader,
};

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
    reasons: Reasons,
    classified_by_blocks: Vec<Span>,
    /// A `Date:` line's date.
    dated: Option<chrono::NaiveDate>,
    /// Whether the open paragraph states the classification authority.
    authority_in_paragraph: bool,
    cable_dated: Option<String>,
}

/// Builds the document from its lines.
pub(crate) fn assemble(source: String, read: Lines, index: &LineIndex) -> Document {
    let mut builder = Builder {
        source: &source,
        index,
        portions: Vec::with_capacity(read.lines.len() / 4 + 8),
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
        reasons: Reasons::default(),
        classified_by_blocks: Vec::new(),
        authority_in_paragraph: false,
        dated: None,
        cable_dated: None,
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
        portions,
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
        ..
    } = builder;

    // The first block that names someone; failing that, the first block.
    let mut classified_by: Option<ClassifiedBy> = None;
    for block in classified_by_blocks {
        if let Some((classifier, found)) = lines::classified_by_block(block, &source) {
            if classified_by.as_ref().is_none_or(|c| c.name.is_none()) {
                let name = fields::classifier_name(&classifier);
                if classified_by.is_none() || name.is_some() {
                    classified_by = Some(ClassifiedBy { name, classifier, span: block });
                }
            }
            if reasons.letters.is_empty() && !found.letters.is_empty() {
                reasons = found;
            }
        }
    }

    let created = preamble
        .as_ref()
        .and_then(|p| fields::iso_date_prefix(&p.created))
        .or(header.dtg_date)
        .or_else(|| cable_dated.as_deref().and_then(fields::iso_date_prefix))
        .or(dated);
    let id = preamble
        .as_ref()
        .map(|p| p.identifier.clone())
        .filter(|id| !id.is_empty())
        .or_else(|| derived_id(banner.as_ref(), created));
    let classification = classification(banner.as_ref(), &header, &caveat_controls, &portions);
    let mut errors = Vec::new();
    if classification.level.is_none() {
        errors.push(Issue {
            position: index.position(&source, 0),
            message: "no banner, security line or portion mark states the document's classification".to_owned(),
        });
    }
    if portions.iter().all(|p| p.kind == PortionKind::Preamble) {
        errors.push(Issue { position: index.position(&source, 0), message: "the document has no text".to_owned() });
    }
    Document {
        id,
        preamble,
        header,
        banner,
        classification,
        order,
        decl: decl.unwrap_or_else(Decl::missing),
        reasons,
        classified_by,
        tags: clean_tags(tags.unwrap_or_default()),
        subject: subject.map(|parts| join_subject(&parts)).filter(|s| !s.is_empty()),
        created,
        portions,
        errors,
        source,
    }
}

/// `08MOSCOW434` from the DTG year, the banner's post (`MOSCOW`) and its serial (`000434`).
fn derived_id(banner: Option<&Banner>, created: Option<chrono::NaiveDate>) -> Option<String> {
    use chrono::Datelike;
    let banner = banner?;
    let post: String =
        banner.post.as_ref()?.chars().filter(char::is_ascii_alphabetic).collect::<String>().to_ascii_uppercase();
    let serial = banner.serial.as_ref()?.trim_start_matches('0');
    let year = created?.year() % 100;
    Some(format!("{year:02}{post}{serial}"))
}

/// The overall marking: the banner's level, else the security line's, else the highest
/// portion mark. Controls gather the banner, caveat lines and portion marks.
fn classification(
    banner: Option<&Banner>,
    header: &TransmissionHeader,
    caveat_controls: &[Control],
    portions: &[Portion],
) -> Classification {
    let highest = portions
        .iter()
        .filter_map(|p| p.marking.as_ref())
        .filter_map(|m| m.level().map(|level| (level, m)))
        .max_by_key(|(level, _)| *level);
    let (level, raw, source) = if let Some(banner) = banner {
        (Some(banner.level), banner.raw.clone(), ClassificationSource::Banner)
    } else if let Some(level) = header.routing_level {
        (Some(level), header.routing_raw.clone().unwrap_or_default(), ClassificationSource::Routing)
    } else if let Some((level, mark)) = highest {
        (Some(level), mark.raw.clone(), ClassificationSource::Portions)
    } else {
        (None, String::new(), ClassificationSource::Unknown)
    };
    let mut controls: Vec<Control> = banner.map(|b| b.controls.clone()).unwrap_or_default();
    controls.extend(caveat_controls.iter().cloned());
    for mark in portions.iter().filter_map(|p| p.marking.as_ref()) {
        controls.extend(mark.controls().iter().filter(|c| matches!(c, Control::Noforn)).cloned());
    }
    // Only dissemination controls belong in the overall marking; transmission caveats do not.
    controls.retain(|c| !matches!(c, Control::Other(name) if name == "EFTO" || name == "SENSITIVE" || name == "SBU"));
    controls.sort();
    controls.dedup();
    Classification { level, controls, raw, source }
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
        let position = self.index.position(self.source, span.start);
        self.portions.push(Portion { kind, number, marking, span, position });
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

    /// The transmission header: its values, and its portions. Header lines are released as
    /// administrative lines, so anything in them that is content is split off: the publisher's
    /// `Cable title:` block (a copy of the subject) becomes a subject portion, and a banner
    /// glued to `Cable dated:` is read with its glued fields like any banner line.
    fn header_lines(&mut self, lines: &[Line]) {
        let mut run: Option<Span> = None;
        let mut title: Option<Span> = None;
        for line in lines.iter().filter(|l| l.in_header) {
            if matches!(line.kind, LineKind::Blank) {
                continue;
            }
            let text = self.text(line.span);
            if let Some(block) = &mut title {
                if !(text.starts_with("Tags:") || text.starts_with("pdf")) {
                    block.end = line.span.end;
                    continue;
                }
                self.emit(PortionKind::Subject, *block, None, None);
                title = None;
            }
            if text.starts_with("Cable title:") {
                if let Some(span) = run.take() {
                    self.emit(PortionKind::Header, span, None, None);
                }
                title = Some(line.span);
                continue;
            }
            let LineKind::Header(header) = &line.kind else { continue };
            if let HeaderLine::CableDated { date, banner } = header {
                self.cable_dated = Some(date.clone());
                if let Some((banner, glued)) = banner {
                    if let Some(span) = run.take() {
                        self.emit(PortionKind::Header, span, None, None);
                    }
                    self.emit(PortionKind::Header, Span::new(line.span.start, banner.span.start), None, None);
                    self.banner.get_or_insert_with(|| banner.clone());
                    self.fields(Span::new(banner.span.start, line.span.end), PortionKind::Banner, glued);
                    self.close();
                    continue;
                }
            }
            match &mut run {
                Some(span) => span.end = line.span.end,
                None => run = Some(line.span),
            }
            match header {
                HeaderLine::CableDated { .. } | HeaderLine::Other => {}
                HeaderLine::Notice => self.header.partial_extract = true,
                HeaderLine::Security { code } => {
                    self.header.routing_level = lines::security_level(code);
                    self.header.routing_raw = Some(text.trim().to_owned());
                }
                HeaderLine::Dtg { precedence, dtg } => {
                    if self.header.dtg.is_none() {
                        self.header.precedence = Some(precedence.clone());
                        self.header.dtg_date = fields::dtg_date(dtg);
                        self.header.dtg = Some(dtg.clone());
                    }
                }
                HeaderLine::From(from) => {
                    self.header.from.get_or_insert_with(|| from.clone());
                }
                HeaderLine::To(to) => self.header.to.push(to.clone()),
                HeaderLine::Info(info) => self.header.info.push(info.clone()),
            }
        }
        if let Some(block) = title {
            self.emit(PortionKind::Subject, block, None, None);
        }
        if let Some(span) = run {
            self.emit(PortionKind::Header, span, None, None);
        }
    }

    fn body_line(&mut self, line: &Line) {
        match &line.kind {
            LineKind::Blank | LineKind::Header(_) => self.blank(),
            LineKind::Banner { banner, glued } => {
                if glued.is_empty() && self.interrupts(PortionKind::Banner, line.span) {
                    return;
                }
                self.close();
                if self.banner.is_none() {
                    self.banner = Some(banner.clone());
                }
                self.fields(line.span, PortionKind::Banner, glued);
            }
            LineKind::PageMarker => {
                if !self.interrupts(PortionKind::PageMarker, line.span) {
                    self.close();
                    self.emit(PortionKind::PageMarker, line.span, None, None);
                }
            }
            LineKind::Fields(found) => {
                self.close();
                let first_kind = found.first().map_or(PortionKind::Text, |f| field_kind(&f.value));
                self.fields(line.span, first_kind, found);
            }
            LineKind::DeclassifyOn(decl) => {
                self.close();
                if self.decl.is_none() {
                    self.decl = Some(decl.clone());
                }
                self.emit(PortionKind::Decl, line.span, None, None);
            }
            LineKind::Dated(date) => {
                self.close();
                if self.dated.is_none() {
                    self.dated = *date;
                }
                self.emit(PortionKind::Header, line.span, None, None);
            }
            LineKind::DerivedFrom => {
                self.close();
                self.emit(PortionKind::ClassifiedBy, line.span, None, None);
            }
            LineKind::Reason(reasons) => {
                self.close();
                if self.reasons.letters.is_empty() {
                    self.reasons = reasons.clone();
                }
                self.emit(PortionKind::ClassifiedBy, line.span, None, None);
            }
            LineKind::Ref => {
                // `REF: … CLASSIFIED BY: …` glued on one line.
                if let Some((at, found)) = lines::find_glued_field(line.span, self.source)
                    && found.iter().any(|f| matches!(f.value, Field::ClassifiedBy))
                {
                    self.open(Open::new(PortionKind::Ref, Span::new(line.span.start, at)));
                    self.fields(Span::new(at, line.span.end), PortionKind::Ref, &found);
                    return;
                }
                self.open(Open::new(PortionKind::Ref, line.span));
            }
            LineKind::ClassifiedBy { marking } => {
                let mut open = Open::new(PortionKind::ClassifiedBy, line.span);
                open.marking.clone_from(marking);
                self.open(open);
            }
            LineKind::Caveat { glued } => {
                if glued.is_empty() && self.interrupts(PortionKind::Caveat, line.span) {
                    return;
                }
                self.close();
                if self.text(line.span).contains("NOFORN") && !self.main_text_started {
                    self.caveat_controls.push(Control::Noforn);
                }
                self.fields(line.span, PortionKind::Caveat, glued);
            }
            LineKind::Para { number, marking, text } => {
                if self.takes_reason_continuation(marking.as_ref(), *text) {
                    self.extend(line.span, false);
                    return;
                }
                let mut open = Open::new(PortionKind::Paragraph, line.span);
                open.number = Some(number.clone());
                open.marking.clone_from(marking);
                self.open(open);
                // `1. (U) CLASSIFIED BY …`: the authority stated in the first paragraph.
                if self.classified_by_blocks.is_empty() && contains_classified_by(self.text(*text)) {
                    self.authority_in_paragraph = true;
                }
                self.main_text_started = true;
            }
            LineKind::Lettered { label, marking } => {
                if self.takes_reason_continuation(Some(marking), line.span) {
                    self.extend(line.span, false);
                    return;
                }
                let mut open = Open::new(PortionKind::Subparagraph, line.span);
                open.number = Some(label.clone());
                open.marking = Some(marking.clone());
                self.open(open);
                self.main_text_started = true;
            }
            LineKind::Marked { marking } => {
                if self.takes_reason_continuation(Some(marking), line.span) {
                    self.extend(line.span, false);
                    return;
                }
                let mut open = Open::new(PortionKind::Paragraph, line.span);
                open.marking = Some(marking.clone());
                self.open(open);
                self.main_text_started = true;
            }
            LineKind::Rule => self.rule(line.span),
            LineKind::Text => self.text_line(line.span),
        }
    }

    fn blank(&mut self) {
        // An empty `SUBJECT:` line may have its subject after a blank line.
        let subject_pending = self.subject.as_deref().is_some_and(|p| p.iter().all(|s| s.trim().is_empty()));
        match &mut self.open {
            Some(open) if open.kind == PortionKind::Subject && subject_pending => open.blank_after = true,
            Some(open) if open.is_block() => self.close(),
            Some(open) => open.blank_after = true,
            None => {}
        }
    }

    /// Keeps a banner, page marker or caveat met inside a paragraph aside, in case the
    /// paragraph's text goes on after it. Returns whether it was kept aside.
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
            self.pending.clear();
        }
    }

    /// Whether an open `Classified By` block ends in the middle of its reason, so that this
    /// line (`4 (b) and (d)`, `(C) and (D)`) finishes it rather than starting a paragraph.
    fn takes_reason_continuation(&self, marking: Option<&Marking>, rest: Span) -> bool {
        let Some(open) = &self.open else { return false };
        if open.kind != PortionKind::ClassifiedBy || open.blank_after {
            return false;
        }
        let block = self.text(Span::new(open.start, open.end)).trim_end().to_ascii_lowercase();
        let wants_more = ["1.", "1.4", "1.5", "1 .4", "reason", "reasons", "reasons:", "reason:", "for", ",", "and"]
            .iter()
            .any(|end| block.ends_with(end));
        let single_letter_mark = marking.is_some_and(|m| m.raw.trim_matches(['(', ')', ' ']).len() == 1);
        let rest_text = self.text(rest).trim_start().to_ascii_lowercase();
        wants_more
            && (marking.is_none() || single_letter_mark)
            && (rest_text.is_empty()
                || rest_text.starts_with("and")
                || rest_text.starts_with('(')
                || rest_text.starts_with(',')
                || rest_text.starts_with('&')
                || rest_text.starts_with('.'))
    }

    /// Emits the portions of a line made of fields: the part before the first field (a
    /// banner or caveat) as `lead`, then one portion per field.
    fn fields(&mut self, line: Span, lead: PortionKind, found: &[Located<Field>]) {
        let first_start = found.first().map_or(line.end, |f| f.span.start);
        if first_start > line.start && !self.text(Span::new(line.start, first_start)).trim().is_empty() {
            self.emit(lead, Span::new(line.start, first_start), None, None);
        }
        self.record_fields(found);
        for (i, field) in found.iter().enumerate() {
            let end = found.get(i + 1).map_or(line.end, |next| next.span.start);
            let span = Span::new(field.span.start, end);
            let kind = field_kind(&field.value);
            let is_last = i + 1 == found.len();
            match &field.value {
                Field::Subject { marking, .. } if is_last => {
                    let mut open = Open::new(PortionKind::Subject, span);
                    open.marking.clone_from(marking);
                    self.open(open);
                }
                Field::Subject { marking, .. } => self.emit(kind, span, None, marking.clone()),
                Field::ClassifiedBy => self.open(Open::new(PortionKind::ClassifiedBy, span)),
                Field::Tags(_) if is_last => self.open(Open::new(PortionKind::Tags, span)),
                _ => self.emit(kind, span, None, None),
            }
        }
    }

    /// Takes the document-level values from fields, first occurrence first.
    fn record_fields(&mut self, found: &[Located<Field>]) {
        for field in found {
            match &field.value {
                Field::Eo { order, decl } => {
                    // An instruction wrapped below an `E.O. 12958:` that had none completes it.
                    let incomplete = self.decl.as_ref().is_some_and(|d| d.kind == DeclKind::Missing);
                    if incomplete && decl.is_some() {
                        self.decl.clone_from(decl);
                    } else if self.decl.is_none() {
                        if order.is_some() {
                            self.order.clone_from(order);
                        }
                        self.decl = Some(decl.clone().unwrap_or_else(|| Decl {
                            kind: DeclKind::Missing,
                            date: None,
                            exemptions: Vec::new(),
                            raw: String::new(),
                            span: Some(field.span),
                        }));
                    }
                }
                Field::Tags(tags) => {
                    if self.tags.is_none() {
                        self.tags = Some(tags.clone());
                    }
                }
                Field::Subject { text, .. } => {
                    if self.subject.is_none() {
                        self.subject = Some(vec![text.clone()]);
                    }
                }
                Field::Caveat | Field::ClassifiedBy => {}
            }
        }
        if found.iter().any(|f| matches!(f.value, Field::Caveat))
            && found.iter().any(|f| self.text(f.span).starts_with("NOFORN"))
        {
            self.caveat_controls.push(Control::Noforn);
        }
    }

    fn rule(&mut self, span: Span) {
        let source = self.source;
        if let Some(open) = &mut self.open {
            // A heading between two rules: this rule closes the box.
            if open.kind == PortionKind::Heading && open.rule_top {
                if open.lines == 1 {
                    // Two rules in a row: still the top of the box.
                    open.extend(span, false);
                    open.lines = 1;
                    return;
                }
                open.extend(span, false);
                self.close();
                return;
            }
            let last_text = source.get(open.last_line.start..open.last_line.end).unwrap_or("").trim();
            let heading_like = !last_text.is_empty() && last_text.chars().count() <= 80 && !last_text.ends_with('.');
            // A paragraph's one-line start or a lone text line above a rule is a heading.
            if open.lines == 1 && heading_like && matches!(open.kind, PortionKind::Text)
                || open.lines == 1 && open.kind == PortionKind::Paragraph && open.number.is_none() && heading_like
            {
                open.kind = PortionKind::Heading;
                open.extend(span, false);
                self.close();
                return;
            }
            // The last line of a flowing portion, after a blank line, is a heading above a rule.
            if open.is_flowing() && open.lines >= 2 && open.last_is_text && open.blank_before_last && heading_like {
                let heading_start = open.last_line.start;
                open.end = open.prev_end;
                let pending = std::mem::take(&mut self.pending);
                self.close();
                self.pending = pending;
                let mut heading = Open::new(PortionKind::Heading, Span::new(heading_start, span.end));
                heading.lines = 2;
                self.open = Some(heading);
                self.close();
                return;
            }
        }
        // Otherwise this may be the top of a boxed heading.
        let mut heading = Open::new(PortionKind::Heading, span);
        heading.rule_top = true;
        self.open(heading);
    }

    fn text_line(&mut self, span: Span) {
        let text = self.text(span);
        // Fields glued into a front-matter line: `DEPT FOR WHA/BSC E.O. 12958: DECL: …`.
        let in_tags = self.open.as_ref().is_some_and(|o| o.kind == PortionKind::Tags);
        if in_tags && self.continue_tags(span) {
            return;
        }
        let in_subject = self.open.as_ref().is_some_and(|o| o.kind == PortionKind::Subject);
        if !self.main_text_started
            && !in_subject
            && let Some((at, found)) = lines::find_glued_field(span, self.source)
            && (self.decl.is_none() || found.iter().all(|f| matches!(f.value, Field::ClassifiedBy)))
        {
            let lead = if self.open.as_ref().is_some_and(Open::is_block) {
                self.extend(Span::new(span.start, at), true);
                None
            } else {
                Some(PortionKind::Text)
            };
            self.close();
            let lead_span = if lead.is_some() { span } else { Span::new(at, span.end) };
            self.fields(lead_span, PortionKind::Text, &found);
            return;
        }
        // A heading glued to its rule: `COMMENT ---------`.
        let trimmed = text.trim();
        if trimmed.ends_with("---") {
            let words = trimmed.trim_end_matches('-').trim();
            if !words.is_empty() && words.chars().count() <= 100 {
                self.close();
                self.emit(PortionKind::Heading, span, None, None);
                return;
            }
        }
        let continues_subject =
            self.open.as_ref().is_some_and(|o| o.kind == PortionKind::Subject && self.continues_subject(o, trimmed));
        match &mut self.open {
            Some(open) if open.kind == PortionKind::Heading && open.rule_top && open.lines == 1 => {
                open.extend(span, true);
            }
            Some(open) if open.kind == PortionKind::Heading => {
                self.open(Open { last_is_text: true, ..Open::new(PortionKind::Text, span) });
            }
            Some(open) if open.kind == PortionKind::Subject && continues_subject => {
                // `… DIEGO GARCIA  Classified By: …` glued on a continuation line.
                let glued = lines::find_glued_field(span, self.source)
                    .filter(|(_, found)| found.iter().any(|f| matches!(f.value, Field::ClassifiedBy)));
                let own = glued.as_ref().map_or(span, |(at, _)| Span::new(span.start, *at));
                if !self.subject_closed {
                    let own_text = self.text(own).trim().to_owned();
                    if let Some(parts) = self.subject.as_mut() {
                        parts.push(own_text);
                    }
                }
                self.extend(own, true);
                if let Some((at, found)) = glued {
                    self.close();
                    self.fields(Span::new(at, span.end), PortionKind::Subject, &found);
                }
            }
            Some(open) if open.kind == PortionKind::Tags => {
                self.open(Open { last_is_text: true, ..Open::new(PortionKind::Text, span) });
            }
            Some(_) => self.extend(span, true),
            None => self.open(Open { last_is_text: true, ..Open::new(PortionKind::Text, span) }),
        }
    }

    /// Takes a line under an open `TAGS:` block if it continues the tags: more tags up to a
    /// glued field (`SUBJECT:`, `Classified By`, `E.O.`), which is then read as a line of its
    /// own.
    fn continue_tags(&mut self, span: Span) -> bool {
        let Some(open) = self.open.as_ref() else { return false };
        let after_comma = self.text(open.last_line).trim_end().ends_with(',');
        let text = self.text(span);
        let upper = text.to_ascii_uppercase();
        let field_at = [upper.find("SUBJECT"), lines::find_field_start(text)].into_iter().flatten().min();
        let head = Span::new(span.start, span.start + field_at.unwrap_or(text.len()));
        let Some(tags) = continued_tags(self.text(head), after_comma) else { return false };
        if let Some(found) = self.tags.as_mut() {
            found.extend(tags);
        }
        self.extend(head, true);
        if head.end < span.end {
            let rest = Span::new(head.end, span.end);
            match lines::reread(rest, self.source) {
                Some(kind) => self.body_line(&Line { kind, span: rest, in_header: false }),
                None => self.extend(rest, true),
            }
        }
        true
    }

    /// Whether a text line continues the open subject: no blank line between them (unless the
    /// `SUBJECT:` line itself was empty), and not mixed-case prose under an upper-case subject.
    fn continues_subject(&self, open: &Open, line: &str) -> bool {
        // Judge the line by what comes before a `Classified By` glued on it.
        let lower = line.to_ascii_lowercase();
        let line = lower.find("classified by").map_or(line, |at| &line[..at]);
        let parts = self.subject.as_deref().unwrap_or_default();
        let empty_so_far = parts.iter().all(|p| p.trim().is_empty());
        if open.blank_after && !empty_so_far {
            return false;
        }
        let upper_subject = parts.iter().any(|p| p.chars().any(char::is_alphabetic))
            && parts.iter().all(|p| !p.chars().any(char::is_lowercase));
        !(upper_subject && line.chars().any(char::is_lowercase))
    }

    /// Splits the signature (`BURNS`) off the end of the last portion.
    fn split_signature(&mut self) {
        let source = self.source;
        let Some(index) =
            self.portions.iter().rposition(|p| !matches!(p.kind, PortionKind::Banner | PortionKind::PageMarker))
        else {
            return;
        };
        let portion = &self.portions[index];
        if !matches!(portion.kind, PortionKind::Paragraph | PortionKind::Subparagraph | PortionKind::Text) {
            return;
        }
        let text = source.get(portion.span.start..portion.span.end).unwrap_or("");
        let Some(newline) = text.trim_end().rfind('\n') else { return };
        let last = text[newline + 1..].trim();
        if !is_signature(last) {
            return;
        }
        let sig_start = portion.span.start + newline + 1;
        let sig_start = sig_start + (source[sig_start..].len() - source[sig_start..].trim_start().len());
        let new_end = portion.span.start + newline;
        let signature = Span::new(sig_start, portion.span.end);
        self.portions[index].span.end = new_end;
        let trimmed = trim_span(source, self.portions[index].span);
        self.portions[index].span = trimmed;
        let position = self.index.position(source, signature.start);
        self.portions.insert(
            index + 1,
            Portion { kind: PortionKind::Signature, number: None, marking: None, span: signature, position },
        );
    }
}

/// The subject's lines as one line: single spaces, no line-continuation backslashes, a
/// hyphen at a line end joined to the next word, cut before a glued `Ref(s):`.
fn join_subject(parts: &[String]) -> String {
    let mut out = String::new();
    for part in parts {
        let part = part.trim().trim_end_matches('\\').trim();
        if part.is_empty() {
            continue;
        }
        if !out.is_empty() && !out.ends_with('-') {
            out.push(' ');
        }
        out.push_str(part);
    }
    let mut joined = out.split_whitespace().collect::<Vec<_>>().join(" ");
    let lower = joined.to_ascii_lowercase();
    if let Some(at) = ["ref(s):", " refs:", " ref:"].iter().filter_map(|m| lower.find(m)).min() {
        joined.truncate(at);
    }
    joined.trim().to_owned()
}

/// Tags without repeats, and without the `SIPDIS` caption that is sometimes glued among them.
fn clean_tags(mut tags: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    tags.retain(|t| t != "SIPDIS" && seen.insert(t.clone()));
    tags
}

/// Tags on a continuation line of `TAGS:` (up to a glued field): upper-case tag words (any
/// case after a line that ended with a comma).
fn continued_tags(head: &str, after_comma: bool) -> Option<Vec<String>> {
    // A colon belongs to a field or a subject written without its field word, never to tags.
    if head.contains(':') {
        return None;
    }
    let tags = fields::split_tags(head);
    let tag_like = |t: &str| t.len() <= 12 && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let written_upper = head.chars().all(|c| !c.is_lowercase());
    (!tags.is_empty() && tags.iter().all(|t| tag_like(t)) && (written_upper || after_comma)).then_some(tags)
}

/// Whether a line mentions `classified by` in any case.
fn contains_classified_by(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'c', b'C', bytes)
        .any(|i| bytes.len() >= i + 13 && bytes[i..i + 13].eq_ignore_ascii_case(b"classified by"))
}

/// A signer line: one to three capitalised words, no digits or sentence punctuation.
fn is_signature(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 3
        && line.len() <= 40
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\''))
        })
        && !matches!(
            line.to_ascii_uppercase().as_str(),
            "SIPDIS"
                | "NOFORN"
                | "END SUMMARY"
                | "END COMMENT"
                | "END NOTE"
                | "UNCLASSIFIED"
                | "CONFIDENTIAL"
                | "SECRET"
        )
}

fn field_kind(field: &Field) -> PortionKind {
    match field {
        Field::Eo { .. } => PortionKind::Decl,
        Field::Tags(_) => PortionKind::Tags,
        Field::Subject { .. } => PortionKind::Subject,
        Field::Caveat => PortionKind::Caveat,
        Field::ClassifiedBy => PortionKind::ClassifiedBy,
    }
}

/// A span without surrounding whitespace (and never reaching into a newline at either end).
fn trim_span(source: &str, span: Span) -> Span {
    let Some(text) = source.get(span.start..span.end) else { return Span::new(span.start, span.start) };
    let start = span.start + (text.len() - text.trim_start().len());
    let end = span.start + text.trim_end().len();
    Span::new(start, end.max(start))
}
