//! Where things are: byte spans into the source, line and column positions, and the index
//! that turns one into the other.

use std::fmt;

/// A half-open byte range `[start, end)` into the document's source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    #[must_use]
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// Number of bytes covered.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers nothing.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.end <= self.start
    }
}

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Position {
    /// Line number, from 1.
    pub line: u32,
    /// Column number, from 1, in characters.
    pub col: u32,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// Byte offsets of line starts, for turning offsets into line and column.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the lines of `text`.
    #[must_use]
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 50 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Self { starts }
    }

    /// The byte offsets of the newlines at or after `offset`, in order.
    pub(crate) fn newlines_from(&self, offset: usize) -> impl Iterator<Item = usize> + '_ {
        let first = self.starts.partition_point(|&start| start <= offset);
        self.starts[first..].iter().map(|start| start - 1)
    }

    /// How many lines the text has (a last line without a newline counts; so does the empty
    /// line after a final newline).
    #[must_use]
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The line and column of byte `offset` of `text`, counting the columns on from `near`,
    /// an earlier offset on the same line whose position is known (many portions on one long
    /// line would otherwise cost a count from the line's start each).
    #[must_use]
    pub fn position_after(&self, text: &str, offset: usize, near: (usize, Position)) -> Position {
        let (at, known) = near;
        let line = self.starts.partition_point(|&start| start <= offset).max(1);
        let same_line = at <= offset && self.starts.partition_point(|&start| start <= at).max(1) == line;
        match text.get(at..offset) {
            Some(between) if same_line => Position {
                line: known.line,
                col: known.col.saturating_add(u32::try_from(between.chars().count()).unwrap_or(u32::MAX)),
            },
            _ => self.position(text, offset),
        }
    }

    /// The line and column (in characters) of byte `offset` of `text`.
    #[must_use]
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let line = self.starts.partition_point(|&start| start <= offset).max(1);
        let start = self.starts[line - 1];
        let col = text.get(start..offset.min(text.len())).map_or(1, |s| s.chars().count() + 1);
        Position { line: u32::try_from(line).unwrap_or(u32::MAX), col: u32::try_from(col).unwrap_or(u32::MAX) }
    }
}
