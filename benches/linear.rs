//! Time against input size for the shapes that once made a command quadratic, and for an
//! ordinary long cable: `cargo bench --bench linear`. Each shape is made 100 KB, 1 MB and
//! 10 MB long and put through what every command does (parse, decide, render the report
//! and the release text); the table gives seconds a document and the ratio per 10× of size,
//! which linear time keeps near 10 (the bench fails above 12), each the median of
//! `DECLASS_BENCH_RUNS` rounds (default 7) that put every size through 10 MB in all, after a
//! first untimed run.

use std::fmt::Write as _;
use std::time::Instant;

use chrono::NaiveDate;
use declass::{engine, parse, policy::Policy, render};

// The allocator of the `declass` binary, so that the figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A shape: its name, and the text of it with `n` repetitions of its repeated part.
type Shape = (&'static str, Box<dyn Fn(usize) -> String>);

/// The sizes each shape is measured at.
const SIZES: [usize; 3] = [100_000, 1_000_000, 10_000_000];

/// The largest acceptable time ratio per 10× of size.
const MAX_RATIO: f64 = 12.0;

fn shapes() -> Vec<Shape> {
    vec![
        (
            "SUBJECT followed by upper-case lines",
            Box::new(|n| {
                format!(
                    "UNCLAS STATE 000001\n\nSUBJECT: X\n{}",
                    "THE QUICK BROWN FOX LINE OF UPPER CASE WORDS\n".repeat(n)
                )
            }),
        ),
        (
            "a banner with glued E.O. fields",
            Box::new(|n| {
                format!(
                    "C O N F I D E N T I A L STATE 000001 {}\n\n1. (C) x\n",
                    "E.O. 12958: DECL: 01/01/2020 ".repeat(n)
                )
            }),
        ),
        (
            "Classified By cut at `reasons 1.`, then `1. ,` lines",
            Box::new(|n| {
                format!("C O N F I D E N T I A L STATE 000001\n\nClassified By: X, reasons 1.\n{}", "1. ,\n".repeat(n))
            }),
        ),
        (
            "paragraphs glued on one line",
            Box::new(|n| {
                format!("C O N F I D E N T I A L STATE 000001\n\n1. (C) {}\n", "word. 5. (C) more ".repeat(n))
            }),
        ),
        (
            "a TAGS line continued by commas",
            Box::new(|n| format!("C O N F I D E N T I A L STATE 000001\n\n{}", "TAGS: PREL,\n".repeat(n))),
        ),
        ("an ordinary long cable", Box::new(ordinary_cable)),
    ]
}

/// A cable as posts write them: header, subject, classifier line, then `n` numbered portions
/// of several wrapped lines each, at mixed levels.
fn ordinary_cable(n: usize) -> String {
    let mut text = String::from(
        "C O N F I D E N T I A L SECTION 01 OF 99 STATE 000001\n\nSIPDIS\n\nE.O. 12958: DECL: 03/10/2018\n\
         TAGS: PREL, PGOV, ECON\nSUBJECT: A LONG REVIEW OF EVERYTHING\n\n\
         Classified By: Deputy Chief of Mission A. Person, reasons 1.4 (b) and (d).\n\n",
    );
    for number in 1..=n {
        let mark = ["C", "U", "SBU", "C//NF"][number % 4];
        let _ = write!(
            text,
            "{number}. ({mark}) The delegation met the minister on the matter of the harbour\n\
             works and the schedule of the commission, which the embassy has followed since\n\
             the spring; officials said the next round would follow the budget debate.\n\n"
        );
    }
    text
}

/// How many repetitions make `make`'s text about `bytes` long.
fn repetitions_for(make: &dyn Fn(usize) -> String, bytes: usize) -> usize {
    let base = make(0).len();
    let per = (make(100).len() - base) / 100;
    (bytes.saturating_sub(base) / per.max(1)).max(1)
}

/// Seconds to put `text` through every command's work once.
fn seconds(text: &str, policy: &Policy, as_of: NaiveDate) -> f64 {
    let start = Instant::now();
    let doc = parse::parse_str(text.to_owned()).expect("any text parses");
    let decisions = engine::evaluate(&doc, policy, as_of);
    // The report's JSON line as `report --format json` writes it: made whole, or for a large
    // document written to the output as it is serialized (here, to nowhere through the
    // output's buffer).
    let json = render::report::to_json("bench.txt", &doc, &decisions, policy);
    if render::report::line_is_streamed(&doc) {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::sink());
        render::record::write_line(&mut out, &json).expect("a report serializes");
    } else {
        let report = render::record::line_sized(&json, render::report::line_bytes_expected(&doc));
        // No command holds a report and a release at once: the line goes before the release
        // text is made, as `report` writes its line and is done.
        drop(std::hint::black_box(report));
    }
    let release = render::release::release_text(&doc, &decisions, policy, &render::release::StampOptions::default());
    std::hint::black_box(release);
    start.elapsed().as_secs_f64()
}

fn main() {
    let policy = Policy::embedded_default();
    let as_of = NaiveDate::from_ymd_opt(2010, 1, 1).expect("date");
    println!("{:<54} {:>9} {:>9} {:>9} {:>8} {:>8}", "shape", "100 KB", "1 MB", "10 MB", "×10", "×10");
    // A shared machine's noise comes in bursts that last from a blink to minutes. Each round
    // puts every size through the same work, the 10 MB document once and a smaller one as
    // many times as make up 10 MB, the sizes one after the other (in turn forwards and
    // backwards), so that the two sizes of a ratio are timed side by side over equal spans;
    // the table gives the median round of each size and the median of the rounds' ratios,
    // which a burst over one round or one size cannot move.
    let rounds = std::env::var("DECLASS_BENCH_RUNS").ok().and_then(|n| n.parse::<usize>().ok()).unwrap_or(7).max(1);
    let mut worst: f64 = 0.0;
    for (name, make) in shapes() {
        let texts: Vec<String> = SIZES.iter().map(|&bytes| make(repetitions_for(make.as_ref(), bytes))).collect();
        let mut rounds_timed: Vec<[f64; SIZES.len()]> = Vec::with_capacity(rounds);
        for round in 0..rounds {
            let mut times = [0.0; SIZES.len()];
            let mut order: Vec<usize> = (0..SIZES.len()).collect();
            if round % 2 == 1 {
                order.reverse();
            }
            for size in order {
                // A first run untimed: the allocator hands memory that lies unused for a second
                // back to the system, so the largest document, run once a round, would otherwise
                // fault all its memory in again every round, where a stream of such documents,
                // like the smaller sizes here, reuses it.
                seconds(&texts[size], &policy, as_of);
                let copies = SIZES[SIZES.len() - 1] / SIZES[size];
                let total: f64 = (0..copies).map(|_| seconds(&texts[size], &policy, as_of)).sum();
                times[size] = total / copies as f64;
            }
            rounds_timed.push(times);
        }
        let times: Vec<f64> = (0..SIZES.len()).map(|size| median(rounds_timed.iter().map(|t| t[size]))).collect();
        let ratios: Vec<f64> =
            (1..SIZES.len()).map(|size| median(rounds_timed.iter().map(|t| t[size] / t[size - 1]))).collect();
        worst = ratios.iter().copied().fold(worst, f64::max);
        println!(
            "{name:<54} {:>8.4}s {:>8.4}s {:>8.4}s {:>8.1} {:>8.1}",
            times[0], times[1], times[2], ratios[0], ratios[1]
        );
    }
    println!("worst ratio per 10× of size: {worst:.1} (linear: about 10; the limit is {MAX_RATIO})");
    if worst > MAX_RATIO {
        eprintln!("error: time grows faster than the input");
        std::process::exit(1);
    }
}

/// The median of some figures (the mean of the middle two for an even count).
fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut values: Vec<f64> = values.collect();
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len().is_multiple_of(2) { f64::midpoint(values[middle - 1], values[middle]) } else { values[middle] }
}
