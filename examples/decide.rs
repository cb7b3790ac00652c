//! declass as a library: parse a document, decide it under a policy as of a date, print each
//! portion's decision and the release text.
//!
//! ```sh
//! cargo run --example decide -- examples/documents/08PARIS1234.txt 2017-12-31
//! cargo run --example decide -- cable.txt 2030-01-01 my-policy.toml
//! ```

use std::process::ExitCode;

use declass::{Policy, StampOptions, evaluate, parse_bytes, release_text};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [document, date, policy @ ..] = args.as_slice() else {
        eprintln!("usage: decide DOCUMENT YYYY-MM-DD [POLICY.toml]");
        return ExitCode::from(2);
    };
    let Ok(as_of) = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d") else {
        eprintln!("error: `{date}` is not a date: write it as YYYY-MM-DD");
        return ExitCode::from(2);
    };
    // The policy: a file, checked as `declass check` would, or the embedded default.
    let policy = match policy.first() {
        None => Policy::embedded_default(),
        Some(path) => {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            match Policy::from_toml(&text) {
                Ok((policy, _warnings)) => policy,
                Err(errors) => {
                    for error in errors {
                        eprintln!("{path}: error: {}", error.message);
                    }
                    return ExitCode::from(2);
                }
            }
        }
    };
    let bytes = match std::fs::read(document) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("{document}: error: {e}");
            return ExitCode::from(2);
        }
    };
    // A document that cannot be parsed at all (not text) is an error; one that parses with
    // problems is decided, and the engine fails closed on it.
    let doc = match parse_bytes(&bytes) {
        Ok(doc) => doc,
        Err(e) => {
            eprintln!("{document}:{e}");
            return ExitCode::from(2);
        }
    };
    let decisions = evaluate(&doc, &policy, as_of);
    println!("{}: {} as of {as_of}", doc.id.as_deref().unwrap_or(document), decisions.outcome.stamp());
    for (portion, decision) in doc.portions.iter().zip(&decisions.portions) {
        println!(
            "  line {:>4}  {:<16} {:<8} {}",
            portion.position.line,
            portion.name(),
            decision.outcome.name(),
            decision.rules.join(", ")
        );
    }
    println!();
    print!("{}", release_text(&doc, &decisions, &policy, &StampOptions::default()));
    ExitCode::SUCCESS
}
