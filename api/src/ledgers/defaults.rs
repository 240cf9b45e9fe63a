//! Creating the categories every new ledger starts with (`contracts::default_categories`,
//! whose names the ML worker's seed examples use).

use sqlx::PgConnection;
use uuid::Uuid;

use crate::http::error::ApiError;

pub use contracts::default_categories::DEFAULT_CATEGORIES;

pub async fn create_categories(tx: &mut PgConnection, ledger_id: Uuid) -> Result<(), ApiError> {
    for (group, kind, categories) in DEFAULT_CATEGORIES {
        let group_id = sqlx::query_scalar!(
            "INSERT INTO category_groups (ledger_id, name, kind)
             VALUES ($1, $2, $3::text::category_kind) RETURNING id",
            ledger_id,
            group,
            kind,
        )
        .fetch_one(&mut *tx)
        .await?;
        let names: Vec<String> = categories.iter().map(|c| (*c).to_owned()).collect();
        sqlx::query!(
            "INSERT INTO categories (ledger_id, group_id, name)
             SELECT $1, $2, name FROM unnest($3::text[]) AS name",
            ledger_id,
            group_id,
            &names,
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}
