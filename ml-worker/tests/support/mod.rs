//! Helpers shared by the worker's integration tests.
#![allow(dead_code)] // each test file uses its own subset

use sqlx::PgPool;
use uuid::Uuid;

pub use testkit::model_dir as models;

/// A ledger with two expense categories and one income category; their ids by name.
pub async fn ledger(pool: &PgPool) -> (Uuid, Vec<(String, Uuid)>) {
    ledger_with(
        pool,
        &[
            (
                "Living",
                "expense",
                &["Fuel", "Restaurants", "Groceries"][..],
            ),
            ("Income", "income", &["Salary"][..]),
        ],
    )
    .await
}

/// A ledger with `groups` of (name, kind, category names); the categories' ids by name.
pub async fn ledger_with(
    pool: &PgPool,
    groups: &[(&str, &str, &[&str])],
) -> (Uuid, Vec<(String, Uuid)>) {
    let ledger: Uuid = sqlx::query_scalar(
        "INSERT INTO ledgers (name, base_currency) VALUES ('Home', 'EUR') RETURNING id",
    )
    .fetch_one(pool)
    .await
    .expect("ledger");
    let mut categories = Vec::new();
    for (group, kind, names) in groups {
        let group_id: Uuid = sqlx::query_scalar(
            "INSERT INTO category_groups (ledger_id, name, kind) VALUES ($1, $2, $3::category_kind) RETURNING id",
        )
        .bind(ledger)
        .bind(group)
        .bind(kind)
        .fetch_one(pool)
        .await
        .expect("group");
        for name in *names {
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

/// A euro checking account in `ledger`.
pub async fn account(pool: &PgPool, ledger: Uuid) -> Uuid {
    sqlx::query_scalar(
        "INSERT INTO accounts (ledger_id, name, kind, currency) VALUES ($1, 'Checking', 'checking', 'EUR') RETURNING id",
    )
    .bind(ledger)
    .fetch_one(pool)
    .await
    .expect("account")
}

/// The name of the test's own database (for a worker binary to connect to).
pub fn database_of(pool: &PgPool) -> String {
    pool.connect_options()
        .get_database()
        .expect("named")
        .to_owned()
}

/// What a worker binary needs to run on the test's database, the real Redis and the model.
pub fn worker_env(database: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "DATABASE_URL",
            testkit::stores::database_url(database, testkit::stores::postgres_addr()),
        ),
        ("REDIS_URL", testkit::stores::redis_url()),
        ("MODEL_DIR", models().display().to_string()),
    ]
}
