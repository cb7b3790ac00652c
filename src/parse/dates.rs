//! Dates as cables write them: `DECL:` dates in their many forms, the date-time group
//! (`151441Z FEB 08`) and ISO dates at the start of a field.

use chrono::{Datelike, NaiveDate};
use pest::iterators::Pair;

use super::grammar::Rule;

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

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

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
}
