//! Turning the pest pairs of single fields into model values: marks, banners, declassification
//! instructions, dates, reasons, tags and classifier names.

use chrono::{Datelike, NaiveDate};
use pest::iterators::Pair;

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
                date = date_of(&inner);
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

/// A `decl_date` pair as a calendar date; two-digit years are 19YY from 50 up, else 20YY.
pub(crate) fn date_of(pair: &Pair<'_, Rule>) -> Option<NaiveDate> {
    let form = pair.clone().into_inner().next()?;
    let mut year = None;
    let mut month = None;
    let mut day = None;
    for part in form.into_inner() {
        let text = part.as_str();
        match part.as_rule() {
            Rule::year4 | Rule::year_num => year = text.parse::<i32>().ok().map(|y| expand_year(y, text.len())),
            Rule::month_num | Rule::month_num2 => month = text.parse::<u32>().ok(),
            Rule::day_num | Rule::day_num2 => day = text.parse::<u32>().ok(),
            Rule::month_name => month = month_number(text),
            _ => {}
        }
    }
    NaiveDate::from_ymd_opt(year?, month?, day?)
}

/// Expands a two-digit year: 50–99 are 1950–1999, 00–49 are 2000–2049.
pub(crate) const fn expand_year(year: i32, digits: usize) -> i32 {
    if digits > 2 {
        year
    } else if year >= 50 {
        1900 + year
    } else {
        2000 + year
    }
}

/// `JAN`, `January`, `feb` → 1, 2…
pub(crate) fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    let upper = name.get(..3)?.to_ascii_uppercase();
    MONTHS.iter().position(|m| *m == upper).and_then(|i| u32::try_from(i + 1).ok())
}

/// The date of a date-time group such as `151441Z FEB 08`.
pub(crate) fn dtg_date(dtg: &str) -> Option<NaiveDate> {
    let mut words = dtg.split_whitespace();
    let day: u32 = words.next()?.get(..2)?.parse().ok()?;
    let month = month_number(words.next()?)?;
    let year_text = words.next()?;
    let year = expand_year(year_text.parse().ok()?, year_text.len());
    NaiveDate::from_ymd_opt(year, month, day)
}

/// A date written `YYYY-MM-DD…` (the preamble's `Created`, `Cable dated:`).
pub(crate) fn iso_date_prefix(text: &str) -> Option<NaiveDate> {
    crate::model::iso_date(text.trim().get(..10)?).filter(|d| d.year() > 1900)
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
    text.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .map(|t| t.trim_matches(|c: char| c == '.' || c == '-' || c == ':').to_ascii_uppercase())
        .filter(|t| !t.is_empty())
        .take_while(|t| !matches!(t.as_str(), "SECRET" | "CONFIDENTIAL" | "UNCLASSIFIED" | "PAGE"))
        .collect()
}

/// Words of titles and offices that come before a classifier's name.
const TITLE_WORDS: &[&str] = &[
    "acting",
    "ambassador",
    "amb",
    "deputy",
    "chief",
    "of",
    "mission",
    "dcm",
    "charge",
    "chargé",
    "d'affaires",
    "affaires",
    "affairs",
    "d'affaries",
    "de'affairs",
    "cda",
    "political",
    "pol",
    "economic",
    "econ",
    "counselor",
    "counsellor",
    "counsel",
    "councilor",
    "couns",
    "polcouns",
    "econcouns",
    "officer",
    "poloff",
    "econoff",
    "principal",
    "consul",
    "general",
    "cg",
    "minister",
    "minister-counselor",
    "minister-counsellor",
    "secretary",
    "under",
    "assistant",
    "the",
    "by",
    "classified",
    "section",
    "head",
    "director",
    "dir",
    "dir.",
    "for",
    "mr.",
    "ms.",
    "mrs.",
    "dr.",
    "special",
    "envoy",
    "rso",
    "arso",
    "regional",
    "security",
    "public",
    "pao",
    "defense",
    "attache",
    "management",
    "admin",
    "ecopol",
    "polmil",
    "senior",
    "advisor",
    "adviser",
    "coordinator",
    "and",
    "embassy",
    "consulate",
    "office",
    "team",
    "leader",
    "legal",
    "labor",
    "press",
    "commercial",
    "agricultural",
    "representative",
    "permanent",
    "ambassadors",
    "ambassadorial",
    "dpo",
    "pdas",
    "das",
    "com",
    "ltc",
    "col",
    "lt",
    "gen",
    "maj",
    "capt",
    "cdr",
    "adm",
    "tdy",
    "ecmin",
    "polmincons",
    "unit",
    "governance",
    "provincial",
    "interagency",
    "prt",
    "sub-national",
    "chairman",
    "ait",
    "aimbassador",
    "this",
    "message",
    "from",
    "to",
    "a/s",
    "ai",
    "on",
    "behalf",
    "in",
    "at",
    "post",
    "usun",
    "usnato",
    "useu",
    "officer-in-charge",
    "cons",
    "min",
    "off",
    "pol/econ",
    "e/p",
];

/// Honorific suffixes that belong to a name (`Richard L. Baltimore, III`).
const NAME_SUFFIXES: &[&str] = &["jr.", "jr", "sr.", "sr", "ii", "iii", "iv"];

fn is_title_word(word: &str) -> bool {
    let lower = word.trim_matches(|c: char| matches!(c, ',' | ':' | ';')).to_lowercase();
    TITLE_WORDS.contains(&lower.as_str())
        || TITLE_WORDS.contains(&lower.trim_end_matches('.'))
        || lower.contains('/')
        || lower.starts_with("amb") && lower.len() > 5
        || lower.starts_with("couns")
        || lower.starts_with("minister")
        || lower.starts_with("charg")
        || ["poloff", "econoff", "conoff", "polecoff", "econpoloff", "polmiloff", "mgmtoff", "laboff", "pdoff"]
            .contains(&lower.as_str())
}

/// Whether a word can be part of a personal name: a capitalised word, an initial (`J.`).
fn is_name_word(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    word.chars().next().is_some_and(char::is_uppercase)
        && letters >= 1
        && word.chars().all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\''))
}

/// The classifier's name without titles and offices: `Ambassador William J. Burns` →
/// `William J. Burns`; `DCM Bob Manzanares` → `Bob Manzanares`; `Rose E. Gottemoeller,
/// Assistant Secretary` → `Rose E. Gottemoeller`. The name is the run of name-like words
/// that ends the first part of the classifier holding one. Returns `None` when nothing
/// name-like is left (an office such as `EUR/RUS`).
pub(crate) fn classifier_name(classifier: &str) -> Option<String> {
    let text = classifier.replace(['\n', '\r', '\t', ':'], " ");
    // `Classified by` may be repeated inside the classifier.
    let lower = text.to_lowercase();
    let text = lower.rfind("classified by").map_or(text.as_str(), |at| &text[at + "classified by".len()..]);
    let text = text.replace("a.i.", " ").replace("a. i.", " ").replace("A.I.", " ");
    let text = cut_before_reason(&text);
    let parts: Vec<&str> = text.split([',', ';']).map(str::trim).collect();
    for (i, part) in parts.iter().enumerate() {
        let Some(mut name) = trailing_name(part) else { continue };
        if let Some(suffix) = parts.get(i + 1).filter(|s| NAME_SUFFIXES.contains(&s.to_lowercase().as_str())) {
            name = format!("{name}, {suffix}");
        }
        return Some(name);
    }
    None
}

/// Whether a word is one or more initials (`J.`, `W.S`, `A.F.`).
fn is_initials(word: &str) -> bool {
    let segments: Vec<&str> = word.split('.').filter(|s| !s.is_empty()).collect();
    !segments.is_empty() && segments.iter().all(|s| s.chars().count() == 1)
}

/// The classifier text up to where the reason begins: a digit, `reason…` (also broken across
/// lines: `Re asons`, `reas ons`), `per`, `under`, `based upon`, `for E.O.`, or a sentence end
/// after a word that is neither an initial nor a title (`Burns. Reasons`), without a trailing
/// `for`.
fn cut_before_reason(text: &str) -> String {
    let mut end = text.len();
    // A number that starts a word begins the reason (`1.4`); a digit inside a word is a
    // typing slip in a title or name (`COUNSEL0R`).
    let bytes = text.as_bytes();
    if let Some(at) =
        (0..bytes.len()).find(|&i| bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphabetic()))
    {
        end = end.min(at);
    }
    let lower = text.to_lowercase();
    for stop in [
        " reas",
        " re ",
        " rea ",
        "-reas",
        " resons",
        " reaons",
        " per ",
        " under ",
        " based upon",
        " for re",
        " fr re",
        " for e.o",
        " e.o.",
        " e.o ",
    ] {
        if let Some(at) = lower.find(stop) {
            end = end.min(at);
        }
    }
    let mut offset = 0;
    for word in text.split(' ') {
        if let Some(stem) = word.strip_suffix('.') {
            let sentence_end = !stem.is_empty()
                && !is_initials(stem)
                && !is_title_word(word)
                && !NAME_SUFFIXES.contains(&word.to_lowercase().as_str());
            if sentence_end && offset + word.len() < text.len() {
                end = end.min(offset + word.len() - 1);
                break;
            }
        }
        offset += word.len() + 1;
    }
    let mut words: Vec<&str> = text.get(..end).unwrap_or(text).split_whitespace().collect();
    while words.last().is_some_and(|w| {
        matches!(w.to_lowercase().trim_end_matches('.'), "for" | "fr" | "f" | "f0r" | "or" | "per" | "-")
    }) {
        words.pop();
    }
    let joined = words.join(" ");
    let joined = joined.trim_end_matches([':', ' ', '-', ',']);
    let last = joined.rsplit(' ').next().unwrap_or("");
    let keeps_period = is_initials(last) || NAME_SUFFIXES.contains(&last.to_lowercase().as_str());
    if keeps_period { joined.to_owned() } else { joined.trim_end_matches('.').to_owned() }
}

/// The name at the end of a part of the classifier: name words read backwards until a title
/// word or a word that follows `to`, `for`, `of` or `and` (`Ambassador to Sudan`), at most
/// three words after any leading initials are dropped; at least two words, or one mixed-case
/// word such as `AFriedt`.
fn trailing_name(part: &str) -> Option<String> {
    let mut words: Vec<&str> = part.split_whitespace().collect();
    // Fragments of a word broken across lines (`pe` / `r` for `per`) end the part.
    while words.last().is_some_and(|w| w.len() <= 3 && w.chars().all(|c| c.is_ascii_lowercase())) {
        words.pop();
    }
    let has_suffix = words.last().is_some_and(|w| NAME_SUFFIXES.contains(&w.to_lowercase().as_str()));
    let most = 3 + usize::from(has_suffix);
    let mut start = words.len();
    while start > 0 && words.len() - start < most + 1 {
        let word = words[start - 1];
        if !is_name_word(word) || is_title_word(word) {
            break;
        }
        let after_connector =
            start >= 2 && matches!(words[start - 2].to_lowercase().as_str(), "to" | "for" | "of" | "and");
        start -= 1;
        if after_connector {
            start += usize::from(words.len() - start > 1);
            break;
        }
    }
    let mut name = &words[start..];
    // A single letter without a period, or an all-capital short word, at the front is the
    // end of an office or title (`AFFAIR S ROBERT LUKE`, `AF KARL WYCOFF`).
    while let [first, rest @ ..] = name {
        let stray_letter = first.chars().count() == 1;
        let office = rest.len() >= 2
            && first.len() <= 3
            && !first.contains('.')
            && first.chars().all(|c| c.is_ascii_uppercase());
        if stray_letter || office || name.len() > most && !is_initials(first) {
            name = rest;
        } else {
            break;
        }
    }
    let single_mixed =
        name.len() == 1 && name[0].chars().skip(1).any(char::is_uppercase) && name[0].chars().any(char::is_lowercase);
    (name.len() >= 2 || single_mixed).then(|| name.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_digit_years_expand_around_1950() {
        assert_eq!(expand_year(8, 2), 2008);
        assert_eq!(expand_year(66, 2), 1966);
        assert_eq!(expand_year(2018, 4), 2018);
    }

    #[test]
    fn dtg_dates() {
        assert_eq!(dtg_date("151441Z FEB 08"), NaiveDate::from_ymd_opt(2008, 2, 15));
        assert_eq!(dtg_date("281806Z DEC 66"), NaiveDate::from_ymd_opt(1966, 12, 28));
        assert_eq!(dtg_date("nonsense"), None);
    }

    #[test]
    fn classifier_names_drop_titles() {
        assert_eq!(classifier_name("Ambassador William J. Burns").as_deref(), Some("William J. Burns"));
        assert_eq!(classifier_name("DCM Bob Manzanares").as_deref(), Some("Bob Manzanares"));
        assert_eq!(classifier_name("Acting Deputy Chief of Mission Marc Wall").as_deref(), Some("Marc Wall"));
        assert_eq!(classifier_name("EUR/RUS"), None);
    }
}

#[cfg(test)]
mod classifier_tests {
    use super::classifier_name;

    #[test]
    fn names_found_after_titles_and_before_reasons() {
        for (input, expected) in [
            ("Institutional Affairs Unit Chief Courtney Nemroff for re asons 1.4 (b) & (d)", "Courtney Nemroff"),
            ("AMBASSADOR JOHN L. WITHERS II FR", "JOHN L. WITHERS II"),
            ("Amb. Jackie Sanders. E.O 12958.", "Jackie Sanders"),
            ("Charge de'Affairs ai. Mary Grace McGeehan for", "Mary Grace McGeehan"),
            ("Ambassador William J. Burns", "William J. Burns"),
            ("Rose E. Gottemoeller, Assistant Secretary, Department of State, VCI", "Rose E. Gottemoeller"),
            ("AMBASSADOR TO SUDAN TIMOTHY CARNEY.", "TIMOTHY CARNEY"),
        ] {
            assert_eq!(classifier_name(input).as_deref(), Some(expected), "{input}");
        }
    }
}
