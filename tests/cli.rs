//! The real `declass` binary: exit codes, standard output and the full standard error of
//! each command, and the JSON it prints, pinned by test-owned structures that reject
//! unknown keys.

mod common;

use std::io::{Read as _, Write as _};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::TempDir;
use serde::Deserialize;

const SEED_LIKE: &str = "tests/fixtures/wrapped-seed-like/input.txt";

fn declass(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_declass"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

fn golden(case: &str, file: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(case).join("expected").join(file),
    )
    .expect("golden file exists")
}

#[test]
fn parse_prints_the_outline_and_succeeds() {
    let output = declass(&["parse", SEED_LIKE]);
    assert_eq!(code(&output), 0);
    assert_eq!(stderr(&output), "");
    assert_eq!(stdout(&output), golden("wrapped-seed-like", "parse.txt").replacen("input.txt", SEED_LIKE, 1));
}

/// `declass parse --format json`: the keys other tools rely on.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code, reason = "the structure pins the keys; not every value is read")]
struct ParsedDoc {
    schema_version: u32,
    path: String,
    id: Option<String>,
    created: Option<String>,
    classification: ParsedClassification,
    order: Option<String>,
    decl: ParsedDecl,
    reasons: Vec<String>,
    reason_section: Option<String>,
    classified_by: Option<ParsedClassifiedBy>,
    tags: Vec<String>,
    caveats: Vec<String>,
    subject: Option<String>,
    preamble: Option<ParsedPreamble>,
    paragraphs: Vec<ParsedParagraph>,
    portions: Vec<ParsedPortion>,
    errors: Vec<ParsedError>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code, reason = "pins keys")]
struct ParsedClassification {
    level: Option<String>,
    controls: Vec<String>,
    raw: String,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code, reason = "pins keys")]
struct ParsedDecl {
    kind: String,
    date: Option<String>,
    exemptions: Vec<String>,
    raw: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code, reason = "pins keys")]
struct ParsedClassifiedBy {
    name: Option<String>,
    classifier: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code, reason = "pins keys")]
struct ParsedPreamble {
    identifier: String,
    created: String,
    classification: String,
    origin: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code, reason = "pins keys")]
struct ParsedMarking {
    level: Option<String>,
    controls: Vec<String>,
    raw: String,
    recognized: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code, reason = "pins keys")]
struct ParsedParagraph {
    kind: String,
    number: Option<String>,
    marking: Option<ParsedMarking>,
    line: u32,
    span: [usize; 2],
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code, reason = "pins keys")]
struct ParsedPortion {
    kind: String,
    number: Option<String>,
    marking: Option<ParsedMarking>,
    line: u32,
    col: u32,
    span: [usize; 2],
    #[serde(default)]
    embedded: Vec<ParsedMarking>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code, reason = "pins keys")]
struct ParsedError {
    line: u32,
    col: u32,
    message: String,
}

#[test]
fn parse_json_has_the_documented_keys() {
    let output = declass(&["parse", "--format", "json", "examples/documents/"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let lines: Vec<String> = stdout(&output).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 6, "one object per example document");
    let docs: Vec<ParsedDoc> = lines.iter().map(|l| serde_json::from_str(l).expect("documented keys only")).collect();
    let paris = docs.iter().find(|d| d.id.as_deref() == Some("08PARIS1234")).expect("the Paris example");
    assert_eq!(paris.classification.level.as_deref(), Some("C"));
    assert_eq!(paris.decl.kind, "date");
    assert_eq!(paris.decl.date.as_deref(), Some("2018-03-10"));
    assert_eq!(paris.reasons, ["b", "d"]);
    assert_eq!(paris.paragraphs.len(), 5);
    assert!(paris.paragraphs.iter().all(|p| p.marking.as_ref().and_then(|m| m.level.as_deref()) == Some("C")));
    let source =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/documents/08PARIS1234.txt"))
            .expect("example");
    let first = &paris.paragraphs[0];
    assert!(source[first.span[0]..first.span[1]].starts_with("1. (C)"), "spans are byte offsets into the input");
}

#[test]
fn unreadable_inputs_are_reported_and_the_run_goes_on() {
    let dir = TempDir::new("unreadable");
    std::fs::write(dir.path("latin1.txt"), b"UNCLAS\n\n1. (U) caf\xe9\n").expect("write");
    std::fs::write(dir.path("binary.bin"), b"UNCLAS\n\x00\x01\x02").expect("write");
    let latin1 = dir.path("latin1.txt").display().to_string();
    let binary = dir.path("binary.bin").display().to_string();
    let output = declass(&["parse", &latin1, "missing.txt", &binary, SEED_LIKE]);
    assert_eq!(code(&output), 2);
    assert_eq!(
        stderr(&output),
        // In input order: a missing path fails in its place.
        format!(
            "{latin1}:3:11: error: the file is not UTF-8 text (invalid byte sequence here); convert it first, e.g. with `iconv -f cp1252 -t utf-8`\n\
             missing.txt: error: no such file or directory\n\
             {binary}:2:1: error: the file is binary (NUL byte here), not a text document\n"
        )
    );
    assert!(stdout(&output).contains("08PARIS1234"), "the readable document is still parsed");
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_declass"))
        .args(["report", "--as-of", "2020-01-01", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"UNCLAS STATE 000001\n\nE.O. 12958: N/A\n\n1. (U) Nothing to hide.\n")
        .expect("write");
    let output = child.wait_with_output().expect("wait");
    assert_eq!(code(&output), 0);
    assert!(stdout(&output).contains("<stdin>"), "{}", stdout(&output));
    assert!(stdout(&output).contains("RELEASE IN FULL"));
}

#[test]
fn report_the_seed_like_cable_before_and_after_its_date() {
    let before = declass(&["report", "--as-of", "2017-12-31", SEED_LIKE]);
    assert_eq!(code(&before), 0);
    assert!(stdout(&before).starts_with("declass report: policy default 1.0 (sha256 "));
    assert!(stdout(&before).contains("as of 2017-12-31"), "the date used is always printed");
    assert!(stdout(&before).contains("  RELEASE IN PART B1,1.4(B),1.4(D)\n"));
    let after = declass(&["report", "--as-of", "2018-03-10", SEED_LIKE]);
    assert!(stdout(&after).contains("  RELEASE IN FULL\n"));
    assert!(stdout(&after).contains("lapsed on 2018-03-10: explicit date set by the classifier"));
}

/// `declass report --format json`, one document.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code, reason = "pins keys")]
struct ReportDoc {
    schema_version: u32,
    path: String,
    id: Option<String>,
    as_of: String,
    policy: ReportPolicy,
    outcome: String,
    labels: Vec<String>,
    lapses_on: Option<String>,
    lapse: ReportLapse,
    portions: Vec<ReportPortion>,
    errors: Vec<String>,
    warnings: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code, reason = "pins keys")]
struct ReportPolicy {
    name: String,
    version: String,
    sha256: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code, reason = "pins keys")]
struct ReportLapse {
    kind: String,
    date: Option<String>,
    lapsed: bool,
    needs_review: bool,
    clause: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code, reason = "pins keys")]
struct ReportPortion {
    kind: String,
    number: Option<String>,
    marking: Option<ParsedMarking>,
    line: u32,
    col: u32,
    span: [usize; 2],
    #[serde(default)]
    embedded: Vec<ParsedMarking>,
    decision: String,
    labels: Vec<String>,
    rules: Vec<String>,
    level: Option<String>,
    inherited: bool,
    spans: Vec<ReportSpan>,
    notes: Vec<String>,
    #[serde(default)]
    why_not: Vec<ReportWhyNot>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code, reason = "pins keys")]
struct ReportSpan {
    span: [usize; 2],
    labels: Vec<String>,
    rules: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code, reason = "pins keys")]
struct ReportWhyNot {
    rule: String,
    reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportSummaryLine {
    schema_version: u32,
    summary: ReportSummary,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code, reason = "pins keys")]
struct ReportSummary {
    as_of: String,
    policy: ReportPolicy,
    documents: usize,
    failed: usize,
    outcomes: std::collections::BTreeMap<String, usize>,
    decisions: std::collections::BTreeMap<String, usize>,
    rules: std::collections::BTreeMap<String, usize>,
}

#[test]
fn report_json_has_the_documented_keys_and_a_summary() {
    let output = declass(&["report", "--format", "json", "--explain", "--as-of", "2017-12-31", "examples/documents/"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let lines: Vec<&str> = stdout(&output).lines().map(|l| Box::leak(l.to_owned().into_boxed_str()) as &str).collect();
    let (last, docs) = lines.split_last().expect("lines");
    let docs: Vec<ReportDoc> = docs.iter().map(|l| serde_json::from_str(l).expect("documented keys only")).collect();
    let summary: ReportSummaryLine = serde_json::from_str(last).expect("summary object");
    assert_eq!(summary.summary.documents, docs.len());
    assert!(docs.iter().all(|d| d.schema_version == 1) && summary.schema_version == 1);
    assert_eq!(summary.summary.outcomes.values().sum::<usize>(), docs.len());
    let paris = docs.iter().find(|d| d.id.as_deref() == Some("08PARIS1234")).expect("Paris");
    assert_eq!(
        (paris.outcome.as_str(), paris.labels.as_slice()),
        ("release_in_part", ["B1", "1.4(B)", "1.4(D)"].map(String::from).as_slice())
    );
    assert_eq!(paris.lapses_on.as_deref(), Some("2018-03-10"));
    assert!(paris.portions.iter().any(|p| !p.why_not.is_empty()), "--explain adds why-not");
}

#[test]
fn a_broken_policy_is_reported_before_any_document_is_read() {
    let dir = TempDir::new("broken-policy");
    let policy = dir.path("broken.toml");
    std::fs::write(&policy, "name = \"broken\"\nversion = \"1\"\n\n[[rule]]\nid = \"x\"\nwhen = { level = [\"CONF\"] }\noutcome = \"redact\"\nlabels = [\"B1\"]\n").expect("write");
    let name = policy.display().to_string();
    let output = declass(&["report", "--policy", &name, "does-not-exist.txt"]);
    assert_eq!(code(&output), 2);
    assert_eq!(stdout(&output), "");
    assert_eq!(
        stderr(&output),
        format!(
            "{name}:6:19: error[P004]: unknown level `CONF`\n  |\n6 | when = {{ level = [\"CONF\"] }}\n  |                   ^^^^^^\n  = hint: did you mean `C` (CONFIDENTIAL)?\n{name}: error: the policy has 1 error(s) and is not used; `declass check {name}` explains them\n"
        )
    );
}

#[test]
fn release_writes_one_document_to_standard_output() {
    let output = declass(&["release", "--as-of", "2017-12-31", SEED_LIKE]);
    assert_eq!(code(&output), 0);
    assert_eq!(stdout(&output), golden("wrapped-seed-like", "release.txt"));
    let several = declass(&["release", "examples/documents/"]);
    assert_eq!(code(&several), 2);
    assert_eq!(
        stderr(&several),
        "error: 6 documents to release: give `--out-dir DIR` to write one file per document\n"
    );
}

#[test]
fn release_names_files_from_sanitised_ids_inside_the_directory() {
    let dir = TempDir::new("release-out");
    let out = dir.path("out");
    let out_name = out.display().to_string();
    let output = declass(&[
        "release",
        "--as-of",
        "2020-01-01",
        "--case",
        "F-2026-00042",
        "--out-dir",
        &out_name,
        "tests/fixtures/hostile-id/input.txt",
        SEED_LIKE,
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .expect("out dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["08PARIS1234.txt", "etc_passwd.txt", "manifest.jsonl"],
        "no `..`, no separators, nothing outside the directory"
    );
    let text = std::fs::read_to_string(out.join("08PARIS1234.txt")).expect("release file");
    assert!(text.starts_with("UNCLASSIFIED\nCase No. F-2026-00042  Doc No. 00002\n"), "{text}");
}

#[test]
fn release_refuses_to_overwrite_an_input() {
    let dir = TempDir::new("release-overwrite");
    let input = dir.path("08PARIS1234.txt");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED_LIKE), &input).expect("copy");
    let before = std::fs::read(&input).expect("read");
    let output = declass(&["release", "--out-dir", &dir.0.display().to_string(), &input.display().to_string()]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("refusing to overwrite an input"), "{}", stderr(&output));
    assert_eq!(std::fs::read(&input).expect("read"), before, "inputs are never modified");
}

#[test]
fn diff_exits_1_on_changes_and_0_without() {
    let changed = declass(&["diff", "--as-of", "2017-12-31", SEED_LIKE]);
    assert_eq!(code(&changed), 1);
    assert_eq!(stdout(&changed), golden("wrapped-seed-like", "diff.txt").replace("input.txt", SEED_LIKE));
    let unchanged = declass(&["diff", "--as-of", "2018-03-10", SEED_LIKE]);
    assert_eq!((code(&unchanged), stdout(&unchanged).as_str()), (0, ""));
}

#[test]
fn the_plan_between_two_dates_lists_the_paragraphs_that_change() {
    let output = declass(&["diff", "--as-of", "2017-12-31", "--against-date", "2018-03-10", SEED_LIKE]);
    assert_eq!(code(&output), 1);
    let text = stdout(&output);
    let paragraphs: Vec<&str> = text.lines().filter(|l| l.split_whitespace().nth(1) == Some("paragraph")).collect();
    assert_eq!(paragraphs.len(), 5, "{text}");
    assert!(paragraphs.iter().all(|l| l.contains("redact → release")));
    assert!(text.contains("RELEASE IN PART → RELEASE IN FULL"));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    // Far more output than a pipe buffers, so the binary is still writing when the reader
    // goes away.
    let mut args = vec!["parse"];
    args.extend(std::iter::repeat_n("examples/documents/", 400));
    let mut child = Command::new(env!("CARGO_BIN_EXE_declass"))
        .args(&args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut first = [0u8; 16];
    child.stdout.take().expect("stdout").read_exact(&mut first).expect("some output");
    let output = child.wait_with_output().expect("wait");
    assert_eq!(stderr(&output), "");
    assert_eq!(code(&output), 0);
}

/// A full disk is not a closed pipe: the run fails and says why.
#[test]
fn a_failed_write_is_an_error() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("skipped: this system has no /dev/full");
        return;
    };
    let output = Command::new(env!("CARGO_BIN_EXE_declass"))
        .args(["report", "examples/documents/"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(full)
        .output()
        .expect("the binary runs");
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("error: cannot write the output: no space left on device"), "{}", stderr(&output));
}

#[test]
fn help_teaches_the_commands_and_exit_codes() {
    let output = declass(&["--help"]);
    assert_eq!(code(&output), 0);
    let text = stdout(&output);
    for needle in ["parse", "report", "release", "diff", "Exit status:", "0  success", "1  findings", "2  error"] {
        assert!(text.contains(needle), "--help mentions `{needle}`");
    }
    let bad_date = declass(&["report", "--as-of", "15/02/2018", SEED_LIKE]);
    assert_eq!(code(&bad_date), 2);
    assert!(stderr(&bad_date).contains("`15/02/2018` is not a date: write it as YYYY-MM-DD"));
}

/// Issue 8: a policy that `declass check` rejects is not used to decide anything.
#[test]
fn commands_refuse_a_policy_that_check_rejects() {
    let policy = "tests/policies/broken/p022-release-in-force.toml";
    for command in ["report", "release", "diff"] {
        let output = declass(&[command, "--policy", policy, "--as-of", "2020-01-01", SEED_LIKE]);
        assert_eq!(code(&output), 2, "{command} refuses the policy");
        assert_eq!(stdout(&output), "", "{command} decides nothing");
        let err = stderr(&output);
        assert!(
            err.starts_with(&format!(
                "{policy}:8:11: error[P022]: rule `release-old-documents` would release classified content"
            )),
            "{err}"
        );
        assert!(
            err.ends_with(&format!(
                "{policy}: error: the policy has 1 error(s) and is not used; `declass check {policy}` explains them\n"
            )),
            "{err}"
        );
    }
    // Warnings alone do not stop it.
    let output = declass(&[
        "report",
        "--policy",
        "tests/policies/broken/p109-unmarked-fixed-level.toml",
        "--as-of",
        "2020-01-01",
        SEED_LIKE,
    ]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
}

/// One line of `manifest.jsonl`: the keys an audit relies on.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code, reason = "pins keys")]
struct ManifestLine {
    schema_version: u32,
    number: usize,
    input: String,
    input_sha256: Option<String>,
    output: Option<String>,
    output_sha256: Option<String>,
    outcome: Option<String>,
    labels: Vec<String>,
    policy: ReportPolicy,
    as_of: String,
    declass_version: String,
    case: Option<String>,
    error: Option<String>,
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    use std::fmt::Write as _;
    sha2::Sha256::digest(bytes).iter().fold(String::new(), |mut hex, b| {
        let _ = write!(hex, "{b:02x}");
        hex
    })
}

/// Issue 9: the audit manifest records every input, in order, with the hashes that tie input,
/// output and policy together; a failed input keeps its number.
#[test]
fn release_writes_an_audit_manifest_and_never_overwrites_without_force() {
    let dir = TempDir::new("manifest");
    let out = dir.path("released");
    let out_name = out.display().to_string();
    let binary = dir.path("binary.txt");
    std::fs::write(&binary, b"UNCLAS\n\x00\x01").expect("write");
    let binary_name = binary.display().to_string();
    let args = [
        "release",
        "--as-of",
        "2020-01-01",
        "--out-dir",
        &out_name,
        SEED_LIKE,
        &binary_name,
        "examples/documents/09STATE0789.txt",
    ];
    let output = declass(&args);
    assert_eq!(code(&output), 2, "an unreadable input is an error, the run goes on");
    let manifest = std::fs::read_to_string(out.join("manifest.jsonl")).expect("manifest");
    let lines: Vec<ManifestLine> =
        manifest.lines().map(|l| serde_json::from_str(l).expect("documented keys")).collect();
    assert_eq!(lines.iter().map(|l| l.number).collect::<Vec<_>>(), [1, 2, 3], "numbers follow the input order");
    assert_eq!(lines[1].input, binary_name);
    assert!(lines[1].error.as_deref().is_some_and(|e| e.contains("binary")), "{:?}", lines[1].error);
    assert!(lines[1].input_sha256.is_some(), "what was read is hashed");
    assert!(lines[1].output.is_none());
    let first = &lines[0];
    assert_eq!(first.input_sha256.as_deref(), Some(sha256_hex(&std::fs::read(SEED_LIKE).expect("input")).as_str()));
    let file = out.join(first.output.as_deref().expect("a release file"));
    assert_eq!(first.output_sha256.as_deref(), Some(sha256_hex(&std::fs::read(file).expect("release")).as_str()));
    assert_eq!(first.outcome.as_deref(), Some("release_in_full"));
    assert_eq!(first.policy.name, "default");
    assert_eq!(first.as_of, "2020-01-01");
    assert_eq!(first.declass_version, env!("CARGO_PKG_VERSION"));
    // A second run into the same directory refuses, then replaces with --force.
    let again = declass(&["release", "--as-of", "2020-01-01", "--out-dir", &out_name, SEED_LIKE]);
    assert_eq!(code(&again), 2);
    assert!(stderr(&again).contains("holds a release already"), "{}", stderr(&again));
    let forced = declass(&["release", "--force", "--as-of", "2020-01-01", "--out-dir", &out_name, SEED_LIKE]);
    assert_eq!(code(&forced), 0, "{}", stderr(&forced));
    let leftovers: Vec<_> = std::fs::read_dir(dir.0.clone())
        .expect("temporary directory")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no staging directory or temporary file is left behind");
}
