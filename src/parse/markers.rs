//! `SUMMARY`/`COMMENT` brackets inside the text. They need no grammar: a scan of the body
//! finds them on demand, so that parsing does not pay for them.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Document, Marker, MarkerKind, Span};

static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(end|begin)\s+(summary|comment|text)\b|(summary|comment)\s*:)")
        .expect("the marker pattern is a valid regular expression")
});

/// The `SUMMARY`/`COMMENT`/`TEXT` markers of a document's body, in order.
///
/// # Examples
/// ```
/// let doc = declass::parse::parse_str("UNCLAS\n\n1. (U) Summary: all quiet. End summary.\n".to_owned()).unwrap();
/// let kinds: Vec<_> = declass::parse::markers(&doc).iter().map(|m| m.kind.name()).collect();
/// assert_eq!(kinds, ["summary", "end_summary"]);
/// ```
#[must_use]
pub fn markers(doc: &Document) -> Vec<Marker> {
    let from = doc.portions.iter().find(|p| !p.kind.is_header_line()).map_or(0, |p| p.span.start);
    find(&doc.source, from)
}

fn find(source: &str, from: usize) -> Vec<Marker> {
    let Some(body) = source.get(from..) else { return Vec::new() };
    MARKER
        .captures_iter(body)
        .filter_map(|caps| {
            let whole = caps.get(0)?;
            let kind = match (caps.get(1).map(|m| m.as_str().to_ascii_lowercase()), caps.get(2).or(caps.get(3))) {
                (Some(edge), Some(what)) => match (edge.as_str(), what.as_str().to_ascii_lowercase().as_str()) {
                    ("end", "summary") => MarkerKind::EndSummary,
                    ("begin", "summary") => MarkerKind::Summary,
                    ("end", "comment") => MarkerKind::EndComment,
                    ("begin", "comment") => MarkerKind::Comment,
                    ("begin", _) => MarkerKind::BeginText,
                    _ => MarkerKind::EndText,
                },
                (None, Some(what)) if what.as_str().eq_ignore_ascii_case("summary") => MarkerKind::Summary,
                (None, Some(_)) => MarkerKind::Comment,
                _ => return None,
            };
            Some(Marker { kind, span: Span::new(from + whole.start(), from + whole.end()) })
        })
        .collect()
}
