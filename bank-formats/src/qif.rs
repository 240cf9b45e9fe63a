//! QIF: `!Type:` sections of `^`-terminated records, one field per line keyed by its first
//! letter. Bank, cash, card and other asset/liability sections are read; splits (`S`/`E`/`$`)
//! must add up to the total. `!Account` blocks name the account the next sections belong to,
//! except inside `!Option:AutoSwitch` … `!Clear:AutoSwitch`, where they only list accounts.
//! Investment, category, class, security and memorised sections are skipped with a note.

use rust_decimal::Decimal;

use crate::amount::{self, DecimalMark, Symbols};
use crate::date::{self, DateOrder};
use crate::{Format, ParsedFile, Rejected, Row, RowError, SourceAccount, SplitPart};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Section {
    /// Transactions of an account, with our kind name for it.
    Transactions(&'static str),
    AccountList,
    Skipped,
}

/// One `^`-terminated record: its first line and its `(key, value)` lines.
struct Record<'a> {
    line: usize,
    section: Section,
    account: usize,
    fields: Vec<(char, &'a str)>,
}

/// The file split into records, with the accounts its `!Account` blocks name.
#[derive(Default)]
struct Scan<'a> {
    accounts: Vec<SourceAccount>,
    records: Vec<Record<'a>>,
    notes: Vec<String>,
}

fn scan(text: &str) -> Scan<'_> {
    let mut out = Scan::default();
    let mut section: Option<Section> = None;
    let mut auto_switch = false;
    let mut current_account: Option<usize> = None;
    let mut open: Option<Record> = None;
    let mut skipped: Vec<String> = Vec::new();
    for (number, raw) in crate::numbered_lines(text) {
        let line = raw.trim_end();
        if line.trim().is_empty() || line.starts_with('#') && open.is_none() && section.is_none() {
            continue;
        }
        if let Some(header) = line.strip_prefix('!') {
            let header = header.trim();
            let lower = header.to_ascii_lowercase();
            match lower.as_str() {
                "option:autoswitch" => auto_switch = true,
                "clear:autoswitch" => auto_switch = false,
                "account" => section = Some(Section::AccountList),
                _ => {
                    let s = lower
                        .strip_prefix("type:")
                        .map_or(Section::Skipped, |kind| section_of(kind.trim()));
                    if s == Section::Skipped && !skipped.iter().any(|h| h == header) {
                        skipped.push(header.to_owned());
                    }
                    section = Some(s);
                }
            }
            continue;
        }
        if line.starts_with('^') {
            if let Some(record) = open.take() {
                if record.section == Section::AccountList {
                    let index = account_of(&record, &mut out.accounts);
                    if !auto_switch {
                        current_account = Some(index);
                    }
                } else {
                    out.records.push(record);
                }
            }
            continue;
        }
        let Some(key) = line.chars().next() else {
            continue;
        };
        let record = open.get_or_insert_with(|| Record {
            line: number,
            section: section.unwrap_or(Section::Transactions("checking")),
            account: current_account.unwrap_or(usize::MAX),
            fields: Vec::new(),
        });
        record
            .fields
            .push((key.to_ascii_uppercase(), &line[key.len_utf8()..]));
    }
    if let Some(record) = open.take()
        && record.fields.iter().any(|(k, _)| *k == 'D' || *k == 'T')
        && record.section != Section::AccountList
    {
        out.notes.push(format!(
            "the last record (line {}) has no closing '^'; it was read anyway",
            record.line
        ));
        out.records.push(record);
    }
    for header in &skipped {
        out.notes.push(format!(
            "skipped the '!{header}' section(s): only bank, cash and card transactions are imported"
        ));
    }
    out
}

pub fn read(text: &str) -> Result<ParsedFile, Rejected> {
    let Scan {
        mut accounts,
        records,
        notes,
    } = scan(text);
    let transactions: Vec<&Record> = records
        .iter()
        .filter(|r| matches!(r.section, Section::Transactions(_)))
        .collect();
    if transactions.is_empty() {
        return Err(Rejected::NoTransactions(
            "the QIF file holds no bank, cash or card transactions".to_owned(),
        ));
    }
    let dates: Vec<&str> = transactions.iter().filter_map(|r| field(r, 'D')).collect();
    let order = date::detect_order(&dates, DateOrder::Mdy).unwrap_or(DateOrder::Mdy);
    let mark = amount::detect_mark(transactions.iter().flat_map(|r| {
        r.fields
            .iter()
            .filter(|(k, _)| matches!(k, 'T' | 'U' | '$'))
            .map(|(_, v)| *v)
    }))
    .unwrap_or(DecimalMark::Point);
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for record in transactions {
        let account = if record.account == usize::MAX {
            let Section::Transactions(kind) = record.section else {
                continue;
            };
            default_account(&mut accounts, kind)
        } else {
            record.account
        };
        match transaction(record, account, order, mark) {
            Ok(row) => rows.push(row),
            Err(message) => errors.push(RowError {
                line: record.line,
                message,
            }),
        }
    }
    Ok(ParsedFile {
        format: Format::Qif,
        encoding: crate::text::Encoding::Utf8,
        mapping: None,
        columns: Vec::new(),
        accounts,
        rows,
        errors,
        notes,
    })
}

fn section_of(kind: &str) -> Section {
    match kind {
        "bank" => Section::Transactions("checking"),
        "cash" => Section::Transactions("cash"),
        "ccard" => Section::Transactions("credit_card"),
        "oth a" => Section::Transactions("asset"),
        "oth l" => Section::Transactions("liability"),
        _ => Section::Skipped,
    }
}

fn field<'a>(record: &Record<'a>, key: char) -> Option<&'a str> {
    record
        .fields
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// The account an `!Account` block names, added once.
fn account_of(record: &Record, accounts: &mut Vec<SourceAccount>) -> usize {
    let name = field(record, 'N').unwrap_or("").to_owned();
    let kind = field(record, 'T').map(|t| match section_of(&t.to_ascii_lowercase()) {
        Section::Transactions(kind) => kind.to_owned(),
        _ => t.to_ascii_lowercase(),
    });
    if let Some(i) = accounts.iter().position(|a| a.id == name) {
        if accounts[i].kind.is_none() {
            accounts[i].kind = kind;
        }
        return i;
    }
    accounts.push(SourceAccount {
        id: name,
        kind,
        currency: None,
    });
    accounts.len() - 1
}

/// Transactions before any `!Account` go to one unnamed account per section kind.
fn default_account(accounts: &mut Vec<SourceAccount>, kind: &str) -> usize {
    if let Some(i) = accounts
        .iter()
        .position(|a| a.id.is_empty() && a.kind.as_deref() == Some(kind))
    {
        return i;
    }
    accounts.push(SourceAccount {
        id: String::new(),
        kind: Some(kind.to_owned()),
        currency: None,
    });
    accounts.len() - 1
}

fn transaction(
    record: &Record,
    account: usize,
    order: DateOrder,
    mark: DecimalMark,
) -> Result<Row, String> {
    let raw_date = field(record, 'D').ok_or("the transaction has no D (date) line")?;
    let date =
        date::parse(raw_date, order).ok_or_else(|| format!("D '{raw_date}' is not a date"))?;
    let raw_amount = field(record, 'T')
        .or_else(|| field(record, 'U'))
        .ok_or("the transaction has no T (amount) line")?;
    let parse = |raw: &str, key: char| {
        amount::parse(raw, Some(mark), Symbols::Allowed).map_err(|e| format!("{key} {e}"))
    };
    let amount = parse(raw_amount, 'T')?;
    let mut splits: Vec<SplitPart> = Vec::new();
    for (key, value) in &record.fields {
        match key {
            'S' => splits.push(SplitPart {
                category: category(value),
                memo: String::new(),
                amount: Decimal::ZERO,
            }),
            'E' => {
                if let Some(last) = splits.last_mut() {
                    value.trim().clone_into(&mut last.memo);
                }
            }
            '$' => match splits.last_mut() {
                Some(last) => last.amount = parse(value, '$')?,
                None => {
                    return Err("a split amount ($) comes before any split category (S)".to_owned());
                }
            },
            _ => {}
        }
    }
    if !splits.is_empty() {
        let sum: Decimal = splits.iter().map(|s| s.amount).sum();
        if sum != amount {
            return Err(format!(
                "the split amounts add up to {sum}, but the transaction's total is {amount}"
            ));
        }
    }
    let category = field(record, 'L').and_then(category);
    Ok(Row {
        line: record.line,
        account,
        date,
        amount,
        payee: field(record, 'P').unwrap_or("").to_owned(),
        description: field(record, 'M').unwrap_or("").to_owned(),
        import_id: None,
        check_number: field(record, 'N').map(str::to_owned),
        category,
        splits,
    })
}

/// A QIF category without its `/class` suffix; `[Account]` transfers and `--Split--` are not
/// categories.
fn category(raw: &str) -> Option<String> {
    let name = raw.split('/').next().unwrap_or("").trim();
    if name.is_empty() || name.starts_with('[') || name == "--Split--" {
        None
    } else {
        Some(name.to_owned())
    }
}
