//! The command line: arguments become a validated configuration, then a command runs and
//! returns the exit status. `main.rs` only calls [`run`].
//!
//! Exit status: 0 success, 1 findings (a check failed, a diff found changes), 2 error.

use std::io::{self, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use crate::engine::{self, Explain};
use crate::input::{self, Input};
use crate::pipeline::{self, Flow};
use crate::policy::{Policy, Severity};
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
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
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
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Also say, per portion, why each other rule did not fire.
    #[arg(long)]
    pub explain: bool,
}

/// Reads a `YYYY-MM-DD` date argument.
fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is not a date: write it as YYYY-MM-DD"))
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
        Command::Report(args) => report_command(&args),
        Command::Release(args) => release_command(&args),
        Command::Diff(args) => diff_command(&args),
        Command::Check(args) => check_command(&args),
        Command::Fmt(args) => fmt_command(&args),
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
    let bytes =
        input.read().map_err(|e| format!("{}: error: {}", input.display_name(), input::lower_first(&e.to_string())))?;
    crate::parse::parse_bytes(&bytes).map_err(|e| format!("{}:{e}", input.display_name()))
}

fn parse_command(args: &ParseArgs) -> u8 {
    let (inputs, mut failed) = expand_inputs(&args.input);
    let mut out = Output::new();
    let format = args.format;
    let (mut documents, mut portion_count) = (0usize, 0usize);
    pipeline::run_ordered(
        &inputs,
        threads(&args.input),
        true,
        |_, input| {
            let name = input.display_name();
            read_document(input).map(|doc| {
                let diagnostics: Vec<String> =
                    doc.errors.iter().map(|e| format!("{name}:{}: error: {}", e.position, e.message)).collect();
                let text = match format {
                    ParseFormat::None => String::new(),
                    ParseFormat::Text => render::parsed::to_text(&name, &doc),
                    ParseFormat::Json => {
                        let mut line = serde_json::to_string(&render::parsed::to_json(&name, &doc))
                            .unwrap_or_else(|e| format!("{{\"path\":{name:?},\"error\":{:?}}}", e.to_string()));
                        line.push('\n');
                        line
                    }
                };
                (text, diagnostics, doc.portions.len())
            })
        },
        |_, result| match result {
            Ok((text, diagnostics, portions)) => {
                for line in &diagnostics {
                    eprintln!("{line}");
                }
                failed |= !diagnostics.is_empty();
                documents += 1;
                portion_count += portions;
                out.write(&text)
            }
            Err(message) => {
                eprintln!("{message}");
                failed = true;
                Flow::Continue
            }
        },
    );
    if format == ParseFormat::None {
        out.write(&format!("{documents} document(s), {portion_count} portion(s)\n"));
    }
    out.flush();
    if failed { EXIT_ERROR } else { EXIT_OK }
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

fn report_command(args: &ReportArgs) -> u8 {
    let policy = match load_policy(args.policy.policy.as_deref()) {
        Ok(policy) => policy,
        Err(code) => return code,
    };
    let as_of = as_of(&args.policy);
    let (inputs, mut failed) = expand_inputs(&args.input);
    let json = matches!(args.format, ReportFormat::Json | ReportFormat::Jsonl);
    let explain = if args.explain { Explain::Yes } else { Explain::No };
    let mut out = Output::new();
    let mut summary = render::report::Summary::default();
    if !json {
        out.write(&render::report::text_header(&policy, as_of));
    }
    pipeline::run_ordered(
        &inputs,
        threads(&args.input),
        true,
        |_, input| {
            let name = input.display_name();
            read_document(input).map(|doc| {
                let decisions = engine::evaluate_with(&doc, &policy, as_of, explain);
                let text = if json {
                    let mut line = serde_json::to_string(&render::report::to_json(&name, &doc, &decisions, &policy))
                        .unwrap_or_else(|e| format!("{{\"path\":{name:?},\"error\":{:?}}}", e.to_string()));
                    line.push('\n');
                    line
                } else {
                    render::report::to_text(&name, &doc, &decisions)
                };
                (text, decisions)
            })
        },
        |_, result| match result {
            Ok((text, decisions)) => {
                summary.add(&decisions);
                out.write(&text)
            }
            Err(message) => {
                eprintln!("{message}");
                summary.failed += 1;
                failed = true;
                Flow::Continue
            }
        },
    );
    if json {
        let body = render::report::SummaryJson {
            summary: render::report::SummaryBody {
                as_of: as_of.to_string(),
                policy: render::report::PolicyJson::of(&policy),
                totals: &summary,
            },
        };
        let mut line = serde_json::to_string(&body).unwrap_or_default();
        line.push('\n');
        out.write(&line);
    } else {
        out.write(&summary.to_text());
    }
    out.flush();
    if failed { EXIT_ERROR } else { EXIT_OK }
}

/// A file name for a document's release: its sanitised id, else its input's stem.
fn release_file_name(doc: &crate::model::Document, input: &Input, index: usize) -> String {
    let from_id = doc.id.as_deref().and_then(render::release::sanitize_id);
    let from_input = match input {
        Input::File(path) => path.file_stem().and_then(|s| s.to_str()).and_then(render::release::sanitize_id),
        Input::Stdin => None,
    };
    from_id.or(from_input).unwrap_or_else(|| format!("document-{}", index + 1))
}

/// A manifest record of input `number` with what every record says.
fn manifest_record<'a>(
    number: usize,
    input: &'a str,
    policy: &'a Policy,
    as_of: NaiveDate,
    case: Option<&'a str>,
    decisions: Option<&'a engine::Decisions>,
) -> crate::output::ManifestRecord<'a> {
    crate::output::ManifestRecord {
        schema_version: crate::output::MANIFEST_VERSION,
        number,
        input,
        input_sha256: None,
        output: None,
        output_sha256: None,
        outcome: decisions.map(|d| d.outcome.name()),
        labels: decisions.map_or(&[][..], |d| &d.labels),
        policy: crate::output::ManifestPolicy { name: &policy.name, version: &policy.version, sha256: &policy.sha256 },
        as_of: as_of.to_string(),
        declass_version: env!("CARGO_PKG_VERSION"),
        case,
        error: None,
    }
}

fn release_command(args: &ReleaseArgs) -> u8 {
    let policy = match load_policy(args.policy.policy.as_deref()) {
        Ok(policy) => policy,
        Err(code) => return code,
    };
    let as_of = as_of(&args.policy);
    let (inputs, mut failed) = expand_inputs(&args.input);
    if args.out_dir.is_none() && inputs.len() > 1 {
        eprintln!("error: {} documents to release: give `--out-dir DIR` to write one file per document", inputs.len());
        return EXIT_ERROR;
    }
    let mut dir = match &args.out_dir {
        Some(dir) => match crate::output::ReleaseDir::open(dir, &inputs, args.force) {
            Ok(dir) => Some(dir),
            Err(message) => {
                eprintln!("{message}");
                return EXIT_ERROR;
            }
        },
        None => None,
    };
    let hash_inputs = dir.is_some();
    let mut out = Output::new();
    let mut number = 0usize;
    pipeline::run_ordered(
        &inputs,
        threads(&args.input),
        true,
        |position, input| {
            let bytes = input.read().map_err(|e| {
                (None, format!("{}: error: {}", input.display_name(), input::lower_first(&e.to_string())))
            })?;
            let hash = hash_inputs.then(|| crate::output::sha256(&bytes));
            let doc = crate::parse::parse_bytes(&bytes)
                .map_err(|e| (hash.clone(), format!("{}:{e}", input.display_name())))?;
            let decisions = engine::evaluate(&doc, &policy, as_of);
            // The stamp's document number is the input's position, known here already.
            let options = render::release::StampOptions {
                case: args.case.clone(),
                document_number: args.case.as_ref().map(|_| format!("{:05}", position + 1)),
            };
            let text = render::release::release_text(&doc, &decisions, &policy, &options);
            let text_hash = hash_inputs.then(|| crate::output::sha256(text.as_bytes()));
            Ok((hash, doc, decisions, text, text_hash))
        },
        |input, result| {
            // Documents are numbered by input order; an input that fails keeps its number.
            number += 1;
            let name = input.display_name();
            let (hash, doc, decisions, text, text_hash) = match result {
                Ok(found) => found,
                Err((hash, message)) => {
                    eprintln!("{message}");
                    failed = true;
                    if let Some(dir) = &mut dir {
                        let mut record = manifest_record(number, &name, &policy, as_of, args.case.as_deref(), None);
                        record.input_sha256 = hash;
                        record.error = Some(&message);
                        dir.record(&record);
                    }
                    return Flow::Continue;
                }
            };
            let Some(dir) = &mut dir else { return out.write(&text) };
            let file = dir.name_for(&release_file_name(&doc, input, number - 1));
            match dir.write(&file, &text) {
                Ok(path) => {
                    let mut record =
                        manifest_record(number, &name, &policy, as_of, args.case.as_deref(), Some(&decisions));
                    record.input_sha256 = hash;
                    record.output = Some(&file);
                    record.output_sha256 = text_hash;
                    dir.record(&record);
                    out.write(&format!("{}  {}\n", path.display(), render::report::outcome_line(&decisions)))
                }
                Err(message) => {
                    eprintln!("{message}");
                    failed = true;
                    let mut record =
                        manifest_record(number, &name, &policy, as_of, args.case.as_deref(), Some(&decisions));
                    record.input_sha256 = hash;
                    record.error = Some(&message);
                    dir.record(&record);
                    Flow::Continue
                }
            }
        },
    );
    out.flush();
    if let Some(dir) = dir
        && let Err(message) = dir.finish()
    {
        eprintln!("{message}");
        return EXIT_ERROR;
    }
    if failed { EXIT_ERROR } else { EXIT_OK }
}

fn use_color(choice: ColorChoice) -> bool {
    use std::io::IsTerminal as _;
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}

fn diff_command(args: &DiffArgs) -> u8 {
    let policy = match load_policy(args.policy.policy.as_deref()) {
        Ok(policy) => policy,
        Err(code) => return code,
    };
    let as_of = as_of(&args.policy);
    let plan = args.against.is_some() || args.against_date.is_some();
    let other = match &args.against {
        Some(path) => match load_policy(Some(path)) {
            Ok(policy) => Some(policy),
            Err(code) => return code,
        },
        None => None,
    };
    let other_policy = other.as_ref().unwrap_or(&policy);
    let other_date = args.against_date.unwrap_or(as_of);
    let (inputs, mut failed) = expand_inputs(&args.input);
    let style = crate::diff::DiffStyle { word: args.word, color: use_color(args.color) };
    let json = args.format == DiffFormat::Json;
    let mut out = Output::new();
    let mut changed = false;
    let mut summary = crate::diff::PlanSummary::default();
    if plan && !json {
        out.write(&format!(
            "declass plan: policy {} {} as of {as_of} → policy {} {} as of {other_date}\n\n",
            policy.name, policy.version, other_policy.name, other_policy.version
        ));
    }
    pipeline::run_ordered(
        &inputs,
        threads(&args.input),
        true,
        |_, input| {
            let name = input.display_name();
            read_document(input).map(|doc| {
                let first = engine::evaluate(&doc, &policy, as_of);
                if plan {
                    let second = engine::evaluate(&doc, other_policy, other_date);
                    let change = crate::diff::compare(&name, &doc, &first, &second);
                    let text = change.as_ref().map(|c| {
                        if json {
                            let mut line = serde_json::to_string(c).unwrap_or_default();
                            line.push('\n');
                            line
                        } else {
                            crate::diff::change_to_text(c)
                        }
                    });
                    (text.unwrap_or_default(), change)
                } else {
                    let body = render::release::released_body(&doc, &first);
                    (crate::diff::text_diff(&name, &doc, &first, &body, style), None)
                }
            })
        },
        |_, result| match result {
            Ok((text, change)) => {
                if plan {
                    summary.add(change.as_ref());
                }
                changed |= !text.is_empty();
                out.write(&text)
            }
            Err(message) => {
                eprintln!("{message}");
                summary.failed += 1;
                failed = true;
                Flow::Continue
            }
        },
    );
    if plan {
        if json {
            let mut line = serde_json::to_string(&serde_json::json!({ "summary": &summary })).unwrap_or_default();
            line.push('\n');
            out.write(&line);
        } else {
            out.write(&summary.to_text());
        }
    }
    out.flush();
    if failed {
        EXIT_ERROR
    } else if changed {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Policy files named on the command line: files as given, `*.toml` in directories.
fn policy_files(paths: &[PathBuf]) -> (Vec<PathBuf>, bool) {
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

fn explain_codes(which: &str) -> u8 {
    let codes: Vec<crate::policy::Code> = if which.eq_ignore_ascii_case("all") {
        crate::policy::Code::ALL.to_vec()
    } else {
        crate::policy::Code::ALL.iter().copied().filter(|c| c.name().eq_ignore_ascii_case(which)).collect()
    };
    if codes.is_empty() {
        eprintln!("error: unknown diagnostic code `{which}`; codes are P001–P021 and P101–P108, or `all`");
        return EXIT_ERROR;
    }
    let mut out = Output::new();
    for code in codes {
        let (what, why, example) = code.documentation();
        out.write(&format!("{code} ({}): {what}\n  why: {why}\n  example:\n", code.severity().name()));
        for line in example.lines() {
            out.write(&format!("    {line}\n"));
        }
        out.write("\n");
    }
    out.flush();
    EXIT_OK
}

fn check_command(args: &CheckArgs) -> u8 {
    if let Some(which) = &args.explain {
        return explain_codes(which);
    }
    let (files, mut failed) = policy_files(&args.paths);
    if files.is_empty() {
        eprintln!(
            "error: no policy files (`*.toml`) found in {}",
            args.paths.iter().map(|p| format!("`{}`", p.display())).collect::<Vec<_>>().join(", ")
        );
        return EXIT_ERROR;
    }
    let mut checked = Vec::new();
    for file in files {
        let name = file.display().to_string();
        match std::fs::read_to_string(&file) {
            Ok(source) => {
                let report = crate::check::check(&source, Some(&file));
                checked.push(render::check::Checked { path: name, source, report });
            }
            Err(e) => {
                eprintln!("{name}: error: cannot read the policy: {}", input::lower_first(&e.to_string()));
                failed = true;
            }
        }
    }
    // In text, diagnostics go to standard error as a compiler's do, the summary to standard
    // output; machine formats go to standard output whole.
    if args.format == CheckFormat::Text {
        for c in &checked {
            for diagnostic in &c.report.diagnostics {
                eprint!("{}", render::diagnostics::to_text(&c.path, &c.source, diagnostic));
            }
        }
    }
    let text = match args.format {
        CheckFormat::Text => render::check::summary_text(&checked),
        CheckFormat::Json => render::check::to_json(&checked),
        CheckFormat::Github => render::check::to_github(&checked),
        CheckFormat::Sarif => render::check::to_sarif(&checked),
    };
    let mut out = Output::new();
    out.write(&text);
    let totals = render::check::totals(&checked);
    let mut findings = totals.errors > 0 || args.deny_warnings && totals.warnings > 0;
    if let Some(min) = args.min_coverage {
        for c in &checked {
            if let Some(coverage) = c.report.coverage.as_ref().filter(|cov| cov.percent() < min) {
                eprintln!(
                    "{}: error: the tests exercise {:.0}% of the rules, below --min-coverage {min}",
                    c.path,
                    coverage.percent()
                );
                findings = true;
            }
        }
    }
    out.flush();
    if failed {
        EXIT_ERROR
    } else if findings {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn fmt_command(args: &FmtArgs) -> u8 {
    let (files, mut failed) = policy_files(&args.paths);
    let mut unformatted = false;
    let mut out = Output::new();
    for file in files {
        let name = file.display().to_string();
        let source = match std::fs::read_to_string(&file) {
            Ok(source) => source,
            Err(e) => {
                eprintln!("{name}: error: cannot read the policy: {}", input::lower_first(&e.to_string()));
                failed = true;
                continue;
            }
        };
        let formatted = match crate::policy::format::format_policy(&source) {
            Ok(formatted) => formatted,
            Err(message) => {
                eprintln!("{name}: error: not TOML: {}", message.trim());
                failed = true;
                continue;
            }
        };
        if formatted == source {
            continue;
        }
        unformatted = true;
        if args.check {
            out.write(&format!("{name}: not formatted\n"));
        } else if let Err(e) = crate::output::write_atomically(&file, formatted.as_bytes()) {
            eprintln!("{name}: error: cannot write: {}", input::lower_first(&e.to_string()));
            failed = true;
        } else {
            out.write(&format!("{name}: formatted\n"));
        }
    }
    out.flush();
    if failed {
        EXIT_ERROR
    } else if args.check && unformatted {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
