//! The OpenAPI document: served, 3.1, and describing every route with its auth and errors.

mod support;

use std::collections::BTreeSet;

use serde_json::Value;
use sqlx::PgPool;
use support::TestApi;

const PUBLIC: &[&str] = &[
    "/api/v1/auth/register",
    "/api/v1/auth/login",
    "/api/v1/auth/refresh",
    "/api/v1/auth/logout",
];

fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            out.push((method.to_uppercase(), path.clone(), operation.clone()));
        }
    }
    out
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn the_document_describes_every_route_with_auth_and_errors(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let client = api.client();
    let (status, doc) = client.get("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert!(
        doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "{}",
        doc["openapi"]
    );

    let ops = operations(&doc);
    assert_eq!(ops.len(), 68, "one operation per route handler");
    // Code generators (the web app's among them) need every operation named once.
    let ids: BTreeSet<&str> = ops
        .iter()
        .map(|(method, path, op)| {
            op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path}: an operationId"))
        })
        .collect();
    assert_eq!(ids.len(), ops.len(), "operationIds are unique");
    for (method, path, op) in &ops {
        let responses = op["responses"].as_object().expect("responses");
        // A WebSocket's success is the switch of protocols.
        assert!(
            responses.keys().any(|k| k.starts_with('2') || k == "101"),
            "{method} {path}: a success answer"
        );
        for status in ["400", "422", "500"] {
            assert!(responses.contains_key(status), "{method} {path}: {status}");
        }
        let public = PUBLIC.contains(&path.as_str());
        assert_eq!(
            responses.contains_key("401"),
            !public,
            "{method} {path}: 401"
        );
        let security = op["security"].as_array().expect("security stated");
        assert_eq!(security.is_empty(), public, "{method} {path}: security");
        assert!(
            op["tags"].as_array().is_some_and(|t| !t.is_empty()),
            "{method} {path}: tagged"
        );
        assert!(
            op["summary"].as_str().is_some_and(|s| !s.is_empty()),
            "{method} {path}: summary"
        );
    }

    // Every documented operation is a real route: a request never meets the router's own 404
    // (which has no body in our error shape) or 405.
    let ledger = uuid::Uuid::new_v4();
    for (method, path, _) in &ops {
        let concrete = path
            .replace("{month}", "2026-11")
            .replace("{currency}", "USD")
            .replace("{date}", "2026-11-01")
            .split('/')
            .map(|part| {
                if part.starts_with('{') {
                    ledger.to_string()
                } else {
                    part.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        let response = client
            .request(method.parse().expect("method"), &concrete, None)
            .await;
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        let unrouted = status == 405 || (status == 404 && !body["error"]["code"].is_string());
        assert!(
            !unrouted,
            "{method} {concrete}: the router does not know it ({status})"
        );
    }

    let schemas: BTreeSet<&str> = doc["components"]["schemas"]
        .as_object()
        .expect("schemas")
        .keys()
        .map(String::as_str)
        .collect();
    for name in [
        "ErrorBody",
        "TransactionView",
        "AccountView",
        "SessionResponse",
        "MonthView",
        "GoalView",
        "ImportView",
        "CsvMapping",
        "ServerMessage",
        "EventMessage",
        "Event",
        "ControlMessage",
        "ClientMessage",
        "BudgetAlert",
    ] {
        assert!(schemas.contains(name), "schema {name}");
    }
    let schemes = doc["components"]["securitySchemes"]
        .as_object()
        .expect("security schemes");
    assert!(schemes.contains_key("cookie") && schemes.contains_key("bearer"));
}
