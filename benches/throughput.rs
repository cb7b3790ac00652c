//! Throughput over the whole shared corpus, in one process, release build:
//! `cargo bench --bench throughput`. Prints MB/s of input (file reading included).

use std::path::{Path, PathBuf};
use std::time::Instant;

fn corpus_files(dir: &Path) -> Vec<PathBuf> {
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

fn main() {
    let dir = std::env::var_os("DECLASS_CORPUS")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"), PathBuf::from);
    let mut files = corpus_files(&dir);
    // A sample for profiling: every Nth file.
    if let Some(step) = std::env::var("DECLASS_BENCH_STEP").ok().and_then(|n| n.parse::<usize>().ok()) {
        files = files.into_iter().step_by(step.max(1)).collect();
    }
    if files.is_empty() {
        eprintln!("no corpus at `{}`: set DECLASS_CORPUS", dir.display());
        return;
    }
    let start = Instant::now();
    let mut bytes_total = 0usize;
    let mut portions = 0usize;
    for file in &files {
        let bytes = std::fs::read(file).expect("readable");
        bytes_total += bytes.len();
        if let Ok(doc) = declass::parse::parse_bytes(&bytes) {
            portions += doc.portions.len();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let mb = bytes_total as f64 / 1e6;
    println!(
        "parse  1 thread: {} files, {mb:.1} MB, {portions} portions, {secs:.3} s, {:.1} MB/s",
        files.len(),
        mb / secs
    );
}
