//! Categories: the default tree, creating, renaming, archiving, and merging.

mod support;

use reqwest::Method;
use serde_json::{Value, json};
use sqlx::PgPool;
use support::{TestApi, assert_error};

fn find<'a>(tree: &'a Value, group: &str) -> &'a Value {
    tree.as_array()
        .expect("groups")
        .iter()
        .find(|g| g["name"] == group)
        .unwrap_or_else(|| panic!("group {group} in {tree}"))
}

fn category_id(tree: &Value, group: &str, name: &str) -> String {
    find(tree, group)["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .find(|c| c["name"] == name)
        .and_then(|c| c["id"].as_str())
        .unwrap_or_else(|| panic!("{group}/{name}"))
        .to_owned()
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn a_new_ledger_has_income_and_expense_groups(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let (status, tree) = alice
        .get(&format!("/api/v1/ledgers/{ledger}/categories"))
        .await;
    assert_eq!(status, 200, "{tree}");
    assert_eq!(find(&tree, "Income")["kind"], "income");
    assert_eq!(find(&tree, "Food")["kind"], "expense");
    assert_eq!(tree[0]["name"], "Income", "income first");
    let food: Vec<&str> = find(&tree, "Food")["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(food, ["Groceries", "Restaurants & cafes"]);
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn categories_are_created_renamed_and_archived(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let base = format!("/api/v1/ledgers/{ledger}");
    let (status, group) = alice
        .post(
            &format!("{base}/category-groups"),
            json!({ "name": "Pets", "kind": "expense" }),
        )
        .await;
    assert_eq!(status, 201, "{group}");
    let (status, cat) = alice
        .post(
            &format!("{base}/categories"),
            json!({ "group_id": group["id"], "name": "Vet" }),
        )
        .await;
    assert_eq!(status, 201, "{cat}");
    let (status, body) = alice
        .post(
            &format!("{base}/categories"),
            json!({ "group_id": group["id"], "name": "VET" }),
        )
        .await;
    assert_error(status, &body, 409, "conflict");

    let path = format!("{base}/categories/{}", cat["id"].as_str().expect("id"));
    let (status, _) = alice
        .send(
            Method::PATCH,
            &path,
            Some(json!({ "name": "Veterinarian" })),
        )
        .await;
    assert_eq!(status, 204);
    let (_, tree) = alice.get(&format!("{base}/categories")).await;
    assert_eq!(find(&tree, "Pets")["categories"][0]["name"], "Veterinarian");

    let (status, _) = alice
        .send(Method::PATCH, &path, Some(json!({ "archived": true })))
        .await;
    assert_eq!(status, 204);
    let (_, tree) = alice.get(&format!("{base}/categories")).await;
    assert_eq!(find(&tree, "Pets")["categories"], json!([]));
    let (_, all) = alice
        .get(&format!("{base}/categories?include_archived=true"))
        .await;
    assert_eq!(find(&all, "Pets")["categories"][0]["archived"], true);
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn merging_moves_transactions_and_split_parts(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let (bob, bobs_ledger) = api.user("Bob").await;
    let base = format!("/api/v1/ledgers/{ledger}");
    let (_, tree) = alice.get(&format!("{base}/categories")).await;
    let restaurants = category_id(&tree, "Food", "Restaurants & cafes");
    let groceries = category_id(&tree, "Food", "Groceries");
    let fuel = category_id(&tree, "Transport", "Fuel");
    let (_, account) = alice
        .post(
            &format!("{base}/accounts"),
            json!({ "name": "Checking", "kind": "checking", "currency": "EUR" }),
        )
        .await;
    let whole = alice
        .post(&format!("{base}/transactions"), json!({
            "account_id": account["id"], "date": "2026-11-01", "amount": "-20", "category_id": restaurants
        }))
        .await
        .1;
    let split = alice
        .post(&format!("{base}/transactions"), json!({
            "account_id": account["id"], "date": "2026-11-01", "amount": "-30",
            "splits": [{ "category_id": restaurants, "amount": "-10" }, { "category_id": fuel, "amount": "-20" }]
        }))
        .await
        .1;

    let (_, bobs_tree) = bob
        .get(&format!("/api/v1/ledgers/{bobs_ledger}/categories"))
        .await;
    let bobs_groceries = category_id(&bobs_tree, "Food", "Groceries");
    let merge = format!("{base}/categories/{restaurants}/merge");
    let (status, body) = alice.post(&merge, json!({ "into": bobs_groceries })).await;
    assert_error(status, &body, 404, "not_found");

    let (status, result) = alice.post(&merge, json!({ "into": groceries })).await;
    assert_eq!(status, 200, "{result}");
    assert_eq!(
        result,
        json!({ "moved_transactions": 1, "moved_splits": 1 })
    );
    let (_, whole) = alice
        .get(&format!(
            "{base}/transactions/{}",
            whole["id"].as_str().expect("id")
        ))
        .await;
    assert_eq!(whole["category_id"], groceries.as_str());
    let (_, split) = alice
        .get(&format!(
            "{base}/transactions/{}",
            split["id"].as_str().expect("id")
        ))
        .await;
    assert_eq!(split["splits"][0]["category_id"], groceries.as_str());
    let (_, tree) = alice
        .get(&format!("{base}/categories?include_archived=true"))
        .await;
    assert_eq!(
        find(&tree, "Food")["categories"].as_array().map(Vec::len),
        Some(1),
        "the source is gone"
    );
}
