//! declass: a declassification and redaction policy engine for classified-marked documents.
//!
//! One stage per module: [`parse`] turns text into the typed [`model`]; [`policy`] reads a
//! TOML policy; [`engine`] applies it to a document as of a date; [`check`] finds what is
//! wrong with a policy file and runs its tests; [`diff`] compares released text, policies and
//! dates; [`render`] writes the results for people and tools. The command line (`declass`)
//! runs all of it over many inputs; [`run`] is its entry point.
//!
//! The items most programs need are re-exported here:
//!
//! ```
//! use declass::{DocumentOutcome, Policy, StampOptions, evaluate, parse_str, release_text};
//!
//! let doc = parse_str(
//!     "C O N F I D E N T I A L PARIS 000123\n\nE.O. 12958: DECL: 03/10/2018\n\n\
//!      1. (C) The minister spoke of the accord.\n\n2. (U) The embassy will follow up.\n"
//!         .to_owned(),
//! )?;
//! let policy = Policy::embedded_default();
//! let as_of = chrono::NaiveDate::from_ymd_opt(2017, 12, 31).expect("a date");
//! let decisions = evaluate(&doc, &policy, as_of);
//! assert_eq!(decisions.outcome, DocumentOutcome::ReleaseInPart);
//!
//! let release = release_text(&doc, &decisions, &policy, &StampOptions::default());
//! assert!(release.contains("1. (C) [B1"));
//! assert!(!release.contains("minister"), "no word of a redacted portion");
//! assert!(release.contains("The embassy will follow up."));
//! # Ok::<(), declass::parse::ReadError>(())
//! ```
//!
//! `examples/decide.rs` is a small program built on them
//! (`cargo run --example decide -- examples/documents/08PARIS1234.txt 2017-12-31`).

// The grammar is generated without pest's `std` feature (which only adds a stack probe on
// every rule call; the grammar is not recursive), and that generated code names `alloc`.
extern crate alloc;

pub mod check;
mod cli;
pub mod diff;
pub mod engine;
mod input;
pub mod model;
pub mod parse;
mod pipeline;
pub mod policy;
pub mod render;

pub use cli::run;
pub use engine::{Decisions, DocumentOutcome, evaluate};
pub use model::Document;
pub use parse::{parse_bytes, parse_owned, parse_str};
pub use policy::Policy;
pub use render::release::{StampOptions, release_text};
