//! The command line: arguments become a validated configuration, then a command runs and
//! returns the exit status. `main.rs` only calls [`run`]. One module per command; the
//! arguments in `args`, standard output in `out`.
//!
//! Exit status: 0 success, 1 findings (a check failed, a diff found changes, `--fail-on`),
//! 2 error.

mod args;
mod check;
mod diff;
mod out;
mod parse;
mod release;
mod release_dir;
mod report;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Parser as _;

use crate::input::{self, Input};
use crate::pipeline;
use crate::policy::{Policy, Severity};
use crate::render;
use args::{Cli, ColorChoice, Command, InputArgs, PolicyArgs};

/// Exit status of a successful run.
pub const EXIT_OK: u8 = 0;
/// Exit status when the run found something (check failures, diff changes).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status when something could not be done.
pub const EXIT_ERROR: u8 = 2;
/// Parses the arguments and runs the command.
#[must_use]
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    ExitCode::from(match cli.command {
        Command::Parse(args) => parse::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Release(args) => release::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Check(args) => check::check(&args),
        Command::Fmt(args) => check::fmt(&args),
    })
}

/// Expands the input paths, reporting those that do not exist. Returns the inputs and
/// whether any path failed.
pub(crate) fn expand_inputs(args: &InputArgs) -> (Vec<Input>, bool) {
    let (inputs, errors) = input::expand(&args.paths);
    for error in &errors {
        eprintln!("{}: error: {}", error.path, error.message);
    }
    (inputs, !errors.is_empty())
}

pub(crate) fn threads(args: &InputArgs) -> usize {
    args.jobs.unwrap_or_else(pipeline::default_threads)
}

/// A document read and parsed, or why it could not be.
pub(crate) fn read_document(input: &Input) -> Result<crate::model::Document, String> {
    let bytes =
        input.read().map_err(|e| format!("{}: error: {}", input.display_name(), input::lower_first(&e.to_string())))?;
    crate::parse::parse_bytes(&bytes).map_err(|e| format!("{}:{e}", input.display_name()))
}

/// Loads the policy named on the command line, or the embedded default. Errors are printed
/// as `path:line:col: error[code]: message` with the offending line.
pub(crate) fn load_policy(path: Option<&std::path::Path>) -> Result<Policy, u8> {
    let Some(path) = path else { return Ok(Policy::embedded_default()) };
    let name = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{name}: error: cannot read the policy: {}", input::lower_first(&e.to_string()));
            return Err(EXIT_ERROR);
        }
    };
    // What `declass check` rejects is not used: a policy is checked (its tests run too) before
    // it decides anything.
    let report = crate::check::check(&text, Some(path));
    let errors: Vec<_> = report.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
    match report.policy {
        Some(policy) if errors.is_empty() => Ok(policy),
        _ => {
            for diagnostic in &errors {
                eprint!("{}", render::diagnostics::to_text(&name, &text, diagnostic));
            }
            eprintln!(
                "{name}: error: the policy has {} error(s) and is not used; `declass check {name}` explains them",
                errors.len().max(1)
            );
            Err(EXIT_ERROR)
        }
    }
}

/// The date to decide as of: the one given, or today (the only place the clock is read).
pub(crate) fn as_of(args: &PolicyArgs) -> NaiveDate {
    args.as_of.unwrap_or_else(|| chrono::Local::now().date_naive())
}

pub(crate) fn use_color(choice: ColorChoice) -> bool {
    use std::io::IsTerminal as _;
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}

/// Policy files named on the command line: files as given, `*.toml` in directories.
pub(crate) fn policy_files(paths: &[PathBuf]) -> (Vec<PathBuf>, bool) {
    let (inputs, failed) = expand_inputs(&InputArgs { paths: paths.to_vec(), jobs: None });
    let mut files: Vec<PathBuf> = Vec::new();
    for (input, given) in inputs.into_iter().map(|i| (i.clone(), i)) {
        if let Input::File(path) = input {
            let named = paths.contains(&path);
            if named || path.extension().is_some_and(|e| e == "toml") {
                files.push(path);
            }
        } else {
            eprintln!("{}: error: policies cannot be read from standard input", given.display_name());
        }
    }
    (files, failed)
}
