//! The transmission header: its lines in order, the security line, the date-time group, and
//! the content a publisher's copy glued into it.

use super::Builder;
use crate::model::{PortionKind, Span};
use crate::parse::line_kind::{HeaderLine, Line, LineKind};
use crate::parse::{dates, pieces};

impl Builder<'_> {
    /// The transmission header: its values, and its portions. Header lines are released as
    /// administrative lines, so anything in them that is content is split off: the publisher's
    /// `Cable title:` block (a copy of the subject) becomes a subject portion, and a banner
    /// glued to `Cable dated:` is read with its glued fields like any banner line.
    pub(super) fn header_lines(&mut self, lines: &[Line]) {
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
            if matches!(line.kind, LineKind::Header(HeaderLine::CableTitle)) {
                if let Some(span) = run.take() {
                    self.emit(PortionKind::Header, span, None, None);
                }
                title = Some(line.span);
                continue;
            }
            let LineKind::Header(header) = &line.kind else { continue };
            if let HeaderLine::CableDated { date, banner } = header {
                self.cable_dated = Some(date.clone());
                if let Some((banner, glued)) = banner.as_deref() {
                    if let Some(span) = run.take() {
                        self.emit(PortionKind::Header, span, None, None);
                    }
                    self.emit(PortionKind::Header, Span::new(line.span.start, banner.span.start), None, None);
                    self.banner.get_or_insert_with(|| banner.clone());
                    self.fields(
                        Span::new(banner.span.start, line.span.end),
                        Some((PortionKind::Banner, banner.span.end)),
                        glued,
                    );
                    self.close();
                    continue;
                }
            }
            match &mut run {
                Some(span) => span.end = line.span.end,
                None => run = Some(line.span),
            }
            match header {
                HeaderLine::CableDated { .. } | HeaderLine::CableTitle | HeaderLine::Other => {}
                HeaderLine::Notice => self.header.partial_extract = true,
                HeaderLine::Security { code } => {
                    self.header.routing_level = pieces::security_level(code);
                    self.header.routing_raw = Some(text.trim().to_owned());
                }
                HeaderLine::Dtg { precedence, dtg } => {
                    if self.header.dtg.is_none() {
                        self.header.precedence = Some(precedence.clone());
                        self.header.dtg_date = dates::dtg_date(dtg);
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
}
