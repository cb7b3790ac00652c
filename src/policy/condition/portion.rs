//! Conditions on the portion itself: its kind, level, mark, controls and text.

use std::sync::Arc;

use regex::Regex;
use toml::Spanned;

use super::{Condition, ConditionDef, Reader, Subject, as_same, list, names, same, span_of, subset};
use crate::model::{Control, Level, PortionKind, lower_first};
use crate::policy::diagnostic::{Code, Diagnostic};

/// A selection of portion kinds in a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindSelector {
    /// One kind.
    Kind(PortionKind),
    /// Every administrative line (`header_line`).
    HeaderLine,
}

impl KindSelector {
    /// Whether a portion of `kind` is selected.
    #[must_use]
    pub fn selects(self, kind: PortionKind) -> bool {
        match self {
            Self::Kind(k) => k == kind,
            Self::HeaderLine => kind.is_header_line(),
        }
    }

    /// The name a policy writes.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Kind(kind) => kind.name(),
            Self::HeaderLine => "header_line",
        }
    }
}

/// `kind`: the portion is of one of these kinds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kinds(pub Vec<KindSelector>);

pub(super) static KIND: ConditionDef = ConditionDef {
    key: "kind",
    reader: Reader::Names(|value, errors| {
        let known: Vec<&str> = PortionKind::ALL.map(PortionKind::name).into_iter().chain(["header_line"]).collect();
        let read = |k: &str| {
            if k == "header_line" {
                Some(KindSelector::HeaderLine)
            } else {
                PortionKind::from_name(k).map(KindSelector::Kind)
            }
        };
        let kinds = names(value, Code::P007, "portion kind", &known, read, errors)?;
        Some(Arc::new(Kinds(kinds)))
    }),
    takes: "list of portion kinds (`paragraph`, `subject`, `banner`…), or `header_line` for every administrative line",
    holds_when: "the portion is of one of them",
};

impl Condition for Kinds {
    fn holds(&self, s: &Subject<'_>) -> bool {
        self.0.iter().any(|k| k.selects(s.portion.kind))
    }
    fn why_not(&self, s: &Subject<'_>) -> String {
        let names: Vec<&str> = self.0.iter().map(|k| k.name()).collect();
        format!("kind is {}, not {}", s.portion.kind, names.join(" or "))
    }
    fn covers(&self, narrower: &dyn Condition) -> bool {
        as_same::<Self>(narrower).is_some_and(|n| {
            n.0.iter().all(|k| match k {
                KindSelector::Kind(kind) => self.0.iter().any(|s| s.selects(*kind)),
                KindSelector::HeaderLine => {
                    self.0.contains(k)
                        || PortionKind::ALL
                            .iter()
                            .filter(|p| p.is_header_line())
                            .all(|p| self.0.iter().any(|s| s.selects(*p)))
                }
            })
        })
    }
    fn holds_for_nothing(&self) -> bool {
        self.0.is_empty()
    }
}

/// `level`: the level the portion is judged at is one of these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Levels(pub Vec<Level>);

pub(super) static LEVEL: ConditionDef = ConditionDef {
    key: "level",
    reader: Reader::Names(|value, errors| {
        let before = errors.len();
        let levels: Vec<Level> = value.get_ref().iter().filter_map(|l| crate::policy::level(l, errors)).collect();
        (errors.len() == before).then(|| Arc::new(Levels(levels)) as Arc<dyn Condition>)
    }),
    takes: "list of levels: `U`, `SBU`, `C`, `S`, `TS`",
    holds_when: "the portion is judged at one of them: its own mark, what unmarked text inherits, or a higher mark inside it",
};

impl Condition for Levels {
    fn holds(&self, s: &Subject<'_>) -> bool {
        s.level.is_some_and(|l| self.0.contains(&l))
    }
    fn why_not(&self, s: &Subject<'_>) -> String {
        match s.level {
            Some(level) => format!("level is {level}, not {}", list(&self.0)),
            None => "the level is not known".to_owned(),
        }
    }
    fn covers(&self, narrower: &dyn Condition) -> bool {
        subset(&self.0, narrower, |n: &Self| &n.0)
    }
    fn holds_for_nothing(&self) -> bool {
        self.0.is_empty()
    }
}

/// `marked`: whether the portion carries a mark of its own (or one inside its text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marked(pub bool);

pub(super) static MARKED: ConditionDef = ConditionDef {
    key: "marked",
    reader: Reader::Flag(|wanted| Arc::new(Marked(wanted))),
    takes: "`true` or `false`",
    holds_when: "the portion carries a mark of its own (a mark inside its text counts), or not",
};

impl Condition for Marked {
    fn holds(&self, s: &Subject<'_>) -> bool {
        (s.portion.marking.is_some() || !s.portion.embedded.is_empty()) == self.0
    }
    fn why_not(&self, _: &Subject<'_>) -> String {
        if self.0 { "the portion has no mark of its own" } else { "the portion has its own mark" }.to_owned()
    }
    fn covers(&self, narrower: &dyn Condition) -> bool {
        same(self, narrower)
    }
}

/// `controls`: one of these controls is on the portion's mark or on the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Controls(pub Vec<String>);

pub(super) static CONTROLS: ConditionDef = ConditionDef {
    key: "controls",
    reader: Reader::Names(|value, errors| {
        let read = |c: &str| {
            let upper = c.to_ascii_uppercase();
            Control::NAMES.contains(&upper.as_str()).then_some(upper)
        };
        let controls = names(value, Code::P005, "control", &Control::NAMES, read, errors)?;
        Some(Arc::new(Controls(controls)))
    }),
    takes: "list of controls: `NOFORN`, `ORCON`, `REL TO`, `FGI`, `FOUO`, `LES`, `PROPIN`, `SCI` (every compartment), `RD`, `FRD`, `NATO`, `EFTO`",
    holds_when: "one of them is on the portion's mark, the banner or the overall marking",
};

impl Condition for Controls {
    fn holds(&self, s: &Subject<'_>) -> bool {
        let on_portion =
            |c: &String| s.portion.marking.as_ref().is_some_and(|m| m.controls().iter().any(|pc| pc.name() == c));
        self.0.iter().any(|c| on_portion(c) || s.doc_controls.contains(c))
    }
    fn why_not(&self, _: &Subject<'_>) -> String {
        format!("none of the controls {} is present", list(&self.0))
    }
    fn covers(&self, narrower: &dyn Condition) -> bool {
        subset(&self.0, narrower, |n: &Self| &n.0)
    }
    fn holds_for_nothing(&self) -> bool {
        self.0.is_empty()
    }
}

/// `matches`: a regular expression over the portion's text. With `scope = "matches"` it
/// chooses the spans to cut instead, and the engine leaves it out of the portion's checks.
#[derive(Debug, Clone)]
pub struct Matches(pub Regex);

pub(super) static MATCHES: ConditionDef = ConditionDef {
    key: "matches",
    reader: Reader::Text(compile_expression),
    takes: "a regular expression (Rust `regex` syntax)",
    holds_when: "it matches somewhere in the portion's text; with `scope = \"matches\"` it chooses the spans to cut (its `redact` group if it has one)",
};

fn compile_expression(value: &Spanned<String>, errors: &mut Vec<Diagnostic>) -> Option<Arc<dyn Condition>> {
    match Regex::new(value.get_ref()) {
        Ok(re) => Some(Arc::new(Matches(re))),
        Err(e) => {
            let detail = e.to_string();
            let last =
                detail.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("").trim().trim_start_matches("error: ");
            errors.push(Diagnostic::new(
                Code::P011,
                format!("the expression does not compile: {}", lower_first(last)),
                Some(span_of(value)),
            ));
            None
        }
    }
}

impl Condition for Matches {
    fn holds(&self, s: &Subject<'_>) -> bool {
        self.0.is_match(s.text)
    }
    fn why_not(&self, _: &Subject<'_>) -> String {
        "its expression does not match the portion's text".to_owned()
    }
    fn covers(&self, narrower: &dyn Condition) -> bool {
        as_same::<Self>(narrower).is_some_and(|n| n.0.as_str() == self.0.as_str())
    }
}
