//! Transfers between two accounts of a ledger: one request writes both legs (money out of
//! one, into the other) with a shared `transfer_id`, atomically. Between currencies the
//! client says what arrived (`to_amount`); in one currency it is the amount sent.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::input::{check_texts, clean_tags};
use super::list;
use super::routes::account_minor_units;
use super::{Status, TransactionView};
use crate::auth::caller::Caller;
use crate::dates::parse_date;
use crate::events::{self, Event};
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::http::extract::{Json, Path};
use crate::http::validation::Validator;
use crate::ledgers::{Role, access};
use crate::money::parse_positive_amount;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTransfer {
    pub from_account_id: Uuid,
    pub to_account_id: Uuid,
    pub date: String,
    /// What left the source account, positive, in its currency.
    pub amount: String,
    /// What arrived, positive, in the destination's currency. Required between currencies.
    pub to_amount: Option<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub notes: String,
    pub status: Option<Status>,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TransferView {
    pub transfer_id: Uuid,
    /// The leg out of the source account.
    pub from: TransactionView,
    /// The leg into the destination account.
    pub to: TransactionView,
}

async fn currency_of(db: &mut sqlx::PgConnection, account_id: Uuid) -> Result<String, ApiError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT currency AS "currency!" FROM accounts WHERE id = $1"#,
        account_id
    )
    .fetch_one(db)
    .await?)
}

#[utoipa::path(
    post,
    path = "/ledgers/{ledger_id}/transfers",
    tag = "transactions",
    summary = "Move money between two accounts (both legs at once)",
    params(("ledger_id" = Uuid, Path, description = "The ledger")),
    request_body = CreateTransfer,
    responses((status = 201, description = "Move money between two accounts (both legs at once)", body = TransferView)),
)]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(ledger_id): Path<Uuid>,
    Json(body): Json<CreateTransfer>,
) -> Result<(StatusCode, Json<TransferView>), ApiError> {
    let mut tx = service_kit::stores::begin(&state.db).await?;
    access(&mut *tx, &caller, ledger_id, Role::Editor).await?;
    let from_units =
        account_minor_units(&mut tx, ledger_id, body.from_account_id, "from_account_id").await?;
    let to_units =
        account_minor_units(&mut tx, ledger_id, body.to_account_id, "to_account_id").await?;
    let same_currency = currency_of(&mut tx, body.from_account_id).await?
        == currency_of(&mut tx, body.to_account_id).await?;

    let mut v = Validator::new();
    v.check(
        body.from_account_id != body.to_account_id,
        "to_account_id",
        "must differ from from_account_id",
    );
    let date = v.result("date", parse_date(&body.date));
    let sent = v.result("amount", parse_positive_amount(&body.amount, from_units));
    let received = match (&body.to_amount, same_currency) {
        (Some(raw), _) => v.result("to_amount", parse_positive_amount(raw, to_units)),
        (None, true) => sent,
        (None, false) => {
            v.check(
                false,
                "to_amount",
                "the accounts have different currencies: say what arrived",
            );
            None
        }
    };
    check_texts(&mut v, "", &body.description, &body.notes);
    let tags = clean_tags(&mut v, "tags", &body.tags);
    v.finish()?;
    let (Some(date), Some(sent), Some(received)) = (date, sent, received) else {
        unreachable!("validation passed, so all parsed");
    };

    let transfer_id = Uuid::new_v4();
    let legs = sqlx::query_scalar!(
        r#"INSERT INTO transactions (ledger_id, account_id, booked_on, amount, description, notes,
                                     status, transfer_id, tags)
           SELECT $1, leg.account_id, $2, leg.amount, $3, $4, $5, $6, $7
           FROM unnest($8::uuid[], $9::numeric[]) WITH ORDINALITY AS leg(account_id, amount, n)
           ORDER BY leg.n
           RETURNING id"#,
        ledger_id,
        date,
        body.description.trim(),
        body.notes.trim(),
        body.status.unwrap_or(Status::Cleared) as Status,
        transfer_id,
        &tags,
        &[body.from_account_id, body.to_account_id],
        &[-sent, received],
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut views = list::fetch_many(&mut tx, ledger_id, legs).await?;
    let mut leg = |account: Uuid| {
        views
            .iter()
            .position(|t| t.account_id == account)
            .map(|i| views.remove(i))
            .ok_or_else(|| ApiError::internal("a transfer leg was not read back"))
    };
    let transfer = TransferView {
        transfer_id,
        from: leg(body.from_account_id)?,
        to: leg(body.to_account_id)?,
    };
    events::record(
        &mut tx,
        ledger_id,
        &Event::TransferCreated(transfer.clone()),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(transfer)))
}
