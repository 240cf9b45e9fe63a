//! Reports for the dashboard, computed in SQL and converted to the ledger's base currency
//! at each transaction's date (see `exchange_rates`): spending by category, cash flow per
//! month, net worth per month end, top payees. Transfers are movements, not income or
//! spending, and are left out of all but net worth. Every report lists the currencies
//! that had no rate (`missing_rates`); their amounts are not in the totals. Amounts are
//! decimal strings with the base currency's decimals.

use axum::extract::State;
use chrono::{Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::auth::caller::Caller;
use crate::dates::{first_of_month, parse_date};
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::http::extract::{Json, Path, Query};
use crate::ledgers::{Role, access};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(spending_by_category))
        .routes(routes!(cash_flow))
        .routes(routes!(net_worth))
        .routes(routes!(top_payees))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PeriodQuery {
    /// First day included (`YYYY-MM-DD`). Default: the first of this month for spending
    /// by category and top payees, twelve months back for cash flow and net worth.
    pub from: Option<String>,
    /// Last day included; default today.
    pub to: Option<String>,
    /// For top payees: how many, 1 to 100 (default 10).
    pub limit: Option<u32>,
}

/// A period of at most 20 years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Pure: the period asked for, with `default_from` computed from `today`.
pub fn period(
    query: &PeriodQuery,
    today: NaiveDate,
    default_from: fn(NaiveDate) -> NaiveDate,
) -> Result<Period, ApiError> {
    let parse = |field: &str, raw: &Option<String>| {
        raw.as_deref()
            .map(|d| parse_date(d).map_err(|m| ApiError::BadRequest(format!("{field}: {m}"))))
            .transpose()
    };
    let to = parse("to", &query.to)?.unwrap_or(today);
    let from = parse("from", &query.from)?.unwrap_or_else(|| default_from(to));
    if from > to {
        return Err(ApiError::BadRequest(
            "from: must not be after to".to_owned(),
        ));
    }
    if to.signed_duration_since(from).num_days() > 366 * 20 {
        return Err(ApiError::BadRequest(
            "the period can be at most 20 years".to_owned(),
        ));
    }
    Ok(Period { from, to })
}

/// Eleven whole months before `to`'s month, and `to`'s month: a year of months.
fn year_of_months(to: NaiveDate) -> NaiveDate {
    first_of_month(to) - Months::new(11)
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MissingRate {
    pub currency: String,
    /// The first and last days in the period with money in that currency and no rate.
    pub first_date: NaiveDate,
    pub last_date: NaiveDate,
}

async fn missing_rates(
    db: &sqlx::PgPool,
    ledger_id: Uuid,
    period: Period,
) -> Result<Vec<MissingRate>, ApiError> {
    Ok(sqlx::query_as!(
        MissingRate,
        r#"SELECT a.currency AS "currency!", min(f.day) AS "first_date!", max(f.day) AS "last_date!"
           FROM daily_flows f
           JOIN accounts a ON a.id = f.account_id
           JOIN fx_rates($1, $2, $3) r ON r.currency = a.currency AND r.day = f.day
           WHERE f.ledger_id = $1 AND f.day BETWEEN $2 AND $3 AND r.rate IS NULL
           GROUP BY a.currency ORDER BY a.currency"#,
        ledger_id,
        period.from,
        period.to,
    )
    .fetch_all(db)
    .await?)
}

/// `items` with the base currency, the period, and the rates that were missing in it.
async fn report<T: Serialize>(
    db: &sqlx::PgPool,
    ledger_id: Uuid,
    period: Period,
    items: Vec<T>,
) -> Result<Json<Report<T>>, ApiError> {
    let currency = sqlx::query_scalar!(
        r#"SELECT base_currency AS "c!" FROM ledgers WHERE id = $1"#,
        ledger_id
    )
    .fetch_one(db)
    .await?;
    Ok(Json(Report {
        currency,
        period,
        items,
        missing_rates: missing_rates(db, ledger_id, period).await?,
    }))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Report<T> {
    pub currency: String,
    pub period: Period,
    pub items: Vec<T>,
    pub missing_rates: Vec<MissingRate>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CategorySpending {
    /// `null` for uncategorised spending.
    pub category_id: Option<Uuid>,
    pub category: Option<String>,
    pub group: Option<String>,
    /// Money spent net of refunds, positive, in the base currency.
    pub amount: String,
    pub transactions: i64,
}

#[utoipa::path(
    get,
    path = "/ledgers/{ledger_id}/analytics/spending-by-category",
    tag = "analytics",
    summary = "Spending per expense category",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), PeriodQuery),
    responses((status = 200, description = "Spending per expense category", body = Report<CategorySpending>)),
)]
async fn spending_by_category(
    State(state): State<AppState>,
    caller: Caller,
    Path(ledger_id): Path<Uuid>,
    Query(query): Query<PeriodQuery>,
) -> Result<Json<Report<CategorySpending>>, ApiError> {
    access(&state.db, &caller, ledger_id, Role::Viewer).await?;
    let period = period(&query, Utc::now().date_naive(), first_of_month)?;
    let items = sqlx::query_as!(
        CategorySpending,
        // From the daily category rollup: one row per category, currency and day, each
        // converted at that day's rate and summed per category before any name is looked
        // up. Uncategorised money counts only on days it was spent, not received.
        r#"WITH per_category AS (
               SELECT f.category_id, sum(f.amount * r.rate) AS base, sum(f.lines) AS lines
               FROM daily_category_flows f
               JOIN fx_rates($1, $2, $3) r ON r.currency = f.currency AND r.day = f.day
               WHERE f.ledger_id = $1 AND f.day BETWEEN $2 AND $3 AND f.lines > 0
                 AND r.rate IS NOT NULL AND (f.category_id IS NOT NULL OR f.amount < 0)
               GROUP BY f.category_id
           )
           SELECT x.category_id, c.name AS "category?", g.name AS "group?",
                  round(-x.base, cur.minor_units)::text AS "amount!",
                  x.lines::bigint AS "transactions!"
           FROM per_category x
           LEFT JOIN categories c ON c.id = x.category_id
           LEFT JOIN category_groups g ON g.id = c.group_id
           JOIN ledgers l ON l.id = $1
           JOIN currencies cur ON cur.code = l.base_currency
           WHERE g.kind = 'expense' OR x.category_id IS NULL
           ORDER BY x.base, c.name"#,
        ledger_id,
        period.from,
        period.to,
    )
    .fetch_all(&state.db)
    .await?;
    report(&state.db, ledger_id, period, items).await
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MonthFlow {
    /// The first day of the month.
    pub month: NaiveDate,
    pub income: String,
    /// Positive.
    pub expense: String,
    pub net: String,
}

#[utoipa::path(
    get,
    path = "/ledgers/{ledger_id}/analytics/cash-flow",
    tag = "analytics",
    summary = "Income and expense per month",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), PeriodQuery),
    responses((status = 200, description = "Income and expense per month", body = Report<MonthFlow>)),
)]
async fn cash_flow(
    State(state): State<AppState>,
    caller: Caller,
    Path(ledger_id): Path<Uuid>,
    Query(query): Query<PeriodQuery>,
) -> Result<Json<Report<MonthFlow>>, ApiError> {
    access(&state.db, &caller, ledger_id, Role::Viewer).await?;
    let period = period(&query, Utc::now().date_naive(), year_of_months)?;
    let items = sqlx::query_as!(
        MonthFlow,
        // From the daily rollup: one row per account and day, converted at that day's rate.
        r#"WITH converted AS (
               SELECT date_trunc('month', f.day)::date AS month,
                      f.inflow * r.rate AS inflow, f.outflow * r.rate AS outflow
               FROM daily_flows f
               JOIN accounts a ON a.id = f.account_id
               JOIN fx_rates($1, $2, $3) r ON r.currency = a.currency AND r.day = f.day
               WHERE f.ledger_id = $1 AND f.day BETWEEN $2 AND $3 AND NOT f.is_transfer
           ), months AS (
               SELECT generate_series(date_trunc('month', $2::date), $3::date, interval '1 month')::date AS month
           )
           SELECT m.month AS "month!",
                  round(COALESCE(sum(x.inflow), 0), cur.minor_units)::text AS "income!",
                  round(COALESCE(sum(x.outflow), 0), cur.minor_units)::text AS "expense!",
                  round(COALESCE(sum(x.inflow - x.outflow), 0), cur.minor_units)::text AS "net!"
           FROM months m
           LEFT JOIN converted x ON x.month = m.month
           JOIN ledgers l ON l.id = $1
           JOIN currencies cur ON cur.code = l.base_currency
           GROUP BY m.month, cur.minor_units
           ORDER BY m.month"#,
        ledger_id,
        period.from,
        period.to,
    )
    .fetch_all(&state.db)
    .await?;
    report(&state.db, ledger_id, period, items).await
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NetWorthPoint {
    /// The last day of the month (or `to` for the current month).
    pub date: NaiveDate,
    pub net_worth: String,
}

#[utoipa::path(
    get,
    path = "/ledgers/{ledger_id}/analytics/net-worth",
    tag = "analytics",
    summary = "Net worth at each month end",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), PeriodQuery),
    responses((status = 200, description = "Net worth at each month end", body = Report<NetWorthPoint>)),
)]
async fn net_worth(
    State(state): State<AppState>,
    caller: Caller,
    Path(ledger_id): Path<Uuid>,
    Query(query): Query<PeriodQuery>,
) -> Result<Json<Report<NetWorthPoint>>, ApiError> {
    access(&state.db, &caller, ledger_id, Role::Viewer).await?;
    let period = period(&query, Utc::now().date_naive(), year_of_months)?;
    // From the daily rollup: monthly sums per account up to `to`, accumulated from the
    // first transaction, valued at each month end's rate. Only the last point can fall
    // mid-month, and it is `to` itself, so every month counted is complete up to its point.
    let items = sqlx::query_as!(
        NetWorthPoint,
        r#"WITH points AS (
               SELECT LEAST((date_trunc('month', d) + interval '1 month - 1 day')::date, $3::date) AS day
               FROM generate_series(date_trunc('month', $2::date), $3::date, interval '1 month') AS d
           ), monthly AS (
               SELECT f.account_id, date_trunc('month', f.day)::date AS month,
                      sum(f.inflow - f.outflow) AS amount
               FROM daily_flows f
               WHERE f.ledger_id = $1 AND f.day <= $3
               GROUP BY 1, 2
           ), balances AS (
               SELECT p.day, a.currency, a.opening_balance + COALESCE(sum(m.amount), 0) AS balance
               FROM points p CROSS JOIN accounts a
               LEFT JOIN monthly m ON m.account_id = a.id AND m.month <= p.day
               WHERE a.ledger_id = $1
               GROUP BY p.day, a.id, a.currency, a.opening_balance
           )
           SELECT b.day AS "date!",
                  round(COALESCE(sum(b.balance * fx_rate($1, b.currency, b.day)), 0), cur.minor_units)::text AS "net_worth!"
           FROM balances b
           JOIN ledgers l ON l.id = $1
           JOIN currencies cur ON cur.code = l.base_currency
           GROUP BY b.day, cur.minor_units
           ORDER BY b.day"#,
        ledger_id,
        period.from,
        period.to,
    )
    .fetch_all(&state.db)
    .await?;
    report(&state.db, ledger_id, period, items).await
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PayeeSpending {
    /// The payee, or the description where no payee was recorded.
    pub payee: String,
    pub amount: String,
    pub transactions: i64,
}

#[utoipa::path(
    get,
    path = "/ledgers/{ledger_id}/analytics/top-payees",
    tag = "analytics",
    summary = "Where the money went, by payee",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), PeriodQuery),
    responses((status = 200, description = "Where the money went, by payee", body = Report<PayeeSpending>)),
)]
async fn top_payees(
    State(state): State<AppState>,
    caller: Caller,
    Path(ledger_id): Path<Uuid>,
    Query(query): Query<PeriodQuery>,
) -> Result<Json<Report<PayeeSpending>>, ApiError> {
    access(&state.db, &caller, ledger_id, Role::Viewer).await?;
    let period = period(&query, Utc::now().date_naive(), first_of_month)?;
    let limit = query.limit.unwrap_or(10);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::BadRequest("limit: must be 1 to 100".to_owned()));
    }
    let items = sqlx::query_as!(
        PayeeSpending,
        // Per payee, currency and day first (grouped by byte order: no collation work), then
        // converted at that day's rate.
        r#"WITH lines AS (
               SELECT COALESCE(NULLIF(t.payee, ''), t.description) AS payee, a.currency, t.booked_on, t.amount
               FROM transactions t JOIN accounts a ON a.id = t.account_id
               WHERE t.ledger_id = $1 AND t.booked_on BETWEEN $2 AND $3
                 AND t.transfer_id IS NULL AND t.amount < 0
           ), per_payee AS (
               SELECT lower(payee) COLLATE "C" AS k, max(payee) AS payee, currency, booked_on,
                      sum(amount) AS amount, count(*) AS n
               FROM lines GROUP BY 1, 3, 4
           )
           SELECT max(p.payee) AS "payee!",
                  round(-sum(p.amount * r.rate), cur.minor_units)::text AS "amount!",
                  sum(p.n)::bigint AS "transactions!"
           FROM per_payee p
           JOIN fx_rates($1, $2, $3) r ON r.currency = p.currency AND r.day = p.booked_on
           JOIN ledgers l ON l.id = $1
           JOIN currencies cur ON cur.code = l.base_currency
           WHERE r.rate IS NOT NULL
           GROUP BY p.k, cur.minor_units
           ORDER BY sum(p.amount * r.rate), 1
           LIMIT $4"#,
        ledger_id,
        period.from,
        period.to,
        i64::from(limit),
    )
    .fetch_all(&state.db)
    .await?;
    report(&state.db, ledger_id, period, items).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        parse_date(s).expect("date")
    }

    #[test]
    fn periods_default_and_reject_nonsense() {
        let today = day("2026-11-24");
        let p = period(&PeriodQuery::default(), today, first_of_month).expect("valid");
        assert_eq!((p.from, p.to), (day("2026-11-01"), today));
        let p = period(&PeriodQuery::default(), today, year_of_months).expect("valid");
        assert_eq!(p.from, day("2025-12-01"));
        let backwards = PeriodQuery {
            from: Some("2026-12-01".into()),
            to: Some("2026-01-01".into()),
            limit: None,
        };
        assert!(period(&backwards, today, first_of_month).is_err());
        let huge = PeriodQuery {
            from: Some("1950-01-01".into()),
            ..PeriodQuery::default()
        };
        assert!(period(&huge, today, first_of_month).is_err());
    }
}
