//! declass as a step of a larger pipeline: exit statuses a script can trust (a full disk,
//! `--fail-on`), worker counts, input size limits, JSON Lines streams (one record out per
//! record in, in order, an error record for a broken one) and bounded memory on long streams.

mod common;

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn declass_command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_declass"));
    command.args(args).current_dir(env!("CARGO_MANIFEST_DIR")).env_remove("NO_COLOR");
    command
}

fn declass(args: &[&str]) -> Output {
    declass_command(args).output().expect("the binary runs")
}

/// Runs declass with `input` on standard input.
fn declass_with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = declass_command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        // A run that stops reading early closes the pipe; that is its answer, not ours.
        let _ = stdin.write_all(&input);
    });
    let output = child.wait_with_output().expect("the binary finishes");
    writer.join().expect("the writer finishes");
    output
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines().map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"))).collect()
}

/// A JSON Lines record naming a file.
fn path_record(id: &str, path: &Path) -> String {
    serde_json::json!({"id": id, "path": path}).to_string() + "\n"
}

/// Every command that writes to standard output fails (exit 2, with the reason) when the
/// output cannot be written, so that `declass … > out && publish out` never publishes an
/// empty file.
#[test]
fn every_writing_command_fails_on_a_full_disk() {
    if !Path::new("/dev/full").exists() {
        eprintln!("skipped: this system has no /dev/full");
        return;
    }
    let commands: &[&[&str]] = &[
        &["parse", "examples/documents/"],
        &["parse", "--format", "json", "examples/documents/"],
        &["report", "examples/documents/"],
        &["report", "--format", "json", "examples/documents/"],
        &["release", "examples/documents/08PARIS1234.txt"],
        &["review", "--html", "-", "examples/documents/"],
        &["diff", "--as-of", "2017-12-31", "examples/documents/08PARIS1234.txt"],
        &["diff", "--as-of", "2017-12-31", "--against-date", "2030-01-01", "--format", "json", "examples/documents/"],
        &["check", "policies/"],
        &["check", "--format", "json", "policies/"],
        &["check", "--explain", "all"],
        &["policy", "show"],
        &["completions", "bash"],
        &["man"],
    ];
    for args in commands {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full opens");
        let output = declass_command(args).stdout(full).output().expect("the binary runs");
        assert_eq!(code(&output), 2, "declass {args:?} > /dev/full exits 2; stderr: {}", stderr(&output));
        assert!(
            stderr(&output).contains("error: cannot write the output: no space left on device"),
            "declass {args:?} says why: {}",
            stderr(&output)
        );
    }
}

/// `-j 0` means all cores; a count far beyond the cores or the inputs is clamped, not obeyed
/// (no panic, no thousands of threads); the output is the same whatever the count.
#[test]
fn worker_counts_are_clamped_and_change_no_output() {
    let one = declass(&["report", "--format", "json", "-j", "1", "examples/documents/"]);
    assert_eq!(code(&one), 0, "{}", stderr(&one));
    for jobs in ["0", "2", "100000"] {
        let many = declass(&["report", "--format", "json", "-j", jobs, "examples/documents/"]);
        assert_eq!(code(&many), 0, "-j {jobs}: {}", stderr(&many));
        assert_eq!(stdout(&many), stdout(&one), "-j {jobs} prints what -j 1 prints");
    }
}

/// Inputs and policies over the size limit are refused with a clear error before they are
/// read whole; a device that never ends (`/dev/zero`) is read only up to the limit.
#[test]
fn inputs_over_the_size_limit_are_refused() {
    let small = declass(&[
        "report",
        "--max-input-size",
        "1K",
        "examples/documents/08PARIS1234.txt",
        "examples/documents/85TEHRAN0101.txt",
    ]);
    assert_eq!(code(&small), 2);
    assert_eq!(
        stderr(&small),
        "examples/documents/08PARIS1234.txt: error: the input is larger than the limit of 1 KiB (raise it with --max-input-size)\n"
    );
    assert!(stdout(&small).contains("85TEHRAN0101"), "the run goes on with the inputs under the limit");

    if Path::new("/dev/zero").exists() {
        let policy = declass(&["report", "--policy", "/dev/zero", "examples/documents/"]);
        assert_eq!(code(&policy), 2);
        assert!(
            stderr(&policy)
                .contains("/dev/zero: error: cannot read the policy: the input is larger than the limit of 64 MiB"),
            "{}",
            stderr(&policy)
        );
        let zero = std::fs::File::open("/dev/zero").expect("/dev/zero opens");
        let document =
            declass_command(&["parse", "--max-input-size", "1MiB", "-"]).stdin(zero).output().expect("the binary runs");
        assert_eq!(code(&document), 2);
        assert!(stderr(&document).contains("<stdin>: error: the input is larger than the limit of 1 MiB"));
    }

    let bad = declass(&["report", "--max-input-size", "12XB", "examples/documents/"]);
    assert_eq!(code(&bad), 2);
    assert!(stderr(&bad).contains("is not a size unit: use K, M, G (KiB, MiB, GiB) or KB, MB, GB"), "{}", stderr(&bad));
}

/// `--fail-on review` and `--fail-on redact` let a CI job fail on what the report finds.
#[test]
fn fail_on_turns_findings_into_exit_1() {
    let needs_review = "tests/fixtures/decl-event/input.txt";
    let plain = declass(&["report", needs_review]);
    assert_eq!(code(&plain), 0, "a report alone succeeds whatever it finds");
    assert!(stdout(&plain).contains("REVIEW"), "{}", stdout(&plain));
    assert_eq!(code(&declass(&["report", "--fail-on", "review", needs_review])), 1);
    assert_eq!(code(&declass(&["release", "--fail-on", "review", needs_review])), 1);

    let redacts = ["--as-of", "2017-12-31", "examples/documents/08PARIS1234.txt"];
    assert_eq!(code(&declass(&[&["report", "--fail-on", "review"], &redacts[..]].concat())), 0);
    assert_eq!(code(&declass(&[&["report", "--fail-on", "redact"], &redacts[..]].concat())), 1);
    let released = ["--as-of", "2030-01-01", "examples/documents/85TEHRAN0101.txt"];
    assert_eq!(code(&declass(&[&["report", "--fail-on", "redact"], &released[..]].concat())), 0);
}

/// A stream gives exactly one record per input record, in input order, with its id; a
/// record that cannot be read or parsed becomes an error record, and the others go on.
#[test]
fn a_stream_gives_one_record_per_input_in_order() {
    let mut stream = String::new();
    stream += &path_record("paris", Path::new("examples/documents/08PARIS1234.txt"));
    stream += &(serde_json::json!({"id": 7, "text": "UNCLASSIFIED\n\n1. (U) A short note.\n"}).to_string() + "\n");
    stream += "this line is not JSON\n";
    stream += &path_record("missing", Path::new("examples/documents/no-such-cable.txt"));
    stream += &(serde_json::json!({"id": "extra", "text": "x", "colour": "red"}).to_string() + "\n");
    stream += &(serde_json::json!({"id": "binary", "text": "UNCLASSIFIED\n\u{0}\u{1}\u{2}"}).to_string() + "\n");
    stream += &path_record("lima", Path::new("examples/documents/07LIMA0456.txt"));

    for (command, key) in [("parse", "parse"), ("report", "report"), ("release", "release"), ("diff", "plan")] {
        // Parsing needs no date; the other commands decide as of one; the plan compares two.
        let args: &[&str] = match command {
            "parse" => &[],
            "diff" => &["--as-of", "2017-12-31", "--against-date", "2030-01-01"],
            _ => &["--as-of", "2017-12-31"],
        };
        let args = [&[command, "--input-format", "jsonl"][..], args, &["-"]].concat();
        let output = declass_with_stdin(&args, stream.as_bytes());
        let records = json_lines(&stdout(&output));
        assert_eq!(records.len(), 7, "{command}: one record per input line:\n{}", stdout(&output));
        for record in &records {
            assert_eq!(record["schema_version"], 1, "{command}: {record}");
        }
        let ids: Vec<&Value> = records.iter().map(|r| &r["id"]).collect();
        assert_eq!(ids[0], "paris");
        assert_eq!(ids[1], "7", "{command}: a numeric id comes back as a string");
        assert_eq!(ids[2], &Value::Null, "{command}: a line that is not a record has no id");
        assert_eq!(&ids[3..], ["missing", "extra", "binary", "lima"], "{command}");
        for ok in [0, 1, 6] {
            assert!(records[ok].get(key).is_some(), "{command}: record {ok} has `{key}`: {}", records[ok]);
        }
        for (broken, why) in [(2, "not a record"), (3, "no such file"), (4, "colour"), (5, "binary")] {
            let message = records[broken]["error"]["message"].as_str().unwrap_or_default();
            assert!(message.contains(why), "{command}: record {broken} says `{why}`: {}", records[broken]);
        }
        // The stream itself carries the failures; the exit status says the run worked (and,
        // for the plan as always, that something changes).
        let expected = i32::from(command == "diff");
        assert_eq!(code(&output), expected, "{command}: {}", stderr(&output));
    }

    // A record's report is the report of the same file given as a path.
    let streamed =
        declass_with_stdin(&["report", "--input-format", "jsonl", "--as-of", "2017-12-31", "-"], stream.as_bytes());
    let plain = declass(&["report", "--format", "json", "--as-of", "2017-12-31", "examples/documents/08PARIS1234.txt"]);
    let mut plain_record = json_lines(&stdout(&plain)).remove(0);
    let streamed_record = json_lines(&stdout(&streamed)).remove(0);
    plain_record.as_object_mut().expect("an object").remove("schema_version");
    assert_eq!(streamed_record["report"], plain_record);

    let release =
        declass_with_stdin(&["release", "--input-format", "jsonl", "--as-of", "2017-12-31", "-"], stream.as_bytes());
    let text = &json_lines(&stdout(&release))[0]["release"]["text"];
    let direct = declass(&["release", "--as-of", "2017-12-31", "examples/documents/08PARIS1234.txt"]);
    assert_eq!(text.as_str(), Some(stdout(&direct).as_str()), "the release record holds the release text");
}

/// Streams are JSON: text output and a directory of files are refused with a reason.
#[test]
fn a_stream_refuses_what_it_cannot_give() {
    let text = declass_with_stdin(&["report", "--input-format", "jsonl", "--format", "text", "-"], b"");
    assert_eq!(code(&text), 2);
    assert!(!stderr(&text).is_empty());
    let out_dir = declass_with_stdin(&["release", "--input-format", "jsonl", "--out-dir", "target/never", "-"], b"");
    assert_eq!(code(&out_dir), 2);
    assert!(!stderr(&out_dir).is_empty());
    let two_stdins = declass(&["report", "-", "-"]);
    assert_eq!(code(&two_stdins), 2);
    assert!(stderr(&two_stdins).contains('-'), "{}", stderr(&two_stdins));
}

/// The whole corpus as one stream, with a broken record in the middle: one record per input,
/// in order, each the same report as the plain run's.
#[test]
fn the_corpus_streams_one_record_per_cable() {
    let Some(dir) = common::corpus_dir() else { return };
    let files = common::corpus_files(&dir);
    let broken_at = files.len() / 2;
    let mut stream = String::new();
    let mut expected_ids = Vec::new();
    for (index, file) in files.iter().enumerate() {
        if index == broken_at {
            stream += "{\"id\": \"broken\", \"text\": \n";
            expected_ids.push("broken".to_owned());
        }
        let id = common::relative(&dir, file);
        stream += &path_record(&id, file);
        expected_ids.push(id);
    }
    let output =
        declass_with_stdin(&["report", "--input-format", "jsonl", "--as-of", "2010-11-28", "-"], stream.as_bytes());
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let records = json_lines(&stdout(&output));
    assert_eq!(records.len(), files.len() + 1, "one record per input line");
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap_or("<none>")).collect();
    // The broken line is not JSON, so its id is unknown; everything else keeps its place.
    assert_eq!(ids[broken_at], "<none>");
    assert!(records[broken_at]["error"]["message"].is_string(), "{}", records[broken_at]);
    for (index, (id, expected)) in ids.iter().zip(&expected_ids).enumerate() {
        if index != broken_at {
            assert_eq!(id, expected, "record {index} is in input order");
        }
    }
    let errors = records.iter().filter(|r| r.get("error").is_some()).count();
    assert_eq!(errors, 1, "only the broken record fails");

    let plain = declass(&["report", "--format", "json", "--as-of", "2010-11-28", &dir.join("raw").to_string_lossy()]);
    let plain_records = json_lines(&stdout(&plain));
    let by_path: std::collections::HashMap<String, &Value> =
        plain_records.iter().filter_map(|r| Some((r["path"].as_str()?.to_owned(), r))).collect();
    let mut compared = 0;
    for record in records.iter().filter(|r| r.get("report").is_some()) {
        let report = &record["report"];
        let Some(path) = report["path"].as_str() else { continue };
        if let Some(plain) = by_path.get(path) {
            let mut plain = (*plain).clone();
            plain.as_object_mut().expect("an object").remove("schema_version");
            assert_eq!(report, &plain, "{path}: a streamed report is the plain one");
            compared += 1;
        }
    }
    assert!(compared + 10 >= files.len(), "compared {compared} of {} reports", files.len());
}

/// Memory is bounded by the largest record, not by the length of the stream: the peak
/// resident size of a 5,000-record stream is within 2× of a 50-record one.
#[test]
fn a_long_stream_runs_in_bounded_memory() {
    let Some(dir) = common::corpus_dir() else { return };
    if !Path::new("/usr/bin/time").exists() {
        assert!(std::env::var_os("CI").is_none(), "CI must have GNU time (/usr/bin/time) to measure peak memory");
        eprintln!("skipped: no /usr/bin/time to measure peak memory");
        return;
    }
    let files = common::corpus_files(&dir);
    let texts: Vec<String> = files
        .iter()
        .take(200)
        .map(|f| String::from_utf8_lossy(&std::fs::read(f).expect("readable")).into_owned())
        .collect();
    let peak_kib = |records: usize| -> u64 {
        let mut stream = String::new();
        for index in 0..records {
            stream += &(serde_json::json!({"id": index, "text": texts[index % texts.len()]}).to_string() + "\n");
        }
        let mut child = Command::new("/usr/bin/time")
            .args([
                "-f",
                "peak-kib %M",
                env!("CARGO_BIN_EXE_declass"),
                "release",
                "--input-format",
                "jsonl",
                "-j",
                "1",
                "-",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("time runs");
        let mut stdin = child.stdin.take().expect("stdin is piped");
        let writer = std::thread::spawn(move || stdin.write_all(stream.as_bytes()));
        let output = child.wait_with_output().expect("declass finishes");
        writer.join().expect("the writer finishes").expect("the stream is written");
        assert!(output.status.success(), "{}", stderr(&output));
        assert_eq!(stdout(&output).lines().count(), records);
        let err = stderr(&output);
        let peak = err.lines().find_map(|l| l.strip_prefix("peak-kib ")).unwrap_or_else(|| panic!("no peak in {err}"));
        peak.trim().parse().expect("a number of KiB")
    };
    let short = peak_kib(50);
    let long = peak_kib(5_000);
    eprintln!("peak resident size: 50 records {short} KiB, 5,000 records {long} KiB");
    assert!(long <= 2 * short, "5,000 records peak at {long} KiB, more than twice the {short} KiB of 50");
}

/// Conventions of a command-line tool: completions, a manual page, the embedded policy.
#[test]
fn completions_manual_and_the_embedded_policy() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let output = declass(&["completions", shell]);
        assert_eq!(code(&output), 0, "{shell}");
        let script = stdout(&output);
        assert!(script.contains("declass") && script.contains("max-input-size"), "{shell} completes the options");
    }
    let man = declass(&["man"]);
    assert_eq!(code(&man), 0);
    assert!(stdout(&man).starts_with(".ie") || stdout(&man).contains(".TH declass 1"), "{}", stdout(&man));
    let report_page = declass(&["man", "report"]);
    assert!(stdout(&report_page).contains(".TH declass-report 1"));
    assert!(stdout(&report_page).contains("fail\\-on"), "the page lists the command's options");
    let unknown = declass(&["man", "nonsense"]);
    assert_eq!(code(&unknown), 2);
    assert!(stderr(&unknown).contains("no command `nonsense`"));

    let policy = declass(&["policy", "show"]);
    assert_eq!(code(&policy), 0);
    let shown = stdout(&policy);
    let file = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/default.toml"))
        .expect("the default policy is in the repository");
    assert_eq!(shown, file, "`policy show` prints the embedded default policy");
}

/// A document whose report line would be large is written as it is serialized, not held
/// whole: the line is the one the library makes whole, and a full disk still fails the run.
#[test]
fn a_large_report_is_written_as_it_is_serialized() {
    let mut text = String::from("C O N F I D E N T I A L STATE 000001\n\nE.O. 12958: DECL: 01/01/2030\n\n");
    for round in 0..3000 {
        // Paragraph numbers have three digits at most.
        let number = round % 999 + 1;
        let _ = write!(text, "{number}. (C) The committee met on the harbour works, round {round}.\n\n");
    }
    let doc = declass::parse::parse_str(text.clone()).expect("parses");
    assert!(declass::render::report::line_is_streamed(&doc), "the document is large enough to be streamed");
    let output = declass_with_stdin(&["report", "--format", "json", "--as-of", "2010-01-01", "-"], text.as_bytes());
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let out = stdout(&output);
    let first = out.lines().next().expect("a line for the document");
    let record: Value = serde_json::from_str(first).expect("the line is JSON");
    let name = record["path"].as_str().expect("the input's name");
    let policy = declass::policy::Policy::embedded_default();
    let as_of = chrono::NaiveDate::from_ymd_opt(2010, 1, 1).expect("date");
    let decisions = declass::engine::evaluate(&doc, &policy, as_of);
    let held = declass::render::record::line(&declass::render::report::to_json(name, &doc, &decisions, &policy));
    assert_eq!(format!("{first}\n"), held, "the streamed line is the line made whole");
    assert_eq!(record["portions"].as_array().map(Vec::len), Some(doc.portions.len()));

    if Path::new("/dev/full").exists() {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full opens");
        let mut child = declass_command(&["report", "--format", "json", "-"])
            .stdin(Stdio::piped())
            .stdout(full)
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        let mut stdin = child.stdin.take().expect("stdin is piped");
        let _ = stdin.write_all(text.as_bytes());
        drop(stdin);
        let output = child.wait_with_output().expect("the binary finishes");
        assert_eq!(code(&output), 2, "a full disk fails the run: {}", stderr(&output));
        assert!(stderr(&output).contains("no space left on device"), "{}", stderr(&output));
    }
}
