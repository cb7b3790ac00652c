//! `declass report`.

use super::args::{ReportArgs, ReportFormat};
use super::out::Output;
use super::{EXIT_ERROR, EXIT_OK, as_of, expand_inputs, load_policy, read_document, threads};
use crate::engine::{self, Explain};
use crate::pipeline::{self, Flow};
use crate::render;

/// Runs `declass report`.
pub(crate) fn run(args: &ReportArgs) -> u8 {
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
    failed |= !out.finish();
    if failed { EXIT_ERROR } else { EXIT_OK }
}
