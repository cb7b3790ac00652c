//! Release-ready text: a State FOIA-style stamp, then the document copied byte for byte with
//! each redacted portion replaced by its number, original mark and labels
//! (`3. (C) [B1 1.4(B),1.4(D)]`) and each redacted span by its labels (`[B6]`). A withheld
//! document, or one that needs review, becomes a withdrawal notice and none of its text.
//!
//! Nothing of a redacted portion reaches the output: a placeholder is made only of the
//! portion's number, its mark and the labels, and the stamp and notice only of the outcome,
//! the labels, the policy and a sanitised document id.

use std::fmt::Write as _;

use crate::engine::{Decisions, DocumentOutcome, PortionDecision};
use crate::model::{Document, Portion, PortionKind, is_blank};
use crate::policy::{Outcome, Policy};

/// Case and document numbers printed in the stamp.
#[derive(Debug, Clone, Default)]
pub struct StampOptions {
    /// Case number (`F-2026-00123`).
    pub case: Option<String>,
    /// Document number within the case.
    pub document_number: Option<String>,
}

/// A document id made safe for file names and stamps: letters, digits, `.`, `_` and `-`
/// only, no `..`, no leading or trailing dot, at most 64 characters. `None` if nothing is left.
#[must_use]
pub fn sanitize_id(id: &str) -> Option<String> {
    let mut cleaned: String =
        id.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') { c } else { '_' }).collect();
    while cleaned.contains("..") {
        cleaned = cleaned.replace("..", "_");
    }
    let cleaned = cleaned.trim_matches(['_', '.']).to_owned();
    let cleaned: String = cleaned.chars().take(64).collect();
    (!cleaned.is_empty() && cleaned.chars().any(|c| c.is_ascii_alphanumeric())).then_some(cleaned)
}

/// Labels as a placeholder shows them: B1 with its 1.4 reasons, then the others
/// (`B1 1.4(B),1.4(D) B6`).
#[must_use]
pub fn placeholder_labels(labels: &[String]) -> String {
    let reasons: Vec<&str> = labels.iter().filter(|l| l.starts_with("1.4(")).map(String::as_str).collect();
    let mut parts: Vec<String> = Vec::new();
    for label in labels.iter().filter(|l| !l.starts_with("1.4(")) {
        if label == "B1" && !reasons.is_empty() {
            parts.push(format!("B1 {}", reasons.join(",")));
        } else {
            parts.push(label.clone());
        }
    }
    if !labels.iter().any(|l| l == "B1") && !reasons.is_empty() {
        parts.push(reasons.join(","));
    }
    parts.join(" ")
}

/// What replaces a redacted portion: its number, its mark and the labels. Nothing else of
/// the portion's text is used.
fn placeholder(portion: &Portion, labels: &[String]) -> String {
    let mut out = String::new();
    match (portion.kind, &portion.number) {
        (PortionKind::Paragraph, Some(number)) => {
            let _ = write!(out, "{number}. ");
        }
        (PortionKind::Subparagraph, Some(label)) if label.chars().all(char::is_alphanumeric) => {
            let _ = write!(out, "{label}. ");
        }
        (PortionKind::Subparagraph, Some(_)) => out.push_str("-- "),
        (PortionKind::Subject, _) => out.push_str("SUBJECT: "),
        _ => {}
    }
    // A recognised mark is a marking, not content; an unrecognised one might be words.
    if let Some(mark) = portion.marking.as_ref().filter(|m| m.is_recognized()) {
        let _ = write!(out, "{} ", mark.raw.trim());
    }
    let labels = placeholder_labels(labels);
    let _ = write!(out, "[{}]", if labels.is_empty() { "REDACTED".to_owned() } else { labels });
    out
}

/// The stamp lines at the top of a release.
#[must_use]
pub fn stamp(doc: &Document, decisions: &Decisions, policy: &Policy, options: &StampOptions) -> String {
    let mut out = String::from("UNCLASSIFIED\n");
    let case = options.case.as_deref().and_then(sanitize_id);
    let number = options.document_number.as_deref().and_then(sanitize_id);
    match (case, number) {
        (Some(case), Some(number)) => {
            let _ = writeln!(out, "Case No. {case}  Doc No. {number}");
        }
        (Some(case), None) => {
            let _ = writeln!(out, "Case No. {case}");
        }
        (None, Some(number)) => {
            let _ = writeln!(out, "Doc No. {number}");
        }
        (None, None) => {}
    }
    let _ = writeln!(out, "{}", crate::render::report::outcome_line(decisions));
    let _ = writeln!(
        out,
        "Reviewed under policy {} {} (sha256 {}) as of {}",
        sanitize_id(&policy.name).unwrap_or_else(|| "policy".to_owned()),
        sanitize_id(&policy.version).unwrap_or_default(),
        policy.sha256.get(..12).unwrap_or(&policy.sha256),
        decisions.as_of
    );
    if let Some(id) = doc.id.as_deref().and_then(sanitize_id) {
        let _ = writeln!(out, "Document {id}");
    }
    out.push_str(&"=".repeat(72));
    out.push('\n');
    out
}

/// The released body: the source with redacted portions and spans replaced.
///
/// Built portion by portion: the bytes of a released portion are copied (but its redacted
/// spans), a redacted portion becomes its placeholder, and between portions only blanks are
/// copied. Text that belongs to no portion (which the parser's tiling should make impossible)
/// is never copied: nothing is released that no decision covers.
#[must_use]
pub fn released_body(doc: &Document, decisions: &Decisions) -> String {
    let source = doc.source.as_str();
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for (portion, decision) in doc.portions.iter().zip(&decisions.portions) {
        let span = portion.span;
        if span.start < at || span.end > source.len() || !source.is_char_boundary(span.start) {
            continue;
        }
        push_between(&mut out, &source[at..span.start]);
        push_released_portion(&mut out, doc, portion, decision);
        at = span.end;
    }
    push_between(&mut out, &source[at..]);
    out
}

/// What the release shows of one portion: its text with its redacted spans replaced by their
/// labels when it is released, its placeholder when it is not. Only the portion's own bytes
/// are read.
#[must_use]
pub fn released_portion(doc: &Document, portion: &Portion, decision: &PortionDecision) -> String {
    let mut out = String::new();
    push_released_portion(&mut out, doc, portion, decision);
    out
}

/// [`released_portion`], appended to `out`.
fn push_released_portion(out: &mut String, doc: &Document, portion: &Portion, decision: &PortionDecision) {
    let span = portion.span;
    if decision.outcome != Outcome::Release || doc.source.get(span.start..span.end).is_none() {
        out.push_str(&placeholder(portion, &decision.labels));
        return;
    }
    let mut from = span.start;
    for cut in &decision.spans {
        let cut_span = cut.span;
        if cut_span.start < from || cut_span.end > span.end {
            continue;
        }
        out.push_str(&doc.source[from..cut_span.start]);
        let _ = write!(out, "[{}]", placeholder_labels(&cut.labels));
        from = cut_span.end;
    }
    out.push_str(&doc.source[from..span.end]);
}

/// Copies what stands between two portions when it is only blanks and line breaks.
fn push_between(out: &mut String, between: &str) {
    if is_blank(between) {
        out.push_str(between);
    } else {
        out.push_str("[NOT READ]");
    }
}

/// The withdrawal notice that stands for a withheld document or one that needs review.
#[must_use]
pub fn withdrawal_notice(doc: &Document, decisions: &Decisions) -> String {
    let mut out = String::from("WITHDRAWAL NOTICE\n\n");
    let id = doc.id.as_deref().and_then(sanitize_id).unwrap_or_else(|| "(no id)".to_owned());
    let _ = writeln!(out, "Document:  {id}");
    let _ = writeln!(out, "Dated:     {}", doc.created.map_or_else(|| "unknown".to_owned(), |d| d.to_string()));
    let _ = writeln!(out, "Outcome:   {}", decisions.outcome.stamp());
    let labels = if decisions.labels.is_empty() { "none".to_owned() } else { decisions.labels.join(",") };
    let _ = writeln!(out, "Labels:    {labels}");
    let reason = match decisions.outcome {
        DocumentOutcome::DenyInFull => "The document is withheld in full under the labels above.",
        _ => "The document needs review by a person before any part of it can be released.",
    };
    let _ = writeln!(out, "\n{reason} No text of the document is released.");
    out
}

/// The whole release: stamp, then the released body or the withdrawal notice.
#[must_use]
pub fn release_text(doc: &Document, decisions: &Decisions, policy: &Policy, options: &StampOptions) -> String {
    let mut out = stamp(doc, decisions, policy, options);
    match decisions.outcome {
        DocumentOutcome::ReleaseInFull | DocumentOutcome::ReleaseInPart => out.push_str(&released_body(doc, decisions)),
        DocumentOutcome::DenyInFull | DocumentOutcome::Review => out.push_str(&withdrawal_notice(doc, decisions)),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_ids_cannot_name_paths() {
        assert_eq!(sanitize_id("../../etc/passwd").as_deref(), Some("etc_passwd"));
        assert_eq!(sanitize_id("/abs/path").as_deref(), Some("abs_path"));
        assert_eq!(sanitize_id("a\0b").as_deref(), Some("a_b"));
        assert_eq!(sanitize_id("..").as_deref(), None);
        assert_eq!(sanitize_id("08MOSCOW434").as_deref(), Some("08MOSCOW434"));
    }

    #[test]
    fn b1_groups_its_reasons() {
        let labels: Vec<String> = ["B1", "1.4(B)", "1.4(D)", "B6"].iter().map(ToString::to_string).collect();
        assert_eq!(placeholder_labels(&labels), "B1 1.4(B),1.4(D) B6");
    }
}
