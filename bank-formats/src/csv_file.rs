//! CSV in any bank's layout: the delimiter, the header row (after any preamble), the date
//! order, the decimal mark and the meaning of each column are detected and proposed as a
//! [`CsvMapping`], which the user may edit and save; [`read`] applies one.

use serde::{Deserialize, Serialize};

use crate::amount::{self, DecimalMark, Symbols};
use crate::date::{self, DateOrder};
use crate::{Format, ParsedFile, Rejected, Row, RowError, SourceAccount};

/// Where the money is.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AmountColumns {
    /// One column, negative for money out.
    Signed { column: usize },
    /// Money out in one column, money in in another (either may carry a sign or be blank).
    DebitCredit { debit: usize, credit: usize },
    /// One column of unsigned amounts and one saying debit or credit (`D`/`C`, `DR`/`CR`,
    /// `debit`/`credit`, `S`/`H`).
    Flagged { column: usize, flag: usize },
}

/// How to read one bank's CSV layout. Columns are 0-based.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvMapping {
    pub delimiter: char,
    /// The 0-based record holding the column names, or `None` for a file without a header.
    pub header_row: Option<usize>,
    /// The first record holding a transaction.
    pub first_row: usize,
    pub date_column: usize,
    pub date_order: DateOrder,
    pub amount: AmountColumns,
    pub decimal_mark: DecimalMark,
    /// Turn every amount's sign around (card exports that list purchases as positive).
    #[serde(default)]
    pub negate: bool,
    /// Joined with a space, blanks skipped.
    pub description_columns: Vec<usize>,
    pub payee_column: Option<usize>,
    /// A column with the bank's unique id per transaction.
    pub import_id_column: Option<usize>,
}

impl CsvMapping {
    fn columns_used(&self) -> Vec<usize> {
        let mut used = vec![self.date_column];
        match self.amount {
            AmountColumns::Signed { column } => used.push(column),
            AmountColumns::DebitCredit { debit, credit } => used.extend([debit, credit]),
            AmountColumns::Flagged { column, flag } => used.extend([column, flag]),
        }
        used.extend(&self.description_columns);
        used.extend(self.payee_column);
        used.extend(self.import_id_column);
        used
    }
}

/// A record with the line it starts on.
struct Record {
    line: usize,
    cells: Vec<String>,
}

/// Reads the file with `mapping`, or with a detected one.
pub fn read(text: &str, mapping: Option<&CsvMapping>) -> Result<ParsedFile, Rejected> {
    let delimiter = match mapping {
        Some(m) => m.delimiter,
        None => detect_delimiter(text),
    };
    let records = records(text, delimiter)?;
    let mapping = match mapping {
        Some(m) => {
            check_mapping(m, &records)?;
            m.clone()
        }
        None => detect(&records, delimiter)?,
    };
    let columns = mapping
        .header_row
        .and_then(|h| records.get(h))
        .map(|r| r.cells.clone())
        .unwrap_or_default();
    let mut parsed = ParsedFile {
        format: Format::Csv,
        encoding: crate::text::Encoding::Utf8,
        mapping: None,
        columns,
        accounts: vec![SourceAccount::default()],
        rows: Vec::new(),
        errors: Vec::new(),
        notes: Vec::new(),
    };
    let data = records.get(mapping.first_row..).unwrap_or_default();
    // Footer: trailing records with no digits where the date goes (totals, "end of
    // statement"). A broken date (`2024-13-01`) is a row error, never a footer.
    let footer = data
        .iter()
        .rev()
        .take_while(|r| is_footer(r, mapping.date_column))
        .count();
    if footer > 0 {
        parsed.notes.push(format!(
            "skipped {footer} line(s) after the last transaction (a footer)"
        ));
    }
    if mapping.first_row > 0 {
        let preamble = mapping.first_row - usize::from(mapping.header_row.is_some());
        if preamble > 0 {
            parsed.notes.push(format!(
                "skipped {preamble} line(s) before the header (a preamble)"
            ));
        }
    }
    for record in &data[..data.len() - footer] {
        if record.cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        match row(record, &mapping) {
            Ok(row) => parsed.rows.push(row),
            Err(message) => parsed.errors.push(RowError {
                line: record.line,
                message,
            }),
        }
    }
    if parsed.rows.is_empty() && parsed.errors.is_empty() {
        return Err(Rejected::NoTransactions(
            "the file has a header but no transactions".to_owned(),
        ));
    }
    parsed.mapping = Some(mapping);
    Ok(parsed)
}

fn is_footer(record: &Record, column: usize) -> bool {
    !cell(record, column).bytes().any(|b| b.is_ascii_digit())
}

fn records(text: &str, delimiter: char) -> Result<Vec<Record>, Rejected> {
    let delimiter = u8::try_from(delimiter).map_err(|_| {
        Rejected::Layout(format!(
            "the delimiter '{delimiter}' is not a single-byte character"
        ))
    })?;
    // CR-only files: the csv crate reads them, but counts lines only by LF.
    let normalised;
    let text = if text.contains('\r') {
        normalised = text.replace("\r\n", "\n").replace('\r', "\n");
        normalised.as_str()
    } else {
        text
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .comment(None)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => out.push(Record {
                line: record
                    .position()
                    .map_or(0, |p| usize::try_from(p.line()).unwrap_or(0)),
                cells: record.iter().map(|c| c.trim().to_owned()).collect(),
            }),
            Err(e) => {
                let line = e
                    .position()
                    .map_or(0, |p| usize::try_from(p.line()).unwrap_or(0));
                return Err(Rejected::Malformed {
                    line,
                    column: 0,
                    message: e.to_string(),
                });
            }
        }
    }
    Ok(out)
}

/// The delimiter that splits the first lines into the most columns, the same number each time.
fn detect_delimiter(text: &str) -> char {
    let lines: Vec<&str> = crate::numbered_lines(text)
        .map(|(_, l)| l)
        .filter(|l| !l.trim().is_empty())
        .take(30)
        .collect();
    let mut best = (',', 0usize);
    for delimiter in [',', ';', '\t', '|'] {
        let Ok(records) = records(&lines.join("\n"), delimiter) else {
            continue;
        };
        let counts: Vec<usize> = records.iter().map(|r| r.cells.len()).collect();
        let Some(mode) = mode(&counts) else { continue };
        if mode < 2 {
            continue;
        }
        let agreeing = counts.iter().filter(|c| **c == mode).count();
        let score = agreeing * mode;
        if score > best.1 {
            best = (delimiter, score);
        }
    }
    best.0
}

fn mode(values: &[usize]) -> Option<usize> {
    let mut counts = std::collections::BTreeMap::new();
    for v in values {
        *counts.entry(*v).or_insert(0usize) += 1;
    }
    counts
        .into_iter()
        .max_by_key(|(value, count)| (*count, *value))
        .map(|(value, _)| value)
}

/// Words in header cells that name a role, in order of preference. Matching is on the
/// lower-cased cell with accents kept.
const DATE_WORDS: [&str; 12] = [
    "transaction date",
    "booking date",
    "buchungstag",
    "date",
    "datum",
    "fecha",
    "data",
    "date de valeur",
    "posted",
    "valuta",
    "wertstellung",
    "value date",
];
const DEBIT_WORDS: [&str; 8] = [
    "debit",
    "débit",
    "withdrawal",
    "soll",
    "money out",
    "paid out",
    "ausgang",
    "cargo",
];
const CREDIT_WORDS: [&str; 8] = [
    "credit", "crédit", "deposit", "haben", "money in", "paid in", "eingang", "abono",
];
const AMOUNT_WORDS: [&str; 9] = [
    "amount", "betrag", "montant", "importe", "bedrag", "importo", "valor", "umsatz", "sum",
];
/// Words that disqualify a header cell from every role: a balance is not an amount, an
/// original description is a copy, an account name is not a payee.
const EXCLUDED_WORDS: [&str; 9] = [
    "balance",
    "saldo",
    "solde",
    "kontostand",
    "original",
    "transfer amount",
    "running",
    "fee",
    "account",
];
const DESCRIPTION_WORDS: [&str; 14] = [
    "verwendungszweck",
    "vwz",
    "description",
    "desc",
    "memo",
    "details",
    "narrative",
    "libellé",
    "concepto",
    "reason",
    "purpose",
    "payment reference",
    "buchungstext",
    "reference",
];
const PAYEE_WORDS: [&str; 10] = [
    "payee",
    "merchant",
    "partner name",
    "name",
    "beneficiary",
    "counterparty",
    "auftraggeber",
    "empfänger",
    "store",
    "empfaenger",
];
const ID_WORDS: [&str; 7] = [
    "transaction id",
    "fitid",
    "reference id",
    "n° de transaction",
    "transaction number",
    "transaktions-id",
    "id",
];
const FLAG_DEBIT: [&str; 7] = ["debit", "d", "dr", "db", "s", "soll", "withdrawal"];
const FLAG_CREDIT: [&str; 7] = ["credit", "c", "cr", "h", "haben", "deposit", "cd"];

/// Proposes a mapping for the records.
fn detect(records: &[Record], delimiter: char) -> Result<CsvMapping, Rejected> {
    let counts: Vec<usize> = records.iter().map(|r| r.cells.len()).collect();
    let width = mode(&counts).unwrap_or(0);
    if width < 2 {
        return Err(Rejected::Layout(
            "could not find columns: no line splits on ',', ';', tab or '|' into two or more cells"
                .to_owned(),
        ));
    }
    // The first record of the table that holds a date, where most of the next few do too.
    let dated = |r: &Record| r.cells.iter().any(|c| date::looks_like_date(c));
    let first_row = (0..records.len().min(50))
        .find(|&i| {
            let window = &records[i..records.len().min(i + 5)];
            records[i].cells.len() == width
                && dated(&records[i])
                && window.iter().filter(|r| dated(r)).count() * 2 >= window.len()
        })
        .ok_or_else(|| {
            Rejected::Layout(
                "no line in the first 50 holds a date, so no transactions were found".to_owned(),
            )
        })?;
    let header_row = first_row.checked_sub(1).filter(|&h| {
        let cells = &records[h].cells;
        cells.len() == width
            && cells.iter().all(|c| {
                !date::looks_like_date(c) && amount::parse(c, None, Symbols::Refused).is_err()
            })
    });
    let header: Vec<String> = header_row
        .map(|h| records[h].cells.iter().map(|c| c.to_lowercase()).collect())
        .unwrap_or_default();
    let sample: Vec<&Record> = records[first_row..]
        .iter()
        .filter(|r| r.cells.len() == width)
        .take(500)
        .collect();
    let column = |i: usize| {
        sample
            .iter()
            .map(move |r| r.cells.get(i).map_or("", String::as_str))
    };
    let profile: Vec<Profile> = (0..width).map(|i| Profile::of(column(i))).collect();

    let date_column = pick_by_words(&header, &DATE_WORDS, |i| profile[i].dates)
        .or_else(|| (0..width).find(|&i| profile[i].dates))
        .ok_or_else(|| Rejected::Layout("no column holds a date in most rows".to_owned()))?;
    let mut taken = vec![date_column];
    let amount = detect_amount(&header, &profile, &taken)
        .ok_or_else(|| Rejected::Layout("no column holds amounts in most rows".to_owned()))?;
    let amount_columns: Vec<usize> = match amount {
        AmountColumns::Signed { column } => vec![column],
        AmountColumns::DebitCredit { debit, credit } => vec![debit, credit],
        AmountColumns::Flagged { column, flag } => vec![column, flag],
    };
    taken.extend(&amount_columns);
    let decimal_mark = amount::detect_mark(amount_columns.iter().flat_map(|&i| column(i)))
        .unwrap_or(if delimiter == ';' {
            DecimalMark::Comma
        } else {
            DecimalMark::Point
        });
    let tie = if decimal_mark == DecimalMark::Comma {
        DateOrder::Dmy
    } else {
        DateOrder::Mdy
    };
    let date_order = date::detect_order(
        &column(date_column)
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>(),
        tie,
    )
    .unwrap_or(tie);

    let import_id_column = pick_by_words(&header, &ID_WORDS, |i| {
        profile[i].unique && !taken.contains(&i)
    });
    taken.extend(import_id_column);
    let (payee_column, description_columns) = detect_texts(&header, &profile, &taken);
    Ok(CsvMapping {
        delimiter,
        header_row,
        first_row,
        date_column,
        date_order,
        amount,
        decimal_mark,
        negate: false,
        description_columns,
        payee_column,
        import_id_column,
    })
}

/// The payee column and the description columns (joined in order).
fn detect_texts(
    header: &[String],
    profile: &[Profile],
    taken: &[usize],
) -> (Option<usize>, Vec<usize>) {
    let width = profile.len();
    let free_text = |i: usize| profile[i].text && !taken.contains(&i);
    let payee_column = pick_by_words(header, &PAYEE_WORDS, free_text);
    let free_text = |i: usize| free_text(i) && Some(i) != payee_column;
    let mut description_columns: Vec<usize> = Vec::new();
    if let Some(first) = pick_by_words(header, &DESCRIPTION_WORDS, free_text) {
        description_columns.push(first);
        // Numbered siblings: "VWZ1".."VWZ14", "Description 1".."Description 3".
        let stem = header[first].trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ');
        if stem.len() < header[first].len() {
            description_columns.extend((first + 1..width).filter(|&i| {
                header[i].starts_with(stem)
                    && header[i][stem.len()..].trim().parse::<u32>().is_ok()
                    && profile[i].any_text
            }));
        }
    } else if payee_column.is_none() {
        // No header words: the column with the longest texts.
        description_columns.extend(
            (0..width)
                .filter(|&i| free_text(i))
                .max_by_key(|&i| profile[i].mean_length),
        );
    }
    (payee_column, description_columns)
}

/// What a column's values look like.
#[derive(Debug, Default)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "a profile is a set of yes/no observations about one column"
)]
struct Profile {
    /// At least half the values are dates: broken rows or a footer do not hide it.
    dates: bool,
    /// At least half the non-blank values are amounts, and at least one is not blank.
    amounts: bool,
    /// Every value is an amount.
    all_amounts: bool,
    /// Values are debit/credit words.
    flags: bool,
    /// Values vary and are mostly not numbers: text worth reading.
    text: bool,
    /// At least one value is text.
    any_text: bool,
    /// Every value present and different.
    unique: bool,
    /// Distinct plain whole numbers (row numbers, check numbers): amounts by shape, but not
    /// money unless a header says so.
    counter: bool,
    mean_length: usize,
}

impl Profile {
    fn of<'a>(values: impl Iterator<Item = &'a str>) -> Profile {
        let values: Vec<&str> = values.collect();
        let present: Vec<&str> = values.iter().copied().filter(|v| !v.is_empty()).collect();
        if present.is_empty() {
            return Profile::default();
        }
        let is_amount = |v: &&str| {
            amount::parse(v, None, Symbols::Allowed).is_ok()
                && v.chars().any(|c| c.is_ascii_digit())
        };
        let numeric = present.iter().filter(|v| is_amount(v)).count();
        let distinct: std::collections::HashSet<&str> = present.iter().copied().collect();
        let lower = |v: &&str| v.to_lowercase();
        Profile {
            dates: present.iter().filter(|v| date::looks_like_date(v)).count() * 2 >= values.len(),
            amounts: numeric * 2 >= present.len(),
            all_amounts: numeric == values.len(),
            flags: present
                .iter()
                .map(lower)
                .all(|v| FLAG_DEBIT.contains(&v.as_str()) || FLAG_CREDIT.contains(&v.as_str())),
            // A column with one value in every row (the account's name) says nothing about
            // each transaction, once there are enough rows to tell.
            text: numeric * 2 < present.len()
                && present
                    .iter()
                    .filter(|v| v.chars().any(char::is_alphabetic))
                    .count()
                    * 2
                    > present.len()
                && (distinct.len() > 1 || values.len() < 3),
            any_text: numeric < present.len(),
            unique: present.len() == values.len() && distinct.len() == values.len(),
            counter: distinct.len() == values.len()
                && present
                    .iter()
                    .all(|v| v.bytes().all(|b| b.is_ascii_digit())),
            mean_length: present.iter().map(|v| v.chars().count()).sum::<usize>() / present.len(),
        }
    }
}

/// The first header cell matching the earliest word in `words` that passes `fits`.
fn pick_by_words(header: &[String], words: &[&str], fits: impl Fn(usize) -> bool) -> Option<usize> {
    words.iter().find_map(|word| {
        let exact = header.iter().position(|h| h == word).filter(|&i| fits(i));
        exact.or_else(|| {
            (0..header.len()).find(|&i| {
                let h = &header[i];
                contains_word(h, word)
                    && !EXCLUDED_WORDS.iter().any(|n| contains_word(h, n))
                    && fits(i)
            })
        })
    })
}

/// `word` appears in `cell` at word boundaries ("Debit Amount" has "debit"; "Credit Card" has
/// "credit"; "Identifier" does not have "id").
fn contains_word(cell: &str, word: &str) -> bool {
    cell.match_indices(word).any(|(at, _)| {
        let before = cell[..at].chars().next_back();
        let after = cell[at + word.len()..].chars().next();
        before.is_none_or(|c| !c.is_alphabetic()) && after.is_none_or(|c| !c.is_alphabetic())
    })
}

fn detect_amount(header: &[String], profile: &[Profile], taken: &[usize]) -> Option<AmountColumns> {
    let free = |i: usize| !taken.contains(&i);
    let debit = pick_by_words(header, &DEBIT_WORDS, |i| free(i) && profile[i].amounts);
    let credit = pick_by_words(header, &CREDIT_WORDS, |i| free(i) && profile[i].amounts);
    if let (Some(debit), Some(credit)) = (debit, credit)
        && debit != credit
    {
        return Some(AmountColumns::DebitCredit { debit, credit });
    }
    let column =
        pick_by_words(header, &AMOUNT_WORDS, |i| free(i) && profile[i].amounts).or_else(|| {
            (0..profile.len()).find(|&i| free(i) && profile[i].all_amounts && !profile[i].counter)
        })?;
    match (0..profile.len()).find(|&i| free(i) && i != column && profile[i].flags) {
        Some(flag) => Some(AmountColumns::Flagged { column, flag }),
        None => Some(AmountColumns::Signed { column }),
    }
}

fn check_mapping(mapping: &CsvMapping, records: &[Record]) -> Result<(), Rejected> {
    let width = records.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    if let Some(bad) = mapping.columns_used().into_iter().find(|&c| c >= width) {
        return Err(Rejected::Layout(format!(
            "the mapping uses column {} but the widest line has {width} column(s)",
            bad + 1
        )));
    }
    if mapping.header_row.is_some_and(|h| h >= mapping.first_row) {
        return Err(Rejected::Layout(
            "the header row must come before the first transaction row".to_owned(),
        ));
    }
    Ok(())
}

fn cell(record: &Record, column: usize) -> &str {
    record.cells.get(column).map_or("", String::as_str)
}

fn row(record: &Record, mapping: &CsvMapping) -> Result<Row, String> {
    let raw_date = cell(record, mapping.date_column);
    let date = date::parse(raw_date, mapping.date_order).ok_or_else(|| {
        if raw_date.is_empty() {
            format!("column {}: the date is empty", mapping.date_column + 1)
        } else {
            format!(
                "column {}: '{raw_date}' is not a {} date",
                mapping.date_column + 1,
                order_name(mapping.date_order)
            )
        }
    })?;
    let money = |column: usize| {
        let raw = cell(record, column);
        if raw.is_empty() {
            Ok(None)
        } else {
            amount::parse(raw, Some(mapping.decimal_mark), Symbols::Allowed)
                .map(Some)
                .map_err(|e| format!("column {}: {e}", column + 1))
        }
    };
    let value = match mapping.amount {
        AmountColumns::Signed { column } => {
            money(column)?.ok_or_else(|| format!("column {}: the amount is empty", column + 1))?
        }
        AmountColumns::DebitCredit { debit, credit } => match (money(debit)?, money(credit)?) {
            (Some(d), None) => -d.abs(),
            (None, Some(c)) => c.abs(),
            (Some(d), Some(c)) if d.is_zero() => c.abs(),
            (Some(d), Some(c)) if c.is_zero() => -d.abs(),
            (Some(_), Some(_)) => {
                return Err(format!(
                    "columns {} and {}: both debit and credit hold an amount",
                    debit + 1,
                    credit + 1
                ));
            }
            (None, None) => {
                return Err(format!(
                    "columns {} and {}: both debit and credit are empty",
                    debit + 1,
                    credit + 1
                ));
            }
        },
        AmountColumns::Flagged { column, flag } => {
            let value = money(column)?
                .ok_or_else(|| format!("column {}: the amount is empty", column + 1))?;
            let word = cell(record, flag).to_lowercase();
            if FLAG_DEBIT.contains(&word.as_str()) {
                -value.abs()
            } else if FLAG_CREDIT.contains(&word.as_str()) {
                value.abs()
            } else {
                return Err(format!(
                    "column {}: '{}' says neither debit nor credit",
                    flag + 1,
                    cell(record, flag)
                ));
            }
        }
    };
    let description = mapping
        .description_columns
        .iter()
        .map(|&c| cell(record, c))
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    Ok(Row {
        line: record.line,
        account: 0,
        date,
        amount: if mapping.negate { -value } else { value },
        payee: mapping
            .payee_column
            .map(|c| cell(record, c).to_owned())
            .unwrap_or_default(),
        description,
        import_id: mapping
            .import_id_column
            .map(|c| cell(record, c).to_owned())
            .filter(|id| !id.is_empty()),
        check_number: None,
        category: None,
        splits: Vec::new(),
    })
}

fn order_name(order: DateOrder) -> &'static str {
    match order {
        DateOrder::Ymd => "year-month-day",
        DateOrder::Dmy => "day-month-year",
        DateOrder::Mdy => "month-day-year",
    }
}

/// The header cells as one key: the same bank layout gives the same key, so a saved mapping
/// is found again for the next file.
pub fn header_key(columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| c.trim().to_lowercase())
        .collect::<Vec<_>>()
        .join("\u{1f}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Options, read as read_file};

    fn read_text(text: &str) -> ParsedFile {
        read_file(text.as_bytes(), &Options::default()).unwrap()
    }

    #[test]
    fn skips_preamble_and_footer() {
        let file = read_text(
            "Account statement\nAccount;DE00 1234\n\nDate;Text;Amount\n01.02.2024;Rent;-800,00\n03.02.2024;Salary;2.500,00\nTotal;;1.700,00\n",
        );
        let got: Vec<String> = file
            .rows
            .iter()
            .map(|r| format!("{} {} {}", r.line, r.date, r.amount))
            .collect();
        assert_eq!(got, ["5 2024-02-01 -800.00", "6 2024-02-03 2500.00"]);
        assert_eq!(file.columns, ["Date", "Text", "Amount"]);
        assert_eq!(file.notes.len(), 2, "{:?}", file.notes);
        assert!(file.errors.is_empty());
    }

    #[test]
    fn reads_tabs_pipes_and_utf16() {
        for delimiter in ['\t', '|'] {
            let d = delimiter;
            let text = format!(
                "Date{d}Payee{d}Amount
2024-01-05{d}Café{d}-3.50
2024-01-06{d}Bäckerei{d}-1.20
"
            );
            let file = read_text(&text);
            assert_eq!(file.mapping.unwrap().delimiter, delimiter);
            assert_eq!(file.rows[0].payee, "Café");
            let utf16: Vec<u8> = [0xFF, 0xFE]
                .into_iter()
                .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
                .collect();
            let file = read_file(&utf16, &Options::default()).unwrap();
            assert_eq!(file.rows[1].amount.to_string(), "-1.20");
        }
    }

    #[test]
    fn bad_rows_are_errors_with_line_and_column() {
        let file = read_text(
            "Date,Description,Amount\n2024-01-05,Coffee,-3.50\n2024-13-45,Broken,-1\n2024-01-07,Tea,abc\n2024-01-08,Cake,-2\n",
        );
        assert_eq!(file.rows.len(), 2);
        let errors: Vec<(usize, &str)> = file
            .errors
            .iter()
            .map(|e| (e.line, e.message.as_str()))
            .collect();
        assert_eq!(
            errors,
            [
                (3, "column 1: '2024-13-45' is not a month-day-year date"),
                (4, "column 3: 'abc' is not an amount"),
            ]
        );
    }

    #[test]
    fn a_given_mapping_is_applied_as_is() {
        let text = "Date,Merchant,Amount\n01/02/2024,Shop,12.00\n";
        let mut mapping = read_text(text).mapping.unwrap();
        assert_eq!(mapping.date_order, DateOrder::Mdy);
        mapping.date_order = DateOrder::Dmy;
        mapping.negate = true;
        let options = Options {
            csv_mapping: Some(mapping.clone()),
        };
        let file = read_file(text.as_bytes(), &options).unwrap();
        assert_eq!(
            format!("{} {}", file.rows[0].date, file.rows[0].amount),
            "2024-02-01 -12.00"
        );

        mapping.description_columns = vec![7];
        let options = Options {
            csv_mapping: Some(mapping),
        };
        assert_eq!(
            read_file(text.as_bytes(), &options)
                .unwrap_err()
                .to_string(),
            "the mapping uses column 8 but the widest line has 3 column(s)"
        );
    }

    #[test]
    fn rejects_files_without_a_table() {
        let err = read_file(b"just some words\nand more words\n", &Options::default()).unwrap_err();
        assert!(matches!(err, Rejected::Layout(_)), "{err}");
        let err = read_file(b"Date,Amount\n", &Options::default()).unwrap_err();
        assert!(matches!(err, Rejected::Layout(_)), "{err}");
    }

    #[test]
    fn the_header_key_ignores_case_and_spaces() {
        assert_eq!(
            header_key(&[" Date".into(), "AMOUNT ".into()]),
            header_key(&["date".into(), "amount".into()])
        );
        assert_ne!(
            header_key(&["date".into(), "amount".into()]),
            header_key(&["amount".into(), "date".into()])
        );
    }
}
