//! When a document's classification lapses, and which clause decides it (the table "When a
//! classification lapses" of the README).
//!
//! `origin` is the document date. `Y25` is 31 December of the origin year plus 25 (likewise
//! `Y50`, `Y75`). The order cited on the line selects the rulebook named in the explanation;
//! the automatic declassification of E.O. 13526 §3.3 applies to records under every order.

use chrono::{Datelike as _, NaiveDate};

use crate::model::{Decl, DeclKind, Document};

/// When the classification lapses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LapseDate {
    /// It never applied or has already lapsed (`N/A`).
    Already,
    /// On this date.
    On(NaiveDate),
    /// Never by date: a person must decide.
    Never,
}

/// The computed lapse of a document's classification, with the clause that produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lapse {
    /// When.
    pub date: LapseDate,
    /// Why, in words: the instruction as written and the rule applied.
    pub clause: String,
    /// Whether the instruction calls for review rather than release by date alone.
    pub needs_review: bool,
}

impl Lapse {
    /// Whether the classification has lapsed as of `as_of`.
    #[must_use]
    pub fn has_lapsed(&self, as_of: NaiveDate) -> bool {
        match self.date {
            LapseDate::Already => true,
            LapseDate::On(date) => date <= as_of,
            LapseDate::Never => false,
        }
    }

    /// The lapse date, if there is one.
    #[must_use]
    pub const fn on(&self) -> Option<NaiveDate> {
        match self.date {
            LapseDate::On(date) => Some(date),
            LapseDate::Already | LapseDate::Never => None,
        }
    }
}

/// 31 December of `origin`'s year plus `years`.
fn automatic(origin: NaiveDate, years: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(origin.year() + years, 12, 31)
}

/// When each executive order on classified information was signed.
fn signed(order: &str) -> Option<NaiveDate> {
    let (y, m, d) = match order {
        "12065" => (1978, 6, 28),
        "12356" => (1982, 4, 2),
        "12958" => (1995, 4, 17),
        "13292" => (2003, 3, 25),
        "13526" => (2009, 12, 29),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(y, m, d)
}

fn rulebook(doc: &Document) -> String {
    doc.order.as_ref().map_or_else(String::new, |o| format!(" under E.O. {o}"))
}

/// Computes when `doc`'s classification lapses under its first instruction. `event_fallback`
/// lets a prose event fall back to the automatic 25-year date instead of waiting for review.
#[must_use]
pub fn compute(doc: &Document, event_fallback: bool) -> Lapse {
    compute_for(doc, &doc.decl, event_fallback)
}

/// Where each instruction governs: from the start of the document under the first, and from
/// each further instruction (a correction, a cable quoted inside this one) on under the most
/// restrictive of it and all before it. Sorted by `from`.
#[must_use]
pub fn scopes(doc: &Document, event_fallback: bool) -> Vec<Scope> {
    let mut out = vec![Scope { from: 0, lapse: compute(doc, event_fallback) }];
    for decl in &doc.later_decls {
        let Some(span) = decl.span else { continue };
        let own = compute_for(doc, decl, event_fallback);
        let before = &out[out.len() - 1].lapse;
        let lapse = before.stricter(&own, decl);
        out.push(Scope { from: span.start, lapse });
    }
    out
}

/// The lapse that governs the text from byte `from` on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// Where it starts governing.
    pub from: usize,
    /// The lapse there.
    pub lapse: Lapse,
}

impl Lapse {
    /// The more restrictive of `self` and `other` (the lapse of the further instruction
    /// `decl`): the later date, and review if either calls for it.
    fn stricter(&self, other: &Self, decl: &Decl) -> Self {
        let rank = |l: &Self| match l.date {
            LapseDate::Already => (0, None),
            LapseDate::On(date) => (1, Some(date)),
            LapseDate::Never => (2, None),
        };
        let needs_review = self.needs_review || other.needs_review;
        if rank(other) > rank(self) {
            Self {
                date: other.date,
                clause: format!("the further instruction `{}` governs from here: {}", decl.raw, other.clause),
                needs_review,
            }
        } else {
            Self {
                date: self.date,
                clause: format!("{} (the further instruction `{}` is not more restrictive)", self.clause, decl.raw),
                needs_review,
            }
        }
    }
}

/// When the classification lapses under the instruction `decl` of `doc`.
fn compute_for(doc: &Document, decl: &Decl, event_fallback: bool) -> Lapse {
    let origin = doc.created;
    let raw = if decl.raw.is_empty() { "no instruction".to_owned() } else { format!("`{}`", decl.raw) };
    let book = rulebook(doc);
    let y25 = origin.and_then(|o| automatic(o, 25));
    let automatic_25 = |why: &str| match y25 {
        Some(date) => Lapse {
            date: LapseDate::On(date),
            clause: format!("{why}{book}: automatic declassification 25 years after origin (E.O. 13526 §3.3)"),
            needs_review: false,
        },
        None => Lapse {
            date: LapseDate::Never,
            clause: format!("{why}{book}, and the origin date is unknown: the automatic date cannot be computed"),
            needs_review: true,
        },
    };
    // An order signed after the document was written cannot have been cited by its
    // classifier: one of the two dates is wrong, and neither can be guessed.
    if let (Some(order), Some(origin)) = (doc.order.as_deref(), origin)
        && let Some(signed) = signed(order)
        && signed > origin
        && decl.kind != DeclKind::Na
    {
        return Lapse {
            date: LapseDate::Never,
            clause: format!(
                "{raw} cites E.O. {order} of {signed}, later than the document's own date {origin}: its dates make no sense; review"
            ),
            needs_review: true,
        };
    }
    match decl.kind {
        DeclKind::Na => Lapse {
            date: LapseDate::Already,
            clause: match doc.classification.highest.filter(|l| l.is_classified()) {
                Some(level) => format!(
                    "{raw} calls the document unclassified, but it is marked {level}: a contradiction; what is judged classified stays redacted"
                ),
                None => format!("{raw}: the document is marked unclassified"),
            },
            needs_review: false,
        },
        DeclKind::Date => match (decl.date, y25) {
            // A date before the document's own date makes no sense: a typing slip or a
            // wrong origin date. Neither can be guessed: review.
            (Some(date), _) if origin.is_some_and(|o| date < o) => Lapse {
                date: LapseDate::Never,
                clause: format!(
                    "explicit date {date} ({raw}){book} is before the document's own date {}: the instruction makes no sense; review",
                    origin.map_or_else(String::new, |o| o.to_string())
                ),
                needs_review: true,
            },
            (Some(date), Some(auto)) if date > auto => Lapse {
                date: LapseDate::On(auto),
                clause: format!(
                    "explicit date {date} ({raw}){book} is later than the automatic date; automatic declassification 25 years after origin (E.O. 13526 §3.3) applies"
                ),
                needs_review: false,
            },
            (Some(date), _) => Lapse {
                date: LapseDate::On(date),
                clause: format!("explicit date set by the classifier ({raw}){book}"),
                needs_review: false,
            },
            (None, _) => automatic_25(&format!("{raw} names no valid date")),
        },
        DeclKind::Oadr | DeclKind::Mr | DeclKind::X | DeclKind::Missing | DeclKind::Unrecognized => {
            let why = match decl.kind {
                DeclKind::Missing => "no declassification instruction".to_owned(),
                DeclKind::Unrecognized => format!("unrecognised instruction {raw}"),
                _ => format!("{raw} sets no date"),
            };
            automatic_25(&why)
        }
        DeclKind::Event => {
            if event_fallback {
                let mut lapse =
                    automatic_25(&format!("prose event {raw} cannot be decided by machine; the policy falls back"));
                lapse.needs_review = true;
                lapse
            } else {
                Lapse {
                    date: LapseDate::Never,
                    clause: format!("prose event {raw} cannot be decided by machine: review"),
                    needs_review: true,
                }
            }
        }
        DeclKind::X25 => {
            let y50 = origin.and_then(|o| automatic(o, 50));
            match (decl.date, y50) {
                (Some(date), Some(limit)) => Lapse {
                    date: LapseDate::On(date.min(limit)),
                    clause: format!("25X exemption {raw}{book} until its date, at most 50 years after origin"),
                    needs_review: false,
                },
                (Some(date), None) => Lapse {
                    date: LapseDate::On(date),
                    clause: format!("25X exemption {raw}{book} until its date"),
                    needs_review: false,
                },
                (None, _) => Lapse {
                    date: LapseDate::Never,
                    clause: format!("25X exemption {raw}{book} without a date: review"),
                    needs_review: true,
                },
            }
        }
        DeclKind::X50 => {
            let y75 = origin.and_then(|o| automatic(o, 75));
            let limit = match (decl.date, y75) {
                (Some(date), Some(limit)) => Some(date.min(limit)),
                (date, limit) => date.or(limit),
            };
            Lapse {
                date: limit.map_or(LapseDate::Never, LapseDate::On),
                clause: format!("human-source or WMD exemption {raw}{book}: review, at most 75 years after origin"),
                needs_review: true,
            }
        }
        DeclKind::X75 => Lapse {
            date: LapseDate::Never,
            clause: format!("{raw}{book} is never declassified by date: review"),
            needs_review: true,
        },
    }
}
