//! Dates as banks write them: `2024-03-07`, `07/03/2024`, `3/7/24`, `07.03.2024`, `2/10'2020`,
//! `20240307`, `20120731000000.000[-4:EDT]`, `7 Mar 2024`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The order of day, month and year in a date.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// Year first (ISO 8601, and the compact `YYYYMMDD` of OFX).
    Ymd,
    /// Day first (most of the world).
    Dmy,
    /// Month first (the United States).
    Mdy,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A part of a written date: a number with its digit count, or a month name.
#[derive(Debug, Clone, Copy)]
enum Part {
    Number(u32, usize),
    Month(u32),
}

fn parts(raw: &str) -> Vec<Part> {
    let mut out = Vec::with_capacity(3);
    let mut chars = raw.trim().char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if out.len() == 3 {
            break;
        }
        if c.is_ascii_digit() {
            let mut end = start + 1;
            while let Some((i, d)) = chars.peek().copied() {
                if !d.is_ascii_digit() {
                    break;
                }
                end = i + 1;
                chars.next();
            }
            let digits = &raw.trim()[start..end];
            if digits.len() >= 8 && out.is_empty() {
                // Compact YYYYMMDD, maybe followed by a time (OFX).
                for (range, len) in [(0..4, 4), (4..6, 2), (6..8, 2)] {
                    out.push(Part::Number(digits[range].parse().unwrap_or(0), len));
                }
                break;
            }
            if digits.len() > 4 {
                return Vec::new();
            }
            out.push(Part::Number(digits.parse().unwrap_or(0), digits.len()));
        } else if c.is_alphabetic() {
            let mut word = String::from(c);
            while let Some((_, d)) = chars.peek().copied() {
                if !d.is_alphabetic() {
                    break;
                }
                word.push(d);
                chars.next();
            }
            let lower = word.to_lowercase();
            match MONTHS.iter().position(|m| lower.starts_with(m)) {
                Some(i) => out.push(Part::Month(u32::try_from(i).unwrap_or(0) + 1)),
                None if out.is_empty() => {} // a weekday name before the date
                None => return Vec::new(),
            }
        }
    }
    out
}

fn year(value: u32, digits: usize) -> Option<i32> {
    let value = i32::try_from(value).ok()?;
    match digits {
        4 => Some(value),
        // Two-digit years: 00–69 are this century, 70–99 the last.
        1 | 2 => Some(if value < 70 {
            2000 + value
        } else {
            1900 + value
        }),
        _ => None,
    }
}

/// Parses one date written in the given order. A month written as a name fixes its own
/// position, so `7 Mar 2024` and `Mar 7, 2024` read the same under any order.
pub fn parse(raw: &str, order: DateOrder) -> Option<NaiveDate> {
    let p = parts(raw);
    if p.len() != 3 {
        return None;
    }
    let (y, m, d) = match (p[0], p[1], p[2]) {
        (Part::Number(d, dl), Part::Month(m), Part::Number(y, yl)) if dl <= 2 => {
            (year(y, yl)?, m, d)
        }
        (Part::Month(m), Part::Number(d, dl), Part::Number(y, yl)) if dl <= 2 => {
            (year(y, yl)?, m, d)
        }
        (Part::Number(y, 4), Part::Month(m), Part::Number(d, _)) => (year(y, 4)?, m, d),
        (Part::Number(a, al), Part::Number(b, bl), Part::Number(c, cl)) => {
            if al == 4 {
                if bl > 2 || cl > 2 {
                    return None;
                }
                (year(a, 4)?, b, c)
            } else if al > 2 || bl > 2 {
                return None;
            } else {
                match order {
                    DateOrder::Ymd => (year(a, al)?, b, c),
                    DateOrder::Dmy => (year(c, cl)?, b, a),
                    DateOrder::Mdy => (year(c, cl)?, a, b),
                }
            }
        }
        _ => return None,
    };
    NaiveDate::from_ymd_opt(y, m, d).filter(|date| {
        (NaiveDate::from_ymd_opt(1900, 1, 1)..=NaiveDate::from_ymd_opt(2999, 12, 31))
            .contains(&Some(*date))
    })
}

/// The order that reads every value of a column, preferring `tie` when day-first and
/// month-first both do (all days ≤ 12). `None` when no order reads them all.
pub fn detect_order(values: &[&str], tie: DateOrder) -> Option<DateOrder> {
    let reads = |order: DateOrder| values.iter().all(|v| parse(v, order).is_some());
    let mut candidates = [tie, DateOrder::Dmy, DateOrder::Mdy, DateOrder::Ymd]
        .into_iter()
        .filter(|o| reads(*o));
    candidates.next()
}

/// Whether the value reads as a date under some order.
pub fn looks_like_date(raw: &str) -> bool {
    [DateOrder::Ymd, DateOrder::Dmy, DateOrder::Mdy]
        .into_iter()
        .any(|o| parse(raw, o).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn reads_each_written_form() {
        assert_eq!(parse("2024-03-07", DateOrder::Dmy), ymd(2024, 3, 7));
        assert_eq!(parse("07/03/2024", DateOrder::Dmy), ymd(2024, 3, 7));
        assert_eq!(parse("07/03/2024", DateOrder::Mdy), ymd(2024, 7, 3));
        assert_eq!(parse("3/7/24", DateOrder::Mdy), ymd(2024, 3, 7));
        assert_eq!(parse("07.03.99", DateOrder::Dmy), ymd(1999, 3, 7));
        assert_eq!(parse("2/10'2020", DateOrder::Mdy), ymd(2020, 2, 10));
        assert_eq!(parse("1/ 1'00", DateOrder::Mdy), ymd(2000, 1, 1));
        assert_eq!(parse("20240307", DateOrder::Dmy), ymd(2024, 3, 7));
        assert_eq!(
            parse("20120731000000.000[-4:EDT]", DateOrder::Mdy),
            ymd(2012, 7, 31)
        );
        assert_eq!(parse("7 Mar 2024", DateOrder::Mdy), ymd(2024, 3, 7));
        assert_eq!(parse("Mar 7, 2024", DateOrder::Dmy), ymd(2024, 3, 7));
        assert_eq!(parse("Thu 07 March 2024", DateOrder::Mdy), ymd(2024, 3, 7));
        assert_eq!(
            parse("2020-03-07 12:31:46", DateOrder::Dmy),
            ymd(2020, 3, 7)
        );
    }

    #[test]
    fn refuses_what_is_not_a_date() {
        for raw in [
            "",
            "00000000",
            "20120231",
            "201120000000",
            "31/02/2024",
            "1234",
            "12.50",
            "2024-3",
            "INV-1",
            "99/99/99",
        ] {
            assert_eq!(parse(raw, DateOrder::Dmy), None, "{raw}");
        }
    }

    #[test]
    fn detects_the_order_of_a_column() {
        assert_eq!(
            detect_order(&["24/03/2022", "08/04/2022"], DateOrder::Mdy),
            Some(DateOrder::Dmy)
        );
        assert_eq!(
            detect_order(&["6/12/15", "6/13/15"], DateOrder::Dmy),
            Some(DateOrder::Mdy)
        );
        assert_eq!(
            detect_order(&["05/03/2021"], DateOrder::Mdy),
            Some(DateOrder::Mdy)
        );
        assert_eq!(
            detect_order(&["05/03/2021"], DateOrder::Dmy),
            Some(DateOrder::Dmy)
        );
        assert_eq!(
            detect_order(&["2022-09-23"], DateOrder::Mdy),
            Some(DateOrder::Mdy)
        );
        assert_eq!(detect_order(&["13/13/2020"], DateOrder::Mdy), None);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,30}") {
            let _ = parse(&s, DateOrder::Dmy);
            let _ = looks_like_date(&s);
        }
    }
}
