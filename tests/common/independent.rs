//! The independent reader's paragraphs of the shared cables (`expected/independent/`), and
//! how the no-leak checks compare text with them.

use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;

/// One cable as the independent reader saw it.
#[derive(Debug, Deserialize)]
pub struct Independent {
    pub id: String,
    pub created: Option<String>,
    pub banner_level: Option<String>,
    pub decl: IndependentDecl,
    pub paragraphs: Vec<IndependentParagraph>,
}

#[derive(Debug, Deserialize)]
pub struct IndependentDecl {
    pub kind: String,
    pub date: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct IndependentParagraph {
    pub number: String,
    pub level: Option<String>,
    pub first_words: Option<String>,
}

/// The mirror's cables, which the independent reader read.
pub const MIRROR: &str = "raw/avilaroman-wikileaks-mirror";

/// Cables where the independent reader is wrong about a paragraph (cable, paragraph, why); a
/// leak counted there is not one.
pub const READER_WRONG: &[(&str, &str, &str)] = &[
    ("01VATICAN1261", "3", "the reader misses `E.0. 12958: DECL: 03/05/11` (a zero for the O): lapsed in 2011"),
    ("01VATICAN1261", "4", "the reader misses `E.0. 12958: DECL: 03/05/11` (a zero for the O): lapsed in 2011"),
    ("01VATICAN1261", "5", "the reader misses `E.0. 12958: DECL: 03/05/11` (a zero for the O): lapsed in 2011"),
];

pub fn independent(dir: &Path) -> Vec<Independent> {
    let path = dir.join("expected/independent/cables.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("independent lines are JSON objects"))
        .collect()
}

/// Lower-case words joined by single spaces, as the leak check compares text.
pub fn words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_word = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = if c == '\u{2019}' { '\'' } else { c };
        if c.is_ascii_alphanumeric() || c == '\'' {
            if !in_word && !out.is_empty() {
                out.push(' ');
            }
            out.push(c);
            in_word = true;
        } else {
            in_word = false;
        }
    }
    out
}

pub fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

pub fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()
}

/// Whether the independent reader's instruction has lapsed as of `as_of` (so that a released
/// classified paragraph is no leak): an explicit date on or before it, or 25 years after the
/// origin year for the other kinds. `N/A` cables are skipped by the caller.
pub fn reader_lapsed(cable: &Independent, as_of: NaiveDate) -> bool {
    use chrono::Datelike as _;
    match (cable.decl.kind.as_str(), cable.decl.date.as_deref().and_then(date)) {
        ("date", Some(decl)) => decl <= as_of,
        _ => cable.created.as_deref().and_then(date).is_some_and(|c| c.year() + 25 < as_of.year()),
    }
}

/// The independent reader's classified paragraphs of `cable` (at least six words of them
/// known) that reach `release` more often than they stand in `source` (both as [`words`]).
/// Returns how many paragraphs were checked and those that leak.
pub fn classified_leaks(cable: &Independent, release: &str, source: &str) -> (usize, Vec<String>) {
    let mut checked = 0;
    let mut leaks = Vec::new();
    for p in &cable.paragraphs {
        let level = p.level.as_deref().or(cable.banner_level.as_deref());
        if !matches!(level, Some("C" | "S" | "TS")) {
            continue;
        }
        let first = words(p.first_words.as_deref().unwrap_or(""));
        if first.split(' ').count() < 6 {
            continue;
        }
        if READER_WRONG.iter().any(|(id, number, _)| *id == cable.id && *number == p.number) {
            continue;
        }
        checked += 1;
        if release.contains(&first) && count(release, &first) >= count(source, &first) {
            leaks.push(format!("{} ¶{} `{}`", cable.id, p.number, p.first_words.as_deref().unwrap_or("")));
        }
    }
    (checked, leaks)
}
