//! The policy file as written: serde structures over TOML that keep every value's span, so
//! that errors and checks can point at `path:line:col`. Unknown keys are rejected.

use serde::Deserialize;
use toml::Spanned;

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

/// `when`: conditions on the portion and its document. Lists match any of their values.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WhenFile {
    /// Portion kinds, or `header_line` for all administrative lines.
    #[serde(default)]
    pub kind: Option<Spanned<Vec<Spanned<String>>>>,
    /// Effective levels of the portion (its own mark, or what it inherits).
    #[serde(default)]
    pub level: Option<Spanned<Vec<Spanned<String>>>>,
    /// Whether the portion carries its own mark.
    #[serde(default)]
    pub marked: Option<Spanned<bool>>,
    /// Controls on the portion or the document (any of).
    #[serde(default)]
    pub controls: Option<Spanned<Vec<Spanned<String>>>>,
    /// The executive order cited (`12958`, `13526`).
    #[serde(default)]
    pub order: Option<Spanned<Vec<Spanned<String>>>>,
    /// Kinds of declassification instruction.
    #[serde(default)]
    pub instruction: Option<Spanned<Vec<Spanned<String>>>>,
    /// Whether the classification has lapsed as of the date.
    #[serde(default)]
    pub lapsed: Option<Spanned<bool>>,
    /// Whether the instruction calls for review rather than release by date (events, 25X
    /// without a date, 50X, 75X, an automatic date that cannot be computed).
    #[serde(default)]
    pub needs_review: Option<Spanned<bool>>,
    /// Document age in whole years as of the date, at least.
    #[serde(default)]
    pub age_min: Option<Spanned<i64>>,
    /// Document age in whole years as of the date, less than.
    #[serde(default)]
    pub age_below: Option<Spanned<i64>>,
    /// Reasons cited (any of the letters `a`–`h`).
    #[serde(default)]
    pub reasons: Option<Spanned<Vec<Spanned<String>>>>,
    /// TAGS (any of).
    #[serde(default)]
    pub tags: Option<Spanned<Vec<Spanned<String>>>>,
    /// Origin date on or after.
    #[serde(default)]
    pub origin_from: Option<Spanned<DateValue>>,
    /// Origin date before.
    #[serde(default)]
    pub origin_before: Option<Spanned<DateValue>>,
    /// Whether the origin date is known.
    #[serde(default)]
    pub origin_known: Option<Spanned<bool>>,
    /// A regular expression over the portion's text.
    #[serde(default)]
    pub matches: Option<Spanned<String>>,
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
