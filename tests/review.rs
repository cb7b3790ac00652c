//! `declass review`: the HTML view, read back as a DOM. Each portion shows the decision and
//! labels the report gives it; the release pane of every document holds no word 6-gram of a
//! redacted portion (judged on the page itself, and on the shared corpus by the independent
//! reader's paragraphs too); hostile text is escaped; pages carry their classification.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::independent::{self, words};
use scraper::{ElementRef, Html, Node, Selector};
use serde_json::Value;

const AS_OF: &str = "2010-11-28";

fn declass(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_declass")).args(args).output().expect("declass runs")
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("a valid selector")
}

fn text(element: ElementRef<'_>) -> String {
    element.text().collect()
}

/// The fictional documents and the test fixtures' inputs.
fn fixture_inputs() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = vec![root.join("examples/documents").display().to_string()];
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(root.join("tests/fixtures"))
        .expect("fixtures")
        .flatten()
        .map(|e| e.path().join("input.txt"))
        .filter(|p| p.is_file())
        .collect();
    fixtures.sort();
    paths.extend(fixtures.iter().map(|p| p.display().to_string()));
    paths
}

/// `declass report --format json` over `inputs`: per input path, its portions' decisions and
/// labels, and the highest level of its portion marks.
fn report(inputs: &[String], extra: &[&str]) -> HashMap<String, Value> {
    let mut args = vec!["report", "--format", "json", "--as-of", AS_OF, "-q"];
    args.extend(extra);
    args.extend(inputs.iter().map(String::as_str));
    let output = declass(&args);
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|v| Some((v.get("path")?.as_str()?.to_owned(), v)))
        .collect()
}

/// Renders a review of `inputs` into a fresh directory.
fn review_dir(name: &str, inputs: &[String], extra: &[&str]) -> common::TempDir {
    let dir = common::TempDir::new(name);
    let out = dir.path("review");
    let out = out.to_str().expect("UTF-8 path");
    let mut args = vec!["review", "--as-of", AS_OF, "-q", "--out-dir", out];
    args.extend(extra);
    args.extend(inputs.iter().map(String::as_str));
    let output = declass(&args);
    assert!(output.status.success(), "review fails: {}", String::from_utf8_lossy(&output.stderr));
    dir
}

/// One document's view read back: its portions' decisions, the release pane's text (but the
/// placeholders of redacted portions, each checked to be one), and the text of what it
/// redacts and of what it releases, from the original pane.
struct Page {
    input: String,
    decisions: Vec<(String, String, String)>,
    release: String,
    redacted: Vec<String>,
    released_original: String,
    banners: Vec<String>,
    /// Release panes of redacted portions that are not placeholders.
    not_placeholders: Vec<String>,
}

fn read_page(html: &Html) -> Vec<Page> {
    let portion = selector("section.portion:not(.stamp-row)");
    let tag = selector(".strip .tag");
    let labels = selector(".strip .labels");
    let release = selector(".pane.release");
    let original = selector(".pane.original");
    let banner = selector(".banner");
    let banners: Vec<String> = html.select(&banner).map(text).collect();
    html.select(&selector("article.document"))
        .map(|article| {
            let mut page = Page {
                input: article.value().attr("data-input").unwrap_or_default().to_owned(),
                decisions: Vec::new(),
                release: article.select(&selector(".stamp-row .pane.release")).map(text).collect(),
                redacted: Vec::new(),
                released_original: String::new(),
                banners: banners.clone(),
                not_placeholders: Vec::new(),
            };
            for section in article.select(&portion) {
                let decision = section.value().attr("data-decision").unwrap_or_default().to_owned();
                let shown = section.select(&tag).next().map(text).unwrap_or_default();
                let label = section.select(&labels).next().map(text).unwrap_or_default();
                let Some(original_pane) = section.select(&original).next() else { continue };
                let released = section.select(&release).next().map(text).unwrap_or_default();
                let withdrawn = section.select(&selector(".pane.release.empty")).next().is_some();
                if decision == "release" || withdrawn {
                    page.release.push('\n');
                    page.release.push_str(&released);
                } else if !common::is_placeholder(&released) {
                    page.not_placeholders.push(released);
                }
                if decision == "release" {
                    for child in original_pane.children() {
                        match child.value() {
                            Node::Text(t) => {
                                page.released_original.push_str(t);
                            }
                            Node::Element(_) => {
                                page.redacted.push(ElementRef::wrap(child).map(text).unwrap_or_default());
                                page.released_original.push('\n');
                            }
                            _ => {}
                        }
                    }
                    page.released_original.push('\n');
                } else {
                    page.redacted.push(text(original_pane));
                }
                page.decisions.push((decision, shown, label));
            }
            page
        })
        .collect()
}

/// Occurrences of whole words `gram` in `text` (both as [`words`]).
fn word_count(text: &str, gram: &str) -> usize {
    format!(" {text} ").matches(&format!(" {gram} ")).count()
}

/// Word 6-grams (or the whole text when shorter) of a redacted piece that the release pane
/// holds more often than the released parts of the original do.
fn leaked_grams(page: &Page) -> Vec<String> {
    let release = words(&page.release);
    let released = words(&page.released_original);
    let mut out = Vec::new();
    for piece in &page.redacted {
        for gram in common::grams(&words(piece)) {
            if gram.len() >= 4 && word_count(&release, &gram) > word_count(&released, &gram) {
                out.push(gram);
            }
        }
    }
    out
}

/// Checks every page against the report (with the same policy options); returns the pages
/// read.
fn check_against_report(dir: &Path, inputs: &[String], policy: &[&str]) -> Vec<Page> {
    let reported = report(inputs, policy);
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(dir).expect("review directory").flatten() {
        let path = entry.path();
        if path.file_name().is_some_and(|n| n == "index.html") {
            continue;
        }
        let html = Html::parse_document(&std::fs::read_to_string(&path).expect("page is UTF-8"));
        pages.extend(read_page(&html));
    }
    assert_eq!(pages.len(), reported.len(), "one page per document decided");
    for page in &pages {
        let report = &reported[&page.input];
        let portions = report["portions"].as_array().expect("portions");
        assert_eq!(page.decisions.len(), portions.len(), "{}: one section per portion", page.input);
        for (i, ((decision, shown, labels), portion)) in page.decisions.iter().zip(portions).enumerate() {
            let expected = portion["decision"].as_str().expect("decision");
            assert_eq!(decision, expected, "{} portion {}", page.input, i + 1);
            assert_eq!(shown.to_lowercase(), expected, "{} portion {}: the decision in words", page.input, i + 1);
            let expected_labels: Vec<String> = portion["labels"]
                .as_array()
                .expect("labels")
                .iter()
                .filter_map(|l| l.as_str().map(str::to_owned))
                .collect();
            if !expected_labels.is_empty() {
                assert_eq!(
                    labels,
                    &declass::render::release::placeholder_labels(&expected_labels),
                    "{} portion {}: labels",
                    page.input,
                    i + 1
                );
            }
        }
        assert_eq!(page.banners.len(), 2, "{}: a banner at top and bottom", page.input);
        assert_eq!(page.banners[0], page.banners[1], "{}: the same banner twice", page.input);
        let highest = portions
            .iter()
            .filter_map(|p| p["mark"]["level"].as_str())
            .filter_map(declass::model::Level::from_name)
            .max();
        if let Some(level) = highest {
            assert!(
                page.banners[0].starts_with(level.banner_word())
                    || declass::model::Level::ALL
                        .iter()
                        .filter(|l| **l > level)
                        .any(|l| page.banners[0].starts_with(l.banner_word())),
                "{}: banner `{}` is below the portions' {level}",
                page.input,
                page.banners[0]
            );
        }
        assert!(page.not_placeholders.is_empty(), "{}: redacted portions show {:?}", page.input, page.not_placeholders);
        let leaks = leaked_grams(page);
        assert!(leaks.is_empty(), "{}: the release pane holds redacted text: {leaks:?}", page.input);
    }
    pages
}

#[test]
fn every_portion_shows_its_decision_and_the_release_pane_holds_nothing_redacted() {
    let inputs = fixture_inputs();
    // The FOIA policy redacts spans (names, e-mail addresses) as well as portions.
    let foia = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/foia.toml").display().to_string();
    let policy = ["--policy", foia.as_str()];
    let dir = review_dir("fixtures", &inputs, &["--explain", "--policy", &foia]);
    let pages = check_against_report(&dir.path("review"), &inputs, &policy);
    let redacting = pages.iter().filter(|p| !p.redacted.is_empty()).count();
    assert!(redacting >= 10, "the fixtures redact in {redacting} documents only: the check would see nothing");
    let html = std::fs::read_to_string(dir.path("review/09CAIRO0321.html")).expect("a page per document id");
    let page = Html::parse_document(&html);
    assert!(page.select(&selector("mark.cut")).count() > 0, "span redactions are highlighted in the original");
    assert!(page.select(&selector(".why details li")).count() > 0, "--explain says why other rules did not fire");
    // The index links every page, and each link names a file that exists.
    let index = Html::parse_document(&std::fs::read_to_string(dir.path("review/index.html")).expect("index"));
    let links: Vec<String> = index
        .select(&selector("table.documents tbody a"))
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect();
    assert_eq!(links.len(), pages.len());
    for link in &links {
        assert!(dir.path("review").join(link).is_file(), "`{link}` is linked but missing");
    }
    assert_eq!(index.select(&selector("figure.chart svg")).count(), 3, "three pictures on the summary");
}

#[test]
fn a_hostile_document_renders_as_text() {
    let dir = common::TempDir::new("hostile");
    let input = dir.path("x\"<b>'.txt");
    std::fs::write(
        &input,
        "CONFIDENTIAL\n\nE.O. 12958: DECL: 01/01/2030\nTAGS: PREL\nSUBJECT: <script>alert(\"s\")</script> & \"q\" 'r'\n\n\
         1. (C) The minister said </div></pre><img src=x onerror=alert(1)> that \"quotes\" & <b>bold</b> sides.\n\n\
         2. (U) Released text <script>document.title='pwned'</script> here.\n",
    )
    .expect("write");
    let page = dir.path("page.html");
    let output = declass(&[
        "review",
        "--as-of",
        AS_OF,
        "-q",
        "--html",
        &page.display().to_string(),
        &input.display().to_string(),
    ]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let raw = std::fs::read_to_string(&page).expect("page");
    assert!(!raw.contains("<script>alert"), "a script of the document is in the page as markup");
    assert!(!raw.contains("<img"), "an element of the document is in the page as markup");
    let html = Html::parse_document(&raw);
    assert_eq!(
        html.select(&selector("script:not([type='application/json'])")).count(),
        1,
        "only the page's own script"
    );
    let data: String = html.select(&selector("script#documents-data")).map(text).collect();
    assert!(!data.contains('<'), "the table's data cannot close its script element: {data}");
    let rows: Value = serde_json::from_str(&data).expect("the table's data is JSON");
    assert_eq!(rows[0]["name"], input.display().to_string(), "and reads back as written");
    assert_eq!(html.select(&selector("img")).count(), 0);
    assert_eq!(html.select(&selector("pre b, pre img")).count(), 0);
    let originals: String = html.select(&selector(".pane.original")).map(text).collect();
    assert!(originals.contains("Released text <script>document.title='pwned'</script> here."), "{originals}");
    assert!(originals.contains("</div></pre><img src=x onerror=alert(1)>"));
    let inputs: Vec<&str> = html.select(&selector("article")).filter_map(|a| a.value().attr("data-input")).collect();
    assert_eq!(inputs, vec![input.display().to_string().as_str()], "the input's name survives as text");
    let pages = read_page(&html);
    assert_eq!(pages.len(), 1);
    let decided: Vec<&str> = pages[0].decisions.iter().map(|(d, _, _)| d.as_str()).collect();
    assert!(decided.contains(&"redact") && decided.contains(&"release"), "{decided:?}");
    assert!(!pages[0].release.contains("minister"), "paragraph 1 is redacted: {}", pages[0].release);
    assert!(pages[0].release.contains("document.title='pwned'"), "paragraph 2 is released as text");
    assert!(leaked_grams(&pages[0]).is_empty());
}

#[test]
fn one_page_holds_the_summary_and_every_document() {
    let inputs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/documents").display().to_string()];
    let dir = common::TempDir::new("one-page");
    let page = dir.path("review.html");
    let page_arg = page.display().to_string();
    let run = |extra: &[&str]| {
        let mut args = vec!["review", "--as-of", AS_OF, "-q", "--html", &page_arg];
        args.extend(extra);
        args.extend(inputs.iter().map(String::as_str));
        declass(&args)
    };
    assert!(run(&[]).status.success());
    let html = Html::parse_document(&std::fs::read_to_string(&page).expect("page"));
    let articles = html.select(&selector("article.document")).count();
    assert_eq!(articles, report(&inputs, &[]).len());
    for link in html.select(&selector("table.documents tbody a")) {
        let href = link.value().attr("href").expect("href");
        let id = href.strip_prefix('#').expect("an anchor on the page");
        assert_eq!(html.select(&selector(&format!("#{id}"))).count(), 1, "`{href}` names one element");
    }
    // The page is not replaced without --force.
    let again = run(&[]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("give `--force`"));
    assert!(run(&["--force"]).status.success());
    // `-` writes the page to standard output.
    let mut args = vec!["review", "--as-of", AS_OF, "--html", "-"];
    args.extend(inputs.iter().map(String::as_str));
    let stdout = declass(&args);
    assert!(String::from_utf8_lossy(&stdout.stdout).starts_with("<!DOCTYPE html>"));
}

#[test]
fn a_directory_with_a_review_is_not_overwritten_and_failed_inputs_are_listed() {
    let inputs = [
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/documents/08PARIS1234.txt").display().to_string(),
        "no/such/file.txt".to_owned(),
    ];
    let dir = common::TempDir::new("review-dir");
    let out = dir.path("out").display().to_string();
    let mut args = vec!["review", "--as-of", AS_OF, "-q", "--out-dir", &out];
    args.extend(inputs.iter().map(String::as_str));
    let first = declass(&args);
    assert_eq!(first.status.code(), Some(2), "a missing input fails the run");
    let index = std::fs::read_to_string(dir.path("out/index.html")).expect("the index is written anyway");
    assert!(index.contains("no/such/file.txt"), "the failed input is listed");
    let again = declass(&args);
    assert!(String::from_utf8_lossy(&again.stderr).contains("holds a review already"));
}

#[test]
fn corpus_slice_release_panes_hold_no_classified_paragraph() {
    let Some(corpus) = common::corpus_dir() else { return };
    let files = common::corpus_files(&corpus);
    let slice: Vec<String> = files.iter().step_by(14).map(|p| p.display().to_string()).collect();
    assert!(slice.len() > 300, "a slice of {} cables", slice.len());
    let dir = review_dir("corpus", &slice, &[]);
    let pages = check_against_report(&dir.path("review"), &slice, &[]);
    // And judged from outside the parser: the independent reader's classified paragraphs.
    let as_of = chrono::NaiveDate::from_ymd_opt(2010, 11, 28).expect("date");
    let cables: HashMap<String, independent::Independent> =
        independent::independent(&corpus).into_iter().map(|c| (c.id.clone(), c)).collect();
    let (mut checked, mut leaks) = (0, Vec::new());
    for page in &pages {
        let path = Path::new(&page.input);
        if !page.input.contains(independent::MIRROR) {
            continue;
        }
        let Some(cable) = path.file_stem().and_then(|s| s.to_str()).and_then(|id| cables.get(id)) else { continue };
        if cable.decl.kind == "na" || independent::reader_lapsed(cable, as_of) {
            continue;
        }
        let source = String::from_utf8_lossy(&std::fs::read(path).expect("cable")).into_owned();
        let (n, found) = independent::classified_leaks(cable, &words(&page.release), &words(&source));
        checked += n;
        leaks.extend(found);
    }
    println!(
        "{} pages; {checked} classified paragraphs of the independent reader checked; {} leak",
        pages.len(),
        leaks.len()
    );
    assert!(checked > 500, "only {checked} paragraphs checked");
    assert!(leaks.is_empty(), "classified paragraphs in release panes: {leaks:?}");
}
