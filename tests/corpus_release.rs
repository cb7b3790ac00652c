//! The default and FOIA policies over the whole shared corpus: the report's totals and its
//! fail-closed invariants, and the no-leak invariants of every release.

mod common;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use declass::engine::{self, DocumentOutcome};
use declass::model::{Document, Level, MarkValue};
use declass::policy::{Outcome, Policy};
use rayon::prelude::*;

struct Run {
    name: &'static str,
    policy: Policy,
    as_of: NaiveDate,
}

fn runs() -> Vec<Run> {
    let foia =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/foia.toml")).expect("foia policy");
    // A fixed date: the test must decide the same way every day it runs.
    let today = NaiveDate::from_ymd_opt(2026, 11, 27).expect("date");
    vec![
        Run {
            name: "default as of 2010-11-28",
            policy: Policy::embedded_default(),
            as_of: NaiveDate::from_ymd_opt(2010, 11, 28).expect("date"),
        },
        Run { name: "default as of 2026-11-27", policy: Policy::embedded_default(), as_of: today },
        Run { name: "foia as of 2026-11-27", policy: Policy::from_toml(&foia).expect("valid").0, as_of: today },
    ]
}

/// The report's fail-closed invariants on one document; returns violations.
fn report_violations(doc: &Document, decisions: &engine::Decisions) -> Vec<String> {
    let mut problems = Vec::new();
    for (portion, decision) in doc.portions.iter().zip(&decisions.portions) {
        // Unmarked administrative lines (banner, routing, E.O. line…) carry no content.
        if decision.outcome != Outcome::Release || portion.kind.is_header_line() && portion.marking.is_none() {
            continue;
        }
        if portion.marking.as_ref().is_some_and(|m| m.value == MarkValue::Unrecognized) {
            problems.push(format!("line {}: unrecognised mark released", portion.position.line));
        }
        // Judged by the instruction that governs the portion (a correction governs only what
        // follows it).
        if decision.level.is_some_and(Level::is_classified) && (!decision.lapsed || decision.needs_review) {
            problems.push(format!(
                "line {}: classified portion released before its classification lapsed",
                portion.position.line
            ));
        }
    }
    problems
}

#[test]
fn the_corpus_is_decided_and_released_without_leaks() {
    let Some(dir) = common::corpus_dir() else { return };
    let files = common::corpus_files(&dir);
    let runs = runs();
    // (run, outcome) → documents; and every violation.
    let (totals, violations) = files
        .par_iter()
        .map(|file| {
            let mut totals: BTreeMap<(usize, &'static str), usize> = BTreeMap::new();
            let mut violations = Vec::new();
            let rel = common::relative(&dir, file);
            let Ok(doc) = declass::parse::parse_bytes(&std::fs::read(file).expect("readable")) else {
                return (totals, violations);
            };
            for (i, run) in runs.iter().enumerate() {
                let decisions = engine::evaluate(&doc, &run.policy, run.as_of);
                *totals.entry((i, decisions.outcome.name())).or_default() += 1;
                for problem in report_violations(&doc, &decisions).into_iter().chain(common::release_violations(
                    &doc,
                    &decisions,
                    &run.policy,
                )) {
                    violations.push(format!("{} {rel}: {problem}", run.name));
                }
            }
            (totals, violations)
        })
        .reduce(
            || (BTreeMap::new(), Vec::new()),
            |(mut a, mut va), (b, vb)| {
                for (k, v) in b {
                    *a.entry(k).or_default() += v;
                }
                va.extend(vb);
                (a, va)
            },
        );
    let count = |run: usize, outcome: DocumentOutcome| totals.get(&(run, outcome.name())).copied().unwrap_or(0);
    for (i, run) in runs.iter().enumerate() {
        let line: Vec<String> = DocumentOutcome::ALL.iter().map(|o| format!("{} {}", o.name(), count(i, *o))).collect();
        println!("{}: {}", run.name, line.join(", "));
    }
    for v in violations.iter().take(30) {
        println!("  {v}");
    }
    assert!(violations.is_empty(), "{} violation(s)", violations.len());
    for (i, _) in runs.iter().enumerate() {
        let decided: usize = DocumentOutcome::ALL.iter().map(|o| count(i, *o)).sum();
        assert!(decided + 1 >= files.len(), "every readable document is decided");
    }
    // In 2010 most classified cables were still in force; by 2026 most have lapsed.
    assert!(count(0, DocumentOutcome::ReleaseInPart) > 2500, "2010: classified cables are released in part");
    assert!(
        count(1, DocumentOutcome::ReleaseInFull) > count(0, DocumentOutcome::ReleaseInFull) + 2000,
        "2026-11-27: most have lapsed"
    );
    // The FOIA policy redacts at least as much as the default one, and cuts names somewhere.
    assert!(count(2, DocumentOutcome::ReleaseInFull) < count(1, DocumentOutcome::ReleaseInFull));
}
