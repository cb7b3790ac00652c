//! Body text that is not a paragraph's start: headings (a short line against a rule of
//! dashes), plain text lines, and the signature at the end.

use super::{Builder, Open, trim_span};
use crate::model::{Portion, PortionKind, Span};
use crate::parse::line_kind::Field;
use crate::parse::pieces;

impl Builder<'_> {
    pub(super) fn rule(&mut self, span: Span) {
        let source = self.source;
        if let Some(open) = &mut self.open {
            // A heading between two rules: this rule closes the box.
            if open.kind == PortionKind::Heading && open.rule_top {
                // Interruptions met since the last line are inside the box now.
                self.pending.clear();
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
                self.pending.clear();
                self.close();
                return;
            }
            // The last line of a flowing portion, after a blank line, is a heading above a rule.
            if open.is_flowing() && open.lines >= 2 && open.last_is_text && open.blank_before_last && heading_like {
                let heading_start = open.last_line.start;
                open.end = open.prev_end;
                // What the paragraph took in with its last line stands between it and the heading.
                // (Interruptions met after it are inside the heading.)
                let absorbed = std::mem::take(&mut open.absorbed);
                self.pending.clear();
                self.close();
                for (kind, span) in absorbed {
                    self.emit(kind, span, None, None);
                }
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

    pub(super) fn text_line(&mut self, span: Span) {
        let text = self.text(span);
        // Fields glued into a front-matter line: `DEPT FOR WHA/BSC E.O. 12958: DECL: …`.
        let in_tags = self.open.as_ref().is_some_and(|o| o.kind == PortionKind::Tags);
        if in_tags && self.continue_tags(span) {
            return;
        }
        let in_subject = self.open.as_ref().is_some_and(|o| o.kind == PortionKind::Subject);
        if !self.main_text_started
            && !in_subject
            && let Some((at, found)) = pieces::find_glued_field(span, self.source)
            && (self.decl.is_none() || found.iter().all(|f| matches!(f.value, Field::ClassifiedBy { .. })))
        {
            // What comes before the field continues an open `REF:` list only if it is a reference.
            let head = Span::new(span.start, at);
            let continues_ref =
                self.open.as_ref().is_some_and(|o| o.kind == PortionKind::Ref) && is_reference_line(self.text(head));
            if continues_ref {
                self.extend(head, true);
                self.close();
                self.fields(Span::new(at, span.end), None, &found);
            } else {
                self.close();
                self.fields(span, Some((PortionKind::Text, at)), &found);
            }
            return;
        }
        // The reasons of a `Classified By:` wrapped onto this line.
        if self.continue_authority(span) {
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
                let glued = pieces::find_glued_field(span, self.source)
                    .filter(|(_, found)| found.iter().any(|f| matches!(f.value, Field::ClassifiedBy { .. })));
                let own = glued.as_ref().map_or(span, |(at, _)| Span::new(span.start, *at));
                let source = self.source;
                let own_text = source.get(own.start..own.end).unwrap_or("").trim();
                // Under a subject with a mark of its own, a continuation in mixed case is the
                // subject's text as far as its field goes, but its portion is judged on its own:
                // it might be the text that follows, and must not be released under the mark.
                let marked = open.marking.is_some();
                let in_capitals =
                    !own_text.chars().any(char::is_lowercase) && self.subject_letters && !self.subject_lower;
                if !self.subject_closed {
                    let own_text = own_text.to_owned();
                    self.note_subject_part(&own_text);
                    if let Some(parts) = self.subject.as_mut() {
                        parts.push(own_text);
                    }
                }
                if marked && !in_capitals {
                    self.close();
                    self.subject_closed = true;
                    self.open(Open { last_is_text: true, ..Open::new(PortionKind::Text, own) });
                } else {
                    self.extend(own, true);
                }
                if let Some((at, found)) = glued {
                    self.close();
                    self.fields(Span::new(at, span.end), None, &found);
                }
            }
            Some(open) if open.kind == PortionKind::Ref && !open.blank_after && is_reference_line(trimmed) => {
                open.extend(span, true);
            }
            // A `TAGS:`, `REF:` or `Classified By:` line (or a subject) ends at its own end: a
            // line under it that does not continue it is content.
            Some(open) if open.is_block() => {
                self.open(Open { last_is_text: true, ..Open::new(PortionKind::Text, span) });
            }
            Some(_) => self.extend(span, true),
            None => self.open(Open { last_is_text: true, ..Open::new(PortionKind::Text, span) }),
        }
    }

    /// Splits the signature (`BURNS`) off the end of the last portion.
    pub(super) fn split_signature(&mut self) {
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
            Portion {
                kind: PortionKind::Signature,
                number: None,
                marking: None,
                span: signature,
                position,
                embedded: Vec::new(),
            },
        );
    }
}

/// Whether a line under `REF:` is another reference of the list (`B. 08 MOSCOW 1234`,
/// `(C) STATE 56789 (NOTAL)`, `B) Tijuana 921`): a label, then a post or originator and a
/// number, with nothing that reads as prose.
pub(super) fn is_reference_line(line: &str) -> bool {
    const LINKS: [&str; 8] = ["and", "notal", "(notal)", "(notal),", "of", "dated", "email", "para"];
    let line = line.trim();
    if line.is_empty() || line.len() > 100 || !line.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    line.split_whitespace().all(|word| {
        let bare = word.trim_matches([',', ';', '.', ':', '(', ')']);
        bare.is_empty()
            || !bare.bytes().any(|b| b.is_ascii_lowercase())
            || bare.chars().next().is_some_and(char::is_uppercase) && bare.len() > 1
            || LINKS.contains(&word.to_ascii_lowercase().as_str())
            || LINKS.contains(&bare.to_ascii_lowercase().as_str())
    })
}

/// Whether two serial numbers are the same number (`000434` and `00000434`).
pub(super) fn same_number(a: &str, b: &str) -> bool {
    let a = a.trim().trim_start_matches('0');
    let b = b.trim().trim_start_matches('0');
    !a.is_empty() && a == b && a.bytes().all(|c| c.is_ascii_digit())
}

/// A signer line: one to three capitalised words, no digits or sentence punctuation.
pub(super) fn is_signature(line: &str) -> bool {
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
