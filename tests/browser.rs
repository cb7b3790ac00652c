//! The review in a real browser: headless Chromium (Debian's `chromium`; `DECLASS_CHROMIUM`
//! names another) opens the pages at 1280×800, takes screenshots, and a checker script the
//! test adds to a copy of each page reports what the reader would see: no console message at
//! all, the banners at top and bottom, the expected elements on screen, the keyboard moving
//! between redactions and showing why, sorting, contrast, and the dark colour scheme.
//! Without Chromium the test says so and skips; under `CI` that is a failure.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The checker, run after the page's own script. It writes its findings as JSON into
/// `<pre id="browser-check">` (not to the console, which must stay silent).
const CHECKER: &str = r#"<script>
(function () {
  "use strict";
  // How long the page took to read, lay out and run its own script: before the checks.
  document.body.getBoundingClientRect();
  var results = { viewport: [innerWidth, innerHeight], ready: document.documentElement.getAttribute("data-ready"),
    milliseconds: Math.round(performance.now()) };
  function shown(element) {
    if (!element) { return false; }
    var style = getComputedStyle(element);
    var rect = element.getBoundingClientRect();
    return style.display !== "none" && style.visibility !== "hidden" && rect.width > 0 && rect.height > 0;
  }
  function onScreen(element) {
    if (!shown(element)) { return false; }
    var rect = element.getBoundingClientRect();
    return rect.bottom > 0 && rect.top < innerHeight && rect.left >= 0 && rect.right <= innerWidth + 1;
  }
  function rgb(text) {
    var m = text.match(/[\d.]+/g) || [];
    return { r: +m[0], g: +m[1], b: +m[2], a: m.length > 3 ? +m[3] : 1 };
  }
  function background(element) {
    for (var e = element; e; e = e.parentElement) {
      var c = rgb(getComputedStyle(e).backgroundColor);
      if (c.a > 0.5) { return c; }
    }
    return rgb(getComputedStyle(document.documentElement).backgroundColor);
  }
  function luminance(c) {
    var f = function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  }
  function contrast(element) {
    var a = luminance(rgb(getComputedStyle(element).color)), b = luminance(background(element));
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  }
  var top = document.querySelector(".banner.top"), bottom = document.querySelector(".banner.bottom");
  results.bannerTop = onScreen(top) && Math.round(top.getBoundingClientRect().top) === 0;
  results.bannerBottom = onScreen(bottom) && Math.round(bottom.getBoundingClientRect().bottom) === innerHeight;
  results.banner = top ? top.textContent : null;
  results.overflowsSideways = document.documentElement.scrollWidth > innerWidth;
  results.onScreen = {};
  (window.EXPECTED || []).forEach(function (selector) { results.onScreen[selector] = onScreen(document.querySelector(selector)); });
  results.unlabelledPortions = Array.prototype.filter.call(document.querySelectorAll("section.portion"),
    function (s) { return !s.getAttribute("aria-label") || !s.querySelector(".tag").textContent.trim(); }).length;
  results.buttonsWithoutText = Array.prototype.filter.call(document.querySelectorAll("button"),
    function (b) { return !b.textContent.trim(); }).length;
  results.lowContrast = [];
  document.querySelectorAll(".banner, .portion .tag, .portion .original, .portion .release, .outcome, dl.facts dt, .portion .level, a")
    .forEach(function (element) {
      if (shown(element) && element.textContent.trim()) {
        var ratio = contrast(element);
        if (ratio < 4.5) { results.lowContrast.push(element.className + " " + ratio.toFixed(2)); }
      }
    });
  results.background = getComputedStyle(document.documentElement).backgroundColor;
  var stops = document.querySelectorAll(".portion.stop");
  results.stops = stops.length;
  function press(key) { document.dispatchEvent(new KeyboardEvent("keydown", { key: key, bubbles: true })); }
  if (stops.length > 1) {
    press("n");
    results.firstFocused = document.activeElement === stops[0];
    results.whyShown = shown(document.activeElement.querySelector(".why"));
    results.firstOnScreen = onScreen(stops[0].querySelector(".strip"));
    press("n");
    results.secondFocused = document.activeElement === stops[1];
    press("p");
    results.backToFirst = document.activeElement === stops[0];
    results.status = document.getElementById("where").textContent;
  }
  var table = document.querySelector("table.sortable");
  if (table) {
    var outcome = table.tHead.rows[0].cells[4].querySelector("button");
    outcome.click();
    var keys = Array.prototype.map.call(table.tBodies[0].rows, function (r) { return +r.cells[4].getAttribute("data-key"); });
    results.sortedByOutcome = keys.every(function (k, i) { return i === 0 || keys[i - 1] <= k; });
    outcome.click();
    keys = Array.prototype.map.call(table.tBodies[0].rows, function (r) { return +r.cells[4].getAttribute("data-key"); });
    results.sortedDescending = keys.every(function (k, i) { return i === 0 || keys[i - 1] >= k; });
    results.rows = keys.length;
    results.total = +table.getAttribute("data-total");
    var next = document.querySelector("button[data-page-step='1']");
    if (next) {
      next.click();
      results.secondPageFirst = +table.tBodies[0].rows[0].cells[0].textContent;
      document.querySelector("button[data-page-step='all']").click();
      results.allRows = table.tBodies[0].rows.length;
    }
  }
  var out = document.createElement("pre");
  out.id = "browser-check";
  out.textContent = JSON.stringify(results);
  document.body.appendChild(out);
})();
</script>"#;

/// Chromium, or `None` (with a note) when it is absent outside CI.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("DECLASS_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if Command::new(name).arg("--version").output().is_ok_and(|o| o.status.success()) {
            return Some(PathBuf::from(name));
        }
    }
    assert!(std::env::var_os("CI").is_none(), "Chromium is not installed and CI is set: the browser test must run");
    eprintln!("note: browser test skipped: no chromium (install Debian's `chromium` or set DECLASS_CHROMIUM)");
    None
}

/// Runs Chromium headless on `page` in a window `height` pixels high (1280 wide) with
/// `extra` arguments; returns standard output and the console messages it logged.
fn open_sized(browser: &Path, page: &Path, profile: &Path, height: u32, extra: &[&str]) -> (String, Vec<String>) {
    let url = format!("file://{}", page.canonicalize().expect("page exists").display());
    let output = Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"])
        .arg(format!("--window-size=1280,{height}"))
        .args(["--no-first-run", "--enable-logging=stderr", "--v=0"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .output()
        .expect("chromium runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let console = stderr.lines().filter(|l| l.contains(":CONSOLE")).map(str::to_owned).collect();
    (String::from_utf8_lossy(&output.stdout).into_owned(), console)
}

/// Runs Chromium headless at 1280×800 on `page` (for screenshots: the window is the page).
fn open(browser: &Path, page: &Path, profile: &Path, extra: &[&str]) -> (String, Vec<String>) {
    open_sized(browser, page, profile, 800, extra)
}

/// The window height that gives a page 800 pixels when the DOM is dumped: there the headless
/// window keeps a strip for browser controls the page does not get.
fn window_height_for_800(browser: &Path, dir: &common::TempDir) -> u32 {
    let probe = dir.path("viewport.html");
    std::fs::write(&probe, "<!DOCTYPE html><p id=v></p><script>v.textContent = innerHeight;</script>").expect("probe");
    let (dom, _) = open_sized(browser, &probe, &dir.path("profile"), 800, &["--dump-dom"]);
    let height: u32 = dom
        .split("<p id=\"v\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .and_then(|h| h.parse().ok())
        .unwrap_or_else(|| panic!("the probe reports its viewport: {dom}"));
    1600 - height
}

/// Opens a copy of `page` with the checker added (beside it), `expected` the selectors that must be on
/// screen; returns the checker's findings.
fn check(browser: &Path, page: &Path, dir: &common::TempDir, expected: &[&str], dark: bool) -> Value {
    let height = window_height_for_800(browser, dir);
    let html = std::fs::read_to_string(page).expect("page");
    let list = serde_json::to_string(expected).expect("selectors");
    let checker = format!("<script>window.EXPECTED = {list};</script>{CHECKER}");
    // Beside the page, so that it finds what the page finds there (its style and script).
    let copy = page.with_file_name(format!(
        "checked-{}{}",
        if dark { "dark-" } else { "" },
        page.file_name().and_then(|n| n.to_str()).expect("name")
    ));
    std::fs::write(&copy, html.replacen("</body>", &format!("{checker}</body>"), 1)).expect("write copy");
    let mut extra = vec!["--dump-dom"];
    if dark {
        extra.push("--force-dark-mode");
        extra.push("--blink-settings=preferredColorScheme=0");
    }
    let (dom, console) = open_sized(browser, &copy, &dir.path("profile"), height, &extra);
    assert!(console.is_empty(), "{}: the console is not silent: {console:#?}", page.display());
    let found = scraper::Html::parse_document(&dom);
    let selector = scraper::Selector::parse("#browser-check").expect("selector");
    let json: String = found
        .select(&selector)
        .next()
        .unwrap_or_else(|| panic!("{}: the checker did not run", page.display()))
        .text()
        .collect();
    serde_json::from_str(&json).expect("the checker writes JSON")
}

/// The width and height of a PNG file.
fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).expect("screenshot");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{} is a PNG", path.display());
    let number = |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    (number(16), number(20))
}

fn review(dir: &Path, inputs: &[String]) {
    let out = dir.display().to_string();
    let mut args = vec!["review", "--as-of", "2010-11-28", "-q", "--explain", "--out-dir", out.as_str()];
    args.extend(inputs.iter().map(String::as_str));
    let output = Command::new(env!("CARGO_BIN_EXE_declass")).args(&args).output().expect("declass runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

fn assert_reads_well(page: &Path, found: &Value) {
    let name = page.display();
    assert_eq!(found["ready"], "true", "{name}: the page's script ran to its end");
    assert_eq!(found["viewport"], serde_json::json!([1280, 800]), "{name}");
    assert_eq!(found["bannerTop"], true, "{name}: the banner is at the top of the screen");
    assert_eq!(found["bannerBottom"], true, "{name}: the banner is at the bottom of the screen");
    assert_eq!(found["overflowsSideways"], false, "{name}: the page fits 1280 pixels");
    for (selector, on_screen) in found["onScreen"].as_object().expect("selectors") {
        assert_eq!(on_screen, true, "{name}: `{selector}` is not on screen");
    }
    assert_eq!(found["unlabelledPortions"], 0, "{name}: every portion has a label and its decision in words");
    assert_eq!(found["buttonsWithoutText"], 0, "{name}");
    assert_eq!(found["lowContrast"], serde_json::json!([]), "{name}: text below 4.5:1 contrast");
}

#[test]
fn the_review_reads_well_in_chromium() {
    let Some(browser) = chromium() else { return };
    let dir = common::TempDir::new("browser");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pages = dir.path("review");
    review(&pages, &[root.join("examples/documents").display().to_string()]);

    let document = pages.join("08PARIS1234.html");
    let expected = [".bar-nav button[data-step='1']", "article.document h2", "dl.facts", ".panes-head", ".stamp-row"];
    let light = check(&browser, &document, &dir, &expected, false);
    println!("document page: {light}");
    assert_reads_well(&document, &light);
    assert!(light["stops"].as_u64().is_some_and(|n| n > 1), "the page has redactions to move between");
    assert_eq!(light["firstFocused"], true, "`n` focuses the first redaction");
    assert_eq!(light["firstOnScreen"], true, "and scrolls it onto the screen");
    assert_eq!(light["whyShown"], true, "focus shows why");
    assert_eq!(light["secondFocused"], true, "`n` again moves to the second");
    assert_eq!(light["backToFirst"], true, "`p` moves back");
    assert!(light["status"].as_str().is_some_and(|s| s.starts_with("Redaction 1 of ")), "{}", light["status"]);
    assert!(light["banner"].as_str().is_some_and(|b| b.starts_with("CONFIDENTIAL")), "{}", light["banner"]);

    let dark = check(&browser, &document, &dir, &expected, true);
    assert_reads_well(&document, &dark);
    assert_ne!(light["background"], dark["background"], "the page follows prefers-color-scheme");

    let index = pages.join("index.html");
    let summary = check(&browser, &index, &dir, &["#summary-title", "figure.chart svg"], false);
    println!("summary page: {summary}");
    assert_reads_well(&index, &summary);
    assert_eq!(summary["sortedByOutcome"], true, "the table sorts by outcome");
    assert_eq!(summary["sortedDescending"], true, "and the other way round");
    assert_eq!(summary["rows"], 6);

    for (page, shot) in [(&document, "document.png"), (&index, "summary.png")] {
        let path = dir.path(shot);
        let (_, console) = open(&browser, page, &dir.path("profile"), &[&format!("--screenshot={}", path.display())]);
        assert!(console.is_empty(), "{console:?}");
        assert_eq!(png_size(&path), (1280, 800), "{shot} is 1280×800");
    }
}

/// A review of the whole corpus: the index and the largest document page open in the browser
/// (how fast is printed; BENCHMARKS.md records it).
#[test]
fn a_corpus_review_opens_in_chromium() {
    let Some(corpus) = common::corpus_dir() else { return };
    let Some(browser) = chromium() else { return };
    let dir = common::TempDir::new("browser-corpus");
    let pages = dir.path("review");
    review(&pages, &[corpus.join("raw").display().to_string()]);
    let mut files: Vec<(u64, PathBuf)> = std::fs::read_dir(&pages)
        .expect("pages")
        .flatten()
        .map(|e| (e.metadata().map_or(0, |m| m.len()), e.path()))
        .collect();
    files.sort();
    let total: u64 = files.iter().map(|(size, _)| size).sum();
    let index = pages.join("index.html");
    let (largest_size, largest) = files.iter().rfind(|(_, p)| *p != index).cloned().expect("document pages");
    let summary = check(&browser, &index, &dir, &["#summary-title", "figure.chart svg"], false);
    assert_reads_well(&index, &summary);
    let documents = summary["total"].as_u64().expect("total");
    assert!(documents > 5000, "{documents} documents in the table");
    assert_eq!(summary["rows"], 200, "a page of the table at a time");
    assert_eq!(summary["allRows"], documents, "`Show all` shows every document");
    assert!(summary["secondPageFirst"].is_u64(), "the next page shows rows");
    let document = check(&browser, &largest, &dir, &["article.document h2"], false);
    assert_reads_well(&largest, &document);
    println!(
        "{} pages, {:.1} MB in all; index {:.1} MB ready in {} ms; largest page {} ({:.1} MB) ready in {} ms",
        files.len(),
        total as f64 / 1e6,
        std::fs::metadata(&index).map_or(0, |m| m.len()) as f64 / 1e6,
        summary["milliseconds"],
        largest.file_name().and_then(|n| n.to_str()).unwrap_or("?"),
        largest_size as f64 / 1e6,
        document["milliseconds"]
    );
}
