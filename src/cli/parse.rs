//! `declass parse`.

use super::args::{ParseArgs, ParseFormat};
use super::out::Output;
use super::{EXIT_ERROR, EXIT_OK, expand_inputs, read_document, threads};
use crate::pipeline::{self, Flow};
use crate::render;

/// Runs `declass parse`.
pub(crate) fn run(args: &ParseArgs) -> u8 {
    let (inputs, mut failed) = expand_inputs(&args.input);
    let mut out = Output::new();
    let format = args.format;
    let (mut documents, mut portion_count) = (0usize, 0usize);
    pipeline::run_ordered(
        &inputs,
        threads(&args.input),
        true,
        |_, input| {
            let name = input.display_name();
            read_document(input).map(|doc| {
                let diagnostics: Vec<String> =
                    doc.errors.iter().map(|e| format!("{name}:{}: error: {}", e.position, e.message)).collect();
                let text = match format {
                    ParseFormat::None => String::new(),
                    ParseFormat::Text => render::parsed::to_text(&name, &doc),
                    ParseFormat::Json => {
                        let mut line = serde_json::to_string(&render::parsed::to_json(&name, &doc))
                            .unwrap_or_else(|e| format!("{{\"path\":{name:?},\"error\":{:?}}}", e.to_string()));
                        line.push('\n');
                        line
                    }
                };
                (text, diagnostics, doc.portions.len())
            })
        },
        |_, result| match result {
            Ok((text, diagnostics, portions)) => {
                for line in &diagnostics {
                    eprintln!("{line}");
                }
                failed |= !diagnostics.is_empty();
                documents += 1;
                portion_count += portions;
                out.write(&text)
            }
            Err(message) => {
                eprintln!("{message}");
                failed = true;
                Flow::Continue
            }
        },
    );
    if format == ParseFormat::None {
        out.write(&format!("{documents} document(s), {portion_count} portion(s)\n"));
    }
    failed |= !out.finish();
    if failed { EXIT_ERROR } else { EXIT_OK }
}
