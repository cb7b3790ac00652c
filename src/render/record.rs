//! The JSON Lines every command prints: each line carries `schema_version`; a stream record
//! (`--input-format jsonl`) also carries the input record's `id` and holds the command's
//! object under the command's name, or an `error`. The schemas are in `src/render/schemas/`
//! and `declass schema NAME` prints them.

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
    out.extend_from_slice(format!("{{\"schema_version\":{SCHEMA_VERSION}").as_bytes());
    let at = out.len();
    if serde_json::to_writer(&mut out, body).is_err() || out.get(at) != Some(&b'{') {
        out.truncate(at);
        out.extend_from_slice(b"}");
    } else if out.len() == at + 2 {
        // `{}`: nothing to add after the version.
        out.truncate(at + 1);
        out[at] = b'}';
    } else {
        out[at] = b',';
    }
    out.push(b'\n');
    // serde_json writes UTF-8, and so does the prefix.
    String::from_utf8(out).unwrap_or_default()
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

    #[test]
    fn every_line_starts_with_the_schema_version() {
        assert_eq!(line(&serde_json::json!({"a": 1})), "{\"schema_version\":1,\"a\":1}\n");
        assert_eq!(line(&serde_json::json!({})), "{\"schema_version\":1}\n");
        let failure = Failure { input: "x".into(), line: Some(2), column: Some(3), message: "bad".into() };
        assert_eq!(failure.to_line(), "x:2:3: error: bad");
        assert_eq!(
            stream_error_line(Some("r\"1"), &failure),
            "{\"schema_version\":1,\"id\":\"r\\\"1\",\"error\":{\"input\":\"x\",\"line\":2,\"column\":3,\"message\":\"bad\"}}\n"
        );
    }
}
