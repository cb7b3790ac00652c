//! Golden-file fixtures: one folder per case under `tests/fixtures/`, each with `input.txt`
//! (a fictional document), `case.toml` (date, policy, expected outcome and decisions) and
//! `expected/` (the parse outline and JSON, the report in text and JSON, the release text and
//! the diff). One harness runs them all, collects every mismatch and prints a unified diff of
//! expected against actual. `UPDATE_GOLDEN=1 cargo test --test fixtures` rewrites the golden
//! files; it never writes when `CI` is set.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use declass::engine::{self, Decisions};
use declass::model::Document;
use declass::policy::Policy;
use declass::render;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    description: String,
    as_of: toml::value::Datetime,
    #[serde(default = "default_policy")]
    policy: String,
    /// Words that stand only in text that must be redacted: none may reach the release.
    #[serde(default)]
    must_not_release: Vec<String>,
    #[serde(default)]
    expect: Expect,
}

fn default_policy() -> String {
    "default".to_owned()
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    outcome: Option<String>,
    /// The document's tags, in order.
    tags: Option<Vec<String>>,
    /// The document's subject.
    subject: Option<String>,
    /// The classifier's name.
    classified_by: Option<String>,
    #[serde(default)]
    portion: Vec<ExpectPortion>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectPortion {
    number: String,
    decision: String,
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn load_policy(name: &str) -> Policy {
    if name == "default" {
        return Policy::embedded_default();
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies").join(format!("{name}.toml"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("policy `{}`: {e}", path.display()));
    Policy::from_toml(&text).unwrap_or_else(|e| panic!("policy `{name}` is invalid: {e:?}")).0
}

fn as_date(datetime: &toml::value::Datetime) -> NaiveDate {
    let date = datetime.date.expect("as_of is a date");
    NaiveDate::from_ymd_opt(i32::from(date.year), u32::from(date.month), u32::from(date.day))
        .expect("as_of is a valid date")
}

/// Every output of a case, by golden file name.
fn outputs(doc: &Document, decisions: &Decisions, policy: &Policy) -> BTreeMap<&'static str, String> {
    let name = "input.txt";
    let mut out = BTreeMap::new();
    out.insert("parse.txt", render::parsed::to_text(name, doc));
    out.insert("parse.json", pretty(&render::parsed::to_json(name, doc)));
    out.insert("report.txt", render::report::to_text(name, doc, decisions));
    out.insert("report.json", pretty(&render::report::to_json(name, doc, decisions, policy)));
    out.insert(
        "release.txt",
        render::release::release_text(doc, decisions, policy, &render::release::StampOptions::default()),
    );
    let body = render::release::released_body(doc, decisions);
    out.insert("diff.txt", declass::diff::text_diff(name, doc, decisions, &body, declass::diff::DiffStyle::default()));
    out
}

fn pretty<T: serde::Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("outputs serialise");
    text.push('\n');
    text
}

fn unified(expected: &str, actual: &str) -> String {
    similar::TextDiff::from_lines(expected, actual).unified_diff().header("expected", "actual").to_string()
}

/// Checks one case; returns the mismatches found.
fn run_case(dir: &Path, bless: bool) -> Vec<String> {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut problems = Vec::new();
    let case_text = std::fs::read_to_string(dir.join("case.toml")).unwrap_or_else(|e| panic!("{name}/case.toml: {e}"));
    let case: Case = toml::from_str(&case_text).unwrap_or_else(|e| panic!("{name}/case.toml: {e}"));
    assert!(!case.description.trim().is_empty(), "{name}: every case says what it pins");
    let bytes = std::fs::read(dir.join("input.txt")).unwrap_or_else(|e| panic!("{name}/input.txt: {e}"));
    let policy = load_policy(&case.policy);
    let as_of = as_date(&case.as_of);
    let outputs = match declass::parse::parse_bytes(&bytes) {
        Ok(doc) => {
            let decisions = engine::evaluate(&doc, &policy, as_of);
            if let Some(expected) = &case.expect.outcome
                && decisions.outcome.name() != expected
            {
                problems.push(format!("{name}: outcome is {}, case.toml expects {expected}", decisions.outcome.name()));
            }
            if let Some(tags) = &case.expect.tags
                && &doc.tags != tags
            {
                problems.push(format!("{name}: tags are {:?}, case.toml expects {tags:?}", doc.tags));
            }
            if let Some(subject) = &case.expect.subject
                && doc.subject.as_ref() != Some(subject)
            {
                problems.push(format!("{name}: subject is {:?}, case.toml expects {subject:?}", doc.subject));
            }
            let classifier = doc.classified_by.as_ref().and_then(|c| c.name.as_ref());
            if let Some(name_expected) = &case.expect.classified_by
                && classifier != Some(name_expected)
            {
                problems.push(format!("{name}: classified by {classifier:?}, case.toml expects {name_expected:?}"));
            }
            for expect in &case.expect.portion {
                let decision = doc
                    .portions
                    .iter()
                    .zip(&decisions.portions)
                    .filter(|(p, _)| {
                        matches!(
                            p.kind,
                            declass::model::PortionKind::Paragraph | declass::model::PortionKind::Subparagraph
                        )
                    })
                    .find(|(p, _)| p.number.as_deref() == Some(expect.number.as_str()))
                    .map(|(_, d)| d.outcome.name());
                if decision != Some(expect.decision.as_str()) {
                    problems.push(format!(
                        "{name}: paragraph {} is {decision:?}, case.toml expects {}",
                        expect.number, expect.decision
                    ));
                }
            }
            problems.extend(
                common::release_violations(&doc, &decisions, &policy).into_iter().map(|p| format!("{name}: {p}")),
            );
            if let Err((span, what)) = doc.check_tiling() {
                problems.push(format!("{name}: bytes {}..{} {what}", span.start, span.end));
            }
            let outputs = outputs(&doc, &decisions, &policy);
            let release = outputs.get("release.txt").map_or("", String::as_str);
            for word in &case.must_not_release {
                assert!(
                    bytes.windows(word.len()).any(|w| w == word.as_bytes()),
                    "{name}: `{word}` is not in input.txt"
                );
                if release.contains(word.as_str()) {
                    problems.push(format!("{name}: `{word}` leaks into the release"));
                }
            }
            outputs
        }
        Err(error) => BTreeMap::from([("error.txt", format!("input.txt:{error}\n"))]),
    };
    let expected_dir = dir.join("expected");
    for (file, actual) in &outputs {
        let path = expected_dir.join(file);
        let expected = match std::fs::read_to_string(&path) {
            Ok(expected) => expected,
            Err(_) if bless => {
                std::fs::create_dir_all(&expected_dir).expect("expected/ can be created");
                std::fs::write(&path, actual).expect("golden file can be written");
                continue;
            }
            Err(e) => {
                problems.push(format!("{name}/expected/{file}: missing golden file ({e}); bless with UPDATE_GOLDEN=1"));
                continue;
            }
        };
        if expected != *actual {
            if bless {
                std::fs::create_dir_all(&expected_dir).expect("expected/ can be created");
                std::fs::write(&path, actual).expect("golden file can be written");
            } else {
                problems.push(format!("{name}/expected/{file} differs:\n{}", unified(&expected, actual)));
            }
        }
    }
    // A golden file the harness no longer writes is stale: it pins nothing.
    for entry in std::fs::read_dir(&expected_dir).into_iter().flatten().flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        if !outputs.contains_key(file.as_str()) {
            if bless {
                std::fs::remove_file(entry.path()).expect("stale golden file can be removed");
            } else {
                problems.push(format!("{name}/expected/{file}: stale golden file, no output is compared with it"));
            }
        }
    }
    problems
}

#[test]
fn golden_fixtures() {
    let bless = std::env::var_os("UPDATE_GOLDEN").is_some() && std::env::var_os("CI").is_none();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("case.toml").is_file())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 20, "expected the fixture folders, found {}", dirs.len());
    let mut problems = Vec::new();
    for dir in &dirs {
        problems.extend(run_case(dir, bless));
    }
    let mut report = String::new();
    for problem in &problems {
        let _ = writeln!(report, "{problem}");
    }
    assert!(
        problems.is_empty(),
        "{} fixture mismatch(es):\n{report}\nrun `UPDATE_GOLDEN=1 cargo test --test fixtures` to accept new output",
        problems.len()
    );
}
