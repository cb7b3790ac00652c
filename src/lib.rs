//! declass: a declassification and redaction policy engine for classified-marked documents.

pub mod model;
pub mod parse;
