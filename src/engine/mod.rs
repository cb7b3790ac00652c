//! The engine: applies a policy to a parsed document as of a date.
//!
//! [`evaluate`] is a pure function of document, policy and date: no I/O, no clock. For each
//! portion it collects the outcomes of the rules that match and of the defaults that apply
//! (unrecognised mark, contradiction, parse error); the most restrictive wins, and nothing
//! matched means the policy's `no_match` default, which is fail-closed. Every decision names
//! the rules that produced it; with [`Explain::Yes`] it also says why each other rule did not
//! fire.

pub mod lapse;

use std::fmt;

use chrono::NaiveDate;

use crate::model::{Document, Level, MarkValue, Portion, Span};
use crate::policy::condition::Subject;
use crate::policy::{Outcome, Policy, Rule, Scope, Unmarked, sort_labels};
pub use lapse::{Lapse, LapseDate};

/// The outcome for a whole document, ordered from the least to the most withheld: the
/// order is the one [`evaluate`] decides by (a withheld portion withholds the document even
/// when another needs review), so the outcome of a document is the greatest of its portions'.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocumentOutcome {
    /// Nothing is redacted.
    ReleaseInFull,
    /// Some portions or spans are redacted.
    ReleaseInPart,
    /// A person must decide before anything is released.
    Review,
    /// The document is withheld.
    DenyInFull,
}

impl DocumentOutcome {
    /// All outcomes.
    pub const ALL: [Self; 4] = [Self::ReleaseInFull, Self::ReleaseInPart, Self::DenyInFull, Self::Review];

    /// Name in JSON and policy tests (`release_in_part`).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::ReleaseInFull => "release_in_full",
            Self::ReleaseInPart => "release_in_part",
            Self::DenyInFull => "deny_in_full",
            Self::Review => "review",
        }
    }

    /// The stamp wording (`RELEASE IN PART`).
    #[must_use]
    pub const fn stamp(self) -> &'static str {
        match self {
            Self::ReleaseInFull => "RELEASE IN FULL",
            Self::ReleaseInPart => "RELEASE IN PART",
            Self::DenyInFull => "DENY IN FULL",
            Self::Review => "REVIEW",
        }
    }

    /// Reads an outcome name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.name() == name)
    }
}

impl fmt::Display for DocumentOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A span redacted inside an otherwise released portion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpanRedaction {
    /// The redacted bytes.
    pub span: Span,
    /// Labels cited.
    pub labels: Vec<String>,
    /// Rules that matched it.
    pub rules: Vec<String>,
}

/// The decision for one portion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortionDecision {
    /// What happens to the whole portion.
    pub outcome: Outcome,
    /// Labels cited (empty when released).
    pub labels: Vec<String>,
    /// Rules (or `defaults.*`) that produced the outcome.
    pub rules: Vec<String>,
    /// The level the portion was judged at: its own mark, or what it inherits.
    pub level: Option<Level>,
    /// Whether the level was inherited.
    pub inherited: bool,
    /// Spans redacted inside a released portion.
    pub spans: Vec<SpanRedaction>,
    /// Facts the reviewer should see (unrecognised mark, contradiction, parse error).
    pub notes: Vec<String>,
    /// With [`Explain::Yes`]: for each rule that did not fire, why.
    pub why_not: Vec<(String, String)>,
    /// Whether the instruction that governs the portion (the document's, or a further one
    /// before it) has lapsed as of the date.
    pub lapsed: bool,
    /// Whether that instruction calls for review.
    pub needs_review: bool,
    /// When that instruction lapses.
    pub lapses: LapseDate,
}

impl PortionDecision {
    /// Whether any text of the portion is withheld from release.
    #[must_use]
    pub fn redacts_anything(&self) -> bool {
        self.outcome != Outcome::Release || !self.spans.is_empty()
    }

    /// What this portion alone makes of its document; the document's outcome is the greatest
    /// over its portions.
    #[must_use]
    pub fn document_outcome(&self) -> DocumentOutcome {
        match self.outcome {
            Outcome::Withhold => DocumentOutcome::DenyInFull,
            Outcome::Review => DocumentOutcome::Review,
            _ if self.redacts_anything() => DocumentOutcome::ReleaseInPart,
            _ => DocumentOutcome::ReleaseInFull,
        }
    }
}

/// All decisions for a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decisions {
    /// The document's outcome.
    pub outcome: DocumentOutcome,
    /// Union of the labels cited, in canonical order.
    pub labels: Vec<String>,
    /// When the classification lapses, and why.
    pub lapse: Lapse,
    /// Whether it has lapsed as of the date.
    pub lapsed: bool,
    /// The date the decisions are for.
    pub as_of: NaiveDate,
    /// One decision per portion, in the document's order.
    pub portions: Vec<PortionDecision>,
}

/// Whether to record why rules did not fire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Explain {
    /// Only the deciding rules.
    #[default]
    No,
    /// Also, per portion, why each other rule did not fire.
    Yes,
}

/// Default outcomes are named like rules in decisions.
const DEFAULT_NO_MATCH: &str = "defaults.no_match";
const DEFAULT_UNRECOGNIZED: &str = "defaults.unrecognized";
const DEFAULT_CONTRADICTION: &str = "defaults.contradiction";
const DEFAULT_PARSE_ERROR: &str = "defaults.parse_error";

/// What a document contributes to every rule check, computed once.
struct Facts<'a> {
    doc: &'a Document,
    policy: &'a Policy,
    as_of: NaiveDate,
    /// Where each instruction governs, with its lapse and whether it has lapsed as of the date.
    scopes: Vec<(lapse::Scope, bool)>,
    age: Option<i64>,
    doc_controls: Vec<String>,
    reason_labels: Vec<String>,
    /// Whether the document calls itself unclassified.
    unclassified_document: bool,
}

/// Applies `policy` to `doc` as of `as_of`.
///
/// # Examples
/// ```
/// use declass::{engine, parse, policy::Policy};
/// let doc = parse::parse_str("C O N F I D E N T I A L MOSCOW 000001\n\nE.O. 12958: DECL: 02/15/2018\n\n1. (C) Secret talks.\n".to_owned()).unwrap();
/// let policy = Policy::embedded_default();
/// let before = engine::evaluate(&doc, &policy, chrono::NaiveDate::from_ymd_opt(2017, 12, 31).unwrap());
/// let after = engine::evaluate(&doc, &policy, chrono::NaiveDate::from_ymd_opt(2018, 2, 15).unwrap());
/// assert_eq!(before.outcome, engine::DocumentOutcome::ReleaseInPart);
/// assert_eq!(after.outcome, engine::DocumentOutcome::ReleaseInFull);
/// ```
#[must_use]
pub fn evaluate(doc: &Document, policy: &Policy, as_of: NaiveDate) -> Decisions {
    evaluate_with(doc, policy, as_of, Explain::No)
}

/// [`evaluate`], optionally explaining why rules did not fire.
#[must_use]
pub fn evaluate_with(doc: &Document, policy: &Policy, as_of: NaiveDate, explain: Explain) -> Decisions {
    let scopes: Vec<(lapse::Scope, bool)> = lapse::scopes(doc, policy.defaults.event_falls_back_to_25_years)
        .into_iter()
        .map(|scope| {
            let lapsed = scope.lapse.has_lapsed(as_of);
            (scope, lapsed)
        })
        .collect();
    let mut doc_controls: Vec<String> = doc.classification.controls.iter().map(|c| c.name().to_owned()).collect();
    if let Some(banner) = &doc.banner {
        doc_controls.extend(banner.controls.iter().map(|c| c.name().to_owned()));
    }
    let reason_labels = doc.reasons.letters.iter().map(|l| format!("1.4({})", l.to_ascii_uppercase())).collect();
    let unclassified_document =
        doc.decl.kind == crate::model::DeclKind::Na || doc.classification.level.is_some_and(|l| !l.is_classified());
    let mut facts = Facts {
        doc,
        policy,
        as_of,
        age: doc.created.and_then(|origin| as_of.years_since(origin)).map(i64::from),
        scopes,
        doc_controls,
        reason_labels,
        unclassified_document,
    };
    let portions: Vec<PortionDecision> = doc.portions.iter().map(|p| decide(&facts, p, explain)).collect();
    let outcome =
        portions.iter().map(PortionDecision::document_outcome).max().unwrap_or(DocumentOutcome::ReleaseInFull);
    // Each label once, as first cited: a policy's labels are exemptions from a short fixed
    // list (and the reasons `1.4(A)`–`1.4(H)`), so the list stays short however many portions
    // cite them, and is sorted once.
    let mut labels: Vec<String> = Vec::new();
    let cited = portions
        .iter()
        .filter(|p| p.outcome != Outcome::Release)
        .flat_map(|p| &p.labels)
        .chain(portions.iter().flat_map(|p| p.spans.iter().flat_map(|s| &s.labels)));
    for label in cited {
        if !labels.contains(label) {
            labels.push(label.clone());
        }
    }
    sort_labels(&mut labels);
    // The document as a whole lapses when its most restrictive scope does: the last one, since
    // each scope is at least as restrictive as those before it.
    let (last, lapsed) = facts.scopes.pop().unwrap_or_else(|| {
        let lapse = lapse::compute(doc, policy.defaults.event_falls_back_to_25_years);
        let lapsed = lapse.has_lapsed(as_of);
        (lapse::Scope { from: 0, lapse }, lapsed)
    });
    Decisions { outcome, labels, lapse: last.lapse, lapsed, as_of, portions }
}

impl Facts<'_> {
    /// The scope that governs a portion: the last instruction before it (the first governs
    /// everything before the second).
    fn scope(&self, portion: &Portion) -> (&lapse::Scope, bool, usize) {
        // Scopes are sorted by where they start.
        let index = self.scopes.partition_point(|(s, _)| s.from <= portion.span.start).saturating_sub(1);
        let (scope, lapsed) = &self.scopes[index];
        (scope, *lapsed, index)
    }
}

/// The level a portion is judged at, and whether it was inherited. Unmarked text inherits the
/// highest level the document shows (never less than its banner); a mark inside the portion
/// above that level raises it.
fn effective_level(facts: &Facts<'_>, portion: &Portion) -> (Option<Level>, bool) {
    let (own, inherited) = match &portion.marking {
        Some(marking) => (marking.level(), false),
        None => match facts.policy.defaults.unmarked {
            Unmarked::Inherit => {
                let classification = &facts.doc.classification;
                (classification.highest.max(classification.level), true)
            }
            Unmarked::Level(level) => (Some(level), true),
        },
    };
    let embedded = portion.embedded.iter().filter_map(crate::model::Marking::level).max();
    if embedded.is_some() && embedded >= own && (embedded > own || inherited) {
        (embedded, false)
    } else {
        (own, inherited)
    }
}

fn decide(facts: &Facts<'_>, portion: &Portion, explain: Explain) -> PortionDecision {
    let defaults = &facts.policy.defaults;
    let (level, inherited) = effective_level(facts, portion);
    let text = facts.doc.text(portion.span);
    // Each outcome that applies, with the rule (or default) behind it and where its labels
    // come from (a rule, or the defaults: `None`); labels are made for the winners only.
    let mut candidates: Vec<(Outcome, &str, Option<&Rule>)> = Vec::new();
    let mut notes = Vec::new();
    let mut why_not = Vec::new();
    let mut spans: Vec<SpanRedaction> = Vec::new();
    let default_labels = || {
        let mut labels = defaults.labels.clone();
        if defaults.cite_reasons {
            labels.extend(facts.reason_labels.iter().cloned());
        }
        labels
    };

    let own_unrecognized = portion.marking.as_ref().filter(|m| m.value == MarkValue::Unrecognized);
    if let Some(marking) = own_unrecognized {
        notes.push(format!("unrecognised mark `{}`", marking.raw));
    }
    for marking in &portion.embedded {
        match marking.level() {
            Some(embedded) => notes.push(format!(
                "holds the portion mark `{}` inside its text{}",
                marking.raw,
                if Some(embedded) == level { format!(": judged at {embedded}") } else { String::new() }
            )),
            None => notes.push(format!("holds the unreadable mark `{}` inside its text", marking.raw)),
        }
    }
    let disguised_inside = portion.embedded.iter().any(|m| m.value == MarkValue::Unrecognized);
    if own_unrecognized.is_some() || disguised_inside {
        candidates.push((defaults.unrecognized, DEFAULT_UNRECOGNIZED, None));
    } else if facts.unclassified_document
        && level.is_some_and(Level::is_classified)
        && (!inherited || !portion.kind.is_header_line())
    {
        notes.push(match &portion.marking {
            Some(marking) if !inherited && marking.level() == level => {
                format!("classified mark `{}` in a document marked unclassified", marking.raw)
            }
            _ => format!("judged at {} in a document marked unclassified", level.map_or("?", Level::abbrev)),
        });
        candidates.push((defaults.contradiction, DEFAULT_CONTRADICTION, None));
    }
    let (scope, lapsed, scope_index) = facts.scope(portion);
    if scope_index > 0 && level.is_some_and(Level::is_classified) {
        notes.push(format!("governed by a further instruction: {}", scope.lapse.clause));
    }
    if !facts.doc.errors.is_empty() {
        notes.push(format!("the document could not be read reliably: {}", facts.doc.errors[0].message));
        candidates.push((defaults.parse_error, DEFAULT_PARSE_ERROR, None));
    }

    let subject = Subject {
        doc: facts.doc,
        portion,
        text,
        level,
        doc_controls: &facts.doc_controls,
        lapsed,
        needs_review: scope.lapse.needs_review,
        age: facts.age,
        as_of: facts.as_of,
    };
    for rule in &facts.policy.rules {
        // A span rule's expression chooses spans: it is matched on the text below.
        match rule.when.first_unmet(&subject, rule.scope == Scope::Matches) {
            None if rule.scope == Scope::Matches => {
                let found = matched_spans(rule, text, portion.span.start);
                if found.is_empty() && explain == Explain::Yes {
                    why_not.push((rule.id.clone(), "its expression matches nothing in this portion".to_owned()));
                }
                for span in found {
                    spans.push(SpanRedaction { span, labels: rule_labels(facts, rule), rules: vec![rule.id.clone()] });
                }
            }
            None => candidates.push((rule.outcome, &rule.id, Some(rule))),
            Some(unmet) => {
                if explain == Explain::Yes {
                    why_not.push((rule.id.clone(), unmet.why_not(&subject)));
                }
            }
        }
    }

    let outcome = candidates.iter().map(|(o, _, _)| *o).max().unwrap_or(defaults.no_match);
    if candidates.is_empty() {
        candidates.push((outcome, DEFAULT_NO_MATCH, None));
    }
    let winners = candidates.iter().filter(|(o, _, _)| *o == outcome);
    let rules: Vec<String> = winners.clone().map(|(_, id, _)| (*id).to_owned()).collect();
    // A released portion cites no labels.
    let mut labels: Vec<String> = if outcome == Outcome::Release {
        Vec::new()
    } else {
        winners.flat_map(|(_, _, from)| from.map_or_else(default_labels, |rule| rule_labels(facts, rule))).collect()
    };
    if outcome != Outcome::Release {
        // The whole portion goes: span redactions inside it add nothing.
        spans.clear();
    }
    sort_labels(&mut labels);
    let needs_review = scope.lapse.needs_review;
    PortionDecision {
        outcome,
        labels,
        rules,
        level,
        inherited,
        spans: merge_spans(spans),
        notes,
        why_not,
        lapsed,
        needs_review,
        lapses: scope.lapse.date,
    }
}

fn rule_labels(facts: &Facts<'_>, rule: &Rule) -> Vec<String> {
    let mut labels = rule.labels.clone();
    if rule.cite_reasons {
        labels.extend(facts.reason_labels.iter().cloned());
    }
    labels
}

/// The spans a span rule redacts: the group named `redact` of each match, or the match.
fn matched_spans(rule: &Rule, text: &str, offset: usize) -> Vec<Span> {
    let Some(re) = rule.when.expression() else { return Vec::new() };
    re.captures_iter(text)
        .filter_map(|caps| caps.name("redact").or_else(|| caps.get(0)))
        .filter(|m| !m.as_str().trim().is_empty())
        .map(|m| Span::new(offset + m.start(), offset + m.end()))
        .collect()
}

/// Sorts span redactions and merges overlapping ones (their labels and rules combined).
fn merge_spans(mut spans: Vec<SpanRedaction>) -> Vec<SpanRedaction> {
    spans.sort_by_key(|s| (s.span.start, s.span.end));
    let mut out: Vec<SpanRedaction> = Vec::new();
    for span in spans {
        match out.last_mut() {
            Some(last) if span.span.start <= last.span.end => {
                last.span.end = last.span.end.max(span.span.end);
                last.labels.extend(span.labels);
                last.rules.extend(span.rules);
                sort_labels(&mut last.labels);
                last.rules.sort();
                last.rules.dedup();
            }
            _ => out.push(span),
        }
    }
    out
}
