//! Conditions on the document as a whole: its age and origin, its TAGS and its handling
//! caveats.

use std::sync::Arc;

use chrono::NaiveDate;

use super::{Condition, ConditionDef, Reader, Subject, as_same, list, names, same, subset};
use crate::model::HANDLING_CAVEATS;
use crate::policy::diagnostic::Code;

/// `age_min`: the document is at least this many whole years old as of the date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgeMin(pub i64);

pub(super) static AGE_MIN: ConditionDef = ConditionDef {
    key: "age_min",
    reader: Reader::Integer(|years| Arc::new(AgeMin(years))),
    takes: "whole years",
    holds_when: "the document is at least that old as of the date (never when its origin is unknown)",
};

impl Condition for AgeMin {
    fn holds(&self, s: &Subject<'_>) -> bool {
        s.age.is_some_and(|a| a >= self.0)
    }
    fn why_not(&self, s: &Subject<'_>) -> String {
        match s.age {
            Some(age) => format!("the document is {age} years old, less than {}", self.0),
            None => "the document's age is unknown".to_owned(),
        }
    }
    fn covers(&self, narrower: &dyn Condition) -> bool {
        as_same::<Self>(narrower).is_some_and(|n| n.0 >= self.0)
    }
}

/// `age_below`: the document is less than this many whole years old as of the date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgeBelow(pub i64);

pub(super) static AGE_BELOW: ConditionDef = ConditionDef {
    key: "age_below",
    reader: Reader::Integer(|years| Arc::new(AgeBelow(years))),
    takes: "whole years",
    holds_when: "the document is younger than that as of the date (never when its origin is unknown)",
};

impl Condition for AgeBelow {
    fn holds(&self, s: &Subject<'_>) -> bool {
        s.age.is_some_and(|a| a < self.0)
    }
    fn why_not(&self, s: &Subject<'_>) -> String {
        match s.age {
            Some(age) => format!("the document is {age} years old, not less than {}", self.0),
            None => "the document's age is unknown".to_owned(),
        }
    }
    fn covers(&self, narrower: &dyn Condition) -> bool {
        as_same::<Self>(narrower).is_some_and(|n| n.0 <= self.0)
    }
}

/// `tags`: the document carries one of these TAGS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tags(pub Vec<String>);

pub(super) static TAGS: ConditionDef = ConditionDef {
    key: "tags",
    reader: Reader::Names(|value, _| {
        Some(Arc::new(Tags(value.get_ref().iter().map(|t| t.get_ref().trim().to_ascii_uppercase()).collect())))
    }),
    takes: "list of TAGS (`PREL`, `PHUM`), in any case",
    holds_when: "the document's `TAGS:` line carries one of them",
};

impl Condition for Tags {
    fn holds(&self, s: &Subject<'_>) -> bool {
        s.doc.tags.iter().any(|t| self.0.contains(t))
    }
    fn why_not(&self, _: &Subject<'_>) -> String {
        format!("none of the tags {} is present", list(&self.0))
    }
    fn covers(&self, narrower: &dyn Condition) -> bool {
        subset(&self.0, narrower, |n: &Self| &n.0)
    }
    fn holds_for_nothing(&self) -> bool {
        self.0.is_empty()
    }
}

/// `caveats`: the document carries one of these handling caveats, which restrict who may
/// see a cable (`NODIS`: no distribution beyond the addressee; `EXDIS`: exclusive
/// distribution) or say how it was distributed (`SIPDIS`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caveats(pub Vec<&'static str>);

pub(super) static CAVEATS: ConditionDef = ConditionDef {
    key: "caveats",
    reader: Reader::Names(|value, errors| {
        let read = |c: &str| {
            let upper = c.trim().to_ascii_uppercase();
            HANDLING_CAVEATS.into_iter().find(|known| *known == upper)
        };
        let caveats = names(value, Code::P023, "handling caveat", &HANDLING_CAVEATS, read, errors)?;
        Some(Arc::new(Caveats(caveats)))
    }),
    takes: "list of handling caveats: `SIPDIS`, `NODIS`, `EXDIS`, `LIMDIS`, `STADIS`",
    holds_when: "the document carries one of them on a caveat line or its banner (not where its text or a reference merely names one)",
};

impl Condition for Caveats {
    fn holds(&self, s: &Subject<'_>) -> bool {
        s.doc.caveats.iter().any(|c| self.0.contains(c))
    }
    fn why_not(&self, s: &Subject<'_>) -> String {
        if s.doc.caveats.is_empty() {
            format!("the document carries none of the caveats {}", list(&self.0))
        } else {
            format!("the document carries the caveats {}, not {}", list(&s.doc.caveats), list(&self.0))
        }
    }
    fn covers(&self, narrower: &dyn Condition) -> bool {
        subset(&self.0, narrower, |n: &Self| &n.0)
    }
    fn holds_for_nothing(&self) -> bool {
        self.0.is_empty()
    }
}

/// `origin_from`: the document's origin is on or after this date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OriginFrom(pub NaiveDate);

pub(super) static ORIGIN_FROM: ConditionDef = ConditionDef {
    key: "origin_from",
    reader: Reader::Date(|date| Arc::new(OriginFrom(date))),
    takes: "an ISO date, bare or quoted",
    holds_when: "the document's origin is on or after it (never when unknown)",
};

impl Condition for OriginFrom {
    fn holds(&self, s: &Subject<'_>) -> bool {
        s.doc.created.is_some_and(|o| o >= self.0)
    }
    fn why_not(&self, _: &Subject<'_>) -> String {
        format!("the origin is not on or after {}", self.0)
    }
    fn covers(&self, narrower: &dyn Condition) -> bool {
        as_same::<Self>(narrower).is_some_and(|n| n.0 >= self.0)
    }
}

/// `origin_before`: the document's origin is before this date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OriginBefore(pub NaiveDate);

pub(super) static ORIGIN_BEFORE: ConditionDef = ConditionDef {
    key: "origin_before",
    reader: Reader::Date(|date| Arc::new(OriginBefore(date))),
    takes: "an ISO date, bare or quoted",
    holds_when: "the document's origin is before it (never when unknown)",
};

impl Condition for OriginBefore {
    fn holds(&self, s: &Subject<'_>) -> bool {
        s.doc.created.is_some_and(|o| o < self.0)
    }
    fn why_not(&self, _: &Subject<'_>) -> String {
        format!("the origin is not before {}", self.0)
    }
    fn covers(&self, narrower: &dyn Condition) -> bool {
        as_same::<Self>(narrower).is_some_and(|n| n.0 <= self.0)
    }
}

/// `origin_known`: whether the document's origin date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OriginKnown(pub bool);

pub(super) static ORIGIN_KNOWN: ConditionDef = ConditionDef {
    key: "origin_known",
    reader: Reader::Flag(|wanted| Arc::new(OriginKnown(wanted))),
    takes: "`true` or `false`",
    holds_when: "the document's origin date is known, or not",
};

impl Condition for OriginKnown {
    fn holds(&self, s: &Subject<'_>) -> bool {
        s.doc.created.is_some() == self.0
    }
    fn why_not(&self, _: &Subject<'_>) -> String {
        if self.0 { "the origin date is unknown" } else { "the origin date is known" }.to_owned()
    }
    fn covers(&self, narrower: &dyn Condition) -> bool {
        same(self, narrower)
    }
}

#[cfg(test)]
mod tests {
    use crate::model::handling_caveats;

    #[test]
    fn a_caveat_is_a_whole_word() {
        let found: Vec<&str> = handling_caveats("SIPDIS NODIS").collect();
        assert_eq!(found, ["SIPDIS", "NODIS"]);
        assert_eq!(handling_caveats("E X D I S, NODISTRIBUTION, XSIPDIS").count(), 0);
        let found: Vec<&str> = handling_caveats("EXDIS/LIMDIS").collect();
        assert_eq!(found, ["EXDIS", "LIMDIS"], "a slash separates caveats");
    }
}
