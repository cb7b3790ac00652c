//! `declass release`.

use chrono::NaiveDate;

use super::args::ReleaseArgs;
use super::out::Output;
use super::out_dir;
use super::report::fails_on;
use super::{EXIT_ERROR, as_of, exit_status, load_policy, open_inputs, parse_document, read_bytes, report_failure};
use crate::engine;
use crate::pipeline::Flow;
use crate::policy::Policy;
use crate::render;

/// A manifest record of input `number` with what every record says.
fn manifest_record<'a>(
    number: usize,
    input: &'a str,
    policy: &'a Policy,
    as_of: NaiveDate,
    case: Option<&'a str>,
    decisions: Option<&'a engine::Decisions>,
) -> out_dir::ManifestRecord<'a> {
    out_dir::ManifestRecord {
        schema_version: out_dir::MANIFEST_VERSION,
        number,
        input,
        input_sha256: None,
        output: None,
        output_sha256: None,
        outcome: decisions.map(|d| d.outcome.name()),
        labels: decisions.map_or(&[][..], |d| &d.labels),
        policy: out_dir::ManifestPolicy { name: &policy.name, version: &policy.version, sha256: &policy.sha256 },
        as_of: as_of.to_string(),
        declass_version: env!("CARGO_PKG_VERSION"),
        case,
        error: None,
    }
}

/// A stream record's release: the document's outcome and labels, and its release text.
#[derive(serde::Serialize)]
struct ReleaseJson<'a> {
    path: &'a str,
    document_id: Option<&'a str>,
    outcome: &'static str,
    labels: &'a [String],
    text: &'a str,
}

/// Runs `declass release`.
pub(crate) fn run(args: &ReleaseArgs) -> u8 {
    let policy = match load_policy(args.policy.policy.as_deref(), args.input.max_input_size) {
        Ok(policy) => policy,
        Err(code) => return code,
    };
    let as_of = as_of(&args.policy);
    let (inputs, mut failed) = open_inputs(&args.input);
    let (stream, limit, quiet) = (inputs.stream, inputs.limit, inputs.quiet);
    if stream && args.out_dir.is_some() {
        eprintln!(
            "error: --out-dir releases documents; with --input-format jsonl each record's release is in its output record"
        );
        return EXIT_ERROR;
    }
    let count = inputs.documents().len();
    if args.out_dir.is_none() && count > 1 {
        eprintln!("error: {count} documents to release: give `--out-dir DIR` to write one file per document");
        return EXIT_ERROR;
    }
    let mut dir = match &args.out_dir {
        Some(dir) => match out_dir::OutputDir::open(dir, inputs.documents(), args.force, out_dir::RELEASE_INDEX) {
            Ok(dir) => Some(dir),
            Err(message) => {
                eprintln!("{message}");
                return EXIT_ERROR;
            }
        },
        None => None,
    };
    let hash_inputs = dir.is_some();
    let mut manifest = Vec::new();
    let mut out = Output::new();
    let mut number = 0usize;
    let mut findings = false;
    inputs.run(
        |position, input| {
            let bytes = read_bytes(input, limit).map_err(|failure| (None, failure))?;
            let hash = hash_inputs.then(|| out_dir::sha256(&bytes));
            let doc = parse_document(input, bytes).map_err(|failure| (hash.clone(), failure))?;
            let decisions = engine::evaluate(&doc, &policy, as_of);
            // The stamp's document number is the input's position, known here already.
            let options = render::release::StampOptions {
                case: args.case.clone(),
                document_number: args.case.as_ref().map(|_| format!("{:05}", position + 1)),
            };
            let mut text = render::release::release_text(&doc, &decisions, &policy, &options);
            if stream {
                let name = input.display_name();
                let body = ReleaseJson {
                    path: &name,
                    document_id: doc.id.as_deref(),
                    outcome: decisions.outcome.name(),
                    labels: &decisions.labels,
                    text: &text,
                };
                text = render::record::stream_line(input.record_id(), "release", &body);
            }
            let text_hash = hash_inputs.then(|| out_dir::sha256(text.as_bytes()));
            Ok((hash, doc, decisions, text, text_hash))
        },
        |input, result| {
            // Documents are numbered by input order; an input that fails keeps its number.
            number += 1;
            let name = input.display_name();
            let (hash, doc, decisions, text, text_hash) = match result {
                Ok(found) => found,
                Err((hash, failure)) => {
                    if dir.is_some() {
                        let message = failure.to_line();
                        let mut record = manifest_record(number, &name, &policy, as_of, args.case.as_deref(), None);
                        record.input_sha256 = hash;
                        record.error = Some(&message);
                        out_dir::push_record(&mut manifest, &record);
                    }
                    let (flow, counts) = report_failure(&mut out, stream, false, input, &failure);
                    failed |= counts;
                    return flow;
                }
            };
            findings |= fails_on(args.fail_on, decisions.outcome);
            let Some(dir) = &mut dir else { return out.write(&text) };
            let file = dir.name_for(&out_dir::file_base(&doc, input, number - 1), "txt");
            match dir.write(&file, &text) {
                Ok(path) => {
                    let mut record =
                        manifest_record(number, &name, &policy, as_of, args.case.as_deref(), Some(&decisions));
                    record.input_sha256 = hash;
                    record.output = Some(&file);
                    record.output_sha256 = text_hash;
                    out_dir::push_record(&mut manifest, &record);
                    if quiet {
                        return Flow::Continue;
                    }
                    out.write(&format!("{}  {}\n", path.display(), render::report::outcome_line(&decisions)))
                }
                Err(message) => {
                    eprintln!("{message}");
                    failed = true;
                    let mut record =
                        manifest_record(number, &name, &policy, as_of, args.case.as_deref(), Some(&decisions));
                    record.input_sha256 = hash;
                    record.error = Some(&message);
                    out_dir::push_record(&mut manifest, &record);
                    Flow::Continue
                }
            }
        },
    );
    failed |= !out.finish();
    if let Some(dir) = dir
        && let Err(message) = dir.finish(&manifest)
    {
        eprintln!("{message}");
        return EXIT_ERROR;
    }
    exit_status(failed, findings)
}
