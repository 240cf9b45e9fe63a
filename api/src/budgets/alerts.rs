//! Budget alerts: after transactions change, each month they touched is re-checked; a
//! threshold a category's spending has reached for the first time that month is recorded
//! (once) and announced as a `budget.alert` event in the same transaction.

use chrono::NaiveDate;
use serde::Serialize;
use uuid::Uuid;

use super::month_view;
use super::plan::crossed;
use crate::events::catalogue::BudgetAlert;
use crate::events::{self, Event};
use crate::http::AppState;
use crate::http::error::ApiError;

/// Checks `months` of the ledger in the background; errors are logged, never returned to
/// the request that caused the check.
pub fn check_later(state: &AppState, ledger_id: Uuid, mut months: Vec<NaiveDate>) {
    months.sort_unstable();
    months.dedup();
    let state = state.clone();
    tokio::spawn(async move {
        for month in months {
            if let Err(e) = check(&state, ledger_id, month).await {
                tracing::warn!(error = %e, %ledger_id, %month, "budget alert check failed");
            }
        }
    });
}

pub async fn check(state: &AppState, ledger_id: Uuid, month: NaiveDate) -> Result<(), ApiError> {
    let thresholds = sqlx::query_scalar!(
        "SELECT budget_alert_thresholds FROM ledgers WHERE id = $1",
        ledger_id
    )
    .fetch_optional(&state.db)
    .await?
    .unwrap_or_default();
    let (view, percents) = month_view(&state.db, ledger_id, month).await?;
    for line in &view.items {
        let reached = crossed(
            &thresholds,
            percents.get(&line.category_id).copied().flatten(),
        );
        if reached.is_empty() {
            continue;
        }
        // An alert and its event commit together: recorded once, announced once.
        let mut tx = service_kit::stores::begin(&state.db).await?;
        let new = sqlx::query_scalar!(
            "INSERT INTO budget_alerts (ledger_id, category_id, month, threshold)
             SELECT $1, $2, $3, t FROM unnest($4::smallint[]) AS t
             ON CONFLICT DO NOTHING RETURNING threshold",
            ledger_id,
            line.category_id,
            month,
            &reached,
        )
        .fetch_all(&mut *tx)
        .await?;
        for threshold in new {
            let alert = BudgetAlert {
                category_id: line.category_id,
                category: line.category.clone(),
                month,
                threshold,
                budgeted: line.budgeted.clone(),
                carried_in: line.carried_in.clone(),
                spent: line.spent.clone(),
                currency: view.currency.clone(),
            };
            events::record(&mut tx, ledger_id, &Event::BudgetAlert(alert)).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AlertView {
    pub category_id: Uuid,
    pub month: NaiveDate,
    pub threshold: i16,
    pub crossed_at: chrono::DateTime<chrono::Utc>,
}
