//! Time against input size for the shapes that once made parsing quadratic: `cargo bench
//! --bench linear`. For each shape, parse + evaluate at 1×, 2×, 4× and 8× a base size, with
//! the time per megabyte; linear time keeps the last column flat.

use std::time::Instant;

use chrono::NaiveDate;
use declass::{engine, parse, policy::Policy};

// The allocator of the `declass` binary, so that the figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A shape: its name, and the text of a given size.
type Shape = (&'static str, Box<dyn Fn(usize) -> String>);

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
    ]
}

fn main() {
    let policy = Policy::embedded_default();
    let as_of = NaiveDate::from_ymd_opt(2010, 1, 1).expect("date");
    for (name, make) in shapes() {
        println!("{name}");
        for factor in [1, 2, 4, 8] {
            let text = make(5000 * factor);
            let mb = text.len() as f64 / 1e6;
            let start = Instant::now();
            let doc = parse::parse_str(text).expect("any text parses");
            let decisions = engine::evaluate(&doc, &policy, as_of);
            let secs = start.elapsed().as_secs_f64();
            println!(
                "  {factor}×: {mb:6.2} MB in {secs:6.3} s = {:7.3} s/MB ({} portions)",
                secs / mb,
                decisions.portions.len()
            );
        }
    }
}
