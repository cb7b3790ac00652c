//! `declass check` and `declass fmt`: policy files.

use super::args::{CheckArgs, CheckFormat, FmtArgs};
use super::out::Output;
use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, exit_status, policy_files, read_policy};
use crate::input;
use crate::render;

/// The diagnostic codes as ranges of consecutive numbers: `P001–P022, P101–P109`.
fn code_ranges() -> String {
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for code in crate::policy::Code::ALL {
        let Ok(number) = code.name().trim_start_matches('P').parse::<u32>() else { continue };
        match ranges.last_mut() {
            Some((_, last)) if *last + 1 == number => *last = number,
            _ => ranges.push((number, number)),
        }
    }
    let name = |n: u32| format!("P{n:03}");
    ranges
        .iter()
        .map(|&(a, b)| if a == b { name(a) } else { format!("{}–{}", name(a), name(b)) })
        .collect::<Vec<_>>()
        .join(", ")
}

fn explain_codes(which: &str) -> u8 {
    let codes: Vec<crate::policy::Code> = if which.eq_ignore_ascii_case("all") {
        crate::policy::Code::ALL.to_vec()
    } else {
        crate::policy::Code::ALL.iter().copied().filter(|c| c.name().eq_ignore_ascii_case(which)).collect()
    };
    if codes.is_empty() {
        eprintln!("error: unknown diagnostic code `{which}`; codes are {}, or `all`", code_ranges());
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
    if out.finish() { EXIT_OK } else { EXIT_ERROR }
}

/// Runs `declass check`.
pub(crate) fn check(args: &CheckArgs) -> u8 {
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
        match read_policy(&file, input::DEFAULT_MAX_SIZE) {
            Ok(source) => {
                let report = crate::check::check(&source, Some(&file));
                checked.push(render::check::Checked { path: name, source, report });
            }
            Err(message) => {
                eprintln!("{name}: error: cannot read the policy: {message}");
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
    failed |= !out.finish();
    exit_status(failed, findings)
}

/// Runs `declass fmt`.
pub(crate) fn fmt(args: &FmtArgs) -> u8 {
    let (files, mut failed) = policy_files(&args.paths);
    let mut unformatted = false;
    let mut out = Output::new();
    for file in files {
        let name = file.display().to_string();
        let source = match read_policy(&file, input::DEFAULT_MAX_SIZE) {
            Ok(source) => source,
            Err(message) => {
                eprintln!("{name}: error: cannot read the policy: {message}");
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
        } else if let Err(e) = super::out_dir::write_atomically(&file, formatted.as_bytes()) {
            eprintln!("{name}: error: cannot write: {}", crate::model::lower_first(&e.to_string()));
            failed = true;
        } else {
            out.write(&format!("{name}: formatted\n"));
        }
    }
    failed |= !out.finish();
    if failed {
        EXIT_ERROR
    } else if args.check && unformatted {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
