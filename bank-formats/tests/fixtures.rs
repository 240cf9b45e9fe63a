//! Every bank export sample under `tests/fixtures/import/` is either read with the right
//! values (specific rows checked) or rejected with the reason its notes call for.

use std::path::PathBuf;

use bank_formats::{AmountColumns, Format, Options, ParsedFile, Rejected, Row, read};

fn fixture(path: &str) -> Vec<u8> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/import");
    std::fs::read(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn parsed(path: &str) -> ParsedFile {
    read(&fixture(path), &Options::default()).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn rejected(path: &str) -> Rejected {
    read(&fixture(path), &Options::default()).expect_err(path)
}

/// `date amount | payee | description`, the fields a user checks first.
fn summary(row: &Row) -> String {
    format!(
        "{} {} | {} | {}",
        row.date, row.amount, row.payee, row.description
    )
}

fn rows(file: &ParsedFile) -> Vec<String> {
    file.rows.iter().map(summary).collect()
}

#[test]
fn every_fixture_is_covered_here() {
    let this = include_str!("fixtures.rs");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/import");
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("csv" | "ofx" | "qfx" | "qif")
            ) {
                let name = path
                    .strip_prefix(&root)
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .to_owned();
                assert!(this.contains(&format!("\"{name}\"")), "{name} has no test");
            }
        }
    }
}

#[test]
fn csv_with_debit_and_credit_columns() {
    let file = parsed("csv/csv2ofx/capitalone.csv");
    assert_eq!(file.format, Format::Csv);
    assert_eq!(
        file.mapping.as_ref().unwrap().amount,
        AmountColumns::DebitCredit {
            debit: 5,
            credit: 6
        }
    );
    assert_eq!(
        rows(&file),
        [
            "2015-12-31 -1000.00 |  | Airplanes R Us",
            "2015-12-31 1000.00 |  | CAPITAL ONE AUTOPAY PYMT"
        ]
    );

    let file = parsed("csv/csv2ofx/schwab-checking.csv");
    assert_eq!(
        rows(&file)[..3],
        [
            "2022-08-17 20.00 |  | Deposit Mobile Banking",
            "2022-08-14 -103.00 |  | BMO HARRIS BANK",
            "2022-08-09 -75.00 |  | Check Paid #558",
        ]
    );

    let file = parsed("csv/csv2ofx/payoneer.csv");
    assert_eq!(
        rows(&file),
        [
            "2021-05-03 -100 |  | Transaction description",
            "2021-05-03 120 |  | Transaction description"
        ]
    );
    assert_eq!(file.rows[1].import_id.as_deref(), Some("1234"));
}

#[test]
fn csv_with_cr_line_endings_and_utf8_names() {
    let file = parsed("csv/csv2ofx/creditunion.csv");
    assert_eq!(file.rows.len(), 8);
    assert_eq!(summary(&file.rows[0]), "2015-02-08 50000 |  | Ằdøłƥh Noƴa");
    assert_eq!(file.rows[1].line, 3, "lines count CR-only endings");

    let file = parsed("csv/csv2ofx/default.csv");
    assert_eq!(file.rows.len(), 8);
    assert_eq!(summary(&file.rows[2]), "2015-02-24 70000 |  | Sadrick Mtel");
}

#[test]
fn csv_latin1_semicolons_decimal_commas() {
    let file = parsed("csv/csv2ofx/gls.csv");
    assert_eq!(file.encoding, bank_formats::text::Encoding::Windows1252);
    assert_eq!(file.columns[3], "Auftraggeber/Empfänger");
    assert_eq!(
        rows(&file),
        [
            "2017-10-10 -98.76 | Drillisch Online AG | B4658645 U123456789 B123456 987 SIMply Rechnung"
        ]
    );

    let file = parsed("csv/csv2ofx/outbank.csv");
    assert_eq!(
        summary(&file.rows[1]),
        "2019-02-08 -63.89 | Shell Gas | Shell Gas purchase MASTER 0123456789"
    );
    assert_eq!(file.rows.len(), 4);
}

#[test]
fn csv_day_first_and_apostrophe_thousands() {
    let file = parsed("csv/csv2ofx/ingesp.csv");
    assert_eq!(
        summary(&file.rows[0]),
        "2022-03-24 2.83 |  | Abono por campaña Abono Shopping NARANJA:GALP"
    );
    assert_eq!(
        file.mapping.as_ref().unwrap().date_order,
        bank_formats::DateOrder::Dmy
    );

    let file = parsed("csv/csv2ofx/ubs-ch-fr_trimmed.csv");
    assert_eq!(
        summary(&file.rows[0]),
        "2019-03-31 -10.00 |  | Solde prix prestations"
    );
    assert_eq!(
        summary(&file.rows[1]),
        "2019-02-28 240.00 |  | Virement postal ASSOCIATION FOO-BAR BVD DE QUELQUE-PART 1, 1201 GENEVE, CH"
    );
    assert_eq!(file.rows[1].import_id.as_deref(), Some("3456789ZT1234567"));
}

#[test]
fn csv_with_a_debit_credit_flag_with_and_without_header() {
    let expected = [
        "2015-06-12 -1000.00",
        "2015-06-12 -1500.00",
        "2015-06-13 2000.00",
        "2015-06-14 -2500.00",
    ];
    for path in ["csv/csv2ofx/mint.csv", "csv/csv2ofx/mint_headerless.csv"] {
        let file = parsed(path);
        let got: Vec<String> = file
            .rows
            .iter()
            .map(|r| format!("{} {}", r.date, r.amount))
            .collect();
        assert_eq!(got, expected, "{path}");
        assert_eq!(file.rows[2].description, "Transfer to Savings", "{path}");
    }
    assert!(parsed("csv/csv2ofx/mint_headerless.csv").columns.is_empty());
}

#[test]
fn csv_payee_columns() {
    let file = parsed("csv/csv2ofx/pcmastercard.csv");
    assert_eq!(
        rows(&file),
        [
            "2019-01-10 36.33 | Mobil | ",
            "2018-12-15 13.98 | APL*ITUNES.COM/BILL | "
        ]
    );

    let file = parsed("csv/csv2ofx/n26-fr.csv");
    assert_eq!(
        rows(&file),
        [
            "2020-03-07 328.00 | Compte courant | ",
            "2020-03-07 -328.00 | Compte courant | "
        ]
    );
}

#[test]
fn ofx_bank_quirks_each_read_the_same_transaction() {
    for (path, amount) in [
        (
            "ofx/bankfile-corpus/unnamed-bank/amount-comma-decimal.ofx",
            "-2000.00",
        ),
        (
            "ofx/bankfile-corpus/unnamed-bank/amount-plus-sign-and-space.ofx",
            "1006.60",
        ),
        (
            "ofx/bankfile-corpus/unnamed-bank/blank-line-before-header.ofx",
            "-10.00",
        ),
        (
            "ofx/bankfile-corpus/unnamed-bank/charset-8859-1-without-iso-prefix.qfx",
            "-10.00",
        ),
        (
            "ofx/bankfile-corpus/unnamed-bank/chknum-instead-of-checknum.ofx",
            "-10.00",
        ),
        (
            "ofx/bankfile-corpus/unnamed-bank/mixed-case-trntype.ofx",
            "-10.00",
        ),
        (
            "ofx/bankfile-corpus/unnamed-bank/tags-outside-spec.ofx",
            "-10.00",
        ),
        ("ofx/bankfile-corpus/unnamed-bank/zero-date.ofx", "-10.00"),
    ] {
        let file = parsed(path);
        assert_eq!(file.format, Format::Ofx1, "{path}");
        assert_eq!(
            rows(&file),
            [format!("2026-01-15 {amount} | ANON MERCHANT | ANON MEMO")],
            "{path}"
        );
        assert_eq!(file.rows[0].import_id.as_deref(), Some("T0001"), "{path}");
        assert_eq!(file.accounts[0].id, "0000123456", "{path}");
        assert!(file.errors.is_empty(), "{path}");
    }
    let file = parsed("ofx/bankfile-corpus/unnamed-bank/chknum-instead-of-checknum.ofx");
    assert_eq!(file.rows[0].check_number.as_deref(), Some("1932"));
}

#[test]
fn ofx_text_outside_ascii_and_empty_elements() {
    let file = parsed("ofx/bankfile-corpus/unnamed-bank/character-outside-latin1.ofx");
    assert_eq!(
        rows(&file),
        ["2026-01-15 -10.00 | ANON UPRAVA č | ANON MEMO"]
    );

    let file = parsed("ofx/bankfile-corpus/unnamed-bank/xml-declaration-ofx-2.ofx");
    assert_eq!(file.format, Format::Ofx2);
    assert_eq!(
        rows(&file),
        ["2026-01-15 -10.00 | ANON ÉNERGIE | ANON MEMO"]
    );

    let file = parsed("ofx/bankfile-corpus/unnamed-bank/empty-tags-curdef-fitid-name.ofx");
    assert_eq!(rows(&file), ["2026-01-15 -10.00 |  | ANON MEMO"]);
    assert_eq!(file.rows[0].import_id, None, "an empty FITID is no id");
    assert_eq!(file.accounts[0].currency, None);

    let file = parsed("ofx/ofxparse/ofx-v102-empty-tags.ofx");
    assert_eq!(rows(&file), ["2018-05-07 12.34 |  | CBA:Transfer"]);
}

#[test]
fn ofx_statements_from_real_banks() {
    let file = parsed("ofx/ofxparse/bank_medium.ofx");
    assert_eq!(file.accounts[0].currency.as_deref(), Some("CAD"));
    assert_eq!(file.rows.len(), 3);
    assert_eq!(
        summary(&file.rows[0]),
        "2009-04-01 -6.60 | MCDONALD'S #112 | POS MERCHANDISE;MCDONALD'S #112"
    );
    assert_eq!(
        file.rows[0].import_id.as_deref(),
        Some("0000123456782009040100001")
    );

    let file = parsed("ofx/ofxparse/checking.ofx");
    assert_eq!(file.rows.len(), 3);
    assert_eq!(file.rows[1].amount.to_string(), "-34.51");

    let file = parsed("ofx/ofxparse/anzcc.ofx");
    assert_eq!(file.format, Format::Ofx2);
    assert_eq!(file.accounts[0].kind.as_deref(), Some("credit_card"));
    assert_eq!(rows(&file), ["2017-05-08 -5.50 |  | SOME MEMO"]);

    let file = parsed("ofx/ofxparse/suncorp.ofx");
    assert_eq!(
        rows(&file),
        [
            "2013-12-15 -16.85 | EFTPOS WDL HANDYWAY ALDI STORE | EFTPOS WDL HANDYWAY ALDI STORE   GEELONG WEST VICAU"
        ]
    );

    let file = parsed("ofx/ofxparse/multiple_accounts.ofx");
    let ids: Vec<&str> = file.accounts.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["9100", "9200"]);
    assert!(file.rows.is_empty());

    let file = parsed("ofx/ofxparse/fail_nice/empty_balance.ofx");
    assert_eq!(rows(&file), ["2011-03-08 120 | Foobar | "]);
}

#[test]
fn ofx_broken_transactions_are_row_errors_with_lines() {
    let file = parsed("ofx/ofxparse/fail_nice/date_missing.ofx");
    let errors: Vec<(usize, &str)> = file
        .errors
        .iter()
        .map(|e| (e.line, e.message.as_str()))
        .collect();
    assert_eq!(
        errors,
        [
            (33, "the transaction has no DTPOSTED date"),
            (40, "the transaction has no DTPOSTED date"),
            (48, "DTPOSTED '20120231' is not a date"),
        ]
    );
    let file = parsed("ofx/ofxparse/fail_nice/decimal_error.ofx");
    assert_eq!(
        file.errors[0].message,
        "DTPOSTED '201120000000' is not a date"
    );
}

#[test]
fn ofx_files_without_a_bank_statement_are_rejected() {
    assert_eq!(
        rejected("ofx/ofxparse/error_message.ofx").to_string(),
        "the bank's file reports an error instead of a statement: General Server Error (code 2000)"
    );
    for path in [
        "ofx/ofxparse/account_listing_aggregation.ofx",
        "ofx/ofxparse/bank_small.ofx",
    ] {
        assert!(
            matches!(rejected(path), Rejected::NoTransactions(_)),
            "{path}"
        );
    }
    for path in [
        "ofx/ofxparse/fidelity.ofx",
        "ofx/ofxparse/td_ameritrade.ofx",
        "ofx/ofxparse/vanguard.ofx",
    ] {
        assert!(
            rejected(path).to_string().contains("investment statement"),
            "{path}"
        );
    }
}

#[test]
fn qif_bank_transactions_with_splits() {
    let file = parsed("qif/quiffen/test.qif");
    assert_eq!(file.format, Format::Qif);
    assert_eq!(file.rows.len(), 6);
    let amazon = file.rows.iter().find(|r| r.payee == "Amazon.com").unwrap();
    assert_eq!(
        summary(amazon),
        "2020-02-10 -100.00 | Amazon.com | test order 1"
    );
    let parts: Vec<String> = amazon
        .splits
        .iter()
        .map(|s| format!("{} {}", s.category.as_deref().unwrap_or("-"), s.amount))
        .collect();
    assert_eq!(
        parts,
        [
            "Food:Groceries -50.00",
            "Transportation:Automobile -25.00",
            "Personal Care:Haircare -10.00",
            "Healthcare:Prescriptions -15.00"
        ]
    );
    assert_eq!(
        file.rows[0].category, None,
        "[TestExport] is a transfer, not a category"
    );
    assert!(file.notes.iter().any(|n| n.contains("!Type:Invst")));

    let file = parsed("qif/quiffen/test_oth_a.qif");
    assert_eq!(file.accounts[0].kind.as_deref(), Some("asset"));
    assert_eq!(file.rows.len(), 6);

    let file = parsed("qif/quiffen/test_split.qif");
    assert_eq!(rows(&file), ["2000-01-01 -10.00 | A Payee | "]);
    assert_eq!(file.rows[0].splits.len(), 2);
}

#[test]
fn qif_dates_in_each_order() {
    let file = parsed("qif/quiffen/test_category_override.qif");
    assert_eq!(
        summary(&file.rows[0]),
        "2017-12-22 1000.00 | Income For January | "
    );
    assert_eq!(
        file.rows[0].category.as_deref(),
        Some("Income:Available next month")
    );

    let file = parsed("qif/quiffen/test_circular_reference.qif");
    assert_eq!(
        summary(&file.rows[1]),
        "2021-08-27 -5.59 | BROTHAUS GMBH | BROTHAUS GMBH 26.08.2021 um 13:23:55 Uhr"
    );

    for path in [
        "qif/quiffen/test_transaction_before_account_definition_1.qif",
        "qif/quiffen/test_transaction_before_account_definition_2.qif",
    ] {
        assert_eq!(
            rows(&parsed(path)),
            [
                "2022-09-23 -184.8 | FIRST TRANSACTION | ",
                "2022-09-08 -13.16 | SECOND TRANSACTION | "
            ],
            "{path}"
        );
    }
}

#[test]
fn qif_files_without_transactions_are_rejected() {
    assert_eq!(rejected("qif/quiffen/empty.qif"), Rejected::Empty);
    for path in [
        "qif/quiffen/test_category_inherit.qif",
        "qif/quiffen/test_clear_autoswitch.qif",
        "qif/quiffen/test_option_autoswitch.qif",
        "qif/quiffen/test_nosymbol.qif",
        "qif/quiffen/test_unknown_account_type.qif",
    ] {
        assert!(
            matches!(rejected(path), Rejected::NoTransactions(_)),
            "{path}"
        );
    }
}
