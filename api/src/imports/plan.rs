//! Pure: what an import will write. Each row read from the file gets its target account, its
//! checks against that account's currency, and its import id, which is what deduplicates:
//! the bank's own id (OFX `FITID`) when the file has one, otherwise a hash of the account,
//! date, amount, normalised text and the row's occurrence among identical rows in the file.
//! Two genuinely identical transactions on one day get occurrences 0 and 1 and both stay;
//! importing the same or an overlapping file again yields the same ids and adds nothing twice.

// One hasher throughout: generic hasher parameters would only add noise.
#![allow(clippy::implicit_hasher)]

use std::collections::{HashMap, HashSet};

use bank_formats::{ParsedFile, RowError};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use service_kit::digest::sha256_hex;
use uuid::Uuid;

use crate::money::check_amount;

/// The longest payee and description a transaction keeps (the table's limits).
pub const MAX_PAYEE: usize = 200;
pub const MAX_DESCRIPTION: usize = 1000;

/// One of our accounts that a source account's rows go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub account_id: Uuid,
    pub minor_units: u32,
}

/// A row ready to insert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedRow {
    pub line: usize,
    pub account_id: Uuid,
    pub date: NaiveDate,
    pub amount: Decimal,
    pub payee: String,
    pub description: String,
    pub import_id: String,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub rows: Vec<PlannedRow>,
    /// The file's row errors plus the rows that break the account's currency.
    pub errors: Vec<RowError>,
    /// Rows of source accounts not mapped to one of ours.
    pub unmapped: usize,
}

/// Plans the rows of `parsed`; `targets` maps a source account index to our account.
pub fn plan(parsed: &ParsedFile, targets: &HashMap<usize, Target>) -> Plan {
    let mut out = Plan {
        errors: parsed.errors.clone(),
        ..Plan::default()
    };
    let mut occurrences: HashMap<String, u32> = HashMap::new();
    for row in &parsed.rows {
        let Some(target) = targets.get(&row.account) else {
            out.unmapped += 1;
            continue;
        };
        if let Err(message) = check_amount(row.amount, target.minor_units) {
            out.errors.push(RowError {
                line: row.line,
                message: format!("the amount {} {message}", row.amount),
            });
            continue;
        }
        let payee = clip(&row.payee, MAX_PAYEE);
        let description = clip(&row.description, MAX_DESCRIPTION);
        let import_id = if let Some(bank_id) = &row.import_id {
            clip(bank_id, 200)
        } else {
            let key = content_key(
                target.account_id,
                row.date,
                row.amount,
                &payee,
                &description,
            );
            let occurrence = occurrences.entry(key.clone()).or_default();
            let id = hashed_id(&key, *occurrence);
            *occurrence += 1;
            id
        };
        out.rows.push(PlannedRow {
            line: row.line,
            account_id: target.account_id,
            date: row.date,
            amount: row.amount,
            payee,
            description,
            import_id,
        });
    }
    out.errors.sort_by_key(|e| e.line);
    out
}

/// Cuts text to at most `max` characters.
fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => text[..at].to_owned(),
        None => text.to_owned(),
    }
}

/// Lower case, one space between words: "AMAZON  Mktp" and "amazon mktp" are the same text.
pub fn normalise(text: &str) -> String {
    text.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

fn content_key(
    account: Uuid,
    date: NaiveDate,
    amount: Decimal,
    payee: &str,
    description: &str,
) -> String {
    format!(
        "{account}|{date}|{}|{}|{}",
        amount.normalize(),
        normalise(payee),
        normalise(description)
    )
}

/// `ft1:` and 32 hex digits of SHA-256; the prefix keeps these apart from bank ids.
fn hashed_id(key: &str, occurrence: u32) -> String {
    let hex = sha256_hex(format!("{key}|{occurrence}").as_bytes());
    format!("ft1:{}", &hex[..32])
}

/// Which planned rows are duplicates: their id is already in the account (`existing`), or
/// an earlier row of the same file has it (a bank id repeated).
pub fn duplicates(rows: &[PlannedRow], existing: &HashSet<(Uuid, String)>) -> Vec<bool> {
    let mut seen: HashSet<(Uuid, &str)> = HashSet::new();
    rows.iter()
        .map(|r| {
            let first_in_file = seen.insert((r.account_id, r.import_id.as_str()));
            !first_in_file || existing.contains(&(r.account_id, r.import_id.clone()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use bank_formats::{Options, read};

    fn account() -> Uuid {
        Uuid::from_u128(7)
    }

    fn planned(file: &str) -> Plan {
        let parsed = read(file.as_bytes(), &Options::default()).unwrap();
        plan(
            &parsed,
            &HashMap::from([(
                0,
                Target {
                    account_id: account(),
                    minor_units: 2,
                },
            )]),
        )
    }

    #[test]
    fn identical_rows_on_one_day_are_both_kept() {
        let plan = planned(
            "Date,Payee,Amount\n2024-01-05,Coffee,-3.50\n2024-01-05,Coffee,-3.50\n2024-01-06,Coffee,-3.50\n",
        );
        let ids: HashSet<&str> = plan.rows.iter().map(|r| r.import_id.as_str()).collect();
        assert_eq!(ids.len(), 3);
        assert_eq!(
            duplicates(&plan.rows, &HashSet::new()),
            [false, false, false]
        );
    }

    #[test]
    fn the_same_rows_get_the_same_ids_in_an_overlapping_file() {
        let first = planned(
            "Date,Payee,Amount\n2024-01-05,Coffee,-3.50\n2024-01-05,Coffee,-3.50\n2024-01-06,Tea,-2\n",
        );
        let second = planned(
            "Date,Payee,Amount\n2024-01-06,TEA, -2.00\n2024-01-05,Coffee,-3.50\n2024-01-05,Coffee,-3.50\n2024-01-07,Cake,-4\n",
        );
        let existing: HashSet<(Uuid, String)> = first
            .rows
            .iter()
            .map(|r| (r.account_id, r.import_id.clone()))
            .collect();
        assert_eq!(
            duplicates(&second.rows, &existing),
            [true, true, true, false]
        );
    }

    #[test]
    fn a_bank_id_is_the_import_id_and_repeats_are_duplicates() {
        let ofx = "<OFX><STMTRS><CURDEF>EUR<BANKACCTFROM><ACCTID>1</BANKACCTFROM><BANKTRANLIST>
            <STMTTRN><DTPOSTED>20240105<TRNAMT>-3.50<FITID>A1<NAME>Coffee</STMTTRN>
            <STMTTRN><DTPOSTED>20240106<TRNAMT>-2<FITID>A2<NAME>Tea</STMTTRN>
            <STMTTRN><DTPOSTED>20240105<TRNAMT>-3.50<FITID>A1<NAME>Coffee</STMTTRN>
            </BANKTRANLIST></STMTRS></OFX>";
        let plan = planned(ofx);
        let ids: Vec<&str> = plan.rows.iter().map(|r| r.import_id.as_str()).collect();
        assert_eq!(ids, ["A1", "A2", "A1"]);
        assert_eq!(
            duplicates(&plan.rows, &HashSet::new()),
            [false, false, true]
        );
    }

    #[test]
    fn amounts_finer_than_the_currency_are_row_errors() {
        let plan = planned("Date,Payee,Amount\n2024-01-05,Coffee,-3.505\n2024-01-06,Tea,-2\n");
        assert_eq!(plan.rows.len(), 1);
        assert_eq!(plan.errors[0].line, 2);
        assert!(
            plan.errors[0]
                .message
                .contains("-3.505 has more than 2 decimal places"),
            "{}",
            plan.errors[0].message
        );
    }

    #[test]
    fn rows_of_unmapped_accounts_are_counted_not_planned() {
        let parsed = read(
            b"Date,Payee,Amount\n2024-01-05,Coffee,-3.50\n",
            &Options::default(),
        )
        .unwrap();
        let plan = plan(&parsed, &HashMap::new());
        assert_eq!((plan.rows.len(), plan.unmapped), (0, 1));
    }

    #[test]
    fn long_texts_are_clipped_at_a_character_boundary() {
        assert_eq!(clip("ééé", 2), "éé");
        assert_eq!(clip("ab", 5), "ab");
        assert_eq!(normalise("  AMAZON   Mktp "), "amazon mktp");
    }
}
