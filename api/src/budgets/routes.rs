//! Budget routes: the month view, setting a category's amount for a month, the alert
//! thresholds, and the alerts recorded.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::alerts::{AlertView, check_later};
use super::{MonthView, month_view};
use crate::auth::caller::Caller;
use crate::dates::parse_month;
use crate::events::catalogue::BudgetChanged;
use crate::events::{self, Event};
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::http::extract::{Json, Path};
use crate::ledgers::{Role, access};
use crate::money::parse_amount;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(show))
        .routes(routes!(set))
        .routes(routes!(settings))
        .routes(routes!(alerts))
}

fn month_param(raw: &str) -> Result<chrono::NaiveDate, ApiError> {
    parse_month(raw).map_err(|m| ApiError::BadRequest(format!("month: {m}")))
}

#[utoipa::path(
    get,
    path = "/ledgers/{ledger_id}/budgets/{month}",
    tag = "budgets",
    summary = "The month: budgeted, carried in, spent, available",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), ("month" = String, Path, description = "The month, YYYY-MM")),
    responses((status = 200, description = "The month: budgeted, carried in, spent, available", body = MonthView)),
)]
async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path((ledger_id, month)): Path<(Uuid, String)>,
) -> Result<Json<MonthView>, ApiError> {
    access(&state.db, &caller, ledger_id, Role::Viewer).await?;
    let month = month_param(&month)?;
    Ok(Json(month_view(&state.db, ledger_id, month).await?.0))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetBudget {
    /// A decimal string in the ledger's base currency; "0" removes the budget.
    pub amount: String,
}

#[utoipa::path(
    put,
    path = "/ledgers/{ledger_id}/budgets/{month}/{category_id}",
    tag = "budgets",
    summary = "Set a category's budget for the month",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), ("month" = String, Path, description = "The month, YYYY-MM"), ("category_id" = Uuid, Path, description = "The category")),
    request_body = SetBudget,
    responses((status = 200, description = "Set a category's budget for the month", body = MonthView)),
)]
async fn set(
    State(state): State<AppState>,
    caller: Caller,
    Path((ledger_id, month, category_id)): Path<(Uuid, String, Uuid)>,
    Json(body): Json<SetBudget>,
) -> Result<Json<MonthView>, ApiError> {
    access(&state.db, &caller, ledger_id, Role::Editor).await?;
    let month = month_param(&month)?;
    let row = sqlx::query!(
        r#"SELECT g.kind::text AS "kind!", cur.minor_units
           FROM categories c
           JOIN category_groups g ON g.id = c.group_id
           JOIN ledgers l ON l.id = c.ledger_id
           JOIN currencies cur ON cur.code = l.base_currency
           WHERE c.ledger_id = $1 AND c.id = $2"#,
        ledger_id,
        category_id,
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(ApiError::NotFound("category"))?;
    if row.kind != "expense" {
        return Err(ApiError::field(
            "category_id",
            "budgets are for expense categories",
        ));
    }
    let amount = parse_amount(&body.amount, u32::try_from(row.minor_units).unwrap_or(2))
        .and_then(|a| {
            if a.is_sign_negative() {
                Err("must not be negative".to_owned())
            } else {
                Ok(a)
            }
        })
        .map_err(|m| ApiError::field("amount", m))?;
    let mut tx = service_kit::stores::begin(&state.db).await?;
    if amount.is_zero() {
        sqlx::query!(
            "DELETE FROM budgets WHERE category_id = $1 AND month = $2",
            category_id,
            month
        )
        .execute(&mut *tx)
        .await?;
    } else {
        sqlx::query!(
            "INSERT INTO budgets (ledger_id, category_id, month, amount) VALUES ($1, $2, $3, $4)
             ON CONFLICT (category_id, month) DO UPDATE SET amount = EXCLUDED.amount",
            ledger_id,
            category_id,
            month,
            amount,
        )
        .execute(&mut *tx)
        .await?;
    }
    let changed = BudgetChanged {
        month: Some(month),
        category_id: Some(category_id),
        amount: Some(crate::money::format(
            amount,
            u32::try_from(row.minor_units).unwrap_or(2),
        )),
        alert_thresholds: None,
    };
    events::record(&mut tx, ledger_id, &Event::BudgetChanged(changed)).await?;
    tx.commit().await?;
    check_later(&state, ledger_id, vec![month]);
    Ok(Json(month_view(&state.db, ledger_id, month).await?.0))
}

#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Percents of a month's available amount that raise an alert when spending reaches
    /// them: up to five, each 1 to 1000. Default [80, 100].
    pub alert_thresholds: Vec<i16>,
}

#[utoipa::path(
    put,
    path = "/ledgers/{ledger_id}/budget-settings",
    tag = "budgets",
    summary = "Alert thresholds (owner)",
    params(("ledger_id" = Uuid, Path, description = "The ledger")),
    request_body = Settings,
    responses((status = 200, description = "Alert thresholds (owner)", body = Settings)),
)]
async fn settings(
    State(state): State<AppState>,
    caller: Caller,
    Path(ledger_id): Path<Uuid>,
    Json(mut body): Json<Settings>,
) -> Result<Json<Settings>, ApiError> {
    access(&state.db, &caller, ledger_id, Role::Owner).await?;
    body.alert_thresholds.sort_unstable();
    body.alert_thresholds.dedup();
    if body.alert_thresholds.len() > 5
        || body
            .alert_thresholds
            .iter()
            .any(|t| !(1..=1000).contains(t))
    {
        return Err(ApiError::field(
            "alert_thresholds",
            "up to five percents, each 1 to 1000",
        ));
    }
    let mut tx = service_kit::stores::begin(&state.db).await?;
    sqlx::query!(
        "UPDATE ledgers SET budget_alert_thresholds = $2 WHERE id = $1",
        ledger_id,
        &body.alert_thresholds,
    )
    .execute(&mut *tx)
    .await?;
    let changed = BudgetChanged {
        month: None,
        category_id: None,
        amount: None,
        alert_thresholds: Some(body.alert_thresholds.clone()),
    };
    events::record(&mut tx, ledger_id, &Event::BudgetChanged(changed)).await?;
    tx.commit().await?;
    Ok(Json(body))
}

#[utoipa::path(
    get,
    path = "/ledgers/{ledger_id}/budget-alerts",
    tag = "budgets",
    summary = "Alerts recorded, newest first",
    params(("ledger_id" = Uuid, Path, description = "The ledger")),
    responses((status = 200, description = "Alerts recorded, newest first", body = Vec<AlertView>)),
)]
async fn alerts(
    State(state): State<AppState>,
    caller: Caller,
    Path(ledger_id): Path<Uuid>,
) -> Result<Json<Vec<AlertView>>, ApiError> {
    access(&state.db, &caller, ledger_id, Role::Viewer).await?;
    let alerts = sqlx::query_as!(
        AlertView,
        "SELECT category_id, month, threshold, crossed_at FROM budget_alerts
         WHERE ledger_id = $1 ORDER BY crossed_at DESC, category_id, threshold LIMIT 200",
        ledger_id,
    )
    .fetch_all(&state.db)
    .await?;
    Ok(Json(alerts))
}
