//! Inputs: expanding command-line paths into documents to read, reading them within a size
//! limit, and reading documents one record at a time from JSON Lines streams.
//!
//! Directories are walked recursively in sorted order (hidden entries skipped) so that
//! output order never depends on the file system; `-` reads standard input, once.

use std::io::{BufRead, Read as _};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::model::lower_first;

/// The default limit on the size of one input (a document, a policy, a stream record).
pub const DEFAULT_MAX_SIZE: u64 = 64 << 20;

/// One document to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file.
    File(PathBuf),
    /// Standard input (`-`).
    Stdin,
    /// One record of a JSON Lines stream.
    Record(Record),
}

/// One record of a JSON Lines stream: `{"id": …, "text": …}` or `{"id": …, "path": …}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The record's `id`, when it has one that is a string or a number.
    pub id: Option<String>,
    /// Where the record is: `stream:line`.
    pub origin: String,
    /// The document, or why the record holds none.
    pub body: RecordBody,
}

/// What a record holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordBody {
    /// The document's text.
    Text(String),
    /// The path of the document's file.
    Path(PathBuf),
    /// The record is not a valid one: why.
    Invalid(String),
}

impl Input {
    /// The name shown in messages and reports: the path as given, `<stdin>`, or for a
    /// record its path, else where it is in its stream.
    #[must_use]
    pub fn display_name(&self) -> String {
        match self {
            Self::File(path) | Self::Record(Record { body: RecordBody::Path(path), .. }) => path.display().to_string(),
            Self::Stdin => "<stdin>".to_owned(),
            Self::Record(record) => record.origin.clone(),
        }
    }

    /// The stream record's id, if this input is a record that has one.
    #[must_use]
    pub fn record_id(&self) -> Option<&str> {
        match self {
            Self::Record(record) => record.id.as_deref(),
            _ => None,
        }
    }

    /// Reads the whole input, refusing one larger than `limit` bytes.
    ///
    /// # Errors
    /// Why the input cannot be read, lower case, as the message of an error line.
    pub fn read(&self, limit: u64) -> Result<Vec<u8>, String> {
        match self {
            Self::File(path) => read_file(path, limit),
            Self::Stdin => read_limited(std::io::stdin().lock(), limit, 0),
            Self::Record(record) => match &record.body {
                RecordBody::Text(text) => Ok(text.as_bytes().to_vec()),
                RecordBody::Path(path) => read_file(path, limit),
                RecordBody::Invalid(message) => Err(message.clone()),
            },
        }
    }
}

/// Reads a file, refusing one larger than `limit` bytes: a regular file by its size, before
/// reading anything; anything else (a device, a pipe: `/dev/zero`) as it is read.
///
/// # Errors
/// Why the file cannot be read, lower case.
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| lower_first(&e.to_string()))?;
    // A regular file's size is known: read it into a buffer of that size (and one byte more,
    // to see the end) rather than one grown by doubling.
    let size = match file.metadata() {
        Ok(meta) if meta.is_file() && meta.len() > limit => return Err(too_large(limit)),
        Ok(meta) if meta.is_file() => usize::try_from(meta.len()).unwrap_or(0),
        _ => 0,
    };
    read_limited(file, limit, size)
}

fn read_limited(reader: impl std::io::Read, limit: u64, size: usize) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::with_capacity(size.saturating_add(1));
    reader.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| lower_first(&e.to_string()))?;
    if bytes.len() as u64 > limit { Err(too_large(limit)) } else { Ok(bytes) }
}

fn too_large(limit: u64) -> String {
    format!("the input is larger than the limit of {} (raise it with --max-input-size)", format_size(limit))
}

/// A size for people: `64 MiB`, `1500 bytes`.
#[must_use]
pub fn format_size(bytes: u64) -> String {
    for (unit, shift) in [("GiB", 30), ("MiB", 20), ("KiB", 10)] {
        if bytes >= 1 << shift && bytes.is_multiple_of(1 << shift) {
            return format!("{} {unit}", bytes >> shift);
        }
    }
    format!("{bytes} bytes")
}

/// Reads a size argument: a number of bytes, optionally with a unit (`K`, `M`, `G`, `KiB`,
/// `MiB`, `GiB`: powers of 1024; `KB`, `MB`, `GB`: powers of 1000).
///
/// # Errors
/// What is wrong with the text.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let number: u64 = number.parse().map_err(|_| format!("`{text}` is not a size: write bytes, or e.g. 64MiB"))?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" => 1 << 10,
        "m" | "mib" => 1 << 20,
        "g" | "gib" => 1 << 30,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        other => return Err(format!("`{other}` is not a size unit: use K, M, G (KiB, MiB, GiB) or KB, MB, GB")),
    };
    match number.checked_mul(factor) {
        Some(0) | None => Err(format!("`{text}` is not a usable size: give at least one byte")),
        Some(size) => Ok(size),
    }
}

/// A path given on the command line that could not be expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The path as given.
    pub path: String,
    /// What went wrong, lower case.
    pub message: String,
}

/// Expands paths into inputs: files as given, directories walked, `-` as standard input.
/// Problems (unreadable directories, a second `-`) are returned alongside, so that the run
/// can go on with the rest; a missing path is kept as an input that fails when read.
#[must_use]
pub fn expand(paths: &[PathBuf]) -> (Vec<Input>, Vec<InputError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    let mut stdin_seen = false;
    for path in paths {
        if path.as_os_str() == "-" {
            if stdin_seen {
                errors.push(InputError {
                    path: "-".to_owned(),
                    message: "standard input is given more than once; it can be read only once".to_owned(),
                });
            } else {
                inputs.push(Input::Stdin);
            }
            stdin_seen = true;
        } else if path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found, &mut errors);
            inputs.extend(found.into_iter().map(Input::File));
        } else {
            // A path that does not exist is an input that fails to read, in its place: it gets
            // its error record, its manifest line and its document number like any other.
            inputs.push(Input::File(path.clone()));
        }
    }
    (inputs, errors)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>, errors: &mut Vec<InputError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(InputError { path: dir.display().to_string(), message: lower_first(&e.to_string()) });
            return;
        }
    };
    // Each directory's entries sorted by name and walked in that order: the order of the
    // sorted paths, at the price of sorting names rather than whole paths.
    let mut entries: Vec<std::fs::DirEntry> =
        entries.flatten().filter(|e| !e.file_name().as_encoded_bytes().starts_with(b".")).collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(&path, found, errors),
            Ok(t) if t.is_file() || t.is_symlink() && path.is_file() => found.push(path),
            _ => {}
        }
    }
}

/// The records of JSON Lines streams (files or standard input, one after the other), read
/// one line at a time: however long the streams, only the line being read is held here.
/// Every non-blank line is a record; one that is not a valid record becomes a record that
/// says why ([`RecordBody::Invalid`]), so that it still gets its output record.
pub struct JsonLines {
    /// The streams not yet opened, in order.
    streams: std::vec::IntoIter<Input>,
    /// The stream being read: its name, reader and the number of the last line read.
    current: Option<(String, Box<dyn BufRead + Send>, usize)>,
    /// The limit on a line's length.
    limit: u64,
}

/// The inputs of a run, yielded one at a time: the documents named, or the records of
/// streams.
pub enum Source {
    /// Documents, expanded up front.
    Documents(std::vec::IntoIter<Input>),
    /// Records, read as they are needed.
    Stream(JsonLines),
}

impl Iterator for Source {
    type Item = Input;

    fn next(&mut self) -> Option<Input> {
        match self {
            Self::Documents(inputs) => inputs.next(),
            Self::Stream(records) => records.next(),
        }
    }
}

/// A record as written in a stream.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordJson {
    id: Option<serde_json::Value>,
    text: Option<String>,
    path: Option<PathBuf>,
}

impl JsonLines {
    /// Reads the records of `streams` (files or standard input), each line at most `limit`
    /// bytes long.
    #[must_use]
    pub fn new(streams: Vec<Input>, limit: u64) -> Self {
        Self { streams: streams.into_iter(), current: None, limit }
    }

    /// Opens the next stream; a stream that cannot be opened yields one invalid record.
    fn open_next(&mut self) -> Option<Result<(), Record>> {
        let stream = self.streams.next()?;
        let name = stream.display_name();
        let reader: Box<dyn BufRead + Send> = match &stream {
            Input::File(path) => match std::fs::File::open(path) {
                Ok(file) => Box::new(std::io::BufReader::with_capacity(1 << 16, file)),
                Err(e) => {
                    let message = format!("cannot open the stream: {}", lower_first(&e.to_string()));
                    return Some(Err(Record { id: None, origin: name, body: RecordBody::Invalid(message) }));
                }
            },
            _ => Box::new(std::io::BufReader::with_capacity(1 << 16, std::io::stdin())),
        };
        self.current = Some((name, reader, 0));
        Some(Ok(()))
    }
}

impl Iterator for JsonLines {
    type Item = Input;

    fn next(&mut self) -> Option<Input> {
        loop {
            if self.current.is_none() {
                match self.open_next()? {
                    Ok(()) => {}
                    Err(record) => return Some(Input::Record(record)),
                }
            }
            let (name, reader, line) = self.current.as_mut()?;
            *line += 1;
            let origin = format!("{name}:{line}");
            match read_line(reader.as_mut(), self.limit) {
                Ok(None) => self.current = None,
                Ok(Some(Line::Complete(bytes))) if bytes.iter().all(u8::is_ascii_whitespace) => {}
                Ok(Some(Line::Complete(bytes))) => return Some(Input::Record(record_of(&bytes, origin))),
                Ok(Some(Line::TooLong)) => {
                    let body = RecordBody::Invalid(format!(
                        "the record is longer than the limit of {} (raise it with --max-input-size)",
                        format_size(self.limit)
                    ));
                    return Some(Input::Record(Record { id: None, origin, body }));
                }
                Err(e) => {
                    // A stream that fails mid-way is not read further.
                    self.current = None;
                    let body = RecordBody::Invalid(format!("cannot read the stream: {}", lower_first(&e.to_string())));
                    return Some(Input::Record(Record { id: None, origin, body }));
                }
            }
        }
    }
}

/// A line read from a stream.
enum Line {
    /// The line, without its line break.
    Complete(Vec<u8>),
    /// The line was longer than the limit; it was skipped, not kept.
    TooLong,
}

/// Reads one line of at most `limit` bytes; a longer one is consumed without being kept.
fn read_line(reader: &mut dyn BufRead, limit: u64) -> std::io::Result<Option<Line>> {
    let mut line = Vec::new();
    let mut too_long = false;
    let mut any = false;
    loop {
        let buffer = match reader.fill_buf() {
            Ok(buffer) => buffer,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buffer.is_empty() {
            break;
        }
        any = true;
        let (chunk, done) = match memchr::memchr(b'\n', buffer) {
            Some(at) => (&buffer[..at], at + 1),
            None => (buffer, buffer.len()),
        };
        if !too_long {
            if (line.len() + chunk.len()) as u64 > limit {
                too_long = true;
                line = Vec::new();
            } else {
                line.extend_from_slice(chunk);
            }
        }
        let ended = done > chunk.len();
        reader.consume(done);
        if ended {
            break;
        }
    }
    if !any {
        return Ok(None);
    }
    if too_long {
        return Ok(Some(Line::TooLong));
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(Some(Line::Complete(line)))
}

/// The record a line holds, or an invalid record saying why it holds none.
fn record_of(line: &[u8], origin: String) -> Record {
    let invalid = |id, message: String| Record { id, origin: origin.clone(), body: RecordBody::Invalid(message) };
    let parsed: RecordJson = match serde_json::from_slice(line) {
        Ok(parsed) => parsed,
        Err(e) => {
            // The id of a record that is otherwise wrong is still worth finding.
            let id = serde_json::from_slice::<serde_json::Value>(line).ok().and_then(|v| v.get("id").and_then(id_of));
            return invalid(
                id,
                format!("not a record: {e}; write {{\"id\": …, \"text\": …}} or {{\"id\": …, \"path\": …}}"),
            );
        }
    };
    let id = parsed.id.as_ref().and_then(id_of);
    if parsed.id.is_some() && id.is_none() {
        return invalid(None, "the record's `id` must be a string or a number".to_owned());
    }
    match (parsed.text, parsed.path) {
        (Some(text), None) => Record { id, origin, body: RecordBody::Text(text) },
        (None, Some(path)) => Record { id, origin, body: RecordBody::Path(path) },
        (Some(_), Some(_)) => invalid(id, "the record has both `text` and `path`: give one".to_owned()),
        (None, None) => invalid(id, "the record has neither `text` nor `path`".to_owned()),
    }
}

fn id_of(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_paths_keep_their_place_and_a_second_stdin_is_refused() {
        let missing = PathBuf::from("/definitely/not/here");
        let (inputs, errors) = expand(&[PathBuf::from("-"), missing.clone(), PathBuf::from("-")]);
        assert_eq!(inputs, vec![Input::Stdin, Input::File(missing)]);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("more than once"));
        let Err(message) = inputs[1].read(DEFAULT_MAX_SIZE) else { panic!("a missing file cannot be read") };
        assert_eq!(message, "no such file or directory");
    }

    #[test]
    fn os_messages_follow_the_error_style() {
        assert_eq!(lower_first("Permission denied (os error 13)"), "permission denied");
    }

    #[test]
    fn sizes_read_with_units() {
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("10 M"), Ok(10 << 20));
        assert_eq!(parse_size("1500"), Ok(1500));
        assert_eq!(parse_size("2GB"), Ok(2_000_000_000));
        assert!(parse_size("0").is_err());
        assert!(parse_size("ten").is_err());
        assert!(parse_size("5 parsecs").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
        assert_eq!(format_size(64 << 20), "64 MiB");
        assert_eq!(format_size(1500), "1500 bytes");
    }

    #[test]
    fn a_device_is_read_only_up_to_the_limit() {
        let message = read_file(Path::new("/dev/zero"), 1 << 20).expect_err("an endless device is refused");
        assert_eq!(message, "the input is larger than the limit of 1 MiB (raise it with --max-input-size)");
    }

    fn records(text: &str, limit: u64) -> Vec<Record> {
        let dir = std::env::temp_dir().join(format!("declass-jsonl-{}-{}", std::process::id(), text.len()));
        std::fs::write(&dir, text).expect("write");
        let found = JsonLines::new(vec![Input::File(dir.clone())], limit)
            .map(|input| match input {
                Input::Record(record) => record,
                other => panic!("not a record: {other:?}"),
            })
            .collect();
        let _ = std::fs::remove_file(&dir);
        found
    }

    #[test]
    fn every_line_of_a_stream_is_one_record() {
        let found = records(
            "{\"id\":\"a\",\"text\":\"UNCLAS\\n\"}\n\n{\"id\":7,\"path\":\"x.txt\"}\r\nnot json\n{\"id\":\"d\",\"text\":\"t\",\"path\":\"p\"}\n{\"id\":\"e\",\"text\":\"0123456789012345678901234567890123456789\"}\n{\"id\":\"f\",\"txt\":\"t\"}",
            48,
        );
        assert_eq!(found.len(), 6, "{found:?}");
        assert_eq!(found[0].body, RecordBody::Text("UNCLAS\n".to_owned()));
        assert_eq!(found[0].id.as_deref(), Some("a"));
        assert!(found[0].origin.ends_with(":1"));
        assert_eq!(found[1].body, RecordBody::Path(PathBuf::from("x.txt")));
        assert_eq!(found[1].id.as_deref(), Some("7"));
        assert!(found[1].origin.ends_with(":3"), "blank lines count as lines, not records");
        assert!(matches!(&found[2].body, RecordBody::Invalid(m) if m.starts_with("not a record")));
        assert!(matches!(&found[3].body, RecordBody::Invalid(m) if m.contains("both")));
        assert_eq!(found[3].id.as_deref(), Some("d"));
        assert!(matches!(&found[4].body, RecordBody::Invalid(m) if m.contains("longer than the limit of 48 bytes")));
        assert!(matches!(&found[5].body, RecordBody::Invalid(m) if m.contains("unknown field `txt`")));
        assert_eq!(found[5].id.as_deref(), Some("f"));
    }
}
