//! `declass diff`: the diff of original against released text, and the plan between two
//! policies or dates.

use super::args::{DiffArgs, DiffFormat};
use super::out::Output;
use super::{
    EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, as_of, load_policy, open_inputs, output_format, read_document, report_failure,
    use_color,
};
use crate::engine;
use crate::render;

/// Runs `declass diff`.
pub(crate) fn run(args: &DiffArgs) -> u8 {
    let limit = args.input.max_input_size;
    let policy = match load_policy(args.policy.policy.as_deref(), limit) {
        Ok(policy) => policy,
        Err(code) => return code,
    };
    let as_of = as_of(&args.policy);
    let plan = args.against.is_some() || args.against_date.is_some();
    let other = match &args.against {
        Some(path) => match load_policy(Some(path), limit) {
            Ok(policy) => Some(policy),
            Err(code) => return code,
        },
        None => None,
    };
    let other_policy = other.as_ref().unwrap_or(&policy);
    let other_date = args.against_date.unwrap_or(as_of);
    let (inputs, mut failed) = open_inputs(&args.input);
    let format = match output_format(args.format, DiffFormat::Text, DiffFormat::Json, &inputs) {
        Ok(format) => format,
        Err(code) => return code,
    };
    let json = format == DiffFormat::Json;
    if json && !plan {
        eprintln!("error: JSON output is for the plan: give --against FILE or --against-date DATE");
        return EXIT_ERROR;
    }
    let stream = inputs.stream;
    let style = crate::diff::DiffStyle { word: args.word, color: use_color(args.color) };
    let mut out = Output::new();
    let mut changed = false;
    let mut summary = crate::diff::PlanSummary::default();
    if plan && !json {
        out.write(&format!(
            "declass plan: policy {} {} as of {as_of} → policy {} {} as of {other_date}\n\n",
            policy.name, policy.version, other_policy.name, other_policy.version
        ));
    }
    inputs.run(
        |_, input| {
            let name = input.display_name();
            read_document(input, limit).map(|doc| {
                let first = engine::evaluate(&doc, &policy, as_of);
                if plan {
                    let second = engine::evaluate(&doc, other_policy, other_date);
                    let change = crate::diff::compare_all(&name, &doc, &first, &second);
                    let text = if stream {
                        render::record::stream_line(input.record_id(), "plan", &change)
                    } else if !change.changes() {
                        String::new()
                    } else if json {
                        render::record::line(&change)
                    } else {
                        crate::diff::change_to_text(&change)
                    };
                    (text, Some(change).filter(crate::diff::DocumentChange::changes))
                } else {
                    let body = render::release::released_body(&doc, &first);
                    (crate::diff::text_diff(&name, &doc, &first, &body, style), None)
                }
            })
        },
        |input, result| match result {
            Ok((text, change)) => {
                if plan {
                    summary.add(change.as_ref());
                    changed |= change.is_some();
                } else {
                    changed |= !text.is_empty();
                }
                out.write(&text)
            }
            Err(failure) => {
                summary.failed += 1;
                let (flow, counts) = report_failure(&mut out, stream, json, input, &failure);
                failed |= counts;
                flow
            }
        },
    );
    if plan && !stream {
        if json {
            out.write(&render::record::line(&serde_json::json!({ "summary": &summary })));
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
