//! The peer parser's expectations (heuer/cablemap's test tables, in the shared corpus) run
//! against our parser. Each table prints and asserts the share that passes, and every case
//! that does not pass must fall into one of the documented categories of known difference
//! below; a failure outside them fails the test.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

fn cases(dir: &Path, file: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(dir.join("expected/cablemap").join(file)).expect("expectation file readable");
    let value: Value = serde_json::from_str(&text).expect("expectation file is JSON");
    value["cases"].as_array().cloned().unwrap_or_default()
}

fn parse(text: &str) -> declass::model::Document {
    declass::parse::parse_str(text.to_owned()).expect("any text parses")
}

fn strings(value: &Value) -> Vec<String> {
    value.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)).collect()
}

/// Upper-case letters and digits only, to compare text whatever its spacing.
fn letters(text: &str) -> String {
    text.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_uppercase()
}

/// One case's outcome: passed, or the category that explains the difference (`None`: not
/// explained), and a line describing it.
struct Outcome {
    passed: bool,
    category: Option<&'static str>,
    line: String,
}

/// Prints the table's share and its failures by category; asserts the share and that
/// every failure is explained.
fn check(name: &str, outcomes: &[Outcome], floor_percent: f64) {
    let passed = outcomes.iter().filter(|o| o.passed).count();
    let share = 100.0 * passed as f64 / outcomes.len().max(1) as f64;
    println!("{name}: {passed} of {} pass ({share:.1}%)", outcomes.len());
    let mut by_category: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for outcome in outcomes.iter().filter(|o| !o.passed) {
        by_category.entry(outcome.category.unwrap_or("UNEXPLAINED")).or_default().push(&outcome.line);
    }
    for (category, lines) in &by_category {
        println!("  {} case(s): {category}", lines.len());
        for line in lines {
            println!("      {line}");
        }
    }
    assert!(!by_category.contains_key("UNEXPLAINED"), "{name}: some differences are not explained (see above)");
    assert!(share >= floor_percent, "{name}: {share:.1}% passes, below {floor_percent}%");
}

#[test]
fn decl_dates_all_agree() {
    let Some(dir) = common::corpus_dir() else { return };
    let outcomes: Vec<Outcome> = cases(&dir, "nondisclosure_deadline_snippets.json")
        .iter()
        .map(|case| {
            let input = case["input"].as_str().unwrap_or("");
            let expected = case["expected"].as_str().map(str::to_owned);
            let got = parse(input).decl.date.map(|d| d.to_string());
            Outcome {
                passed: got == expected,
                category: None,
                line: format!("{input:?}: expected {expected:?}, got {got:?}"),
            }
        })
        .collect();
    check("DECL dates", &outcomes, 100.0);
}

/// The peer keeps a tag vocabulary: it joins multi-word subject tags (`HUMAN RIGHTS`), turns
/// person tags into `SURNAME, GIVEN`, splits tags glued together (`ETRDEINVECINPGOVCS`) and
/// corrects or drops misspelt and compound duplicates (`UNDESCO`, `VEPREL`). We keep tags as
/// written, split at blanks and commas.
const TAG_VOCABULARY: &str =
    "the peer rewrites tags with its tag vocabulary (joins, splits, corrects); we keep them as written";
/// The field word is misspelt beyond the forms we accept (`AGS:`).
const TAG_KEYWORD_TYPO: &str = "the TAGS field word is misspelt (`AGS:`); we do not guess a field from a fragment";

#[test]
fn tags() {
    let Some(dir) = common::corpus_dir() else { return };
    let outcomes: Vec<Outcome> = cases(&dir, "tags_snippets.json")
        .iter()
        .map(|case| {
            let input = case["input"].as_str().unwrap_or("");
            let expected = strings(&case["expected"]);
            let got = parse(input).tags;
            let passed = got == expected;
            let category = if got.is_empty() {
                Some(TAG_KEYWORD_TYPO)
            } else {
                // At least half of the expected tags are among ours, or every expected tag's
                // letters are in ours (differently split or joined).
                let shared = expected.iter().filter(|t| got.contains(t)).count();
                let ours = letters(&got.concat());
                (shared * 2 >= expected.len() || expected.iter().all(|t| ours.contains(&letters(t))))
                    .then_some(TAG_VOCABULARY)
            };
            Outcome { passed, category, line: format!("{input:?}: expected {expected:?}, got {got:?}") }
        })
        .collect();
    check("tags", &outcomes, 50.0);
}

const SUBJECT_HTML: &str = "the peer decodes HTML entities (`&#8217;`); we keep the text as written";
const SUBJECT_PAGE_RESIDUE: &str = "the peer keeps a page-header word (`CONFIDENTIAL`) that follows the subject";
const SUBJECT_KEYWORD_TYPO: &str =
    "the SUBJECT field word is misspelt (`UBJECT:`); we do not guess a field from a fragment";

#[test]
fn subjects() {
    let Some(dir) = common::corpus_dir() else { return };
    let outcomes: Vec<Outcome> = cases(&dir, "subject_snippets.json")
        .iter()
        .map(|case| {
            let input = case["input"].as_str().unwrap_or("");
            let expected = case["expected"].as_str().unwrap_or("").to_owned();
            let doc = parse(input);
            let mut got = doc.subject.clone().unwrap_or_default();
            // Without `clean`, the peer keeps the subject's own mark in front.
            if case["clean"].as_bool() == Some(false) {
                let subject = doc.portions.iter().find(|p| p.kind == declass::model::PortionKind::Subject);
                if let Some(mark) = subject.and_then(|p| p.marking.as_ref()) {
                    got = format!("{} {got}", mark.raw);
                }
            }
            let category = if input.contains("&#") {
                Some(SUBJECT_HTML)
            } else if got.is_empty() && !input.to_ascii_uppercase().contains("SUBJECT") {
                Some(SUBJECT_KEYWORD_TYPO)
            } else if expected.starts_with(&got) && expected[got.len()..].trim() == "CONFIDENTIAL" {
                Some(SUBJECT_PAGE_RESIDUE)
            } else {
                None
            };
            Outcome {
                passed: got == expected,
                category,
                line: format!("{input:?}: expected {expected:?}, got {got:?}"),
            }
        })
        .collect();
    check("subjects", &outcomes, 90.0);
}

const NAME_TWO: &str = "two classifiers are named; we report the first";
const NAME_OCR: &str =
    "digits stand for letters (`B0HLEN`, `LEE 0. COLDREN`); we do not take a word with digits for a name";
const NAME_CORRECTED: &str = "the peer corrects the name's spelling (`RICAHRD` → `Richard`, `Jr` → `Jr.`)";
const NAME_TITLE_TYPO: &str = "a misspelt title word (`CIEF`) is kept in front of the name";
const NAME_BROKEN: &str = "the name is broken across a line inside a word (`Richa` / `rd`)";
const NAME_GARBLED: &str = "the classification line is garbled or is a correction note (`CLASSIFIED BY LINE ADDED`)";

#[test]
fn classified_by_names() {
    let Some(dir) = common::corpus_dir() else { return };
    let outcomes: Vec<Outcome> = cases(&dir, "classified_by_snippets.json")
        .iter()
        .map(|case| {
            let input = case["input"].as_str().unwrap_or("");
            let expected = strings(&case["expected"]);
            let got: Vec<String> = parse(input).classified_by.and_then(|c| c.name).into_iter().collect();
            let flat = input.split_whitespace().collect::<Vec<_>>().join(" ");
            let first = expected.first().cloned().unwrap_or_default();
            let category = if expected.len() > 1 && got.first() == expected.first() {
                Some(NAME_TWO)
            } else if first.chars().any(|c| c.is_ascii_digit()) {
                Some(NAME_OCR)
            } else if got.first().is_some_and(|g| g.len() > first.len() && g.ends_with(&first)) {
                Some(NAME_TITLE_TYPO)
            } else if !flat.contains(&first) && letters(&flat).contains(&letters(&first)) {
                Some(NAME_BROKEN)
            } else if !flat.to_lowercase().contains(&first.to_lowercase())
                || got.first().is_some_and(|g| letters(g) == letters(&first))
            {
                Some(NAME_CORRECTED)
            } else if input.chars().filter(|c| !c.is_ascii() || c.is_ascii_punctuation()).count() > 40
                || input.contains("LINE ADDED")
            {
                Some(NAME_GARBLED)
            } else {
                None
            };
            Outcome {
                passed: got == expected,
                category,
                line: format!("{input:?}: expected {expected:?}, got {got:?}"),
            }
        })
        .collect();
    check("classified by", &outcomes, 88.0);
}

/// Finds a corpus cable by its id (`raw/*/<ID>.txt`).
fn cable(dir: &Path, id: &str) -> Option<declass::model::Document> {
    declass::parse::parse_bytes(&std::fs::read(cable_file(dir, id)?).ok()?).ok()
}

/// The file of a corpus cable, in whichever source directory holds it.
fn cable_file(dir: &Path, id: &str) -> Option<std::path::PathBuf> {
    let raw = dir.join("raw");
    std::fs::read_dir(&raw).ok()?.flatten().map(|e| e.path().join(format!("{id}.txt"))).find(|p| p.is_file())
}

fn cable_file_exists(dir: &Path, id: &str) -> bool {
    cable_file(dir, id).is_some()
}

/// The text of a corpus cable.
fn doc_text(dir: &Path, id: &str) -> String {
    cable(dir, id).map(|d| d.source).unwrap_or_default()
}

#[test]
fn whole_cables_in_the_corpus() {
    let Some(dir) = common::corpus_dir() else { return };
    let mut outcomes = Vec::new();
    let mut absent = 0;
    for (file, field) in [
        ("tags_cables.json", "tags"),
        ("subject_cables.json", "subject"),
        ("classified_by_cables.json", "classified_by"),
    ] {
        for case in cases(&dir, file) {
            let id = case["cable"].as_str().unwrap_or("");
            // Most of the peer's cases are about cables outside the shared corpus: those are
            // counted apart. A cable that is in the corpus but does not parse is a failure.
            if !cable_file_exists(&dir, id) {
                absent += 1;
                continue;
            }
            let Some(doc) = cable(&dir, id) else {
                outcomes.push(Outcome { passed: false, category: None, line: format!("{id} {field}: does not parse") });
                continue;
            };
            let (expected, got) = match field {
                "tags" => (strings(&case["expected"]).join(" "), doc.tags.join(" ")),
                "subject" => {
                    (case["expected"].as_str().unwrap_or("").to_owned(), doc.subject.clone().unwrap_or_default())
                }
                _ => (
                    strings(&case["expected"]).join("; ").to_lowercase(),
                    doc.classified_by.and_then(|c| c.name).unwrap_or_default().to_lowercase(),
                ),
            };
            let text = letters(&doc_text(&dir, id));
            let category = if letters(&got) == letters(&expected) {
                Some(
                    "the same words, spelt or spaced differently (the peer title-cases names and normalises punctuation)",
                )
            } else if !text.contains(&letters(&expected)) {
                Some(
                    "the expected value does not occur in the cable's text as written (the peer takes it from its own metadata, joins broken words or corrects punctuation)",
                )
            } else if field == "classified_by" && !doc_text(&dir, id).to_lowercase().contains(&expected) {
                Some("the peer corrects punctuation inside the name (`O,Grady` → `O'Grady`)")
            } else if field == "tags" && got.is_empty() {
                Some("the tags stand on a line without the TAGS field word; we do not guess a field")
            } else if field == "subject" && got.contains(&expected) {
                Some("the peer strips a message-header prefix or suffix from the subject")
            } else {
                None
            };
            outcomes.push(Outcome {
                passed: got == expected,
                category,
                line: format!("{id} {field}: expected {expected:?}, got {got:?}"),
            });
        }
    }
    println!("whole cables: {absent} case(s) name cables the shared corpus does not hold");
    // 15 cases name cables of the corpus: fewer means the lookup broke, not that we improved.
    assert!(outcomes.len() >= 15, "only {} whole-cable cases found their cable", outcomes.len());
    // 9 of 15 today; every other case is explained above.
    check("whole cables", &outcomes, 60.0);
}
