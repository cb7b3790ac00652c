//! `declass check`: everything that can be found wrong with a policy file before it is used.
//! Syntax, schema and unknown values come from [`Policy::from_toml`]; this module adds the
//! findings about meaning (rules that can never fire, shadowed rules, releases of what never
//! lapses, suspicious constructs), runs the policy's own tests and measures rule coverage.

use std::collections::BTreeSet;
use std::path::Path;

use toml::Spanned;

use crate::model::{DeclKind, Level, Span};
use crate::policy::condition::{
    AgeBelow, AgeMin, Instructions, KindSelector, Kinds, Lapsed, Levels, Marked, NeedsReview, OriginBefore, OriginFrom,
    OriginKnown, list,
};
use crate::policy::diagnostic::{Code, Diagnostic};
use crate::policy::file::{PolicyFile, RuleFile};
use crate::policy::{Outcome, Policy, Rule, Scope, When};

pub mod suite;

/// Everything found about one policy file.
#[derive(Debug)]
pub struct CheckReport {
    /// The policy, if it could be read.
    pub policy: Option<Policy>,
    /// Errors and warnings, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// Results of the policy's tests.
    pub tests: Vec<suite::TestResult>,
    /// Rules exercised by the tests.
    pub coverage: Option<Coverage>,
}

/// Which rules the tests exercise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    /// Number of rules.
    pub rules: usize,
    /// Rule ids that some test decision names.
    pub exercised: Vec<String>,
    /// Rule ids that no test decision names.
    pub unexercised: Vec<String>,
}

impl Coverage {
    /// Exercised rules as a percentage (100 when there are no rules).
    #[must_use]
    pub fn percent(&self) -> f64 {
        if self.rules == 0 { 100.0 } else { 100.0 * self.exercised.len() as f64 / self.rules as f64 }
    }
}

/// Checks the policy `text` read from `path` (test documents given by path are found next to
/// it).
#[must_use]
pub fn check(text: &str, path: Option<&Path>) -> CheckReport {
    let (policy, mut diagnostics) = match Policy::from_toml(text) {
        Ok((policy, warnings)) => (policy, warnings),
        Err(errors) => return CheckReport { policy: None, diagnostics: errors, tests: Vec::new(), coverage: None },
    };
    // The file parsed once already; read it again for the spans of keys.
    let file: Option<PolicyFile> = toml::from_str(text).ok();
    if let Some(file) = &file {
        diagnostics.extend(lint(&policy, file));
    }
    let (tests, mut test_diagnostics) = file
        .as_ref()
        .map_or_else(|| (Vec::new(), Vec::new()), |file| suite::run(&policy, file, path.and_then(Path::parent)));
    diagnostics.append(&mut test_diagnostics);
    let exercised: BTreeSet<String> = tests.iter().flat_map(|t| t.rules.iter().cloned()).collect();
    let coverage = Coverage {
        rules: policy.rules.len(),
        exercised: policy.rules.iter().filter(|r| exercised.contains(&r.id)).map(|r| r.id.clone()).collect(),
        unexercised: policy.rules.iter().filter(|r| !exercised.contains(&r.id)).map(|r| r.id.clone()).collect(),
    };
    if let Some(file) = &file {
        if tests.is_empty() && !policy.rules.is_empty() {
            diagnostics.push(
                Diagnostic::new(
                    Code::P108,
                    format!("the policy has no tests: none of its {} rule(s) is exercised", policy.rules.len()),
                    Some(span_of(&file.name)),
                )
                .with_hint("add `[[test]]` cases with a document, a date and the expected decisions"),
            );
        } else {
            for rule in policy.rules.iter().filter(|r| !exercised.contains(&r.id)) {
                diagnostics.push(
                    Diagnostic::new(Code::P108, format!("no test exercises rule `{}`", rule.id), Some(rule.id_span))
                        .with_hint("add a `[[test]]` whose document this rule decides"),
                );
            }
        }
    }
    diagnostics.sort_by_key(|d| (d.span.map(|s| s.start), d.code));
    CheckReport { policy: Some(policy), diagnostics, tests, coverage: Some(coverage) }
}

fn span_of<T>(value: &Spanned<T>) -> Span {
    Span::new(value.span().start, value.span().end)
}

/// The span of a rule's `when` key, or of the rule's id.
fn when_span(file: &Spanned<RuleFile>) -> Span {
    file.get_ref().when.as_ref().map_or_else(|| span_of(&file.get_ref().id), span_of)
}

/// Findings about the meaning of validated rules.
fn lint(policy: &Policy, file: &PolicyFile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (rule, spanned) in policy.rules.iter().zip(&file.rules) {
        let raw = spanned.get_ref();
        if let Some(reason) = never_fires(rule, policy) {
            out.push(
                Diagnostic::new(
                    Code::P016,
                    format!("rule `{}` can never fire: {reason}", rule.id),
                    Some(when_span(spanned)),
                )
                .with_hint("remove the rule or one of the conditions that exclude each other"),
            );
        }
        let never_lapses = rule.outcome == Outcome::Release && releases_what_never_lapses(rule);
        if never_lapses {
            out.push(
                Diagnostic::new(
                    Code::P015,
                    format!("rule `{}` would release classified portions whose instruction never lapses by date (75X, RD/FRD)", rule.id),
                    Some(span_of(&raw.outcome)),
                )
                .with_hint("add `lapsed = true`, `needs_review = false`, or an `instruction` list without `75x`"),
            );
        }
        // (P015 already says more where the instruction may be one that never lapses.)
        if rule.outcome == Outcome::Release && !never_lapses && releases_classified_in_force(rule) {
            out.push(
                Diagnostic::new(
                    Code::P022,
                    format!(
                        "rule `{}` would release classified content whose declassification instruction has not lapsed",
                        rule.id
                    ),
                    Some(span_of(&raw.outcome)),
                )
                .with_hint("add `lapsed = true` to its `when`, or restrict it to `level = [\"U\", \"SBU\"]`"),
            );
        }
        if rule.outcome == Outcome::Release
            && !rule.when.has::<Levels>()
            && !rule.when.has::<Kinds>()
            && !rule.when.has::<Lapsed>()
        {
            out.push(
                Diagnostic::new(
                    Code::P102,
                    format!("release rule `{}` has no condition on level, kind or lapse", rule.id),
                    Some(span_of(&raw.outcome)),
                )
                .with_hint("say which portions it releases, e.g. `level = [\"U\"]`"),
            );
        }
        if raw.description.is_none() {
            out.push(
                Diagnostic::new(Code::P103, format!("rule `{}` has no description", rule.id), Some(span_of(&raw.id)))
                    .with_hint("say why the rule exists"),
            );
        }
        if rule.outcome == Outcome::Release && (!rule.labels.is_empty() || rule.cite_reasons) {
            let at = raw.labels.as_ref().map_or_else(|| span_of(&raw.outcome), span_of);
            out.push(Diagnostic::new(
                Code::P104,
                format!("release rule `{}` cites labels that are never printed", rule.id),
                Some(at),
            ));
        }
        if matches!(rule.outcome, Outcome::Redact | Outcome::Withhold) && rule.labels.is_empty() && !rule.cite_reasons {
            out.push(
                Diagnostic::new(
                    Code::P105,
                    format!("rule `{}` redacts without citing an exemption", rule.id),
                    Some(span_of(&raw.outcome)),
                )
                .with_hint("add `labels = [\"B1\"]` or the exemption that applies"),
            );
        }
        if let (Some(re), Some(when)) = (rule.when.expression(), &raw.when)
            && re.is_match("")
        {
            let at = when.get_ref().get("matches").map_or_else(
                || span_of(when),
                |v| {
                    let range = v.span();
                    Span::new(range.start, range.end)
                },
            );
            out.push(Diagnostic::new(
                Code::P106,
                format!("the expression of rule `{}` matches the empty string, so every portion", rule.id),
                Some(at),
            ));
        }
        if rule.when.is_empty() {
            out.push(Diagnostic::new(
                Code::P107,
                format!("rule `{}` has no conditions: it applies to every portion", rule.id),
                Some(span_of(&raw.id)),
            ));
        }
    }
    for (i, rule) in policy.rules.iter().enumerate() {
        if rule.scope != Scope::Portion || never_fires(rule, policy).is_some() {
            continue;
        }
        let shadow = policy.rules.iter().enumerate().find(|(j, other)| {
            *j != i && other.scope == Scope::Portion && other.outcome > rule.outcome && other.when.covers(&rule.when)
        });
        if let Some((_, other)) = shadow {
            out.push(
                Diagnostic::new(
                    Code::P101,
                    format!(
                        "rule `{}` is shadowed: whenever it matches, the more restrictive rule `{}` matches too",
                        rule.id, other.id
                    ),
                    Some(rule.id_span),
                )
                .with_hint(format!(
                    "the outcome is always `{}`; narrow `{}` or remove `{}`",
                    other.outcome, other.id, rule.id
                )),
            );
        }
    }
    out
}

const CLASSIFIED: [Level; 3] = [Level::C, Level::S, Level::Ts];

/// Why a rule can never fire, if its conditions exclude each other.
fn never_fires(rule: &Rule, policy: &Policy) -> Option<String> {
    let when = &rule.when;
    if let Some((def, _)) = when.iter().find(|(_, c)| c.holds_for_nothing()) {
        return Some(format!("its `{}` list is empty", def.key));
    }
    if let (Some(AgeMin(min)), Some(AgeBelow(below))) = (when.get(), when.get())
        && min >= below
    {
        return Some(format!("no age is at least {min} and below {below}"));
    }
    if let (Some(OriginFrom(from)), Some(OriginBefore(before))) = (when.get(), when.get())
        && from >= before
    {
        return Some(format!("no origin is on or after {from} and before {before}"));
    }
    if when.get::<OriginKnown>() == Some(&OriginKnown(false))
        && (when.has::<OriginFrom>() || when.has::<OriginBefore>() || when.has::<AgeMin>() || when.has::<AgeBelow>())
    {
        return Some("it asks for an unknown origin and a condition on the origin or age".to_owned());
    }
    if let Some(Instructions(instructions)) = when.get() {
        let lapsed = when.get::<Lapsed>().map(|l| l.0);
        let never_lapse = |k: &DeclKind| {
            *k == DeclKind::X75 || *k == DeclKind::Event && !policy.defaults.event_falls_back_to_25_years
        };
        if lapsed == Some(true) && instructions.iter().all(never_lapse) {
            return Some(format!("{} never lapses by date, and the rule asks for `lapsed = true`", list(instructions)));
        }
        if lapsed == Some(false) && instructions.iter().all(|k| *k == DeclKind::Na) {
            return Some("`na` has always lapsed, and the rule asks for `lapsed = false`".to_owned());
        }
        let always_review = |k: &DeclKind| matches!(k, DeclKind::X50 | DeclKind::X75 | DeclKind::Event);
        if when.get::<NeedsReview>() == Some(&NeedsReview(false)) && instructions.iter().all(always_review) {
            return Some(format!(
                "{} always calls for review, and the rule asks for `needs_review = false`",
                list(instructions)
            ));
        }
    }
    None
}

/// Whether a rule can match classified content: a classified level (or any level), and a
/// kind of content (an administrative line only when it may carry a mark).
fn matches_classified_content(when: &When) -> bool {
    let unmarked_only = when.get::<Marked>() == Some(&Marked(false));
    let classified = when.get::<Levels>().is_none_or(|Levels(l)| l.iter().any(|l| CLASSIFIED.contains(l)));
    let content = when.get::<Kinds>().is_none_or(|Kinds(k)| {
        k.iter().any(|s| match s {
            KindSelector::Kind(kind) => !kind.is_header_line() || !unmarked_only,
            KindSelector::HeaderLine => !unmarked_only,
        })
    });
    classified && content
}

/// Whether a release rule can release classified content whose instruction is 75X.
fn releases_what_never_lapses(rule: &Rule) -> bool {
    let when = &rule.when;
    let seventy_five = when.get::<Instructions>().is_none_or(|Instructions(i)| i.contains(&DeclKind::X75));
    matches_classified_content(when)
        && seventy_five
        && when.get::<Lapsed>() != Some(&Lapsed(true))
        && when.get::<NeedsReview>() != Some(&NeedsReview(false))
}

/// Whether a release rule can release classified content before its instruction lapses: it
/// does not ask for `lapsed = true`, whatever else it asks (an age, a tag, an origin).
fn releases_classified_in_force(rule: &Rule) -> bool {
    let when = &rule.when;
    let only_unclassified_instructions =
        when.get::<Instructions>().is_some_and(|Instructions(i)| i.iter().all(|k| *k == DeclKind::Na));
    matches_classified_content(when) && when.get::<Lapsed>() != Some(&Lapsed(true)) && !only_unclassified_instructions
}
