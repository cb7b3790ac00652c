//! declass: a declassification and redaction policy engine for classified-marked documents.
//!
//! The pipeline reads one stage per module: [`parse`] turns text into the typed [`model`],
//! and the command line ([`cli`]) runs it over many inputs ([`input`], [`pipeline`]) and
//! renders the results ([`render`]).

// The grammar is generated without pest's `std` feature (which only adds a stack probe on
// every rule call; the grammar is not recursive), and that generated code names `alloc`.
extern crate alloc;

pub mod cli;
pub mod diff;
pub mod engine;
pub mod input;
pub mod model;
pub mod parse;
pub mod pipeline;
pub mod policy;
pub mod render;
