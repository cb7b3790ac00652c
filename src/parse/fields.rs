//! Turning the pest pairs of single fields into model values: marks, banners, declassification
//! instructions, reasons and tags (dates are in `dates`, classifier names in `classifier`).

use pest::iterators::Pair;

use super::dates;
use super::grammar::Rule;
use crate::model::{Banner, Control, Decl, DeclKind, Level, MarkValue, Marking, Reasons, Span};

/// The span of a pair in the document, given the offset of the text it was parsed from.
pub(crate) fn span_of(pair: &Pair<'_, Rule>, offset: usize) -> Span {
    let span = pair.as_span();
    Span::new(span.start() + offset, span.end() + offset)
}

/// A `portion_mark` or `unrecognized_mark` pair as a [`Marking`].
pub(crate) fn marking(pair: &Pair<'_, Rule>, offset: usize) -> Marking {
    let raw = pair.as_str().to_owned();
    let span = span_of(pair, offset);
    if pair.as_rule() != Rule::portion_mark {
        return Marking { raw, span, value: MarkValue::Unrecognized };
    }
    let mut level = None;
    let mut controls = Vec::new();
    for inner in pair.clone().into_inner() {
        match inner.as_rule() {
            Rule::mark_level => level = Level::from_name(inner.as_str()),
            Rule::mark_control => controls.push(control(&inner)),
            _ => {}
        }
    }
    match level {
        Some(level) => {
            // `(SBU-N)` is SBU NOFORN; a bare `N` elsewhere is not a control we know.
            let n_misplaced = level != Level::Sbu
                && pair
                    .clone()
                    .into_inner()
                    .any(|p| p.as_rule() == Rule::mark_control && p.as_str().eq_ignore_ascii_case("n"));
            if n_misplaced {
                Marking { raw, span, value: MarkValue::Unrecognized }
            } else {
                Marking { raw, span, value: MarkValue::Recognized { level, controls } }
            }
        }
        None => Marking { raw, span, value: MarkValue::Unrecognized },
    }
}

fn control(pair: &Pair<'_, Rule>) -> Control {
    let Some(inner) = pair.clone().into_inner().next() else {
        return Control::from_word(pair.as_str());
    };
    match inner.as_rule() {
        Rule::rel_to => {
            let countries = inner
                .into_inner()
                .filter(|p| p.as_rule() == Rule::rel_list)
                .flat_map(Pair::into_inner)
                .filter(|p| p.as_rule() == Rule::country)
                .map(|p| p.as_str().trim().to_ascii_uppercase())
                .collect();
            Control::RelTo(countries)
        }
        _ => Control::from_word(inner.as_str()),
    }
}

/// Reads a banner `level` token (`C O N F I D E N T I A L`, `SS E C R E T`, `UNCLAS`).
pub(crate) fn banner_level(text: &str) -> Option<Level> {
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    match squeezed.as_str() {
        "TOPSECRET" => Some(Level::Ts),
        "SECRET" | "SSECRET" => Some(Level::S),
        "CONFIDENTIAL" => Some(Level::C),
        "UNCLASSIFIED" | "UNCLAS" => Some(Level::U),
        _ => None,
    }
}

/// Controls written on a banner after `//` (`NOFORN`, `FOR OFFICIAL USE ONLY`, `SCI`).
fn banner_controls(pair: &Pair<'_, Rule>, out: &mut Vec<Control>) {
    for control in pair.clone().into_inner().filter(|p| p.as_rule() == Rule::banner_control) {
        let text = control.as_str().trim();
        let upper = text.to_ascii_uppercase();
        if let Some(list) = upper.strip_prefix("REL TO ") {
            out.push(Control::RelTo(list.split(',').map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect()));
        } else {
            out.push(Control::from_word(text));
        }
    }
}

/// A `banner` pair as a [`Banner`], with the span of its tail (glued text) if any.
pub(crate) fn banner(pair: &Pair<'_, Rule>, offset: usize) -> Option<(Banner, Option<Span>)> {
    let mut level = None;
    let mut controls = Vec::new();
    let mut section = None;
    let mut post = None;
    let mut serial = None;
    let mut raw_end = pair.as_span().start();
    let mut own_end = raw_end;
    let mut tail = None;
    for inner in pair.clone().into_inner() {
        if inner.as_rule() != Rule::banner_tail {
            own_end = own_end.max(inner.as_span().end());
        }
        match inner.as_rule() {
            Rule::spaced_level | Rule::word_level => {
                level = banner_level(inner.as_str());
                raw_end = inner.as_span().end();
            }
            Rule::banner_controls => {
                banner_controls(&inner, &mut controls);
                raw_end = inner.as_span().end();
            }
            Rule::efto => controls.push(Control::Other("EFTO".to_owned())),
            Rule::sensitive_caveat => controls.push(Control::Other(inner.as_str().to_ascii_uppercase())),
            Rule::section => {
                let numbers: Vec<u32> = inner
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::section_number)
                    .filter_map(|p| p.as_str().parse().ok())
                    .collect();
                if let [n, m] = numbers[..] {
                    section = Some((n, m));
                }
            }
            Rule::post_serial => {
                for part in inner.into_inner() {
                    match part.as_rule() {
                        Rule::post_name => post = Some(part.as_str().to_owned()),
                        Rule::serial => serial = Some(part.as_str().to_owned()),
                        _ => {}
                    }
                }
            }
            Rule::banner_tail if !inner.as_str().trim().is_empty() => tail = Some(span_of(&inner, offset)),
            _ => {}
        }
    }
    let source = pair.as_str();
    let start = pair.as_span().start();
    let raw = source.get(..raw_end.saturating_sub(start)).unwrap_or(source).trim().to_owned();
    // The banner ends where its own words end; glued text is not part of it.
    let span = Span::new(start + offset, own_end + offset);
    Some((Banner { level: level?, controls, section, post, serial, raw, span }, tail))
}

/// A `decl_instruction`, `decl_value` or `declassify_on` pair as a [`Decl`].
pub(crate) fn decl(pair: &Pair<'_, Rule>, offset: usize) -> Decl {
    let raw = pair.as_str().trim_end().to_owned();
    let span = Some(span_of(pair, offset));
    let mut kind = DeclKind::Unrecognized;
    let mut date = None;
    let mut exemptions = Vec::new();
    for inner in pair.clone().into_inner().flatten() {
        match inner.as_rule() {
            Rule::na if kind == DeclKind::Unrecognized => kind = DeclKind::Na,
            Rule::oadr => kind = DeclKind::Oadr,
            Rule::manual_review => kind = DeclKind::Mr,
            // Prose about a time or an event is an event (`TEN YEARS AFTER KOREAN UNIFICATION`);
            // anything else that is not an instruction (`SEE ANNEX`, `011/2/2019`) is unrecognised.
            Rule::event => kind = if is_event(inner.as_str()) { DeclKind::Event } else { DeclKind::Unrecognized },
            Rule::decl_date if date.is_none() => {
                date = dates::date_of(&inner);
                if kind == DeclKind::Unrecognized {
                    kind = if date.is_some() { DeclKind::Date } else { DeclKind::Unrecognized };
                }
            }
            Rule::exemption_code => {
                let code = inner.as_str().to_ascii_uppercase().replace(' ', "");
                let code_kind = exemption_kind(&code);
                if kind == DeclKind::Unrecognized || kind == DeclKind::Date || code_kind > kind {
                    kind = code_kind;
                }
                exemptions.push(code);
            }
            Rule::downgrade => kind = DeclKind::Unrecognized,
            _ => {}
        }
    }
    // An exemption with a date keeps its exemption kind; the date is its limit.
    if kind == DeclKind::Event && raw.trim().is_empty() {
        kind = DeclKind::Missing;
    }
    Decl { kind, date, exemptions, raw, span }
}

/// Whether text reads as an event: words, one of which speaks of time or an occurrence
/// (`YEARS`, `AFTER`, `UPON`, `UNTIL`, `CLOSURE`…).
fn is_event(text: &str) -> bool {
    const TIME_WORDS: [&str; 16] = [
        "YEAR",
        "YEARS",
        "MONTHS",
        "AFTER",
        "UPON",
        "UNTIL",
        "WHEN",
        "FOLLOWING",
        "CLOSURE",
        "COMPLETION",
        "END",
        "TERMINATION",
        "CONCLUSION",
        "EXPIRATION",
        "UNIFICATION",
        "DEATH",
    ];
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_ascii_uppercase)
        .collect();
    words.len() >= 2 && words.iter().any(|w| TIME_WORDS.contains(&w.as_str()))
}

/// The kind an exemption code belongs to. Restricted data and NATO never lapse by date.
fn exemption_kind(code: &str) -> DeclKind {
    if code.starts_with("25X") {
        // `25X1-HUMAN` is the human-source exemption, treated like `50X1-HUM`.
        if code.contains("HUM") { DeclKind::X50 } else { DeclKind::X25 }
    } else if code.starts_with("50X") {
        DeclKind::X50
    } else if code.starts_with("75X") || matches!(code, "RD" | "FRD" | "NATO") {
        DeclKind::X75
    } else {
        DeclKind::X
    }
}

/// A `reasons` pair as [`Reasons`].
pub(crate) fn reasons(pair: &Pair<'_, Rule>) -> Reasons {
    let mut out = Reasons::default();
    for inner in pair.clone().into_inner().flatten() {
        match inner.as_rule() {
            Rule::reason_section => {
                let digits: String = inner.as_str().chars().filter(char::is_ascii_digit).collect();
                out.section = Some(match digits.as_str() {
                    "15" => "1.5".to_owned(),
                    "16" => "1.6".to_owned(),
                    _ => "1.4".to_owned(),
                });
            }
            Rule::reason_letter => {
                if let Some(letter) = inner.as_str().chars().next() {
                    out.letters.push(letter.to_ascii_lowercase());
                }
            }
            _ => {}
        }
    }
    out.letters.sort_unstable();
    out.letters.dedup();
    out
}

/// A `tags_field` pair as upper-case tags.
pub(crate) fn tags(pair: &Pair<'_, Rule>) -> Vec<String> {
    pair.clone()
        .into_inner()
        .find(|p| p.as_rule() == Rule::tag_list)
        .map(|list| split_tags(&list.as_str()[..tags_extent(list.as_str())]))
        .unwrap_or_default()
}

/// How much of a tag list is tags: words of capitals and digits (`PREL`, `KNNP`, `OVIP(RICE,`),
/// or, in a list written in lower case, lower-case words (`prel, pgov`). The first word
/// of another kind (prose, a portion mark, a page header) and all that follows it are not tags.
pub(crate) fn tags_extent(list: &str) -> usize {
    let mut end = 0;
    let mut lower_list = None;
    let mut at = 0;
    for word in list.split_inclusive(|c: char| c.is_whitespace() || c == ',' || c == ';') {
        let start = at;
        at += word.len();
        let bare = word.trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '.' | ':' | '-'));
        if bare.is_empty() {
            continue;
        }
        let has_lower = bare.chars().any(char::is_lowercase);
        let lower = *lower_list.get_or_insert(has_lower && !bare.chars().any(char::is_uppercase));
        let is_tag = if lower {
            bare.len() <= 12 && bare.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        } else {
            // Not prose, a page header word, or a portion mark.
            let mark = bare.starts_with('(') && bare.ends_with(')') && bare.len() <= 12;
            !(has_lower || mark || matches!(bare, "SECRET" | "CONFIDENTIAL" | "UNCLASSIFIED" | "PAGE"))
        };
        if !is_tag {
            break;
        }
        end = start + word.trim_end().len();
    }
    end
}

/// Tags written on a line: separated by blanks, commas or semicolons, upper-cased.
/// A page header left in the line (`SECRET PAGE 02 ROME 03067`) ends the tags.
pub(crate) fn split_tags(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .map(|t| t.trim_matches(|c: char| c == '.' || c == '-' || c == ':').to_ascii_uppercase())
        .filter(|t| !t.is_empty())
        .take_while(|t| !matches!(t.as_str(), "SECRET" | "CONFIDENTIAL" | "UNCLASSIFIED" | "PAGE"))
        .collect();
    // Kept with the line until the document is assembled: no room for tags that never come.
    tags.shrink_to_fit();
    tags
}
