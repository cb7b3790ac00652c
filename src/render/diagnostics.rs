//! Policy diagnostics for people: `path:line:col: error[P004]: message`, the offending line
//! with a caret under the offending text, and a hint.

use std::fmt::Write as _;

use crate::model::LineIndex;
use crate::model::Position;
use crate::policy::Diagnostic;

/// Where a diagnostic is: line and column, or 1:1 when it has no span.
#[must_use]
pub fn position(source: &str, diagnostic: &Diagnostic) -> Position {
    diagnostic.span.map_or(Position { line: 1, col: 1 }, |span| LineIndex::new(source).position(source, span.start))
}

/// A diagnostic in the caret format, ending with a newline.
#[must_use]
pub fn to_text(path: &str, source: &str, diagnostic: &Diagnostic) -> String {
    let position = position(source, diagnostic);
    let mut out =
        format!("{path}:{position}: {}[{}]: {}\n", diagnostic.severity.name(), diagnostic.code, diagnostic.message);
    if let Some(span) = diagnostic.span {
        let line_text = source.lines().nth(position.line as usize - 1).unwrap_or("");
        let number = position.line.to_string();
        let pad = " ".repeat(number.len());
        let start_col = position.col as usize - 1;
        let line_end = source[span.start.min(source.len())..].find('\n').map_or(source.len(), |i| span.start + i);
        let width = source.get(span.start..span.end.min(line_end)).map_or(1, |s| s.chars().count()).max(1);
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{number} | {line_text}");
        let _ = writeln!(out, "{pad} | {}{}", " ".repeat(start_col), "^".repeat(width));
        if let Some(hint) = &diagnostic.hint {
            write_hint(&mut out, &pad, hint);
        }
    } else if let Some(hint) = &diagnostic.hint {
        write_hint(&mut out, " ", hint);
    }
    out
}

/// A hint; its further lines (a diff of expected against got) are indented under the first.
fn write_hint(out: &mut String, pad: &str, hint: &str) {
    let mut lines = hint.lines();
    let _ = writeln!(out, "{pad} = hint: {}", lines.next().unwrap_or(""));
    for line in lines {
        let _ = writeln!(out, "{pad}         {line}");
    }
}
