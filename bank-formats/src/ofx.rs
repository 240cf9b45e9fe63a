//! OFX 1.x (SGML: leaf elements have no end tag) and 2.x (XML), and QFX, read by one
//! tolerant tag walker: a leaf's value is the text right after its start tag, aggregates are
//! tracked by their start and end tags, unknown elements are ignored.
//!
//! Bank quirks handled (see the fixtures' notes): a blank line before the header, the
//! encoding only in the XML declaration, `CHARSET:8859-1`, comma decimals and `+1 006,60`,
//! mixed-case `TRNTYPE`, `CHKNUM` for `CHECKNUM`, empty `FITID`/`NAME`/`CURDEF`, vendor tags
//! inside `STMTTRN`, a zero balance date, and a server error in place of a statement.

use crate::amount::{self, Symbols};
use crate::date::{self, DateOrder};
use crate::{Format, ParsedFile, Rejected, Row, RowError, SourceAccount};

#[derive(Debug, PartialEq)]
enum Token<'a> {
    Start(String),
    End(String),
    Text(&'a str),
}

/// Splits the text from `from` on into tags and text, with the byte offset of each.
fn tokens(text: &str, from: usize) -> Result<Vec<(usize, Token<'_>)>, Rejected> {
    let mut out = Vec::new();
    let mut at = from;
    while at < text.len() {
        let rest = &text[at..];
        if let Some(data) = rest.strip_prefix("<![CDATA[") {
            let end = data
                .find("]]>")
                .ok_or_else(|| malformed(text, at, "a CDATA section is never closed"))?;
            let value = data[..end].trim();
            if !value.is_empty() {
                out.push((at, Token::Text(value)));
            }
            at += "<![CDATA[".len() + end + 3;
        } else if rest.starts_with("<!--") {
            let end = rest
                .find("-->")
                .ok_or_else(|| malformed(text, at, "a comment is never closed"))?;
            at += end + 3;
        } else if rest.starts_with("<?") || rest.starts_with("<!") {
            let end = rest
                .find('>')
                .ok_or_else(|| malformed(text, at, "a declaration is never closed"))?;
            at += end + 1;
        } else if let Some(tag) = rest.strip_prefix('<') {
            let end = tag.find(['>', '<']).filter(|&e| tag[e..].starts_with('>'));
            let end = end.ok_or_else(|| malformed(text, at, "a tag is not closed with '>'"))?;
            let name = tag[..end].trim();
            let (closing, name) = match name.strip_prefix('/') {
                Some(n) => (true, n.trim()),
                None => (false, name.trim_end_matches('/').trim()),
            };
            let name = name.split_whitespace().next().unwrap_or("");
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == ':')
            {
                return Err(malformed(
                    text,
                    at,
                    &format!("'<{}>' is not a tag name", &tag[..end]),
                ));
            }
            let name = name.to_ascii_uppercase();
            out.push((
                at,
                if closing {
                    Token::End(name)
                } else {
                    Token::Start(name)
                },
            ));
            at += 1 + end + 1;
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let value = rest[..end].trim();
            if !value.is_empty() {
                out.push((at, Token::Text(value)));
            }
            at += end;
        }
    }
    Ok(out)
}

fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1 + before.matches('\r').count()
        - before.matches("\r\n").count();
    let column = before
        .chars()
        .rev()
        .take_while(|c| *c != '\n' && *c != '\r')
        .count()
        + 1;
    (line, column)
}

fn malformed(text: &str, offset: usize, message: &str) -> Rejected {
    let (line, column) = line_and_column(text, offset);
    Rejected::Malformed {
        line,
        column,
        message: message.to_owned(),
    }
}

/// SGML and XML character references that appear in bank files.
fn unescape(value: &str) -> String {
    if !value.contains('&') {
        return value.to_owned();
    }
    value
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

#[derive(Debug, Default)]
struct Transaction {
    offset: usize,
    fields: Vec<(String, String)>,
}

impl Transaction {
    fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

#[derive(Debug, Default)]
struct Walk {
    accounts: Vec<SourceAccount>,
    rows: Vec<Row>,
    errors: Vec<RowError>,
    notes: Vec<String>,
    statements: usize,
    investment_statements: usize,
    bank_errors: Vec<String>,
}

pub fn read(text: &str, format: Format) -> Result<ParsedFile, Rejected> {
    let start = find_ci(text, "<OFX>").ok_or_else(|| malformed(text, 0, "no <OFX> element"))?;
    let tokens = tokens(text, start)?;
    let mut walk = Walk::default();
    let mut current: Option<usize> = None; // index of the statement's account
    let mut transaction: Option<Transaction> = None;
    let mut status: Vec<(String, String)> = Vec::new();
    let mut in_status = false;
    let mut last_start: Option<&str> = None;
    for (offset, token) in &tokens {
        match token {
            Token::Start(name) => {
                match name.as_str() {
                    "STMTRS" | "CCSTMTRS" => {
                        walk.statements += 1;
                        walk.accounts.push(SourceAccount {
                            kind: (name == "CCSTMTRS").then(|| "credit_card".to_owned()),
                            ..SourceAccount::default()
                        });
                        current = Some(walk.accounts.len() - 1);
                    }
                    "INVSTMTRS" => {
                        walk.investment_statements += 1;
                        current = None;
                    }
                    "STMTTRN" => {
                        if let Some(previous) = transaction.take() {
                            walk.finish(&previous, current, text);
                        }
                        transaction = Some(Transaction {
                            offset: *offset,
                            fields: Vec::new(),
                        });
                    }
                    "STATUS" => {
                        in_status = true;
                        status.clear();
                    }
                    _ => {}
                }
                last_start = Some(name.as_str());
            }
            Token::End(name) => {
                match name.as_str() {
                    "STMTTRN" | "BANKTRANLIST" | "STMTRS" | "CCSTMTRS" => {
                        if let Some(done) = transaction.take() {
                            walk.finish(&done, current, text);
                        }
                        if name != "STMTTRN" && name != "BANKTRANLIST" {
                            current = None;
                        }
                    }
                    "STATUS" => {
                        in_status = false;
                        walk.check_status(&status);
                    }
                    _ => {}
                }
                last_start = None;
            }
            Token::Text(value) => {
                let Some(field) = last_start.take() else {
                    continue;
                };
                let value = unescape(value);
                if in_status {
                    status.push((field.to_owned(), value));
                } else if let Some(t) = transaction.as_mut() {
                    t.fields.push((field.to_owned(), value));
                } else if let Some(account) = current.and_then(|i| walk.accounts.get_mut(i)) {
                    match field {
                        "CURDEF" => account.currency = Some(value.to_ascii_uppercase()),
                        "ACCTID" if account.id.is_empty() => account.id = value,
                        "ACCTTYPE" => account.kind = Some(value.to_ascii_lowercase()),
                        _ => {}
                    }
                }
            }
        }
    }
    if let Some(done) = transaction.take() {
        walk.finish(&done, current, text);
    }
    walk.into_parsed(format)
}

fn find_ci(text: &str, needle: &str) -> Option<usize> {
    text.as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

impl Walk {
    fn check_status(&mut self, status: &[(String, String)]) {
        let get = |name: &str| {
            status
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        let code = get("CODE").unwrap_or("0");
        if get("SEVERITY").is_some_and(|s| s.eq_ignore_ascii_case("ERROR")) && code != "0" {
            let message = get("MESSAGE").unwrap_or("no message");
            self.bank_errors.push(format!("{message} (code {code})"));
        }
    }

    fn finish(&mut self, t: &Transaction, account: Option<usize>, text: &str) {
        let (line, _) = line_and_column(text, t.offset);
        let Some(account) = account else {
            // A cash transaction inside an investment statement: not read, counted in a note.
            return;
        };
        match transaction_row(t, account, line) {
            Ok(row) => self.rows.push(row),
            Err(message) => self.errors.push(RowError { line, message }),
        }
    }

    fn into_parsed(mut self, format: Format) -> Result<ParsedFile, Rejected> {
        if self.statements == 0 {
            return Err(if let Some(error) = self.bank_errors.first() {
                Rejected::BankError(error.clone())
            } else if self.investment_statements > 0 {
                Rejected::Unsupported(
                    "this is an investment statement (INVSTMTRS); only bank and credit card statements can be imported"
                        .to_owned(),
                )
            } else {
                Rejected::NoTransactions(
                    "the file holds no bank or credit card statement".to_owned(),
                )
            });
        }
        if self.investment_statements > 0 {
            self.notes.push(format!(
                "skipped {} investment statement(s)",
                self.investment_statements
            ));
        }
        for error in &self.bank_errors {
            self.notes.push(format!(
                "the bank reported an error for one statement: {error}"
            ));
        }
        Ok(ParsedFile {
            format,
            encoding: crate::text::Encoding::Utf8,
            mapping: None,
            columns: Vec::new(),
            accounts: self.accounts,
            rows: self.rows,
            errors: self.errors,
            notes: self.notes,
        })
    }
}

fn transaction_row(t: &Transaction, account: usize, line: usize) -> Result<Row, String> {
    let posted = t
        .get("DTPOSTED")
        .ok_or("the transaction has no DTPOSTED date")?;
    let date = date::parse(posted, DateOrder::Ymd)
        // Bytes, not a str slice: byte 8 may fall inside a character of a broken file.
        .filter(|_| {
            posted
                .as_bytes()
                .get(..8)
                .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
        })
        .ok_or_else(|| format!("DTPOSTED '{posted}' is not a date"))?;
    let raw_amount = t
        .get("TRNAMT")
        .ok_or("the transaction has no TRNAMT amount")?;
    let amount =
        amount::parse(raw_amount, None, Symbols::Refused).map_err(|e| format!("TRNAMT {e}"))?;
    let name = t.get("NAME").unwrap_or("").to_owned();
    let memo = t.get("MEMO").unwrap_or("").to_owned();
    Ok(Row {
        line,
        account,
        date,
        amount,
        description: if memo == name { String::new() } else { memo },
        payee: name,
        import_id: t.get("FITID").map(str::to_owned),
        check_number: t
            .get("CHECKNUM")
            .or_else(|| t.get("CHKNUM"))
            .map(str::to_owned),
        category: None,
        splits: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_sgml_and_xml_alike() {
        let sgml = tokens("<A><B>x &amp; y<C><![CDATA[ <z> ]]></A>", 0).unwrap();
        assert_eq!(
            sgml.into_iter().map(|(_, t)| t).collect::<Vec<_>>(),
            vec![
                Token::Start("A".into()),
                Token::Start("B".into()),
                Token::Text("x &amp; y"),
                Token::Start("C".into()),
                Token::Text("<z>"),
                Token::End("A".into())
            ]
        );
        assert_eq!(unescape("x &amp; y &lt;3"), "x & y <3");
    }

    #[test]
    fn an_unclosed_tag_names_its_line_and_column() {
        let text = "<OFX>\n<STMTRS>\n  <TRNAMT 5\n</OFX>";
        assert_eq!(
            read(text, Format::Ofx1).unwrap_err(),
            Rejected::Malformed {
                line: 3,
                column: 3,
                message: "a tag is not closed with '>'".into()
            }
        );
    }
}
