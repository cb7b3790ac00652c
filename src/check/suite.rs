//! A policy's own tests (`[[test]]` tables): a document (inline, or a path next to the
//! policy), a date, and the expected outcome and portion decisions. `declass check` runs them
//! and reports each failure as expected against got.

use std::fmt::Write as _;
use std::path::Path;

use toml::Spanned;

use crate::engine::{self, DocumentOutcome};
use crate::model::{PortionKind, Span};
use crate::policy::Policy;
use crate::policy::diagnostic::{Code, Diagnostic};
use crate::policy::file::{PolicyFile, TestFile};

/// The result of one policy test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestResult {
    /// The test's name.
    pub name: String,
    /// Whether every expectation held.
    pub passed: bool,
    /// Each failed expectation: what was expected, what came out.
    pub failures: Vec<(String, String)>,
    /// Rules that decided something in the test's document.
    pub rules: Vec<String>,
}

fn span_of<T>(value: &Spanned<T>) -> Span {
    Span::new(value.span().start, value.span().end)
}

/// Runs the tests of `file` against the validated `policy`; documents given by path are found
/// relative to `base`. Returns the results and the diagnostics (invalid and failed tests).
#[must_use]
pub fn run(policy: &Policy, file: &PolicyFile, base: Option<&Path>) -> (Vec<TestResult>, Vec<Diagnostic>) {
    let mut results = Vec::new();
    let mut diagnostics = Vec::new();
    for test in &file.tests {
        match run_one(policy, test, base) {
            Ok(result) => {
                if !result.passed {
                    let diff: Vec<String> = result
                        .failures
                        .iter()
                        .flat_map(|(expected, got)| [format!("- {expected}"), format!("+ {got}")])
                        .collect();
                    diagnostics.push(
                        Diagnostic::new(
                            Code::P020,
                            format!("policy test `{}` failed", result.name),
                            Some(span_of(&test.get_ref().name)),
                        )
                        .with_hint(format!("expected (-) against got (+):\n{}", diff.join("\n"))),
                    );
                }
                results.push(result);
            }
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    (results, diagnostics)
}

fn run_one(policy: &Policy, spanned: &Spanned<TestFile>, base: Option<&Path>) -> Result<TestResult, Diagnostic> {
    let test = spanned.get_ref();
    let name = test.name.get_ref().clone();
    let invalid = |message: String, span: Span| Diagnostic::new(Code::P019, message, Some(span));
    let document = match (&test.document, &test.path) {
        (Some(document), None) => document.get_ref().clone(),
        (None, Some(path)) => {
            let full = base.map_or_else(|| Path::new(path.get_ref()).to_path_buf(), |b| b.join(path.get_ref()));
            std::fs::read_to_string(&full).map_err(|e| {
                invalid(
                    format!(
                        "test `{name}`: cannot read `{}`: {}",
                        path.get_ref(),
                        crate::model::lower_first(&e.to_string())
                    ),
                    span_of(path),
                )
            })?
        }
        _ => {
            return Err(invalid(
                format!("test `{name}` needs exactly one of `document` and `path`"),
                span_of(&test.name),
            )
            .with_hint("give the document inline (`document = '''…'''`) or as a path next to the policy"));
        }
    };
    let as_of = test.as_of.get_ref().to_date().ok_or_else(|| {
        invalid(format!("test `{name}`: invalid date"), span_of(&test.as_of))
            .with_hint("write an ISO date such as `2018-02-15`")
    })?;
    if let Some(outcome) = &test.outcome
        && DocumentOutcome::from_name(outcome.get_ref()).is_none()
    {
        return Err(invalid(format!("test `{name}`: unknown outcome `{}`", outcome.get_ref()), span_of(outcome))
            .with_hint("outcomes are `release_in_full`, `release_in_part`, `deny_in_full`, `review`"));
    }
    let doc = crate::parse::parse_str(document)
        .map_err(|e| invalid(format!("test `{name}`: the document cannot be read: {e}"), span_of(&test.name)))?;
    let decisions = engine::evaluate(&doc, policy, as_of);
    let mut failures = Vec::new();
    if let Some(outcome) = &test.outcome
        && decisions.outcome.name() != outcome.get_ref()
    {
        failures.push((format!("outcome {}", outcome.get_ref()), format!("outcome {}", decisions.outcome.name())));
    }
    for expectation in &test.portions {
        let expected = expectation.get_ref();
        let kind_name = expected.kind.as_ref().map_or("paragraph", |k| k.get_ref().as_str());
        let Some(kind) = PortionKind::from_name(kind_name) else {
            return Err(invalid(format!("test `{name}`: unknown portion kind `{kind_name}`"), span_of(expectation)));
        };
        if super::Outcome::from_name(expected.decision.get_ref()).is_none() {
            return Err(invalid(
                format!("test `{name}`: unknown decision `{}`", expected.decision.get_ref()),
                span_of(&expected.decision),
            )
            .with_hint("decisions are `release`, `redact`, `review`, `withhold`"));
        }
        let label = match (&expected.number, &expected.starts_with) {
            (Some(number), _) => format!("{kind_name} {}", number.get_ref()),
            (None, Some(start)) => format!("{kind_name} starting `{}`", start.get_ref()),
            (None, None) => kind_name.to_owned(),
        };
        let found = doc.portions.iter().zip(&decisions.portions).find(|(p, _)| {
            p.kind == kind
                && expected.number.as_ref().is_none_or(|n| p.number.as_deref() == Some(n.get_ref().as_str()))
                && expected
                    .starts_with
                    .as_ref()
                    .is_none_or(|s| doc.text(p.span).trim_start().starts_with(s.get_ref().as_str()))
        });
        let Some((_, decision)) = found else {
            failures
                .push((format!("{label}: {}", expected.decision.get_ref()), format!("{label}: not in the document")));
            continue;
        };
        let mut want = format!("{label}: {}", expected.decision.get_ref());
        let mut got = format!("{label}: {}", decision.outcome);
        let mut differs = decision.outcome.name() != expected.decision.get_ref();
        if let Some(rules) = &expected.rules {
            let mut expected_rules: Vec<String> = rules.get_ref().iter().map(|r| r.get_ref().clone()).collect();
            expected_rules.sort();
            let mut got_rules = decision.rules.clone();
            got_rules.sort();
            let _ = write!(want, " by {}", expected_rules.join(", "));
            let _ = write!(got, " by {}", got_rules.join(", "));
            differs |= expected_rules != got_rules;
        }
        if let Some(labels) = &expected.labels {
            let mut expected_labels: Vec<String> =
                labels.get_ref().iter().map(|l| l.get_ref().to_ascii_uppercase()).collect();
            crate::policy::sort_labels(&mut expected_labels);
            let _ = write!(want, " [{}]", expected_labels.join(","));
            let _ = write!(got, " [{}]", decision.labels.join(","));
            differs |= expected_labels != decision.labels;
        }
        if differs {
            failures.push((want, got));
        }
    }
    let mut rules: Vec<String> = decisions
        .portions
        .iter()
        .flat_map(|p| p.rules.iter().cloned().chain(p.spans.iter().flat_map(|s| s.rules.iter().cloned())))
        .collect();
    rules.sort();
    rules.dedup();
    Ok(TestResult { name, passed: failures.is_empty(), failures, rules })
}
