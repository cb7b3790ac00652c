//! `declass parse`.

use super::args::{ParseArgs, ParseFormat};
use super::out::Output;
use super::{EXIT_ERROR, EXIT_OK, open_inputs, output_format, read_document, report_failure};
use crate::render;

/// Runs `declass parse`.
pub(crate) fn run(args: &ParseArgs) -> u8 {
    let (inputs, mut failed) = open_inputs(&args.input);
    let format = match output_format(args.format, ParseFormat::Text, ParseFormat::Json, &inputs) {
        Ok(format) => format,
        Err(code) => return code,
    };
    let (stream, limit) = (inputs.stream, inputs.limit);
    let mut out = Output::new();
    let (mut documents, mut portion_count) = (0usize, 0usize);
    inputs.run(
        |_, input| {
            let name = input.display_name();
            read_document(input, limit).map(|doc| {
                let diagnostics: Vec<String> =
                    doc.errors.iter().map(|e| format!("{name}:{}: error: {}", e.position, e.message)).collect();
                let text = match format {
                    ParseFormat::None => String::new(),
                    ParseFormat::Text => render::parsed::to_text(&name, &doc),
                    ParseFormat::Json if stream => {
                        render::record::stream_line(input.record_id(), "parse", &render::parsed::to_json(&name, &doc))
                    }
                    ParseFormat::Json => render::record::line(&render::parsed::to_json(&name, &doc)),
                };
                (text, diagnostics, doc.portions.len())
            })
        },
        |input, result| match result {
            Ok((text, diagnostics, portions)) => {
                for line in &diagnostics {
                    eprintln!("{line}");
                }
                // A document that parses with problems is in the output; the problems are
                // listed in it and make the run fail (they are not a stream record's failure:
                // the record has its output).
                failed |= !diagnostics.is_empty() && !stream;
                documents += 1;
                portion_count += portions;
                out.write(&text)
            }
            Err(failure) => {
                let (flow, counts) = report_failure(&mut out, stream, format == ParseFormat::Json, input, &failure);
                failed |= counts;
                flow
            }
        },
    );
    if format == ParseFormat::None {
        out.write(&format!("{documents} document(s), {portion_count} portion(s)\n"));
    }
    failed |= !out.finish();
    if failed { EXIT_ERROR } else { EXIT_OK }
}
