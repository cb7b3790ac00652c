//! Writing a run's files to a directory (releases, or review pages): file names, the rules
//! against overwriting, atomic writes, and the directory's index file (the audit manifest of a
//! release, `index.html` of a review).
//!
//! Into a directory that does not exist yet (or is empty), every file is written into a fresh
//! directory beside it, which is renamed into place at the end: one rename for the whole run,
//! and a run that fails half way leaves nothing behind. Into a directory that already holds
//! files, each file is written beside its final name and renamed, and an existing file is
//! only replaced with `--force`. An input is never overwritten by its release. Paths are
//! compared once per directory, not once per input.
//!
//! A release's `manifest.jsonl` records, one line per input in input order, which input (and
//! its hash) produced which file (and its hash) under which policy, date and version of
//! declass.

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::input::Input;
use crate::model::lower_first;

/// The name of the audit manifest in a release directory.
pub const MANIFEST: &str = "manifest.jsonl";

/// The version of the manifest's records.
pub const MANIFEST_VERSION: u32 = 1;

/// The file that names what a directory holds, written last: its presence says that the
/// directory holds the output of a run.
#[derive(Debug, Clone, Copy)]
pub struct IndexFile {
    /// The file's name.
    pub name: &'static str,
    /// What a directory with it holds (`a release`).
    pub holds: &'static str,
}

/// A release's index: the audit manifest.
pub const RELEASE_INDEX: IndexFile = IndexFile { name: MANIFEST, holds: "a release" };

/// A review's index: the summary page.
pub const REVIEW_INDEX: IndexFile = IndexFile { name: "index.html", holds: "a review" };

/// A directory a run's files are written into.
#[derive(Debug)]
pub struct OutputDir {
    /// Where the files end up.
    dir: PathBuf,
    /// Where they are written during the run (`dir` itself, or a fresh directory beside it).
    staging: PathBuf,
    staged: bool,
    force: bool,
    /// File names already given in this run.
    used: HashSet<String>,
    /// Names of inputs that live in `dir`: never overwritten.
    inputs_here: HashSet<OsString>,
    index: IndexFile,
}

impl OutputDir {
    /// Prepares `dir` for the files made of `inputs`; `index` is written last by
    /// [`OutputDir::finish`].
    ///
    /// # Errors
    /// A message (`path: error: …`) when the directory cannot be used.
    pub fn open(dir: &Path, inputs: &[Input], force: bool, index: IndexFile) -> Result<Self, String> {
        let fail =
            |what: &str, e: &io::Error| format!("{}: error: {what}: {}", dir.display(), lower_first(&e.to_string()));
        let empty = match std::fs::read_dir(dir) {
            Ok(mut entries) => entries.next().is_none(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => true,
            Err(e) => return Err(fail("cannot read the output directory", &e)),
        };
        let (staging, staged) = if empty {
            let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or_else(|| Path::new("."));
            std::fs::create_dir_all(parent).map_err(|e| fail("cannot create the output directory", &e))?;
            let name = dir.file_name().map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
            let staging = parent.join(format!(".{name}.declass-{}.tmp", std::process::id()));
            std::fs::create_dir(&staging)
                .map_err(|e| fail("cannot create a directory beside the output directory", &e))?;
            (staging, true)
        } else {
            if !force && dir.join(index.name).exists() {
                return Err(format!(
                    "{}: error: the directory holds {} already (`{}`); give `--force` to replace its files",
                    dir.display(),
                    index.holds,
                    index.name
                ));
            }
            (dir.to_path_buf(), false)
        };
        let inputs_here = if dir.exists() { inputs_in(dir, inputs) } else { HashSet::new() };
        Ok(Self { dir: dir.to_path_buf(), staging, staged, force, used: HashSet::new(), inputs_here, index })
    }

    /// Where the files end up.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// A file name for a document, unique in this run and never the index's: `base.txt`,
    /// `base-2.txt`… for `extension` `txt`.
    pub fn name_for(&mut self, base: &str, extension: &str) -> String {
        let mut name = format!("{base}.{extension}");
        let mut n = 1;
        while name == self.index.name || !self.used.insert(name.clone()) {
            n += 1;
            name = format!("{base}-{n}.{extension}");
        }
        name
    }

    /// Writes `text` as `name`; returns the file's final path.
    ///
    /// # Errors
    /// A message when the file would overwrite an input or an existing file (without
    /// `--force`), or cannot be written.
    pub fn write(&mut self, name: &str, text: &str) -> Result<PathBuf, String> {
        let target = self.dir.join(name);
        if self.inputs_here.contains(&OsString::from(name)) {
            return Err(format!("{}: error: refusing to overwrite an input", target.display()));
        }
        let fail = |e: io::Error| format!("{}: error: cannot write: {}", target.display(), lower_first(&e.to_string()));
        if self.staged {
            std::fs::write(self.staging.join(name), text).map_err(fail)?;
            return Ok(target);
        }
        if !self.force && target.exists() {
            return Err(format!("{}: error: the file exists; give `--force` to replace it", target.display()));
        }
        write_atomically(&target, text.as_bytes()).map_err(fail)?;
        Ok(target)
    }

    /// Writes the index file with `contents` and, for a fresh directory, puts the files in
    /// place.
    ///
    /// # Errors
    /// A message when the index or the directory cannot be written.
    pub fn finish(self, contents: &[u8]) -> Result<(), String> {
        let fail = |what: &str, e: io::Error| {
            format!("{}: error: {what}: {}", self.dir.display(), lower_first(&e.to_string()))
        };
        let what = format!("cannot write `{}`", self.index.name);
        if !self.staged {
            return write_atomically(&self.dir.join(self.index.name), contents).map_err(|e| fail(&what, e));
        }
        std::fs::write(self.staging.join(self.index.name), contents).map_err(|e| fail(&what, e))?;
        // An empty directory given as the target makes way for the written one.
        if self.dir.exists() {
            std::fs::remove_dir(&self.dir).map_err(|e| fail("cannot replace the empty output directory", e))?;
        }
        std::fs::rename(&self.staging, &self.dir).map_err(|e| fail("cannot put the files in place", e))
    }
}

/// The names of the inputs that are files in `dir`, comparing each input directory with
/// `dir` once.
fn inputs_in(dir: &Path, inputs: &[Input]) -> HashSet<OsString> {
    let Ok(target) = dir.canonicalize() else { return HashSet::new() };
    let mut same: HashMap<PathBuf, bool> = HashMap::new();
    let mut out = HashSet::new();
    for input in inputs {
        let Input::File(path) = input else { continue };
        let parent =
            path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or_else(|| Path::new(".")).to_path_buf();
        let here = *same.entry(parent).or_insert_with_key(|p| p.canonicalize().is_ok_and(|p| p == target));
        if here && let Some(name) = path.file_name() {
            out.insert(name.to_os_string());
        }
    }
    out
}

/// Writes `bytes` to `path` atomically: a temporary file beside it, renamed.
///
/// # Errors
/// The I/O error of writing or renaming.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("release");
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}

/// The name a document's file is given (before its extension): its sanitised id, else its
/// input's stem, else `document-N` for the input at `index`.
pub fn file_base(doc: &crate::model::Document, input: &Input, index: usize) -> String {
    use crate::render::release::sanitize_id;
    let from_id = doc.id.as_deref().and_then(sanitize_id);
    let from_input = match input {
        Input::File(path) => path.file_stem().and_then(|s| s.to_str()).and_then(sanitize_id),
        Input::Stdin | Input::Record(_) => None,
    };
    from_id.or(from_input).unwrap_or_else(|| format!("document-{}", index + 1))
}

/// SHA-256 of `bytes`, lower-case hex.
#[must_use]
pub fn sha256(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    Sha256::digest(bytes).iter().fold(String::with_capacity(64), |mut hex, b| {
        let _ = write!(hex, "{b:02x}");
        hex
    })
}

/// The policy a release was made under.
#[derive(Debug, Serialize)]
pub struct ManifestPolicy<'a> {
    /// Name.
    pub name: &'a str,
    /// Version.
    pub version: &'a str,
    /// SHA-256 of the policy file.
    pub sha256: &'a str,
}

/// Appends `record` to a manifest as one line.
pub fn push_record(manifest: &mut Vec<u8>, record: &ManifestRecord<'_>) {
    if serde_json::to_writer(&mut *manifest, record).is_ok() {
        manifest.push(b'\n');
    }
}

/// One line of `manifest.jsonl`: one input and what became of it.
#[derive(Debug, Serialize)]
pub struct ManifestRecord<'a> {
    /// The version of this record's form.
    pub schema_version: u32,
    /// The document number: the input's position, from 1, failed inputs included.
    pub number: usize,
    /// The input as given.
    pub input: &'a str,
    /// SHA-256 of the input's bytes, when it could be read.
    pub input_sha256: Option<String>,
    /// The release file's name in the directory, when one was written.
    pub output: Option<&'a str>,
    /// SHA-256 of the release file.
    pub output_sha256: Option<String>,
    /// `release_in_full`, `release_in_part`, `deny_in_full`, `review`.
    pub outcome: Option<&'static str>,
    /// Labels cited.
    pub labels: &'a [String],
    /// The policy.
    pub policy: ManifestPolicy<'a>,
    /// The date decided as of.
    pub as_of: String,
    /// The version of declass.
    pub declass_version: &'static str,
    /// The case number, when given.
    pub case: Option<&'a str>,
    /// What went wrong, for an input that has no release.
    pub error: Option<&'a str>,
}
