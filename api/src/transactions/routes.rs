//! Transaction routes: list with filters and keyset pages, create (idempotent with a key),
//! read, edit, delete, and bulk edit of category and tags.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::input::{SplitInput, check_splits, check_texts, clean_tags, double_option};
use super::list::{self, ListQuery};
use super::{CategorySource, Status, TransactionView};
use crate::auth::caller::Caller;
use crate::budgets::alerts::check_later;
use crate::dates::{first_of_month, parse_date};
use crate::events::catalogue::{TransactionsChanged, TransactionsDeleted};
use crate::events::{self, Event};
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::http::extract::{Json, Path, Query};
use crate::http::idempotency::{self, Claim};
use crate::http::validation::Validator;
use crate::ledgers::{Role, access};
use crate::ml;
use crate::money::parse_amount;
use contracts::categorization::{Completed, FeedbackRequest, StoredSuggestions};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(bulk))
        .routes(routes!(show, update, remove))
        .merge(super::transfers::router())
        .merge(super::export::router())
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TransactionPage {
    pub items: Vec<TransactionView>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

#[utoipa::path(
    get,
    path = "/ledgers/{ledger_id}/transactions",
    tag = "transactions",
    summary = "Transactions matching the filters, one page",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), ListQuery),
    responses((status = 200, description = "Transactions matching the filters, one page", body = TransactionPage)),
)]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(ledger_id): Path<Uuid>,
    Query(query): Query<ListQuery>,
) -> Result<Json<TransactionPage>, ApiError> {
    let (mut filter, page) = list::parse(&query)?;
    filter.member = Some(caller.user_id);
    let mut db = state.db.acquire().await?;
    let (items, next_cursor) = list::fetch(&mut db, ledger_id, &filter, &page).await?;
    if items.is_empty() {
        access(&mut *db, &caller, ledger_id, Role::Viewer).await?;
    }
    Ok(Json(TransactionPage { items, next_cursor }))
}

#[utoipa::path(
    get,
    path = "/ledgers/{ledger_id}/transactions/{id}",
    tag = "transactions",
    summary = "A transaction",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), ("id" = Uuid, Path, description = "The resource")),
    responses((status = 200, description = "A transaction", body = TransactionView)),
)]
async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path((ledger_id, id)): Path<(Uuid, Uuid)>,
) -> Result<Json<TransactionView>, ApiError> {
    let mut db = state.db.acquire().await?;
    access(&mut *db, &caller, ledger_id, Role::Viewer).await?;
    Ok(Json(list::fetch_one(&mut db, ledger_id, id).await?))
}

/// The currency decimals of an account in the ledger; 422 on `field` if there is none.
pub async fn account_minor_units(
    db: &mut sqlx::PgConnection,
    ledger_id: Uuid,
    account_id: Uuid,
    field: &str,
) -> Result<u32, ApiError> {
    let minor_units = sqlx::query_scalar!(
        "SELECT c.minor_units FROM accounts a JOIN currencies c ON c.code = a.currency
         WHERE a.ledger_id = $1 AND a.id = $2",
        ledger_id,
        account_id,
    )
    .fetch_optional(db)
    .await?
    .ok_or_else(|| ApiError::field(field, "no such account in this ledger"))?;
    Ok(u32::try_from(minor_units).unwrap_or_default())
}

#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTransaction {
    pub account_id: Uuid,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// A decimal string, negative for money out.
    pub amount: String,
    #[serde(default)]
    pub payee: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub notes: String,
    pub status: Option<Status>,
    pub category_id: Option<Uuid>,
    #[serde(default)]
    pub splits: Vec<SplitInput>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub import_id: Option<String>,
}

#[utoipa::path(
    post,
    path = "/ledgers/{ledger_id}/transactions",
    tag = "transactions",
    summary = "Record a transaction (send Idempotency-Key to make retries safe)",
    params(
        ("ledger_id" = Uuid, Path, description = "The ledger"),
        ("Idempotency-Key" = Option<String>, Header,
         description = "Any unique string: a retry with the same key and body returns the first answer"),
    ),
    request_body = CreateTransaction,
    responses((status = 201, description = "Record a transaction (send Idempotency-Key to make retries safe)", body = TransactionView)),
)]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(ledger_id): Path<Uuid>,
    headers: HeaderMap,
    Json(body): Json<CreateTransaction>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let key = idempotency::key(&headers)?;
    let mut tx = service_kit::stores::begin(&state.db).await?;
    access(&mut *tx, &caller, ledger_id, Role::Editor).await?;
    if let Some(key) = &key {
        let fingerprint = idempotency::fingerprint(&format!("transactions:{ledger_id}"), &body);
        if let Claim::Replay(status, answer) =
            idempotency::claim(&mut tx, caller.user_id, key, &fingerprint).await?
        {
            tx.commit().await?;
            return Ok((status, Json(answer)));
        }
    }
    let minor_units =
        account_minor_units(&mut tx, ledger_id, body.account_id, "account_id").await?;

    let mut v = Validator::new();
    let date = v.result("date", parse_date(&body.date));
    let amount = v.result("amount", parse_amount(&body.amount, minor_units));
    check_texts(&mut v, &body.payee, &body.description, &body.notes);
    let splits = check_splits(&mut v, &body.splits, amount, minor_units);
    v.check(
        body.category_id.is_none() || body.splits.is_empty(),
        "category_id",
        "give either a category or splits, not both",
    );
    let tags = clean_tags(&mut v, "tags", &body.tags);
    v.check(
        body.import_id
            .as_deref()
            .is_none_or(|i| (1..=200).contains(&i.len())),
        "import_id",
        "must be 1 to 200 characters",
    );
    v.finish()?;
    let (Some(date), Some(amount)) = (date, amount) else {
        unreachable!("validation passed, so both parsed");
    };

    let wants_category = body.category_id.is_none() && splits.is_empty();
    let (decision, columns) = if wants_category {
        categorize_new(&state, &mut tx, ledger_id, &body, amount).await?
    } else {
        (None, CategoryColumns::from_caller(body.category_id))
    };
    let id = sqlx::query_scalar!(
        r#"INSERT INTO transactions (ledger_id, account_id, booked_on, amount, payee, description,
                                     notes, status, category_id, category_source, import_id, tags,
                                     ml_model_version, ml_confidence, ml_suggestions)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
                   CASE WHEN $10 = 'ml'::category_source THEN $13 END, $14, $15)
           RETURNING id"#,
        ledger_id,
        body.account_id,
        date,
        amount,
        body.payee.trim(),
        body.description.trim(),
        body.notes.trim(),
        body.status.unwrap_or(Status::Cleared) as Status,
        columns.category_id,
        columns.source as Option<CategorySource>,
        body.import_id,
        &tags,
        columns.model_version.as_deref(),
        columns.confidence,
        columns.suggestions,
    )
    .fetch_one(&mut *tx)
    .await?;
    insert_splits(&mut tx, ledger_id, id, &splits).await?;

    let view = list::fetch_one(&mut tx, ledger_id, id).await?;
    let answer = service_kit::json::to_value(&view).map_err(ApiError::internal)?;
    if let Some(key) = &key {
        idempotency::record(&mut tx, caller.user_id, key, StatusCode::CREATED, &answer).await?;
    }
    events::record(
        &mut tx,
        ledger_id,
        &Event::TransactionCreated(TransactionsChanged::one(view)),
    )
    .await?;
    if let Some(completed) = decision.as_ref().and_then(|d| Completed::of(id, d)) {
        events::record(
            &mut tx,
            ledger_id,
            &Event::CategorizationCompleted(completed),
        )
        .await?;
    }
    tx.commit().await?;
    check_later(&state, ledger_id, vec![first_of_month(date)]);
    // The worker could not answer in time: it categorises the transaction from the queue.
    if wants_category && decision.is_none() {
        state.ml.queue(ledger_id, id).await;
    }
    Ok((StatusCode::CREATED, Json(answer)))
}

/// A new transaction's category columns: the caller's category, or the ML worker's.
struct CategoryColumns {
    category_id: Option<Uuid>,
    source: Option<CategorySource>,
    model_version: Option<String>,
    confidence: Option<f32>,
    suggestions: Option<Value>,
}

impl CategoryColumns {
    fn from_caller(category_id: Option<Uuid>) -> Self {
        Self {
            category_id,
            source: category_id.map(|_| CategorySource::User),
            model_version: None,
            confidence: None,
            suggestions: None,
        }
    }
}

/// Asks the ML worker (within its short timeout) what a new transaction without a category
/// should get; `None` as the decision when it could not answer.
async fn categorize_new(
    state: &AppState,
    tx: &mut sqlx::PgConnection,
    ledger_id: Uuid,
    body: &CreateTransaction,
    amount: rust_decimal::Decimal,
) -> Result<(Option<ml::Decision>, CategoryColumns), ApiError> {
    let threshold = sqlx::query_scalar!(
        "SELECT ml_auto_apply_threshold FROM ledgers WHERE id = $1",
        ledger_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let text = ml::text_of(&body.payee, &body.description);
    // Only the sign matters to the model.
    let signed = f64::try_from(amount).unwrap_or(0.0);
    let decision = match state.ml.categorize(ledger_id, &text, signed).await {
        Ok(answer) => ml::decide(answer, threshold),
        Err(e) => {
            tracing::info!(error = %e, "categorisation deferred: the transaction is queued");
            return Ok((None, CategoryColumns::from_caller(None)));
        }
    };
    let columns = match &decision {
        ml::Decision::Apply {
            category_id,
            confidence,
            model_version,
        } => CategoryColumns {
            category_id: Some(*category_id),
            source: Some(CategorySource::Ml),
            model_version: Some(model_version.clone()),
            confidence: Some(*confidence),
            suggestions: None,
        },
        ml::Decision::Suggest {
            suggestions,
            model_version,
        } => CategoryColumns {
            model_version: Some(model_version.clone()),
            suggestions: Some(
                service_kit::json::to_value(&StoredSuggestions {
                    model_version: model_version.clone(),
                    suggestions: suggestions.clone(),
                })
                .map_err(ApiError::internal)?,
            ),
            ..CategoryColumns::from_caller(None)
        },
        ml::Decision::Nothing => CategoryColumns::from_caller(None),
    };
    Ok((Some(decision), columns))
}

/// After an edit that set the category: tell the worker if it changed the model's choice.
#[allow(clippy::too_many_arguments)]
fn send_feedback(
    state: &AppState,
    ledger_id: Uuid,
    before: (Option<Uuid>, Option<&str>, Option<&str>, Option<Value>),
    text: String,
    amount: rust_decimal::Decimal,
    after: Option<Uuid>,
) {
    let (category, source, model_version, suggestions) = before;
    let stored: Option<StoredSuggestions> =
        suggestions.and_then(|s| serde_json::from_value(s).ok());
    let (suggested, model_version) = match &stored {
        Some(stored) if model_version.is_none() => (
            stored.suggestions.as_slice(),
            Some(stored.model_version.as_str()),
        ),
        Some(stored) => (stored.suggestions.as_slice(), model_version),
        None => (&[][..], model_version),
    };
    if let Some((category_id, outcome, model_version)) =
        ml::feedback_for(category, source, model_version, suggested, after)
    {
        state.ml.feedback(
            ledger_id,
            FeedbackRequest {
                description: text,
                amount: f64::try_from(amount).unwrap_or(0.0),
                category_id,
                outcome,
                model_version,
            },
        );
    }
}

/// Pure: a transfer leg's edit may change its date, texts, status and tags, nothing that
/// would break the pair.
fn check_transfer_edit(body: &UpdateTransaction) -> Result<(), ApiError> {
    if body.account_id.is_some()
        || body.amount.is_some()
        || body.category_id.is_some()
        || body.splits.is_some()
    {
        return Err(ApiError::Conflict(
            "a transfer's accounts, amounts and category change only as a whole: delete it and record it again".into(),
        ));
    }
    Ok(())
}

/// A transaction's parts replaced by `splits` (none: no longer split).
async fn replace_splits(
    tx: &mut sqlx::PgConnection,
    ledger_id: Uuid,
    transaction_id: Uuid,
    splits: Option<&[super::input::Split]>,
) -> Result<(), ApiError> {
    sqlx::query!(
        "DELETE FROM transaction_splits WHERE transaction_id = $1",
        transaction_id
    )
    .execute(&mut *tx)
    .await?;
    insert_splits(tx, ledger_id, transaction_id, splits.unwrap_or_default()).await
}

async fn insert_splits(
    tx: &mut sqlx::PgConnection,
    ledger_id: Uuid,
    transaction_id: Uuid,
    splits: &[super::input::Split],
) -> Result<(), ApiError> {
    if splits.is_empty() {
        return Ok(());
    }
    let categories: Vec<Uuid> = splits.iter().map(|s| s.category_id).collect();
    let amounts: Vec<rust_decimal::Decimal> = splits.iter().map(|s| s.amount).collect();
    let memos: Vec<String> = splits.iter().map(|s| s.memo.clone()).collect();
    sqlx::query!(
        "INSERT INTO transaction_splits (transaction_id, position, ledger_id, category_id, amount, memo)
         SELECT $1, (p.ord - 1)::smallint, $2, p.category_id, p.amount, p.memo
         FROM unnest($3::uuid[], $4::numeric[], $5::text[]) WITH ORDINALITY
              AS p(category_id, amount, memo, ord)",
        transaction_id,
        ledger_id,
        &categories,
        &amounts,
        &memos,
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTransaction {
    pub account_id: Option<Uuid>,
    pub date: Option<String>,
    pub amount: Option<String>,
    pub payee: Option<String>,
    pub description: Option<String>,
    pub notes: Option<String>,
    pub status: Option<Status>,
    /// `null` removes the category.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub category_id: Option<Option<Uuid>>,
    /// Replaces the splits; `[]` removes them.
    pub splits: Option<Vec<SplitInput>>,
    pub tags: Option<Vec<String>>,
}

#[utoipa::path(
    patch,
    path = "/ledgers/{ledger_id}/transactions/{id}",
    tag = "transactions",
    summary = "Edit a transaction",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), ("id" = Uuid, Path, description = "The resource")),
    request_body = UpdateTransaction,
    responses((status = 200, description = "Edit a transaction", body = TransactionView)),
)]
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path((ledger_id, id)): Path<(Uuid, Uuid)>,
    Json(body): Json<UpdateTransaction>,
) -> Result<Json<TransactionView>, ApiError> {
    let mut tx = service_kit::stores::begin(&state.db).await?;
    access(&mut *tx, &caller, ledger_id, Role::Editor).await?;
    let current = sqlx::query!(
        r#"SELECT account_id, amount, transfer_id, booked_on, category_id,
                  category_source::text AS category_source, ml_model_version, ml_suggestions,
                  payee, description
           FROM transactions WHERE ledger_id = $1 AND id = $2 FOR UPDATE"#,
        ledger_id,
        id,
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ApiError::NotFound("transaction"))?;

    if current.transfer_id.is_some() {
        check_transfer_edit(&body)?;
    }
    let account_id = body.account_id.unwrap_or(current.account_id);
    let minor_units = account_minor_units(&mut tx, ledger_id, account_id, "account_id").await?;

    let Change {
        date,
        amount,
        tags,
        splits: new_splits,
        set_category,
        category,
    } = check_update(&body, current.amount, minor_units)?;
    sqlx::query!(
        r#"UPDATE transactions SET
               account_id = $3,
               booked_on = COALESCE($4, booked_on),
               amount = $5,
               payee = COALESCE($6, payee),
               description = COALESCE($7, description),
               notes = COALESCE($8, notes),
               status = COALESCE($9, status),
               category_id = CASE WHEN $10 THEN $11 ELSE category_id END,
               category_source = CASE WHEN $10 THEN
                   CASE WHEN $11::uuid IS NULL THEN NULL ELSE 'user'::category_source END
                   ELSE category_source END,
               ml_model_version = CASE WHEN $10 THEN NULL ELSE ml_model_version END,
               ml_confidence = CASE WHEN $10 THEN NULL ELSE ml_confidence END,
               ml_suggestions = CASE WHEN $10 THEN NULL ELSE ml_suggestions END,
               tags = COALESCE($12, tags),
               updated_at = now()
           WHERE ledger_id = $1 AND id = $2"#,
        ledger_id,
        id,
        account_id,
        date,
        amount,
        body.payee.as_deref().map(str::trim),
        body.description.as_deref().map(str::trim),
        body.notes.as_deref().map(str::trim),
        body.status as Option<Status>,
        set_category,
        category,
        tags.as_deref(),
    )
    .execute(&mut *tx)
    .await?;
    if let Some(transfer_id) = current.transfer_id
        && let Some(date) = date
    {
        sqlx::query!(
            "UPDATE transactions SET booked_on = $2, updated_at = now() WHERE transfer_id = $1",
            transfer_id,
            date,
        )
        .execute(&mut *tx)
        .await?;
    }
    if body.splits.is_some() || matches!(body.category_id, Some(Some(_))) {
        replace_splits(&mut tx, ledger_id, id, new_splits.as_deref()).await?;
    }
    let view = list::fetch_one(&mut tx, ledger_id, id).await?;
    let moved_transfer = current.transfer_id.filter(|_| date.is_some());
    let changed = with_other_leg(&mut tx, ledger_id, view.clone(), moved_transfer).await?;
    events::record(&mut tx, ledger_id, &Event::TransactionUpdated(changed)).await?;
    tx.commit().await?;
    check_later(
        &state,
        ledger_id,
        vec![first_of_month(current.booked_on), first_of_month(view.date)],
    );
    let before = (
        current.category_id,
        current.category_source.as_deref(),
        current.ml_model_version.as_deref(),
        current.ml_suggestions,
    );
    let text = ml::text_of(&current.payee, &current.description);
    if set_category {
        send_feedback(&state, ledger_id, before, text, amount, category);
    }
    Ok(Json(view))
}

/// The rows an edit changed: `view`, and with `moved_transfer` (a transfer whose date the
/// edit moved) its other leg too.
async fn with_other_leg(
    tx: &mut sqlx::PgConnection,
    ledger_id: Uuid,
    view: TransactionView,
    moved_transfer: Option<Uuid>,
) -> Result<TransactionsChanged, ApiError> {
    let mut changed = TransactionsChanged::one(view);
    let Some(transfer_id) = moved_transfer else {
        return Ok(changed);
    };
    let other_leg = sqlx::query_scalar!(
        "SELECT id FROM transactions WHERE transfer_id = $1 AND id <> $2",
        transfer_id,
        changed.ids[0],
    )
    .fetch_all(&mut *tx)
    .await?;
    changed.ids.extend(&other_leg);
    changed
        .transactions
        .extend(list::fetch_many(tx, ledger_id, other_leg).await?);
    Ok(changed)
}

/// A checked edit: what to write.
#[derive(Debug)]
struct Change {
    date: Option<chrono::NaiveDate>,
    amount: rust_decimal::Decimal,
    tags: Option<Vec<String>>,
    /// New splits (replacing the category), if any.
    splits: Option<Vec<super::input::Split>>,
    /// Whether the category is written (to `category`).
    set_category: bool,
    category: Option<Uuid>,
}

/// Pure: `body` checked against the current amount and the account's decimals.
fn check_update(
    body: &UpdateTransaction,
    current_amount: rust_decimal::Decimal,
    minor_units: u32,
) -> Result<Change, ApiError> {
    let mut v = Validator::new();
    let date = body
        .date
        .as_deref()
        .and_then(|d| v.result("date", parse_date(d)));
    let amount = match &body.amount {
        Some(raw) => v.result("amount", parse_amount(raw, minor_units)),
        None => Some(current_amount),
    };
    check_texts(
        &mut v,
        body.payee.as_deref().unwrap_or_default(),
        body.description.as_deref().unwrap_or_default(),
        body.notes.as_deref().unwrap_or_default(),
    );
    let splits = body
        .splits
        .as_deref()
        .map(|s| check_splits(&mut v, s, amount, minor_units));
    v.check(
        !(matches!(body.category_id, Some(Some(_)))
            && splits.as_ref().is_some_and(|s| !s.is_empty())),
        "category_id",
        "give either a category or splits, not both",
    );
    let tags = body.tags.as_deref().map(|t| clean_tags(&mut v, "tags", t));
    v.finish()?;
    // Splits replace the category; a category replaces the splits.
    let splits = splits.filter(|s| !s.is_empty());
    Ok(Change {
        date,
        amount: amount.unwrap_or(current_amount),
        tags,
        set_category: body.category_id.is_some() || splits.is_some(),
        category: if splits.is_some() {
            None
        } else {
            body.category_id.flatten()
        },
        splits,
    })
}

/// Deletes the transaction; for a transfer, both legs.
#[utoipa::path(
    delete,
    path = "/ledgers/{ledger_id}/transactions/{id}",
    tag = "transactions",
    summary = "Delete a transaction (both legs of a transfer)",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), ("id" = Uuid, Path, description = "The resource")),
    responses((status = 204, description = "Done")),
)]
async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path((ledger_id, id)): Path<(Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    let mut tx = service_kit::stores::begin(&state.db).await?;
    access(&mut *tx, &caller, ledger_id, Role::Editor).await?;
    let removed = sqlx::query_scalar!(
        "DELETE FROM transactions WHERE ledger_id = $1 AND (id = $2 OR transfer_id =
             (SELECT transfer_id FROM transactions WHERE ledger_id = $1 AND id = $2))
         RETURNING id",
        ledger_id,
        id,
    )
    .fetch_all(&mut *tx)
    .await?;
    if removed.is_empty() {
        return Err(ApiError::NotFound("transaction"));
    }
    events::record(
        &mut tx,
        ledger_id,
        &Event::TransactionDeleted(TransactionsDeleted { ids: removed }),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sets (or with `None` removes) the category of the ledger's transactions `ids`, which
/// drops their splits; transfers have none to set.
async fn set_category(
    tx: &mut sqlx::PgConnection,
    ledger_id: Uuid,
    ids: &[Uuid],
    category: Option<Uuid>,
) -> Result<(), ApiError> {
    let transfers = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM transactions
           WHERE ledger_id = $1 AND id = ANY($2) AND transfer_id IS NOT NULL"#,
        ledger_id,
        ids,
    )
    .fetch_one(&mut *tx)
    .await?;
    if transfers > 0 && category.is_some() {
        return Err(ApiError::field(
            "ids",
            "transfers have no category: leave them out",
        ));
    }
    sqlx::query!(
        "DELETE FROM transaction_splits WHERE transaction_id = ANY($1)",
        ids
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        r#"UPDATE transactions SET category_id = $3,
               category_source = CASE WHEN $3::uuid IS NULL THEN NULL ELSE 'user'::category_source END,
               ml_model_version = NULL, ml_confidence = NULL, updated_at = now()
           WHERE ledger_id = $1 AND id = ANY($2)"#,
        ledger_id,
        ids,
        category,
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkEdit {
    /// Up to 1,000 transactions of the ledger.
    pub ids: Vec<Uuid>,
    /// Sets (or with `null` removes) the category; removes any splits.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub category_id: Option<Option<Uuid>>,
    #[serde(default)]
    pub add_tags: Vec<String>,
    #[serde(default)]
    pub remove_tags: Vec<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BulkResult {
    pub updated: u64,
}

#[utoipa::path(
    post,
    path = "/ledgers/{ledger_id}/transactions/bulk",
    tag = "transactions",
    summary = "Set the category or tags of up to 1,000 transactions",
    params(("ledger_id" = Uuid, Path, description = "The ledger")),
    request_body = BulkEdit,
    responses((status = 200, description = "Set the category or tags of up to 1,000 transactions", body = BulkResult)),
)]
async fn bulk(
    State(state): State<AppState>,
    caller: Caller,
    Path(ledger_id): Path<Uuid>,
    Json(body): Json<BulkEdit>,
) -> Result<Json<BulkResult>, ApiError> {
    let mut v = Validator::new();
    v.check(
        (1..=1000).contains(&body.ids.len()),
        "ids",
        "select 1 to 1000 transactions",
    );
    v.check(
        body.category_id.is_some() || !body.add_tags.is_empty() || !body.remove_tags.is_empty(),
        "category_id",
        "say what to change: category_id, add_tags or remove_tags",
    );
    let add = clean_tags(&mut v, "add_tags", &body.add_tags);
    let remove = clean_tags(&mut v, "remove_tags", &body.remove_tags);
    v.finish()?;
    let mut ids = body.ids;
    ids.sort_unstable();
    ids.dedup();

    let mut tx = service_kit::stores::begin(&state.db).await?;
    access(&mut *tx, &caller, ledger_id, Role::Editor).await?;
    let found = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM transactions WHERE ledger_id = $1 AND id = ANY($2)"#,
        ledger_id,
        &ids,
    )
    .fetch_one(&mut *tx)
    .await?;
    if usize::try_from(found).ok() != Some(ids.len()) {
        return Err(ApiError::NotFound("transaction"));
    }
    if let Some(category) = body.category_id {
        set_category(&mut tx, ledger_id, &ids, category).await?;
    }
    if !add.is_empty() || !remove.is_empty() {
        sqlx::query!(
            "UPDATE transactions SET tags = ARRAY(
                 SELECT tag FROM unnest(tags || $3::text[]) WITH ORDINALITY AS x(tag, n)
                 WHERE tag <> ALL($4::text[])
                 GROUP BY tag ORDER BY min(n)
             ), updated_at = now()
             WHERE ledger_id = $1 AND id = ANY($2)",
            ledger_id,
            &ids,
            &add,
            &remove,
        )
        .execute(&mut *tx)
        .await?;
    }
    let months = sqlx::query_scalar!(
        r#"SELECT DISTINCT date_trunc('month', booked_on)::date AS "month!" FROM transactions
           WHERE ledger_id = $1 AND id = ANY($2)"#,
        ledger_id,
        &ids,
    )
    .fetch_all(&mut *tx)
    .await?;
    events::record(
        &mut tx,
        ledger_id,
        &Event::TransactionUpdated(TransactionsChanged {
            ids: ids.clone(),
            transactions: Vec::new(),
        }),
    )
    .await?;
    tx.commit().await?;
    check_later(&state, ledger_id, months);
    Ok(Json(BulkResult {
        updated: ids.len() as u64,
    }))
}
