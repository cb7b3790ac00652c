//! The command line: arguments become a validated configuration, then a command runs and
//! returns the exit status. `main.rs` only calls [`run`].
//!
//! Exit status: 0 success, 1 findings (a check failed, a diff found changes), 2 error.

use std::io::{self, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::input::{self, Input};
use crate::pipeline::{self, Flow};
use crate::render;

/// Exit status of a successful run.
pub const EXIT_OK: u8 = 0;
/// Exit status when the run found something (check failures, diff changes).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status when something could not be done.
pub const EXIT_ERROR: u8 = 2;

const AFTER_HELP: &str = "\
Exit status:
  0  success
  1  findings: a policy check failed, or a diff found changes
  2  error: an input or policy could not be read or parsed

Examples:
  declass report examples/                      dry run with the embedded default policy
  declass report --as-of 2030-01-01 cables/     as of another date
  declass release --out-dir out/ cables/        release-ready text, one file per document
  declass diff --as-of 2017-12-31 --against-date 2018-02-15 cables/
  declass check policies/                       validate policies and run their tests";

/// Declassification and redaction policy engine for classified-marked documents.
#[derive(Debug, Parser)]
#[command(name = "declass", version, about, long_about = None, after_help = AFTER_HELP)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse documents and show their structure: marking, declassification line, portions.
    ///
    /// Reads files, directories (walked recursively, in sorted order) or `-` for standard
    /// input. Text output is an outline per document; `--format json` prints one JSON object
    /// per document per line. A file that cannot be read is reported as
    /// `path:line:col: message` and the run goes on; the exit status is then 2.
    Parse(ParseArgs),
}

/// Options shared by commands that read documents.
#[derive(Debug, clap::Args)]
pub struct InputArgs {
    /// Documents: files, directories, or `-` for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long, value_name = "N")]
    pub jobs: Option<usize>,
}

/// Output formats of `declass parse`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ParseFormat {
    /// An outline for people.
    Text,
    /// One JSON object per document per line.
    Json,
}

/// `declass parse`.
#[derive(Debug, clap::Args)]
pub struct ParseArgs {
    /// Documents to read.
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ParseFormat::Text)]
    pub format: ParseFormat,
}

/// Parses the arguments and runs the command.
#[must_use]
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    ExitCode::from(match cli.command {
        Command::Parse(args) => parse_command(&args),
    })
}

/// Standard output that turns a closed pipe into a quiet stop rather than an error.
pub struct Output {
    out: io::BufWriter<io::Stdout>,
    closed: bool,
}

impl Output {
    /// Buffered standard output.
    #[must_use]
    pub fn new() -> Self {
        Self { out: io::BufWriter::with_capacity(1 << 16, io::stdout()), closed: false }
    }

    /// Writes `text`; returns [`Flow::Stop`] once the reader has gone away.
    pub fn write(&mut self, text: &str) -> Flow {
        if self.closed {
            return Flow::Stop;
        }
        match self.out.write_all(text.as_bytes()) {
            Ok(()) => Flow::Continue,
            Err(e) => {
                if e.kind() != io::ErrorKind::BrokenPipe {
                    eprintln!("error: cannot write the output: {}", input::lower_first(&e.to_string()));
                }
                self.closed = true;
                Flow::Stop
            }
        }
    }

    /// Flushes what is buffered.
    pub fn flush(&mut self) {
        if !self.closed && self.out.flush().is_err() {
            self.closed = true;
        }
    }
}

impl Default for Output {
    fn default() -> Self {
        Self::new()
    }
}

/// Expands the input paths, reporting those that do not exist. Returns the inputs and
/// whether any path failed.
fn expand_inputs(args: &InputArgs) -> (Vec<Input>, bool) {
    let (inputs, errors) = input::expand(&args.paths);
    for error in &errors {
        eprintln!("{}: error: {}", error.path, error.message);
    }
    (inputs, !errors.is_empty())
}

fn threads(args: &InputArgs) -> usize {
    args.jobs.unwrap_or_else(pipeline::default_threads)
}

/// A document read and parsed, or why it could not be.
pub(crate) fn read_document(input: &Input) -> Result<crate::model::Document, String> {
    let bytes = input.read().map_err(|e| format!("{}: error: {}", input.display_name(), input::lower_first(&e.to_string())))?;
    crate::parse::parse_bytes(&bytes).map_err(|e| format!("{}:{e}", input.display_name()))
}

fn parse_command(args: &ParseArgs) -> u8 {
    let (inputs, mut failed) = expand_inputs(&args.input);
    let mut out = Output::new();
    let format = args.format;
    pipeline::run_ordered(
        &inputs,
        threads(&args.input),
        true,
        |input| {
            let name = input.display_name();
            read_document(input).map(|doc| {
                let diagnostics: Vec<String> =
                    doc.errors.iter().map(|e| format!("{name}:{}: error: {}", e.position, e.message)).collect();
                let text = match format {
                    ParseFormat::Text => render::parsed::to_text(&name, &doc),
                    ParseFormat::Json => {
                        let mut line = serde_json::to_string(&render::parsed::to_json(&name, &doc))
                            .unwrap_or_else(|e| format!("{{\"path\":{name:?},\"error\":{:?}}}", e.to_string()));
                        line.push('\n');
                        line
                    }
                };
                (text, diagnostics)
            })
        },
        |_, result| match result {
            Ok((text, diagnostics)) => {
                for line in &diagnostics {
                    eprintln!("{line}");
                }
                failed |= !diagnostics.is_empty();
                out.write(&text)
            }
            Err(message) => {
                eprintln!("{message}");
                failed = true;
                Flow::Continue
            }
        },
    );
    out.flush();
    if failed { EXIT_ERROR } else { EXIT_OK }
}
