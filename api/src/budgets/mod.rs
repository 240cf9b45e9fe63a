//! Budgets: a monthly amount per expense category in the ledger's base currency, the
//! month's view of budgeted, carried in, spent and available, and alerts when spending
//! crosses the ledger's thresholds.

pub mod alerts;
pub mod plan;
pub mod routes;

use std::collections::HashMap;

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;

use self::plan::{MonthFigures, percent_used, roll};
use crate::http::error::ApiError;
use crate::money::format;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BudgetLine {
    pub category_id: Uuid,
    pub category: String,
    pub group: String,
    pub rollover: bool,
    pub budgeted: String,
    /// Left over (or overspent, negative) from the previous month; 0 without rollover.
    pub carried_in: String,
    pub spent: String,
    /// Budgeted + carried in - spent.
    pub available: String,
    /// Percent of budgeted + carried in that is spent; null when nothing was available.
    pub percent_used: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MonthView {
    /// The first day of the month.
    pub month: NaiveDate,
    pub currency: String,
    pub items: Vec<BudgetLine>,
}

/// The months from `first` to `last`, both first days of months.
fn months_between(first: NaiveDate, last: NaiveDate) -> Vec<NaiveDate> {
    let mut months = Vec::new();
    let mut m = first;
    while m <= last {
        months.push(m);
        m = m + Months::new(1);
    }
    months
}

/// The budget view of `month` (a first day) for every expense category that has a budget,
/// spending, or something carried in. Percentages feed the alerts.
pub async fn month_view(
    db: &sqlx::PgPool,
    ledger_id: Uuid,
    month: NaiveDate,
) -> Result<(MonthView, HashMap<Uuid, Option<i64>>), ApiError> {
    let ledger = sqlx::query!(
        r#"SELECT l.base_currency AS "currency!", c.minor_units FROM ledgers l
           JOIN currencies c ON c.code = l.base_currency WHERE l.id = $1"#,
        ledger_id,
    )
    .fetch_one(db)
    .await?;
    let minor_units = u32::try_from(ledger.minor_units).unwrap_or(2);
    let categories = sqlx::query!(
        r#"SELECT c.id, c.name, g.name AS group_name, c.budget_rollover
           FROM categories c JOIN category_groups g ON g.id = c.group_id
           WHERE c.ledger_id = $1 AND g.kind = 'expense'
           ORDER BY lower(g.name), lower(c.name)"#,
        ledger_id,
    )
    .fetch_all(db)
    .await?;
    let budgets: HashMap<(Uuid, NaiveDate), Decimal> = sqlx::query!(
        "SELECT category_id, month, amount FROM budgets WHERE ledger_id = $1 AND month <= $2",
        ledger_id,
        month,
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|r| ((r.category_id, r.month), r.amount))
    .collect();
    let rolling: Vec<Uuid> = categories
        .iter()
        .filter(|c| c.budget_rollover)
        .map(|c| c.id)
        .collect();
    let first_month = budgets
        .keys()
        .filter(|(c, _)| rolling.contains(c))
        .map(|(_, m)| *m)
        .min()
        .unwrap_or(month)
        .min(month);
    let spent = spending(db, ledger_id, first_month, month + Months::new(1)).await?;

    let mut items = Vec::new();
    let mut percents = HashMap::new();
    for c in categories {
        let start = if c.budget_rollover {
            budgets
                .keys()
                .filter(|(id, _)| *id == c.id)
                .map(|(_, m)| *m)
                .min()
                .unwrap_or(month)
                .min(month)
        } else {
            month
        };
        let figures: Vec<MonthFigures> = months_between(start, month)
            .into_iter()
            .map(|m| MonthFigures {
                budgeted: budgets.get(&(c.id, m)).copied().unwrap_or_default(),
                spent: spent.get(&(c.id, m)).copied().unwrap_or_default(),
            })
            .collect();
        let this = figures.last().copied().unwrap_or_default();
        let result = *roll(&figures, c.budget_rollover)
            .last()
            .expect("at least this month");
        if this.budgeted.is_zero() && this.spent.is_zero() && result.carried_in.is_zero() {
            continue;
        }
        let percent = percent_used(this.budgeted + result.carried_in, this.spent);
        percents.insert(c.id, percent);
        items.push(BudgetLine {
            category_id: c.id,
            category: c.name,
            group: c.group_name,
            rollover: c.budget_rollover,
            budgeted: format(this.budgeted, minor_units),
            carried_in: format(result.carried_in, minor_units),
            spent: format(this.spent, minor_units),
            available: format(result.available, minor_units),
            percent_used: percent,
        });
    }
    Ok((
        MonthView {
            month,
            currency: ledger.currency,
            items,
        },
        percents,
    ))
}

/// Spending per (category, month) in the base currency, for days in `from..until`; lines
/// without an exchange rate are left out.
async fn spending(
    db: &sqlx::PgPool,
    ledger_id: Uuid,
    from: NaiveDate,
    until: NaiveDate,
) -> Result<HashMap<(Uuid, NaiveDate), Decimal>, ApiError> {
    Ok(sqlx::query!(
        // From the daily category rollup, each (category, currency, day) converted once.
        r#"SELECT category_id AS "category_id!", date_trunc('month', day)::date AS "month!",
                  -sum(amount * rate) AS "spent!"
           FROM daily_category_flows f
           JOIN fx_rates($1, $2::date, $3::date - 1) r USING (currency, day)
           WHERE f.ledger_id = $1 AND f.category_id IS NOT NULL AND f.lines > 0
             AND f.day >= $2 AND f.day < $3 AND r.rate IS NOT NULL
           GROUP BY 1, 2"#,
        ledger_id,
        from,
        until,
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|r| ((r.category_id, r.month), r.spent))
    .collect())
}
