//! Shared household books: invitations, roles, and what each role may do.

mod support;

use reqwest::Method;
use serde_json::json;
use sqlx::PgPool;
use support::{TestApi, assert_error};

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn an_invited_viewer_reads_but_cannot_write_until_promoted(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let (bob, _) = api.user("Bob").await;

    let (status, invite) = alice
        .post(
            &format!("/api/v1/ledgers/{ledger}/invites"),
            json!({ "role": "viewer" }),
        )
        .await;
    assert_eq!(status, 201, "{invite}");
    let code = invite["code"].as_str().expect("code").to_owned();

    let (status, joined) = bob
        .post("/api/v1/invites/accept", json!({ "code": code }))
        .await;
    assert_eq!(status, 200, "{joined}");
    assert_eq!(joined["role"], "viewer");
    assert_eq!(
        bob.get("/api/v1/ledgers").await.1.as_array().map(Vec::len),
        Some(2)
    );

    let accounts = format!("/api/v1/ledgers/{ledger}/accounts");
    assert_eq!(bob.get(&accounts).await.0, 200);
    let new_account = json!({ "name": "Joint", "kind": "checking", "currency": "EUR" });
    let (status, body) = bob.post(&accounts, new_account.clone()).await;
    assert_error(status, &body, 403, "insufficient_role");

    let (status, body) = bob
        .post("/api/v1/invites/accept", json!({ "code": code }))
        .await;
    assert_error(status, &body, 404, "not_found");

    let bob_id = bob.get("/api/v1/me").await.1["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let (status, _) = alice
        .send(
            Method::PUT,
            &format!("/api/v1/ledgers/{ledger}/members/{bob_id}"),
            Some(json!({ "role": "editor" })),
        )
        .await;
    assert_eq!(status, 204);
    let (status, body) = bob.post(&accounts, new_account).await;
    assert_eq!(status, 201, "{body}");

    let (_, members) = alice
        .get(&format!("/api/v1/ledgers/{ledger}/members"))
        .await;
    let roles: Vec<(&str, &str)> = members
        .as_array()
        .expect("members")
        .iter()
        .map(|m| {
            (
                m["display_name"].as_str().unwrap_or_default(),
                m["role"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(roles, [("Alice", "owner"), ("Bob", "editor")]);
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn a_ledger_always_keeps_an_owner(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let alice_id = alice.get("/api/v1/me").await.1["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let member = format!("/api/v1/ledgers/{ledger}/members/{alice_id}");
    let (status, body) = alice.send(Method::DELETE, &member, None).await;
    assert_error(status, &body, 409, "conflict");
    let (status, body) = alice
        .send(Method::PUT, &member, Some(json!({ "role": "editor" })))
        .await;
    assert_error(status, &body, 409, "conflict");
    assert_eq!(
        alice.get(&format!("/api/v1/ledgers/{ledger}")).await.1["role"],
        "owner"
    );
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn only_owners_invite_rename_and_delete(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let (bob, _) = api.user("Bob").await;
    let code = alice
        .post(
            &format!("/api/v1/ledgers/{ledger}/invites"),
            json!({ "role": "editor", "expires_in_hours": 1 }),
        )
        .await
        .1["code"]
        .as_str()
        .expect("code")
        .to_owned();
    assert_eq!(
        bob.post("/api/v1/invites/accept", json!({ "code": code }))
            .await
            .0,
        200
    );

    let (status, body) = bob
        .post(
            &format!("/api/v1/ledgers/{ledger}/invites"),
            json!({ "role": "viewer" }),
        )
        .await;
    assert_error(status, &body, 403, "insufficient_role");
    let (status, body) = bob
        .send(
            Method::PATCH,
            &format!("/api/v1/ledgers/{ledger}"),
            Some(json!({ "name": "Mine now" })),
        )
        .await;
    assert_error(status, &body, 403, "insufficient_role");
    let (status, body) = bob
        .send(Method::DELETE, &format!("/api/v1/ledgers/{ledger}"), None)
        .await;
    assert_error(status, &body, 403, "insufficient_role");

    let (status, body) = alice
        .post(
            &format!("/api/v1/ledgers/{ledger}/invites"),
            json!({ "role": "owner" }),
        )
        .await;
    assert_error(status, &body, 422, "validation_failed");

    let (status, renamed) = alice
        .send(
            Method::PATCH,
            &format!("/api/v1/ledgers/{ledger}"),
            Some(json!({ "name": "Household" })),
        )
        .await;
    assert_eq!((status, renamed["name"].as_str()), (200, Some("Household")));
    assert_eq!(
        alice
            .send(Method::DELETE, &format!("/api/v1/ledgers/{ledger}"), None)
            .await
            .0,
        204
    );
    assert_eq!(bob.get(&format!("/api/v1/ledgers/{ledger}")).await.0, 404);
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn the_owner_sets_how_sure_the_model_must_be_to_apply_a_category(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let path = format!("/api/v1/ledgers/{ledger}");
    let (_, body) = alice.get(&path).await;
    assert_eq!(body["ml_auto_apply_threshold"], json!(0.7), "the default");

    let (status, body) = alice
        .send(
            Method::PATCH,
            &path,
            Some(json!({ "ml_auto_apply_threshold": 0.9 })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["ml_auto_apply_threshold"]
            .as_f64()
            .map(|t| (t * 100.0).round()),
        Some(90.0)
    );
    assert_eq!(
        body["name"],
        alice.get(&path).await.1["name"],
        "the name stays"
    );

    for bad in [
        json!({ "ml_auto_apply_threshold": 1.5 }),
        json!({ "ml_auto_apply_threshold": -0.1 }),
        json!({}),
    ] {
        let (status, body) = alice.send(Method::PATCH, &path, Some(bad)).await;
        assert_error(status, &body, 422, "validation_failed");
    }
}
