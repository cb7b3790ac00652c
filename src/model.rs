//! The typed document model: what a parsed cable or ISOO document is made of.
//!
//! The model owns the source text and everything derived from it. Every element keeps its
//! byte span in the source (and the parser records its line and column), so that decisions
//! can point at the text and release output can be built by copying the source and
//! replacing only redacted spans. Marks and instructions the parser does not recognise are
//! kept verbatim as *unrecognised*, never guessed.

use std::fmt;

use chrono::NaiveDate;

/// A half-open byte range `[start, end)` into the document's source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    #[must_use]
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// Number of bytes covered.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers nothing.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.end <= self.start
    }
}

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Position {
    /// Line number, from 1.
    pub line: u32,
    /// Column number, from 1, in characters.
    pub col: u32,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// Classification levels, ordered from least to most restrictive.
///
/// `Sbu` (State's "sensitive but unclassified") is unclassified but kept as its own
/// portion level; `FOUO` is a control on `U`, not a level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Unclassified.
    U,
    /// Sensitive but unclassified.
    Sbu,
    /// Confidential.
    C,
    /// Secret.
    S,
    /// Top secret.
    Ts,
}

impl Level {
    /// All levels, least restrictive first.
    pub const ALL: [Self; 5] = [Self::U, Self::Sbu, Self::C, Self::S, Self::Ts];

    /// The portion-mark abbreviation: `U`, `SBU`, `C`, `S`, `TS`.
    #[must_use]
    pub const fn abbrev(self) -> &'static str {
        match self {
            Self::U => "U",
            Self::Sbu => "SBU",
            Self::C => "C",
            Self::S => "S",
            Self::Ts => "TS",
        }
    }

    /// The level as written on a banner: `UNCLASSIFIED`, `CONFIDENTIAL`…
    #[must_use]
    pub const fn banner_word(self) -> &'static str {
        match self {
            Self::U => "UNCLASSIFIED",
            Self::Sbu => "SENSITIVE BUT UNCLASSIFIED",
            Self::C => "CONFIDENTIAL",
            Self::S => "SECRET",
            Self::Ts => "TOP SECRET",
        }
    }

    /// Whether information at this level is classified (C, S or TS).
    #[must_use]
    pub const fn is_classified(self) -> bool {
        matches!(self, Self::C | Self::S | Self::Ts)
    }

    /// Reads an abbreviation or a level word, in any case (`s`, `SBU`, `Secret`).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        let upper = name.trim().to_ascii_uppercase();
        Some(match upper.as_str() {
            "U" | "UNCLASSIFIED" | "UNCLAS" => Self::U,
            "SBU" => Self::Sbu,
            "C" | "CONFIDENTIAL" => Self::C,
            "S" | "SECRET" => Self::S,
            "TS" | "TOP SECRET" => Self::Ts,
            _ => return None,
        })
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.abbrev())
    }
}

/// A dissemination control or handling marking on a portion or banner, by canonical name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Control {
    /// `NOFORN` / `NF`: not releasable to foreign nationals.
    Noforn,
    /// `ORCON` / `OC`: dissemination controlled by the originator.
    Orcon,
    /// `REL TO …`: releasable to the listed countries or alliances.
    RelTo(Vec<String>),
    /// Foreign government information.
    Fgi,
    /// For official use only (a control on unclassified information).
    Fouo,
    /// Law enforcement sensitive.
    Les,
    /// Proprietary information.
    Propin,
    /// Sensitive compartmented information: the compartment as written (`SCI`, `SI`, `TK`,
    /// `HCS`); its name, the one policies use, is `SCI` whatever the compartment.
    Sci(String),
    /// Restricted data (atomic energy).
    Rd,
    /// Formerly restricted data.
    Frd,
    /// NATO information.
    Nato,
    /// Imagery or dissemination controls not otherwise named, kept as written.
    Other(String),
}

impl Control {
    /// The names policies use, one per kind of control (a control not otherwise named keeps
    /// its own, `EFTO` for one).
    pub const NAMES: [&'static str; 12] =
        ["NOFORN", "ORCON", "REL TO", "FGI", "FOUO", "LES", "PROPIN", "SCI", "RD", "FRD", "NATO", "EFTO"];

    /// The control's name without its country list, the name policies use: `NOFORN`,
    /// `REL TO`, `FGI`, `SCI` (for every compartment)…
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            Self::Noforn => "NOFORN",
            Self::Orcon => "ORCON",
            Self::RelTo(_) => "REL TO",
            Self::Fgi => "FGI",
            Self::Fouo => "FOUO",
            Self::Les => "LES",
            Self::Propin => "PROPIN",
            Self::Sci(_) => "SCI",
            Self::Other(name) => name,
            Self::Rd => "RD",
            Self::Frd => "FRD",
            Self::Nato => "NATO",
        }
    }

    /// Reads a single control word as written in a mark (`NF`, `noforn`, `OC`, `SBU-N`'s `N`).
    #[must_use]
    pub fn from_word(word: &str) -> Self {
        let upper = word.trim().to_ascii_uppercase();
        match upper.as_str() {
            "NOFORN" | "NF" | "N" => Self::Noforn,
            "ORCON" | "OC" => Self::Orcon,
            "FGI" => Self::Fgi,
            "FOUO" | "FOR OFFICIAL USE ONLY" => Self::Fouo,
            "LES" => Self::Les,
            "PROPIN" | "PR" => Self::Propin,
            "SCI" | "SI" | "TK" | "HCS" => Self::Sci(upper),
            "RD" => Self::Rd,
            "FRD" => Self::Frd,
            "NATO" => Self::Nato,
            _ => Self::Other(upper),
        }
    }
}

impl fmt::Display for Control {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::RelTo(countries) => write!(f, "REL TO {}", countries.join(", ")),
            // A mark shows the compartment as written: `(TS//SI)`.
            Self::Sci(compartment) => f.write_str(compartment),
            other => f.write_str(other.name()),
        }
    }
}

/// A portion mark or banner marking as found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marking {
    /// The mark exactly as written, e.g. `(S//NF)` or `(SE)`.
    pub raw: String,
    /// Where it is.
    pub span: Span,
    /// What it means, if the parser recognised it.
    pub value: MarkValue,
}

/// The meaning of a mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkValue {
    /// A well-formed mark: a level and its controls in canonical form.
    Recognized {
        /// The portion's level.
        level: Level,
        /// Its controls, canonical and in written order.
        controls: Vec<Control>,
    },
    /// Mark-shaped but not a mark we know (`(SE)`, `(S/P)`): kept verbatim, never released.
    Unrecognized,
}

impl Marking {
    /// The level, when the mark was recognised.
    #[must_use]
    pub const fn level(&self) -> Option<Level> {
        match &self.value {
            MarkValue::Recognized { level, .. } => Some(*level),
            MarkValue::Unrecognized => None,
        }
    }

    /// The controls, empty when the mark was not recognised.
    #[must_use]
    pub fn controls(&self) -> &[Control] {
        match &self.value {
            MarkValue::Recognized { controls, .. } => controls,
            MarkValue::Unrecognized => &[],
        }
    }

    /// Whether the mark was recognised.
    #[must_use]
    pub const fn is_recognized(&self) -> bool {
        matches!(self.value, MarkValue::Recognized { .. })
    }
}

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
    /// The portion's own mark, if it carries one.
    pub marking: Option<Marking>,
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

/// A banner line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Banner {
    /// The level it states.
    pub level: Level,
    /// Controls and caveats on the banner (`NOFORN`, `FOUO`, `SENSITIVE`, `EFTO`).
    pub controls: Vec<Control>,
    /// `SECTION n OF m`, when present.
    pub section: Option<(u32, u32)>,
    /// Post and serial (`MOSCOW 000434`), when present.
    pub post: Option<String>,
    /// Serial number as written.
    pub serial: Option<String>,
    /// The banner's marking text as written (level and controls).
    pub raw: String,
    /// Where it is.
    pub span: Span,
}

/// Where the overall classification of a document was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassificationSource {
    /// The banner line.
    Banner,
    /// The security line of the transmission header (`ZNY CCCCC`).
    Routing,
    /// The highest portion mark (no banner, no security line).
    Portions,
    /// Nothing in the document states it.
    Unknown,
}

/// The document's own overall marking (never the publisher's preamble).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    /// The overall level, if anything in the document states it.
    pub level: Option<Level>,
    /// Controls from the banner, caveat lines and portion marks, canonical and sorted.
    pub controls: Vec<Control>,
    /// The text it was read from (`C O N F I D E N T I A L`, `ZNY CCCCC`, `(S//NF)`).
    pub raw: String,
    /// Which witness decided the level.
    pub source: ClassificationSource,
    /// The highest level anything in the document shows: the banner, the security line, any
    /// later banner (of a cable quoted inside this one, say), any portion mark or mark inside
    /// a portion. Never below `level`; what unmarked text inherits.
    pub highest: Option<Level>,
}

/// Kinds of declassification instruction (see the README, "When a classification lapses").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DeclKind {
    /// An explicit date set by the classifier.
    Date,
    /// `N/A`: the document is unclassified.
    Na,
    /// `OADR`: originating agency's determination required.
    Oadr,
    /// `MR` or `DCI Only`: manual review.
    Mr,
    /// `X1`–`X8`, `1.6X1`–`1.6X8`: exempt from the ten-year rule only.
    X,
    /// `25X1`–`25X9`: exempt from automatic declassification at 25 years.
    X25,
    /// `50X1-HUM`, `50X2-WMD`, `25X1-HUMAN`: human sources and weapons of mass destruction.
    X50,
    /// `75X`, restricted data, NATO: never by date.
    X75,
    /// A prose event (`TEN YEARS AFTER KOREAN UNIFICATION`).
    Event,
    /// No instruction found.
    Missing,
    /// Something is there, but not an instruction we know.
    Unrecognized,
}

impl DeclKind {
    /// All kinds.
    pub const ALL: [Self; 11] = [
        Self::Date,
        Self::Na,
        Self::Oadr,
        Self::Mr,
        Self::X,
        Self::X25,
        Self::X50,
        Self::X75,
        Self::Event,
        Self::Missing,
        Self::Unrecognized,
    ];

    /// The kind's name in JSON and policies.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Date => "date",
            Self::Na => "na",
            Self::Oadr => "oadr",
            Self::Mr => "mr",
            Self::X => "x",
            Self::X25 => "25x",
            Self::X50 => "50x",
            Self::X75 => "75x",
            Self::Event => "event",
            Self::Missing => "missing",
            Self::Unrecognized => "unrecognized",
        }
    }

    /// Reads a kind name as written in a policy.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.name() == name)
    }
}

impl fmt::Display for DeclKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The declassification instruction of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decl {
    /// What kind of instruction it is.
    pub kind: DeclKind,
    /// The date it names, if any (for `date`, and for `25x`/`50x` with a date).
    pub date: Option<NaiveDate>,
    /// Exemption codes as written (`25X1`, `50X1-HUM`).
    pub exemptions: Vec<String>,
    /// The instruction as written (`DECL: 02/15/2018`), empty when missing.
    pub raw: String,
    /// Where it is, when present.
    pub span: Option<Span>,
}

impl Decl {
    /// No instruction in the document.
    #[must_use]
    pub const fn missing() -> Self {
        Self { kind: DeclKind::Missing, date: None, exemptions: Vec::new(), raw: String::new(), span: None }
    }
}

/// The classification authority: who classified and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassifiedBy {
    /// The person or office, without titles where they could be told apart (`William J. Burns`).
    pub name: Option<String>,
    /// The classifier as written (`Ambassador William J. Burns`).
    pub classifier: String,
    /// Where the block is.
    pub span: Span,
}

/// Reasons for classification (E.O. 13526 §1.4 letters).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reasons {
    /// The section cited as written, normalised (`1.4`, `1.5`), if any.
    pub section: Option<String>,
    /// Lower-case letters `a`–`h`, sorted and without repeats.
    pub letters: Vec<char>,
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

/// A problem that makes the parse untrustworthy; the engine fails closed on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// Where it is.
    pub position: Position,
    /// What is wrong, lower case, user text in backticks.
    pub message: String,
}

/// Handling caveats: captions that restrict who may see a cable (`NODIS`, `EXDIS`,
/// `LIMDIS`, `STADIS`) or say how it was distributed (`SIPDIS`).
pub const HANDLING_CAVEATS: [&str; 5] = ["SIPDIS", "NODIS", "EXDIS", "LIMDIS", "STADIS"];

/// The handling caveats written as words in `text`, in [`HANDLING_CAVEATS`] order.
pub fn handling_caveats(text: &str) -> impl Iterator<Item = &'static str> + '_ {
    HANDLING_CAVEATS.into_iter().filter(move |caveat| {
        text.match_indices(caveat).any(|(at, _)| {
            let before = text[..at].chars().next_back();
            let after = text[at + caveat.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    })
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
