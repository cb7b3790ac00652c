//! Rendering results for people and for tools.

pub mod check;
pub mod diagnostics;
pub mod html;
pub mod parsed;
pub mod record;
pub mod release;
pub mod report;
