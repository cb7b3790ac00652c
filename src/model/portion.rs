//! Portions, the pieces that tile a document (paragraphs, headings, header lines…), and the
//! markers found inside them.

use std::fmt;

use super::{Marking, Position, Span};

/// What a portion of a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PortionKind {
    /// The publisher's table in front of the document (`Identifier`, `Created`…).
    Preamble,
    /// Transmission header lines (`VZCZC…`, DTG, `FM`, `TO`, `INFO`).
    Header,
    /// A banner line (first, repeated section banners, bottom banner).
    Banner,
    /// Caveat and caption lines (`SIPDIS`, `NOFORN`, `STATE FOR …`).
    Caveat,
    /// The declassification line (`E.O. 12958: DECL: …`, `Declassify On: …`).
    Decl,
    /// The `TAGS:` line.
    Tags,
    /// The `SUBJECT:` line(s).
    Subject,
    /// The `REF:` list.
    Ref,
    /// The classification authority (`Classified By:`, `Derived From:`, `Reason:`).
    ClassifiedBy,
    /// A page marker or old telegram page header inside the body.
    PageMarker,
    /// A numbered paragraph, or an unnumbered paragraph that starts with a mark.
    Paragraph,
    /// A lettered or bulleted subparagraph that carries its own mark.
    Subparagraph,
    /// A heading (underlined, boxed, or glued to a rule of dashes).
    Heading,
    /// Body text that belongs to no paragraph (before the first one, for instance).
    Text,
    /// The signature at the end of a cable.
    Signature,
}

impl PortionKind {
    /// All kinds, in document order of their usual appearance.
    pub const ALL: [Self; 15] = [
        Self::Preamble,
        Self::Header,
        Self::Banner,
        Self::Caveat,
        Self::Decl,
        Self::Tags,
        Self::Subject,
        Self::Ref,
        Self::ClassifiedBy,
        Self::PageMarker,
        Self::Paragraph,
        Self::Subparagraph,
        Self::Heading,
        Self::Text,
        Self::Signature,
    ];

    /// The kind's name in reports, policies and JSON.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Preamble => "preamble",
            Self::Header => "header",
            Self::Banner => "banner",
            Self::Caveat => "caveat",
            Self::Decl => "decl",
            Self::Tags => "tags",
            Self::Subject => "subject",
            Self::Ref => "ref",
            Self::ClassifiedBy => "classified_by",
            Self::PageMarker => "page_marker",
            Self::Paragraph => "paragraph",
            Self::Subparagraph => "subparagraph",
            Self::Heading => "heading",
            Self::Text => "text",
            Self::Signature => "signature",
        }
    }

    /// Reads a kind name as written in a policy.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// Administrative lines that carry markings and routing rather than content:
    /// together they are the `header_line` group of the policy language.
    #[must_use]
    pub const fn is_header_line(self) -> bool {
        matches!(
            self,
            Self::Preamble
                | Self::Header
                | Self::Banner
                | Self::Caveat
                | Self::Decl
                | Self::Tags
                | Self::Ref
                | Self::ClassifiedBy
                | Self::PageMarker
        )
    }
}

impl fmt::Display for PortionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One portion of a document: the unit a policy decides on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Portion {
    /// What it is.
    pub kind: PortionKind,
    /// Paragraph number or subparagraph label as written (`3`, `A`), if any.
    pub number: Option<String>,
    /// The portion's own mark, if it carries one (boxed: a document has a portion for every
    /// paragraph and field, most of them without a mark of their own or read once).
    pub marking: Option<Box<Marking>>,
    /// The whole portion, from its first character to the end of its last non-blank line.
    pub span: Span,
    /// Where the portion starts.
    pub position: Position,
    /// Marks found inside the portion's text where a paragraph could start (or anywhere, in an
    /// administrative line): classified marks and marks in disguise. Empty unless the grammar
    /// missed a portion start; the engine judges the portion at the highest of them.
    pub embedded: Vec<Marking>,
}

impl Portion {
    /// The portion as reports name it: `paragraph 3`, `subparagraph A`, `subject`.
    #[must_use]
    pub fn name(&self) -> String {
        match (&self.number, self.kind) {
            (Some(n), PortionKind::Paragraph | PortionKind::Subparagraph) => format!("{} {n}", self.kind),
            _ => self.kind.name().to_owned(),
        }
    }
}

/// `SUMMARY`/`COMMENT` brackets and similar markers inside the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerKind {
    /// `SUMMARY:` or `BEGIN SUMMARY`.
    Summary,
    /// `END SUMMARY`.
    EndSummary,
    /// `COMMENT:`.
    Comment,
    /// `END COMMENT`.
    EndComment,
    /// `BEGIN TEXT`.
    BeginText,
    /// `END TEXT`.
    EndText,
}

impl MarkerKind {
    /// Name in reports and JSON.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Summary => "summary",
            Self::EndSummary => "end_summary",
            Self::Comment => "comment",
            Self::EndComment => "end_comment",
            Self::BeginText => "begin_text",
            Self::EndText => "end_text",
        }
    }
}

/// A marker found in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marker {
    /// Which marker.
    pub kind: MarkerKind,
    /// Where it is.
    pub span: Span,
}
