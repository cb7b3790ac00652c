//! Conditions on the document's classification authority: the order cited, the kind of
//! declassification instruction, whether it has lapsed, and the reasons cited.

use std::sync::Arc;

use super::{Condition, ConditionDef, Reader, Subject, list, names, same, subset};
use crate::model::DeclKind;
use crate::policy::diagnostic::Code;

/// `order`: the executive order cited is one of these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Orders(pub Vec<String>);

pub(super) static ORDER: ConditionDef = ConditionDef {
    key: "order",
    reader: Reader::Names(|value, _| {
        Some(Arc::new(Orders(value.get_ref().iter().map(|o| o.get_ref().trim().to_owned()).collect())))
    }),
    takes: "list of executive order numbers (`12958`, `13526`)",
    holds_when: "the document cites one of them",
};

impl Condition for Orders {
    fn holds(&self, s: &Subject<'_>) -> bool {
        s.doc.order.as_ref().is_some_and(|o| self.0.contains(o))
    }
    fn why_not(&self, s: &Subject<'_>) -> String {
        format!("the order cited is {}, not {}", s.doc.order.as_deref().unwrap_or("none"), list(&self.0))
    }
    fn covers(&self, narrower: &dyn Condition) -> bool {
        subset(&self.0, narrower, |n: &Self| &n.0)
    }
    fn holds_for_nothing(&self) -> bool {
        self.0.is_empty()
    }
}

/// `instruction`: the document's declassification instruction is of one of these kinds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instructions(pub Vec<DeclKind>);

pub(super) static INSTRUCTION: ConditionDef = ConditionDef {
    key: "instruction",
    reader: Reader::Names(|value, errors| {
        let known: Vec<&str> = DeclKind::ALL.iter().map(|k| k.name()).collect();
        let kinds = names(value, Code::P006, "instruction kind", &known, DeclKind::from_name, errors)?;
        Some(Arc::new(Instructions(kinds)))
    }),
    takes: "list of instruction kinds: `date`, `na`, `oadr`, `mr`, `x`, `25x`, `50x`, `75x`, `event`, `missing`, `unrecognized`",
    holds_when: "the document's instruction (its `DECL:` line or ISOO block) is of one of them",
};

impl Condition for Instructions {
    fn holds(&self, s: &Subject<'_>) -> bool {
        self.0.contains(&s.doc.decl.kind)
    }
    fn why_not(&self, s: &Subject<'_>) -> String {
        format!("the instruction is {}, not {}", s.doc.decl.kind, list(&self.0))
    }
    fn covers(&self, narrower: &dyn Condition) -> bool {
        subset(&self.0, narrower, |n: &Self| &n.0)
    }
    fn holds_for_nothing(&self) -> bool {
        self.0.is_empty()
    }
}

/// `lapsed`: whether the instruction governing the portion has lapsed as of the date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lapsed(pub bool);

pub(super) static LAPSED: ConditionDef = ConditionDef {
    key: "lapsed",
    reader: Reader::Flag(|wanted| Arc::new(Lapsed(wanted))),
    takes: "`true` or `false`",
    holds_when: "the instruction governing the portion has lapsed as of the date, or not (see \"When a classification lapses\")",
};

impl Condition for Lapsed {
    fn holds(&self, s: &Subject<'_>) -> bool {
        s.lapsed == self.0
    }
    fn why_not(&self, s: &Subject<'_>) -> String {
        if self.0 {
            format!("the classification has not lapsed as of {}", s.as_of)
        } else {
            format!("the classification has lapsed as of {}", s.as_of)
        }
    }
    fn covers(&self, narrower: &dyn Condition) -> bool {
        same(self, narrower)
    }
}

/// `needs_review`: whether the governing instruction calls for review rather than release
/// by date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NeedsReview(pub bool);

pub(super) static NEEDS_REVIEW: ConditionDef = ConditionDef {
    key: "needs_review",
    reader: Reader::Flag(|wanted| Arc::new(NeedsReview(wanted))),
    takes: "`true` or `false`",
    holds_when: "the instruction calls for review rather than release by date (an event, 25X without a date, 50X, 75X, an automatic date that cannot be computed), or not",
};

impl Condition for NeedsReview {
    fn holds(&self, s: &Subject<'_>) -> bool {
        s.needs_review == self.0
    }
    fn why_not(&self, _: &Subject<'_>) -> String {
        if self.0 { "the instruction does not call for review" } else { "the instruction calls for review" }.to_owned()
    }
    fn covers(&self, narrower: &dyn Condition) -> bool {
        same(self, narrower)
    }
}

/// `reasons`: the document cites one of these §1.4 reasons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reasons(pub Vec<char>);

pub(super) static REASONS: ConditionDef = ConditionDef {
    key: "reasons",
    reader: Reader::Names(|value, errors| {
        let read = |r: &str| {
            let mut chars = r.chars();
            match (chars.next().map(|c| c.to_ascii_lowercase()), chars.next()) {
                (Some(c @ 'a'..='h'), None) => Some(c),
                _ => None,
            }
        };
        let letters = ["a", "b", "c", "d", "e", "f", "g", "h"];
        let reasons = names(value, Code::P018, "reason letter", &letters, read, errors)?;
        Some(Arc::new(Reasons(reasons)))
    }),
    takes: "list of §1.4 reason letters `a`–`h`",
    holds_when: "the document cites one of them (`Classified By: …, reasons 1.4 (b) and (d)`)",
};

impl Condition for Reasons {
    fn holds(&self, s: &Subject<'_>) -> bool {
        s.doc.reasons.letters.iter().any(|l| self.0.contains(l))
    }
    fn why_not(&self, _: &Subject<'_>) -> String {
        format!("none of the reasons {} is cited", list(&self.0))
    }
    fn covers(&self, narrower: &dyn Condition) -> bool {
        subset(&self.0, narrower, |n: &Self| &n.0)
    }
    fn holds_for_nothing(&self) -> bool {
        self.0.is_empty()
    }
}
