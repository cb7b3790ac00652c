//! Parses every cable of the shared corpus and checks the parser against the publisher's
//! metadata: no panic, parse errors, overall level and NOFORN agreement, mark coverage, and
//! the declassification instruction kinds found.

mod common;

use std::collections::BTreeMap;

use declass::model::{Control, DeclKind, Level, PortionKind};
use rayon::prelude::*;

#[derive(Default)]
struct Stats {
    documents: usize,
    unreadable: usize,
    with_errors: usize,
    level_compared: usize,
    level_agrees: usize,
    noforn_compared: usize,
    noforn_agrees: usize,
    numbered: usize,
    numbered_marked: usize,
    numbered_unrecognized: usize,
    decl_kinds: BTreeMap<&'static str, usize>,
    level_mismatches: Vec<String>,
    noforn_mismatches: Vec<String>,
    error_files: Vec<String>,
}

impl Stats {
    fn merge(mut self, other: Self) -> Self {
        self.documents += other.documents;
        self.unreadable += other.unreadable;
        self.with_errors += other.with_errors;
        self.level_compared += other.level_compared;
        self.level_agrees += other.level_agrees;
        self.noforn_compared += other.noforn_compared;
        self.noforn_agrees += other.noforn_agrees;
        self.numbered += other.numbered;
        self.numbered_marked += other.numbered_marked;
        self.numbered_unrecognized += other.numbered_unrecognized;
        for (k, v) in other.decl_kinds {
            *self.decl_kinds.entry(k).or_default() += v;
        }
        self.level_mismatches.extend(other.level_mismatches);
        self.noforn_mismatches.extend(other.noforn_mismatches);
        self.error_files.extend(other.error_files);
        self
    }
}

fn meta_level(classification: &str) -> Option<Level> {
    let head = classification.split("//").next()?;
    Level::from_name(head)
}

fn pct(part: usize, whole: usize) -> f64 {
    if whole == 0 { 0.0 } else { 100.0 * part as f64 / whole as f64 }
}

#[test]
fn every_corpus_cable_parses_and_agrees_with_the_metadata() {
    let Some(dir) = common::corpus_dir() else { return };
    let files = common::corpus_files(&dir);
    let meta = common::metadata(&dir);
    assert!(files.len() > 5000, "expected the whole corpus, found {} files", files.len());

    let stats = files
        .par_iter()
        .map(|file| {
            let mut s = Stats { documents: 1, ..Stats::default() };
            let rel = common::relative(&dir, file);
            let bytes = std::fs::read(file).expect("corpus files are readable");
            let doc = match declass::parse::parse_bytes(&bytes) {
                Ok(doc) => doc,
                Err(e) => {
                    s.unreadable = 1;
                    s.error_files.push(format!("{rel}:{e}"));
                    return s;
                }
            };
            if !doc.errors.is_empty() {
                s.with_errors = 1;
                s.error_files.push(format!("{rel}:{}: {}", doc.errors[0].position, doc.errors[0].message));
            }
            *s.decl_kinds.entry(doc.decl.kind.name()).or_default() += 1;
            for p in doc.portions.iter().filter(|p| p.kind == PortionKind::Paragraph && p.number.is_some()) {
                s.numbered += 1;
                match &p.marking {
                    Some(m) if m.is_recognized() => s.numbered_marked += 1,
                    Some(_) => s.numbered_unrecognized += 1,
                    None => {}
                }
            }
            if let Some(expected) = meta.get(&rel).and_then(|m| m.classification.as_deref()) {
                s.level_compared = 1;
                if doc.classification.level == meta_level(expected) {
                    s.level_agrees = 1;
                } else {
                    s.level_mismatches.push(format!("{rel}: meta {expected}, parsed {:?}", doc.classification.level));
                }
                s.noforn_compared = 1;
                let ours = doc.classification.controls.contains(&Control::Noforn);
                if ours == expected.contains("NOFORN") {
                    s.noforn_agrees = 1;
                } else {
                    s.noforn_mismatches.push(format!("{rel}: meta {expected}, parsed NOFORN={ours}"));
                }
            }
            s
        })
        .reduce(Stats::default, Stats::merge);

    let clean = stats.documents - stats.unreadable - stats.with_errors;
    println!("documents:                {}", stats.documents);
    println!("parsed without error:     {clean} ({:.2}%)", pct(clean, stats.documents));
    println!(
        "level agrees with meta:   {} of {} ({:.2}%)",
        stats.level_agrees,
        stats.level_compared,
        pct(stats.level_agrees, stats.level_compared)
    );
    println!(
        "NOFORN agrees with meta:  {} of {} ({:.2}%)",
        stats.noforn_agrees,
        stats.noforn_compared,
        pct(stats.noforn_agrees, stats.noforn_compared)
    );
    println!(
        "numbered paragraphs:      {} ({:.2}% with a recognised mark, {} unrecognised marks)",
        stats.numbered,
        pct(stats.numbered_marked, stats.numbered),
        stats.numbered_unrecognized
    );
    println!("DECL kinds:               {:?}", stats.decl_kinds);
    for line in stats.error_files.iter().take(40) {
        println!("  error: {line}");
    }
    for line in stats.level_mismatches.iter().take(80) {
        println!("  level: {line}");
    }
    for line in stats.noforn_mismatches.iter().take(40) {
        println!("  noforn: {line}");
    }

    assert!(pct(clean, stats.documents) >= 99.5, "parsed without error below 99.5%");
    assert!(pct(stats.level_agrees, stats.level_compared) >= 99.0, "level agreement below 99%");
    assert!(pct(stats.noforn_agrees, stats.noforn_compared) >= 97.0, "NOFORN agreement below 97%");
    assert!(pct(stats.numbered_marked, stats.numbered) >= 85.0, "too few numbered paragraphs with a mark");
    for kind in [DeclKind::Date, DeclKind::Na, DeclKind::Oadr, DeclKind::Mr, DeclKind::Event, DeclKind::X25] {
        assert!(
            stats.decl_kinds.get(kind.name()).copied().unwrap_or(0) > 0,
            "no `{}` instruction found in the corpus",
            kind.name()
        );
    }
}
