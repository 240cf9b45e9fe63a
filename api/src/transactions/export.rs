//! Export of a filtered transaction list as CSV or JSON, streamed: rows go from a Postgres
//! cursor through a small bounded channel to the response, so memory stays flat whether the
//! list has ten rows or a million. CSV cells a spreadsheet would run as a formula are
//! neutralised.

use std::borrow::Cow;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde::Serialize;
use sqlx::{PgPool, Postgres, QueryBuilder};
use tokio::sync::mpsc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::list::{self, Filter, ListQuery, Sort};
use crate::auth::caller::Caller;
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::http::extract::{Path, Query};
use crate::ledgers::{Role, access};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(export_csv))
        .routes(routes!(export_json))
}

/// Bytes gathered before a piece goes to the client.
const PIECE: usize = 64 * 1024;

/// Pure: a text cell as a spreadsheet should show it. Cells starting with `=`, `+`, `-`,
/// `@`, tab or CR are formulas to spreadsheets; a leading `'` makes them text.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

#[derive(Debug, sqlx::FromRow, Serialize)]
struct ExportRow {
    id: Uuid,
    date: chrono::NaiveDate,
    account: String,
    amount: String,
    currency: String,
    payee: String,
    description: String,
    category: Option<String>,
    tags: Vec<String>,
    notes: String,
    status: String,
    import_id: Option<String>,
}

const CSV_HEADER: [&str; 12] = [
    "date",
    "account",
    "amount",
    "currency",
    "payee",
    "description",
    "category",
    "tags",
    "notes",
    "status",
    "import_id",
    "id",
];

#[derive(Debug, Clone, Copy)]
enum Shape {
    Csv,
    Json,
}

#[utoipa::path(
    get,
    path = "/ledgers/{ledger_id}/transactions/export.csv",
    tag = "transactions",
    summary = "The filtered transactions as CSV, streamed (list filters and sort apply; no paging)",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), ListQuery),
    responses((status = 200, description = "CSV with a header row", content_type = "text/csv", body = String)),
)]
async fn export_csv(
    state: State<AppState>,
    caller: Caller,
    ledger: Path<Uuid>,
    query: Query<ListQuery>,
) -> Result<Response, ApiError> {
    export(state, caller, ledger, query, Shape::Csv).await
}

#[utoipa::path(
    get,
    path = "/ledgers/{ledger_id}/transactions/export.json",
    tag = "transactions",
    summary = "The filtered transactions as a JSON array, streamed (list filters and sort apply; no paging)",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), ListQuery),
    responses((status = 200, description = "A JSON array of transactions", content_type = "application/json", body = String)),
)]
async fn export_json(
    state: State<AppState>,
    caller: Caller,
    ledger: Path<Uuid>,
    query: Query<ListQuery>,
) -> Result<Response, ApiError> {
    export(state, caller, ledger, query, Shape::Json).await
}

async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Path(ledger_id): Path<Uuid>,
    Query(query): Query<ListQuery>,
    shape: Shape,
) -> Result<Response, ApiError> {
    if query.cursor.is_some() || query.limit.is_some() {
        return Err(ApiError::BadRequest(
            "an export has every matching row: drop `cursor` and `limit`".to_owned(),
        ));
    }
    let (filter, page) = list::parse(&query)?;
    access(&state.db, &caller, ledger_id, Role::Viewer).await?;
    let (sender, receiver) = mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    tokio::spawn(produce(
        state.db.clone(),
        ledger_id,
        filter,
        page.sort,
        shape,
        sender,
    ));
    let stream = futures_util::stream::unfold(receiver, |mut r| async move {
        r.recv().await.map(|piece| (piece, r))
    });
    let (content_type, extension) = match shape {
        Shape::Csv => ("text/csv; charset=utf-8", "csv"),
        Shape::Json => ("application/json", "json"),
    };
    let disposition = format!(
        "attachment; filename=\"transactions-{}.{extension}\"",
        chrono::Utc::now().date_naive()
    );
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

/// Reads the rows and sends them in pieces; a failure midway ends the body with an error,
/// so the client sees a broken download rather than a silently short file.
async fn produce(
    db: PgPool,
    ledger_id: Uuid,
    filter: Filter,
    sort: Sort,
    shape: Shape,
    sender: mpsc::Sender<Result<Bytes, std::io::Error>>,
) {
    let mut q = QueryBuilder::<Postgres>::new(
        "SELECT t.id, t.booked_on AS date, a.name AS account, round(t.amount, c.minor_units)::text AS amount,
                a.currency::text AS currency, t.payee, t.description,
                CASE WHEN t.has_splits THEN 'Split' ELSE cat.name END AS category,
                t.tags, t.notes, t.status::text AS status, t.import_id
         FROM transactions t
         JOIN accounts a ON a.id = t.account_id
         JOIN currencies c ON c.code = a.currency
         LEFT JOIN categories cat ON cat.id = t.category_id
         WHERE t.ledger_id = ",
    );
    q.push_bind(ledger_id);
    list::push_filter(&mut q, &filter);
    let (column, direction) = match sort {
        Sort::DateDesc => ("t.booked_on", "DESC"),
        Sort::DateAsc => ("t.booked_on", "ASC"),
        Sort::AmountDesc => ("t.amount", "DESC"),
        Sort::AmountAsc => ("t.amount", "ASC"),
    };
    q.push(format!(" ORDER BY {column} {direction}, t.id {direction}"));
    let mut buffer: Vec<u8> = Vec::with_capacity(PIECE * 2);
    match shape {
        Shape::Csv => csv_record(&mut buffer, CSV_HEADER),
        Shape::Json => buffer.push(b'['),
    }
    let mut rows = q.build_query_as::<ExportRow>().fetch(&db);
    let mut first = true;
    while let Some(row) = rows.next().await {
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                tracing::warn!(error = %e, %ledger_id, "export broke off");
                let _ = sender
                    .send(Err(std::io::Error::other("the export broke off")))
                    .await;
                return;
            }
        };
        match shape {
            Shape::Csv => {
                let tags = row.tags.join(";");
                let date = row.date.to_string();
                let id = row.id.to_string();
                csv_record(
                    &mut buffer,
                    [
                        date.as_str(),
                        &neutralise(&row.account),
                        &row.amount,
                        &row.currency,
                        &neutralise(&row.payee),
                        &neutralise(&row.description),
                        &neutralise(row.category.as_deref().unwrap_or("")),
                        &neutralise(&tags),
                        &neutralise(&row.notes),
                        &row.status,
                        &neutralise(row.import_id.as_deref().unwrap_or("")),
                        &id,
                    ],
                );
            }
            Shape::Json => {
                if !first {
                    buffer.push(b',');
                }
                let _ = serde_json::to_writer(&mut buffer, &row);
            }
        }
        first = false;
        if buffer.len() >= PIECE
            && sender
                .send(Ok(Bytes::from(std::mem::take(&mut buffer))))
                .await
                .is_err()
        {
            return; // the client went away
        }
    }
    if let Shape::Json = shape {
        buffer.push(b']');
    }
    let _ = sender.send(Ok(Bytes::from(buffer))).await;
}

/// Pure: appends one CSV record (RFC 4180: cells with a comma, quote or line break are
/// quoted, quotes doubled; CRLF ends the record).
fn csv_record<'a>(out: &mut Vec<u8>, cells: impl IntoIterator<Item = &'a str>) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        if cell.contains([',', '"', '\n', '\r']) {
            out.push(b'"');
            out.extend_from_slice(cell.replace('"', "\"\"").as_bytes());
            out.push(b'"');
        } else {
            out.extend_from_slice(cell.as_bytes());
        }
    }
    out.extend_from_slice(b"\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_become_text() {
        for cell in ["=SUM(A1)", "+1", "-2+3", "@cmd", "\tx", "\rx"] {
            assert_eq!(neutralise(cell), format!("'{cell}"));
        }
        assert_eq!(neutralise("Coffee"), "Coffee");
        assert_eq!(neutralise(""), "");
        assert_eq!(neutralise("a=b"), "a=b");
    }

    #[test]
    fn csv_records_quote_what_needs_it() {
        let mut out = Vec::new();
        csv_record(&mut out, ["plain", "a,b", "say \"hi\"", "two\nlines", ""]);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n"
        );
    }
}
