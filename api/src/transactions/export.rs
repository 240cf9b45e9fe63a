//! Export of a filtered transaction list as CSV or JSON, streamed: rows go from a Postgres
//! cursor through a small bounded channel to the response, so memory stays flat whether the
//! list has ten rows or a million. CSV cells a spreadsheet would run as a formula are
//! neutralised (by the `csv_cell` SQL function, migration 0014).

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
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

const CSV_HEADER: &str =
    "date,account,amount,currency,payee,description,category,tags,notes,status,import_id,id\r\n";

/// Each row arrives as one line of text, formatted by Postgres (CSV cells through the
/// `csv_cell` function, which also neutralises formulas; JSON through `json_build_object`):
/// decoding one column instead of twelve is what lets a million rows stream in seconds.
const CSV_LINE: &str = "concat_ws(',', t.booked_on, csv_cell(a.name), round(t.amount, c.minor_units),
    a.currency, csv_cell(t.payee), csv_cell(t.description),
    csv_cell(CASE WHEN t.has_splits THEN 'Split' ELSE cat.name END),
    csv_cell(array_to_string(t.tags, ';')), csv_cell(t.notes), t.status, csv_cell(t.import_id), t.id)";
const JSON_LINE: &str = "json_build_object('id', t.id, 'date', t.booked_on, 'account', a.name,
    'amount', round(t.amount, c.minor_units)::text, 'currency', a.currency, 'payee', t.payee,
    'description', t.description, 'category', CASE WHEN t.has_splits THEN 'Split' ELSE cat.name END,
    'tags', t.tags, 'notes', t.notes, 'status', t.status, 'import_id', t.import_id)::text";

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
    let line = match shape {
        Shape::Csv => CSV_LINE,
        Shape::Json => JSON_LINE,
    };
    let mut q = QueryBuilder::<Postgres>::new(format!(
        "SELECT {line} FROM transactions t
         JOIN accounts a ON a.id = t.account_id
         JOIN currencies c ON c.code = a.currency
         LEFT JOIN categories cat ON cat.id = t.category_id
         WHERE t.ledger_id = "
    ));
    q.push_bind(ledger_id);
    list::push_filter(&mut q, ledger_id, &filter);
    let (column, direction) = match sort {
        Sort::DateDesc => ("t.booked_on", "DESC"),
        Sort::DateAsc => ("t.booked_on", "ASC"),
        Sort::AmountDesc => ("t.amount", "DESC"),
        Sort::AmountAsc => ("t.amount", "ASC"),
    };
    q.push(format!(" ORDER BY {column} {direction}, t.id {direction}"));
    let mut buffer: Vec<u8> = Vec::with_capacity(PIECE * 2);
    buffer.extend_from_slice(match shape {
        Shape::Csv => CSV_HEADER.as_bytes(),
        Shape::Json => b"[",
    });
    let mut rows = q.build_query_scalar::<String>().fetch(&db);
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
                buffer.extend_from_slice(row.as_bytes());
                buffer.extend_from_slice(b"\r\n");
            }
            Shape::Json => {
                if !first {
                    buffer.push(b',');
                }
                buffer.extend_from_slice(row.as_bytes());
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
