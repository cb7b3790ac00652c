//! Every JSON output of the real binary validates against its versioned JSON Schema in
//! `src/render/schemas/`: parse, report, plan, check, the release manifest and the stream
//! records, over the examples, every fixture, broken inputs and the whole shared corpus; and
//! the schemas are strict enough to reject a record that is wrong.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use jsonschema::{Registry, Validator};
use serde_json::{Value, json};

const BASE: &str = "https://declass.example/schemas/v1/";
const SCHEMAS: [&str; 7] = ["parse", "report", "release", "plan", "check", "manifest", "stream"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The schemas, each registered under its `$id`.
fn registry() -> Registry<'static> {
    let mut builder = Registry::new();
    for name in SCHEMAS {
        let path = root().join("src/render/schemas").join(format!("{name}.json"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let schema: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let id = format!("{BASE}{name}.json");
        assert_eq!(schema["$id"], id.as_str(), "{name}.json has the `$id` the others refer to");
        assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
        builder = builder.add(id, schema).expect("a valid schema URI");
    }
    builder.prepare().expect("the schemas and their references resolve")
}

/// A validator for `reference` (a schema's `$id`, or a part of one).
fn validator(registry: &Registry<'_>, reference: &str) -> Validator {
    jsonschema::options()
        .with_registry(registry)
        .build(&json!({ "$ref": format!("{BASE}{reference}") }))
        .unwrap_or_else(|e| panic!("{reference}: {e}"))
}

/// Validates every line of `output` (JSON Lines); returns how many were checked.
fn validate_lines(validator: &Validator, what: &str, output: &str) -> usize {
    let mut count = 0;
    for line in output.lines() {
        let value: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {line}"));
        validate(validator, what, &value);
        count += 1;
    }
    count
}

fn validate(validator: &Validator, what: &str, value: &Value) {
    let errors: Vec<String> =
        validator.iter_errors(value).take(5).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{what}: {}\n{}", errors.join("\n"), truncate(&value.to_string()));
}

/// `head`, then `tail`: a command line over the inputs.
fn joined<'a>(tail: &[&'a str], head: &[&'a str]) -> Vec<&'a str> {
    [head, tail].concat()
}

fn truncate(text: &str) -> &str {
    text.get(..text.len().min(600)).unwrap_or(text)
}

fn declass(args: &[&str], stdin: Option<&str>) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_declass"))
        .args(args)
        .current_dir(root())
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(text) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        let text = text.to_owned();
        std::thread::spawn(move || std::io::Write::write_all(&mut pipe, text.as_bytes()));
    }
    let output = child.wait_with_output().expect("the binary finishes");
    String::from_utf8(output.stdout).expect("JSON output is UTF-8")
}

/// The fixture documents, the examples, and inputs that fail (binary, not UTF-8, missing).
fn documents() -> Vec<String> {
    let mut paths: Vec<String> = std::fs::read_dir(root().join("tests/fixtures"))
        .expect("fixtures")
        .flatten()
        .map(|e| e.path().join("input.txt"))
        .filter(|p| p.is_file())
        .map(|p| p.strip_prefix(root()).expect("inside the package").to_string_lossy().into_owned())
        .collect();
    paths.sort();
    paths.push("examples/documents/".to_owned());
    paths.push("tests/no-such-document.txt".to_owned());
    paths
}

fn broken_files(dir: &common::TempDir) -> Vec<String> {
    let binary = dir.path("binary.txt");
    std::fs::write(&binary, b"UNCLASSIFIED\n\0\x01\x02").expect("writable");
    let latin1 = dir.path("latin1.txt");
    std::fs::write(&latin1, b"UNCLASSIFIED\n\n1. (U) Caf\xe9.\n").expect("writable");
    vec![binary.to_string_lossy().into_owned(), latin1.to_string_lossy().into_owned()]
}

#[test]
fn outputs_of_the_fixtures_validate() {
    let registry = registry();
    let dir = common::TempDir::new("schemas");
    let mut inputs = documents();
    inputs.extend(broken_files(&dir));
    let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();

    let parse = validator(&registry, "parse.json");
    let count = validate_lines(&parse, "parse", &declass(&joined(&inputs, &["parse", "--format", "json"]), None));
    assert!(count > inputs.len(), "parse: a record per input ({count})");

    let report = validator(&registry, "report.json");
    let foia = "policies/foia.toml";
    for args in [
        &["report", "--format", "json", "--as-of", "2017-12-31"][..],
        &["report", "--format", "json", "--as-of", "2030-01-01", "--explain"],
        &["report", "--format", "json", "--as-of", "2017-12-31", "--policy", foia],
    ] {
        let count = validate_lines(&report, "report", &declass(&joined(&inputs, args), None));
        assert!(count > inputs.len(), "report {args:?}: records for every input and the summary");
    }

    let plan = validator(&registry, "plan.json");
    let dates = ["diff", "--format", "json", "--as-of", "2010-01-01", "--against-date", "2030-01-01"];
    assert!(validate_lines(&plan, "plan by date", &declass(&joined(&inputs, &dates), None)) > 10);
    let policies = ["diff", "--format", "json", "--as-of", "2017-12-31", "--against", foia];
    assert!(validate_lines(&plan, "plan by policy", &declass(&joined(&inputs, &policies), None)) > 1);

    // A release directory: every input once in the manifest, failures included.
    let out = dir.path("release");
    let out_arg = out.to_string_lossy().into_owned();
    let release = ["release", "--as-of", "2017-12-31", "--case", "F-2026-00001", "--out-dir", &out_arg];
    declass(&joined(&inputs, &release), None);
    let manifest = std::fs::read_to_string(out.join("manifest.jsonl")).expect("the release writes a manifest");
    let lines = validate_lines(&validator(&registry, "manifest.json"), "manifest", &manifest);
    assert!(lines > inputs.len(), "the manifest lists every input ({lines})");

    let check = validator(&registry, "check.json");
    let mut policy_dirs = vec!["policies/".to_owned()];
    let broken: PathBuf = root().join("tests/policies/broken");
    for entry in std::fs::read_dir(&broken).expect("broken policies").flatten() {
        if entry.path().extension().is_some_and(|e| e == "toml") {
            policy_dirs.push(entry.path().to_string_lossy().into_owned());
        }
    }
    for policy in &policy_dirs {
        let text = declass(&["check", "--format", "json", policy], None);
        let value: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("check {policy}: {e}: {text}"));
        validate(&check, &format!("check {policy}"), &value);
    }
    assert!(policy_dirs.len() > 20, "the broken policies are checked too");
}

#[test]
fn stream_records_validate() {
    let registry = registry();
    let dir = common::TempDir::new("schemas-stream");
    let mut stream = String::new();
    for (index, path) in documents().iter().chain(&broken_files(&dir)).enumerate() {
        if path.ends_with('/') {
            continue;
        }
        stream += &(json!({"id": index, "path": path}).to_string() + "\n");
    }
    stream += &(json!({"id": "text", "text": "UNCLASSIFIED\n\n1. (U) A short note.\n"}).to_string() + "\n");
    stream += "not JSON\n";
    stream += &(json!({"id": ["an", "array"], "text": "x"}).to_string() + "\n");
    stream += &(json!({"id": "both", "text": "x", "path": "y"}).to_string() + "\n");
    stream += &(json!({"id": "neither"}).to_string() + "\n");
    let records = stream.lines().count();
    for (command, extra) in [
        ("parse", &[][..]),
        ("report", &["--as-of", "2017-12-31"][..]),
        ("release", &["--as-of", "2017-12-31"][..]),
        ("diff", &["--as-of", "2010-01-01", "--against-date", "2030-01-01"][..]),
    ] {
        let kind = if command == "diff" { "plan" } else { command };
        let schema = validator(&registry, &format!("stream.json#/$defs/{kind}_stream"));
        let args = [&[command, "--input-format", "jsonl"][..], extra, &["-"]].concat();
        let count = validate_lines(&schema, command, &declass(&args, Some(&stream)));
        assert_eq!(count, records, "{command}: one record per input record");
    }
}

/// The schemas are not so loose that anything passes.
#[test]
fn the_schemas_reject_wrong_records() {
    let registry = registry();
    let report = validator(&registry, "report.json");
    let text =
        declass(&["report", "--format", "json", "--as-of", "2017-12-31", "examples/documents/08PARIS1234.txt"], None);
    let good: Value = serde_json::from_str(text.lines().next().expect("a record")).expect("JSON");
    assert!(report.is_valid(&good), "the real record is valid");
    let mut wrong = Vec::new();
    let mut without_version = good.clone();
    without_version.as_object_mut().expect("an object").remove("schema_version");
    wrong.push(("no schema_version", without_version));
    let mut other_version = good.clone();
    other_version["schema_version"] = json!(2);
    wrong.push(("another schema_version", other_version));
    let mut outcome = good.clone();
    outcome["outcome"] = json!("release_mostly");
    wrong.push(("an unknown outcome", outcome));
    let mut extra = good.clone();
    extra["colour"] = json!("red");
    wrong.push(("an unknown key", extra));
    let mut date = good;
    date["as_of"] = json!("31/12/2017");
    wrong.push(("a date not written YYYY-MM-DD", date));
    for (why, value) in wrong {
        assert!(!report.is_valid(&value), "a record with {why} is rejected");
    }
    let stream = validator(&registry, "stream.json#/$defs/report_stream");
    assert!(!stream.is_valid(&json!({"schema_version": 1, "id": "a"})), "a stream record has a body");
    assert!(!stream.is_valid(&json!({"schema_version": 1, "id": 7, "error": {}})), "ids are strings");
}

/// The whole corpus: every parse and report record validates.
#[test]
fn outputs_of_the_corpus_validate() {
    let Some(dir) = common::corpus_dir() else { return };
    let registry = registry();
    let raw = dir.join("raw").to_string_lossy().into_owned();
    let files = common::corpus_files(&dir).len();
    let parse = validator(&registry, "parse.json");
    let count = validate_lines(&parse, "corpus parse", &declass(&["parse", "--format", "json", &raw], None));
    assert!(count + 10 >= files, "parse: {count} records for {files} cables");
    let report = validator(&registry, "report.json");
    let count = validate_lines(
        &report,
        "corpus report",
        &declass(&["report", "--format", "json", "--as-of", "2010-11-28", &raw], None),
    );
    assert!(count + 10 >= files, "report: {count} records for {files} cables");
}

/// The schema's list of diagnostic codes is the codes `declass check` has, no more, no fewer.
#[test]
fn the_check_schema_lists_every_code() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("src/render/schemas/check.json")).expect("check.json"),
    )
    .expect("check.json is JSON");
    let listed: Vec<&str> = schema["$defs"]["diagnostic"]["properties"]["code"]["enum"]
        .as_array()
        .expect("the code has an enum")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let codes: Vec<String> = declass::policy::Code::ALL.iter().map(|c| c.name()).collect();
    assert_eq!(listed, codes, "src/render/schemas/check.json lists other codes than `declass check --explain all`");
}
