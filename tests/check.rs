//! `declass check` and `declass fmt` on policy files: a folder of broken policies (one defect
//! each) with their full expected output as golden files in text, JSON and SARIF; the shipped
//! policies, their tests and their coverage; and the SARIF structure.
//! `UPDATE_GOLDEN=1 cargo test --test check` rewrites the golden files (never under `CI`).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn declass(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_declass"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

fn broken_policies() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/policies/broken");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/policies/broken exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

/// Compares `actual` with the golden file, or rewrites it when blessing; returns a mismatch.
fn golden(path: &Path, actual: &str, bless: bool) -> Option<String> {
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if expected == actual {
        return None;
    }
    if bless {
        std::fs::write(path, actual).expect("golden file can be written");
        return None;
    }
    let diff = similar::TextDiff::from_lines(expected.as_str(), actual)
        .unified_diff()
        .header("expected", "actual")
        .to_string();
    Some(format!("{} differs:\n{diff}", path.display()))
}

/// The code a broken policy is named after (`p004-unknown-level.toml` → `P004`).
fn intended_code(path: &Path) -> String {
    path.file_name().and_then(|n| n.to_str()).and_then(|n| n.get(..4)).unwrap_or("").to_ascii_uppercase()
}

#[test]
fn broken_policies_give_their_diagnostic_in_every_format() {
    let bless = std::env::var_os("UPDATE_GOLDEN").is_some() && std::env::var_os("CI").is_none();
    let files = broken_policies();
    let mut problems = Vec::new();
    let mut codes = BTreeSet::new();
    for file in &files {
        let rel = file.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(file).to_string_lossy().replace('\\', "/");
        let text = declass(&["check", "--deny-warnings", &rel]);
        if text.status.code() != Some(1) {
            problems.push(format!("{rel}: exit status {:?}, expected 1", text.status.code()));
        }
        let stderr = String::from_utf8_lossy(&text.stderr);
        problems.extend(golden(&file.with_extension("stderr"), &stderr, bless));
        let json_out = declass(&["check", "--format", "json", &rel]);
        let json_text = String::from_utf8_lossy(&json_out.stdout).into_owned();
        problems.extend(golden(&file.with_extension("json"), &json_text, bless));
        let sarif_out = declass(&["check", "--format", "sarif", &rel]);
        let sarif_text = String::from_utf8_lossy(&sarif_out.stdout).into_owned();
        problems.extend(golden(&file.with_extension("sarif"), &sarif_text, bless));

        let json: Value = serde_json::from_str(&json_text).expect("check --format json prints JSON");
        let found: Vec<String> = json["policies"][0]["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|d| d["code"].as_str().map(str::to_owned))
            .collect();
        let intended = intended_code(file);
        if !found.contains(&intended) {
            problems.push(format!("{rel}: expected a {intended} diagnostic, got {found:?}"));
        }
        codes.insert(intended);
        if let Err(problem) = valid_sarif(&serde_json::from_str(&sarif_text).expect("check --format sarif prints JSON"))
        {
            problems.push(format!("{rel}: invalid SARIF: {problem}"));
        }
    }
    assert!(codes.len() >= 20, "at least 20 kinds of defect, found {}", codes.len());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Checks the SARIF 2.1.0 structure code-scanning tools rely on.
fn valid_sarif(log: &Value) -> Result<(), String> {
    if log["version"] != "2.1.0" {
        return Err("version is not 2.1.0".to_owned());
    }
    let runs = log["runs"].as_array().ok_or("no runs array")?;
    let [run] = runs.as_slice() else { return Err("not exactly one run".to_owned()) };
    let driver = &run["tool"]["driver"];
    if driver["name"] != "declass" {
        return Err("tool.driver.name is not declass".to_owned());
    }
    let rule_ids: Vec<&str> =
        driver["rules"].as_array().ok_or("no rules")?.iter().filter_map(|r| r["id"].as_str()).collect();
    let results = run["results"].as_array().ok_or("no results array")?;
    if results.is_empty() {
        return Err("no results".to_owned());
    }
    for result in results {
        let id = result["ruleId"].as_str().ok_or("a result without ruleId")?;
        if !rule_ids.contains(&id) {
            return Err(format!("ruleId {id} is not among the driver's rules"));
        }
        if !matches!(result["level"].as_str(), Some("error" | "warning" | "note")) {
            return Err("a result with an invalid level".to_owned());
        }
        if result["message"]["text"].as_str().is_none_or(str::is_empty) {
            return Err("a result without message text".to_owned());
        }
        let location = &result["locations"][0]["physicalLocation"];
        if location["artifactLocation"]["uri"].as_str().is_none_or(str::is_empty) {
            return Err("a location without uri".to_owned());
        }
        let region = &location["region"];
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            if region[key].as_u64().is_none_or(|v| v == 0) {
                return Err(format!("region.{key} is not a positive integer"));
            }
        }
    }
    Ok(())
}

#[test]
fn shipped_policies_pass_with_full_coverage() {
    let output = declass(&["check", "--deny-warnings", "--min-coverage", "100", "policies/"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("checked 3 policy file(s): 0 error(s), 0 warning(s), 0 of 15 policy test(s) failed"),
        "{stdout}"
    );
    for line in stdout.lines().filter(|l| l.starts_with("policies/")) {
        assert!(line.contains("coverage 100%"), "{line}");
    }
}

#[test]
fn coverage_below_the_minimum_fails() {
    let output = declass(&["check", "--min-coverage", "90", "tests/policies/broken/p108-untested-rule.toml"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr)
        .contains("tests/policies/broken/p108-untested-rule.toml: error: the tests exercise 50% of the rules, below --min-coverage 90"));
}

#[test]
fn github_annotations_name_file_line_and_code() {
    let output = declass(&["check", "--format", "github", "tests/policies/broken/p004-unknown-level.toml"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "::error file=tests/policies/broken/p004-unknown-level.toml,line=7,col=19,endLine=7,endColumn=27,title=P004::unknown level `SECRET`%0Adid you mean `S` (SECRET)?\n"
    );
}

#[test]
fn every_code_can_be_explained() {
    let output = declass(&["check", "--explain", "P016"]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("P016 (error): rule can never fire\n  why: "), "{text}");
    let all = declass(&["check", "--explain", "all"]);
    assert_eq!(String::from_utf8_lossy(&all.stdout).matches("\n  why: ").count(), declass::policy::Code::ALL.len());
    assert_eq!(declass(&["check", "--explain", "P999"]).status.code(), Some(2));
}

#[test]
fn an_unreadable_policy_means_the_check_could_not_run() {
    let output = declass(&["check", "no-such-policy.toml"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "no-such-policy.toml: error: cannot read the policy: no such file or directory\n"
    );
}

#[test]
fn fmt_orders_keys_keeps_comments_and_is_idempotent() {
    let dir = common::TempDir::new("fmt");
    let path = dir.path("policy.toml");
    std::fs::write(
        &path,
        "version = \"1\"\n# The policy's name.\nname = \"p\"\n\n[[rule]]\noutcome = \"release\"\n# Why it exists.\nid = \"r\"\nwhen = { lapsed = true, level = [\"C\"] }\n\n\n",
    )
    .expect("write");
    let name = path.display().to_string();
    assert_eq!(declass(&["fmt", "--check", &name]).status.code(), Some(1));
    assert_eq!(declass(&["fmt", &name]).status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        "# The policy's name.\nname = \"p\"\nversion = \"1\"\n\n[[rule]]\n# Why it exists.\nid = \"r\"\nwhen = { level = [\"C\"], lapsed = true }\noutcome = \"release\"\n"
    );
    assert_eq!(declass(&["fmt", "--check", &name]).status.code(), Some(0));
    assert_eq!(declass(&["fmt", "--check", "policies/"]).status.code(), Some(0), "the shipped policies are formatted");
}

#[test]
fn the_diagnostics_page_matches_the_codes() {
    let page = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md"))
        .expect("docs/diagnostics.md");
    let explained = String::from_utf8_lossy(&declass(&["check", "--explain", "all"]).stdout).into_owned();
    assert!(
        page.contains(&explained),
        "docs/diagnostics.md is out of date: regenerate it from `declass check --explain all`"
    );
}

#[test]
fn the_readme_lists_every_condition() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).expect("README.md");
    let start = "<!-- conditions: generated from src/policy/condition/, kept equal by a test -->\n";
    let end = "<!-- end of conditions -->";
    let listed = readme.split_once(start).and_then(|(_, rest)| rest.split_once(end)).map(|(table, _)| table);
    assert_eq!(
        listed,
        Some(declass::policy::condition::documentation_table().as_str()),
        "README.md's table of conditions is out of date: paste `declass::policy::condition::documentation_table()` between its markers"
    );
}
