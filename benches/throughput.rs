//! Throughput over the whole shared corpus, in one process, release build:
//! `cargo bench --bench throughput`. Prints MB/s of input, file reading included, for:
//! parsing; parsing + evaluating + rendering the JSON report, on one thread and on all;
//! releasing; and the diff and plan between 2010-11-28 and today.
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

/// Runs `work` on every file, returns (MB, seconds, sum of what `work` returns).
fn measure(files: &[PathBuf], threads: usize, work: impl Fn(&[u8]) -> usize + Sync) -> (f64, f64, usize) {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("threads");
    let start = Instant::now();
    let (bytes, total) = pool.install(|| {
        files
            .par_iter()
            .map(|file| {
                let bytes = std::fs::read(file).expect("readable corpus file");
                (bytes.len(), work(&bytes))
            })
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    });
    (bytes as f64 / 1e6, start.elapsed().as_secs_f64(), total)
}

fn report(name: &str, threads: usize, (mb, secs, total): (f64, f64, usize), unit: &str) {
    println!("{name:<32} {threads} thread(s): {mb:6.1} MB in {secs:6.3} s = {:6.1} MB/s ({total} {unit})", mb / secs);
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
    println!("{} files; today is {today}", files.len());

    let parse = |bytes: &[u8]| declass::parse::parse_bytes(bytes).map_or(0, |d| d.portions.len());
    report("parse", 1, measure(&files, 1, parse), "portions");

    let decide = |bytes: &[u8]| {
        declass::parse::parse_bytes(bytes).map_or(0, |doc| {
            let decisions = engine::evaluate(&doc, &policy, today);
            serde_json::to_string(&render::report::to_json("doc", &doc, &decisions, &policy)).map_or(0, |s| s.len())
        })
    };
    report("parse + evaluate + JSON report", 1, measure(&files, 1, decide), "bytes of JSON");
    report("parse + evaluate + JSON report", all, measure(&files, all, decide), "bytes of JSON");

    let release = |bytes: &[u8]| {
        declass::parse::parse_bytes(bytes).map_or(0, |doc| {
            let decisions = engine::evaluate(&doc, &policy, then);
            render::release::release_text(&doc, &decisions, &policy, &render::release::StampOptions::default()).len()
        })
    };
    report("release as of 2010-11-28", all, measure(&files, all, release), "bytes released");

    let diff = |bytes: &[u8]| {
        declass::parse::parse_bytes(bytes).map_or(0, |doc| {
            let decisions = engine::evaluate(&doc, &policy, then);
            let body = render::release::released_body(&doc, &decisions);
            declass::diff::text_diff("doc", &doc, &decisions, &body, declass::diff::DiffStyle::default()).len()
        })
    };
    report("diff original → released", all, measure(&files, all, diff), "bytes of diff");

    let plan = |bytes: &[u8]| {
        declass::parse::parse_bytes(bytes).map_or(0, |doc| {
            let a = engine::evaluate(&doc, &policy, then);
            let b = engine::evaluate(&doc, &policy, today);
            usize::from(declass::diff::compare("doc", &doc, &a, &b).is_some())
        })
    };
    report("plan 2010-11-28 → today", all, measure(&files, all, plan), "documents change");
}
