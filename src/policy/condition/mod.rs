//! The conditions a rule's `when` may hold, each declared once.
//!
//! A condition is a type implementing [`Condition`] (when it holds, how a miss reads in
//! `--explain`, whether it holds wherever another rule's does, whether it can hold at all)
//! and a [`ConditionDef`] beside it: its key in the policy file, how its value is read, and
//! its documentation. [`CONDITIONS`] lists the declarations; its order is the order of the
//! file format's documentation, of `declass fmt` and of evaluation (cheap conditions first,
//! the expression last). The file format, the engine, `check`'s analyses and the README's
//! table of conditions all read this list, so adding a condition is one declaration here.

mod document;
mod instruction;
mod portion;

use std::any::Any;
use std::fmt::{self, Write as _};
use std::sync::{Arc, LazyLock};

use chrono::NaiveDate;
use regex::Regex;
use toml::Spanned;

use super::diagnostic::{self, Code, Diagnostic};
use crate::model::{Document, Level, Portion, Span};

pub use document::{AgeBelow, AgeMin, Caveats, OriginBefore, OriginFrom, OriginKnown, Tags};
pub use instruction::{Instructions, Lapsed, NeedsReview, Orders, Reasons};
pub use portion::{Controls, KindSelector, Kinds, Levels, Marked, Matches};

/// What a condition may look at: one portion, its document and what the engine worked out
/// about them as of the date.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    /// The document.
    pub doc: &'a Document,
    /// The portion.
    pub portion: &'a Portion,
    /// The portion's text.
    pub text: &'a str,
    /// The level the portion is judged at.
    pub level: Option<Level>,
    /// Names of the controls on the document (banner and overall marking).
    pub doc_controls: &'a [String],
    /// Whether the instruction governing the portion has lapsed as of the date.
    pub lapsed: bool,
    /// Whether that instruction calls for review rather than release by date.
    pub needs_review: bool,
    /// The document's age in whole years as of the date, when its origin is known.
    pub age: Option<i64>,
    /// The date decisions are made as of.
    pub as_of: NaiveDate,
}

/// One compiled condition of a rule.
pub trait Condition: Any + fmt::Debug + Send + Sync {
    /// Whether it holds for `subject`.
    fn holds(&self, subject: &Subject<'_>) -> bool;
    /// Why it does not hold for `subject`, in words (`--explain`). Only called on a miss.
    fn why_not(&self, subject: &Subject<'_>) -> String;
    /// Whether it holds wherever `narrower`, a condition of the same key, holds (`check`'s
    /// shadowed rules).
    fn covers(&self, narrower: &dyn Condition) -> bool;
    /// Whether it holds for nothing at all (an empty list).
    fn holds_for_nothing(&self) -> bool {
        false
    }
}

/// Makes a condition of a flag.
pub type FlagReader = fn(bool) -> Arc<dyn Condition>;
/// Makes a condition of a whole number.
pub type IntegerReader = fn(i64) -> Arc<dyn Condition>;
/// Makes a condition of a valid date.
pub type DateReader = fn(NaiveDate) -> Arc<dyn Condition>;
/// Makes a condition of a string, or reports why it cannot.
pub type TextReader = fn(&Spanned<String>, &mut Vec<Diagnostic>) -> Option<Arc<dyn Condition>>;
/// Makes a condition of a list of names, or reports the names it does not know.
pub type NamesReader = fn(&Spanned<Vec<Spanned<String>>>, &mut Vec<Diagnostic>) -> Option<Arc<dyn Condition>>;

/// How a condition's value is read from the policy file, and the condition made of it. The
/// file format reads the value of the shape named here (so a wrong type is the file's error,
/// with its span), then hands it to the function.
#[derive(Clone, Copy)]
pub enum Reader {
    /// `true` or `false`.
    Flag(FlagReader),
    /// A whole number.
    Integer(IntegerReader),
    /// An ISO date, bare or quoted (the file format reports invalid dates).
    Date(DateReader),
    /// A string.
    Text(TextReader),
    /// A list of strings.
    Names(NamesReader),
}

/// A condition's declaration: its key, how it is read, and its documentation.
pub struct ConditionDef {
    /// The key in `when`.
    pub key: &'static str,
    /// How its value is read.
    pub reader: Reader,
    /// What it takes, for the documentation (`list of levels`).
    pub takes: &'static str,
    /// When it holds, for the documentation.
    pub holds_when: &'static str,
}

impl fmt::Debug for ConditionDef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key)
    }
}

/// Every condition, in documentation, formatting and evaluation order.
pub static CONDITIONS: [&ConditionDef; 17] = [
    &portion::KIND,
    &portion::LEVEL,
    &portion::MARKED,
    &portion::CONTROLS,
    &instruction::ORDER,
    &instruction::INSTRUCTION,
    &instruction::LAPSED,
    &instruction::NEEDS_REVIEW,
    &document::AGE_MIN,
    &document::AGE_BELOW,
    &instruction::REASONS,
    &document::TAGS,
    &document::CAVEATS,
    &document::ORIGIN_FROM,
    &document::ORIGIN_BEFORE,
    &document::ORIGIN_KNOWN,
    &portion::MATCHES,
];

/// The keys of [`CONDITIONS`], in order.
pub static KEYS: LazyLock<Vec<&'static str>> = LazyLock::new(|| CONDITIONS.iter().map(|c| c.key).collect());

/// The declaration of the condition `key`.
#[must_use]
pub fn find(key: &str) -> Option<&'static ConditionDef> {
    CONDITIONS.iter().copied().find(|c| c.key == key)
}

/// Where `key` comes in [`CONDITIONS`].
#[must_use]
pub fn rank(key: &str) -> usize {
    CONDITIONS.iter().position(|c| c.key == key).unwrap_or(CONDITIONS.len())
}

/// The README's table of conditions, generated from the declarations (a test keeps the
/// README equal to it).
#[must_use]
pub fn documentation_table() -> String {
    let mut out = String::from("| condition | takes | holds when |\n|---|---|---|\n");
    for def in CONDITIONS {
        let _ = writeln!(out, "| `{}` | {} | {} |", def.key, def.takes, def.holds_when);
    }
    out
}

/// A rule's conditions, all of which must hold; in [`CONDITIONS`] order.
#[derive(Debug, Clone, Default)]
pub struct When {
    conditions: Vec<(&'static ConditionDef, Arc<dyn Condition>)>,
}

impl When {
    /// Conditions from `(declaration, condition)` pairs, put in [`CONDITIONS`] order.
    #[must_use]
    pub fn new(mut conditions: Vec<(&'static ConditionDef, Arc<dyn Condition>)>) -> Self {
        conditions.sort_by_key(|(def, _)| rank(def.key));
        Self { conditions }
    }

    /// The conditions with their declarations, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static ConditionDef, &dyn Condition)> {
        self.conditions.iter().map(|(def, c)| (*def, &**c))
    }

    /// Whether no condition is set.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.conditions.is_empty()
    }

    /// The condition of type `T`, if the rule has it.
    #[must_use]
    pub fn get<T: Condition>(&self) -> Option<&T> {
        self.conditions.iter().find_map(|(_, c)| as_same::<T>(&**c))
    }

    /// Whether the rule has a condition of type `T`.
    #[must_use]
    pub fn has<T: Condition>(&self) -> bool {
        self.get::<T>().is_some()
    }

    /// The rule's expression over the portion's text (`matches`), if any.
    #[must_use]
    pub fn expression(&self) -> Option<&Regex> {
        self.get::<Matches>().map(|m| &m.0)
    }

    /// The first condition that does not hold for `subject`; the expression is left out when
    /// it chooses spans rather than portions.
    #[must_use]
    pub fn first_unmet(&self, subject: &Subject<'_>, expression_chooses_spans: bool) -> Option<&dyn Condition> {
        self.conditions
            .iter()
            .map(|(_, c)| &**c)
            .filter(|c| !(expression_chooses_spans && as_same::<Matches>(*c).is_some()))
            .find(|c| !c.holds(subject))
    }

    /// Whether these conditions hold wherever `narrower`'s do: each of them is also in
    /// `narrower`, at most as strict there.
    #[must_use]
    pub fn covers(&self, narrower: &Self) -> bool {
        self.iter().all(|(def, wide)| {
            narrower.iter().find(|(d, _)| d.key == def.key).is_some_and(|(_, narrow)| wide.covers(narrow))
        })
    }
}

/// `condition` as a `T`, if it is one.
fn as_same<T: Condition>(condition: &dyn Condition) -> Option<&T> {
    (condition as &dyn Any).downcast_ref::<T>()
}

/// Whether `narrower` is a `T` whose values are all among `wide`'s.
fn subset<T: Condition, V: PartialEq>(wide: &[V], narrower: &dyn Condition, values: impl Fn(&T) -> &[V]) -> bool {
    as_same::<T>(narrower).is_some_and(|n| values(n).iter().all(|v| wide.contains(v)))
}

/// Whether `narrower` is a `T` equal to `wide`.
fn same<T: Condition + PartialEq>(wide: &T, narrower: &dyn Condition) -> bool {
    as_same::<T>(narrower) == Some(wide)
}

/// `a, b, c`.
pub(crate) fn list<T: fmt::Display>(items: &[T]) -> String {
    items.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

fn span_of<T>(value: &Spanned<T>) -> Span {
    Span::new(value.span().start, value.span().end)
}

/// Reads a list of names through `read`, reporting unknown ones with `code`.
fn names<T>(
    list: &Spanned<Vec<Spanned<String>>>,
    code: Code,
    what: &str,
    known: &[&str],
    read: impl Fn(&str) -> Option<T>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Vec<T>> {
    let before = errors.len();
    let mut out = Vec::new();
    for item in list.get_ref() {
        if let Some(found) = read(item.get_ref()) {
            out.push(found);
        } else {
            let mut d = Diagnostic::new(code, format!("unknown {what} `{}`", item.get_ref()), Some(span_of(item)));
            d = match diagnostic::did_you_mean(item.get_ref(), known.iter().copied()) {
                Some(near) => d.with_hint(format!("did you mean `{near}`?")),
                None => d.with_hint(format!(
                    "{what}s are {}",
                    known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                )),
            };
            errors.push(d);
        }
    }
    (errors.len() == before).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_documented() {
        let mut keys = KEYS.clone();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), CONDITIONS.len());
        for def in CONDITIONS {
            assert!(!def.takes.is_empty() && !def.holds_when.is_empty(), "`{}` is undocumented", def.key);
            assert!(!def.holds_when.contains('|'), "`{}`'s documentation breaks the table", def.key);
        }
    }

    #[test]
    fn the_expression_is_evaluated_last() {
        assert_eq!(KEYS.last(), Some(&"matches"));
    }
}
