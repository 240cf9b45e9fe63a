//! Rules for money as clients send it: a decimal string (never a float) in a currency whose
//! ISO 4217 minor units bound the decimals, and an amount small enough for NUMERIC(20,4).

use rust_decimal::Decimal;

/// Largest absolute amount accepted: a quadrillion, far beyond any household's books.
const MAX_ABS: i64 = 1_000_000_000_000_000;

/// Parses a decimal string as clients must send amounts: digits, an optional leading `-`
/// and an optional `.` fraction. No exponents, separators or currency signs.
pub fn parse_amount(raw: &str, minor_units: u32) -> Result<Decimal, String> {
    let digits = raw.strip_prefix('-').unwrap_or(raw);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    let plain = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !(plain(whole) && plain(fraction)) || whole.len() > 16 || fraction.len() > 16 {
        return Err("must be a decimal number written as a string, such as \"-12.50\"".to_owned());
    }
    let amount = raw.parse::<Decimal>().map_err(|e| e.to_string())?;
    check_amount(amount, minor_units)
}

/// Like [`parse_amount`], for amounts that must be more than zero (a transfer, a target).
pub fn parse_positive_amount(raw: &str, minor_units: u32) -> Result<Decimal, String> {
    parse_amount(raw, minor_units).and_then(|a| {
        if a > Decimal::ZERO {
            Ok(a)
        } else {
            Err("must be more than zero".to_owned())
        }
    })
}

/// `amount` is acceptable in a currency with `minor_units` decimals.
pub fn check_amount(amount: Decimal, minor_units: u32) -> Result<Decimal, String> {
    let normalized = amount.normalize();
    if normalized.scale() > minor_units {
        return Err(match minor_units {
            0 => "has decimals, but the currency has no minor units".to_owned(),
            n => format!("has more than {n} decimal places, the most the currency allows"),
        });
    }
    if normalized.abs() >= Decimal::from(MAX_ABS) {
        return Err("is too large".to_owned());
    }
    Ok(normalized)
}

/// `amount` as a decimal string with exactly `minor_units` decimals, rounding half away from
/// zero (as Postgres's `round` does): "12.50", "1500".
pub fn format(amount: Decimal, minor_units: u32) -> String {
    let mut rounded = amount.round_dp_with_strategy(
        minor_units,
        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
    );
    rounded.rescale(minor_units);
    rounded.to_string()
}

/// A three-letter upper-case currency code (whether it exists is the database's to say).
pub fn check_currency_code(code: &str) -> Result<(), String> {
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err("must be a three-letter ISO 4217 code such as EUR or USD".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("decimal")
    }

    #[test]
    fn decimals_beyond_the_currency_are_rejected() {
        assert_eq!(check_amount(d("12.34"), 2), Ok(d("12.34")));
        assert_eq!(
            check_amount(d("12.3400"), 2),
            Ok(d("12.34")),
            "trailing zeros are fine"
        );
        assert!(check_amount(d("12.345"), 2).is_err());
        assert!(
            check_amount(d("1.5"), 0)
                .unwrap_err()
                .contains("no minor units")
        );
        assert_eq!(check_amount(d("1.234"), 3), Ok(d("1.234")));
    }

    #[test]
    fn only_plain_decimal_strings_parse() {
        assert_eq!(parse_amount("-12.50", 2), Ok(d("-12.5")));
        assert_eq!(parse_amount("7", 0), Ok(d("7")));
        assert_eq!(parse_positive_amount("0.01", 2), Ok(d("0.01")));
        assert!(parse_positive_amount("0", 2).is_err());
        assert!(parse_positive_amount("-5", 2).is_err());
        for bad in [
            "1e3", "12,50", "+5", " 5", "5.", ".5", "--5", "$5", "", "NaN", "1_000",
        ] {
            assert!(parse_amount(bad, 2).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn absurd_amounts_are_rejected() {
        assert!(check_amount(d("999999999999999"), 2).is_ok());
        assert!(check_amount(d("-1000000000000000"), 2).is_err());
    }

    #[test]
    fn formatting_shows_exactly_the_currency_decimals() {
        assert_eq!(format(d("0"), 2), "0.00");
        assert_eq!(format(d("12.5"), 2), "12.50");
        assert_eq!(format(d("0.125"), 2), "0.13");
        assert_eq!(format(d("-0.125"), 2), "-0.13");
        assert_eq!(format(d("1500.4"), 0), "1500");
    }

    #[test]
    fn currency_codes_are_three_upper_case_letters() {
        assert!(check_currency_code("EUR").is_ok());
        for bad in ["eur", "EURO", "E1R", ""] {
            assert!(check_currency_code(bad).is_err(), "{bad}");
        }
    }
}
