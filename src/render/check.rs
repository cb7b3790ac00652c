//! Output of `declass check`: the caret format for people, JSON for tools, GitHub workflow
//! annotations, and SARIF 2.1.0 for code-scanning tools.

use std::fmt::Write as _;

use serde::Serialize;
use serde_json::json;

use crate::check::CheckReport;
use crate::model::LineIndex;
use crate::model::Position;
use crate::policy::{Code, Diagnostic, Severity};

/// One checked file: its name, text and findings.
#[derive(Debug)]
pub struct Checked {
    /// The path as given.
    pub path: String,
    /// The file's text.
    pub source: String,
    /// What was found.
    pub report: CheckReport,
}

/// Start and end of a diagnostic (1-based, end inclusive of the last character's column).
fn range(source: &str, index: &LineIndex, diagnostic: &Diagnostic) -> (Position, Position) {
    match diagnostic.span {
        Some(span) => {
            let start = index.position(source, span.start);
            let end = index.position(source, span.end.max(span.start + 1).min(source.len()).max(span.start));
            (start, end)
        }
        None => (Position { line: 1, col: 1 }, Position { line: 1, col: 1 }),
    }
}

/// Counts over all checked files.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct Totals {
    /// Files checked.
    pub policies: usize,
    /// Errors.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Policy tests run.
    pub tests: usize,
    /// Policy tests that failed.
    pub failed_tests: usize,
}

/// Counts the findings of `checked`.
#[must_use]
pub fn totals(checked: &[Checked]) -> Totals {
    let mut t = Totals { policies: checked.len(), ..Totals::default() };
    for c in checked {
        t.errors += c.report.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
        t.warnings += c.report.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
        t.tests += c.report.tests.len();
        t.failed_tests += c.report.tests.iter().filter(|r| !r.passed).count();
    }
    t
}

/// A line per file (findings, tests, coverage) and the totals; the diagnostics themselves
/// are rendered by [`super::diagnostics::to_text`].
#[must_use]
pub fn summary_text(checked: &[Checked]) -> String {
    let mut out = String::new();
    for c in checked {
        let errors = c.report.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
        let warnings = c.report.diagnostics.len() - errors;
        let _ = write!(out, "{}: {errors} error(s), {warnings} warning(s)", c.path);
        if let (Some(policy), Some(coverage)) = (&c.report.policy, &c.report.coverage) {
            let passed = c.report.tests.iter().filter(|t| t.passed).count();
            let _ = write!(
                out,
                "; {} rules, {passed} of {} tests passed, coverage {:.0}% ({} of {} rules)",
                policy.rules.len(),
                c.report.tests.len(),
                coverage.percent(),
                coverage.exercised.len(),
                coverage.rules
            );
        }
        out.push('\n');
    }
    let t = totals(checked);
    let _ = writeln!(
        out,
        "checked {} policy file(s): {} error(s), {} warning(s), {} of {} policy test(s) failed",
        t.policies, t.errors, t.warnings, t.failed_tests, t.tests
    );
    out
}

fn diagnostic_json(c: &Checked, index: &LineIndex, d: &Diagnostic) -> serde_json::Value {
    let (start, end) = range(&c.source, index, d);
    json!({
        "code": d.code.name(),
        "severity": d.severity.name(),
        "message": d.message,
        "line": start.line,
        "col": start.col,
        "end_line": end.line,
        "end_col": end.col,
        "hint": d.hint,
    })
}

/// One JSON document for the whole run.
#[must_use]
pub fn to_json(checked: &[Checked]) -> String {
    let policies: Vec<serde_json::Value> = checked
        .iter()
        .map(|c| {
            let index = LineIndex::new(&c.source);
            json!({
                "path": c.path,
                "name": c.report.policy.as_ref().map(|p| p.name.clone()),
                "version": c.report.policy.as_ref().map(|p| p.version.clone()),
                "sha256": c.report.policy.as_ref().map(|p| p.sha256.clone()),
                "diagnostics": c.report.diagnostics.iter().map(|d| diagnostic_json(c, &index, d)).collect::<Vec<_>>(),
                "tests": c.report.tests.iter().map(|t| json!({
                    "name": t.name,
                    "passed": t.passed,
                    "failures": t.failures.iter().map(|(e, g)| json!({"expected": e, "got": g})).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "coverage": c.report.coverage.as_ref().map(|cov| json!({
                    "rules": cov.rules,
                    "exercised": cov.exercised,
                    "unexercised": cov.unexercised,
                    "percent": (cov.percent() * 10.0).round() / 10.0,
                })),
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&json!({
        "schema_version": super::record::SCHEMA_VERSION,
        "policies": policies,
        "summary": totals(checked),
    }))
    .unwrap_or_default();
    text.push('\n');
    text
}

/// Escapes a value for a GitHub workflow command.
fn escape_github(text: &str, property: bool) -> String {
    let mut out = text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

/// GitHub workflow annotations, one per line.
#[must_use]
pub fn to_github(checked: &[Checked]) -> String {
    let mut out = String::new();
    for c in checked {
        let index = LineIndex::new(&c.source);
        for d in &c.report.diagnostics {
            let (start, end) = range(&c.source, &index, d);
            let level = if d.severity == Severity::Error { "error" } else { "warning" };
            let message = match &d.hint {
                Some(hint) => format!("{}\n{hint}", d.message),
                None => d.message.clone(),
            };
            let _ = writeln!(
                out,
                "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_github(&c.path, true),
                start.line,
                start.col,
                end.line,
                end.col,
                d.code,
                escape_github(&message, false)
            );
        }
    }
    out
}

/// A SARIF 2.1.0 log with one run; every code appears as a rule with its documentation.
#[must_use]
pub fn to_sarif(checked: &[Checked]) -> String {
    let rules: Vec<serde_json::Value> = Code::ALL
        .iter()
        .map(|code| {
            let (what, why, example) = code.documentation();
            json!({
                "id": code.name(),
                "name": what,
                "shortDescription": { "text": what },
                "fullDescription": { "text": why },
                "help": { "text": format!("{why}\n\nExample:\n{example}") },
                "defaultConfiguration": { "level": if code.severity() == Severity::Error { "error" } else { "warning" } },
            })
        })
        .collect();
    let mut results = Vec::new();
    for c in checked {
        let index = LineIndex::new(&c.source);
        for d in &c.report.diagnostics {
            let (start, end) = range(&c.source, &index, d);
            let text = match &d.hint {
                Some(hint) => format!("{} ({hint})", d.message),
                None => d.message.clone(),
            };
            results.push(json!({
                "ruleId": d.code.name(),
                "ruleIndex": Code::ALL.iter().position(|x| *x == d.code),
                "level": if d.severity == Severity::Error { "error" } else { "warning" },
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": c.path.replace('\\', "/") },
                        "region": {
                            "startLine": start.line,
                            "startColumn": start.col,
                            "endLine": end.line,
                            "endColumn": end.col,
                        }
                    }
                }],
            }));
        }
    }
    let log = json!({
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "declass",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}
