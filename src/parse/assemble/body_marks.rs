//! Administrative-looking lines once the body has begun: content, unless they are this
//! document's own section banners and page markers (or an ISOO authority block), which are
//! noted where they are.

use super::{Builder, same_number};
use crate::model::{Banner, Span};
use crate::parse::line_kind::{Field, LineKind};

impl Builder<'_> {
    /// Whether a piece is an administrative line (a field, a caveat, a banner, a page marker)
    /// other than this document's own section banners and page markers.
    pub(super) fn is_administrative(&self, kind: &LineKind, span: Span) -> bool {
        // An ISOO classification authority block at the end of the body is one.
        if self.authority_lines.binary_search(&span.start).is_ok() {
            return false;
        }
        match kind {
            LineKind::Banner { banner, glued } => {
                let alone =
                    glued.is_empty() && self.text(Span::new(banner.span.end.min(span.end), span.end)).trim().is_empty();
                !(alone && self.is_own_banner(banner))
            }
            LineKind::PageMarker { post, serial, end } => {
                !self.is_own_page_marker(post.as_deref(), serial.as_deref(), Span::new(span.start, *end))
            }
            LineKind::Fields(_)
            | LineKind::DeclassifyOn { .. }
            | LineKind::DerivedFrom
            | LineKind::Reason { .. }
            | LineKind::Dated { .. }
            | LineKind::Ref
            | LineKind::ClassifiedBy { .. }
            | LineKind::Caveat { .. } => true,
            LineKind::Blank
            | LineKind::Header(_)
            | LineKind::Para { .. }
            | LineKind::Lettered { .. }
            | LineKind::Marked { .. }
            | LineKind::Rule
            | LineKind::Text => false,
        }
    }

    /// A banner line repeating this document's own: the same level, and the same post and
    /// serial when it gives them.
    pub(super) fn is_own_banner(&self, banner: &Banner) -> bool {
        let Some(own) = &self.banner else { return false };
        let same_serial = match (&own.serial, &banner.serial) {
            (Some(a), Some(b)) => same_number(a, b),
            (_, None) => true,
            (None, Some(_)) => false,
        };
        let same_post = match (&own.post, &banner.post) {
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            (_, None) => true,
            (None, Some(_)) => false,
        };
        own.level == banner.level && same_serial && same_post
    }

    /// A page marker of this document: its post (which markers may cut short, `KUALA LUMP`)
    /// and its serial are those of the document's banner.
    pub(super) fn is_own_page_marker(&self, post: Option<&str>, serial: Option<&str>, span: Span) -> bool {
        let Some(own) = &self.banner else { return false };
        let (Some(own_post), Some(own_serial)) = (own.post.as_deref(), own.serial.as_deref()) else { return false };
        if let (Some(post), Some(serial)) = (post, serial) {
            let post = post.trim();
            return same_number(own_serial, serial)
                && !post.is_empty()
                && own_post.to_ascii_uppercase().starts_with(&post.to_ascii_uppercase());
        }
        // An old telegram's `PAGE 02 POST 05461 02 OF 02 271458Z`: the post and the serial are
        // on the line.
        let text = self.text(span).to_ascii_uppercase();
        text.contains(&own_post.to_ascii_uppercase())
            && text.split_whitespace().any(|word| same_number(own_serial, word))
    }

    /// Facts an administrative-looking line inside the body still gives: a declassification
    /// instruction (a correction, a cable quoted in this one) and a banner's level count, fail
    /// closed, though the line itself is content.
    pub(super) fn note_in_body(&mut self, kind: &LineKind, span: Span) {
        match kind {
            LineKind::Fields(found) => {
                for field in found {
                    if let Field::Eo { order, decl } = &field.value {
                        self.record_decl(decl.as_deref().cloned(), order.clone(), field.span);
                    }
                }
            }
            LineKind::DeclassifyOn { decl, .. } => self.record_decl(Some((**decl).clone()), None, span),
            LineKind::Banner { banner, glued } => {
                self.note_banner(banner, span);
                for field in glued {
                    if let Field::Eo { order, decl } = &field.value {
                        self.record_decl(decl.as_deref().cloned(), order.clone(), field.span);
                    }
                }
            }
            _ => {}
        }
    }

    /// Records a banner: the first is the document's; a later one with another level is a
    /// second marking (a cable quoted inside this one) that raises what unmarked text inherits.
    pub(super) fn note_banner(&mut self, banner: &Banner, span: Span) {
        match &self.banner {
            None => self.banner = Some(banner.clone()),
            Some(own) => {
                if banner.level > own.level && self.highest_banner.is_none_or(|l| banner.level > l) {
                    self.warn(
                        span,
                        format!(
                            "a second banner `{}` marks this document higher than its own `{}`: unmarked text is judged at {}",
                            banner.raw, own.raw, banner.level
                        ),
                    );
                }
                self.highest_banner = self.highest_banner.max(Some(banner.level));
            }
        }
    }
}
