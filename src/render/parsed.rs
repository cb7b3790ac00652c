//! Output of `declass parse`: a readable outline, or one JSON object per document.

use std::fmt::Write as _;

use serde::Serialize;

use crate::model::{ClassificationSource, Document, Marking, Portion};

/// The JSON object printed for one document (one line of `declass parse --format json`).
#[derive(Debug, Serialize)]
pub struct ParsedJson<'a> {
    /// The input's name.
    pub path: &'a str,
    /// Document identifier.
    pub id: Option<&'a str>,
    /// Date of origin, `YYYY-MM-DD`.
    pub created: Option<String>,
    /// The document's own overall marking.
    pub classification: ClassificationJson,
    /// Executive order cited (`12958`).
    pub order: Option<&'a str>,
    /// Declassification instruction.
    pub decl: DeclJson<'a>,
    /// Reason letters, lower case.
    pub reasons: Vec<String>,
    /// Section the reasons cite (`1.4`, `1.5`).
    pub reason_section: Option<&'a str>,
    /// Classifier as written, and the name within it.
    pub classified_by: Option<ClassifiedByJson<'a>>,
    /// TAGS.
    pub tags: &'a [String],
    /// Handling caveats on the caveat lines and banner (`SIPDIS`, `NODIS`…).
    pub caveats: &'a [&'static str],
    /// Subject, one line.
    pub subject: Option<&'a str>,
    /// The publisher's preamble values, kept apart from the document's marking.
    pub preamble: Option<PreambleJson<'a>>,
    /// Numbered and marked paragraphs and subparagraphs.
    pub paragraphs: Vec<ParagraphJson<'a>>,
    /// Every portion, in order.
    pub portions: Vec<PortionJson<'a>>,
    /// Problems that make the parse untrustworthy.
    pub errors: Vec<IssueJson<'a>>,
}

/// `classification` in JSON.
#[derive(Debug, Serialize)]
pub struct ClassificationJson {
    /// `U`, `SBU`, `C`, `S`, `TS` or null.
    pub level: Option<&'static str>,
    /// Canonical controls.
    pub controls: Vec<String>,
    /// The marking as written.
    pub raw: String,
    /// `banner`, `routing`, `portions` or `unknown`.
    pub source: &'static str,
}

/// `decl` in JSON.
#[derive(Debug, Serialize)]
pub struct DeclJson<'a> {
    /// Kind name.
    pub kind: &'static str,
    /// Date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Exemption codes.
    pub exemptions: &'a [String],
    /// As written.
    pub raw: &'a str,
}

/// `classified_by` in JSON.
#[derive(Debug, Serialize)]
pub struct ClassifiedByJson<'a> {
    /// Name without titles.
    pub name: Option<&'a str>,
    /// As written.
    pub classifier: &'a str,
}

/// `preamble` in JSON.
#[derive(Debug, Serialize)]
pub struct PreambleJson<'a> {
    /// `Identifier`.
    pub identifier: &'a str,
    /// `Created`.
    pub created: &'a str,
    /// `Classification` as published.
    pub classification: &'a str,
    /// `Origin`.
    pub origin: &'a str,
}

/// A mark in JSON.
#[derive(Debug, Serialize)]
pub struct MarkingJson<'a> {
    /// Level, null when the mark is not recognised.
    pub level: Option<&'static str>,
    /// Canonical controls.
    pub controls: Vec<String>,
    /// As written.
    pub raw: &'a str,
    /// Whether the mark was recognised.
    pub recognized: bool,
}

/// A paragraph in JSON.
#[derive(Debug, Serialize)]
pub struct ParagraphJson<'a> {
    /// `paragraph` or `subparagraph`.
    pub kind: &'static str,
    /// Number or label as written.
    pub number: Option<&'a str>,
    /// Its mark.
    pub marking: Option<MarkingJson<'a>>,
    /// Line of its start.
    pub line: u32,
    /// `[start, end)` byte offsets.
    pub span: [usize; 2],
}

/// A portion in JSON.
#[derive(Debug, Serialize)]
pub struct PortionJson<'a> {
    /// Kind name.
    pub kind: &'static str,
    /// Number or label.
    pub number: Option<&'a str>,
    /// Its mark.
    pub marking: Option<MarkingJson<'a>>,
    /// Line of its start.
    pub line: u32,
    /// Column of its start.
    pub col: u32,
    /// `[start, end)` byte offsets.
    pub span: [usize; 2],
    /// Marks found inside the portion's text (left out when there are none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub embedded: Vec<MarkingJson<'a>>,
}

impl<'a> PortionJson<'a> {
    /// The JSON of `portion`, as `parse` and `report` both print it.
    #[must_use]
    pub fn of(portion: &'a Portion) -> Self {
        Self {
            kind: portion.kind.name(),
            number: portion.number.as_deref(),
            marking: portion.marking.as_deref().map(marking_json),
            line: portion.position.line,
            col: portion.position.col,
            span: [portion.span.start, portion.span.end],
            embedded: portion.embedded.iter().map(marking_json).collect(),
        }
    }
}

/// An error in JSON.
#[derive(Debug, Serialize)]
pub struct IssueJson<'a> {
    /// Line.
    pub line: u32,
    /// Column.
    pub col: u32,
    /// Message.
    pub message: &'a str,
}

/// The JSON form of a mark.
#[must_use]
pub fn marking_json(marking: &Marking) -> MarkingJson<'_> {
    MarkingJson {
        level: marking.level().map(crate::model::Level::abbrev),
        controls: marking.controls().iter().map(ToString::to_string).collect(),
        raw: &marking.raw,
        recognized: marking.is_recognized(),
    }
}

const fn source_name(source: ClassificationSource) -> &'static str {
    match source {
        ClassificationSource::Banner => "banner",
        ClassificationSource::Routing => "routing",
        ClassificationSource::Portions => "portions",
        ClassificationSource::Unknown => "unknown",
    }
}

/// The JSON object for `doc` read from `path`.
#[must_use]
pub fn to_json<'a>(path: &'a str, doc: &'a Document) -> ParsedJson<'a> {
    ParsedJson {
        path,
        id: doc.id.as_deref(),
        created: doc.created.map(|d| d.to_string()),
        classification: ClassificationJson {
            level: doc.classification.level.map(crate::model::Level::abbrev),
            controls: doc.classification.controls.iter().map(ToString::to_string).collect(),
            raw: doc.classification.raw.clone(),
            source: source_name(doc.classification.source),
        },
        order: doc.order.as_deref(),
        decl: DeclJson {
            kind: doc.decl.kind.name(),
            date: doc.decl.date.map(|d| d.to_string()),
            exemptions: &doc.decl.exemptions,
            raw: &doc.decl.raw,
        },
        reasons: doc.reasons.letters.iter().map(ToString::to_string).collect(),
        reason_section: doc.reasons.section.as_deref(),
        classified_by: doc
            .classified_by
            .as_ref()
            .map(|c| ClassifiedByJson { name: c.name.as_deref(), classifier: &c.classifier }),
        tags: &doc.tags,
        caveats: &doc.caveats,
        subject: doc.subject.as_deref(),
        preamble: doc.preamble.as_ref().map(|p| PreambleJson {
            identifier: &p.identifier,
            created: &p.created,
            classification: &p.classification,
            origin: &p.origin,
        }),
        paragraphs: doc
            .paragraphs()
            .map(|p| ParagraphJson {
                kind: p.kind.name(),
                number: p.number.as_deref(),
                marking: p.marking.as_deref().map(marking_json),
                line: p.position.line,
                span: [p.span.start, p.span.end],
            })
            .collect(),
        portions: doc.portions.iter().map(PortionJson::of).collect(),
        errors: doc
            .errors
            .iter()
            .map(|e| IssueJson { line: e.position.line, col: e.position.col, message: &e.message })
            .collect(),
    }
}

/// A readable outline of `doc`.
#[must_use]
pub fn to_text(path: &str, doc: &Document) -> String {
    let mut out = String::new();
    let id = doc.id.as_deref().unwrap_or("(no id)");
    let _ = writeln!(out, "{id}  {path}");
    let level = doc.classification.level.map_or("unknown", crate::model::Level::abbrev);
    let controls: Vec<String> = doc.classification.controls.iter().map(ToString::to_string).collect();
    let controls = if controls.is_empty() { String::new() } else { format!("//{}", controls.join("//")) };
    let _ = writeln!(
        out,
        "  classification  {level}{controls}  (from {}: `{}`)",
        source_name(doc.classification.source),
        doc.classification.raw
    );
    let none = || "-".to_owned();
    let _ = writeln!(out, "  created         {}", doc.created.map_or_else(none, |d| d.to_string()));
    let _ = writeln!(out, "  order           {}", doc.order.clone().map_or_else(none, |o| format!("E.O. {o}")));
    let decl_date = doc.decl.date.map(|d| format!(" {d}")).unwrap_or_default();
    let decl_raw = if doc.decl.raw.is_empty() { String::new() } else { format!("  (`{}`)", doc.decl.raw) };
    let _ = writeln!(out, "  declassify      {}{decl_date}{decl_raw}", doc.decl.kind);
    let letters: Vec<String> = doc.reasons.letters.iter().map(|l| format!("({l})")).collect();
    let _ = writeln!(
        out,
        "  reasons         {}",
        if letters.is_empty() {
            none()
        } else {
            format!("{} {}", doc.reasons.section.as_deref().unwrap_or("1.4"), letters.join(" "))
        }
    );
    let _ = writeln!(
        out,
        "  classified by   {}",
        doc.classified_by.as_ref().map_or_else(none, |c| c.name.clone().unwrap_or_else(|| c.classifier.clone()))
    );
    let _ = writeln!(out, "  tags            {}", if doc.tags.is_empty() { none() } else { doc.tags.join(" ") });
    let _ = writeln!(out, "  caveats         {}", if doc.caveats.is_empty() { none() } else { doc.caveats.join(" ") });
    let _ = writeln!(out, "  subject         {}", doc.subject.clone().unwrap_or_else(none));
    let _ = writeln!(out, "  portions");
    for portion in &doc.portions {
        let first_line = doc.text(portion.span).lines().next().unwrap_or("");
        let excerpt: String = first_line.chars().take(60).collect();
        let label = portion.name();
        let mark = portion.marking.as_ref().map_or("", |m| m.raw.as_str());
        let _ = writeln!(
            out,
            "    {:>5}:{:<3} {label:<16} {mark:<9} {excerpt}",
            portion.position.line, portion.position.col
        );
    }
    for error in &doc.errors {
        let _ = writeln!(out, "  error {}: {}", error.position, error.message);
    }
    out
}
