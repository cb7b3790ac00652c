//! Declassification instructions (`DECL:` lines and ISOO blocks), the classifier and the
//! reasons cited.

use std::fmt;

use chrono::NaiveDate;

use super::Span;

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
