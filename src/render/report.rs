//! The dry-run report: per document its outcome, lapse and portion decisions; per run the
//! totals. Text for people, JSON Lines for tools.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use crate::engine::{Decisions, DocumentOutcome, LapseDate};
use crate::model::Document;
use crate::policy::{Outcome, Policy};
use crate::render::parsed;

/// The policy as named in reports.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyJson<'a> {
    /// Name.
    pub name: &'a str,
    /// Version.
    pub version: &'a str,
    /// SHA-256 of the policy file.
    pub sha256: &'a str,
}

impl<'a> PolicyJson<'a> {
    /// The JSON form of `policy`.
    #[must_use]
    pub fn of(policy: &'a Policy) -> Self {
        Self { name: &policy.name, version: &policy.version, sha256: &policy.sha256 }
    }
}

/// What a portion may take in the JSON report, the size the report's line is started at: the
/// shared corpus averages 247 bytes a portion (the document's own keys included) and a
/// numbered, marked paragraph with a long rule id takes about 280, so the line is sized above
/// both. Room the line does not use is never written, and for a large document never touched
/// (the corpus report's peak memory is the same at 256 and 384); a buffer too small is copied
/// into one twice its size, both held at once.
pub const JSON_BYTES_PER_PORTION: usize = 384;

/// Above this many bytes expected, a document's JSON line is written as it is serialized
/// ([`super::record::write_line`]) instead of made whole first: memory for a line of hundreds
/// of megabytes, when a body of a million portions is cut from one line, is memory no reader
/// needs, and faulting it in costs more than the writing.
pub const HELD_LINE_LIMIT: usize = 1 << 20;

/// About how many bytes the JSON line of `doc` takes: room for its portions and its own keys.
#[must_use]
pub fn line_bytes_expected(doc: &Document) -> usize {
    JSON_BYTES_PER_PORTION.saturating_mul(doc.portions.len()).saturating_add(1024)
}

/// Whether `report --format json` writes the line of `doc` as it is serialized (see
/// [`HELD_LINE_LIMIT`]).
#[must_use]
pub fn line_is_streamed(doc: &Document) -> bool {
    line_bytes_expected(doc) > HELD_LINE_LIMIT
}

/// One document of `declass report --format json`.
#[derive(Debug, Serialize)]
pub struct DocumentJson<'a> {
    /// Input name.
    pub path: &'a str,
    /// Document id.
    pub id: Option<&'a str>,
    /// The date decided for.
    pub as_of: String,
    /// The policy.
    pub policy: PolicyJson<'a>,
    /// `release_in_full`, `release_in_part`, `deny_in_full`, `review`.
    pub outcome: &'static str,
    /// Labels cited, in canonical order.
    pub labels: &'a [String],
    /// When the classification lapses, if on a date.
    pub lapses_on: Option<String>,
    /// The lapse in full.
    pub lapse: LapseJson<'a>,
    /// Decisions per portion.
    pub portions: PortionsJson<'a>,
    /// Parse problems.
    pub errors: Vec<String>,
    /// Facts the reviewer should know (origin dates that disagree, further instructions, a
    /// second banner).
    pub warnings: Vec<String>,
}

/// `lapse` in JSON.
#[derive(Debug, Serialize)]
pub struct LapseJson<'a> {
    /// `already`, `on` or `never`.
    pub kind: &'static str,
    /// The date, when `on`.
    pub date: Option<String>,
    /// Whether it has lapsed as of the date.
    pub lapsed: bool,
    /// Whether the instruction calls for review.
    pub needs_review: bool,
    /// The clause that decided, in words.
    pub clause: &'a str,
}

/// A span redaction in JSON.
#[derive(Debug, Serialize)]
pub struct SpanJson<'a> {
    /// `[start, end)` byte offsets.
    pub span: [usize; 2],
    /// Labels.
    pub labels: &'a [String],
    /// Rules.
    pub rules: &'a [String],
}

/// A rule that did not fire, and why.
#[derive(Debug, Serialize)]
pub struct WhyNotJson<'a> {
    /// Rule id.
    pub rule: &'a str,
    /// Why it did not fire.
    pub reason: &'a str,
}

/// A portion's decision in JSON.
#[derive(Debug, Serialize)]
pub struct PortionJson<'a> {
    /// The portion as `declass parse` prints it.
    #[serde(flatten)]
    pub portion: parsed::PortionJson<'a>,
    /// `release`, `redact`, `review`, `withhold`.
    pub decision: &'static str,
    /// Labels.
    pub labels: &'a [String],
    /// Deciding rules.
    pub rules: &'a [String],
    /// Level judged at.
    pub level: Option<&'static str>,
    /// Whether the level was inherited.
    pub inherited: bool,
    /// Span redactions.
    pub spans: Vec<SpanJson<'a>>,
    /// Notes for the reviewer.
    pub notes: &'a [String],
    /// With `--explain`: rules that did not fire.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub why_not: Vec<WhyNotJson<'a>>,
}

/// The portions of a document with their decisions, in JSON: written one by one as they are
/// serialized, so that a document of many portions is never held twice in memory.
pub struct PortionsJson<'a> {
    doc: &'a Document,
    decisions: &'a Decisions,
}

impl<'a> PortionsJson<'a> {
    /// Each portion's JSON, in document order.
    pub fn iter(&self) -> impl Iterator<Item = PortionJson<'a>> + use<'a> {
        self.doc.portions.iter().zip(&self.decisions.portions).map(|(p, d)| PortionJson {
            portion: parsed::PortionJson::of(p),
            decision: d.outcome.name(),
            labels: &d.labels,
            rules: &d.rules,
            level: d.level.map(crate::model::Level::abbrev),
            inherited: d.inherited,
            spans: d
                .spans
                .iter()
                .map(|s| SpanJson { span: [s.span.start, s.span.end], labels: &s.labels, rules: &s.rules })
                .collect(),
            notes: &d.notes,
            why_not: d.why_not.iter().map(|(rule, reason)| WhyNotJson { rule, reason }).collect(),
        })
    }
}

impl Serialize for PortionsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl std::fmt::Debug for PortionsJson<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

const fn lapse_kind(date: LapseDate) -> &'static str {
    match date {
        LapseDate::Already => "already",
        LapseDate::On(_) => "on",
        LapseDate::Never => "never",
    }
}

/// The JSON object of one document.
#[must_use]
pub fn to_json<'a>(path: &'a str, doc: &'a Document, decisions: &'a Decisions, policy: &'a Policy) -> DocumentJson<'a> {
    DocumentJson {
        path,
        id: doc.id.as_deref(),
        as_of: decisions.as_of.to_string(),
        policy: PolicyJson::of(policy),
        outcome: decisions.outcome.name(),
        labels: &decisions.labels,
        lapses_on: decisions.lapse.on().map(|d| d.to_string()),
        lapse: LapseJson {
            kind: lapse_kind(decisions.lapse.date),
            date: decisions.lapse.on().map(|d| d.to_string()),
            lapsed: decisions.lapsed,
            needs_review: decisions.lapse.needs_review,
            clause: &decisions.lapse.clause,
        },
        portions: PortionsJson { doc, decisions },
        errors: doc.errors.iter().map(|e| format!("{}: {}", e.position, e.message)).collect(),
        warnings: doc.warnings.iter().map(|w| format!("{}: {}", w.position, w.message)).collect(),
    }
}

/// The outcome line as stamped: `RELEASE IN PART B1,1.4(B),1.4(D)`.
#[must_use]
pub fn outcome_line(decisions: &Decisions) -> String {
    if decisions.labels.is_empty() || decisions.outcome == DocumentOutcome::ReleaseInFull {
        decisions.outcome.stamp().to_owned()
    } else {
        format!("{} {}", decisions.outcome.stamp(), decisions.labels.join(","))
    }
}

/// The lapse line: `lapses 2018-02-15: explicit date set by the classifier (…)`.
#[must_use]
pub fn lapse_line(decisions: &Decisions) -> String {
    let when = match decisions.lapse.date {
        LapseDate::Already => "already lapsed".to_owned(),
        LapseDate::On(date) if decisions.lapsed => format!("lapsed on {date}"),
        LapseDate::On(date) => format!("lapses on {date}"),
        LapseDate::Never => "never lapses by date".to_owned(),
    };
    format!("{when}: {}", decisions.lapse.clause)
}

/// The run header of the text report.
#[must_use]
pub fn text_header(policy: &Policy, as_of: NaiveDate) -> String {
    format!(
        "declass report: policy {} {} (sha256 {}), as of {as_of}\n\n",
        policy.name,
        policy.version,
        policy.sha256.get(..12).unwrap_or(&policy.sha256)
    )
}

/// One document in the text report.
#[must_use]
pub fn to_text(path: &str, doc: &Document, decisions: &Decisions) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}  {path}", doc.id.as_deref().unwrap_or("(no id)"));
    let _ = writeln!(out, "  {}", outcome_line(decisions));
    let _ = writeln!(out, "  {}", lapse_line(decisions));
    for error in &doc.errors {
        let _ = writeln!(out, "  error {}: {}", error.position, error.message);
    }
    for warning in &doc.warnings {
        let _ = writeln!(out, "  note {}: {}", warning.position, warning.message);
    }
    // The mark and label columns fit the document's longest (`(S//REL TO USA, FVEY)`).
    let w =
        doc.portions.iter().filter_map(|p| p.marking.as_ref()).map(|m| m.raw.chars().count()).max().unwrap_or(0).max(9);
    let label_text = |labels: &[String]| if labels.is_empty() { "-".to_owned() } else { labels.join(" ") };
    let lw = decisions
        .portions
        .iter()
        .flat_map(|d| std::iter::once(label_text(&d.labels)).chain(d.spans.iter().map(|s| label_text(&s.labels))))
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
        .max(22);
    let _ = writeln!(
        out,
        "  {:>6}  {:<18} {:<w$} {:<6} {:<9} {:<lw$} rules",
        "line", "portion", "mark", "level", "decision", "labels"
    );
    for (portion, decision) in doc.portions.iter().zip(&decisions.portions) {
        let name = portion.name();
        let mark = portion.marking.as_ref().map_or("", |m| m.raw.as_str());
        let level = decision
            .level
            .map_or_else(|| "?".to_owned(), |l| format!("{l}{}", if decision.inherited { "*" } else { "" }));
        let labels = label_text(&decision.labels);
        let _ = writeln!(
            out,
            "  {:>6}  {name:<18} {mark:<w$} {level:<6} {:<9} {labels:<lw$} {}",
            portion.position.line,
            decision.outcome.name(),
            decision.rules.join(", ")
        );
        for span in &decision.spans {
            let _ = writeln!(
                out,
                "  {:>6}  {:<18} {:<w$} {:<6} {:<9} {:<lw$} {}",
                "",
                format!("  span {}..{}", span.span.start, span.span.end),
                "",
                "",
                "redact",
                span.labels.join(" "),
                span.rules.join(", ")
            );
        }
        for note in &decision.notes {
            let _ = writeln!(out, "  {:>6}    note: {note}", "");
        }
        for (rule, reason) in &decision.why_not {
            let _ = writeln!(out, "  {:>6}    {rule} did not fire: {reason}", "");
        }
    }
    out.push('\n');
    out
}

/// Totals over a run.
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    /// Documents decided.
    pub documents: usize,
    /// Inputs that could not be read or parsed.
    pub failed: usize,
    /// Documents by outcome.
    pub outcomes: BTreeMap<&'static str, usize>,
    /// Portions by decision.
    pub decisions: BTreeMap<&'static str, usize>,
    /// Portions decided, by rule.
    pub rules: BTreeMap<String, usize>,
}

impl Summary {
    /// Counts one document's decisions.
    pub fn add(&mut self, decisions: &Decisions) {
        self.documents += 1;
        *self.outcomes.entry(decisions.outcome.name()).or_default() += 1;
        for portion in &decisions.portions {
            *self.decisions.entry(portion.outcome.name()).or_default() += 1;
            for rule in &portion.rules {
                *self.rules.entry(rule.clone()).or_default() += 1;
            }
            for span in &portion.spans {
                for rule in &span.rules {
                    *self.rules.entry(rule.clone()).or_default() += 1;
                }
            }
        }
    }

    /// The totals for people.
    #[must_use]
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "totals: {} document(s), {} could not be read", self.documents, self.failed);
        for outcome in DocumentOutcome::ALL {
            let _ =
                writeln!(out, "  {:<16} {}", outcome.name(), self.outcomes.get(outcome.name()).copied().unwrap_or(0));
        }
        let _ = writeln!(out, "portions by decision:");
        for outcome in Outcome::ALL {
            let _ =
                writeln!(out, "  {:<16} {}", outcome.name(), self.decisions.get(outcome.name()).copied().unwrap_or(0));
        }
        let _ = writeln!(out, "portions by rule:");
        for (rule, count) in &self.rules {
            let _ = writeln!(out, "  {rule:<36} {count}");
        }
        out
    }
}

/// The final JSON object of a run.
#[derive(Debug, Serialize)]
pub struct SummaryJson<'a> {
    /// The totals.
    pub summary: SummaryBody<'a>,
}

/// The body of the summary object.
#[derive(Debug, Serialize)]
pub struct SummaryBody<'a> {
    /// The date decided for.
    pub as_of: String,
    /// The policy.
    pub policy: PolicyJson<'a>,
    /// Totals.
    #[serde(flatten)]
    pub totals: &'a Summary,
}
