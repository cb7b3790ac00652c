//! The engine over hand-made document models: every declassification instruction kind of
//! the lapse table, the precedence of outcomes, and the fail-closed cases.

use std::fmt::Write as _;

use chrono::NaiveDate;
use declass::engine::{DocumentOutcome, Explain, LapseDate, evaluate, evaluate_with};
use declass::model::{
    Classification, ClassificationSource, Control, Decl, DeclKind, Document, Issue, Level, MarkValue, Marking, Portion,
    PortionKind, Position, Reasons, Span, TransmissionHeader,
};
use declass::policy::{Outcome, Policy};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
}

fn mark(level: Level) -> Marking {
    Marking {
        raw: format!("({level})"),
        span: Span::default(),
        value: MarkValue::Recognized { level, controls: Vec::new() },
    }
}

/// A document model: banner `level`, instruction `kind` (with `decl_date`), origin
/// `created`, reasons b and d, and the given portions.
fn model(
    level: Option<Level>,
    kind: DeclKind,
    decl_date: Option<NaiveDate>,
    created: Option<NaiveDate>,
    portions: Vec<(PortionKind, Option<Marking>)>,
) -> Document {
    let mut source = String::new();
    let portions = portions
        .into_iter()
        .enumerate()
        .map(|(i, (kind, marking))| {
            let start = source.len();
            let _ = writeln!(source, "portion {i} text");
            Portion {
                kind,
                number: (kind == PortionKind::Paragraph).then(|| (i + 1).to_string()),
                marking: marking.map(Box::new),
                span: Span::new(start, source.len() - 1),
                position: Position { line: u32::try_from(i + 1).unwrap_or(1), col: 1 },
                embedded: Vec::new(),
            }
        })
        .collect();
    Document {
        source,
        id: Some("00TEST1".to_owned()),
        preamble: None,
        header: TransmissionHeader::default(),
        banner: None,
        classification: Classification {
            level,
            controls: Vec::new(),
            raw: String::new(),
            source: if level.is_some() { ClassificationSource::Banner } else { ClassificationSource::Unknown },
            highest: level,
        },
        order: Some("12958".to_owned()),
        decl: Decl { kind, date: decl_date, exemptions: Vec::new(), raw: format!("DECL: {kind}"), span: None },
        later_decls: Vec::new(),
        reasons: Reasons { section: Some("1.4".to_owned()), letters: vec!['b', 'd'] },
        classified_by: None,
        tags: vec!["PREL".to_owned()],
        caveats: Vec::new(),
        subject: None,
        created,
        portions,
        errors: Vec::new(),
        warnings: Vec::new(),
    }
}

fn one_paragraph(kind: DeclKind, decl_date: Option<NaiveDate>, created: Option<NaiveDate>) -> Document {
    model(Some(Level::C), kind, decl_date, created, vec![(PortionKind::Paragraph, Some(mark(Level::C)))])
}

/// (kind, DECL date, origin, expected lapse, needs review)
type Row = (DeclKind, Option<NaiveDate>, Option<NaiveDate>, LapseDate, bool);

#[test]
fn every_instruction_kind_lapses_as_design_2_4_says() {
    let origin = Some(date(2008, 2, 15));
    let y25 = date(2033, 12, 31);
    // (kind, DECL date, origin, expected lapse, needs review)
    let table: Vec<Row> = vec![
        (DeclKind::Date, Some(date(2018, 2, 15)), origin, LapseDate::On(date(2018, 2, 15)), false),
        // An explicit date later than the automatic date is capped at it.
        (DeclKind::Date, Some(date(2045, 1, 1)), origin, LapseDate::On(y25), false),
        // With no origin the explicit date stands.
        (DeclKind::Date, Some(date(2045, 1, 1)), None, LapseDate::On(date(2045, 1, 1)), false),
        (DeclKind::Na, None, origin, LapseDate::Already, false),
        (DeclKind::Oadr, None, origin, LapseDate::On(y25), false),
        (DeclKind::Mr, None, origin, LapseDate::On(y25), false),
        (DeclKind::X, None, origin, LapseDate::On(y25), false),
        (DeclKind::Missing, None, origin, LapseDate::On(y25), false),
        (DeclKind::Unrecognized, None, origin, LapseDate::On(y25), false),
        // Automatic kinds with an unknown origin: no date can be computed.
        (DeclKind::Oadr, None, None, LapseDate::Never, true),
        (DeclKind::Event, None, origin, LapseDate::Never, true),
        (DeclKind::X25, Some(date(2040, 6, 1)), origin, LapseDate::On(date(2040, 6, 1)), false),
        // 25X runs at most to 50 years after origin.
        (DeclKind::X25, Some(date(2070, 6, 1)), origin, LapseDate::On(date(2058, 12, 31)), false),
        (DeclKind::X25, None, origin, LapseDate::Never, true),
        (DeclKind::X50, None, origin, LapseDate::On(date(2083, 12, 31)), true),
        (DeclKind::X75, None, origin, LapseDate::Never, true),
    ];
    let policy = Policy::embedded_default();
    for (kind, decl_date, created, expected, review) in table {
        let doc = one_paragraph(kind, decl_date, created);
        let decisions = evaluate(&doc, &policy, date(2026, 11, 27));
        assert_eq!(decisions.lapse.date, expected, "{kind} {decl_date:?} {created:?}");
        assert_eq!(decisions.lapse.needs_review, review, "{kind}: review");
        assert!(!decisions.lapse.clause.is_empty(), "{kind}: every lapse carries its clause");
    }
}

#[test]
fn the_default_policy_decides_each_instruction_kind() {
    let origin = Some(date(2008, 2, 15));
    let policy = Policy::embedded_default();
    // (kind, DECL date, as of, expected document outcome)
    let table = [
        (DeclKind::Date, Some(date(2018, 2, 15)), date(2018, 2, 14), DocumentOutcome::ReleaseInPart),
        (DeclKind::Date, Some(date(2018, 2, 15)), date(2018, 2, 15), DocumentOutcome::ReleaseInFull),
        (DeclKind::Oadr, None, date(2033, 12, 30), DocumentOutcome::ReleaseInPart),
        (DeclKind::Oadr, None, date(2033, 12, 31), DocumentOutcome::ReleaseInFull),
        (DeclKind::Event, None, date(2090, 1, 1), DocumentOutcome::Review),
        (DeclKind::X25, None, date(2090, 1, 1), DocumentOutcome::Review),
        (DeclKind::X50, None, date(2026, 1, 1), DocumentOutcome::Review),
        (DeclKind::X75, None, date(2200, 1, 1), DocumentOutcome::Review),
    ];
    for (kind, decl_date, as_of, expected) in table {
        let doc = one_paragraph(kind, decl_date, origin);
        assert_eq!(evaluate(&doc, &policy, as_of).outcome, expected, "{kind} as of {as_of}");
    }
}

#[test]
fn redactions_cite_b1_and_the_reasons() {
    let doc = one_paragraph(DeclKind::Date, Some(date(2018, 2, 15)), Some(date(2008, 2, 15)));
    let decisions = evaluate(&doc, &Policy::embedded_default(), date(2017, 12, 31));
    assert_eq!(decisions.portions[0].outcome, Outcome::Redact);
    assert_eq!(decisions.portions[0].labels, ["B1", "1.4(B)", "1.4(D)"]);
    assert_eq!(decisions.portions[0].rules, ["redact-classified-in-force"]);
    assert_eq!(decisions.labels, ["B1", "1.4(B)", "1.4(D)"]);
}

fn policy(text: &str) -> Policy {
    Policy::from_toml(text).expect("test policy is valid").0
}

#[test]
fn the_most_restrictive_matching_outcome_wins_whatever_the_rule_order() {
    let rules = [
        ("release", "[[rule]]\nid = \"r-release\"\nwhen = { level = [\"C\"] }\noutcome = \"release\"\n"),
        (
            "redact",
            "[[rule]]\nid = \"r-redact\"\nwhen = { level = [\"C\"] }\noutcome = \"redact\"\nlabels = [\"B1\"]\n",
        ),
        ("review", "[[rule]]\nid = \"r-review\"\nwhen = { level = [\"C\"] }\noutcome = \"review\"\n"),
        ("withhold", "[[rule]]\nid = \"r-withhold\"\nwhen = { level = [\"C\"] }\noutcome = \"withhold\"\n"),
    ];
    let doc = one_paragraph(DeclKind::Date, Some(date(2018, 2, 15)), Some(date(2008, 2, 15)));
    // Every pair, in both orders: the more restrictive outcome decides.
    for (i, (a_name, a)) in rules.iter().enumerate() {
        for (b_name, b) in &rules[i + 1..] {
            for text in
                [format!("name = \"p\"\nversion = \"1\"\n{a}{b}"), format!("name = \"p\"\nversion = \"1\"\n{b}{a}")]
            {
                let decisions = evaluate(&doc, &policy(&text), date(2020, 1, 1));
                assert_eq!(decisions.portions[0].outcome.name(), *b_name, "{a_name} vs {b_name}");
                assert_eq!(decisions.portions[0].rules, [format!("r-{b_name}")]);
            }
        }
    }
    let withheld = policy(&format!("name = \"p\"\nversion = \"1\"\n{}", rules[3].1));
    assert_eq!(evaluate(&doc, &withheld, date(2020, 1, 1)).outcome, DocumentOutcome::DenyInFull);
}

#[test]
fn nothing_matched_is_the_fail_closed_default() {
    let empty = policy("name = \"empty\"\nversion = \"1\"\n");
    let doc = model(
        Some(Level::U),
        DeclKind::Na,
        None,
        Some(date(2008, 1, 1)),
        vec![(PortionKind::Paragraph, Some(mark(Level::U)))],
    );
    let decisions = evaluate(&doc, &empty, date(2026, 1, 1));
    assert_eq!(decisions.portions[0].outcome, Outcome::Redact);
    assert_eq!(decisions.portions[0].rules, ["defaults.no_match"]);
}

#[test]
fn an_unrecognised_mark_is_never_released() {
    let unknown = Marking { raw: "(SE)".to_owned(), span: Span::default(), value: MarkValue::Unrecognized };
    let doc = model(
        Some(Level::U),
        DeclKind::Na,
        None,
        Some(date(2008, 1, 1)),
        vec![(PortionKind::Paragraph, Some(unknown))],
    );
    let decisions = evaluate(&doc, &Policy::embedded_default(), date(2026, 1, 1));
    assert_eq!(decisions.portions[0].outcome, Outcome::Redact);
    assert_eq!(decisions.portions[0].rules, ["defaults.unrecognized"]);
    assert!(decisions.portions[0].notes[0].contains("(SE)"));
}

#[test]
fn unknown_origin_sends_automatic_instructions_to_review() {
    let doc = one_paragraph(DeclKind::Oadr, None, None);
    let decisions = evaluate(&doc, &Policy::embedded_default(), date(2090, 1, 1));
    assert_eq!(decisions.outcome, DocumentOutcome::Review);
    assert!(decisions.lapse.clause.contains("origin date is unknown"));
}

#[test]
fn a_classified_mark_in_an_unclassified_document_stays_redacted() {
    let doc = model(
        Some(Level::U),
        DeclKind::Na,
        None,
        Some(date(2008, 1, 1)),
        vec![(PortionKind::Paragraph, Some(mark(Level::S)))],
    );
    let decisions = evaluate(&doc, &Policy::embedded_default(), date(2026, 1, 1));
    assert_eq!(decisions.portions[0].outcome, Outcome::Redact);
    assert!(decisions.portions[0].rules.contains(&"defaults.contradiction".to_owned()));
    assert!(decisions.portions[0].notes[0].contains("marked unclassified"));
}

#[test]
fn an_unreadable_document_goes_to_review() {
    let mut doc = model(
        Some(Level::U),
        DeclKind::Na,
        None,
        Some(date(2008, 1, 1)),
        vec![(PortionKind::Paragraph, Some(mark(Level::U)))],
    );
    doc.errors.push(Issue { position: Position { line: 1, col: 1 }, message: "no banner".to_owned() });
    let decisions = evaluate(&doc, &Policy::embedded_default(), date(2026, 1, 1));
    assert_eq!(decisions.outcome, DocumentOutcome::Review);
    assert_eq!(decisions.portions[0].rules, ["defaults.parse_error"]);
}

#[test]
fn unmarked_portions_inherit_the_overall_level_and_unknown_levels_fail_closed() {
    let policy = Policy::embedded_default();
    let secret = model(
        Some(Level::S),
        DeclKind::Date,
        Some(date(2030, 1, 1)),
        Some(date(2008, 1, 1)),
        vec![(PortionKind::Paragraph, None)],
    );
    let decisions = evaluate(&secret, &policy, date(2026, 1, 1));
    assert_eq!((decisions.portions[0].level, decisions.portions[0].inherited), (Some(Level::S), true));
    assert_eq!(decisions.portions[0].outcome, Outcome::Redact);
    let unknown = model(
        None,
        DeclKind::Date,
        Some(date(2010, 1, 1)),
        Some(date(2008, 1, 1)),
        vec![(PortionKind::Paragraph, None)],
    );
    assert_eq!(evaluate(&unknown, &policy, date(2026, 1, 1)).portions[0].outcome, Outcome::Redact);
}

#[test]
fn span_rules_cut_only_what_they_match() {
    let text = "name = \"p\"\nversion = \"1\"\n[[rule]]\nid = \"release-u\"\nwhen = { level = [\"U\"] }\noutcome = \"release\"\n[[rule]]\nid = \"b6-digit\"\nwhen = { matches = \"portion (?P<redact>\\\\d)\" }\noutcome = \"redact\"\nscope = \"matches\"\nlabels = [\"B6\"]\n";
    let doc = model(
        Some(Level::U),
        DeclKind::Na,
        None,
        Some(date(2008, 1, 1)),
        vec![(PortionKind::Paragraph, Some(mark(Level::U)))],
    );
    let decisions = evaluate(&doc, &policy(text), date(2026, 1, 1));
    let portion = &decisions.portions[0];
    assert_eq!(portion.outcome, Outcome::Release);
    assert_eq!(portion.spans.len(), 1);
    assert_eq!(&doc.source[portion.spans[0].span.start..portion.spans[0].span.end], "0");
    assert_eq!(decisions.outcome, DocumentOutcome::ReleaseInPart);
    assert_eq!(decisions.labels, ["B6"]);
}

#[test]
fn explain_says_why_each_other_rule_did_not_fire() {
    let doc = one_paragraph(DeclKind::Date, Some(date(2018, 2, 15)), Some(date(2008, 2, 15)));
    let decisions = evaluate_with(&doc, &Policy::embedded_default(), date(2017, 12, 31), Explain::Yes);
    let why: Vec<&str> = decisions.portions[0].why_not.iter().map(|(id, _)| id.as_str()).collect();
    assert!(why.contains(&"release-unclassified") && why.contains(&"release-lapsed"), "{why:?}");
    let reason = &decisions.portions[0].why_not.iter().find(|(id, _)| id == "release-unclassified").expect("listed").1;
    assert_eq!(reason, "level is C, not U, SBU");
}

#[test]
fn controls_and_document_facts_are_conditions() {
    let text = "name = \"p\"\nversion = \"1\"\n[[rule]]\nid = \"withhold-noforn\"\nwhen = { controls = [\"NOFORN\"], tags = [\"PREL\"], reasons = [\"d\"], order = [\"12958\"], age_min = 10 }\noutcome = \"withhold\"\n";
    let mut doc = one_paragraph(DeclKind::Date, Some(date(2018, 2, 15)), Some(date(2008, 2, 15)));
    doc.classification.controls.push(Control::Noforn);
    assert_eq!(evaluate(&doc, &policy(text), date(2026, 1, 1)).outcome, DocumentOutcome::DenyInFull);
    // Nine years old: too young for `age_min = 10`, so the default decides.
    assert_eq!(evaluate(&doc, &policy(text), date(2017, 3, 1)).portions[0].rules, ["defaults.no_match"]);
}

/// Bug: policies name the compartmented-information control `SCI` while the model named it
/// after the compartment (`SI`), so `controls = ["SCI"]` never matched `(TS//SI)`.
#[test]
fn a_policy_naming_sci_matches_every_compartment() {
    let text = "name = \"p\"\nversion = \"1\"\n[[rule]]\nid = \"sci\"\nwhen = { controls = [\"SCI\"] }\noutcome = \"withhold\"\n";
    for compartment in ["SCI", "SI", "TK", "HCS"] {
        let marking = Marking {
            raw: format!("(TS//{compartment})"),
            span: Span::default(),
            value: MarkValue::Recognized { level: Level::Ts, controls: vec![Control::from_word(compartment)] },
        };
        assert_eq!(marking.controls()[0].to_string(), compartment, "a mark shows the compartment as written");
        let doc = model(Some(Level::Ts), DeclKind::X, None, None, vec![(PortionKind::Paragraph, Some(marking))]);
        let decisions = evaluate(&doc, &policy(text), date(2020, 1, 1));
        assert_eq!(decisions.portions[0].rules, ["sci"], "(TS//{compartment}) is SCI");
    }
}

/// Bug: the derived order of outcomes ranked review above deny-in-full, the opposite of what
/// the engine decides; the order is now the engine's: a withheld portion outranks one that
/// needs review, and the document's outcome is the greatest of its portions'.
#[test]
fn outcomes_are_ordered_as_the_engine_decides() {
    use DocumentOutcome::{DenyInFull, ReleaseInFull, ReleaseInPart, Review};
    assert!(ReleaseInFull < ReleaseInPart && ReleaseInPart < Review && Review < DenyInFull);
    let text = "name = \"p\"\nversion = \"1\"\n\
        [[rule]]\nid = \"hold\"\nwhen = { level = [\"S\"] }\noutcome = \"withhold\"\n\
        [[rule]]\nid = \"ask\"\nwhen = { level = [\"C\"] }\noutcome = \"review\"\n";
    let doc = model(
        Some(Level::S),
        DeclKind::X,
        None,
        None,
        vec![(PortionKind::Paragraph, Some(mark(Level::C))), (PortionKind::Paragraph, Some(mark(Level::S)))],
    );
    let decisions = evaluate(&doc, &policy(text), date(2020, 1, 1));
    let greatest = decisions.portions.iter().map(declass::engine::PortionDecision::document_outcome).max();
    assert_eq!(decisions.outcome, DenyInFull);
    assert_eq!(greatest, Some(decisions.outcome));
}

/// A condition added through the registry: `caveats` over the handling captions of a cable,
/// read from its caveat lines and banner, never from text that merely names one.
#[test]
fn caveats_select_cables_by_their_handling_captions() {
    let text = "name = \"p\"\nversion = \"1\"\n[[rule]]\nid = \"review-nodis\"\nwhen = { caveats = [\"nodis\", \"EXDIS\"] }\noutcome = \"review\"\n";
    let cable = |caveat_line: &str, paragraph: &str| {
        declass::parse::parse_str(format!(
            "C O N F I D E N T I A L SECTION 01 OF 02 LISBON 000123\n\n{caveat_line}\n\nE.O. 12958: DECL: 02/15/2018\nTAGS: PREL\nSUBJECT: TALKS\n\n1. (C) {paragraph}\n"
        ))
        .expect("the fictional cable parses")
    };
    let nodis = cable("NODIS", "The minister spoke.");
    assert_eq!(nodis.caveats, ["NODIS"]);
    let decisions = evaluate(&nodis, &policy(text), date(2020, 1, 1));
    assert_eq!(decisions.outcome, DocumentOutcome::Review);
    assert!(decisions.portions.iter().any(|p| p.rules == ["review-nodis"]));

    let sipdis = cable("SIPDIS", "He asked whether the NODIS channel was used.");
    assert_eq!(sipdis.caveats, ["SIPDIS"], "a paragraph that names NODIS does not make the cable NODIS");
    let decisions = evaluate_with(&sipdis, &policy(text), date(2020, 1, 1), Explain::Yes);
    assert!(decisions.portions.iter().all(|p| p.rules != ["review-nodis"]));
    let why = &decisions.portions[0].why_not[0].1;
    assert_eq!(why, "the document carries the caveats SIPDIS, not NODIS, EXDIS");
}

#[test]
fn an_unknown_caveat_is_an_error_with_a_suggestion() {
    let text =
        "name = \"p\"\nversion = \"1\"\n[[rule]]\nid = \"r\"\nwhen = { caveats = [\"NODSI\"] }\noutcome = \"review\"\n";
    let errors = Policy::from_toml(text).expect_err("an unknown caveat is refused");
    assert_eq!(errors[0].code, declass::policy::Code::P023);
    assert_eq!(errors[0].message, "unknown handling caveat `NODSI`");
    assert_eq!(errors[0].hint.as_deref(), Some("did you mean `NODIS`?"));
}
