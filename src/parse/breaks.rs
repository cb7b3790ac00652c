//! Line breaks. The grammar reads lines that end with `\n`; real inputs also end lines with
//! CR alone (old Mac files), CRLF, U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR and U+0085
//! NEXT LINE. A document whose lines end with any of these must not read as one long line
//! (which would merge every paragraph into the first), so the parser reads a copy of the text
//! in which each of them is a `\n`, padded with blanks to the same byte length: every offset
//! into the copy is the same offset into the original, which the model keeps and release text
//! is copied from.

use std::borrow::Cow;

/// The text with every line break written as `\n` and the same length in bytes. Borrows when
/// there is nothing to rewrite (the common case: a scan for three bytes).
pub(crate) fn normalize(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    // CR, NEL (C2 85), LS and PS (E2 80 A8/A9), in one search for their first bytes (most
    // texts have none; no-break spaces and typographic quotes share the lead bytes and are
    // passed over).
    let found = memchr::memchr3_iter(b'\r', 0xC2, 0xE2, bytes).any(|i| match bytes[i] {
        b'\r' => true,
        0xC2 => bytes.get(i + 1) == Some(&0x85),
        _ => bytes.get(i + 1) == Some(&0x80) && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9)),
    });
    if !found {
        return Cow::Borrowed(text);
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    let mut changed = false;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            // CRLF: the CR is a trailing blank of the line; CR alone ends the line.
            b'\r' => {
                out.push(if bytes.get(i + 1) == Some(&b'\n') { b' ' } else { b'\n' });
                changed = true;
                i += 1;
            }
            0xC2 if bytes.get(i + 1) == Some(&0x85) => {
                out.extend_from_slice(b" \n");
                changed = true;
                i += 2;
            }
            0xE2 if bytes.get(i + 1) == Some(&0x80) && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9)) => {
                out.extend_from_slice(b"  \n");
                changed = true;
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    if !changed {
        return Cow::Borrowed(text);
    }
    // Only whole UTF-8 sequences were replaced, by ASCII, so the bytes are still UTF-8.
    match String::from_utf8(out) {
        Ok(normalized) => Cow::Owned(normalized),
        Err(_) => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn every_line_break_becomes_a_newline_at_the_same_offset() {
        for (input, expected) in [
            ("a\rb", "a\nb"),
            ("a\r\nb", "a \nb"),
            ("a\u{2028}b", "a  \nb"),
            ("a\u{2029}b", "a  \nb"),
            ("a\u{85}b", "a \nb"),
            ("plain\ntext", "plain\ntext"),
            ("café\u{e9}", "café\u{e9}"),
        ] {
            let out = normalize(input);
            assert_eq!(out, expected, "{input:?}");
            assert_eq!(out.len(), input.len(), "{input:?} keeps its length");
        }
    }
}
