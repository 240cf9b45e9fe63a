//! Dates as clients write them, checked without a database: days (`YYYY-MM-DD`, between
//! 1900 and 2999) and months (`YYYY-MM`), and the first day of a month.

use chrono::{Datelike, NaiveDate};

/// A calendar date as `YYYY-MM-DD`, between 1900 and 2999.
pub fn parse_date(raw: &str) -> Result<NaiveDate, String> {
    let malformed = || "must be a date written as YYYY-MM-DD, such as 2026-11-24".to_owned();
    if raw.len() != 10 {
        return Err(malformed());
    }
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| malformed())?;
    let earliest = NaiveDate::from_ymd_opt(1900, 1, 1).expect("valid date");
    let latest = NaiveDate::from_ymd_opt(2999, 12, 31).expect("valid date");
    if date < earliest || date > latest {
        return Err("must be between 1900-01-01 and 2999-12-31".to_owned());
    }
    Ok(date)
}

/// Pure: `YYYY-MM` as the first day of that month.
pub fn parse_month(raw: &str) -> Result<NaiveDate, String> {
    let bad = || "must be a month written as YYYY-MM, such as 2026-11".to_owned();
    if raw.len() != 7 {
        return Err(bad());
    }
    parse_date(&format!("{raw}-01")).map_err(|_| bad())
}

/// The first day of `day`'s month.
pub fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).expect("every month has a first day")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_iso_and_in_range() {
        assert_eq!(
            parse_date("2026-02-28").map(|d| d.to_string()),
            Ok("2026-02-28".to_owned())
        );
        for bad in [
            "2026-02-30",
            "24.11.2026",
            "1899-12-31",
            "3000-01-01",
            "2026-1-5",
            "",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn months_are_yyyy_mm() {
        assert_eq!(
            parse_month("2026-11").map(|d| d.to_string()),
            Ok("2026-11-01".to_owned())
        );
        for bad in ["2026-13", "2026-1", "November", "2026-11-01"] {
            assert!(parse_month(bad).is_err(), "{bad}");
        }
        assert_eq!(
            first_of_month(parse_date("2026-02-28").expect("date")).to_string(),
            "2026-02-01"
        );
    }
}
