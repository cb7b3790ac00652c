//! `declass review`: the reviewer's HTML view, one page or a directory of pages.

use std::path::Path;

use super::args::ReviewArgs;
use super::out::Output;
use super::out_dir::{self, OutputDir, REVIEW_INDEX};
use super::{EXIT_ERROR, as_of, exit_status, load_policy, open_inputs, read_document};
use crate::engine::{self, Explain};
use crate::pipeline::Flow;
use crate::render::html::document::{self, DocumentEntry};
use crate::render::html::summary::{FailedInput, Summary};
use crate::render::html::{self, PageMarking};

/// Above this many documents, one page is slow to open: `--out-dir` is suggested.
const ONE_PAGE_DOCUMENTS: usize = 500;

/// Where the review goes.
enum Target {
    /// One page, to this file or to standard output (`-`).
    Page(Option<std::path::PathBuf>),
    /// A directory of pages.
    Dir(OutputDir),
}

/// Runs `declass review`.
pub(crate) fn run(args: &ReviewArgs) -> u8 {
    let policy = match load_policy(args.policy.policy.as_deref(), args.input.max_input_size) {
        Ok(policy) => policy,
        Err(code) => return code,
    };
    let as_of = as_of(&args.policy);
    let (inputs, mut failed) = open_inputs(&args.input);
    let (limit, quiet) = (inputs.limit, inputs.quiet);
    let explain = if args.explain { Explain::Yes } else { Explain::No };
    let mut target = match (&args.out_dir, &args.html) {
        (Some(dir), _) => match OutputDir::open(dir, inputs.documents(), args.force, REVIEW_INDEX) {
            Ok(dir) => Target::Dir(dir),
            Err(message) => {
                eprintln!("{message}");
                return EXIT_ERROR;
            }
        },
        (None, Some(file)) if file.as_os_str() == "-" => Target::Page(None),
        (None, Some(file)) => {
            if let Err(message) = page_may_be_written(file, inputs.documents(), args.force) {
                eprintln!("{message}");
                return EXIT_ERROR;
            }
            Target::Page(Some(file.clone()))
        }
        (None, None) => {
            eprintln!("error: give `--html FILE` for one page or `--out-dir DIR` for a page per document");
            return EXIT_ERROR;
        }
    };
    let in_dir = matches!(target, Target::Dir(_));
    if !in_dir && inputs.documents().len() > ONE_PAGE_DOCUMENTS {
        eprintln!(
            "note: {} documents on one page open slowly; `--out-dir DIR` writes a page per document",
            inputs.documents().len()
        );
    }
    let context = document::Context::new(&policy, (!in_dir).then_some("#summary"));
    let mut summary = Summary::default();
    let mut articles: Vec<String> = Vec::new();
    let mut number = 0usize;
    inputs.run(
        |position, input| {
            let doc = read_document(input, limit)?;
            let decisions = engine::evaluate_with(&doc, &policy, as_of, explain);
            let name = input.display_name();
            let article = document::article(position + 1, &name, &doc, &decisions, &context);
            let html = if in_dir {
                let title = doc.id.as_deref().unwrap_or(&name);
                html::document_page(title, &PageMarking::of(&doc), &article, "index.html")
            } else {
                article.into_string()
            };
            let entry = DocumentEntry::of(position + 1, &name, String::new(), &doc, &decisions);
            Ok((entry, out_dir::file_base(&doc, input, position), html))
        },
        |input, result: Result<(DocumentEntry, String, String), crate::render::record::Failure>| {
            // Documents are numbered by input order; an input that fails keeps its number.
            number += 1;
            match result {
                Ok((mut entry, base, html)) => {
                    match &mut target {
                        Target::Dir(dir) => {
                            let file = dir.name_for(&base, "html");
                            if let Err(message) = dir.write(&file, &html) {
                                eprintln!("{message}");
                                failed = true;
                            }
                            entry.href = file;
                        }
                        Target::Page(_) => {
                            entry.href = format!("#{}", document::anchor(number));
                            articles.push(html);
                        }
                    }
                    summary.documents.push(entry);
                }
                Err(failure) => {
                    let message = failure.to_line();
                    eprintln!("{message}");
                    failed = true;
                    summary.failed.push(FailedInput { number, name: input.display_name(), message });
                }
            }
            Flow::Continue
        },
    );
    let documents = summary.documents.len();
    let written = match target {
        Target::Dir(mut dir) => {
            for (name, text) in html::ASSETS {
                if let Err(message) = dir.write(name, text) {
                    eprintln!("{message}");
                    failed = true;
                }
            }
            let shown = dir.path().join(REVIEW_INDEX.name);
            dir.finish(html::index_page(&summary, &policy, as_of).as_bytes()).map(|()| Some(shown))
        }
        Target::Page(None) => {
            let mut out = Output::new();
            let _ = out.write(&html::single_page(&summary, &articles, &policy, as_of));
            if out.finish() { Ok(None) } else { return EXIT_ERROR }
        }
        Target::Page(Some(file)) => {
            let page = html::single_page(&summary, &articles, &policy, as_of);
            out_dir::write_atomically(&file, page.as_bytes()).map(|()| Some(file.clone())).map_err(|e| {
                format!(
                    "{}: error: cannot write the review: {}",
                    file.display(),
                    crate::model::lower_first(&e.to_string())
                )
            })
        }
    };
    match written {
        Ok(Some(path)) if !quiet => println!("{}: {documents} document(s) reviewed", path.display()),
        Ok(_) => {}
        Err(message) => {
            eprintln!("{message}");
            return EXIT_ERROR;
        }
    }
    exit_status(failed, false)
}

/// Whether the page may be written to `file`: not over an input, and over an existing file
/// only with `--force`.
fn page_may_be_written(file: &Path, inputs: &[crate::input::Input], force: bool) -> Result<(), String> {
    if !file.exists() {
        return Ok(());
    }
    if !force {
        return Err(format!("{}: error: the file exists; give `--force` to replace it", file.display()));
    }
    let target = file.canonicalize().ok();
    let is_input = inputs.iter().any(|input| match input {
        crate::input::Input::File(path) => path.canonicalize().ok() == target,
        _ => false,
    });
    if is_input {
        return Err(format!("{}: error: refusing to overwrite an input", file.display()));
    }
    Ok(())
}
