//! declass as the map step of Spark: `examples/spark/report.py` pipes the partitions of a slice
//! of the shared corpus through `declass report --input-format jsonl -` (`RDD.pipe`, `local[2]`)
//! and must write, per file, exactly the record a plain `declass report --format json` run over
//! the same files writes: the same report (or error) object, one per file, sorted by id.
//!
//! Needs the corpus, a Python that imports `pyspark` (`DECLASS_PYTHON`, default `python3`) and
//! a Java runtime (`JAVA_HOME`, or `java` on PATH). Where one is absent the test says which and
//! skips; when `CI` is set an absent prerequisite is a failure.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Instant;

use common::TempDir;
use serde_json::Value;

const AS_OF: &str = "2017-12-31";

/// At most this many cables from each source directory of the corpus, evenly spaced: about 300
/// in all, and every cable of the two small sources.
const PER_SOURCE: usize = 260;

/// Says why the test cannot run: a skip outside CI, a failure in CI.
fn absent(why: &str) {
    assert!(
        std::env::var_os("CI").is_none(),
        "{why}, and CI is set: the Spark test must run in CI (set DECLASS_PYTHON to a Python with pyspark)"
    );
    eprintln!("note: Spark test skipped: {why}");
}

/// The Python that imports `pyspark`, with a Java runtime beside it, or why there is none.
fn spark_python() -> Result<String, String> {
    let python = std::env::var("DECLASS_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let probe =
        Command::new(&python).args(["-c", "import pyspark"]).stdout(Stdio::null()).stderr(Stdio::null()).status();
    match probe {
        Ok(status) if status.success() => {}
        Ok(_) => return Err(format!("`{python}` cannot import pyspark (set DECLASS_PYTHON)")),
        Err(e) => return Err(format!("`{python}` does not run ({e}; set DECLASS_PYTHON)")),
    }
    let java =
        std::env::var_os("JAVA_HOME").map_or_else(|| PathBuf::from("java"), |home| Path::new(&home).join("bin/java"));
    match Command::new(&java).arg("-version").stdout(Stdio::null()).stderr(Stdio::null()).status() {
        Ok(status) if status.success() => Ok(python),
        Ok(_) => Err(format!("`{} -version` fails: Spark needs a Java runtime", java.display())),
        Err(e) => Err(format!("no Java runtime for Spark (`{}`: {e})", java.display())),
    }
}

/// The slice of the corpus: up to `PER_SOURCE` evenly spaced cables of each directory.
fn slice(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut by_dir: BTreeMap<&Path, Vec<&Path>> = BTreeMap::new();
    for file in files {
        by_dir.entry(file.parent().unwrap_or(Path::new(""))).or_default().push(file.as_path());
    }
    let mut chosen = Vec::new();
    for group in by_dir.values() {
        let step = group.len().div_ceil(PER_SOURCE);
        chosen.extend(group.iter().copied().step_by(step).map(Path::to_path_buf));
    }
    chosen
}

/// Copies the slice, the project's fixtures and a few hard files into `dir`; returns how many
/// files it wrote.
fn lay_out(corpus: &Path, dir: &Path) -> usize {
    let mut count = 0;
    let mut put = |relative: &str, bytes: &[u8]| {
        let path = dir.join(relative);
        std::fs::create_dir_all(path.parent().expect("a file has a parent")).expect("directory can be created");
        std::fs::write(&path, bytes).expect("file can be written");
        count += 1;
    };
    for file in slice(&common::corpus_files(corpus)) {
        put(&common::relative(corpus, &file), &std::fs::read(&file).expect("corpus cable is readable"));
    }
    // The fictional fixtures: CR and CRLF line ends, line separators, pilcrows, hostile ids.
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut cases: Vec<PathBuf> =
        std::fs::read_dir(&fixtures).expect("fixtures").flatten().map(|entry| entry.path()).collect();
    cases.sort();
    for case in cases {
        let input = case.join("input.txt");
        if let (Ok(bytes), Some(name)) = (std::fs::read(&input), case.file_name()) {
            put(&format!("fixtures/{}.txt", name.to_string_lossy()), &bytes);
        }
    }
    // What the script must hand over unchanged or turn into the same error records: a file that
    // is not UTF-8, one with a NUL byte, an empty one (Spark's reader skips those), a byte order
    // mark, and a name with spaces and accents.
    put("edge/latin-1.txt", b"SECRET\n\nE.O. 12958: DECL: 01/01/2015\n\n1. (S) Caf\xe9 text.\n");
    put("edge/nul.txt", b"SECRET\n\n1. (S) A\x00B.\n");
    put("edge/empty.txt", b"");
    put("edge/bom.txt", b"\xef\xbb\xbfCONFIDENTIAL\n\nE.O. 12958: DECL: 01/01/2030\n\n1. (C) Text.\n");
    put("edge/sub dir/café ¶ name.txt", b"UNCLASSIFIED\n\n1. (U) Text \xc2\xb6 with a pilcrow.\n");
    count
}

fn run(command: &mut Command) -> Output {
    command.stdin(Stdio::null()).output().expect("the command runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn object(line: &str) -> serde_json::Map<String, Value> {
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(line) else { panic!("not a JSON object: {line}") };
    map
}

/// The records of a plain `report --format json` run over `.`, by path without `./`: the
/// report (with its path set to that id, without `schema_version`) or the error (its `input`
/// set to the id). Also the summary's document and failure counts.
fn plain_records(stdout: &str) -> (BTreeMap<String, (&'static str, Value)>, u64) {
    let mut records = BTreeMap::new();
    let mut summarised = None;
    for line in stdout.lines() {
        let mut record = object(line);
        assert_eq!(record.remove("schema_version"), Some(Value::from(1)), "{line}");
        if let Some(summary) = record.get("summary") {
            let count = |key: &str| summary[key].as_u64().expect("summary counts are numbers");
            summarised = Some(count("documents") + count("failed"));
            continue;
        }
        let (kind, key) = if record.contains_key("error") { ("error", "input") } else { ("report", "path") };
        let mut value = if kind == "error" { record.remove("error").expect("error") } else { Value::Object(record) };
        let path = value[key].as_str().expect("a path").to_owned();
        let id = path.strip_prefix("./").unwrap_or(&path).to_owned();
        value[key] = Value::from(id.clone());
        assert!(records.insert(id, (kind, value)).is_none(), "two records for {path}");
    }
    (records, summarised.expect("the plain run ends with a summary"))
}

/// The records the script wrote, by id; they must be sorted by id, one per id.
fn spark_records(output: &str) -> BTreeMap<String, (&'static str, Value)> {
    let mut records = BTreeMap::new();
    let mut previous: Option<String> = None;
    for line in output.lines() {
        let mut record = object(line);
        assert_eq!(record.remove("schema_version"), Some(Value::from(1)), "{line}");
        let id =
            record.remove("id").and_then(|id| id.as_str().map(str::to_owned)).expect("every record has a string id");
        assert!(previous.as_ref().is_none_or(|p| *p < id), "records out of order or repeated at {id}");
        previous = Some(id.clone());
        let (kind, value) = match (record.remove("report"), record.remove("error")) {
            (Some(report), None) => ("report", report),
            (None, Some(error)) => ("error", error),
            _ => panic!("a record has either a report or an error: {line}"),
        };
        assert!(record.is_empty(), "unexpected keys in {line}");
        records.insert(id, (kind, value));
    }
    records
}

fn shorten(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= 600 { text } else { format!("{}…", text.chars().take(600).collect::<String>()) }
}

#[test]
fn the_spark_map_step_writes_the_records_of_a_plain_run() {
    let Some(corpus) = common::corpus_dir() else { return };
    let python = match spark_python() {
        Ok(python) => python,
        Err(why) => {
            absent(&why);
            return;
        }
    };
    let root = TempDir::new("spark");
    let cables = root.path("cables");
    let files = lay_out(&corpus, &cables);
    let policy = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/foia.toml");
    let policy = policy.to_str().expect("the package path is UTF-8");

    let plain = run(Command::new(env!("CARGO_BIN_EXE_declass"))
        .args(["report", "--format", "json", "--as-of", AS_OF, "--policy", policy, "."])
        .current_dir(&cables));
    // 2: some files (not UTF-8, a NUL byte) cannot be read; the rest are reported.
    assert!(matches!(plain.status.code(), Some(0 | 2)), "plain run failed:\n{}", text(&plain.stderr));
    let (expected, summarised) = plain_records(&text(&plain.stdout));

    let out = root.path("spark.jsonl");
    let started = Instant::now();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/spark/report.py");
    let spark = run(Command::new(&python)
        .arg(&script)
        .arg(&cables)
        .args(["--declass", env!("CARGO_BIN_EXE_declass"), "--as-of", AS_OF, "--policy", policy])
        .args(["--master", "local[2]", "--partitions", "2", "--output"])
        .arg(&out)
        .current_dir(env!("CARGO_MANIFEST_DIR")));
    let spark_log = text(&spark.stderr);
    assert!(spark.status.success(), "the Spark job failed ({}):\n{spark_log}", spark.status);
    eprintln!("Spark job over {files} files in {:.1} s:\n{spark_log}", started.elapsed().as_secs_f64());
    let actual = spark_records(&std::fs::read_to_string(&out).expect("the script wrote its output"));

    assert_eq!(expected.len(), files, "the plain run has one record per file");
    assert_eq!(summarised, u64::try_from(files).expect("count"), "the plain run's summary counts every file");
    assert_eq!(actual.len(), files, "the Spark job has one record per file");
    let only_plain: Vec<&String> = expected.keys().filter(|id| !actual.contains_key(*id)).collect();
    let only_spark: Vec<&String> = actual.keys().filter(|id| !expected.contains_key(*id)).collect();
    assert!(
        only_plain.is_empty() && only_spark.is_empty(),
        "ids differ: only plain {only_plain:?}, only Spark {only_spark:?}"
    );
    let mut differ = Vec::new();
    for (id, (kind, value)) in &expected {
        let (spark_kind, spark_value) = &actual[id];
        if kind != spark_kind || value != spark_value {
            differ.push(format!(
                "{id}:\n  plain {kind} {}\n  Spark {spark_kind} {}",
                shorten(value),
                shorten(spark_value)
            ));
        }
    }
    assert!(
        differ.is_empty(),
        "{} of {files} records differ; the first:\n{}",
        differ.len(),
        differ[..differ.len().min(3)].join("\n")
    );
    let errors = expected.values().filter(|(kind, _)| *kind == "error").count();
    assert_eq!(errors, 2, "the file that is not UTF-8 and the one with a NUL byte are errors in both runs");
}
