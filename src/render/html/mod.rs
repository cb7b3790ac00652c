//! The reviewer's view: self-contained HTML pages (inline style and script, nothing fetched)
//! that show each document's original beside its release, portion by portion, with the
//! decisions and why; and a summary of a run with pictures.
//!
//! Every piece of document text goes through maud's escaping, so a cable holding `<script>`
//! shows it as text. The release pane is made by the same code as release text
//! ([`crate::render::release::released_portion`]): it holds no word of a redacted portion.
//! Because the pages show classified text, each carries, top and bottom, on screen and on
//! every printed page, the highest classification of what it shows ([`PageMarking`]).

pub mod document;
pub mod summary;

use std::collections::BTreeSet;

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::engine::DocumentOutcome;
use crate::model::{Control, Document, Level, Marking};
use crate::policy::Outcome;

/// The pages' style sheet.
pub const STYLE: &str = include_str!("review.css");
/// The pages' script.
pub const SCRIPT: &str = include_str!("review.js");
/// The names the style sheet and script have beside the pages of a directory.
pub const ASSETS: [(&str, &str); 2] = [("review.css", STYLE), ("review.js", SCRIPT)];

/// Where a page's style and script are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assets {
    /// In the page: it stands alone.
    Inline,
    /// In the files of [`ASSETS`] beside it: the pages of a directory share them (for a
    /// corpus, 12 KB less per page).
    Beside,
}

/// The classification a page shows text of: the highest level and every control of the
/// documents on it, and whether any mark could not be read (then the level is a floor).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMarking {
    /// The highest level found, if any.
    pub level: Option<Level>,
    /// Controls found, in canonical order.
    pub controls: BTreeSet<Control>,
    /// Whether a mark could not be read, or the document gives no level at all.
    pub undetermined: bool,
}

impl PageMarking {
    /// What a page showing `doc` (all of it) must be marked.
    #[must_use]
    pub fn of(doc: &Document) -> Self {
        let mut marking = Self {
            level: doc.classification.level.max(doc.classification.highest),
            controls: doc.classification.controls.iter().cloned().collect(),
            undetermined: false,
        };
        if let Some(banner) = &doc.banner {
            marking.level = marking.level.max(Some(banner.level));
            marking.controls.extend(banner.controls.iter().cloned());
        }
        for portion in &doc.portions {
            for mark in portion.marking.as_deref().into_iter().chain(&portion.embedded) {
                marking.add_mark(mark);
            }
        }
        marking.undetermined |= marking.level.is_none();
        marking
    }

    fn add_mark(&mut self, mark: &Marking) {
        match mark.level() {
            Some(level) => {
                self.level = self.level.max(Some(level));
                self.controls.extend(mark.controls().iter().cloned());
            }
            None => self.undetermined = true,
        }
    }

    /// The marking of a page that shows both.
    pub fn merge(&mut self, other: &Self) {
        self.level = self.level.max(other.level);
        self.controls.extend(other.controls.iter().cloned());
        self.undetermined |= other.undetermined;
    }

    /// The banner line: `SECRET//NOFORN`, compartments before dissemination controls; when a
    /// mark could not be read, it says so (the level is then the least the page holds).
    #[must_use]
    pub fn banner(&self) -> String {
        let mut out = self.level.map_or("CLASSIFICATION UNDETERMINED", Level::banner_word).to_owned();
        let compartments: Vec<String> =
            self.controls.iter().filter(|c| matches!(c, Control::Sci(_))).map(ToString::to_string).collect();
        let others: Vec<String> =
            self.controls.iter().filter(|c| !matches!(c, Control::Sci(_))).map(ToString::to_string).collect();
        for group in [compartments, others] {
            if !group.is_empty() {
                out.push_str("//");
                out.push_str(&group.join("/"));
            }
        }
        if self.undetermined && self.level.is_some() {
            out.push_str(" (AT LEAST: A MARK COULD NOT BE READ)");
        }
        out
    }

    /// The CSS class that colours the banner.
    fn class(&self) -> &'static str {
        match self.level {
            _ if self.undetermined => "banner-x",
            Some(Level::Ts) => "banner-ts",
            Some(Level::S) => "banner-s",
            Some(Level::C) => "banner-c",
            Some(Level::U | Level::Sbu) => "banner-u",
            None => "banner-x",
        }
    }
}

/// A whole page: the banner at top and bottom, `body` between them, the style and script.
#[must_use]
pub fn page(title: &str, marking: &PageMarking, body: &Markup, assets: Assets) -> Markup {
    let banner = marking.banner();
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content={ "declass " (env!("CARGO_PKG_VERSION")) };
                title { (banner) " — " (title) }
                @match assets {
                    Assets::Inline => style { (PreEscaped(STYLE)) },
                    Assets::Beside => link rel="stylesheet" href=(ASSETS[0].0);,
                }
            }
            body {
                div class={ "banner top " (marking.class()) } role="note" aria-label="Classification of this page" { (banner) }
                (body)
                div class={ "banner bottom " (marking.class()) } role="note" aria-label="Classification of this page" { (banner) }
                @match assets {
                    Assets::Inline => script { (PreEscaped(SCRIPT)) },
                    Assets::Beside => script src=(ASSETS[1].0) {},
                }
            }
        }
    }
}

/// Document text in element content, escaped as it is rendered: `&`, `<` and `>` become
/// entities, which is all that text outside attributes needs. Found with `memchr`, since the
/// panes hold every byte of every document twice.
#[derive(Debug, Clone, Copy)]
pub struct Text<'a>(pub &'a str);

impl maud::Render for Text<'_> {
    fn render_to(&self, out: &mut String) {
        let bytes = self.0.as_bytes();
        let mut from = 0;
        for at in memchr::memchr3_iter(b'&', b'<', b'>', bytes) {
            out.push_str(&self.0[from..at]);
            out.push_str(match bytes[at] {
                b'&' => "&amp;",
                b'<' => "&lt;",
                _ => "&gt;",
            });
            from = at + 1;
        }
        out.push_str(&self.0[from..]);
    }
}

/// The CSS class and the words of a portion decision.
const fn decision_class(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Release => "d-release",
        Outcome::Redact => "d-redact",
        Outcome::Review => "d-review",
        Outcome::Withhold => "d-withhold",
    }
}

/// The CSS class of a document outcome.
const fn outcome_class(outcome: DocumentOutcome) -> &'static str {
    match outcome {
        DocumentOutcome::ReleaseInFull => "o-full",
        DocumentOutcome::ReleaseInPart => "o-part",
        DocumentOutcome::Review => "o-review",
        DocumentOutcome::DenyInFull => "o-deny",
    }
}

/// The bar above the documents: back to the summary, previous and next redaction.
fn nav(index: Option<&str>) -> Markup {
    html! {
        nav.bar-nav aria-label="Review navigation" {
            @if let Some(index) = index { a href=(index) { "All documents" } }
            button type="button" data-step="-1" title="Previous portion that redacts something (p or k)" {
                "Previous redaction " kbd { "p" }
            }
            button type="button" data-step="1" title="Next portion that redacts something (n or j)" {
                "Next redaction " kbd { "n" }
            }
            span id="where" aria-live="polite" {}
        }
    }
}

/// A page of one document ([`document::article`]) with the marking of what it shows, in a
/// directory with [`ASSETS`].
#[must_use]
pub fn document_page(title: &str, marking: &PageMarking, article: &Markup, index: &str) -> String {
    let body = html! { (nav(Some(index))) main { (article) } };
    page(title, marking, &body, Assets::Beside).into_string()
}

/// The summary page of a directory of document pages and [`ASSETS`].
#[must_use]
pub fn index_page(summary: &summary::Summary, policy: &crate::policy::Policy, as_of: chrono::NaiveDate) -> String {
    let body = html! { main { (summary::section(summary, policy, as_of)) } };
    page("declass review", &summary.marking(), &body, Assets::Beside).into_string()
}

/// One page with the summary and every document (already rendered, in order).
#[must_use]
pub fn single_page(
    summary: &summary::Summary,
    articles: &[String],
    policy: &crate::policy::Policy,
    as_of: chrono::NaiveDate,
) -> String {
    let body = html! {
        (nav(None))
        main {
            (summary::section(summary, policy, as_of))
            @for article in articles { (PreEscaped(article)) }
        }
    };
    page("declass review", &summary.marking(), &body, Assets::Inline).into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_what_would_be_markup() {
        let rendered = html! { pre { (Text("a<b>&c</pre><script>\"x\"")) } }.into_string();
        assert_eq!(rendered, "<pre>a&lt;b&gt;&amp;c&lt;/pre&gt;&lt;script&gt;\"x\"</pre>");
    }

    #[test]
    fn a_page_is_marked_at_its_highest_level_and_says_when_a_mark_was_not_read() {
        let doc = crate::parse::parse_str(
            "SECRET\n\nE.O. 12958: DECL: 01/01/2030\n\n1. (C) One.\n\n2. (S//NF) Two.\n\n3. (SE) Three.\n".to_owned(),
        )
        .expect("parses");
        let marking = PageMarking::of(&doc);
        assert_eq!(marking.level, Some(Level::S));
        assert!(marking.banner().starts_with("SECRET//NOFORN"), "{}", marking.banner());
        assert!(marking.banner().contains("COULD NOT BE READ"), "{}", marking.banner());
    }
}
