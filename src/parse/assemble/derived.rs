//! Values derived once the portions are known: the document's date of origin, its id when
//! no preamble gives one, its overall classification and its handling caveats.

use crate::model::{
    Banner, Classification, ClassificationSource, Control, Issue, Level, Marking, Portion, PortionKind,
    TransmissionHeader,
};

/// The document's date of origin: the latest of the dates it gives for itself. Dates more
/// than two days apart (beyond time zones) disagree, and the reviewer is told which won.
pub(super) fn later_origin(
    origins: &[(&str, chrono::NaiveDate)],
    warnings: &mut Vec<Issue>,
    position: crate::model::Position,
) -> Option<chrono::NaiveDate> {
    let &(latest_from, latest) = origins.iter().max_by_key(|(_, date)| *date)?;
    let &(earliest_from, earliest) = origins.iter().min_by_key(|(_, date)| *date)?;
    if (latest - earliest).num_days() > 2 {
        warnings.push(Issue {
            position,
            message: format!(
                "the document's dates disagree: {earliest_from} says {earliest}, {latest_from} says {latest}; the later date is taken as its origin"
            ),
        });
    }
    Some(latest)
}

/// `08MOSCOW434` from the DTG year, the banner's post (`MOSCOW`) and its serial (`000434`).
pub(super) fn derived_id(banner: Option<&Banner>, created: Option<chrono::NaiveDate>) -> Option<String> {
    use chrono::Datelike;
    let banner = banner?;
    let post: String =
        banner.post.as_ref()?.chars().filter(char::is_ascii_alphabetic).collect::<String>().to_ascii_uppercase();
    let serial = banner.serial.as_ref()?.trim_start_matches('0');
    let year = created?.year() % 100;
    Some(format!("{year:02}{post}{serial}"))
}

/// The overall marking: the banner's level, else the security line's, else the highest
/// portion mark. Controls gather the banner, caveat lines and portion marks.
pub(super) fn classification(
    banner: Option<&Banner>,
    header: &TransmissionHeader,
    caveat_controls: &[Control],
    portions: &[Portion],
    highest_banner: Option<Level>,
) -> Classification {
    let highest = portions
        .iter()
        .filter_map(|p| p.marking.as_ref())
        .filter_map(|m| m.level().map(|level| (level, m)))
        .max_by_key(|(level, _)| *level);
    let (level, raw, source) = if let Some(banner) = banner {
        (Some(banner.level), banner.raw.clone(), ClassificationSource::Banner)
    } else if let Some(level) = header.routing_level {
        (Some(level), header.routing_raw.clone().unwrap_or_default(), ClassificationSource::Routing)
    } else if let Some((level, mark)) = highest {
        (Some(level), mark.raw.clone(), ClassificationSource::Portions)
    } else {
        (None, String::new(), ClassificationSource::Unknown)
    };
    let mut controls: Vec<Control> = banner.map(|b| b.controls.clone()).unwrap_or_default();
    controls.extend(caveat_controls.iter().cloned());
    for mark in portions.iter().filter_map(|p| p.marking.as_ref()) {
        controls.extend(mark.controls().iter().filter(|c| matches!(c, Control::Noforn)).cloned());
    }
    // Only dissemination controls belong in the overall marking; transmission caveats do not.
    controls.retain(|c| !matches!(c, Control::Other(name) if name == "EFTO" || name == "SENSITIVE" || name == "SBU"));
    controls.sort();
    controls.dedup();
    let marks =
        portions.iter().flat_map(|p| p.marking.as_deref().into_iter().chain(&p.embedded)).filter_map(Marking::level);
    let highest = [level, header.routing_level, highest_banner].into_iter().flatten().chain(marks).max();
    Classification { level, controls, raw, source, highest }
}

/// The handling caveats on the document's caveat lines and banners, in
/// [`HANDLING_CAVEATS`](crate::model::HANDLING_CAVEATS) order, without repeats. Text that
/// names a caveat (a paragraph, a reference) does not count.
pub(super) fn handling_caveats_of(source: &str, portions: &[Portion]) -> Vec<&'static str> {
    let mut found: Vec<&'static str> = portions
        .iter()
        .filter(|p| matches!(p.kind, PortionKind::Caveat | PortionKind::Banner))
        .flat_map(|p| crate::model::handling_caveats(source.get(p.span.start..p.span.end).unwrap_or("")))
        .collect();
    found.sort_by_key(|c| crate::model::HANDLING_CAVEATS.iter().position(|k| k == c));
    found.dedup();
    found
}
