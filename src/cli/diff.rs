//! `declass diff`: the diff of original against released text, and the plan between two
//! policies or dates.

use super::args::{DiffArgs, DiffFormat};
use super::out::Output;
use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, as_of, expand_inputs, load_policy, read_document, threads, use_color};
use crate::engine;
use crate::pipeline::{self, Flow};
use crate::render;

/// Runs `declass diff`.
pub(crate) fn run(args: &DiffArgs) -> u8 {
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
    failed |= !out.finish();
    if failed {
        EXIT_ERROR
    } else if changed {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
