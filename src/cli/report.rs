//! `declass report`.

use std::io::{self, Write as _};

use super::args::{FailOn, ReportArgs, ReportFormat};
use super::out::Output;
use super::{as_of, exit_status, load_policy, open_inputs, output_format, read_document, report_failure};
use crate::engine::{self, DocumentOutcome, Explain};
use crate::model::Document;
use crate::render;

/// Whether a document with `outcome` makes a run with `--fail-on` exit 1.
pub(crate) fn fails_on(fail_on: Option<FailOn>, outcome: DocumentOutcome) -> bool {
    match fail_on {
        None => false,
        Some(FailOn::Review) => outcome == DocumentOutcome::Review,
        Some(FailOn::Redact) => outcome != DocumentOutcome::ReleaseInFull,
    }
}

/// A document's report as a worker hands it on: its text, or, for a document whose JSON line
/// would be large (`render::report::line_is_streamed`), the document itself, whose line the
/// output writes as it is serialized.
enum Rendered {
    Text(String),
    Json { name: String, doc: Box<Document> },
}

/// Runs `declass report`.
pub(crate) fn run(args: &ReportArgs) -> u8 {
    let policy = match load_policy(args.policy.policy.as_deref(), args.input.max_input_size) {
        Ok(policy) => policy,
        Err(code) => return code,
    };
    let as_of = as_of(&args.policy);
    let (inputs, mut failed) = open_inputs(&args.input);
    let format = match output_format(args.format, ReportFormat::Text, ReportFormat::Json, &inputs) {
        Ok(format) => format,
        Err(code) => return code,
    };
    let json = matches!(format, ReportFormat::Json | ReportFormat::Jsonl);
    let (stream, limit) = (inputs.stream, inputs.limit);
    let explain = if args.explain { Explain::Yes } else { Explain::No };
    let mut out = Output::new();
    let mut summary = render::report::Summary::default();
    let mut findings = false;
    if !json {
        out.write(&render::report::text_header(&policy, as_of));
    }
    inputs.run(
        |_, input| {
            let name = input.display_name();
            read_document(input, limit).map(|doc| {
                let decisions = engine::evaluate_with(&doc, &policy, as_of, explain);
                let rendered = if stream {
                    let body = render::report::to_json(&name, &doc, &decisions, &policy);
                    Rendered::Text(render::record::stream_line(input.record_id(), "report", &body))
                } else if json && render::report::line_is_streamed(&doc) {
                    Rendered::Json { name, doc: Box::new(doc) }
                } else if json {
                    let body = render::report::to_json(&name, &doc, &decisions, &policy);
                    Rendered::Text(render::record::line_sized(&body, render::report::line_bytes_expected(&doc)))
                } else {
                    Rendered::Text(render::report::to_text(&name, &doc, &decisions))
                };
                (rendered, decisions)
            })
        },
        |input, result| match result {
            Ok((rendered, decisions)) => {
                summary.add(&decisions);
                findings |= fails_on(args.fail_on, decisions.outcome);
                match rendered {
                    Rendered::Text(text) => out.write(&text),
                    Rendered::Json { name, doc } => out.write_with(|w| {
                        // serde_json's small writes gathered here, not passed one by one.
                        let mut w = io::BufWriter::with_capacity(1 << 16, w);
                        render::record::write_line(&mut w, &render::report::to_json(&name, &doc, &decisions, &policy))?;
                        w.flush()
                    }),
                }
            }
            Err(failure) => {
                summary.failed += 1;
                let (flow, counts) = report_failure(&mut out, stream, json, input, &failure);
                failed |= counts;
                flow
            }
        },
    );
    // A stream has exactly one output record per input record: no summary.
    if json && !stream {
        out.write(&render::record::line(&render::report::SummaryJson {
            summary: render::report::SummaryBody {
                as_of: as_of.to_string(),
                policy: render::report::PolicyJson::of(&policy),
                totals: &summary,
            },
        }));
    } else if !json {
        out.write(&summary.to_text());
    }
    failed |= !out.finish();
    exit_status(failed, findings)
}
