//! Bank strings as the classifier should see them: the same merchant looks the same on
//! every statement line. Removed: payment-processor prefixes (`SQ *`, `PAYPAL *`, `POS
//! Purchase`), card numbers, dates, store and reference numbers, phone numbers and domain
//! endings; what is left is lower case with single spaces. Pure, so the memory of labelled
//! descriptions, the embedding cache and the model all key on the same text.

/// Leading words that say how a payment was made, not to whom. Longest first, lower case.
const PREFIXES: &[&str] = &[
    "recurring card purchase:",
    "debit card purchase",
    "pos purchase",
    "card purchase",
    "card payment",
    "contactless",
    "paypal *",
    "zettle_*",
    "sumup *",
    "iz *",
    "sq *",
    "tst*",
    "sp *",
    "pp*",
    "pos",
];

const MONTHS: &[&str] = &[
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Words that only introduce a number removed with them ("card no. 1234", "ref 99").
const NUMBER_LABELS: &[&str] = &["card", "no", "no.", "ref", "ref:", "nr", "#", "store", "id"];

/// A token that is a number, a code or an identifier rather than a word: two or more
/// digits, or any digit beside a letter mix such as `dp06lp26`.
fn is_code(token: &str) -> bool {
    let digits = token.chars().filter(char::is_ascii_digit).count();
    if digits == 0 {
        return false;
    }
    let letters = token.chars().filter(|c| c.is_alphabetic()).count();
    // "4th", "7-eleven", "3m" stay: one digit with a short word.
    !(digits == 1 && letters <= 7 && token.chars().count() <= 8)
        || token
            .chars()
            .all(|c| c.is_ascii_digit() || !c.is_alphanumeric())
}

fn strip_domain(token: &str) -> &str {
    for ending in [".com", ".co.uk", ".co.za", ".de", ".net", ".org", ".io"] {
        if let Some(stem) = token.strip_suffix(ending)
            && !stem.is_empty()
        {
            return stem;
        }
    }
    token
}

/// Pure: `description` normalised. Never empty for a non-blank input: when everything
/// would be removed, the lower-cased original with single spaces is kept.
pub fn normalise(description: &str) -> String {
    let lower = description.to_lowercase();
    let mut rest = lower.trim();
    // Processor prefixes, possibly stacked ("POS Purchase SQ *Blue Bottle").
    loop {
        let before = rest;
        for prefix in PREFIXES {
            if let Some(stripped) = rest.strip_prefix(prefix) {
                rest = stripped.trim_start();
                break;
            }
        }
        if rest == before {
            break;
        }
    }
    // Separators become spaces; `*` and `#` often glue a code to a name.
    let spaced: String = rest
        .chars()
        .map(|c| match c {
            '*' | '#' | '/' | '_' | '(' | ')' | '[' | ']' | ',' | ';' | '|' => ' ',
            other => other,
        })
        .collect();
    let tokens: Vec<&str> = spaced.split_whitespace().collect();
    let mut kept: Vec<&str> = Vec::with_capacity(tokens.len());
    for (i, token) in tokens.iter().enumerate() {
        let token = token.trim_matches(|c: char| c == '.' || c == ':' || c == '-');
        if token.is_empty() || is_code(token) {
            // A label left dangling in front of its removed number goes too.
            while kept.last().is_some_and(|k| NUMBER_LABELS.contains(k)) {
                kept.pop();
            }
            continue;
        }
        // A month name beside a removed day number ("07 Oct", "Oct 7") is part of a date.
        let beside_number = |j: Option<usize>| {
            j.and_then(|j| tokens.get(j))
                .is_some_and(|t| t.chars().all(|c| c.is_ascii_digit()) && t.len() <= 4)
        };
        if MONTHS.contains(&token)
            && (beside_number(i.checked_sub(1)) || beside_number(Some(i + 1)))
        {
            continue;
        }
        kept.push(strip_domain(token));
    }
    while kept.last().is_some_and(|k| NUMBER_LABELS.contains(k)) {
        kept.pop();
    }
    let normalised = kept.join(" ");
    if normalised.is_empty() {
        lower.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        normalised
    }
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn real_statement_lines_lose_everything_but_the_merchant() {
        for (raw, expected) in [
            (
                "POS Purchase Engen Mitchell Park  * 07 Oct",
                "engen mitchell park",
            ),
            ("POS Purchase Engen Nkandla  * 05 Oct", "engen nkandla"),
            ("POS Purchase Nice On 4th  * 17 Nov", "nice on 4th"),
            (
                "POS PURCHASE (EFFEC ) DJS BILTONG (PTY) LTD NORKE CARD NO. ",
                "effec djs biltong pty ltd norke",
            ),
            ("SQ *BLUE BOTTLE COFFEE 4411", "blue bottle coffee"),
            ("PAYPAL *NETFLIX.COM 402-935-7733", "netflix"),
            (
                "Debicheck Payment (): Capfin (008577288C0002) ",
                "debicheck payment capfin",
            ),
            (
                "Internal Debit Order Fnblife Dp06Lp26",
                "internal debit order fnblife",
            ),
            (
                "Recurring Card Purchase: Apple.com/bill Itunes.com (Card ) ",
                "apple bill itunes",
            ),
            (
                "Rtc Express Pmt To Battlezone Party Lance 3 Sep",
                "rtc express pmt to battlezone party lance",
            ),
            (
                "AMAZON MKTPLACE PMTS AMZN.COM/BILL WA 2024-03-01",
                "amazon mktplace pmts amzn bill wa",
            ),
            ("REWE Markt GmbH 12.03.2024 REF 88213", "rewe markt gmbh"),
            ("7-ELEVEN #38422", "7-eleven"),
            ("#Item Unpaid No Funds 17", "item unpaid no funds"),
        ] {
            assert_eq!(normalise(raw), expected, "{raw:?}");
        }
    }

    #[test]
    fn the_same_merchant_on_different_days_and_cards_is_one_string() {
        let a = normalise("POS Purchase Woolworths  * 19 Nov");
        let b = normalise("POS PURCHASE WOOLWORTHS * 02 DEC");
        let c = normalise("CARD PAYMENT WOOLWORTHS 4429********1234");
        assert_eq!(a, b);
        assert_eq!(a, c);
    }

    #[test]
    fn nothing_left_keeps_the_original_and_odd_input_never_panics() {
        assert_eq!(normalise("12345 678"), "12345 678");
        assert_eq!(normalise("  POS  "), "pos");
        assert_eq!(normalise("Überweisung MIETE"), "überweisung miete");
        for odd in ["", " ", "*", "#####", "\u{0}", "🙂 café 12", "a\u{301}"] {
            let _ = normalise(odd);
        }
    }
}
