//! The document's front matter as it is met: the declassification line, TAGS, SUBJECT and
//! the classification authority, with their continuation lines, recorded on the document.

use super::{Builder, Open, is_signature};
use crate::model::{Control, Decl, DeclKind, Marking, PortionKind, Span};
use crate::parse::fields;
use crate::parse::line_kind::{Field, Line, LineKind, Located};
use crate::parse::pieces;

impl Builder<'_> {
    /// Whether an open `Classified By` block ends in the middle of its reason, so that this
    /// line (`4 (b) and (d)`, `(C) and (D)`) finishes it rather than starting a paragraph.
    pub(super) fn takes_reason_continuation(&self, marking: Option<&Marking>, rest: Span) -> bool {
        let Some(open) = &self.open else { return false };
        // A reason wraps onto a line or two, not more.
        if open.kind != PortionKind::ClassifiedBy || open.blank_after || open.complete || open.lines >= 4 {
            return false;
        }
        // Only the end of the block says whether its reason is cut short (and a block of many
        // lines stays linear).
        let mut from = open.end.saturating_sub(32).max(open.start);
        while !self.source.is_char_boundary(from) {
            from += 1;
        }
        let block = self.text(Span::new(from, open.end)).trim_end().to_ascii_lowercase();
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

    /// Continues an open `Classified By` block whose reasons are not complete yet with the line
    /// at `span`, up to where its reasons end; what follows them on the line is content.
    /// Returns false (and takes nothing) when the line does not complete the reasons.
    pub(super) fn continue_authority(&mut self, span: Span) -> bool {
        let Some(open) = &self.open else { return false };
        if open.kind != PortionKind::ClassifiedBy || open.complete || open.blank_after || open.lines >= 3 {
            return false;
        }
        // The classifier's name wrapped onto the line below its title (`Classified By: Special
        // Representative for Afghanistan and Pakistan` ⏎ `Richard C. Holbrooke`).
        if open.lines == 1 && is_signature(self.text(span).trim()) {
            self.extend(span, true);
            return true;
        }
        let (end, found) = self.classified_by_end(Span::new(open.start, span.end));
        if !found || end <= span.start {
            return false;
        }
        self.extend(Span::new(span.start, end), false);
        if let Some(open) = &mut self.open {
            open.complete = true;
        }
        self.rest_of_line(Span::new(end, span.end));
        true
    }

    /// Emits the portions of a line made of fields: the lead (a banner or caveat) up to where
    /// it ends, then each field up to where it ends. Text on the line that no field takes is
    /// never part of a field: it is read again as a piece of its own (a `REF:` glued between
    /// fields, a paragraph, prose).
    pub(super) fn fields(&mut self, line: Span, lead: Option<(PortionKind, usize)>, found: &[Located<Field>]) {
        let mut at = line.start;
        if let Some((kind, end)) = lead {
            let end = end.clamp(line.start, found.first().map_or(line.end, |f| f.span.start.max(line.start)));
            let end =
                if kind.is_header_line() { self.cut_at_mark(Span::new(line.start, end), kind, None) } else { end };
            self.emit(kind, Span::new(line.start, end), None, None);
            at = end;
        }
        self.record_fields(found);
        for (i, field) in found.iter().enumerate() {
            let start = field.span.start.clamp(at, line.end);
            self.rest_of_line(Span::new(at, start));
            let limit = found.get(i + 1).map_or(line.end, |next| next.span.start.clamp(start, line.end));
            let span = Span::new(start, field.span.end.clamp(start, limit));
            let own = match &field.value {
                Field::Subject { marking, .. } => marking.as_ref().map(|m| m.span.start),
                _ => None,
            };
            let span = Span::new(start, self.cut_at_mark(span, field_kind(&field.value), own));
            let cut = span.end < field.span.end.clamp(start, limit);
            let is_last = i + 1 == found.len() && !cut;
            self.close();
            match &field.value {
                Field::Subject { marking, .. } if is_last => {
                    let mut open = Open::new(PortionKind::Subject, span);
                    open.marking = marking.as_deref().cloned();
                    self.open(open);
                }
                Field::Subject { marking, .. } => {
                    self.emit(PortionKind::Subject, span, None, marking.as_deref().cloned());
                }
                Field::ClassifiedBy { complete } => {
                    let mut open = Open::new(PortionKind::ClassifiedBy, span);
                    open.complete = *complete || cut;
                    self.open(open);
                }
                Field::Tags(_) if is_last => self.open(Open::new(PortionKind::Tags, span)),
                value => self.emit(field_kind(value), span, None, None),
            }
            at = span.end;
        }
        self.rest_of_line(Span::new(at, line.end));
    }

    /// Takes the document-level values from fields, first occurrence first.
    pub(super) fn record_fields(&mut self, found: &[Located<Field>]) {
        for field in found {
            match &field.value {
                Field::Eo { order, decl } => self.record_decl(decl.as_deref().cloned(), order.clone(), field.span),
                Field::Tags(tags) => {
                    if self.tags.is_none() {
                        self.tags = Some(tags.clone());
                    }
                }
                Field::Subject { text, .. } => {
                    if self.subject.is_none() {
                        self.note_subject_part(text);
                        self.subject = Some(vec![text.clone()]);
                    }
                }
                Field::Caveat | Field::ClassifiedBy { .. } => {}
            }
        }
        if found.iter().any(|f| matches!(f.value, Field::Caveat))
            && found.iter().any(|f| self.text(f.span).starts_with("NOFORN"))
        {
            self.caveat_controls.push(Control::Noforn);
        }
    }

    /// Records a declassification instruction. The first is the document's (an `E.O. 12958:`
    /// without one is completed by a `DECL:` wrapped below it); a different one later is a
    /// further instruction that governs, with the earlier ones, what follows it. Only a further
    /// instruction that decides something counts: a line that cites the order for its reasons
    /// (`E.O. 12958, 1.4(D)`) or prose that mentions it (`E.O. 12958 was cited by …`) is none.
    pub(super) fn record_decl(&mut self, decl: Option<Decl>, order: Option<String>, span: Span) {
        let Some(first) = &self.decl else {
            if order.is_some() {
                self.order = order;
            }
            self.decl = Some(decl.unwrap_or_else(|| Decl {
                kind: DeclKind::Missing,
                date: None,
                exemptions: Vec::new(),
                raw: String::new(),
                span: Some(span),
            }));
            return;
        };
        let Some(decl) = decl else { return };
        if first.kind == DeclKind::Missing {
            self.decl = Some(decl);
            return;
        }
        let decides = !matches!(decl.kind, DeclKind::Missing | DeclKind::Event | DeclKind::Unrecognized);
        let same = |d: &Decl| d.kind == decl.kind && d.date == decl.date && d.exemptions == decl.exemptions;
        // (Compared with the first and the last only: a line of a thousand repeated
        // instructions stays linear.)
        if decides && !same(first) && !self.later_decls.last().is_some_and(same) {
            self.warn(
                span,
                format!(
                    "a further declassification instruction `{}` after `{}`: the more restrictive governs what follows it",
                    decl.raw, first.raw
                ),
            );
            self.later_decls.push(decl);
        }
    }

    /// Takes a line under an open `TAGS:` block if it continues the tags: more tags up to a
    /// glued field (`SUBJECT:`, `Classified By`, `E.O.`), which is then read as a line of its
    /// own.
    pub(super) fn continue_tags(&mut self, span: Span) -> bool {
        let Some(open) = self.open.as_ref() else { return false };
        let after_comma = self.text(open.last_line).trim_end().ends_with(',');
        // A list written in lower case (`Tags: prel, pgov,`) may go on in lower case.
        let block = self.text(Span::new(open.start, open.end));
        let lower_list = !block.get(4..).unwrap_or("").chars().any(char::is_uppercase);
        let text = self.text(span);
        let upper = text.to_ascii_uppercase();
        let field_at = [upper.find("SUBJECT"), pieces::find_field_start(text)].into_iter().flatten().min();
        let head = Span::new(span.start, span.start + field_at.unwrap_or(text.len()));
        let Some(tags) = continued_tags(self.text(head), after_comma && lower_list) else { return false };
        if let Some(found) = self.tags.as_mut() {
            found.extend(tags);
        }
        self.extend(head, true);
        if head.end < span.end {
            let rest = Span::new(head.end, span.end);
            match pieces::reread(rest, self.source) {
                Some(kind) => self.body_line(&Line { kind, span: rest, in_header: false }),
                None => self.extend(rest, true),
            }
        }
        true
    }

    /// Whether a text line continues the open subject: no blank line between them (unless the
    /// `SUBJECT:` line itself was empty), and not mixed-case prose under an upper-case subject.
    pub(super) fn continues_subject(&self, open: &Open, line: &str) -> bool {
        // Judge the line by what comes before a `Classified By` glued on it.
        let lower = line.to_ascii_lowercase();
        let line = lower.find("classified by").map_or(line, |at| &line[..at]);
        if open.blank_after && self.subject_text {
            return false;
        }
        let upper_subject = self.subject_letters && !self.subject_lower;
        !(upper_subject && line.chars().any(char::is_lowercase))
    }

    /// Notes what a part of the subject holds (so that judging a continuation line does not
    /// rescan the whole subject: a subject of many lines stays linear).
    pub(super) fn note_subject_part(&mut self, part: &str) {
        self.subject_letters |= part.chars().any(char::is_alphabetic);
        self.subject_lower |= part.chars().any(char::is_lowercase);
        self.subject_text |= !part.trim().is_empty();
    }
}

/// The subject's lines as one line: single spaces, no line-continuation backslashes, a
/// hyphen at a line end joined to the next word, cut before a glued `Ref(s):`.
pub(super) fn join_subject(parts: &[String]) -> String {
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
pub(super) fn clean_tags(mut tags: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::with_hasher(foldhash::fast::RandomState::default());
    tags.retain(|t| t != "SIPDIS" && seen.insert(t.clone()));
    tags
}

/// Tags on a continuation line of `TAGS:` (up to a glued field): upper-case tag words, or
/// lower-case ones where a lower-case list ended its line with a comma.
pub(super) fn continued_tags(head: &str, lower_after_comma: bool) -> Option<Vec<String>> {
    // A colon belongs to a field or a subject written without its field word, never to tags.
    if head.contains(':') {
        return None;
    }
    let tags = fields::split_tags(head);
    let tag_like = |t: &str| t.len() <= 12 && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let written_upper = head.chars().all(|c| !c.is_lowercase());
    (!tags.is_empty() && tags.iter().all(|t| tag_like(t)) && (written_upper || lower_after_comma)).then_some(tags)
}

/// The starts of the lines that form classification authority blocks (`Classified By:`,
/// `Derived From:`, `Reason:`, `Declassify On:`): at least two such lines in a row after a
/// blank line, each of them the whole field and holding no mark. Such a block is
/// administrative wherever it stands (ISOO documents put it at the end); a lone field-like
/// line inside the body is content.
///
/// The ends of the `Classified By` fields it reads are kept in `ends`, for the builder.
pub(super) fn authority_blocks(lines: &[Line], source: &str, ends: &mut Vec<(Span, (usize, bool))>) -> Vec<usize> {
    let mut whole = |line: &Line| {
        let text = source.get(line.span.start..line.span.end).unwrap_or("");
        let rest = |end: usize| source.get(end.min(line.span.end)..line.span.end).unwrap_or("").trim().is_empty();
        // Searched only for the kinds that ask (most lines are none of these).
        let no_mark = || !text.contains('(') || !text.contains(')');
        match &line.kind {
            LineKind::DeclassifyOn { end, .. } | LineKind::Reason { end, .. } => rest(*end),
            LineKind::DerivedFrom => no_mark(),
            // `Declassify On: 20361231` read as a `DECL` line.
            LineKind::Fields(found) => match found.as_slice() {
                [field] => {
                    matches!(field.value, Field::Eo { .. })
                        && rest(field.span.end)
                        && text.trim_start().starts_with(['D', 'd'])
                }
                _ => false,
            },
            LineKind::ClassifiedBy { marking: None } => {
                no_mark() || {
                    let end = pieces::classified_by_end(line.span, source);
                    ends.push((line.span, end));
                    end.1
                }
            }
            _ => false,
        }
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let after_blank = i == 0 || matches!(lines[i - 1].kind, LineKind::Blank);
        let mut j = i;
        while j < lines.len() && !lines[j].in_header && whole(&lines[j]) {
            j += 1;
        }
        if after_blank && j - i >= 2 {
            out.extend(lines[i..j].iter().map(|l| l.span.start));
        }
        i = j.max(i + 1);
    }
    out
}

/// Whether a line mentions `classified by` in any case.
pub(super) fn contains_classified_by(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'c', b'C', bytes)
        .any(|i| bytes.len() >= i + 13 && bytes[i..i + 13].eq_ignore_ascii_case(b"classified by"))
}

pub(super) fn field_kind(field: &Field) -> PortionKind {
    match field {
        Field::Eo { .. } => PortionKind::Decl,
        Field::Tags(_) => PortionKind::Tags,
        Field::Subject { .. } => PortionKind::Subject,
        Field::Caveat => PortionKind::Caveat,
        Field::ClassifiedBy { .. } => PortionKind::ClassifiedBy,
    }
}
