//! Money amounts as banks write them: `1,234.56`, `1.234,56`, `1'234.56`, `1 006,60`,
//! `+ $73.01`, `(12.00)`, `12.00-`, `-98,76 EUR`.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Which character separates the decimals.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecimalMark {
    Point,
    Comma,
}

impl DecimalMark {
    fn char(self) -> char {
        match self {
            DecimalMark::Point => '.',
            DecimalMark::Comma => ',',
        }
    }
}

/// Whether currency symbols and codes around the number are allowed (CSV cells) or not (OFX
/// `TRNAMT`, where `$120` is a broken file rather than a style).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Symbols {
    Allowed,
    Refused,
}

/// Grouping characters that are never a decimal mark.
const GROUPING: [char; 6] = ['\'', '’', ' ', '\u{a0}', '\u{202f}', '\u{2009}'];
const MINUS: [char; 3] = ['-', '−', '–'];
const CURRENCY: [char; 12] = ['$', '€', '£', '¥', '₹', '₩', '₽', '¢', '₪', '₺', '฿', '₫'];

/// Parses one amount. With `mark` given, that character is the decimal mark and the other one
/// groups thousands; without it, a value holding both reads the later one as decimal, and a
/// value holding one kind reads it as decimal when it appears once (`2000,00`, `12.5`) and as
/// grouping when it repeats (`1,000,000`).
pub fn parse(raw: &str, mark: Option<DecimalMark>, symbols: Symbols) -> Result<Decimal, String> {
    let (negative, core) = strip_decorations(raw, symbols)?;
    if core.is_empty() {
        return Err(if raw.trim().is_empty() {
            "the amount is empty".to_owned()
        } else {
            format!("'{}' is not an amount", raw.trim())
        });
    }
    if let Some(bad) = core
        .chars()
        .find(|c| !c.is_ascii_digit() && !is_separator(*c))
    {
        return Err(format!(
            "'{}' is not an amount ('{bad}' is not part of a number)",
            raw.trim()
        ));
    }
    let decimal = mark.map(DecimalMark::char).or_else(|| guess_mark(core));
    check_grouping(core, decimal)
        .map_err(|why| format!("'{}' is not an amount ({why})", raw.trim()))?;
    let mut digits = String::with_capacity(core.len() + 1);
    let mut seen_decimal = false;
    for c in core.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if Some(c) == decimal {
            if seen_decimal {
                return Err(format!("'{}' has two decimal marks", raw.trim()));
            }
            seen_decimal = true;
            digits.push('.');
        }
    }
    if !digits.bytes().any(|b| b.is_ascii_digit()) {
        return Err(format!("'{}' is not an amount", raw.trim()));
    }
    if digits.len() > 27 {
        return Err(format!("'{}' is too large", raw.trim()));
    }
    let value =
        Decimal::from_str(&digits).map_err(|_| format!("'{}' is not an amount", raw.trim()))?;
    Ok(if negative { -value } else { value })
}

fn is_separator(c: char) -> bool {
    c == '.' || c == ',' || GROUPING.contains(&c)
}

/// Removes signs, parentheses, currency symbols and codes around the number; returns whether
/// the amount is negative and the number's own characters.
fn strip_decorations(raw: &str, symbols: Symbols) -> Result<(bool, &str), String> {
    let mut s = raw.trim();
    let mut negative = false;
    let mut signs = 0;
    if s.starts_with('(') && s.ends_with(')') && s.len() >= 2 {
        negative = true;
        signs += 1;
        s = s[1..s.len() - 1].trim();
    }
    loop {
        let before = s;
        if let Some(rest) = s.strip_prefix('+') {
            signs += 1;
            s = rest;
        } else if let Some(rest) = s.strip_prefix(MINUS) {
            negative = true;
            signs += 1;
            s = rest;
        } else if let Some(rest) = s.strip_suffix(MINUS) {
            negative = true;
            signs += 1;
            s = rest;
        } else if let Some(rest) = s.strip_suffix('+') {
            signs += 1;
            s = rest;
        } else if symbols == Symbols::Allowed {
            s = strip_code(s.trim_start_matches(CURRENCY).trim_end_matches(CURRENCY));
        }
        s = s.trim_matches(|c: char| c.is_whitespace());
        if s == before {
            break;
        }
    }
    if signs > 1 {
        return Err(format!("'{}' has more than one sign", raw.trim()));
    }
    Ok((negative, s))
}

/// Thousands groups have three digits (two in the Indian lakh style), sit only before the
/// decimal mark, and use one grouping character.
fn check_grouping(core: &str, decimal: Option<char>) -> Result<(), &'static str> {
    let (whole, fraction) = match decimal.and_then(|d| core.find(d)) {
        Some(at) => (&core[..at], &core[at + 1..]),
        None => (core, ""),
    };
    if fraction
        .chars()
        .any(|c| !c.is_ascii_digit() && Some(c) != decimal)
    {
        return Err("a separator after the decimal mark");
    }
    let mut groupers = whole.chars().filter(|c| !c.is_ascii_digit());
    if let Some(first) = groupers.next()
        && groupers.any(|c| c != first)
    {
        return Err("two different thousands separators");
    }
    let mut groups = whole.split(|c: char| !c.is_ascii_digit());
    let head = groups.next().unwrap_or("");
    if whole.contains(|c: char| !c.is_ascii_digit())
        && (head.is_empty() || groups.any(|g| !(2..=3).contains(&g.len())))
    {
        return Err("thousands groups must have three digits");
    }
    Ok(())
}

/// Removes a currency code (`EUR`, `CHF`, `kr`: up to three letters) at either end.
fn strip_code(s: &str) -> &str {
    let letters_at_start = s.chars().take_while(|c| c.is_alphabetic()).count();
    let s = if (1..=3).contains(&letters_at_start)
        && s.chars()
            .nth(letters_at_start)
            .is_none_or(|c| !c.is_alphabetic())
    {
        &s[s.char_indices()
            .nth(letters_at_start)
            .map_or(s.len(), |(i, _)| i)..]
    } else {
        s
    };
    let letters_at_end = s.chars().rev().take_while(|c| c.is_alphabetic()).count();
    if (1..=3).contains(&letters_at_end) {
        let cut = s
            .char_indices()
            .rev()
            .nth(letters_at_end - 1)
            .map_or(0, |(i, _)| i);
        &s[..cut]
    } else {
        s
    }
}

/// The decimal mark of a value read on its own, when it has one.
fn guess_mark(core: &str) -> Option<char> {
    let last = core.rfind(['.', ','])?;
    let mark = core[last..].chars().next()?;
    if core.matches(mark).count() > 1 {
        // `1,000,000` groups; `1.234.567,89` is caught by the rfind above.
        return None;
    }
    Some(mark)
}

/// The decimal mark a column of amounts uses, decided by the values that say so unambiguously:
/// `1.234,56` and `12,5` say comma; `1,234.56` and `3.14` say point; `1,234` says nothing.
pub fn detect_mark<'a>(values: impl IntoIterator<Item = &'a str>) -> Option<DecimalMark> {
    let (mut point, mut comma) = (0usize, 0usize);
    for value in values {
        let core: String = value
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
            .collect();
        let Some(last) = core.rfind(['.', ',']) else {
            continue;
        };
        let mark = if core[last..].starts_with('.') {
            '.'
        } else {
            ','
        };
        let decimals = core.len() - last - 1;
        let repeated = core.matches(mark).count() > 1;
        let other_before = core[..last].contains(if mark == '.' { ',' } else { '.' });
        let says = if repeated {
            // The repeated character groups, so the other one, if any, is the decimal mark.
            Some(if mark == '.' { ',' } else { '.' }).filter(|_| other_before || decimals == 3)
        } else if other_before || decimals != 3 {
            Some(mark)
        } else {
            None
        };
        match says {
            Some('.') => point += 1,
            Some(',') => comma += 1,
            _ => {}
        }
    }
    match (point, comma) {
        (0, 0) => None,
        (p, c) if c > p => Some(DecimalMark::Comma),
        _ => Some(DecimalMark::Point),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn lenient(s: &str) -> Result<Decimal, String> {
        parse(s, None, Symbols::Allowed)
    }

    #[test]
    fn reads_every_style_in_the_issue() {
        assert_eq!(lenient("1,234.56").unwrap(), d("1234.56"));
        assert_eq!(lenient("1.234,56").unwrap(), d("1234.56"));
        assert_eq!(lenient("1'234.56").unwrap(), d("1234.56"));
        assert_eq!(lenient("+ $73.01").unwrap(), d("73.01"));
        assert_eq!(lenient("(12.00)").unwrap(), d("-12.00"));
        assert_eq!(lenient("$-5.00").unwrap(), d("-5.00"));
        assert_eq!(lenient("-$5.00").unwrap(), d("-5.00"));
        assert_eq!(lenient("12.00-").unwrap(), d("-12.00"));
        assert_eq!(lenient("-98,76 EUR").unwrap(), d("-98.76"));
        assert_eq!(lenient("CHF 11'373.94").unwrap(), d("11373.94"));
        assert_eq!(lenient("+1 006,60").unwrap(), d("1006.60"));
        assert_eq!(lenient("1\u{a0}234,5").unwrap(), d("1234.5"));
        assert_eq!(lenient("+00000000000000.2400").unwrap(), d("0.24"));
        assert_eq!(lenient("1,000,000").unwrap(), d("1000000"));
        assert_eq!(lenient(".50").unwrap(), d("0.50"));
        assert_eq!(lenient("50000").unwrap(), d("50000"));
    }

    #[test]
    fn the_column_mark_decides_ambiguous_values() {
        assert_eq!(
            parse("1,000.00", Some(DecimalMark::Point), Symbols::Allowed).unwrap(),
            d("1000")
        );
        assert_eq!(
            parse("1,234", Some(DecimalMark::Point), Symbols::Allowed).unwrap(),
            d("1234")
        );
        assert_eq!(
            parse("1,234", Some(DecimalMark::Comma), Symbols::Allowed).unwrap(),
            d("1.234")
        );
        assert_eq!(
            parse("1.234", Some(DecimalMark::Comma), Symbols::Allowed).unwrap(),
            d("1234")
        );
        assert!(parse("1,2,3", Some(DecimalMark::Comma), Symbols::Allowed).is_err());
    }

    #[test]
    fn refuses_what_is_not_an_amount() {
        assert!(lenient("").unwrap_err().contains("empty"));
        assert!(lenient("abc").is_err());
        assert!(lenient("987 SIMply Rechnung").is_err());
        assert!(lenient("12 Main Street").is_err());
        assert!(lenient("--5").unwrap_err().contains("more than one sign"));
        assert!(lenient("12/03").is_err());
        assert!(lenient("1.2.3,4,5").is_err());
        assert!(
            lenient("99999999999999999999999999999999")
                .unwrap_err()
                .contains("too large")
        );
        assert!(parse("$120", None, Symbols::Refused).is_err());
        assert_eq!(parse("-10.00", None, Symbols::Refused).unwrap(), d("-10"));
    }

    #[test]
    fn detects_the_mark_of_a_column() {
        assert_eq!(
            detect_mark(["-98,76", "1.234,56", "5"]),
            Some(DecimalMark::Comma)
        );
        assert_eq!(
            detect_mark(["1,000.00", "2,500.00"]),
            Some(DecimalMark::Point)
        );
        assert_eq!(detect_mark(["11'373.94"]), Some(DecimalMark::Point));
        assert_eq!(detect_mark(["1,234", "5"]), None);
        assert_eq!(detect_mark(["1.234.567"]), Some(DecimalMark::Comma));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = lenient(&s);
            let _ = parse(&s, Some(DecimalMark::Comma), Symbols::Refused);
        }

        #[test]
        fn reads_back_what_it_formats(cents in -10_000_000_000i64..10_000_000_000) {
            let value = Decimal::new(cents, 2);
            let plain = value.to_string();
            proptest::prop_assert_eq!(lenient(&plain).unwrap(), value);
            let comma = plain.replace('.', ",");
            proptest::prop_assert_eq!(parse(&comma, Some(DecimalMark::Comma), Symbols::Allowed).unwrap(), value);
        }
    }
}
