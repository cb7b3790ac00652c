//! `SUMMARY`/`COMMENT` brackets inside the text. They need no grammar: a scan of the body
//! finds them after the lines are parsed.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Marker, MarkerKind, Span};

static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(end|begin)\s+(summary|comment|text)\b|(summary|comment)\s*:)")
        .expect("the marker pattern is a valid regular expression")
});

/// Markers in `source` from byte `from` on.
pub(crate) fn find(source: &str, from: usize) -> Vec<Marker> {
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
