//! `api import-preview --file FILE [--json]`: the import's detection and reading for people
//! debugging a bank file without the UI. No database: the same reader the upload uses.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use bank_formats::{Options, ParsedFile, read};
use serde_json::{Value, json};

/// Rows shown as the sample.
const SAMPLE: usize = 10;

/// Pure: the `--json` report: `format`, `mapping`, `rows`, `errors`, `sample`.
pub fn report(parsed: &ParsedFile) -> Value {
    json!({
        "format": parsed.format.as_str(),
        "mapping": parsed.mapping,
        "rows": parsed.rows.len(),
        "errors": parsed.errors.iter().map(|e| json!({ "line": e.line, "message": e.message })).collect::<Vec<_>>(),
        "sample": parsed.rows.iter().take(SAMPLE).map(|r| json!({
            "line": r.line,
            "date": r.date,
            "amount": r.amount.to_string(),
            "payee": r.payee,
            "description": r.description,
            "import_id": r.import_id,
        })).collect::<Vec<_>>(),
    })
}

/// Pure: the same for a person.
pub fn text(parsed: &ParsedFile) -> String {
    let mut out = String::new();
    let encoding = parsed.encoding.as_str();
    let _ = writeln!(out, "format:   {} ({encoding})", parsed.format.as_str());
    if let Some(mapping) = &parsed.mapping {
        let _ = writeln!(
            out,
            "mapping:  {}",
            serde_json::to_string(mapping).unwrap_or_default()
        );
    }
    if !parsed.columns.is_empty() {
        let _ = writeln!(out, "columns:  {}", parsed.columns.join(" | "));
    }
    for (i, account) in parsed.accounts.iter().enumerate() {
        if !account.id.is_empty() || parsed.accounts.len() > 1 {
            let rows = parsed.rows.iter().filter(|r| r.account == i).count();
            let _ = writeln!(
                out,
                "account:  {} ({}, {}): {rows} row(s)",
                if account.id.is_empty() {
                    "(unnamed)"
                } else {
                    &account.id
                },
                account.kind.as_deref().unwrap_or("kind unknown"),
                account.currency.as_deref().unwrap_or("currency unknown"),
            );
        }
    }
    let _ = writeln!(out, "rows:     {}", parsed.rows.len());
    let _ = writeln!(out, "errors:   {}", parsed.errors.len());
    for error in &parsed.errors {
        let _ = writeln!(out, "  line {}: {}", error.line, error.message);
    }
    for note in &parsed.notes {
        let _ = writeln!(out, "note:     {note}");
    }
    if !parsed.rows.is_empty() {
        let _ = writeln!(out, "first rows:");
    }
    for r in parsed.rows.iter().take(SAMPLE) {
        let text = [r.payee.as_str(), r.description.as_str()]
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" / ");
        let _ = writeln!(
            out,
            "  line {:>5}  {}  {:>14}  {text}{}",
            r.line,
            r.date,
            r.amount.to_string(),
            r.import_id
                .as_deref()
                .map(|i| format!("  [{i}]"))
                .unwrap_or_default()
        );
    }
    out
}

/// Runs the subcommand: 0 when the file was read (even with row errors), 2 when rejected.
pub fn run(file: &Path, as_json: bool) -> ExitCode {
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("import-preview: cannot read {}: {e}", file.display());
            return ExitCode::from(2);
        }
    };
    match read(&bytes, &Options::default()) {
        Ok(parsed) => {
            if as_json {
                println!("{}", report(&parsed));
            } else {
                print!("{}", text(&parsed));
            }
            ExitCode::SUCCESS
        }
        Err(reason) => {
            eprintln!("import-preview: {}: rejected: {reason}", file.display());
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_report_has_the_documented_keys() {
        let parsed = read(
            b"Date,Payee,Amount\n2024-01-05,Coffee,-3.50\n2024-13-01,Broken,1\n",
            &Options::default(),
        )
        .unwrap();
        let value = report(&parsed);
        let keys: Vec<&str> = value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["errors", "format", "mapping", "rows", "sample"]);
        assert_eq!(value["format"], "csv");
        assert_eq!(value["rows"], 1);
        assert_eq!(value["errors"][0]["line"], 3);
        assert_eq!(value["sample"][0]["date"], "2024-01-05");
        assert_eq!(value["sample"][0]["amount"], "-3.50");
        assert_eq!(value["sample"][0]["payee"], "Coffee");
        assert_eq!(value["mapping"]["date_column"], 0);
        assert!(text(&parsed).contains("line 3: column 1: '2024-13-01' is not a"));
    }
}
