//! declass: a declassification and redaction policy engine for classified-marked documents.
//!
//! One stage per module: [`parse`] turns text into the typed [`model`]; [`policy`] reads a
//! TOML policy; [`engine`] applies it to a document as of a date; [`check`] finds what is
//! wrong with a policy file and runs its tests; [`diff`] compares released text, policies and
//! dates; [`render`] writes the results for people and tools. The command line (`declass`)
//! runs all of it over many inputs; [`run`] is its entry point.

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
