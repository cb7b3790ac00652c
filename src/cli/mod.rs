//! The command line: arguments become a validated configuration, then a command runs and
//! returns the exit status. `main.rs` only calls [`run`]. One module per command; the
//! arguments in `args`, standard output in `out`.
//!
//! Exit status: 0 success, 1 findings (a check failed, a diff found changes, `--fail-on`),
//! 2 error.

mod args;
mod check;
mod diff;
mod meta;
mod out;
mod out_dir;
mod parse;
mod release;
mod report;
mod review;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Parser as _;

use crate::input::{self, Input};
use crate::pipeline::{self, Flow, Progress};
use crate::policy::{Policy, Severity};
use crate::render;
use crate::render::record::Failure;
use args::{Cli, ColorChoice, Command, InputArgs, InputFormat, PolicyArgs, ProgressChoice};
use out::Output;

/// Exit status of a successful run.
pub const EXIT_OK: u8 = 0;
/// Exit status when the run found something (check failures, diff changes).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status when something could not be done.
pub const EXIT_ERROR: u8 = 2;
/// The exit status of a run: an error outranks findings.
pub(crate) const fn exit_status(failed: bool, findings: bool) -> u8 {
    if failed {
        EXIT_ERROR
    } else if findings {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Parses the arguments and runs the command.
#[must_use]
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    ExitCode::from(match cli.command {
        Command::Parse(args) => parse::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Release(args) => release::run(&args),
        Command::Review(args) => review::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Check(args) => check::check(&args),
        Command::Fmt(args) => check::fmt(&args),
        Command::Policy(args::PolicyCommand::Show) => meta::policy_show(),
        Command::Completions(args) => meta::completions(args.shell),
        Command::Man(args) => meta::man(args.command.as_deref()),
    })
}

/// The inputs of a run and how to work through them.
pub(crate) struct Inputs {
    /// The inputs, yielded as they are needed.
    source: input::Source,
    /// How many there are, when known before the run (not for streams).
    total: Option<usize>,
    threads: usize,
    progress: Progress,
    /// The limit on one input's size.
    pub limit: u64,
    /// Whether the inputs are stream records (`--input-format jsonl`).
    pub stream: bool,
    /// `--quiet`.
    pub quiet: bool,
}

impl Inputs {
    /// The documents named, when they are files rather than stream records.
    pub fn documents(&self) -> &[Input] {
        match &self.source {
            input::Source::Documents(inputs) => inputs.as_slice(),
            input::Source::Stream(_) => &[],
        }
    }

    /// Runs `work` on every input on the worker threads, handing results to `sink` in input
    /// order (see [`pipeline::run_ordered`]).
    pub fn run<T, W, S>(self, work: W, sink: S)
    where
        T: Send,
        W: Fn(usize, &Input) -> T + Sync + Send,
        S: FnMut(&Input, T) -> pipeline::Flow,
    {
        pipeline::run_ordered(self.source, self.total, self.threads, self.progress, work, sink);
    }
}

/// The inputs the arguments name, reporting paths that do not exist. Returns the inputs
/// and whether any path failed.
pub(crate) fn open_inputs(args: &InputArgs) -> (Inputs, bool) {
    let (expanded, errors) = input::expand(&args.paths);
    for error in &errors {
        eprintln!("{}: error: {}", error.path, error.message);
    }
    let stream = args.input_format == InputFormat::Jsonl;
    let (source, total) = if stream {
        (input::Source::Stream(input::JsonLines::new(expanded, args.max_input_size)), None)
    } else {
        let total = expanded.len();
        (input::Source::Documents(expanded.into_iter()), Some(total))
    };
    let cores = pipeline::default_threads();
    let threads = if args.jobs == 0 { cores } else { args.jobs.min(4 * cores) };
    let progress = match args.progress {
        _ if args.quiet => Progress::Never,
        ProgressChoice::Never => Progress::Never,
        ProgressChoice::Auto => Progress::Auto,
        ProgressChoice::Always => Progress::Always,
    };
    let inputs = Inputs { source, total, threads, progress, limit: args.max_input_size, stream, quiet: args.quiet };
    (inputs, !errors.is_empty())
}

/// The output format: the one asked for, else `text`; with stream input JSON Lines only,
/// so asking for another format there is an error.
pub(crate) fn output_format<F: Copy + PartialEq + clap::ValueEnum>(
    asked: Option<F>,
    text: F,
    json: F,
    inputs: &Inputs,
) -> Result<F, u8> {
    match asked {
        Some(format) if inputs.stream && format != json => {
            let name = format.to_possible_value().map(|v| v.get_name().to_owned()).unwrap_or_default();
            eprintln!("error: --input-format jsonl writes one JSON record per input record; drop --format {name}");
            Err(EXIT_ERROR)
        }
        Some(format) => Ok(format),
        None if inputs.stream => Ok(json),
        None => Ok(text),
    }
}

/// An input's bytes, or why they cannot be read.
pub(crate) fn read_bytes(input: &Input, limit: u64) -> Result<Vec<u8>, Failure> {
    input.read(limit).map_err(|message| Failure { input: input.display_name(), line: None, column: None, message })
}

/// The document in an input's bytes, or why there is none.
pub(crate) fn parse_document(input: &Input, bytes: Vec<u8>) -> Result<crate::model::Document, Failure> {
    crate::parse::parse_owned(bytes).map_err(|e| {
        let position = e.position();
        let text = e.to_string();
        let message = text.strip_prefix(&format!("{position}: ")).unwrap_or(&text).to_owned();
        Failure { input: input.display_name(), line: Some(position.line), column: Some(position.col), message }
    })
}

/// A document read and parsed, or why it could not be.
pub(crate) fn read_document(input: &Input, limit: u64) -> Result<crate::model::Document, Failure> {
    parse_document(input, read_bytes(input, limit)?)
}

/// Reports an input that yielded no document: on standard error, and in JSON output as an
/// error record. Returns whether to go on and whether the run counts as failed (a stream
/// record's failure is in the stream's output and does not change the exit status).
pub(crate) fn report_failure(
    out: &mut Output,
    inputs_stream: bool,
    json: bool,
    input: &Input,
    failure: &Failure,
) -> (Flow, bool) {
    eprintln!("{}", failure.to_line());
    if inputs_stream {
        (out.write(&render::record::stream_error_line(input.record_id(), failure)), false)
    } else if json {
        (out.write(&render::record::error_line(failure)), true)
    } else {
        (Flow::Continue, true)
    }
}

/// Loads the policy named on the command line, or the embedded default. Errors are printed
/// as `path:line:col: error[code]: message` with the offending line.
pub(crate) fn load_policy(path: Option<&std::path::Path>, limit: u64) -> Result<Policy, u8> {
    let Some(path) = path else { return Ok(Policy::embedded_default()) };
    let name = path.display().to_string();
    let text = match read_policy(path, limit) {
        Ok(text) => text,
        Err(message) => {
            eprintln!("{name}: error: cannot read the policy: {message}");
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

/// A policy file's text, refused when larger than `limit` bytes or not UTF-8.
pub(crate) fn read_policy(path: &std::path::Path, limit: u64) -> Result<String, String> {
    let bytes = input::read_file(path, limit)?;
    String::from_utf8(bytes).map_err(|_| "the file is not UTF-8 text".to_owned())
}

/// The date to decide as of: the one given, or today (the only place the clock is read).
pub(crate) fn as_of(args: &PolicyArgs) -> NaiveDate {
    args.as_of.unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// Whether to colour standard output: `auto` colours a terminal unless `NO_COLOR` is set to
/// something, `TERM` is `dumb` or `CLICOLOR=0` (and `CLICOLOR_FORCE` colours anything), as
/// anstream decides for clap's own output.
pub(crate) fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never,
    }
}

/// Policy files named on the command line: files as given, `*.toml` in directories.
pub(crate) fn policy_files(paths: &[PathBuf]) -> (Vec<PathBuf>, bool) {
    let (inputs, errors) = input::expand(paths);
    for error in &errors {
        eprintln!("{}: error: {}", error.path, error.message);
    }
    let failed = !errors.is_empty();
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
