//! The JSON Lines every command prints: each line carries `schema_version`; a stream record
//! (`--input-format jsonl`) also carries the input record's `id` and holds the command's
//! object under the command's name, or an `error`. The schemas are in `src/render/schemas/`
//! and `declass schema NAME` prints them.

use std::io;

use serde::Serialize;

/// The version of every JSON output's schema; raised when a key changes meaning or goes.
pub const SCHEMA_VERSION: u32 = 1;

/// Why an input yielded no document: where, and what went wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The input's name.
    pub input: String,
    /// Line of the problem in the input, from 1, when it has one.
    pub line: Option<u32>,
    /// Column, from 1, in characters.
    pub column: Option<u32>,
    /// What went wrong, lower case.
    pub message: String,
}

impl Failure {
    /// The error line for standard error: `input:line:col: error: message`.
    #[must_use]
    pub fn to_line(&self) -> String {
        match (self.line, self.column) {
            (Some(line), Some(col)) => format!("{}:{line}:{col}: error: {}", self.input, self.message),
            _ => format!("{}: error: {}", self.input, self.message),
        }
    }
}

/// `body` (a JSON object) as one line with `schema_version` first.
#[must_use]
pub fn line(body: &impl Serialize) -> String {
    line_sized(body, 256)
}

/// [`line()`] for a body of about `expected` bytes: a document's report can be tens of
/// megabytes, and a buffer that starts small is copied into a larger one again and again as it
/// grows. The object is written once, behind the version, in place.
#[must_use]
pub fn line_sized(body: &impl Serialize, expected: usize) -> String {
    let mut out = Vec::with_capacity(expected.saturating_add(32));
    if write_line(&mut out, body).is_err() {
        out.clear();
        out.extend_from_slice(format!("{{\"schema_version\":{SCHEMA_VERSION}}}\n").as_bytes());
    }
    // serde_json writes UTF-8, and so does the prefix.
    String::from_utf8(out).unwrap_or_default()
}

/// Writes [`line()`] of `body` (a JSON object) to `out` as it is serialized, without holding
/// the line: the report of a document of a million portions is hundreds of megabytes.
/// `serde_json` writes token by token, so `out` should be buffered.
///
/// # Errors
/// Those of `out` (as they were: a closed pipe stays a closed pipe), or of serializing
/// `body`, or when `body` is no JSON object; what was written before stays written.
pub fn write_line<W: io::Write + ?Sized>(out: &mut W, body: &impl Serialize) -> io::Result<()> {
    let mut state = Versioned::Start;
    body.serialize(&mut serde_json::Serializer::with_formatter(&mut *out, VersionFirst(&mut state)))
        .map_err(io::Error::from)?;
    if state != Versioned::Past {
        return Err(io::Error::other("the body is not a JSON object"));
    }
    out.write_all(b"\n")
}

/// How far the version is in the outermost object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Versioned {
    /// Nothing written yet.
    Start,
    /// The outermost object opened with the version: its first member needs a comma.
    Opened,
    /// The version is in.
    Past,
    /// The outermost value is an array: no version goes in.
    Array,
}

/// `serde_json`'s compact output, with `schema_version` as the first member of the outermost
/// object.
struct VersionFirst<'a>(&'a mut Versioned);

impl serde_json::ser::Formatter for VersionFirst<'_> {
    #[inline]
    fn begin_object<W: io::Write + ?Sized>(&mut self, writer: &mut W) -> io::Result<()> {
        if *self.0 == Versioned::Start {
            *self.0 = Versioned::Opened;
            write!(writer, "{{\"schema_version\":{SCHEMA_VERSION}")
        } else {
            writer.write_all(b"{")
        }
    }

    #[inline]
    fn begin_array<W: io::Write + ?Sized>(&mut self, writer: &mut W) -> io::Result<()> {
        if *self.0 == Versioned::Start {
            *self.0 = Versioned::Array;
        }
        writer.write_all(b"[")
    }

    #[inline]
    fn begin_object_key<W: io::Write + ?Sized>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        // The first key after the outermost opening is that object's (a nested object opens
        // only after a key of its own).
        if *self.0 == Versioned::Opened {
            *self.0 = Versioned::Past;
            writer.write_all(b",")
        } else if first {
            Ok(())
        } else {
            writer.write_all(b",")
        }
    }

    #[inline]
    fn end_object<W: io::Write + ?Sized>(&mut self, writer: &mut W) -> io::Result<()> {
        if *self.0 == Versioned::Opened {
            *self.0 = Versioned::Past;
        }
        writer.write_all(b"}")
    }
}

/// The line of an input that yielded no document: `{"schema_version", "error": {…}}`.
#[must_use]
pub fn error_line(failure: &Failure) -> String {
    line(&serde_json::json!({ "error": failure }))
}

/// A stream record's output: `{"schema_version", "id", "<command>": body}`.
#[must_use]
pub fn stream_line(id: Option<&str>, command: &str, body: &impl Serialize) -> String {
    let json = serde_json::to_string(body).unwrap_or_else(|_| "null".to_owned());
    let id = serde_json::to_string(&id).unwrap_or_else(|_| "null".to_owned());
    format!("{{\"schema_version\":{SCHEMA_VERSION},\"id\":{id},\"{command}\":{json}}}\n")
}

/// A stream record's output when it yielded no document: `{"schema_version", "id", "error"}`.
#[must_use]
pub fn stream_error_line(id: Option<&str>, failure: &Failure) -> String {
    stream_line(id, "error", failure)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer that takes one byte a call, as a slow pipe may.
    struct ByteAtATime(Vec<u8>);

    impl io::Write for ByteAtATime {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.extend(buf.first());
            Ok(buf.len().min(1))
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// Written as it is serialized, a line is the line made whole, however the writer takes it.
    #[test]
    fn a_written_line_is_the_line() {
        for body in
            [serde_json::json!({"a": 1, "b": [{"c": "}"}, {}]}), serde_json::json!({}), serde_json::json!({"e": {}})]
        {
            let mut direct = Vec::new();
            write_line(&mut direct, &body).expect("writes");
            let mut slow = ByteAtATime(Vec::new());
            write_line(&mut slow, &body).expect("writes");
            assert_eq!(String::from_utf8(direct).expect("utf-8"), line(&body));
            assert_eq!(String::from_utf8(slow.0).expect("utf-8"), line(&body));
        }
        assert!(write_line(&mut Vec::new(), &serde_json::json!("text")).is_err());
        assert!(write_line(&mut Vec::new(), &serde_json::json!([{"a": 1}])).is_err());
    }

    #[test]
    fn every_line_starts_with_the_schema_version() {
        assert_eq!(line(&serde_json::json!({"a": 1})), "{\"schema_version\":1,\"a\":1}\n");
        assert_eq!(line(&serde_json::json!({})), "{\"schema_version\":1}\n");
        assert_eq!(line(&serde_json::json!([1])), "{\"schema_version\":1}\n");
        assert_eq!(line(&serde_json::json!([{"a": 1}])), "{\"schema_version\":1}\n");
        let failure = Failure { input: "x".into(), line: Some(2), column: Some(3), message: "bad".into() };
        assert_eq!(failure.to_line(), "x:2:3: error: bad");
        assert_eq!(
            stream_error_line(Some("r\"1"), &failure),
            "{\"schema_version\":1,\"id\":\"r\\\"1\",\"error\":{\"input\":\"x\",\"line\":2,\"column\":3,\"message\":\"bad\"}}\n"
        );
    }
}
