//! Bank export files read into typed rows.
//!
//! [`read`] takes the bytes of a file, detects its text encoding and format (CSV in any bank
//! layout, OFX 1.x SGML, OFX 2.x XML, QFX, QIF) and returns every transaction it could read
//! plus the rows it could not, each with its line and reason. A file that cannot be read at
//! all is a [`Rejected`]. Nothing here touches a database or the network, and no input panics
//! (the fuzz targets under `fuzz/` hold it to that).

pub mod amount;
pub mod csv_file;
pub mod date;
pub mod text;

mod ofx;
mod qif;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

pub use csv_file::{AmountColumns, CsvMapping};
pub use date::DateOrder;

/// What kind of file it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Csv,
    /// OFX 1.x: SGML, leaf elements left open. QFX files are OFX with an Intuit header.
    Ofx1,
    /// OFX 2.x: XML.
    Ofx2,
    Qif,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Ofx1 => "ofx1",
            Format::Ofx2 => "ofx2",
            Format::Qif => "qif",
        }
    }
}

/// An account as the file names it (OFX and QIF files can hold several).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SourceAccount {
    /// The bank's account number (OFX `ACCTID`) or the QIF account name.
    pub id: String,
    /// `checking`, `savings`, `credit_card`, `cash`, `asset`, `liability`, or what the file said.
    pub kind: Option<String>,
    /// ISO 4217 code when the file states one (OFX `CURDEF`).
    pub currency: Option<String>,
}

/// One part of a split transaction (QIF `S`/`E`/`$` lines).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SplitPart {
    pub category: Option<String>,
    pub memo: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
}

/// One transaction read from the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// 1-based line where the transaction starts.
    pub line: usize,
    /// Index into [`ParsedFile::accounts`]; always 0 for CSV.
    pub account: usize,
    pub date: NaiveDate,
    /// Signed: money out of the account is negative.
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    pub payee: String,
    pub description: String,
    /// The bank's own id for the transaction (OFX `FITID`, or a CSV id column).
    pub import_id: Option<String>,
    pub check_number: Option<String>,
    /// The category the file names (QIF `L`), not a category of ours.
    pub category: Option<String>,
    pub splits: Vec<SplitPart>,
}

/// A row the file holds but that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub line: usize,
    pub message: String,
}

/// Everything read from one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedFile {
    pub format: Format,
    /// The text encoding the bytes were read as.
    pub encoding: text::Encoding,
    /// For CSV: the column mapping used (detected, or the one passed in).
    pub mapping: Option<CsvMapping>,
    /// For CSV: the header cells, when the file has a header row.
    pub columns: Vec<String>,
    pub accounts: Vec<SourceAccount>,
    pub rows: Vec<Row>,
    pub errors: Vec<RowError>,
    /// Things the user should know that are not row errors (skipped sections, footers).
    pub notes: Vec<String>,
}

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejected {
    #[error("the file is empty")]
    Empty,
    #[error("this is not a text file (binary content at byte {offset})")]
    Binary { offset: usize },
    #[error("line {line}, column {column}: {message}")]
    Malformed {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{0}")]
    Unsupported(String),
    #[error("the bank's file reports an error instead of a statement: {0}")]
    BankError(String),
    #[error("{0}")]
    NoTransactions(String),
    #[error("{0}")]
    Layout(String),
}

/// How to read a file: everything is detected unless given.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A CSV column mapping to use instead of detecting one (a saved preset or the user's edit).
    pub csv_mapping: Option<CsvMapping>,
}

/// Reads a bank export.
pub fn read(bytes: &[u8], options: &Options) -> Result<ParsedFile, Rejected> {
    read_as(bytes, None, options)
}

/// Reads a bank export as `format`, or as the format its content shows when `None`.
pub fn read_as(
    bytes: &[u8],
    format: Option<Format>,
    options: &Options,
) -> Result<ParsedFile, Rejected> {
    let (decoded, encoding) = text::decode(bytes)?;
    let format = format.unwrap_or_else(|| sniff(&decoded));
    let mut parsed = match format {
        Format::Qif => qif::read(&decoded)?,
        Format::Ofx1 | Format::Ofx2 => ofx::read(&decoded, format)?,
        Format::Csv => csv_file::read(&decoded, options.csv_mapping.as_ref())?,
    };
    parsed.encoding = encoding;
    Ok(parsed)
}

/// Tells the format from the decoded text. CSV is what is left when nothing else matches.
pub fn sniff(text: &str) -> Format {
    let head: String = text
        .chars()
        .take(4096)
        .collect::<String>()
        .to_ascii_uppercase();
    let trimmed = head.trim_start();
    if trimmed.starts_with("!TYPE:")
        || trimmed.starts_with("!ACCOUNT")
        || trimmed.starts_with("!OPTION:")
        || trimmed.starts_with("!CLEAR:")
        || head.lines().any(|l| l.trim_start().starts_with("!TYPE:"))
    {
        Format::Qif
    } else if head.contains("<?OFX") || (trimmed.starts_with("<?XML") && head.contains("<OFX")) {
        Format::Ofx2
    } else if trimmed.starts_with("OFXHEADER") || head.contains("<OFX>") {
        Format::Ofx1
    } else {
        Format::Csv
    }
}

/// Lines of the text with their 1-based number, treating CRLF, CR and LF alike.
pub(crate) fn numbered_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = text;
    let mut number = 0;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        number += 1;
        let end = rest.find(['\r', '\n']).unwrap_or(rest.len());
        let line = &rest[..end];
        let mut next = end;
        if rest[next..].starts_with("\r\n") {
            next += 2;
        } else if next < rest.len() {
            next += 1;
        }
        rest = &rest[next..];
        Some((number, line))
    })
}
