//! The categories every new ledger starts with: two levels, grouped the way most household
//! budgets are. The ML worker's seed examples use these names.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::http::error::ApiError;

/// (group, kind, categories)
pub const DEFAULT_CATEGORIES: &[(&str, &str, &[&str])] = &[
    (
        "Income",
        "income",
        &[
            "Salary",
            "Business income",
            "Interest & dividends",
            "Refunds",
            "Other income",
        ],
    ),
    (
        "Housing",
        "expense",
        &[
            "Rent & mortgage",
            "Utilities",
            "Internet & phone",
            "Home maintenance",
        ],
    ),
    ("Food", "expense", &["Groceries", "Restaurants & cafes"]),
    (
        "Transport",
        "expense",
        &[
            "Fuel",
            "Public transport",
            "Taxi & rideshare",
            "Car maintenance",
            "Parking & tolls",
        ],
    ),
    (
        "Shopping",
        "expense",
        &["Clothing", "Electronics", "Household goods"],
    ),
    (
        "Health",
        "expense",
        &["Pharmacy", "Doctor & dentist", "Fitness"],
    ),
    (
        "Leisure",
        "expense",
        &[
            "Subscriptions & streaming",
            "Entertainment",
            "Hobbies",
            "Travel",
        ],
    ),
    (
        "Financial",
        "expense",
        &["Bank fees", "Interest paid", "Insurance", "Taxes"],
    ),
    (
        "Personal",
        "expense",
        &[
            "Education",
            "Gifts & donations",
            "Childcare",
            "Personal care",
        ],
    ),
];

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
