//! One document in the review: its facts and flags, then portion by portion the original
//! beside the release, each portion shaded and labelled by its decision, with why on hover or
//! focus.

use std::collections::HashMap;

use chrono::{Datelike as _, NaiveDate};
use maud::{Markup, html};

use super::{PageMarking, Text, decision_class, outcome_class};
use crate::engine::{Decisions, DocumentOutcome, LapseDate, PortionDecision};
use crate::model::{Document, Portion};
use crate::policy::{Outcome, Policy};
use crate::render::release::{self, StampOptions};
use crate::render::report::{lapse_line, outcome_line};

/// When a classified portion's instruction lapses, for the summary's timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LapseBucket {
    /// It had lapsed before the instruction was read (`N/A`).
    Already,
    /// In this year.
    Year(i32),
    /// Never by date: a person decides.
    Never,
}

/// What the summary needs of one document, kept instead of the document.
#[derive(Debug, Clone)]
pub struct DocumentEntry {
    /// The input's position, from 1.
    pub number: usize,
    /// The input as given.
    pub name: String,
    /// Where its view is: a file, or an anchor on the same page.
    pub href: String,
    /// Document id.
    pub id: Option<String>,
    /// Date of origin.
    pub created: Option<NaiveDate>,
    /// Outcome.
    pub outcome: DocumentOutcome,
    /// The marking its view carries.
    pub marking: PageMarking,
    /// Labels cited.
    pub labels: Vec<String>,
    /// Portions, and portions with something redacted.
    pub portions: (usize, usize),
    /// Deciding rules, once per portion they decided.
    pub rules: Vec<String>,
    /// Per classified portion, when its instruction lapses.
    pub lapses: Vec<LapseBucket>,
}

impl DocumentEntry {
    /// The summary's view of a decided document.
    #[must_use]
    pub fn of(number: usize, name: &str, href: String, doc: &Document, decisions: &Decisions) -> Self {
        let lapses = decisions
            .portions
            .iter()
            .filter(|d| d.level.is_some_and(crate::model::Level::is_classified))
            .map(|d| match d.lapses {
                LapseDate::Already => LapseBucket::Already,
                LapseDate::On(date) => LapseBucket::Year(date.year()),
                LapseDate::Never => LapseBucket::Never,
            })
            .collect();
        Self {
            number,
            name: name.to_owned(),
            href,
            id: doc.id.clone(),
            created: doc.created,
            outcome: decisions.outcome,
            marking: PageMarking::of(doc),
            labels: decisions.labels.clone(),
            portions: (decisions.portions.len(), decisions.portions.iter().filter(|d| d.redacts_anything()).count()),
            rules: decisions.portions.iter().flat_map(|d| d.rules.iter().cloned()).collect(),
            lapses,
        }
    }
}

/// The anchor of document `number` on a page.
#[must_use]
pub fn anchor(number: usize) -> String {
    format!("doc-{number}")
}

/// What every document's view of a run shares: the policy, what its rules are for, and
/// where the summary is.
#[derive(Debug)]
pub struct Context<'a> {
    /// The policy decided under.
    pub policy: &'a Policy,
    /// Where the summary is, when on the same page (`#summary`).
    pub summary: Option<&'a str>,
    /// What each deciding rule is for, by id.
    descriptions: HashMap<&'a str, &'a str>,
}

impl<'a> Context<'a> {
    /// The context of views under `policy`.
    #[must_use]
    pub fn new(policy: &'a Policy, summary: Option<&'a str>) -> Self {
        let mut descriptions: HashMap<&str, &str> = HashMap::from([
            ("defaults.no_match", "no rule matched: the policy's default for such portions"),
            ("defaults.unrecognized", "a mark could not be read: the policy's default for unrecognised marks"),
            ("defaults.contradiction", "the marks contradict each other: the policy's default for contradictions"),
            ("defaults.parse_error", "the document could not be read reliably: the policy's default for parse errors"),
        ]);
        for rule in &policy.rules {
            if let Some(description) = &rule.description {
                descriptions.insert(&rule.id, description);
            }
        }
        Self { policy, summary, descriptions }
    }
}

/// The decision as a reviewer reads it.
const fn decision_words(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Release => "RELEASE",
        Outcome::Redact => "REDACT",
        Outcome::Review => "REVIEW",
        Outcome::Withhold => "WITHHOLD",
    }
}

/// One document as an `<article>` with id [`anchor`].
#[must_use]
pub fn article(number: usize, name: &str, doc: &Document, decisions: &Decisions, context: &Context<'_>) -> Markup {
    let policy = context.policy;
    let id = anchor(number);
    let released = matches!(decisions.outcome, DocumentOutcome::ReleaseInFull | DocumentOutcome::ReleaseInPart);
    let stamp = release::stamp(doc, decisions, policy, &StampOptions::default());
    let stops = decisions.portions.iter().filter(|d| d.redacts_anything()).count();
    html! {
        article.document id=(id) aria-labelledby={ (id) "-title" } data-input=(name) data-outcome=(decisions.outcome.name()) {
            header.doc-head {
                @if let Some(summary) = context.summary { p.back { a href=(summary) { "↑ Summary" } } }
                h2 id={ (id) "-title" } {
                    (doc.id.as_deref().unwrap_or("(no id)")) " "
                    span class={ "outcome " (outcome_class(decisions.outcome)) } { (decisions.outcome.stamp()) }
                }
                dl.facts {
                    dt { "Input" } dd { code { (name) } }
                    dt { "Outcome" } dd { (outcome_line(decisions)) }
                    dt { "Dated" } dd { (doc.created.map_or_else(|| "unknown".to_owned(), |d| d.to_string())) }
                    dt { "Marked" } dd { (PageMarking::of(doc).banner()) }
                    dt { "Declassification" } dd { (lapse_line(decisions)) }
                    dt { "Policy" } dd {
                        (policy.name) " " (policy.version) " (sha256 "
                        (policy.sha256.get(..12).unwrap_or(&policy.sha256)) "), as of " (decisions.as_of)
                    }
                    dt { "Redactions" } dd { (stops) " of " (decisions.portions.len()) " portions" }
                }
                @if !doc.errors.is_empty() || !doc.warnings.is_empty() {
                    ul.flags aria-label="Problems and notes" {
                        @for error in &doc.errors {
                            li.flag-error { strong { "Error" } " line " (error.position.line) ":" (error.position.col) ": " (error.message) }
                        }
                        @for warning in &doc.warnings {
                            li.flag-note { strong { "Note" } " line " (warning.position.line) ":" (warning.position.col) ": " (warning.message) }
                        }
                    }
                }
            }
            div.panes-head aria-hidden="true" { div { "Original" } div { "Release" } }
            section.portion.stamp-row aria-label="The release's stamp" {
                div.strip { span.tag { "STAMP" } " what the release begins with" }
                div.pane.original.empty { "(not in the original)" }
                pre.pane.release {
                    (Text(&stamp))
                    @if !released { (Text(&release::withdrawal_notice(doc, decisions))) }
                }
            }
            @for (index, (portion, decision)) in doc.portions.iter().zip(&decisions.portions).enumerate() {
                (portion_row(&id, index, doc, portion, decision, decisions, context, released))
            }
        }
    }
}

/// One portion: the strip with its decision, the original, the release and why.
#[allow(clippy::too_many_arguments)]
fn portion_row(
    document: &str,
    index: usize,
    doc: &Document,
    portion: &Portion,
    decision: &PortionDecision,
    decisions: &Decisions,
    context: &Context<'_>,
    released: bool,
) -> Markup {
    let what = portion.name();
    let mark = portion.marking.as_ref().map(|m| m.raw.as_str());
    let flagged = !decision.notes.is_empty();
    let class = format!(
        "portion {}{}{}",
        decision_class(decision.outcome),
        if decision.redacts_anything() { " stop" } else { "" },
        if flagged { " flagged" } else { "" }
    );
    let labels = release::placeholder_labels(&decision.labels);
    let level = decision.level.map_or_else(
        || "level unknown".to_owned(),
        |l| format!("{l}{}", if decision.inherited { " inherited" } else { "" }),
    );
    let decided = decision_words(decision.outcome);
    html! {
        section class=(class) id={ (document) "-p" (index + 1) } tabindex="0" data-decision=(decision.outcome.name())
            aria-label={ (what) ": " (decided) @if !labels.is_empty() { " " (labels) } } {
            div.strip {
                span.tag { (decided) }
                " " span.what { (what) }
                @if let Some(mark) = mark { " " code.mark { (mark) } }
                @if !labels.is_empty() { " " span.labels { (labels) } }
                @if !decision.spans.is_empty() { " " span.labels { (decision.spans.len()) " span redaction" @if decision.spans.len() > 1 { "s" } } }
                " " span.level { (level) }
                @if flagged { " " span.flag { "FLAG" } }
                " " span.line { "line " (portion.position.line) }
            }
            pre.pane.original { (original_text(doc, portion, decision)) }
            @if released {
                pre.pane.release { (Text(&release::released_portion(doc, portion, decision))) }
            } @else {
                div.pane.release.empty { "Not released: the whole document is " (decisions.outcome.name().replace('_', " ")) "." }
            }
            div.why {
                p { "Decided by "
                    @for (n, rule) in decision.rules.iter().enumerate() {
                        @if n > 0 { ", " }
                        code { (rule) }
                        @if let Some(description) = context.descriptions.get(rule.as_str()) { " — " (description.trim_end_matches('.')) }
                    }
                    "."
                }
                p { "Declassification: "
                    (match decision.lapses {
                        LapseDate::Already => "the instruction has lapsed already".to_owned(),
                        LapseDate::On(date) if decision.lapsed => format!("lapsed on {date}"),
                        LapseDate::On(date) => format!("lapses on {date}"),
                        LapseDate::Never => "never lapses by date".to_owned(),
                    })
                    @if decision.needs_review { " (the instruction calls for review)" }
                    @if decision.lapses == decisions.lapse.date { ": the document's instruction, above." } @else { "." }
                }
                @for span in &decision.spans {
                    p { "Span redacted " (release::placeholder_labels(&span.labels)) " by " (span.rules.join(", ")) "." }
                }
                @if flagged {
                    ul.notes { @for note in &decision.notes { li { (note) } } }
                }
                @if !decision.why_not.is_empty() {
                    details {
                        summary { "Why the other rules did not fire (" (decision.why_not.len()) ")" }
                        ul { @for (rule, reason) in &decision.why_not { li { code { (rule) } ": " (reason) } } }
                    }
                }
            }
        }
    }
}

/// The original text of a portion, its redacted spans highlighted.
fn original_text(doc: &Document, portion: &Portion, decision: &PortionDecision) -> Markup {
    let span = portion.span;
    let mut from = span.start;
    let mut pieces: Vec<(&str, Option<String>)> = Vec::new();
    if decision.outcome == Outcome::Release {
        for cut in &decision.spans {
            if cut.span.start < from || cut.span.end > span.end {
                continue;
            }
            pieces.push((doc.text(crate::model::Span::new(from, cut.span.start)), None));
            pieces.push((doc.text(cut.span), Some(release::placeholder_labels(&cut.labels))));
            from = cut.span.end;
        }
    }
    pieces.push((doc.text(crate::model::Span::new(from, span.end)), None));
    html! {
        @for (text, labels) in pieces {
            @match labels {
                Some(labels) => mark.cut title={ "redacted: " (labels) } { (Text(text)) },
                None => (Text(text)),
            }
        }
    }
}
