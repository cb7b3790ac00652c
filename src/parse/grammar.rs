//! The pest parser generated from `grammar/document.pest`. Its `Rule` and `Pair` types never
//! leave the `parse` module.

/// The generated parser; see the grammar file for the rules and their documentation.
#[derive(pest_derive::Parser)]
#[grammar = "../grammar/document.pest"]
pub(crate) struct DocumentParser;
