//! The typed document model: what a parsed cable or ISOO document is made of.
//!
//! The model owns the source text and everything derived from it. Every element keeps its
//! byte span in the source (and the parser records its line and column), so that decisions
//! can point at the text and release output can be built by copying the source and
//! replacing only redacted spans. Marks and instructions the parser does not recognise are
//! kept verbatim as *unrecognised*, never guessed.

mod decl;
mod marking;
mod portion;
mod position;

use chrono::NaiveDate;

pub use decl::{ClassifiedBy, Decl, DeclKind, Reasons};
pub use marking::{
    Banner, Classification, ClassificationSource, Control, HANDLING_CAVEATS, Level, MarkValue, Marking,
    handling_caveats,
};
pub use portion::{Marker, MarkerKind, Portion, PortionKind};
pub use position::{LineIndex, Position, Span};

/// The publisher's preamble table, kept apart from the document's own marking.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Preamble {
    /// `Identifier` value, e.g. `08MOSCOW434`.
    pub identifier: String,
    /// `Created` value as written, e.g. `2008-02-15 14:41:00`.
    pub created: String,
    /// `Classification` value as published, e.g. `CONFIDENTIAL//NOFORN`.
    pub classification: String,
    /// `Origin` value, e.g. `Embassy Moscow`.
    pub origin: String,
}

/// What the transmission header says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TransmissionHeader {
    /// Precedence letters of the DTG line (`O`, `P`, `R`, `Z`).
    pub precedence: Option<String>,
    /// The date-time group as written (`151441Z FEB 08`).
    pub dtg: Option<String>,
    /// The date of the date-time group.
    pub dtg_date: Option<NaiveDate>,
    /// `FM` line.
    pub from: Option<String>,
    /// `TO` addressees, one per line.
    pub to: Vec<String>,
    /// `INFO` addressees, one per line.
    pub info: Vec<String>,
    /// The level witnessed by the security line (`ZNY CCCCC`).
    pub routing_level: Option<Level>,
    /// The security line as written.
    pub routing_raw: Option<String>,
    /// Whether the publisher notes that only a partial extract survives.
    pub partial_extract: bool,
}

/// A problem that makes the parse untrustworthy; the engine fails closed on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// Where it is.
    pub position: Position,
    /// What is wrong, lower case, user text in backticks.
    pub message: String,
}

/// A parsed document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The source text exactly as read (without any BOM removed: spans index into it).
    pub source: String,
    /// The document's identifier (`08MOSCOW434`), from the preamble or the banner and DTG.
    pub id: Option<String>,
    /// The publisher's preamble, if present.
    pub preamble: Option<Preamble>,
    /// The transmission header.
    pub header: TransmissionHeader,
    /// The first banner line, if any.
    pub banner: Option<Banner>,
    /// The overall classification.
    pub classification: Classification,
    /// The executive order cited on the declassification line (`12958`).
    pub order: Option<String>,
    /// The declassification instruction: the document's first.
    pub decl: Decl,
    /// Further instructions, in document order: a correction, or the line of a cable quoted
    /// inside this one. Each governs, with those before it, the portions after it.
    pub later_decls: Vec<Decl>,
    /// Reasons cited for classification.
    pub reasons: Reasons,
    /// The classification authority.
    pub classified_by: Option<ClassifiedBy>,
    /// `TAGS`, upper case, in written order.
    pub tags: Vec<String>,
    /// Handling caveats on the document's caveat lines and banner ([`HANDLING_CAVEATS`]), in
    /// that order, without repeats.
    pub caveats: Vec<&'static str>,
    /// The subject, one line, without its mark.
    pub subject: Option<String>,
    /// The document's date of origin: the latest of the preamble's `Created`, the DTG and the
    /// other dates the document gives for itself (when they disagree, the later one makes the
    /// automatic dates later: fail closed; see `warnings`).
    pub created: Option<NaiveDate>,
    /// Every portion, in document order; together they cover all non-blank text.
    pub portions: Vec<Portion>,
    /// Problems found; a document with problems is never released by the engine.
    pub errors: Vec<Issue>,
    /// Facts a reviewer should know that do not stop a release: origin dates that disagree,
    /// several declassification instructions, a second banner.
    pub warnings: Vec<Issue>,
}

impl Document {
    /// The text of a span of this document (empty if the span is out of range).
    #[must_use]
    pub fn text(&self, span: Span) -> &str {
        self.source.get(span.start..span.end).unwrap_or("")
    }

    /// Numbered and marked paragraphs and subparagraphs.
    pub fn paragraphs(&self) -> impl Iterator<Item = &Portion> {
        self.portions.iter().filter(|p| matches!(p.kind, PortionKind::Paragraph | PortionKind::Subparagraph))
    }

    /// Checks that the portions tile the document: in order, without overlaps, and every byte
    /// outside them a blank. Release text copies only the bytes of released portions and the
    /// blanks between them, so a byte outside every portion would be a byte nobody decided.
    ///
    /// # Errors
    /// The first offending span and what is wrong with it.
    pub fn check_tiling(&self) -> Result<(), (Span, &'static str)> {
        let mut at = 0;
        for portion in &self.portions {
            let span = portion.span;
            if span.start < at {
                return Err((span, "overlaps the portion before it"));
            }
            if span.end > self.source.len() || span.is_empty() {
                return Err((span, "is empty or outside the document"));
            }
            if !is_blank(self.text(Span::new(at, span.start))) {
                return Err((Span::new(at, span.start), "belongs to no portion"));
            }
            at = span.end;
        }
        if !is_blank(self.source.get(at..).unwrap_or("")) {
            return Err((Span::new(at, self.source.len()), "belongs to no portion"));
        }
        Ok(())
    }
}

/// A message in the project's style: lower-case first letter, and of an OS error no
/// `(os error N)` (`No such file or directory (os error 2)` → `no such file or directory`).
#[must_use]
pub fn lower_first(message: &str) -> String {
    let message = message.split(" (os error").next().unwrap_or(message);
    let mut chars = message.chars();
    chars.next().map_or_else(String::new, |first| first.to_lowercase().chain(chars).collect())
}

/// A date written `YYYY-MM-DD` (surrounding blanks allowed), the form of every date declass
/// reads from its own options, policies and tests.
#[must_use]
pub fn iso_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// Whether text between portions is only blanks and line breaks (the separators that belong
/// to no portion).
#[must_use]
pub fn is_blank(text: &str) -> bool {
    text.chars().all(char::is_whitespace)
}
