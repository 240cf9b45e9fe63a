//! Accounts in a ledger: checking, savings, credit card, cash, loan, investment. Each has
//! one currency; its balance is the opening balance plus every transaction, exactly.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::auth::caller::Caller;
use crate::events::catalogue::Removed;
use crate::events::{self, Event};
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::http::extract::{ArchivedQuery, Json, Path, Query};
use crate::http::validation::Validator;
use crate::ledgers::{Role, access, require_known_currency};
use crate::money::{check_currency_code, parse_amount};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update, remove))
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type, utoipa::ToSchema,
)]
#[sqlx(type_name = "account_kind", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    Checking,
    Savings,
    CreditCard,
    Cash,
    Loan,
    Investment,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AccountView {
    pub id: Uuid,
    pub name: String,
    pub kind: AccountKind,
    pub currency: String,
    /// A decimal string with the currency's decimals.
    pub opening_balance: String,
    /// Opening balance plus every transaction in the account.
    pub balance: String,
    pub archived: bool,
    pub created_at: DateTime<Utc>,
}

#[utoipa::path(
    get,
    path = "/ledgers/{ledger_id}/accounts",
    tag = "accounts",
    summary = "Accounts with exact balances",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), ArchivedQuery),
    responses((status = 200, description = "Accounts with exact balances", body = Vec<AccountView>)),
)]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(ledger_id): Path<Uuid>,
    Query(query): Query<ArchivedQuery>,
) -> Result<Json<Vec<AccountView>>, ApiError> {
    access(&state.db, &caller, ledger_id, Role::Viewer).await?;
    Ok(Json(
        fetch(&state.db, ledger_id, None, query.include_archived).await?,
    ))
}

/// The ledger's accounts (or just `only`), with balances, by name.
async fn fetch(
    db: impl sqlx::PgExecutor<'_>,
    ledger_id: Uuid,
    only: Option<Uuid>,
    include_archived: bool,
) -> Result<Vec<AccountView>, ApiError> {
    Ok(sqlx::query_as!(
        AccountView,
        // Amounts are shown with the currency's decimals ("12.50" EUR, "1500" JPY), as
        // Postgres formats them: a decoded Decimal loses the scale of a zero.
        r#"SELECT a.id, a.name, a.kind AS "kind: AccountKind", a.currency AS "currency!",
                  round(a.opening_balance, c.minor_units)::text AS "opening_balance!",
                  round(a.opening_balance + COALESCE(
                      (SELECT sum(t.amount) FROM transactions t WHERE t.account_id = a.id), 0
                  ), c.minor_units)::text AS "balance!",
                  a.archived_at IS NOT NULL AS "archived!", a.created_at
           FROM accounts a JOIN currencies c ON c.code = a.currency
           WHERE a.ledger_id = $1 AND ($2::uuid IS NULL OR a.id = $2)
             AND ($3 OR a.archived_at IS NULL)
           ORDER BY lower(a.name), a.id"#,
        ledger_id,
        only,
        include_archived,
    )
    .fetch_all(db)
    .await?)
}

async fn account_view(
    db: impl sqlx::PgExecutor<'_>,
    ledger_id: Uuid,
    account_id: Uuid,
) -> Result<AccountView, ApiError> {
    fetch(db, ledger_id, Some(account_id), true)
        .await?
        .pop()
        .ok_or(ApiError::NotFound("account"))
}

#[utoipa::path(
    get,
    path = "/ledgers/{ledger_id}/accounts/{account_id}",
    tag = "accounts",
    summary = "An account",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), ("account_id" = Uuid, Path, description = "The account")),
    responses((status = 200, description = "An account", body = AccountView)),
)]
async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path((ledger_id, account_id)): Path<(Uuid, Uuid)>,
) -> Result<Json<AccountView>, ApiError> {
    access(&state.db, &caller, ledger_id, Role::Viewer).await?;
    Ok(Json(account_view(&state.db, ledger_id, account_id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAccount {
    pub name: String,
    pub kind: AccountKind,
    pub currency: String,
    /// A decimal string; default "0".
    pub opening_balance: Option<String>,
}

#[utoipa::path(
    post,
    path = "/ledgers/{ledger_id}/accounts",
    tag = "accounts",
    summary = "Create an account (editor)",
    params(("ledger_id" = Uuid, Path, description = "The ledger")),
    request_body = CreateAccount,
    responses((status = 201, description = "Create an account (editor)", body = AccountView)),
)]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(ledger_id): Path<Uuid>,
    Json(body): Json<CreateAccount>,
) -> Result<(StatusCode, Json<AccountView>), ApiError> {
    access(&state.db, &caller, ledger_id, Role::Editor).await?;
    let mut v = Validator::new();
    v.text("name", &body.name, 100);
    v.result("currency", check_currency_code(&body.currency));
    v.finish()?;
    let mut tx = service_kit::stores::begin(&state.db).await?;
    let minor_units = require_known_currency(&mut tx, "currency", &body.currency).await?;
    let mut v = Validator::new();
    let opening = v.result(
        "opening_balance",
        parse_amount(body.opening_balance.as_deref().unwrap_or("0"), minor_units),
    );
    v.finish()?;
    let id = sqlx::query_scalar!(
        "INSERT INTO accounts (ledger_id, name, kind, currency, opening_balance)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
        ledger_id,
        body.name.trim(),
        body.kind as AccountKind,
        body.currency,
        opening.unwrap_or_default(),
    )
    .fetch_one(&mut *tx)
    .await?;
    let view = account_view(&mut *tx, ledger_id, id).await?;
    events::record(&mut tx, ledger_id, &Event::AccountCreated(view.clone())).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateAccount {
    pub name: Option<String>,
    pub opening_balance: Option<String>,
    pub archived: Option<bool>,
}

#[utoipa::path(
    patch,
    path = "/ledgers/{ledger_id}/accounts/{account_id}",
    tag = "accounts",
    summary = "Rename, archive or correct the opening balance",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), ("account_id" = Uuid, Path, description = "The account")),
    request_body = UpdateAccount,
    responses((status = 200, description = "Rename, archive or correct the opening balance", body = AccountView)),
)]
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path((ledger_id, account_id)): Path<(Uuid, Uuid)>,
    Json(body): Json<UpdateAccount>,
) -> Result<Json<AccountView>, ApiError> {
    access(&state.db, &caller, ledger_id, Role::Editor).await?;
    let mut tx = service_kit::stores::begin(&state.db).await?;
    let minor_units = sqlx::query_scalar!(
        "SELECT c.minor_units FROM accounts a JOIN currencies c ON c.code = a.currency
         WHERE a.ledger_id = $1 AND a.id = $2 FOR UPDATE OF a",
        ledger_id,
        account_id,
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ApiError::NotFound("account"))?;
    let mut v = Validator::new();
    if let Some(name) = &body.name {
        v.text("name", name, 100);
    }
    let opening = body.opening_balance.as_deref().and_then(|raw| {
        let minor_units = u32::try_from(minor_units).unwrap_or(0);
        v.result("opening_balance", parse_amount(raw, minor_units))
    });
    v.finish()?;
    sqlx::query!(
        "UPDATE accounts SET
             name = COALESCE($3, name),
             opening_balance = COALESCE($4, opening_balance),
             archived_at = CASE WHEN $5::bool IS NULL THEN archived_at
                                WHEN $5 THEN COALESCE(archived_at, now())
                                ELSE NULL END
         WHERE ledger_id = $1 AND id = $2",
        ledger_id,
        account_id,
        body.name.as_deref().map(str::trim),
        opening,
        body.archived,
    )
    .execute(&mut *tx)
    .await?;
    let view = account_view(&mut *tx, ledger_id, account_id).await?;
    events::record(&mut tx, ledger_id, &Event::AccountUpdated(view.clone())).await?;
    tx.commit().await?;
    Ok(Json(view))
}

#[utoipa::path(
    delete,
    path = "/ledgers/{ledger_id}/accounts/{account_id}",
    tag = "accounts",
    summary = "Delete an account that has no transactions",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), ("account_id" = Uuid, Path, description = "The account")),
    responses((status = 204, description = "Done")),
)]
async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path((ledger_id, account_id)): Path<(Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    access(&state.db, &caller, ledger_id, Role::Editor).await?;
    let mut tx = service_kit::stores::begin(&state.db).await?;
    let in_use = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM transactions WHERE account_id = $1) AS "in_use!""#,
        account_id,
    )
    .fetch_one(&mut *tx)
    .await?;
    if in_use {
        return Err(ApiError::Conflict(
            "the account has transactions: archive it instead, or delete them first".into(),
        ));
    }
    let removed = sqlx::query!(
        "DELETE FROM accounts WHERE ledger_id = $1 AND id = $2",
        ledger_id,
        account_id,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if removed == 0 {
        return Err(ApiError::NotFound("account"));
    }
    events::record(
        &mut tx,
        ledger_id,
        &Event::AccountDeleted(Removed { id: account_id }),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
