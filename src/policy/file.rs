//! The policy file as written: serde structures over TOML that keep every value's span, so
//! that errors and checks can point at `path:line:col`. Unknown keys are rejected.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use toml::Spanned;

use super::condition::{self, ConditionDef, DateReader, FlagReader, IntegerReader, NamesReader, Reader, TextReader};

/// A whole policy file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyFile {
    /// The policy's name.
    pub name: Spanned<String>,
    /// Its version, free text (`1.0`, `2026-11`).
    pub version: Spanned<String>,
    /// What it is for.
    #[serde(default)]
    pub description: Option<Spanned<String>>,
    /// What happens when no rule decides.
    #[serde(default)]
    pub defaults: Option<Spanned<DefaultsFile>>,
    /// The rules, in any order: the most restrictive matching outcome wins.
    #[serde(default, rename = "rule")]
    pub rules: Vec<Spanned<RuleFile>>,
    /// Test cases the policy carries.
    #[serde(default, rename = "test")]
    pub tests: Vec<Spanned<TestFile>>,
}

/// `[defaults]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefaultsFile {
    /// What an unmarked portion's level is: `inherit` (the document's overall level) or a level.
    #[serde(default)]
    pub unmarked: Option<Spanned<String>>,
    /// Outcome for a portion whose mark is not recognised.
    #[serde(default)]
    pub unrecognized: Option<Spanned<String>>,
    /// Outcome when no rule matches.
    #[serde(default)]
    pub no_match: Option<Spanned<String>>,
    /// Outcome for a classified portion in a document that calls itself unclassified.
    #[serde(default)]
    pub contradiction: Option<Spanned<String>>,
    /// Outcome for every portion of a document the parser could not read reliably.
    #[serde(default)]
    pub parse_error: Option<Spanned<String>>,
    /// Labels cited by default redactions.
    #[serde(default)]
    pub labels: Option<Spanned<Vec<Spanned<String>>>>,
    /// Whether default redactions cite the document's 1.4 reasons.
    #[serde(default)]
    pub cite_reasons: Option<Spanned<bool>>,
    /// Whether a prose event instruction falls back to the automatic 25-year date.
    #[serde(default)]
    pub event_falls_back_to_25_years: Option<Spanned<bool>>,
}

/// `[[rule]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// Unique id, named in every decision it makes.
    pub id: Spanned<String>,
    /// What the rule is for.
    #[serde(default)]
    pub description: Option<Spanned<String>>,
    /// Conditions, all of which must hold.
    #[serde(default)]
    pub when: Option<Spanned<WhenFile>>,
    /// `release`, `redact`, `withhold` or `review`.
    pub outcome: Spanned<String>,
    /// Exemption labels cited (`B1`, `1.4(B)`, `B6`).
    #[serde(default)]
    pub labels: Option<Spanned<Vec<Spanned<String>>>>,
    /// Whether to add the document's `1.4(X)` reasons to the labels.
    #[serde(default)]
    pub cite_reasons: Option<Spanned<bool>>,
    /// `portion` (default) or `matches` (only the spans `matches` finds).
    #[serde(default)]
    pub scope: Option<Spanned<String>>,
}

/// `when`: conditions on the portion and its document, keyed by the names of
/// [`condition::CONDITIONS`]. Each value is read in the shape its condition declares, with its
/// span; an unknown key is an error that lists the known ones.
#[derive(Debug, Default)]
pub struct WhenFile {
    /// The conditions as written, in file order.
    pub entries: Vec<WhenEntry>,
}

/// One condition as written: its declaration and its value.
#[derive(Debug)]
pub struct WhenEntry {
    /// The condition's declaration.
    pub def: &'static ConditionDef,
    /// Its value, in the shape the declaration asks for.
    pub value: WhenValue,
}

/// A condition's value as written, with its span, beside the function that makes the
/// condition of it (so that a value can only meet the reader of its own shape).
#[derive(Debug)]
pub enum WhenValue {
    /// `true` or `false`.
    Flag(FlagReader, Spanned<bool>),
    /// A whole number.
    Integer(IntegerReader, Spanned<i64>),
    /// A date, bare or quoted.
    Date(DateReader, Spanned<DateValue>),
    /// A string.
    Text(TextReader, Spanned<String>),
    /// A list of strings.
    Names(NamesReader, Spanned<Vec<Spanned<String>>>),
}

impl WhenValue {
    /// Where the value is written.
    #[must_use]
    pub fn span(&self) -> std::ops::Range<usize> {
        match self {
            Self::Flag(_, v) => v.span(),
            Self::Integer(_, v) => v.span(),
            Self::Date(_, v) => v.span(),
            Self::Text(_, v) => v.span(),
            Self::Names(_, v) => v.span(),
        }
    }
}

impl WhenFile {
    /// The value written for the condition `key`, if any.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&WhenValue> {
        self.entries.iter().find(|e| e.def.key == key).map(|e| &e.value)
    }
}

/// A key of `when`, read as its condition's declaration. An unknown key fails while the key
/// is read, so that the error points at the key and lists the known ones.
struct ConditionKey(&'static ConditionDef);

impl<'de> Deserialize<'de> for ConditionKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Key;
        impl Visitor<'_> for Key {
            type Value = ConditionKey;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("the name of a condition")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<ConditionKey, E> {
                condition::find(key)
                    .map(ConditionKey)
                    .ok_or_else(|| de::Error::unknown_field(key, condition::KEYS.as_slice()))
            }
        }
        deserializer.deserialize_identifier(Key)
    }
}

impl<'de> Deserialize<'de> for WhenFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = WhenFile;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table of conditions")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<WhenFile, A::Error> {
                let mut entries = Vec::new();
                while let Some(ConditionKey(def)) = map.next_key()? {
                    let value = match def.reader {
                        Reader::Flag(make) => WhenValue::Flag(make, map.next_value()?),
                        Reader::Integer(make) => WhenValue::Integer(make, map.next_value()?),
                        Reader::Date(make) => WhenValue::Date(make, map.next_value()?),
                        Reader::Text(make) => WhenValue::Text(make, map.next_value()?),
                        Reader::Names(make) => WhenValue::Names(make, map.next_value()?),
                    };
                    entries.push(WhenEntry { def, value });
                }
                Ok(WhenFile { entries })
            }
        }
        deserializer.deserialize_map(Entries)
    }
}

/// A date written as a TOML date (`2018-02-15`) or a string (`"2018-02-15"`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum DateValue {
    /// A bare TOML date.
    Bare(toml::value::Datetime),
    /// A quoted date.
    Text(String),
}

impl DateValue {
    /// The date, if it is a valid `YYYY-MM-DD`.
    #[must_use]
    pub fn to_date(&self) -> Option<chrono::NaiveDate> {
        let text = match self {
            Self::Bare(datetime) => {
                let date = datetime.date?;
                if datetime.time.is_some() {
                    return None;
                }
                return chrono::NaiveDate::from_ymd_opt(
                    i32::from(date.year),
                    u32::from(date.month),
                    u32::from(date.day),
                );
            }
            Self::Text(text) => text,
        };
        crate::model::iso_date(text)
    }
}

/// `[[test]]`: a test case carried by the policy.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestFile {
    /// Name shown in results.
    pub name: Spanned<String>,
    /// The document, inline.
    #[serde(default)]
    pub document: Option<Spanned<String>>,
    /// The document, as a path relative to the policy file.
    #[serde(default)]
    pub path: Option<Spanned<String>>,
    /// The date to evaluate at.
    pub as_of: Spanned<DateValue>,
    /// Expected document outcome (`release_in_full`, `release_in_part`, `deny_in_full`, `review`).
    #[serde(default)]
    pub outcome: Option<Spanned<String>>,
    /// Expected decisions of portions.
    #[serde(default)]
    pub portions: Vec<Spanned<PortionExpectation>>,
}

/// Expected decision of one portion, found by kind and number (or by its first words).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortionExpectation {
    /// Portion kind (default `paragraph`).
    #[serde(default)]
    pub kind: Option<Spanned<String>>,
    /// Paragraph number or label.
    #[serde(default)]
    pub number: Option<Spanned<String>>,
    /// Text the portion starts with, to find unnumbered portions.
    #[serde(default)]
    pub starts_with: Option<Spanned<String>>,
    /// Expected decision.
    pub decision: Spanned<String>,
    /// Expected deciding rules, if given.
    #[serde(default)]
    pub rules: Option<Spanned<Vec<Spanned<String>>>>,
    /// Expected labels, if given.
    #[serde(default)]
    pub labels: Option<Spanned<Vec<Spanned<String>>>>,
}
