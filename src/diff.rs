//! What changes: the unified diff of a document's original text against its release, each
//! hunk annotated with the portions, rules and labels behind it; and the impact plan of two
//! policies or two dates over many documents.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use crate::engine::{Decisions, DocumentOutcome};
use crate::model::{Document, PortionKind};
use crate::policy::Outcome;

/// How to draw a text diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DiffStyle {
    /// Mark changed words inside changed lines (`[-old-]{+new+}`).
    pub word: bool,
    /// ANSI colours.
    pub color: bool,
}

const RED: anstyle::Style = anstyle::AnsiColor::Red.on_default();
const GREEN: anstyle::Style = anstyle::AnsiColor::Green.on_default();
const CYAN: anstyle::Style = anstyle::AnsiColor::Cyan.on_default();

/// A short description of a portion: `paragraph 3 (C)`.
fn portion_name(doc: &Document, index: usize) -> String {
    let portion = &doc.portions[index];
    let mut name = portion.name();
    if let Some(mark) = &portion.marking {
        let _ = write!(name, " {}", mark.raw);
    }
    name
}

/// What explains the change of lines `first..=last` (1-based) of the original: the portions
/// there that are not released whole, grouped by decision, rules and labels
/// (`redact by redact-classified-in-force [B1,1.4(B),1.4(D)]: paragraphs 1, 2; heading ×2`).
fn annotation(doc: &Document, decisions: &Decisions, first: u32, last: u32) -> String {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (index, (portion, decision)) in doc.portions.iter().zip(&decisions.portions).enumerate() {
        if !decision.redacts_anything() {
            continue;
        }
        let start = portion.position.line;
        let end = start + u32::try_from(doc.text(portion.span).matches('\n').count()).unwrap_or(0);
        if end < first || start > last {
            continue;
        }
        let (outcome, mut labels, mut rules) = if decision.outcome == Outcome::Release {
            let labels: Vec<String> = decision.spans.iter().flat_map(|s| s.labels.clone()).collect();
            let rules: Vec<String> = decision.spans.iter().flat_map(|s| s.rules.clone()).collect();
            ("span redaction", labels, rules)
        } else {
            (decision.outcome.name(), decision.labels.clone(), decision.rules.clone())
        };
        crate::policy::sort_labels(&mut labels);
        rules.sort();
        rules.dedup();
        let key = format!("{outcome} by {} [{}]", rules.join(", "), labels.join(","));
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(index),
            None => groups.push((key, vec![index])),
        }
    }
    groups.iter().map(|(key, members)| format!("{key}: {}", portion_list(doc, members))).collect::<Vec<_>>().join("; ")
}

/// Portions named briefly: numbered paragraphs by number, other kinds counted.
fn portion_list(doc: &Document, members: &[usize]) -> String {
    let numbers: Vec<&str> = members
        .iter()
        .filter_map(|&i| {
            let p = &doc.portions[i];
            (p.kind == PortionKind::Paragraph).then_some(p.number.as_deref()).flatten()
        })
        .collect();
    let mut parts = Vec::new();
    match numbers.len() {
        0 => {}
        1 => parts.push(format!("paragraph {}", numbers[0])),
        _ => parts.push(format!("paragraphs {}", numbers.join(", "))),
    }
    let mut counts: Vec<(String, usize)> = Vec::new();
    for &i in members {
        let p = &doc.portions[i];
        if p.kind == PortionKind::Paragraph && p.number.is_some() {
            continue;
        }
        let name = portion_name(doc, i);
        match counts.iter_mut().find(|(n, _)| *n == name) {
            Some((_, c)) => *c += 1,
            None => counts.push((name, 1)),
        }
    }
    parts.extend(counts.into_iter().map(|(n, c)| if c == 1 { n } else { format!("{n} ×{c}") }));
    parts.join(", ")
}

/// The unified diff of `doc`'s source against its released `body`, with three lines of
/// context, each hunk annotated. Empty when nothing changes.
#[must_use]
pub fn text_diff(path: &str, doc: &Document, decisions: &Decisions, body: &str, style: DiffStyle) -> String {
    let diff = TextDiff::from_lines(doc.source.as_str(), body);
    let mut out = String::new();
    let paint = |color: anstyle::Style, text: &str| {
        if style.color && color != anstyle::Style::new() { format!("{color}{text}{color:#}") } else { text.to_owned() }
    };
    for group in diff.grouped_ops(3) {
        if out.is_empty() {
            let _ = writeln!(out, "{}", paint(CYAN, &format!("--- {path}")));
            let _ = writeln!(
                out,
                "{}",
                paint(
                    CYAN,
                    &format!(
                        "+++ {path} ({} as of {})",
                        crate::render::report::outcome_line(decisions),
                        decisions.as_of
                    )
                )
            );
        }
        let (Some(first), Some(last)) = (group.first(), group.last()) else { continue };
        let old = first.old_range().start..last.old_range().end;
        let new = first.new_range().start..last.new_range().end;
        let changed_old: Vec<usize> = group
            .iter()
            .filter(|op| op.tag() != similar::DiffTag::Equal)
            .flat_map(similar::DiffOp::old_range)
            .collect();
        let (from, to) = match (changed_old.first(), changed_old.last()) {
            (Some(a), Some(b)) => (*a + 1, *b + 1),
            _ => (old.start + 1, old.end),
        };
        let why = annotation(doc, decisions, u32::try_from(from).unwrap_or(0), u32::try_from(to).unwrap_or(0));
        let header = format!("@@ -{},{} +{},{} @@ {why}", old.start + 1, old.len(), new.start + 1, new.len());
        let _ = writeln!(out, "{}", paint(CYAN, header.trim_end()));
        for op in &group {
            // Word emphasis without a deadline, so that the output never depends on timing.
            let changes: Vec<(ChangeTag, Vec<(bool, String)>)> = if style.word {
                diff.iter_inline_changes_with_options_deadline(op, similar::InlineChangeOptions::default(), None)
                    .map(|c| (c.tag(), c.iter_strings_lossy().map(|(e, v)| (e, v.into_owned())).collect()))
                    .collect()
            } else {
                diff.iter_changes(op).map(|c| (c.tag(), vec![(false, c.value().to_owned())])).collect()
            };
            for (tag, parts) in changes {
                let (sign, color) = match tag {
                    ChangeTag::Equal => (" ", anstyle::Style::new()),
                    ChangeTag::Delete => ("-", RED),
                    ChangeTag::Insert => ("+", GREEN),
                };
                let mut line = String::from(sign);
                for (emphasized, value) in parts {
                    let value = value.trim_end_matches('\n');
                    if emphasized {
                        let (open, close) = if tag == ChangeTag::Delete { ("[-", "-]") } else { ("{+", "+}") };
                        let _ = write!(line, "{open}{value}{close}");
                    } else {
                        line.push_str(value);
                    }
                }
                let line = paint(color, &line);
                let _ = writeln!(out, "{line}");
            }
        }
    }
    out
}

/// A portion whose decision differs between two evaluations.
#[derive(Debug, Clone, Serialize)]
pub struct PortionChange {
    /// Kind.
    pub kind: &'static str,
    /// Number or label.
    pub number: Option<String>,
    /// Line.
    pub line: u32,
    /// `[start, end)` byte offsets.
    pub span: [usize; 2],
    /// Decision before.
    pub from: &'static str,
    /// Decision after.
    pub to: &'static str,
    /// Deciding rules before.
    pub rules_from: Vec<String>,
    /// Deciding rules after.
    pub rules_to: Vec<String>,
}

/// How one document changes between two evaluations.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentChange {
    /// Input name.
    pub path: String,
    /// Document id.
    pub id: Option<String>,
    /// Outcome before.
    pub from: &'static str,
    /// Outcome after.
    pub to: &'static str,
    /// Portions whose decision changes.
    pub portions: Vec<PortionChange>,
}

/// Compares two evaluations of one document; `None` when nothing changes.
#[must_use]
pub fn compare(path: &str, doc: &Document, a: &Decisions, b: &Decisions) -> Option<DocumentChange> {
    Some(compare_all(path, doc, a, b)).filter(DocumentChange::changes)
}

/// Compares two evaluations of one document, changed or not (a stream has a record for
/// every document).
#[must_use]
pub fn compare_all(path: &str, doc: &Document, a: &Decisions, b: &Decisions) -> DocumentChange {
    let portions: Vec<PortionChange> = doc
        .portions
        .iter()
        .zip(a.portions.iter().zip(&b.portions))
        .filter(|(_, (x, y))| x.outcome != y.outcome || x.spans != y.spans)
        .map(|(p, (x, y))| PortionChange {
            kind: p.kind.name(),
            number: p.number.clone(),
            line: p.position.line,
            span: [p.span.start, p.span.end],
            from: decision_name(x),
            to: decision_name(y),
            rules_from: x.rules.clone(),
            rules_to: y.rules.clone(),
        })
        .collect();
    DocumentChange { path: path.to_owned(), id: doc.id.clone(), from: a.outcome.name(), to: b.outcome.name(), portions }
}

impl DocumentChange {
    /// Whether the outcome or any portion's decision changes.
    #[must_use]
    pub fn changes(&self) -> bool {
        self.from != self.to || !self.portions.is_empty()
    }
}

/// A decision's name in a plan: a released portion with cut spans is `release (spans)`.
const fn decision_name(decision: &crate::engine::PortionDecision) -> &'static str {
    match decision.outcome {
        Outcome::Release if !decision.spans.is_empty() => "release (spans)",
        other => other.name(),
    }
}

/// Totals of a plan.
#[derive(Debug, Default, Serialize)]
pub struct PlanSummary {
    /// Documents compared.
    pub documents: usize,
    /// Inputs that could not be read.
    pub failed: usize,
    /// Documents whose outcome changes.
    pub documents_changed: usize,
    /// Portions whose decision changes.
    pub portions_changed: usize,
    /// Document outcome changes, `from → to`, counted.
    pub outcome_changes: BTreeMap<String, usize>,
    /// Portion decision changes, `from → to`, counted.
    pub decision_changes: BTreeMap<String, usize>,
}

impl PlanSummary {
    /// Counts one document (changed or not).
    pub fn add(&mut self, change: Option<&DocumentChange>) {
        self.documents += 1;
        let Some(change) = change else { return };
        if change.from != change.to {
            self.documents_changed += 1;
            *self.outcome_changes.entry(format!("{} → {}", change.from, change.to)).or_default() += 1;
        }
        for portion in &change.portions {
            self.portions_changed += 1;
            *self.decision_changes.entry(format!("{} → {}", portion.from, portion.to)).or_default() += 1;
        }
    }

    /// The totals for people.
    #[must_use]
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "changes: {} of {} document(s) change outcome, {} portion(s) change decision ({} input(s) could not be read)\n",
            self.documents_changed, self.documents, self.portions_changed, self.failed
        );
        for (change, count) in &self.outcome_changes {
            let _ = writeln!(out, "  documents {change:<36} {count}");
        }
        for (change, count) in &self.decision_changes {
            let _ = writeln!(out, "  portions  {change:<36} {count}");
        }
        out
    }
}

/// One changed document in the plan, for people: its outcome change, each paragraph whose
/// decision changes, and a count of the other portions (subject, headings…) that change.
#[must_use]
pub fn change_to_text(change: &DocumentChange) -> String {
    let mut out = format!(
        "{}  {}\n  {} → {}\n",
        change.id.as_deref().unwrap_or("(no id)"),
        change.path,
        DocumentOutcome::from_name(change.from).map_or(change.from, DocumentOutcome::stamp),
        DocumentOutcome::from_name(change.to).map_or(change.to, DocumentOutcome::stamp)
    );
    let is_paragraph = |p: &PortionChange| matches!(p.kind, "paragraph" | "subparagraph");
    for p in change.portions.iter().filter(|p| is_paragraph(p)) {
        let name = match &p.number {
            Some(n) => format!("{} {n}", p.kind),
            None => p.kind.to_owned(),
        };
        let _ = writeln!(
            out,
            "  {:>6}  {name:<18} {} → {}   ({} → {})",
            p.line,
            p.from,
            p.to,
            p.rules_from.join(", "),
            p.rules_to.join(", ")
        );
    }
    let mut others: BTreeMap<String, usize> = BTreeMap::new();
    for p in change.portions.iter().filter(|p| !is_paragraph(p)) {
        *others.entry(format!("{} {} → {}", p.kind, p.from, p.to)).or_default() += 1;
    }
    if !others.is_empty() {
        let list: Vec<String> =
            others.iter().map(|(k, n)| if *n == 1 { k.clone() } else { format!("{k} ×{n}") }).collect();
        let _ = writeln!(out, "  also: {}", list.join("; "));
    }
    out.push('\n');
    out
}
