//! Savings goals: a target amount by a date. A goal linked to an account tracks that
//! account's balance (in its currency); an unlinked goal counts contributions entered by
//! hand (in the ledger's base currency). Each goal reports its progress and the monthly
//! amount still needed to arrive on time.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{Datelike, NaiveDate, Utc};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::auth::caller::Caller;
use crate::dates::parse_date;
use crate::events::catalogue::Removed;
use crate::events::{self, Event};
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::http::extract::{Json, Path};
use crate::http::validation::Validator;
use crate::ledgers::{Role, access};
use crate::money::{format, parse_amount, parse_positive_amount};
use crate::transactions::input::double_option;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update, remove))
        .routes(routes!(contribute))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub saved: Decimal,
    pub remaining: Decimal,
    /// Whole percent of the target saved (may exceed 100).
    pub percent: i64,
    /// Calendar months left to save in, this one included; 0 once the date has passed.
    pub months_left: u32,
    /// What to save each remaining month, rounded up to the currency's decimals.
    pub monthly_needed: Decimal,
}

/// Pure: progress towards `target` by `target_date`, seen on `today`.
pub fn progress(
    target: Decimal,
    saved: Decimal,
    today: NaiveDate,
    target_date: NaiveDate,
    minor_units: u32,
) -> Progress {
    let remaining = (target - saved).max(Decimal::ZERO);
    let month_index = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
    let months_left =
        u32::try_from((month_index(target_date) - month_index(today) + 1).max(0)).unwrap_or(0);
    let monthly_needed = if months_left == 0 {
        remaining
    } else {
        (remaining / Decimal::from(months_left))
            .round_dp_with_strategy(minor_units, RoundingStrategy::AwayFromZero)
    };
    let percent = (saved * Decimal::from(100) / target)
        .floor()
        .try_into()
        .unwrap_or(0);
    Progress {
        saved,
        remaining,
        percent,
        months_left,
        monthly_needed,
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GoalView {
    pub id: Uuid,
    pub name: String,
    pub currency: String,
    pub target_amount: String,
    pub target_date: NaiveDate,
    /// When set, progress is this account's balance.
    pub account_id: Option<Uuid>,
    pub saved: String,
    pub remaining: String,
    pub percent: i64,
    pub months_left: u32,
    pub monthly_needed: String,
}

async fn fetch(
    db: impl sqlx::PgExecutor<'_>,
    ledger_id: Uuid,
    only: Option<Uuid>,
) -> Result<Vec<GoalView>, ApiError> {
    let rows = sqlx::query!(
        r#"SELECT g.id, g.name, g.target_amount, g.target_date, g.account_id,
                  COALESCE(a.currency, l.base_currency) AS "currency!",
                  cur.minor_units,
                  CASE WHEN g.account_id IS NULL THEN
                      COALESCE((SELECT sum(c.amount) FROM goal_contributions c WHERE c.goal_id = g.id), 0)
                  ELSE
                      a.opening_balance + COALESCE((SELECT sum(t.amount) FROM transactions t WHERE t.account_id = a.id), 0)
                  END AS "saved!"
           FROM goals g
           JOIN ledgers l ON l.id = g.ledger_id
           LEFT JOIN accounts a ON a.id = g.account_id
           JOIN currencies cur ON cur.code = COALESCE(a.currency, l.base_currency)
           WHERE g.ledger_id = $1 AND ($2::uuid IS NULL OR g.id = $2)
           ORDER BY g.target_date, g.id"#,
        ledger_id,
        only,
    )
    .fetch_all(db)
    .await?;
    let today = Utc::now().date_naive();
    Ok(rows
        .into_iter()
        .map(|r| {
            let units = u32::try_from(r.minor_units).unwrap_or(2);
            let p = progress(r.target_amount, r.saved, today, r.target_date, units);
            GoalView {
                id: r.id,
                name: r.name,
                currency: r.currency,
                target_amount: format(r.target_amount, units),
                target_date: r.target_date,
                account_id: r.account_id,
                saved: format(p.saved, units),
                remaining: format(p.remaining, units),
                percent: p.percent,
                months_left: p.months_left,
                monthly_needed: format(p.monthly_needed, units),
            }
        })
        .collect())
}

async fn one(
    db: impl sqlx::PgExecutor<'_>,
    ledger_id: Uuid,
    id: Uuid,
) -> Result<GoalView, ApiError> {
    fetch(db, ledger_id, Some(id))
        .await?
        .pop()
        .ok_or(ApiError::NotFound("goal"))
}

#[utoipa::path(
    get,
    path = "/ledgers/{ledger_id}/goals",
    tag = "goals",
    summary = "Goals with their progress",
    params(("ledger_id" = Uuid, Path, description = "The ledger")),
    responses((status = 200, description = "Goals with their progress", body = Vec<GoalView>)),
)]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(ledger_id): Path<Uuid>,
) -> Result<Json<Vec<GoalView>>, ApiError> {
    access(&state.db, &caller, ledger_id, Role::Viewer).await?;
    Ok(Json(fetch(&state.db, ledger_id, None).await?))
}

#[utoipa::path(
    get,
    path = "/ledgers/{ledger_id}/goals/{id}",
    tag = "goals",
    summary = "A goal",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), ("id" = Uuid, Path, description = "The resource")),
    responses((status = 200, description = "A goal", body = GoalView)),
)]
async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path((ledger_id, id)): Path<(Uuid, Uuid)>,
) -> Result<Json<GoalView>, ApiError> {
    access(&state.db, &caller, ledger_id, Role::Viewer).await?;
    Ok(Json(one(&state.db, ledger_id, id).await?))
}

/// The decimals of the goal's currency: the linked account's, else the ledger's base.
async fn goal_minor_units(
    db: &sqlx::PgPool,
    ledger_id: Uuid,
    account_id: Option<Uuid>,
) -> Result<u32, ApiError> {
    let units = sqlx::query_scalar!(
        "SELECT cur.minor_units FROM ledgers l
         LEFT JOIN accounts a ON a.id = $2 AND a.ledger_id = l.id
         JOIN currencies cur ON cur.code = COALESCE(a.currency, l.base_currency)
         WHERE l.id = $1 AND ($2::uuid IS NULL OR a.id IS NOT NULL)",
        ledger_id,
        account_id,
    )
    .fetch_optional(db)
    .await?
    .ok_or_else(|| ApiError::field("account_id", "no such account in this ledger"))?;
    Ok(u32::try_from(units).unwrap_or(2))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateGoal {
    pub name: String,
    pub target_amount: String,
    pub target_date: String,
    pub account_id: Option<Uuid>,
}

#[utoipa::path(
    post,
    path = "/ledgers/{ledger_id}/goals",
    tag = "goals",
    summary = "Create a goal",
    params(("ledger_id" = Uuid, Path, description = "The ledger")),
    request_body = CreateGoal,
    responses((status = 201, description = "Create a goal", body = GoalView)),
)]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(ledger_id): Path<Uuid>,
    Json(body): Json<CreateGoal>,
) -> Result<(StatusCode, Json<GoalView>), ApiError> {
    access(&state.db, &caller, ledger_id, Role::Editor).await?;
    let units = goal_minor_units(&state.db, ledger_id, body.account_id).await?;
    let mut v = Validator::new();
    v.text("name", &body.name, 100);
    let target = v.result(
        "target_amount",
        parse_positive_amount(&body.target_amount, units),
    );
    let date = v.result("target_date", parse_date(&body.target_date));
    v.finish()?;
    let (Some(target), Some(date)) = (target, date) else {
        unreachable!("validation passed");
    };
    let mut tx = service_kit::stores::begin(&state.db).await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO goals (ledger_id, name, target_amount, target_date, account_id)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
        ledger_id,
        body.name.trim(),
        target,
        date,
        body.account_id,
    )
    .fetch_one(&mut *tx)
    .await?;
    let goal = one(&mut *tx, ledger_id, id).await?;
    events::record(&mut tx, ledger_id, &Event::GoalCreated(goal.clone())).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(goal)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateGoal {
    pub name: Option<String>,
    pub target_amount: Option<String>,
    pub target_date: Option<String>,
    /// `null` unlinks the account.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub account_id: Option<Option<Uuid>>,
}

#[utoipa::path(
    patch,
    path = "/ledgers/{ledger_id}/goals/{id}",
    tag = "goals",
    summary = "Edit a goal",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), ("id" = Uuid, Path, description = "The resource")),
    request_body = UpdateGoal,
    responses((status = 200, description = "Edit a goal", body = GoalView)),
)]
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path((ledger_id, id)): Path<(Uuid, Uuid)>,
    Json(body): Json<UpdateGoal>,
) -> Result<Json<GoalView>, ApiError> {
    access(&state.db, &caller, ledger_id, Role::Editor).await?;
    let current = sqlx::query_scalar!(
        "SELECT account_id FROM goals WHERE ledger_id = $1 AND id = $2",
        ledger_id,
        id
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(ApiError::NotFound("goal"))?;
    let account = body.account_id.unwrap_or(current);
    let units = goal_minor_units(&state.db, ledger_id, account).await?;
    let mut v = Validator::new();
    if let Some(name) = &body.name {
        v.text("name", name, 100);
    }
    let target = body
        .target_amount
        .as_deref()
        .and_then(|t| v.result("target_amount", parse_positive_amount(t, units)));
    let date = body
        .target_date
        .as_deref()
        .and_then(|d| v.result("target_date", parse_date(d)));
    v.finish()?;
    let mut tx = service_kit::stores::begin(&state.db).await?;
    sqlx::query!(
        "UPDATE goals SET name = COALESCE($3, name), target_amount = COALESCE($4, target_amount),
                          target_date = COALESCE($5, target_date), account_id = $6
         WHERE ledger_id = $1 AND id = $2",
        ledger_id,
        id,
        body.name.as_deref().map(str::trim),
        target,
        date,
        account,
    )
    .execute(&mut *tx)
    .await?;
    let goal = one(&mut *tx, ledger_id, id).await?;
    events::record(&mut tx, ledger_id, &Event::GoalUpdated(goal.clone())).await?;
    tx.commit().await?;
    Ok(Json(goal))
}

#[utoipa::path(
    delete,
    path = "/ledgers/{ledger_id}/goals/{id}",
    tag = "goals",
    summary = "Delete a goal",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), ("id" = Uuid, Path, description = "The resource")),
    responses((status = 204, description = "Done")),
)]
async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path((ledger_id, id)): Path<(Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    access(&state.db, &caller, ledger_id, Role::Editor).await?;
    let mut tx = service_kit::stores::begin(&state.db).await?;
    let removed = sqlx::query!(
        "DELETE FROM goals WHERE ledger_id = $1 AND id = $2",
        ledger_id,
        id
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if removed == 0 {
        return Err(ApiError::NotFound("goal"));
    }
    events::record(&mut tx, ledger_id, &Event::GoalDeleted(Removed { id })).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Contribution {
    pub date: String,
    /// Negative to take money out of the goal.
    pub amount: String,
    #[serde(default)]
    pub note: String,
}

#[utoipa::path(
    post,
    path = "/ledgers/{ledger_id}/goals/{id}/contributions",
    tag = "goals",
    summary = "Record a contribution to an unlinked goal",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), ("id" = Uuid, Path, description = "The resource")),
    request_body = Contribution,
    responses((status = 201, description = "Record a contribution to an unlinked goal", body = GoalView)),
)]
async fn contribute(
    State(state): State<AppState>,
    caller: Caller,
    Path((ledger_id, id)): Path<(Uuid, Uuid)>,
    Json(body): Json<Contribution>,
) -> Result<(StatusCode, Json<GoalView>), ApiError> {
    access(&state.db, &caller, ledger_id, Role::Editor).await?;
    let linked = sqlx::query_scalar!(
        "SELECT account_id FROM goals WHERE ledger_id = $1 AND id = $2",
        ledger_id,
        id
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(ApiError::NotFound("goal"))?;
    if linked.is_some() {
        return Err(ApiError::Conflict(
            "this goal follows an account's balance: record a transfer to that account instead"
                .into(),
        ));
    }
    let units = goal_minor_units(&state.db, ledger_id, None).await?;
    let mut v = Validator::new();
    let date = v.result("date", parse_date(&body.date));
    let amount = v.result("amount", parse_amount(&body.amount, units));
    v.check(
        amount.is_none_or(|a| !a.is_zero()),
        "amount",
        "must not be zero",
    );
    v.check(
        body.note.chars().count() <= 200,
        "note",
        "must be at most 200 characters",
    );
    v.finish()?;
    let mut tx = service_kit::stores::begin(&state.db).await?;
    sqlx::query!(
        "INSERT INTO goal_contributions (goal_id, ledger_id, day, amount, note) VALUES ($1, $2, $3, $4, $5)",
        id,
        ledger_id,
        date,
        amount,
        body.note.trim(),
    )
    .execute(&mut *tx)
    .await?;
    let goal = one(&mut *tx, ledger_id, id).await?;
    events::record(&mut tx, ledger_id, &Event::GoalUpdated(goal.clone())).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(goal)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        parse_date(s).expect("date")
    }

    fn dec(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    #[test]
    fn the_monthly_amount_spreads_what_remains_over_the_months_left() {
        let p = progress(
            dec("1000"),
            dec("250"),
            day("2026-11-24"),
            day("2027-06-30"),
            2,
        );
        assert_eq!(p.months_left, 8, "November to June");
        assert_eq!(p.remaining, dec("750"));
        assert_eq!(p.monthly_needed, dec("93.75"));
        assert_eq!(p.percent, 25);
        let odd = progress(
            dec("100"),
            dec("0"),
            day("2026-11-24"),
            day("2027-01-01"),
            2,
        );
        assert_eq!(
            odd.monthly_needed,
            dec("33.34"),
            "rounded up so the target is reached"
        );
    }

    #[test]
    fn a_reached_or_overdue_goal_is_handled() {
        let done = progress(
            dec("500"),
            dec("650"),
            day("2026-11-24"),
            day("2027-01-01"),
            2,
        );
        assert_eq!(
            (done.remaining, done.monthly_needed, done.percent),
            (Decimal::ZERO, Decimal::ZERO, 130)
        );
        let late = progress(
            dec("500"),
            dec("100"),
            day("2026-11-24"),
            day("2026-01-01"),
            2,
        );
        assert_eq!((late.months_left, late.monthly_needed), (0, dec("400")));
    }
}
