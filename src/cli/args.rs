//! The command line's arguments: the commands, their options and the shared ones. What
//! clap reads here becomes a validated configuration in the command modules before any work.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Exit status:
  0  success
  1  findings: a policy check failed, a diff found changes, or --fail-on
  2  error: an input or policy could not be read or parsed

Examples:
  declass report examples/documents/             dry run with the embedded default policy
  declass report --as-of 2030-01-01 cables/       as of another date
  declass release --out-dir out/ cables/          release-ready text, one file per document
  declass review --out-dir review/ cables/        HTML pages: original beside release
  declass diff --as-of 2017-12-31 --against-date 2018-02-15 cables/
  declass check policies/                         validate policies and run their tests
  find cables -name '*.txt' | jq -Rc '{id: ., path: .}' | declass report --input-format jsonl -
                                                  one JSON record per input record, in order";

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
    /// Dry run: what a policy releases and redacts as of a date, and why.
    ///
    /// Per document: the outcome (`RELEASE IN FULL`, `RELEASE IN PART B1,1.4(B),1.4(D)`,
    /// `DENY IN FULL`, `REVIEW`), when the classification lapses and which clause decided,
    /// and per portion its decision, labels and deciding rules; at the end, totals by outcome
    /// and by rule. Without `--policy` the embedded default policy is used. `--format json`
    /// prints one JSON object per document per line, then one with key `summary`.
    Report(ReportArgs),
    /// Release-ready text that never leaks a redacted word.
    ///
    /// Each document gets a stamp (`UNCLASSIFIED`, case and document numbers when given,
    /// `RELEASE IN FULL` or `RELEASE IN PART` with its labels, the policy and the date), then
    /// its text with each redacted portion replaced by its number, mark and labels
    /// (`3. (C) [B1 1.4(B),1.4(D)]`). A withheld document, or one that needs review, becomes a
    /// withdrawal notice. One input without `--out-dir` is written to standard output; with
    /// `--out-dir`, one file per document, named from its sanitised id, written atomically.
    Release(ReleaseArgs),
    /// A reviewer's view: HTML pages with each document's original beside its release.
    ///
    /// Portion by portion, the original on the left and what the release shows on the
    /// right, each portion shaded and labelled by its decision (release, redact, review,
    /// withhold) with its mark, labels and deciding rules; hovering or focusing a portion
    /// shows why (the rules' descriptions, the declassification clause, notes, and with
    /// `--explain` why each other rule did not fire). `n`/`p` move between redactions. A
    /// summary shows documents by outcome, portions by rule, when classified portions lapse
    /// by year, and a sortable table of the documents. Pages need no network, print, and carry
    /// the highest classification of what they show at top and bottom. `--html FILE` writes
    /// one self-contained page; `--out-dir DIR` writes `index.html`, one page per document and
    /// the style and script they share, for large sets.
    Review(ReviewArgs),
    /// Show what changes: original against released text, or two policies or dates.
    ///
    /// Without `--against`/`--against-date`: a unified diff of each document's original
    /// text against its released text, each hunk annotated with the deciding rules and
    /// labels. With them: the impact plan over all inputs, the documents whose outcome
    /// changes and the portions whose decision changes, with counts by change. Exit status 1
    /// when anything changes, 0 when nothing does.
    Diff(DiffArgs),
    /// Check policy files: syntax, meaning, their own tests and rule coverage.
    ///
    /// Reports syntax and schema errors with `path:line:col`, the offending line and a caret;
    /// unknown levels, controls, kinds and labels (with "did you mean"); invalid dates and
    /// expressions; duplicate ids; rules that can never fire or are shadowed; releases of what
    /// never lapses by date; and warnings for suspicious constructs. Every finding has a
    /// stable code (`declass check --explain P004`). Then it runs the policy's `[[test]]`
    /// cases and reports which rules no test exercises. Exit status: 0 clean, 1 findings,
    /// 2 could not run.
    Check(CheckArgs),
    /// Put policy files in a stable layout (key order, table order), keeping comments.
    Fmt(FmtArgs),
    /// Policies built into declass: `declass policy show` prints the embedded default.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Shell completions on standard output.
    ///
    /// bash: `declass completions bash > ~/.local/share/bash-completion/completions/declass`;
    /// zsh: into a directory on `$fpath` as `_declass`; fish:
    /// `declass completions fish > ~/.config/fish/completions/declass.fish`.
    Completions(CompletionsArgs),
    /// The manual page (roff) on standard output: `declass man > declass.1`, then
    /// `man ./declass.1`; `declass man report` gives the page of one command.
    Man(ManArgs),
}

/// `declass man`.
#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// A command whose page to print (`report` gives `declass-report(1)`).
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

/// `declass policy`.
#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Print the embedded default policy, the one used without `--policy`; a start for
    /// writing your own (`declass policy show > mine.toml`).
    Show,
}

/// `declass completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Output formats of `declass check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Caret diagnostics and a summary, for people.
    Text,
    /// One JSON document.
    Json,
    /// GitHub workflow annotations (`::error file=…`).
    Github,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

/// `declass check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Policy files, or directories holding them (`*.toml`).
    #[arg(value_name = "PATH", required_unless_present = "explain")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Fail (exit 1) when the tests exercise less than N percent of a policy's rules.
    #[arg(long, value_name = "N")]
    pub min_coverage: Option<f64>,
    /// Explain a diagnostic code (`P004`), or `all` codes.
    #[arg(long, value_name = "CODE")]
    pub explain: Option<String>,
}

/// `declass fmt`.
#[derive(Debug, clap::Args)]
pub struct FmtArgs {
    /// Policy files, or directories holding them (`*.toml`).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Change nothing; list the files that are not formatted and exit 1 if there are any.
    #[arg(long)]
    pub check: bool,
}

/// `declass release`.
#[derive(Debug, clap::Args)]
pub struct ReleaseArgs {
    /// Documents to release.
    #[command(flatten)]
    pub input: InputArgs,
    /// Policy and date.
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Case number printed in the stamp; documents are then numbered in input order.
    #[arg(long, value_name = "ID")]
    pub case: Option<String>,
    /// Write one file per document into this directory (created if needed), with an audit
    /// manifest, `manifest.jsonl`: per input its hash, the file written and its hash, the
    /// outcome, the policy, the date and the version of declass.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Replace files an earlier release left in `--out-dir` (never an input).
    #[arg(long)]
    pub force: bool,
    /// Exit 1 when a document needs review (`review`), or is not released in full
    /// (`redact`): for CI jobs.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub fail_on: Option<FailOn>,
}

/// `declass review`.
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("output").required(true).args(["html", "out_dir"]))]
pub struct ReviewArgs {
    /// Documents to review.
    #[command(flatten)]
    pub input: InputArgs,
    /// Policy and date.
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Write one self-contained page with the summary and every document (`-`: standard
    /// output).
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Write `index.html` (the summary) and one page per document into this directory
    /// (created if needed).
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Replace files an earlier review left (the `--html` file, or pages in `--out-dir`).
    #[arg(long)]
    pub force: bool,
    /// Also say, per portion, why each other rule did not fire.
    #[arg(long)]
    pub explain: bool,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Output formats of `declass diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// For people.
    Text,
    /// One JSON object per changed document per line, then a summary (plan only).
    Json,
}

/// `declass diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// Documents to compare.
    #[command(flatten)]
    pub input: InputArgs,
    /// Policy and date of the first side.
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Compare with this policy (impact plan).
    #[arg(long, value_name = "FILE")]
    pub against: Option<PathBuf>,
    /// Compare with this date (impact plan).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub against_date: Option<NaiveDate>,
    /// Mark changed words inside changed lines.
    #[arg(long)]
    pub word: bool,
    /// Colour the diff.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Output format [default: text; with `--input-format jsonl`, JSON Lines].
    #[arg(long, value_enum)]
    pub format: Option<DiffFormat>,
}

/// Options that choose the policy and the date.
#[derive(Debug, clap::Args)]
pub struct PolicyArgs {
    /// Policy file (TOML); default: the embedded default policy.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Decide as of this date (YYYY-MM-DD); default: today.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
}

/// Output formats of `declass report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// A report for people.
    Text,
    /// One JSON object per document per line, then a summary object.
    Json,
    /// The same as `json`.
    Jsonl,
}

/// `declass report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Documents to decide.
    #[command(flatten)]
    pub input: InputArgs,
    /// Policy and date.
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Output format [default: text; with `--input-format jsonl`, JSON Lines].
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Also say, per portion, why each other rule did not fire.
    #[arg(long)]
    pub explain: bool,
    /// Exit 1 when a document needs review (`review`), or is not released in full
    /// (`redact`): for CI jobs.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub fail_on: Option<FailOn>,
}

/// Reads a `YYYY-MM-DD` date argument.
fn parse_date(text: &str) -> Result<NaiveDate, String> {
    crate::model::iso_date(text).ok_or_else(|| format!("`{text}` is not a date: write it as YYYY-MM-DD"))
}

/// Options shared by commands that read documents.
#[derive(Debug, clap::Args)]
pub struct InputArgs {
    /// Documents: files, directories, or `-` for standard input (with `--input-format
    /// jsonl`: JSON Lines streams, files or `-`).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// How the paths give documents. `jsonl`: each path is a stream of records, one JSON
    /// object per line, `{"id": …, "text": …}` or `{"id": …, "path": …}`; the output is
    /// JSON Lines with exactly one record per input record, in order, carrying its `id`,
    /// and a record that cannot be read becomes an `error` record (it does not change the
    /// exit status: the stream's output says it).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = InputFormat::Documents)]
    pub input_format: InputFormat,
    /// Worker threads; 0 (the default) means all cores. More than the inputs or 4 × the cores
    /// is clamped.
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
    pub jobs: usize,
    /// Refuse a document, stream record or policy larger than this (bytes, or with a unit:
    /// 64MiB, 500K, 1GB).
    #[arg(long, value_name = "SIZE", default_value = "64MiB", value_parser = parse_size)]
    pub max_input_size: u64,
    /// When to draw a progress bar on standard error. `auto`: for a long run when standard
    /// error is a terminal and standard output is not.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ProgressChoice::Auto)]
    pub progress: ProgressChoice,
    /// No progress bar, and no list of the files `release --out-dir` writes. Errors are
    /// always printed.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Reads a size argument.
fn parse_size(text: &str) -> Result<u64, String> {
    crate::input::parse_size(text)
}

/// How the paths give documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// Each file is one document; directories are walked.
    Documents,
    /// JSON Lines streams of `{"id", "text"}` or `{"id", "path"}` records.
    Jsonl,
}

/// When to draw a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProgressChoice {
    /// Never.
    Never,
    /// For a long run, when standard error is a terminal and standard output is not.
    Auto,
    /// Whenever standard error is a terminal; output to the same terminal is written with
    /// the bar lifted, so the two never mix.
    Always,
}

/// What makes `report` or `release` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub enum FailOn {
    /// A document needs review.
    Review,
    /// A document is not released in full: something is redacted or withheld, or it needs
    /// review.
    Redact,
}

/// Output formats of `declass parse`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ParseFormat {
    /// An outline for people.
    Text,
    /// One JSON object per document per line.
    Json,
    /// Nothing per document, only a count of documents and portions at the end: for timing
    /// the parser alone.
    None,
}

/// `declass parse`.
#[derive(Debug, clap::Args)]
pub struct ParseArgs {
    /// Documents to read.
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format [default: text; with `--input-format jsonl`, JSON Lines].
    #[arg(long, value_enum)]
    pub format: Option<ParseFormat>,
}
