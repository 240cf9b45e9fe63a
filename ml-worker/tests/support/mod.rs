//! Helpers shared by the worker's integration tests.
#![allow(dead_code)] // each test file uses its own subset

use sqlx::PgPool;
use uuid::Uuid;

pub use testkit::model_dir as models;

/// A ledger with two expense categories and one income category; their ids by name.
pub async fn ledger(pool: &PgPool) -> (Uuid, Vec<(String, Uuid)>) {
    let ledger: Uuid = sqlx::query_scalar(
        "INSERT INTO ledgers (name, base_currency) VALUES ('Home', 'EUR') RETURNING id",
    )
    .fetch_one(pool)
    .await
    .expect("ledger");
    let mut categories = Vec::new();
    for (group, kind, names) in [
        (
            "Living",
            "expense",
            &["Fuel", "Restaurants", "Groceries"][..],
        ),
        ("Income", "income", &["Salary"][..]),
    ] {
        let group_id: Uuid = sqlx::query_scalar(
            "INSERT INTO category_groups (ledger_id, name, kind) VALUES ($1, $2, $3::category_kind) RETURNING id",
        )
        .bind(ledger)
        .bind(group)
        .bind(kind)
        .fetch_one(pool)
        .await
        .expect("group");
        for name in names {
            let id: Uuid = sqlx::query_scalar(
                "INSERT INTO categories (ledger_id, group_id, name) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(ledger)
            .bind(group_id)
            .bind(name)
            .fetch_one(pool)
            .await
            .expect("category");
            categories.push(((*name).to_owned(), id));
        }
    }
    (ledger, categories)
}
