//! Policies: TOML files that decide, per portion, what is released as of a date.
//!
//! A policy has a name, a version, defaults for what no rule decides (fail closed), and
//! rules. A rule has an id, conditions (`when`), an outcome (`release`, `redact`, `review`,
//! `withhold`), the exemption labels it cites, and a scope (the whole portion, or only the
//! spans its expression matches). Rules are order-independent: the most restrictive matching
//! outcome wins. [`Policy::from_toml`] turns the file into a validated [`Policy`], collecting
//! every error with its location; `declass check` adds its own findings.

pub mod condition;
pub mod diagnostic;
pub mod file;
pub mod format;

use std::fmt::{self, Write as _};
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use sha2::{Digest as _, Sha256};
use toml::Spanned;

use crate::model::{Level, Span, lower_first};
pub use condition::{KindSelector, When};
pub use diagnostic::{Code, Diagnostic, Severity};
use file::{DefaultsFile, PolicyFile, RuleFile, WhenFile, WhenValue};

/// The default policy, compiled into the binary.
pub const DEFAULT_POLICY_TEXT: &str = include_str!("../../policies/default.toml");

/// What happens to a portion, from least to most restrictive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    /// Released as written.
    Release,
    /// Replaced by its number, mark and labels.
    Redact,
    /// Not releasable without a human decision; the document goes to review.
    Review,
    /// The whole document is withheld (denied in full).
    Withhold,
}

impl Outcome {
    /// All outcomes, least restrictive first.
    pub const ALL: [Self; 4] = [Self::Release, Self::Redact, Self::Review, Self::Withhold];

    /// Name in policies, reports and JSON.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Release => "release",
            Self::Redact => "redact",
            Self::Review => "review",
            Self::Withhold => "withhold",
        }
    }

    /// Reads an outcome name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.name() == name)
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a rule removes: the whole portion, or the spans its expression matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The whole portion.
    Portion,
    /// Only the matched spans (the group named `redact`, if the expression has one).
    Matches,
}

/// The level an unmarked portion is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unmarked {
    /// The document's overall level (fail closed: the banner's).
    Inherit,
    /// A fixed level.
    Level(Level),
}

/// What happens when no rule decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Defaults {
    /// Level of an unmarked portion.
    pub unmarked: Unmarked,
    /// Outcome for an unrecognised mark.
    pub unrecognized: Outcome,
    /// Outcome when no rule matches.
    pub no_match: Outcome,
    /// Outcome for a classified portion in a document that calls itself unclassified.
    pub contradiction: Outcome,
    /// Outcome for the portions of a document with parse errors.
    pub parse_error: Outcome,
    /// Labels cited by default redactions.
    pub labels: Vec<String>,
    /// Whether default redactions cite the document's reasons.
    pub cite_reasons: bool,
    /// Whether a prose event falls back to the automatic 25-year date.
    pub event_falls_back_to_25_years: bool,
}

impl Default for Defaults {
    fn default() -> Self {
        Self {
            unmarked: Unmarked::Inherit,
            unrecognized: Outcome::Redact,
            no_match: Outcome::Redact,
            contradiction: Outcome::Redact,
            parse_error: Outcome::Review,
            labels: vec!["B1".to_owned()],
            cite_reasons: true,
            event_falls_back_to_25_years: false,
        }
    }
}

/// A validated rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Unique id.
    pub id: String,
    /// What it is for.
    pub description: Option<String>,
    /// Conditions.
    pub when: When,
    /// What happens when it matches.
    pub outcome: Outcome,
    /// Labels cited.
    pub labels: Vec<String>,
    /// Whether the document's reasons are cited too.
    pub cite_reasons: bool,
    /// Whole portion or matched spans.
    pub scope: Scope,
    /// The `[[rule]]` table in the policy file.
    pub span: Span,
    /// The rule's `id` value in the policy file.
    pub id_span: Span,
}

/// A validated policy.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Name.
    pub name: String,
    /// Version.
    pub version: String,
    /// Description.
    pub description: Option<String>,
    /// SHA-256 of the policy file, hex.
    pub sha256: String,
    /// Defaults.
    pub defaults: Defaults,
    /// Rules, in file order (which does not affect decisions).
    pub rules: Vec<Rule>,
    /// The file's text, kept for tests and diagnostics.
    pub source: String,
}

/// Exemption labels: FOIA exemptions B1–B9 (and B7(A)–(F)), E.O. 13526 §1.4 reasons, and
/// 25X/50X exemption codes.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(B[1-9]|B7\([A-F]\)|1\.4\([A-H]\)|25X[1-9]|50X1-HUM|50X2-WMD|75X[1-9]?)$")
        .expect("the label pattern is a valid regular expression")
});

/// Whether `label` is a known exemption label.
#[must_use]
pub fn is_valid_label(label: &str) -> bool {
    LABEL.is_match(label)
}

/// The order labels are printed in: B1 and its 1.4 reasons, then B2–B9, then exemption codes.
#[must_use]
pub fn label_order(label: &str) -> (u32, &str) {
    let rank = if let Some(rest) = label.strip_prefix('B') {
        rest.chars().next().and_then(|c| c.to_digit(10)).unwrap_or(99)
    } else if label.starts_with("1.4(") {
        1
    } else {
        100
    };
    let within = if label.starts_with('B') && rank == 1 { "" } else { label };
    (rank, within)
}

/// Sorts labels canonically and removes repeats: `B1,1.4(B),1.4(D),B6`.
pub fn sort_labels(labels: &mut Vec<String>) {
    labels.sort_by(|a, b| label_order(a).cmp(&label_order(b)));
    labels.dedup();
}

impl Policy {
    /// The embedded default policy.
    ///
    /// # Panics
    /// Never in a released build: the embedded policy is checked by the test suite.
    #[must_use]
    pub fn embedded_default() -> Self {
        Self::from_toml(DEFAULT_POLICY_TEXT).expect("the embedded default policy is valid").0
    }

    /// Reads a policy from TOML text, with the warnings found while reading it.
    ///
    /// # Errors
    /// Every error found (syntax, schema, unknown values, invalid expressions, unsafe
    /// defaults…), each with the span of the offending text.
    ///
    /// # Examples
    /// ```
    /// let (policy, _) = declass::policy::Policy::from_toml(r#"
    /// name = "tiny"
    /// version = "1"
    /// [[rule]]
    /// id = "release-unclassified"
    /// when = { level = ["U"] }
    /// outcome = "release"
    /// "#).unwrap();
    /// assert_eq!(policy.rules[0].id, "release-unclassified");
    /// assert!(declass::policy::Policy::from_toml("name = 1").is_err());
    /// ```
    pub fn from_toml(text: &str) -> Result<(Self, Vec<Diagnostic>), Vec<Diagnostic>> {
        let file: PolicyFile = toml::from_str(text).map_err(|e| vec![toml_error(&e, text)])?;
        let mut errors = Vec::new();
        let defaults = file.defaults.as_ref().map_or_else(Defaults::default, |d| compile_defaults(d, &mut errors));
        let mut rules = Vec::new();
        for rule in &file.rules {
            if let Some(rule) = compile_rule(rule, &mut errors) {
                rules.push(rule);
            }
        }
        let mut seen: Vec<&Rule> = Vec::new();
        for rule in &rules {
            if let Some(first) = seen.iter().find(|r| r.id == rule.id) {
                let line = crate::model::LineIndex::new(text).position(text, first.id_span.start).line;
                errors.push(
                    Diagnostic::new(Code::P012, format!("rule id `{}` is already used", rule.id), Some(rule.id_span))
                        .with_hint(format!("the first rule with this id is on line {line}")),
                );
            } else {
                seen.push(rule);
            }
        }
        if errors.iter().any(|d| d.severity == Severity::Error) {
            errors.sort_by_key(|d| d.span.map(|s| s.start));
            return Err(errors);
        }
        let policy = Self {
            name: file.name.get_ref().clone(),
            version: file.version.get_ref().clone(),
            description: file.description.map(Spanned::into_inner),
            sha256: sha256_hex(text),
            defaults,
            rules,
            source: text.to_owned(),
        };
        Ok((policy, errors))
    }
}

/// SHA-256 of `text`, lower-case hex.
#[must_use]
pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().fold(String::with_capacity(64), |mut hex, b| {
        let _ = write!(hex, "{b:02x}");
        hex
    })
}

fn span_of<T>(value: &Spanned<T>) -> Span {
    let range = value.span();
    Span::new(range.start, range.end)
}

/// A TOML or schema error as a diagnostic: unknown keys get P002 and a suggestion, type and
/// missing-key errors P003, the rest P001.
fn toml_error(error: &toml::de::Error, text: &str) -> Diagnostic {
    let span = error.span().map(|r| Span::new(r.start, r.end));
    let message = error.message().trim().to_owned();
    let lower = lower_first(&message);
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = rest.split("expected ").nth(1).map_or_else(Vec::new, |list| {
            list.split(['`', ','])
                .map(|s| s.trim().trim_start_matches("one of").trim_start_matches("or").trim())
                .filter(|s| !s.is_empty())
                .collect()
        });
        let mut diagnostic = Diagnostic::new(Code::P002, format!("unknown key `{key}`"), span);
        if let Some(near) = diagnostic::did_you_mean(key, expected.iter().copied()) {
            diagnostic = diagnostic.with_hint(format!("did you mean `{near}`?"));
        } else if !expected.is_empty() {
            diagnostic = diagnostic.with_hint(format!(
                "expected one of {}",
                expected.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", ")
            ));
        }
        return diagnostic;
    }
    // Syntax is told from schema by reading the text as plain TOML first.
    let code = if text.parse::<toml::Table>().is_err() { Code::P001 } else { Code::P003 };
    if let Some(rest) = lower.strip_prefix("missing field ") {
        return Diagnostic::new(code, format!("missing key {rest}"), span).with_hint(
            "a policy needs `name` and `version`; a rule needs `id` and `outcome`; a test needs `name` and `as_of`",
        );
    }
    Diagnostic::new(code, lower, span)
}

fn outcome(value: &Spanned<String>, errors: &mut Vec<Diagnostic>) -> Option<Outcome> {
    let found = Outcome::from_name(value.get_ref());
    if found.is_none() {
        let mut d = Diagnostic::new(Code::P008, format!("unknown outcome `{}`", value.get_ref()), Some(span_of(value)));
        if let Some(near) = diagnostic::did_you_mean(value.get_ref(), Outcome::ALL.map(Outcome::name)) {
            d = d.with_hint(format!("did you mean `{near}`?"));
        } else {
            d = d.with_hint("outcomes are `release`, `redact`, `review`, `withhold`");
        }
        errors.push(d);
    }
    found
}

pub(crate) fn level(value: &Spanned<String>, errors: &mut Vec<Diagnostic>) -> Option<Level> {
    let found = Level::ALL.into_iter().find(|l| l.abbrev() == value.get_ref());
    if found.is_none() {
        let mut d = Diagnostic::new(Code::P004, format!("unknown level `{}`", value.get_ref()), Some(span_of(value)));
        let upper = value.get_ref().trim().to_ascii_uppercase();
        let near = Level::from_name(&upper).or_else(|| {
            Level::ALL.into_iter().find(|l| {
                upper.len() >= 2 && (l.banner_word().starts_with(&upper) || upper.starts_with(l.banner_word()))
            })
        });
        d = match near {
            Some(l) => d.with_hint(format!("did you mean `{}` ({})?", l.abbrev(), l.banner_word())),
            None => d.with_hint("levels are `U`, `SBU`, `C`, `S`, `TS`"),
        };
        errors.push(d);
    }
    found
}

fn labels(value: Option<&Spanned<Vec<Spanned<String>>>>, errors: &mut Vec<Diagnostic>) -> Vec<String> {
    let mut out = Vec::new();
    for label in value.map(Spanned::get_ref).into_iter().flatten() {
        let text = label.get_ref().trim();
        let upper = text.to_ascii_uppercase();
        if is_valid_label(&upper) {
            out.push(upper);
        } else {
            errors.push(
                Diagnostic::new(Code::P013, format!("unknown exemption label `{text}`"), Some(span_of(label)))
                    .with_hint("labels are B1–B9, B7(A)–B7(F), 1.4(A)–1.4(H), 25X1–25X9, 50X1-HUM, 50X2-WMD"),
            );
        }
    }
    sort_labels(&mut out);
    out
}

fn compile_defaults(file: &Spanned<DefaultsFile>, errors: &mut Vec<Diagnostic>) -> Defaults {
    let d = file.get_ref();
    let mut defaults = Defaults::default();
    if let Some(unmarked) = &d.unmarked {
        if unmarked.get_ref() == "inherit" {
            defaults.unmarked = Unmarked::Inherit;
        } else if let Some(l) = level(unmarked, errors) {
            defaults.unmarked = Unmarked::Level(l);
            if l != Level::Ts {
                errors.push(
                    Diagnostic::new(
                        Code::P109,
                        format!("unmarked portions are judged at {l}, which is below the banner of a more classified document"),
                        Some(span_of(unmarked)),
                    )
                    .with_hint("use `unmarked = \"inherit\"`: unmarked text inherits the highest level the document shows"),
                );
            }
        }
    }
    for (field, name, target) in [
        (&d.unrecognized, "unrecognized", &mut defaults.unrecognized),
        (&d.no_match, "no_match", &mut defaults.no_match),
        (&d.contradiction, "contradiction", &mut defaults.contradiction),
        (&d.parse_error, "parse_error", &mut defaults.parse_error),
    ] {
        let Some(value) = field else { continue };
        let Some(found) = outcome(value, errors) else { continue };
        if found == Outcome::Release {
            errors.push(
                Diagnostic::new(
                    Code::P017,
                    format!("the default `{name}` releases what no rule understands"),
                    Some(span_of(value)),
                )
                .with_hint("defaults must fail closed: use `redact`, `review` or `withhold`"),
            );
        }
        *target = found;
    }
    if d.labels.is_some() {
        defaults.labels = labels(d.labels.as_ref(), errors);
    }
    if let Some(cite) = &d.cite_reasons {
        defaults.cite_reasons = *cite.get_ref();
    }
    if let Some(fallback) = &d.event_falls_back_to_25_years {
        defaults.event_falls_back_to_25_years = *fallback.get_ref();
    }
    defaults
}

fn date(value: Option<&Spanned<file::DateValue>>, errors: &mut Vec<Diagnostic>) -> Option<NaiveDate> {
    let value = value?;
    let found = value.get_ref().to_date();
    if found.is_none() {
        errors.push(
            Diagnostic::new(Code::P010, "invalid date", Some(span_of(value)))
                .with_hint("write an ISO date such as `2018-02-15`"),
        );
    }
    found
}

/// The rule's conditions, each made by its declaration's reader; a value a reader rejects
/// is reported and leaves the condition out (the rule is then dropped with its errors).
fn compile_when(when: &WhenFile, errors: &mut Vec<Diagnostic>) -> When {
    let conditions = when
        .entries
        .iter()
        .filter_map(|entry| {
            let condition = match &entry.value {
                WhenValue::Flag(make, value) => Some(make(*value.get_ref())),
                WhenValue::Integer(make, value) => Some(make(*value.get_ref())),
                WhenValue::Date(make, value) => date(Some(value), errors).map(make),
                WhenValue::Text(make, value) => make(value, errors),
                WhenValue::Names(make, value) => make(value, errors),
            };
            condition.map(|c| (entry.def, c))
        })
        .collect();
    When::new(conditions)
}

fn compile_rule(file: &Spanned<RuleFile>, errors: &mut Vec<Diagnostic>) -> Option<Rule> {
    let rule = file.get_ref();
    let before = errors.len();
    let id = rule.id.get_ref().trim().to_owned();
    if id.is_empty() || id.contains(char::is_whitespace) {
        errors.push(
            Diagnostic::new(
                Code::P021,
                format!("rule id `{}` is empty or has blanks", rule.id.get_ref()),
                Some(span_of(&rule.id)),
            )
            .with_hint("use a word such as `release-unclassified`"),
        );
    }
    let when = rule.when.as_ref().map_or_else(When::default, |w| compile_when(w.get_ref(), errors));
    let outcome = outcome(&rule.outcome, errors);
    let labels = labels(rule.labels.as_ref(), errors);
    let scope = match rule.scope.as_ref().map(|s| s.get_ref().as_str()) {
        None | Some("portion") => Scope::Portion,
        Some("matches") => Scope::Matches,
        Some(other) => {
            let scope = rule.scope.as_ref().map(span_of);
            errors.push(
                Diagnostic::new(Code::P009, format!("unknown scope `{other}`"), scope)
                    .with_hint("scopes are `portion` and `matches`"),
            );
            Scope::Portion
        }
    };
    if scope == Scope::Matches {
        let where_ = rule.scope.as_ref().map(span_of);
        if rule.when.as_ref().is_none_or(|w| w.get_ref().get("matches").is_none()) {
            errors.push(
                Diagnostic::new(Code::P014, "a rule with `scope = \"matches\"` needs a `matches` expression", where_)
                    .with_hint("add `matches = \"…\"` to `when`"),
            );
        } else if outcome.is_some_and(|o| o != Outcome::Redact) {
            errors.push(
                Diagnostic::new(
                    Code::P014,
                    "a rule with `scope = \"matches\"` must have the outcome `redact`",
                    Some(span_of(&rule.outcome)),
                )
                .with_hint("span rules only cut what they match"),
            );
        }
    }
    if errors.len() > before {
        return None;
    }
    Some(Rule {
        id,
        description: rule.description.as_ref().map(|d| d.get_ref().clone()),
        when,
        outcome: outcome?,
        labels,
        cite_reasons: rule.cite_reasons.as_ref().is_some_and(|c| *c.get_ref()),
        scope,
        span: span_of(file),
        id_span: span_of(&rule.id),
    })
}
