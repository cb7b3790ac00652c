//! Diagnostics about policy files: a stable code, a severity, a message and the span of the
//! offending text. Every code is documented here (what, why, example); `declass check
//! --explain CODE` prints it, and `docs/diagnostics.md` is that output for all codes (a test
//! keeps the two the same).

use std::fmt;

use crate::model::Span;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Suspicious but legal; fails the check only with `--deny-warnings`.
    Warning,
    /// The policy is broken or unsafe and cannot be used.
    Error,
}

impl Severity {
    /// `error` or `warning`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
        }
    }
}

/// Every diagnostic code, with its documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// TOML syntax error.
    P001,
    /// Unknown key.
    P002,
    /// Missing key or value of the wrong type.
    P003,
    /// Unknown classification level.
    P004,
    /// Unknown control.
    P005,
    /// Unknown instruction kind.
    P006,
    /// Unknown portion kind.
    P007,
    /// Unknown outcome.
    P008,
    /// Unknown scope.
    P009,
    /// Invalid date.
    P010,
    /// Regular expression does not compile.
    P011,
    /// Duplicate rule id.
    P012,
    /// Unknown exemption label.
    P013,
    /// `scope = "matches"` without `matches`, or with an outcome other than `redact`.
    P014,
    /// A rule releases portions whose instruction never lapses by date.
    P015,
    /// A rule can never fire: its conditions contradict each other.
    P016,
    /// A default releases what it does not understand.
    P017,
    /// Invalid reason letter.
    P018,
    /// Invalid policy test.
    P019,
    /// A policy test failed.
    P020,
    /// Empty or invalid rule id.
    P021,
    /// A rule releases classified content without asking that its instruction has lapsed.
    P022,
    /// Unknown handling caveat.
    P023,
    /// A rule is shadowed: a more restrictive rule fires whenever it does.
    P101,
    /// A release rule with no condition on level, kind or lapse.
    P102,
    /// A rule without a description.
    P103,
    /// Labels on a release rule.
    P104,
    /// A redaction without labels.
    P105,
    /// A regular expression that matches the empty string.
    P106,
    /// A rule with no conditions at all.
    P107,
    /// A rule no policy test exercises.
    P108,
    /// Unmarked portions are given a fixed level, which may be below the document's banner.
    P109,
}

impl Code {
    /// Every code, in order.
    pub const ALL: [Self; 32] = [
        Self::P001,
        Self::P002,
        Self::P003,
        Self::P004,
        Self::P005,
        Self::P006,
        Self::P007,
        Self::P008,
        Self::P009,
        Self::P010,
        Self::P011,
        Self::P012,
        Self::P013,
        Self::P014,
        Self::P015,
        Self::P016,
        Self::P017,
        Self::P018,
        Self::P019,
        Self::P020,
        Self::P021,
        Self::P022,
        Self::P023,
        Self::P101,
        Self::P102,
        Self::P103,
        Self::P104,
        Self::P105,
        Self::P106,
        Self::P107,
        Self::P108,
        Self::P109,
    ];

    /// The code as written (`P004`).
    #[must_use]
    pub fn name(self) -> String {
        format!("{self:?}")
    }

    /// The severity of this code.
    #[must_use]
    pub const fn severity(self) -> Severity {
        match self {
            Self::P101
            | Self::P102
            | Self::P103
            | Self::P104
            | Self::P105
            | Self::P106
            | Self::P107
            | Self::P108
            | Self::P109 => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// What the code means, why it matters, and an example of the problem.
    #[must_use]
    pub const fn documentation(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Self::P001 => ("TOML syntax error", "the file cannot be read at all", "rule = [ unclosed"),
            Self::P002 => (
                "unknown key",
                "a misspelt key would otherwise be ignored and the rule would match more than intended",
                "[rule.when]\nlevle = [\"C\"]",
            ),
            Self::P003 => (
                "missing key or value of the wrong type",
                "a rule without an id or outcome cannot be explained or applied",
                "[[rule]]\nid = \"x\"   # no outcome",
            ),
            Self::P004 => ("unknown classification level", "levels are U, SBU, C, S, TS", "level = [\"CONF\"]"),
            Self::P005 => (
                "unknown control",
                "a control that never occurs makes the condition silently false",
                "controls = [\"NOFRON\"]",
            ),
            Self::P006 => (
                "unknown instruction kind",
                "kinds are date, na, oadr, mr, x, 25x, 50x, 75x, event, missing, unrecognized",
                "instruction = [\"25X1\"]",
            ),
            Self::P007 => (
                "unknown portion kind",
                "kinds are the portion kinds of the model, or header_line",
                "kind = [\"para\"]",
            ),
            Self::P008 => ("unknown outcome", "outcomes are release, redact, withhold, review", "outcome = \"hide\""),
            Self::P009 => ("unknown scope", "scopes are portion and matches", "scope = \"span\""),
            Self::P010 => ("invalid date", "dates are ISO dates, quoted or bare", "origin_before = \"02/15/2018\""),
            Self::P011 => {
                ("regular expression does not compile", "the rule could never be applied", "matches = \"(unclosed\"")
            }
            Self::P012 => (
                "duplicate rule id",
                "decisions name their rules by id; two rules with one id cannot be told apart",
                "two [[rule]] tables with id = \"release-u\"",
            ),
            Self::P013 => (
                "unknown exemption label",
                "labels are printed on released documents and must be real exemptions: B1–B9, B7(A)–B7(F), 1.4(A)–1.4(H), 25X1–25X9, 50X1-HUM, 50X2-WMD",
                "labels = [\"B10\"]",
            ),
            Self::P014 => (
                "span scope needs `matches` and the outcome `redact`",
                "a span rule redacts what its expression matches; without one, or with another outcome, it means nothing",
                "scope = \"matches\"\noutcome = \"release\"",
            ),
            Self::P015 => (
                "release of an instruction that never lapses by date",
                "75X, RD/FRD and NATO information is never declassified by the calendar; releasing it needs a human decision",
                "when = { instruction = [\"75x\"] }\noutcome = \"release\"",
            ),
            Self::P016 => (
                "rule can never fire",
                "contradictory conditions make a rule dead code that reviewers will trust",
                "when = { age_min = 30, age_below = 25 }",
            ),
            Self::P017 => (
                "a default releases",
                "what no rule understands must not be released (fail closed)",
                "[defaults]\nno_match = \"release\"",
            ),
            Self::P018 => ("invalid reason letter", "reasons are the letters a–h of §1.4", "reasons = [\"z\"]"),
            Self::P019 => (
                "invalid policy test",
                "a test must name a document (inline or path) and a valid expectation",
                "[[test]]\nname = \"t\"\nas_of = 2020-01-01   # no document",
            ),
            Self::P020 => {
                ("policy test failed", "the policy does not decide as its tests expect", "expected redact, got release")
            }
            Self::P021 => (
                "empty or invalid rule id",
                "ids are named in decisions and must be non-empty words without blanks",
                "id = \"\"",
            ),
            Self::P022 => (
                "release of classified content that has not lapsed",
                "a rule that releases C, S or TS content must ask that its declassification instruction has lapsed; any other condition (an age, a tag, an origin) can hold while the classification is still in force",
                "when = { level = [\"C\"], age_min = 10 }\noutcome = \"release\"",
            ),
            Self::P023 => (
                "unknown handling caveat",
                "the `caveats` condition knows the captions `SIPDIS`, `NODIS`, `EXDIS`, `LIMDIS` and `STADIS`; an unknown one would never match",
                "caveats = [\"NODSI\"]",
            ),
            Self::P101 => (
                "rule is shadowed",
                "a more restrictive rule matches everything this rule matches, so it never decides",
                "a release rule for level C next to a redact rule for level C with no other condition",
            ),
            Self::P102 => (
                "release rule without a condition on level, kind or lapse",
                "such a rule releases classified portions as readily as unclassified ones",
                "when = { tags = [\"PREL\"] }\noutcome = \"release\"",
            ),
            Self::P103 => (
                "rule without a description",
                "reports cite rules; a description says why the rule exists",
                "[[rule]]\nid = \"x\"",
            ),
            Self::P104 => (
                "labels on a release rule",
                "released text cites no exemption; the labels are never printed",
                "outcome = \"release\"\nlabels = [\"B1\"]",
            ),
            Self::P105 => (
                "redaction without labels",
                "a redaction must cite the exemption that justifies it",
                "outcome = \"redact\"   # no labels",
            ),
            Self::P106 => (
                "regular expression matches the empty string",
                "it matches every portion, which is rarely what was meant",
                "matches = \"x*\"",
            ),
            Self::P107 => (
                "rule with no conditions",
                "it applies to every portion of every document",
                "[[rule]]\nid = \"all\"\noutcome = \"redact\"",
            ),
            Self::P108 => (
                "rule not exercised by any test",
                "an untested rule may not do what it says",
                "a rule no [[test]] decision names",
            ),
            Self::P109 => (
                "unmarked portions at a fixed level",
                "unmarked text should inherit the highest level the document shows; a fixed level can be below a document's banner and release what its banner classifies",
                "[defaults]\nunmarked = \"U\"",
            ),
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

/// One finding about a policy file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong: lower case, user text in backticks.
    pub message: String,
    /// The offending text in the policy file, if known.
    pub span: Option<Span>,
    /// How to fix it, if a hint helps.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with the code's own severity.
    #[must_use]
    pub fn new(code: Code, message: impl Into<String>, span: Option<Span>) -> Self {
        Self { code, severity: code.severity(), message: message.into(), span, hint: None }
    }

    /// The same diagnostic with a hint.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// The closest of `candidates` to `word` within two edits, for "did you mean" hints.
#[must_use]
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&word, &c.to_ascii_lowercase()), c))
        .filter(|(d, c)| *d <= 2.min(c.len() / 2 + 1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_within_two_edits() {
        assert_eq!(did_you_mean("levle", ["level", "kind", "lapsed"]), Some("level"));
        assert_eq!(did_you_mean("zzzzzz", ["level", "kind"]), None);
    }

    #[test]
    fn every_code_is_documented() {
        for code in Code::ALL {
            let (what, why, example) = code.documentation();
            assert!(!what.is_empty() && !why.is_empty() && !example.is_empty(), "{code}");
        }
    }
}
