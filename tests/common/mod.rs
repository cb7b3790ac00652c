//! Shared helpers for tests that read the shared cable corpus.
//!
//! The corpus is found through `DECLASS_CORPUS` (default `../shared/corpus` next to the
//! package). Where it is absent, corpus tests say so and skip, so that `cargo test` passes on
//! a newcomer's machine; when `CI` is set, an absent corpus is a failure.

#![allow(dead_code, reason = "each test binary uses a different part of the helpers")]

pub mod independent;

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
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "txt") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&dir.join("raw"), &mut files);
    walk(&dir.join("seed"), &mut files);
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

/// The no-leak invariants of a release: returns every violation found.
///
/// 1. No word 6-gram of a redacted portion or span (or the whole text of a short one) appears
///    in the release output more often than in the released parts of the input.
/// 2. Walking input and output together: every byte outside the redacted spans is copied
///    unchanged, and each redacted span is replaced by a placeholder made only of a number,
///    a mark and labels (`3. (C) [B1 1.4(B),1.4(D)]`, `[B6]`). Released portions therefore
///    appear verbatim, and the output minus stamp and placeholders is the input minus the
///    redacted portions.
pub fn release_violations(
    doc: &declass::model::Document,
    decisions: &declass::engine::Decisions,
    policy: &declass::policy::Policy,
) -> Vec<String> {
    use declass::engine::DocumentOutcome;
    use declass::policy::Outcome;
    let options = declass::render::release::StampOptions::default();
    let release = declass::render::release::release_text(doc, decisions, policy, &options);
    let mut redacted: Vec<declass::model::Span> = Vec::new();
    for (portion, decision) in doc.portions.iter().zip(&decisions.portions) {
        if decision.outcome == Outcome::Release {
            redacted.extend(decision.spans.iter().map(|s| s.span));
        } else {
            redacted.push(portion.span);
        }
    }
    redacted.sort();
    let mut problems = Vec::new();
    let withdrawn = matches!(decisions.outcome, DocumentOutcome::DenyInFull | DocumentOutcome::Review);
    // The release without its placeholders, checked against the input piece by piece.
    let mut without_placeholders = String::new();
    let mut released_input = String::new();
    if withdrawn {
        without_placeholders.push_str(&release);
    } else {
        let Some(body_at) =
            release.find("\n========================================================================\n")
        else {
            problems.push("the release has no stamp".to_owned());
            return problems;
        };
        without_placeholders.push_str(&release[..body_at + 74]);
        let body = &release[body_at + 74..];
        let mut input_at = 0;
        let mut output_at = 0;
        for span in &redacted {
            if span.start < input_at {
                continue;
            }
            let kept = &doc.source[input_at..span.start];
            if !body[output_at..].starts_with(kept) {
                problems.push(format!("text before byte {} is not copied unchanged", span.start));
                return problems;
            }
            without_placeholders.push_str(kept);
            without_placeholders.push('\n');
            released_input.push_str(kept);
            released_input.push('\n');
            output_at += kept.len();
            let rest = &body[output_at..];
            let Some(close) = rest.find(']') else {
                problems.push(format!("no placeholder at byte {}", span.start));
                return problems;
            };
            let placeholder = &rest[..=close];
            if !is_placeholder(placeholder) {
                problems.push(format!("`{placeholder}` is not a placeholder"));
                return problems;
            }
            output_at += placeholder.len();
            input_at = span.end;
        }
        if body[output_at..] != doc.source[input_at..] {
            problems.push("the end of the document is not copied unchanged".to_owned());
        }
        without_placeholders.push_str(&body[output_at..]);
        released_input.push_str(&doc.source[input_at..]);
    }
    let out_grams = gram_counts(&without_placeholders);
    let in_grams = gram_counts(&released_input);
    for span in &redacted {
        for gram in grams(doc.text(*span)) {
            let out = out_grams.get(&gram).copied().unwrap_or(0) + short_count(&without_placeholders, &gram);
            let input = in_grams.get(&gram).copied().unwrap_or(0) + short_count(&released_input, &gram);
            if out > input {
                problems.push(format!("redacted text `{gram}` appears in the release"));
            }
        }
    }
    problems
}

/// A placeholder: optional number (`3. `, `A. `, `-- `, `SUBJECT: `), optional mark, labels.
pub fn is_placeholder(text: &str) -> bool {
    let rest = text
        .split_once(". ")
        .filter(|(n, _)| !n.is_empty() && n.len() <= 4 && n.chars().all(char::is_alphanumeric))
        .map_or(text, |(_, r)| r);
    let rest = rest.strip_prefix("-- ").or_else(|| rest.strip_prefix("SUBJECT: ")).unwrap_or(rest);
    let rest = match rest.strip_prefix('(') {
        Some(mark) => match mark.split_once(") ") {
            Some((inner, after)) if inner.len() <= 80 && !inner.contains('\n') => after,
            _ => return false,
        },
        None => rest,
    };
    let Some(labels) = rest.strip_prefix('[').and_then(|r| r.strip_suffix(']')) else { return false };
    labels == "REDACTED" || labels.split([' ', ',']).all(declass::policy::is_valid_label)
}

/// Word 6-grams of a text, or the whole text when it has fewer than six words.
pub fn grams(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() < 6 {
        let whole = words.join(" ");
        return if whole.len() >= 4 { vec![whole] } else { Vec::new() };
    }
    words.windows(6).map(|w| w.join(" ")).collect()
}

fn gram_counts(text: &str) -> HashMap<String, usize> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut counts = HashMap::new();
    for window in words.windows(6) {
        *counts.entry(window.join(" ")).or_default() += 1;
    }
    counts
}

/// Occurrences of a short gram (fewer than six words), counted on the text with its
/// whitespace normalised; six-word grams are counted by `gram_counts`.
fn short_count(text: &str, gram: &str) -> usize {
    if gram.split(' ').count() >= 6 {
        return 0;
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ").matches(gram).count()
}
