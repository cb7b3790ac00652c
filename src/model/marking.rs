//! Classification markings: levels, controls, portion marks as written and read, banners,
//! and the document's overall classification.

use std::fmt;

use super::Span;

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

/// Handling caveats: captions that restrict who may see a cable (`NODIS`, `EXDIS`,
/// `LIMDIS`, `STADIS`) or say how it was distributed (`SIPDIS`).
pub const HANDLING_CAVEATS: [&str; 5] = ["SIPDIS", "NODIS", "EXDIS", "LIMDIS", "STADIS"];

/// The handling caveats written as words in `text`, in [`HANDLING_CAVEATS`] order.
pub fn handling_caveats(text: &str) -> impl Iterator<Item = &'static str> + '_ {
    // Every caveat ends in `DIS`: one search for that, rather than one per caveat.
    let mut found = [false; HANDLING_CAVEATS.len()];
    for end in memchr::memmem::find_iter(text.as_bytes(), b"DIS").map(|at| at + 3) {
        let Some(head) = text.get(..end) else { continue };
        for (seen, caveat) in found.iter_mut().zip(HANDLING_CAVEATS) {
            let Some(at) = head.len().checked_sub(caveat.len()) else { continue };
            if head.ends_with(caveat) {
                let before = text[..at].chars().next_back();
                let after = text[end..].chars().next();
                *seen |= !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric);
            }
        }
    }
    HANDLING_CAVEATS.into_iter().zip(found).filter_map(|(caveat, seen)| seen.then_some(caveat))
}
