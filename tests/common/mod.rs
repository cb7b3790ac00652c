//! Shared helpers for tests that read the shared cable corpus.
//!
//! The corpus is found through `DECLASS_CORPUS` (default `../shared/corpus` next to the
//! package). Where it is absent, corpus tests say so and skip, so that `cargo test` passes on
//! a newcomer's machine; when `CI` is set, an absent corpus is a failure.

#![allow(dead_code, reason = "each test binary uses a different part of the helpers")]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The corpus directory, or `None` (with a note on stderr) when it is absent outside CI.
///
/// # Panics
/// When the corpus is absent and `CI` is set.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("DECLASS_CORPUS")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"), PathBuf::from);
    if dir.join("raw").is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "the shared corpus is not at `{}` and CI is set: corpus tests must run in CI (set DECLASS_CORPUS)",
        dir.display()
    );
    eprintln!("note: corpus tests skipped: no corpus at `{}` (set DECLASS_CORPUS to run them)", dir.display());
    None
}

/// Every cable of the corpus (`raw/**/*.txt` and the seed), sorted by path.
pub fn corpus_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.join("raw"), dir.join("seed")];
    while let Some(next) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&next) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "txt") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// One line of `meta/*.jsonl`.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Meta {
    pub id: String,
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default)]
    pub classification: Option<String>,
    pub file: String,
}

/// Metadata by file path relative to the corpus (`raw/…/X.txt`).
pub fn metadata(dir: &Path) -> HashMap<String, Meta> {
    let mut out = HashMap::new();
    let Ok(entries) = std::fs::read_dir(dir.join("meta")) else { return out };
    for entry in entries.flatten() {
        let Ok(text) = std::fs::read_to_string(entry.path()) else { continue };
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let meta: Meta = serde_json::from_str(line).expect("meta lines are JSON objects");
            out.insert(meta.file.clone(), meta);
        }
    }
    out
}

/// The path of `file` relative to the corpus directory, with `/` separators.
pub fn relative(dir: &Path, file: &Path) -> String {
    file.strip_prefix(dir).unwrap_or(file).to_string_lossy().replace('\\', "/")
}

/// A temporary directory removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// A fresh, empty directory under the system's temporary directory.
    pub fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("declass-test-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temporary directory can be created");
        Self(dir)
    }

    /// A path inside the directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
