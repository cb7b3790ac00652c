//! What the first stage says of each line: its kind, with the values the grammar read on it
//! (a banner, the fields glued on a line, a paragraph's number and mark…).

use crate::model::{Banner, Decl, Marking, Reasons, Span};

/// A field found on a line, possibly glued behind another one.
#[derive(Debug, Clone)]
pub(crate) enum Field {
    /// An `E.O.` field: the order and its instruction.
    Eo { order: Option<String>, decl: Option<Box<Decl>> },
    /// `TAGS:` and its tags.
    Tags(Vec<String>),
    /// `SUBJECT:`, its mark and the subject text on this line.
    Subject { marking: Option<Box<Marking>>, text: String },
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

/// What one line is. The larger values are boxed: a document has a `Line` for every line,
/// most of them `Text` or `Blank`, and a list of large lines costs more to fill and walk than
/// the few allocations of the structured ones.
#[derive(Debug, Clone)]
pub(crate) enum LineKind {
    Blank,
    /// A transmission header line.
    Header(HeaderLine),
    Banner {
        banner: Box<Banner>,
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
        decl: Box<Decl>,
        end: usize,
    },
    /// ISOO `Derived From:`.
    DerivedFrom,
    /// ISOO `Reason:`, the field ending at `end`.
    Reason {
        reasons: Box<Reasons>,
        end: usize,
    },
    /// `Date: 12 May 2011`, the field ending at `end`.
    Dated {
        date: Option<chrono::NaiveDate>,
        end: usize,
    },
    Ref,
    ClassifiedBy {
        marking: Option<Box<Marking>>,
    },
    /// Caveat words (`SIPDIS`, `STATE FOR INR/B`) up to `words_end`, then fields glued on;
    /// `noforn` when a `NOFORN` is written on the line.
    Caveat {
        glued: Vec<Located<Field>>,
        words_end: usize,
        noforn: bool,
    },
    Para {
        number: String,
        marking: Option<Box<Marking>>,
        text: Span,
    },
    Lettered {
        label: String,
        marking: Box<Marking>,
    },
    Marked {
        marking: Box<Marking>,
    },
    Rule,
    Text,
}

/// Transmission header lines.
#[derive(Debug, Clone)]
pub(crate) enum HeaderLine {
    CableDated {
        date: String,
        banner: Option<Box<(Banner, Vec<Located<Field>>)>>,
    },
    Notice,
    /// The web viewer's `Cable title:`, which a copy of the subject follows.
    CableTitle,
    Security {
        code: String,
    },
    Dtg {
        precedence: String,
        dtg: String,
    },
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

// A document has a `Line` for every line: keep it small (with the values inline it was 200
// bytes; the large ones are boxed).
const _: () = assert!(std::mem::size_of::<Line>() <= 88);
