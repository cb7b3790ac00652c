//! The outputs of parse, report and release over the whole shared corpus, pinned by hash: work
//! that should change no byte of output (speed, refactoring) proves it here. The hashes are in
//! `tests/corpus-output.sha256`; a change of behaviour that is meant updates them with
//! `UPDATE_GOLDEN=1 cargo test --release --test corpus_output` (never when `CI` is set), and
//! the commit says why.

mod common;

use std::fmt::Write as _;
use std::path::Path;

use chrono::NaiveDate;
use declass::engine;
use declass::policy::Policy;
use declass::render;
use rayon::prelude::*;
use sha2::{Digest, Sha256};

/// What each output is made from, per file, in corpus order.
fn outputs(dir: &Path) -> Vec<(&'static str, String)> {
    let files = common::corpus_files(dir);
    let policy = Policy::embedded_default();
    let as_of = NaiveDate::from_ymd_opt(2010, 11, 28).expect("date");
    let per_file: Vec<[String; 4]> = files
        .par_iter()
        .map(|file| {
            let path = common::relative(dir, file);
            let bytes = std::fs::read(file).expect("readable");
            match declass::parse::parse_bytes(&bytes) {
                Ok(doc) => {
                    let decisions = engine::evaluate(&doc, &policy, as_of);
                    let options = render::release::StampOptions::default();
                    [
                        serde_json::to_string(&render::parsed::to_json(&path, &doc)).expect("json"),
                        render::parsed::to_text(&path, &doc),
                        serde_json::to_string(&render::report::to_json(&path, &doc, &decisions, &policy))
                            .expect("json"),
                        render::release::release_text(&doc, &decisions, &policy, &options),
                    ]
                }
                Err(e) => [e.to_string(), e.to_string(), e.to_string(), e.to_string()],
            }
        })
        .collect();
    let names = ["parse --format json", "parse", "report --format json", "release"];
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let mut hasher = Sha256::new();
            for outputs in &per_file {
                hasher.update(outputs[i].as_bytes());
                hasher.update(b"\n");
            }
            let hex = hasher.finalize().iter().fold(String::new(), |mut s, b| {
                let _ = write!(s, "{b:02x}");
                s
            });
            (*name, hex)
        })
        .collect()
}

#[test]
fn corpus_outputs_are_unchanged() {
    let Some(dir) = common::corpus_dir() else { return };
    let mut actual = String::new();
    for (name, hash) in outputs(&dir) {
        let _ = writeln!(actual, "{hash}  {name}");
    }
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus-output.sha256");
    let bless = std::env::var_os("UPDATE_GOLDEN").is_some() && std::env::var_os("CI").is_none();
    let expected = std::fs::read_to_string(&golden).unwrap_or_default();
    if bless && expected != actual {
        std::fs::write(&golden, &actual).expect("golden file can be written");
        return;
    }
    assert_eq!(
        expected, actual,
        "the corpus outputs changed (as of 2010-11-28, default policy); if that is meant, bless with UPDATE_GOLDEN=1 and say why in the commit"
    );
}
