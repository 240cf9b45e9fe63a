//! Import routes: upload a file (raw body) for a preview, change the CSV mapping (and save
//! it as a preset), commit, follow progress, undo; list and delete saved presets.

use std::collections::HashMap;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use bank_formats::{CsvMapping, Format};
use futures_util::StreamExt;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::{ImportStatus, ImportView, Preview, default_account_map, prepare, read_file};
use crate::auth::caller::Caller;
use crate::events::catalogue::ImportUndone;
use crate::events::{self, Event};
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::http::extract::{Json, Path, Query};
use crate::ledgers::{Role, access};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, upload))
        .routes(routes!(show, undo))
        .routes(routes!(change_mapping))
        .routes(routes!(commit))
        .routes(routes!(presets))
        .routes(routes!(delete_preset))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    /// The ledger account the file's rows go to.
    pub account_id: Uuid,
    /// The file's name, shown in the import list.
    pub file_name: Option<String>,
}

/// The import row as stored.
#[derive(Debug, sqlx::FromRow)]
struct Stored {
    id: Uuid,
    ledger_id: Uuid,
    account_id: Uuid,
    status: ImportStatus,
    file_name: String,
    format: String,
    mapping: Option<sqlx::types::Json<CsvMapping>>,
    preset_name: Option<String>,
    total_rows: i32,
    new_rows: i32,
    duplicate_rows: i32,
    error_rows: i32,
    committed_rows: i32,
    inserted_rows: i32,
    preview: sqlx::types::Json<Preview>,
    error: Option<String>,
    created_at: chrono::DateTime<chrono::Utc>,
    updated_at: chrono::DateTime<chrono::Utc>,
    completed_at: Option<chrono::DateTime<chrono::Utc>>,
}

const COLUMNS: &str = "id, ledger_id, account_id, status, file_name, format, mapping, preset_name,
    total_rows, new_rows, duplicate_rows, error_rows, committed_rows, inserted_rows, preview,
    error, created_at, updated_at, completed_at";

impl From<Stored> for ImportView {
    fn from(s: Stored) -> Self {
        ImportView {
            id: s.id,
            ledger_id: s.ledger_id,
            account_id: s.account_id,
            status: s.status,
            file_name: s.file_name,
            format: s.format,
            mapping: s.mapping.map(|m| m.0),
            preset_name: s.preset_name,
            total_rows: s.total_rows,
            new_rows: s.new_rows,
            duplicate_rows: s.duplicate_rows,
            error_rows: s.error_rows,
            committed_rows: s.committed_rows,
            inserted_rows: s.inserted_rows,
            preview: s.preview.0,
            error: s.error,
            created_at: s.created_at,
            updated_at: s.updated_at,
            completed_at: s.completed_at,
        }
    }
}

pub async fn load(
    db: &mut sqlx::PgConnection,
    ledger_id: Uuid,
    id: Uuid,
) -> Result<ImportView, ApiError> {
    sqlx::query_as::<_, Stored>(&format!(
        "SELECT {COLUMNS} FROM imports WHERE ledger_id = $1 AND id = $2"
    ))
    .bind(ledger_id)
    .bind(id)
    .fetch_optional(db)
    .await?
    .map(ImportView::from)
    .ok_or(ApiError::NotFound("import"))
}

/// Reads the body up to `limit` bytes; more is a 413 that names the limit.
async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> Result<Bytes, ApiError> {
    let too_large = || {
        ApiError::PayloadTooLarge(Some(format!(
            "the file is larger than the import limit of {} MB (IMPORT_MAX_BYTES)",
            limit / (1024 * 1024)
        )))
    };
    let declared = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(declared.unwrap_or(0).min(limit));
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::BadRequest(format!("the upload broke off: {e}")))?;
        if bytes.len() + chunk.len() > limit {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(bytes))
}

/// A bank file's bytes: documented as binary, so a generated client sends a file, not a
/// list of numbers.
#[derive(Debug)]
pub struct BankFile;

impl utoipa::PartialSchema for BankFile {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl utoipa::ToSchema for BankFile {}

#[utoipa::path(
    post,
    path = "/ledgers/{ledger_id}/imports",
    tag = "imports",
    summary = "Upload a bank file (CSV, OFX/QFX or QIF) as the raw body and get its preview",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), UploadQuery),
    request_body(content = inline(BankFile), content_type = "application/octet-stream",
                 description = "The file's bytes, as the bank exported them"),
    responses(
        (status = 201, description = "The file was read: its preview (nothing is written yet)", body = ImportView),
        (status = 413, description = "The file is larger than IMPORT_MAX_BYTES (default 50 MB)"),
        (status = 422, description = "The file cannot be read; `file` says why (line and column where known)"),
    ),
)]
async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    Path(ledger_id): Path<Uuid>,
    Query(query): Query<UploadQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<ImportView>), ApiError> {
    let mut db = state.db.acquire().await?;
    access(&mut *db, &caller, ledger_id, Role::Editor).await?;
    let file_name = query.file_name.unwrap_or_default();
    if file_name.chars().count() > 255 {
        return Err(ApiError::field(
            "file_name",
            "must be at most 255 characters",
        ));
    }
    let bytes = read_body(&headers, body, state.imports.max_bytes).await?;
    let parsed = read_file(bytes.clone(), None, None).await?;
    // A saved mapping for this header row wins over detection.
    let (parsed, preset_name) = match parsed.format {
        Format::Csv => {
            let key = bank_formats::csv_file::header_key(&parsed.columns);
            let preset: Option<(String, sqlx::types::Json<CsvMapping>)> = sqlx::query_as(
                "SELECT name, mapping FROM import_presets WHERE ledger_id = $1 AND header_key = $2",
            )
            .bind(ledger_id)
            .bind(&key)
            .fetch_optional(&mut *db)
            .await?;
            match preset {
                Some((name, mapping)) if !parsed.columns.is_empty() => {
                    match read_file(bytes.clone(), Some(Format::Csv), Some(mapping.0)).await {
                        Ok(with_preset) => (with_preset, Some(name)),
                        // A preset that no longer fits (the bank changed its layout).
                        Err(_) => (parsed, None),
                    }
                }
                _ => (parsed, None),
            }
        }
        _ => (parsed, None),
    };
    let account_map = default_account_map(&parsed, query.account_id);
    let prepared = prepare(&mut db, ledger_id, parsed, &account_map).await?;
    let sha = service_kit::digest::sha256_hex(&bytes);
    let counts = Counts::of(&prepared);
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO imports (ledger_id, account_id, created_by, file_name, file, file_sha256, format,
                              mapping, preset_name, account_map, preview, total_rows, new_rows,
                              duplicate_rows, error_rows)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
         RETURNING id",
    )
    .bind(ledger_id)
    .bind(query.account_id)
    .bind(caller.user_id)
    .bind(&file_name)
    .bind(bytes.as_ref())
    .bind(sha)
    .bind(prepared.parsed.format.as_str())
    .bind(prepared.parsed.mapping.as_ref().map(sqlx::types::Json))
    .bind(preset_name)
    .bind(sqlx::types::Json(&account_map))
    .bind(sqlx::types::Json(&prepared.preview))
    .bind(counts.total)
    .bind(counts.new)
    .bind(counts.duplicate)
    .bind(counts.errors)
    .fetch_one(&mut *db)
    .await
    .map_err(|e| match e {
        sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
            ApiError::field("account_id", "no such account in this ledger")
        }
        other => other.into(),
    })?;
    Ok((
        StatusCode::CREATED,
        Json(load(&mut db, ledger_id, id).await?),
    ))
}

/// The row counts an import stores.
struct Counts {
    total: i32,
    new: i32,
    duplicate: i32,
    errors: i32,
}

impl Counts {
    fn of(prepared: &super::Prepared) -> Self {
        let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
        let duplicate = prepared.duplicates.iter().filter(|d| **d).count();
        Counts {
            total: count(prepared.plan.rows.len()),
            new: count(prepared.plan.rows.len() - duplicate),
            duplicate: count(duplicate),
            errors: count(prepared.plan.errors.len()),
        }
    }
}

/// Stores a new plan of the import: its account map, preview and counts.
async fn save_plan(
    tx: &mut sqlx::PgConnection,
    id: Uuid,
    prepared: &super::Prepared,
    account_map: &HashMap<String, Uuid>,
) -> Result<(), ApiError> {
    let counts = Counts::of(prepared);
    sqlx::query(
        "UPDATE imports SET account_map = $2, preview = $3, total_rows = $4, new_rows = $5,
                duplicate_rows = $6, error_rows = $7, updated_at = now()
         WHERE id = $1",
    )
    .bind(id)
    .bind(sqlx::types::Json(account_map))
    .bind(sqlx::types::Json(&prepared.preview))
    .bind(counts.total)
    .bind(counts.new)
    .bind(counts.duplicate)
    .bind(counts.errors)
    .execute(tx)
    .await?;
    Ok(())
}

#[utoipa::path(
    get,
    path = "/ledgers/{ledger_id}/imports",
    tag = "imports",
    summary = "The ledger's imports, newest first (the last 50)",
    params(("ledger_id" = Uuid, Path, description = "The ledger")),
    responses((status = 200, description = "The ledger's imports, newest first", body = Vec<ImportView>)),
)]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(ledger_id): Path<Uuid>,
) -> Result<Json<Vec<ImportView>>, ApiError> {
    let mut db = state.db.acquire().await?;
    access(&mut *db, &caller, ledger_id, Role::Viewer).await?;
    let rows: Vec<Stored> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM imports WHERE ledger_id = $1 ORDER BY created_at DESC, id LIMIT 50"
    ))
    .bind(ledger_id)
    .fetch_all(&mut *db)
    .await?;
    Ok(Json(rows.into_iter().map(ImportView::from).collect()))
}

#[utoipa::path(
    get,
    path = "/ledgers/{ledger_id}/imports/{id}",
    tag = "imports",
    summary = "An import: its preview, status and progress",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), ("id" = Uuid, Path, description = "The import")),
    responses((status = 200, description = "An import: its preview, status and progress", body = ImportView)),
)]
async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path((ledger_id, id)): Path<(Uuid, Uuid)>,
) -> Result<Json<ImportView>, ApiError> {
    let mut db = state.db.acquire().await?;
    access(&mut *db, &caller, ledger_id, Role::Viewer).await?;
    Ok(Json(load(&mut db, ledger_id, id).await?))
}

/// An import row locked for a change, with what re-reading its file needs.
struct Locked {
    status: ImportStatus,
    format: String,
    file: Bytes,
    mapping: Option<CsvMapping>,
    account_id: Uuid,
}

/// Locks the ledger's import `id` until `tx` ends; 404 when there is none.
async fn lock(tx: &mut sqlx::PgConnection, ledger_id: Uuid, id: Uuid) -> Result<Locked, ApiError> {
    type Row = (
        ImportStatus,
        String,
        Option<Vec<u8>>,
        Option<sqlx::types::Json<CsvMapping>>,
        Uuid,
    );
    let (status, format, file, mapping, account_id): Row = sqlx::query_as(
        "SELECT status, format, file, mapping, account_id FROM imports
         WHERE ledger_id = $1 AND id = $2 FOR UPDATE",
    )
    .bind(ledger_id)
    .bind(id)
    .fetch_optional(tx)
    .await?
    .ok_or(ApiError::NotFound("import"))?;
    Ok(Locked {
        status,
        format,
        file: Bytes::from(file.unwrap_or_default()),
        mapping: mapping.map(|m| m.0),
        account_id,
    })
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MappingChange {
    pub mapping: CsvMapping,
    /// Save the mapping under this name: the next file with the same header row uses it.
    pub save_as: Option<String>,
}

#[utoipa::path(
    put,
    path = "/ledgers/{ledger_id}/imports/{id}/mapping",
    tag = "imports",
    summary = "Read a previewed CSV file again with an edited column mapping (optionally saved as a preset)",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), ("id" = Uuid, Path, description = "The import")),
    request_body = MappingChange,
    responses(
        (status = 200, description = "The new preview", body = ImportView),
        (status = 409, description = "The import is no longer a preview"),
        (status = 422, description = "The mapping does not fit the file"),
    ),
)]
async fn change_mapping(
    State(state): State<AppState>,
    caller: Caller,
    Path((ledger_id, id)): Path<(Uuid, Uuid)>,
    Json(change): Json<MappingChange>,
) -> Result<Json<ImportView>, ApiError> {
    let mut tx = service_kit::stores::begin(&state.db).await?;
    access(&mut *tx, &caller, ledger_id, Role::Editor).await?;
    let Locked {
        status,
        format,
        file,
        account_id,
        ..
    } = lock(&mut tx, ledger_id, id).await?;
    if status != ImportStatus::Previewed {
        return Err(ApiError::Conflict(
            "the import is no longer a preview: its mapping cannot change".into(),
        ));
    }
    if format != Format::Csv.as_str() {
        return Err(ApiError::Conflict(
            "only CSV files have a column mapping".into(),
        ));
    }
    if let Some(name) = &change.save_as
        && !(1..=100).contains(&name.trim().chars().count())
    {
        return Err(ApiError::field("save_as", "must be 1 to 100 characters"));
    }
    let parsed = read_file(file, Some(Format::Csv), Some(change.mapping.clone())).await?;
    let account_map = default_account_map(&parsed, account_id);
    let prepared = prepare(&mut tx, ledger_id, parsed, &account_map).await?;
    if let Some(name) = &change.save_as {
        let key = bank_formats::csv_file::header_key(&prepared.parsed.columns);
        // One preset per header row: saving under a new name renames it.
        sqlx::query(
            "DELETE FROM import_presets WHERE ledger_id = $1 AND (header_key = $2 OR name = $3)",
        )
        .bind(ledger_id)
        .bind(&key)
        .bind(name.trim())
        .execute(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO import_presets (ledger_id, name, header_key, mapping) VALUES ($1, $2, $3, $4)")
            .bind(ledger_id)
            .bind(name.trim())
            .bind(&key)
            .bind(sqlx::types::Json(&change.mapping))
            .execute(&mut *tx)
            .await?;
    }
    save_plan(&mut tx, id, &prepared, &account_map).await?;
    sqlx::query("UPDATE imports SET mapping = $2, preset_name = $3 WHERE id = $1")
        .bind(id)
        .bind(sqlx::types::Json(&change.mapping))
        .bind(change.save_as.as_deref().map(str::trim))
        .execute(&mut *tx)
        .await?;
    let view = load(&mut tx, ledger_id, id).await?;
    tx.commit().await?;
    Ok(Json(view))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommitRequest {
    /// For a file with several accounts: the file's account id → the ledger account its
    /// rows go to. Accounts left out are skipped. Not needed for a file with one account.
    pub accounts: Option<HashMap<String, Uuid>>,
}

#[utoipa::path(
    post,
    path = "/ledgers/{ledger_id}/imports/{id}/commit",
    tag = "imports",
    summary = "Write the previewed rows in the background; follow with GET or the import.progress events",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), ("id" = Uuid, Path, description = "The import")),
    request_body = CommitRequest,
    responses(
        (status = 202, description = "Queued: the job worker writes it in chunks", body = ImportView),
        (status = 409, description = "Already committed, or nothing to import"),
        (status = 422, description = "An account mapping names an account outside the ledger"),
    ),
)]
async fn commit(
    State(state): State<AppState>,
    caller: Caller,
    Path((ledger_id, id)): Path<(Uuid, Uuid)>,
    body: Bytes,
) -> Result<(StatusCode, Json<ImportView>), ApiError> {
    // The body is optional: a file with one account needs none.
    let request: CommitRequest = if body.iter().all(u8::is_ascii_whitespace) {
        CommitRequest::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| ApiError::field("body", e.to_string()))?
    };
    let mut tx = service_kit::stores::begin(&state.db).await?;
    access(&mut *tx, &caller, ledger_id, Role::Editor).await?;
    let Locked {
        status,
        format,
        file,
        mapping,
        ..
    } = lock(&mut tx, ledger_id, id).await?;
    if status != ImportStatus::Previewed {
        return Err(ApiError::Conflict(
            format!("the import is {}, not a preview", serde_json::json!(status)).into(),
        ));
    }
    if let Some(accounts) = &request.accounts {
        // Re-plan with the user's account mapping so the counts and preview match.
        let format = super::job::format_of(&format);
        let parsed = read_file(file, format, mapping).await?;
        let prepared = prepare(&mut tx, ledger_id, parsed, accounts).await?;
        save_plan(&mut tx, id, &prepared, accounts).await?;
    }
    let total: i32 = sqlx::query_scalar("SELECT total_rows FROM imports WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    if total == 0 {
        return Err(ApiError::Conflict(
            "nothing to import: no row can be imported (see the preview's errors and notes, or map the file's accounts)".into(),
        ));
    }
    sqlx::query("UPDATE imports SET status = 'queued', updated_at = now() WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let view = load(&mut tx, ledger_id, id).await?;
    tx.commit().await?;
    // After commit, so the worker finds the import queued. If Redis is down, the job
    // worker's sweep picks queued imports up from Postgres.
    state.imports.queue.push(id).await;
    Ok((StatusCode::ACCEPTED, Json(view)))
}

#[utoipa::path(
    delete,
    path = "/ledgers/{ledger_id}/imports/{id}",
    tag = "imports",
    summary = "Discard a preview, or undo a completed import (removes exactly the rows it added)",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), ("id" = Uuid, Path, description = "The import")),
    responses(
        (status = 200, description = "Undone: the import, now `reverted`", body = ImportView),
        (status = 204, description = "The preview was discarded"),
        (status = 409, description = "The import is being written; undo it once it completes"),
    ),
)]
async fn undo(
    State(state): State<AppState>,
    caller: Caller,
    Path((ledger_id, id)): Path<(Uuid, Uuid)>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let mut tx = service_kit::stores::begin(&state.db).await?;
    access(&mut *tx, &caller, ledger_id, Role::Editor).await?;
    let status: ImportStatus = sqlx::query_scalar(
        "SELECT status FROM imports WHERE ledger_id = $1 AND id = $2 FOR UPDATE",
    )
    .bind(ledger_id)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ApiError::NotFound("import"))?;
    match status {
        ImportStatus::Previewed => {
            sqlx::query("DELETE FROM imports WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        ImportStatus::Queued | ImportStatus::Running => Err(ApiError::Conflict(
            "the import is being written; undo it once it completes".into(),
        )),
        ImportStatus::Reverted => Err(ApiError::Conflict("the import is already undone".into())),
        ImportStatus::Completed | ImportStatus::Failed => {
            let gone: Vec<(chrono::NaiveDate, i64)> = sqlx::query_as(
                "WITH gone AS (DELETE FROM transactions WHERE ledger_id = $1 AND import_job_id = $2
                               RETURNING booked_on)
                 SELECT date_trunc('month', booked_on)::date, count(*) FROM gone GROUP BY 1",
            )
            .bind(ledger_id)
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE imports SET status = 'reverted', file = NULL, updated_at = now() WHERE id = $1",
            )
            .bind(id)
            .execute(&mut *tx)
            .await?;
            let view = load(&mut tx, ledger_id, id).await?;
            let removed_rows = gone.iter().map(|(_, n)| n.unsigned_abs()).sum();
            let undone = Event::ImportUndone(ImportUndone {
                import_id: id,
                removed_rows,
            });
            events::record(&mut tx, ledger_id, &undone).await?;
            tx.commit().await?;
            let months = gone.into_iter().map(|(month, _)| month).collect();
            crate::budgets::alerts::check_later(&state, ledger_id, months);
            Ok(Json(view).into_response())
        }
    }
}

#[derive(Debug, serde::Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct PresetView {
    pub name: String,
    #[schema(value_type = CsvMapping)]
    pub mapping: sqlx::types::Json<CsvMapping>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

#[utoipa::path(
    get,
    path = "/ledgers/{ledger_id}/import-presets",
    tag = "imports",
    summary = "Saved CSV mappings, used automatically for a file with the same header row",
    params(("ledger_id" = Uuid, Path, description = "The ledger")),
    responses((status = 200, description = "Saved CSV mappings", body = Vec<PresetView>)),
)]
async fn presets(
    State(state): State<AppState>,
    caller: Caller,
    Path(ledger_id): Path<Uuid>,
) -> Result<Json<Vec<PresetView>>, ApiError> {
    let mut db = state.db.acquire().await?;
    access(&mut *db, &caller, ledger_id, Role::Viewer).await?;
    let rows = sqlx::query_as(
        "SELECT name, mapping, updated_at FROM import_presets WHERE ledger_id = $1 ORDER BY name",
    )
    .bind(ledger_id)
    .fetch_all(&mut *db)
    .await?;
    Ok(Json(rows))
}

#[utoipa::path(
    delete,
    path = "/ledgers/{ledger_id}/import-presets/{name}",
    tag = "imports",
    summary = "Forget a saved CSV mapping",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), ("name" = String, Path, description = "The preset's name")),
    responses((status = 204, description = "Forgotten")),
)]
async fn delete_preset(
    State(state): State<AppState>,
    caller: Caller,
    Path((ledger_id, name)): Path<(Uuid, String)>,
) -> Result<StatusCode, ApiError> {
    let mut db = state.db.acquire().await?;
    access(&mut *db, &caller, ledger_id, Role::Editor).await?;
    let deleted = sqlx::query("DELETE FROM import_presets WHERE ledger_id = $1 AND name = $2")
        .bind(ledger_id)
        .bind(&name)
        .execute(&mut *db)
        .await?
        .rows_affected();
    if deleted == 0 {
        return Err(ApiError::NotFound("import preset"));
    }
    Ok(StatusCode::NO_CONTENT)
}
