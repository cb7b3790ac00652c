//! The summary of a review: documents by outcome, portions by rule, when classified portions
//! lapse by year (what becomes releasable when), and a sortable table of the documents.
//! Pictures are inline SVG drawn here; each has its numbers as a table beside it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{Datelike as _, NaiveDate};
use maud::{Markup, PreEscaped, html};
use serde::Serialize;

use super::document::{DocumentEntry, LapseBucket};
use super::{PageMarking, outcome_class};
use crate::engine::DocumentOutcome;
use crate::policy::Policy;

/// Rules shown by name in the picture of portions by rule; the others are summed.
const RULES_SHOWN: usize = 15;

/// An input that could not be reviewed.
#[derive(Debug, Clone)]
pub struct FailedInput {
    /// The input's position, from 1.
    pub number: usize,
    /// The input as given.
    pub name: String,
    /// What went wrong, `path:line:col: message`.
    pub message: String,
}

/// Everything the summary shows, gathered document by document.
#[derive(Debug, Default)]
pub struct Summary {
    /// The documents, in input order.
    pub documents: Vec<DocumentEntry>,
    /// Inputs that failed.
    pub failed: Vec<FailedInput>,
}

impl Summary {
    /// The marking of a page showing what all the documents show.
    #[must_use]
    pub fn marking(&self) -> PageMarking {
        let mut marking = PageMarking::default();
        for entry in &self.documents {
            marking.merge(&entry.marking);
        }
        if self.documents.is_empty() {
            marking.undetermined = true;
        }
        marking
    }

    fn outcomes(&self) -> Vec<(String, usize, &'static str)> {
        DocumentOutcome::ALL
            .iter()
            .map(|o| {
                let n = self.documents.iter().filter(|d| d.outcome == *o).count();
                (o.stamp().to_owned(), n, outcome_class(*o))
            })
            .collect()
    }

    fn rules(&self) -> Vec<(String, usize, &'static str)> {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for rule in self.documents.iter().flat_map(|d| &d.rules) {
            *counts.entry(rule).or_default() += 1;
        }
        let mut sorted: Vec<(&str, usize)> = counts.into_iter().collect();
        sorted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let mut out: Vec<(String, usize, &'static str)> =
            sorted.iter().take(RULES_SHOWN).map(|(r, n)| ((*r).to_owned(), *n, "bar")).collect();
        let rest: usize = sorted.iter().skip(RULES_SHOWN).map(|(_, n)| n).sum();
        if rest > 0 {
            out.push((format!("{} other rules", sorted.len() - RULES_SHOWN), rest, "bar"));
        }
        out
    }

    fn lapses(&self) -> BTreeMap<LapseBucket, usize> {
        let mut counts = BTreeMap::new();
        for bucket in self.documents.iter().flat_map(|d| &d.lapses) {
            *counts.entry(*bucket).or_default() += 1;
        }
        counts
    }
}

/// Horizontal bars, one per row: label, bar, count.
fn bars(title: &str, rows: &[(String, usize, &'static str)]) -> Markup {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let (label_width, bar_width, row_height) = (200usize, 300usize, 24usize);
    let height = rows.len() * row_height + 4;
    let mut svg = String::new();
    for (i, (label, n, class)) in rows.iter().enumerate() {
        let y = i * row_height;
        let w = (bar_width * n).div_ceil(max);
        let _ = write!(
            svg,
            r#"<g><title>{label}: {n}</title><text x="{}" y="{}" text-anchor="end">{label}</text><rect class="{class}" x="{label_width}" y="{}" width="{w}" height="{}"/><text x="{}" y="{}">{n}</text></g>"#,
            label_width - 8,
            y + 16,
            y + 3,
            row_height - 6,
            label_width + w + 6,
            y + 16,
            label = maud::html! { (label) }.into_string(),
        );
    }
    html! {
        figure.chart {
            figcaption { (title) }
            svg role="img" aria-label=(title) viewBox={ "0 0 " (label_width + bar_width + 70) " " (height) }
                width=(label_width + bar_width + 70) height=(height) { (PreEscaped(svg)) }
        }
    }
}

/// The timeline: classified portions by the year their instruction lapses, those already
/// lapsed and those that never lapse by date at the ends; years up to the date in one shade,
/// later years in another.
fn timeline(counts: &BTreeMap<LapseBucket, usize>, as_of: NaiveDate) -> Markup {
    let years: Vec<i32> =
        counts.keys().filter_map(|b| if let LapseBucket::Year(y) = b { Some(*y) } else { None }).collect();
    let mut columns: Vec<(String, usize, &'static str)> = Vec::new();
    columns.push(("already".to_owned(), counts.get(&LapseBucket::Already).copied().unwrap_or(0), "past"));
    if let (Some(first), Some(last)) = (years.first(), years.last()) {
        for year in *first..=*last {
            let class = if year <= as_of.year() { "past" } else { "future" };
            columns.push((year.to_string(), counts.get(&LapseBucket::Year(year)).copied().unwrap_or(0), class));
        }
    }
    columns.push(("never".to_owned(), counts.get(&LapseBucket::Never).copied().unwrap_or(0), "never"));
    let max = columns.iter().map(|c| c.1).max().unwrap_or(0).max(1);
    let (column_width, plot, top, bottom) = (16usize, 160usize, 10usize, 46usize);
    let width = columns.len() * column_width + 100;
    let mut svg = String::new();
    for (i, (label, n, class)) in columns.iter().enumerate() {
        let x = 90 + i * column_width;
        let h = (plot * n).div_ceil(max);
        let _ = write!(
            svg,
            r#"<g><title>{label}: {n} portions</title><rect class="{class}" x="{x}" y="{}" width="{}" height="{h}"/></g>"#,
            top + plot - h,
            column_width - 3,
        );
        let first_or_last = i == 0 || i + 1 == columns.len();
        if first_or_last || label.parse::<i32>().is_ok_and(|y| y % 5 == 0) {
            let _ = write!(
                svg,
                r#"<text class="tick" x="{}" y="{}" transform="rotate(-60 {} {})" text-anchor="end">{label}</text>"#,
                x + column_width / 2,
                top + plot + 14,
                x + column_width / 2,
                top + plot + 14
            );
        }
    }
    let _ = write!(
        svg,
        r#"<text class="tick" x="84" y="{}" text-anchor="end">{max}</text><text class="tick" x="84" y="{}" text-anchor="end">0</text>"#,
        top + 8,
        top + plot
    );
    let title = format!("Classified portions by the year their instruction lapses (shaded: by {as_of})");
    html! {
        figure.chart.wide {
            figcaption { (title) }
            svg role="img" aria-label=(title) viewBox={ "0 0 " (width) " " (top + plot + bottom) }
                width=(width) height=(top + plot + bottom) { (PreEscaped(svg)) }
            p.legend {
                span.key.past {} " lapsed by " (as_of) " "
                span.key.future {} " lapses later "
                span.key.never {} " never by date: a person decides"
            }
            details {
                summary { "The numbers" }
                table.numbers {
                    thead { tr { th scope="col" { "Lapses" } th scope="col" { "Classified portions" } } }
                    tbody { @for (label, n, _) in &columns { @if *n > 0 { tr { td { (label) } td { (n) } } } } }
                }
            }
        }
    }
}

/// The rank a table sorts outcomes by: most restrictive last.
fn outcome_rank(outcome: DocumentOutcome) -> usize {
    DocumentOutcome::ALL.iter().position(|o| *o == outcome).unwrap_or(0)
}

/// Rows of the documents table the page holds as markup; the script shows the others a page
/// at a time, from the table's data, so that a summary of thousands opens at once.
const TABLE_PAGE: usize = 200;

/// One row of the documents table: what it shows and the keys it sorts by.
#[derive(Debug, Serialize)]
struct Row<'a> {
    number: usize,
    id: Option<&'a str>,
    name: &'a str,
    href: &'a str,
    dated: Option<String>,
    marked: String,
    marked_key: usize,
    outcome: &'static str,
    outcome_class: &'static str,
    outcome_key: usize,
    redacted: usize,
    portions: usize,
    labels: String,
}

impl<'a> Row<'a> {
    fn of(d: &'a DocumentEntry) -> Self {
        Self {
            number: d.number,
            id: d.id.as_deref(),
            name: &d.name,
            href: &d.href,
            dated: d.created.map(|c| c.to_string()),
            marked: d.marking.banner(),
            marked_key: d.marking.level.map_or(0, |l| l as usize + 1),
            outcome: d.outcome.stamp(),
            outcome_class: outcome_class(d.outcome),
            outcome_key: outcome_rank(d.outcome),
            redacted: d.portions.1,
            portions: d.portions.0,
            labels: d.labels.join(" "),
        }
    }
}

/// The table of documents, sortable by every column: its first rows as markup (what shows
/// without the script, and in print), all rows as JSON for the script.
fn documents_table(documents: &[DocumentEntry]) -> Markup {
    let rows: Vec<Row<'_>> = documents.iter().map(Row::of).collect();
    // JSON in a script element: `<` escaped, so no `</script>` can end it early.
    let data = serde_json::to_string(&rows).unwrap_or_else(|_| "[]".to_owned()).replace('<', "\\u003c");
    html! {
        table.documents.sortable data-total=(rows.len()) data-page=(TABLE_PAGE) {
            caption { "Select a column heading to sort by it." }
            thead { tr {
                th scope="col" aria-sort="ascending" { button type="button" { "#" } }
                th scope="col" { button type="button" { "Document" } }
                th scope="col" { button type="button" { "Dated" } }
                th scope="col" { button type="button" { "Marked" } }
                th scope="col" { button type="button" { "Outcome" } }
                th scope="col" { button type="button" { "Redactions" } }
                th scope="col" { button type="button" { "Labels" } }
            } }
            tbody {
                @for row in rows.iter().take(TABLE_PAGE) {
                    tr {
                        td data-key=(row.number) { (row.number) }
                        td data-key=(row.id.unwrap_or(row.name)) {
                            a href=(row.href) { (row.id.unwrap_or("(no id)")) }
                            br; small { (row.name) }
                        }
                        td data-key=(row.dated.as_deref().unwrap_or("")) { (row.dated.as_deref().unwrap_or("unknown")) }
                        td data-key=(row.marked_key) { (row.marked) }
                        td data-key=(row.outcome_key) { span class={ "outcome " (row.outcome_class) } { (row.outcome) } }
                        td data-key=(row.redacted) { (row.redacted) " of " (row.portions) }
                        td { (row.labels) }
                    }
                }
            }
        }
        @if rows.len() > TABLE_PAGE {
            nav.pager aria-label="Pages of the documents table" {
                button type="button" data-page-step="-1" { "Previous " (TABLE_PAGE) }
                span.pager-status aria-live="polite" { "Documents 1–" (TABLE_PAGE) " of " (rows.len()) }
                button type="button" data-page-step="1" { "Next " (TABLE_PAGE) }
                button type="button" data-page-step="all" { "Show all" }
            }
        }
        script type="application/json" id="documents-data" { (PreEscaped(data)) }
    }
}

/// The summary as a `<section>`.
#[must_use]
pub fn section(summary: &Summary, policy: &Policy, as_of: NaiveDate) -> Markup {
    let portions: usize = summary.documents.iter().map(|d| d.portions.0).sum();
    let redacted: usize = summary.documents.iter().map(|d| d.portions.1).sum();
    html! {
        section.summary id="summary" aria-labelledby="summary-title" {
            h1 id="summary-title" { "Review of " (summary.documents.len()) " document" @if summary.documents.len() != 1 { "s" } }
            p.run {
                "Policy " (policy.name) " " (policy.version) " (sha256 " (policy.sha256.get(..12).unwrap_or(&policy.sha256))
                "), as of " (as_of) ". " (redacted) " of " (portions) " portions redact something."
                @if !summary.failed.is_empty() { " " strong { (summary.failed.len()) " input(s) could not be read." } }
            }
            div.charts {
                (bars("Documents by outcome", &summary.outcomes()))
                (bars("Portions by deciding rule", &summary.rules()))
            }
            (timeline(&summary.lapses(), as_of))
            @if !summary.failed.is_empty() {
                h2 { "Inputs that could not be read" }
                ul.flags { @for failed in &summary.failed { li.flag-error { (failed.number) ". " code { (failed.message) } } } }
            }
            h2 { "Documents" }
            (documents_table(&summary.documents))
        }
    }
}
