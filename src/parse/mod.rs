//! Parsing: source text → typed [`Document`].
//!
//! Two stages: the pest grammar (`grammar/document.pest`) classifies every line and reads
//! the fields on it (`lines`, into the kinds of `line_kind`); then the lines are grouped into
//! portions and the document's fields are derived (`assemble`). When the second stage must
//! read a piece of a line again (a field glued behind another, the end of a `Classified By`),
//! it asks the grammar through `pieces`; marks in disguise are `marks`, dates `dates`,
//! classifier names `classifier`. What the grammar made of a line that comes back from
//! document to document (`1. (C)`, `SIPDIS`, routing lines) is kept per thread by `memo`. pest's types never
//! leave this module.

mod assemble;
mod breaks;
mod classifier;
mod dates;
mod fields;
mod grammar;
mod guard;
mod leads;
mod line_kind;
mod lines;
mod markers;
mod marks;
mod memo;
mod pieces;

use std::borrow::Cow;

pub use markers::markers;
use thiserror::Error;

use crate::model::{Document, LineIndex, Position};

/// Why a file could not be read as a document at all.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReadError {
    /// The bytes are not UTF-8 text.
    #[error(
        "{position}: the file is not UTF-8 text (invalid byte sequence here); convert it first, e.g. with `iconv -f cp1252 -t utf-8`"
    )]
    InvalidUtf8 {
        /// Where the first invalid byte is.
        position: Position,
    },
    /// The file holds NUL bytes: it is binary, not a document.
    #[error("{position}: the file is binary (NUL byte here), not a text document")]
    Binary {
        /// Where the first NUL byte is.
        position: Position,
    },
    /// The grammar itself failed (it is written to accept any text, so this is a bug).
    #[error("{position}: the grammar could not read the document: {message}")]
    Grammar {
        /// Where.
        position: Position,
        /// What pest said.
        message: String,
    },
}

impl ReadError {
    /// Where the problem is.
    #[must_use]
    pub const fn position(&self) -> Position {
        match self {
            Self::InvalidUtf8 { position } | Self::Binary { position } | Self::Grammar { position, .. } => *position,
        }
    }
}

/// Parses a document from raw bytes.
///
/// # Errors
/// Fails with the line and column of the first offending byte when the bytes are not UTF-8
/// or contain NUL bytes. Any UTF-8 text parses: what the grammar does not recognise is kept
/// as text, and problems that make the result untrustworthy are listed in
/// [`Document::errors`].
///
/// # Examples
/// ```
/// let doc = declass::parse::parse_bytes(b"UNCLAS\n\n1. (U) Nothing secret here.\n").unwrap();
/// assert_eq!(doc.paragraphs().count(), 1);
/// assert!(declass::parse::parse_bytes(b"\xff\xfe").is_err());
/// ```
pub fn parse_bytes(bytes: &[u8]) -> Result<Document, ReadError> {
    parse_owned(bytes.to_vec())
}

/// [`parse_bytes`] for bytes the caller gives away: the text is parsed in place, not copied.
///
/// # Errors
/// As [`parse_bytes`].
pub fn parse_owned(bytes: Vec<u8>) -> Result<Document, ReadError> {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or("");
            return Err(ReadError::InvalidUtf8 { position: LineIndex::new(valid).position(valid, valid.len()) });
        }
    };
    if let Some(at) = memchr::memchr(0, text.as_bytes()) {
        return Err(ReadError::Binary { position: LineIndex::new(&text).position(&text, at) });
    }
    parse_str(text)
}

/// Parses a document from text.
///
/// # Errors
/// Only if the grammar fails, which it is written never to do on text.
///
/// # Examples
/// ```
/// let doc = declass::parse::parse_str("C O N F I D E N T I A L MOSCOW 000001\n\nE.O. 12958: DECL: 02/15/2018\n\n1. (C) Text.\n".to_owned()).unwrap();
/// assert_eq!(doc.decl.date, chrono::NaiveDate::from_ymd_opt(2018, 2, 15));
/// ```
pub fn parse_str(source: String) -> Result<Document, ReadError> {
    let mut doc = {
        // Every line break (CR, LS, PS, NEL) read as `\n`, at the same offsets.
        let text = breaks::normalize(&source);
        // The grammar reads lines that end with a newline; give the last line one if it lacks it.
        // Spans never reach into the added newline, so they index `source` as well. The lines
        // are indexed once, with that newline: the reader walks the index, and positions in
        // `text` come out as from an index of `text` alone.
        let ended = if text.ends_with('\n') { Cow::Borrowed(&*text) } else { Cow::Owned(format!("{text}\n")) };
        let index = LineIndex::new(&ended);
        let read = lines::read(&ended, &index)
            .map_err(|message| ReadError::Grammar { position: Position { line: 1, col: 1 }, message })?;
        assemble::assemble(&text, read, &index)
    };
    doc.source = source;
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PortionKind;

    /// The web viewer's title block is the grammar's `cable_title`: the copy of the subject
    /// it holds (up to the viewer's `Tags:` line) is a subject portion, never header.
    #[test]
    fn a_cable_title_block_is_a_subject() {
        let doc = parse_str(
            "Cable dated:2009-03-02T10:00:00\nCable title: MINISTER DISCUSSES FISHERIES\nWITH THE AMBASSADOR\nTags:\u{a0}PREL\npdf how-to read a cable\nC O N F I D E N T I A L VALLETTA 000123\n\nE.O. 12958: DECL: 03/02/2019\n\n1. (C) Text.\n"
                .to_owned(),
        )
        .expect("parses");
        let kinds: Vec<(PortionKind, u32)> = doc.portions.iter().map(|p| (p.kind, p.position.line)).collect();
        assert_eq!(&kinds[..3], [(PortionKind::Header, 1), (PortionKind::Subject, 2), (PortionKind::Header, 4)]);
        let title = &doc.portions[1];
        assert!(doc.text(title.span).ends_with("WITH THE AMBASSADOR"));
    }

    /// A caveat line carries whether it says `NOFORN`; the overall marking gathers it.
    #[test]
    fn a_noforn_caveat_line_is_a_control_of_the_document() {
        let doc = parse_str(
            "C O N F I D E N T I A L VALLETTA 000123\n\nSIPDIS NOFORN\n\nE.O. 12958: DECL: 03/02/2019\n\n1. (C) Text.\n"
                .to_owned(),
        )
        .expect("parses");
        assert!(doc.classification.controls.contains(&crate::model::Control::Noforn));
    }
}
