//! Throughput over the whole shared corpus, in one process, release build:
//! `cargo bench --bench throughput`. Prints MB/s of input, file reading included, for:
//! reading alone; parsing; parsing + evaluating + rendering the JSON report; releasing, to
//! memory and to a directory (one file per document, a fresh directory per run); and the diff
//! and plan between 2010-11-28 and today: each on one thread and on all.
//! Each stage runs `DECLASS_BENCH_RUNS` times (default 5); the median run is printed with the
//! slowest and fastest, since a shared machine varies from run to run.
//! `DECLASS_BENCH_STEP=N` takes every Nth file (for profiling).

use std::path::PathBuf;
use std::time::Instant;

use chrono::NaiveDate;
use declass::engine;
use declass::policy::Policy;
use declass::render;
use rayon::prelude::*;

#[path = "../tests/common/mod.rs"]
mod common;

// The allocator of the `declass` binary, so that the figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// One pass: runs `work` on every file, returns (MB, seconds, sum of what `work` returns).
fn pass(files: &[PathBuf], pool: &rayon::ThreadPool, work: &(dyn Fn(Vec<u8>) -> usize + Sync)) -> (f64, f64, usize) {
    let start = Instant::now();
    let (bytes, total) = pool.install(|| {
        files
            .par_iter()
            .map(|file| {
                let bytes = std::fs::read(file).expect("readable corpus file");
                (bytes.len(), work(bytes))
            })
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    });
    (bytes as f64 / 1e6, start.elapsed().as_secs_f64(), total)
}

/// Runs `runs` passes on `threads` threads and prints the median pass, with the range.
fn stage(
    name: &str,
    files: &[PathBuf],
    threads: usize,
    runs: usize,
    unit: &str,
    work: &(dyn Fn(Vec<u8>) -> usize + Sync),
) {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("threads");
    let mut passes: Vec<(f64, f64, usize)> = (0..runs.max(1)).map(|_| pass(files, &pool, work)).collect();
    passes.sort_by(|a, b| a.1.total_cmp(&b.1));
    let (mb, secs, total) = passes[passes.len() / 2];
    let (fastest, slowest) = (passes[0].1, passes[passes.len() - 1].1);
    println!(
        "{name:<32} {threads} thread(s): {mb:5.1} MB in {secs:5.3} s = {:6.1} MB/s (range {:5.1}–{:5.1}; {total} {unit})",
        mb / secs,
        mb / slowest,
        mb / fastest,
    );
}

fn main() {
    let Some(dir) = common::corpus_dir() else { return };
    let mut files = common::corpus_files(&dir);
    if let Some(step) = std::env::var("DECLASS_BENCH_STEP").ok().and_then(|n| n.parse::<usize>().ok()) {
        files = files.into_iter().step_by(step.max(1)).collect();
    }
    let all = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let policy = Policy::embedded_default();
    let then = NaiveDate::from_ymd_opt(2010, 11, 28).expect("date");
    let today = chrono::Local::now().date_naive();
    let runs = std::env::var("DECLASS_BENCH_RUNS").ok().and_then(|n| n.parse::<usize>().ok()).unwrap_or(5);
    println!("{} files; today is {today}; median of {runs} runs", files.len());
    // Reading alone first: the ceiling for every stage, and a warm page cache for the rest
    // (every stage still reads its files).
    stage("read", &files, all, runs, "bytes", &|bytes: Vec<u8>| bytes.len());

    let both = |name: &str, unit: &str, work: &(dyn Fn(Vec<u8>) -> usize + Sync)| {
        stage(name, &files, 1, runs, unit, work);
        if all > 1 {
            stage(name, &files, all, runs, unit, work);
        }
    };

    let parse = |bytes: Vec<u8>| declass::parse::parse_owned(bytes).map_or(0, |d| d.portions.len());
    both("parse", "portions", &parse);

    let decide = |bytes: Vec<u8>| {
        declass::parse::parse_owned(bytes).map_or(0, |doc| {
            let decisions = engine::evaluate(&doc, &policy, today);
            serde_json::to_string(&render::report::to_json("doc", &doc, &decisions, &policy)).map_or(0, |s| s.len())
        })
    };
    both("parse + evaluate + JSON report", "bytes of JSON", &decide);

    let release = |bytes: Vec<u8>| {
        declass::parse::parse_owned(bytes).map_or(0, |doc| {
            let decisions = engine::evaluate(&doc, &policy, then);
            render::release::release_text(&doc, &decisions, &policy, &render::release::StampOptions::default()).len()
        })
    };
    both("release as of 2010-11-28", "bytes released", &release);

    // To a directory: each document's release written as a file of its own, into a fresh
    // directory per run (on the file system of the system's temporary directory).
    let out = std::env::temp_dir().join(format!("declass-bench-{}", std::process::id()));
    let counter = std::sync::atomic::AtomicUsize::new(0);
    let to_dir = |bytes: Vec<u8>| {
        declass::parse::parse_owned(bytes).map_or(0, |doc| {
            let decisions = engine::evaluate(&doc, &policy, then);
            let text =
                render::release::release_text(&doc, &decisions, &policy, &render::release::StampOptions::default());
            let n = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let run = out.join(format!("run-{}", n / files.len()));
            let _ = std::fs::create_dir_all(&run);
            std::fs::write(run.join(format!("{n}.txt")), &text).map_or(0, |()| text.len())
        })
    };
    both("release to a directory", "bytes written", &to_dir);
    let _ = std::fs::remove_dir_all(&out);

    let diff = |bytes: Vec<u8>| {
        declass::parse::parse_owned(bytes).map_or(0, |doc| {
            let decisions = engine::evaluate(&doc, &policy, then);
            let body = render::release::released_body(&doc, &decisions);
            declass::diff::text_diff("doc", &doc, &decisions, &body, declass::diff::DiffStyle::default()).len()
        })
    };
    both("diff original → released", "bytes of diff", &diff);

    let plan = |bytes: Vec<u8>| {
        declass::parse::parse_owned(bytes).map_or(0, |doc| {
            let a = engine::evaluate(&doc, &policy, then);
            let b = engine::evaluate(&doc, &policy, today);
            usize::from(declass::diff::compare("doc", &doc, &a, &b).is_some())
        })
    };
    both("plan 2010-11-28 → today", "documents change", &plan);
}
