//! The classifier's name in a `Classified By:` line: titles and offices before it, reasons
//! and orders after it, initials and suffixes inside it.

use std::collections::HashSet;
use std::sync::LazyLock;

use foldhash::fast::RandomState;

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

/// `TITLE_WORDS` as a set: a classifier's every word is looked up, some twice.
static TITLE_SET: LazyLock<HashSet<&'static str, RandomState>> =
    LazyLock::new(|| TITLE_WORDS.iter().copied().collect());

fn is_title_word(word: &str) -> bool {
    let lower = word.trim_matches(|c: char| matches!(c, ',' | ':' | ';')).to_lowercase();
    TITLE_SET.contains(lower.as_str())
        || TITLE_SET.contains(lower.trim_end_matches('.'))
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

/// Words that begin the reason after a classifier's name (in lower case). Each starts with a
/// blank or a hyphen.
const REASON_STOPS: [&str; 14] = [
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
];

/// Where the first of the `REASON_STOPS` starts in `lower`: one pass over its blanks and
/// hyphens, instead of a search per word.
fn first_reason_stop(lower: &str) -> Option<usize> {
    let bytes = lower.as_bytes();
    memchr::memchr2_iter(b' ', b'-', bytes)
        .find(|&at| REASON_STOPS.iter().any(|stop| bytes[at..].starts_with(stop.as_bytes())))
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
    if let Some(at) = first_reason_stop(&lower) {
        end = end.min(at);
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
    use super::{REASON_STOPS, classifier_name, first_reason_stop};

    /// The one pass finds the reason where the earliest of the words' own searches does.
    #[test]
    fn the_first_reason_stop_is_the_earliest_of_the_words() {
        for text in [
            "ambassador john smith, for reasons 1.4 (b) and (d)",
            "dcm a. person per e.o. 12958",
            "pol couns b. c. d-reasons 1.5",
            "charge d'affaires e. f. under section 1.4",
            "political officer g. h. based upon 1.4 (c) re asons",
            "eur/rus director",
            "-reas at the start, then  reas twice",
            "",
        ] {
            let earliest = REASON_STOPS.iter().filter_map(|stop| text.find(stop)).min();
            assert_eq!(first_reason_stop(text), earliest, "{text:?}");
        }
    }

    #[test]
    fn classifier_names_drop_titles() {
        assert_eq!(classifier_name("Ambassador William J. Burns").as_deref(), Some("William J. Burns"));
        assert_eq!(classifier_name("DCM Bob Manzanares").as_deref(), Some("Bob Manzanares"));
        assert_eq!(classifier_name("Acting Deputy Chief of Mission Marc Wall").as_deref(), Some("Marc Wall"));
        assert_eq!(classifier_name("EUR/RUS"), None);
    }

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
