//! Sign-up, sign-in, sessions, CSRF, rate limits and personal access tokens, against the
//! real Postgres and Redis.

mod support;

use reqwest::Method;
use serde_json::json;
use sqlx::PgPool;
use support::{PASSWORD, REFRESH_REUSE_GRACE_SECONDS, TestApi, assert_error};

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn registering_signs_in_and_creates_a_personal_ledger(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, ledger) = api.user("Alice").await;
    let (status, me) = alice.get("/api/v1/me").await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["display_name"], "Alice");
    assert_eq!(me["email"], alice.email);

    let (_, ledgers) = alice.get("/api/v1/ledgers").await;
    assert_eq!(ledgers.as_array().map(Vec::len), Some(1));
    assert_eq!(ledgers[0]["role"], "owner");
    assert_eq!(ledgers[0]["base_currency"], "EUR");
    let categories: i64 =
        sqlx::query_scalar("SELECT count(*) FROM categories WHERE ledger_id = $1")
            .bind(ledger)
            .fetch_one(&api.pool)
            .await
            .expect("count");
    assert!(categories >= 30, "default categories: {categories}");

    let (status, prefs) = alice.get("/api/v1/me/preferences").await;
    assert_eq!(status, 200);
    assert_eq!(prefs["default_currency"], "EUR");
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn registration_rejects_bad_input_field_by_field(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let client = api.client();
    let (status, body) = client
        .post(
            "/api/v1/auth/register",
            json!({
                "email": "not-an-email", "password": "short", "display_name": " ", "currency": "eur"
            }),
        )
        .await;
    assert_error(status, &body, 422, "validation_failed");
    let fields: Vec<&str> = body["error"]["details"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["field"].as_str())
        .collect();
    assert_eq!(fields, ["email", "display_name", "password", "currency"]);

    let (status, body) = client
        .post("/api/v1/auth/register", json!({
            "email": "x@example.org", "password": PASSWORD, "display_name": "X", "currency": "XXZ"
        }))
        .await;
    assert_error(status, &body, 422, "validation_failed");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("XXZ"),
        "{body}"
    );
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn an_email_registers_once_whatever_its_case(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, _) = api.user("Alice").await;
    let (status, body) = api
        .client()
        .post("/api/v1/auth/register", json!({
            "email": alice.email.to_uppercase(), "password": PASSWORD, "display_name": "Impostor"
        }))
        .await;
    assert_error(status, &body, 409, "conflict");
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn login_checks_the_password(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, _) = api.user("Alice").await;
    let client = api.client();
    let (status, body) = client
        .post(
            "/api/v1/auth/login",
            json!({ "email": alice.email, "password": "wrong password!!" }),
        )
        .await;
    assert_error(status, &body, 401, "unauthenticated");
    let (status, body) = client
        .post(
            "/api/v1/auth/login",
            json!({ "email": "nobody@example.org", "password": PASSWORD }),
        )
        .await;
    assert_error(status, &body, 401, "unauthenticated");

    let (status, body) = client
        .post(
            "/api/v1/auth/login",
            json!({ "email": alice.email.to_uppercase(), "password": PASSWORD }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user"]["display_name"], "Alice");
    assert_eq!(client.get("/api/v1/me").await.0, 200);
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn cookie_sessions_need_the_csrf_header_to_change_anything(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (mut alice, _) = api.user("Alice").await;
    let csrf = alice.csrf.take();
    let new_ledger = json!({ "name": "Holiday", "base_currency": "EUR" });

    let (status, body) = alice.post("/api/v1/ledgers", new_ledger.clone()).await;
    assert_error(status, &body, 403, "csrf_failed");
    alice.csrf = Some("forged".into());
    let (status, body) = alice.post("/api/v1/ledgers", new_ledger.clone()).await;
    assert_error(status, &body, 403, "csrf_failed");
    assert_eq!(
        alice
            .get("/api/v1/ledgers")
            .await
            .1
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    alice.csrf = csrf;
    let (status, body) = alice.post("/api/v1/ledgers", new_ledger).await;
    assert_eq!(status, 201, "{body}");
}

fn cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .cookies()
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

fn refresh_cookie(response: &reqwest::Response) -> Option<String> {
    cookie(response, "ft_refresh")
}

/// Makes every refresh token of the database look used longer ago than the servers'
/// allowance for two tabs refreshing at once.
async fn age_used_refresh_tokens(pool: &PgPool) {
    sqlx::query("UPDATE refresh_tokens SET used_at = used_at - make_interval(secs => $1)")
        .bind(f64::from(
            u32::try_from(REFRESH_REUSE_GRACE_SECONDS + 1).expect("small"),
        ))
        .execute(pool)
        .await
        .expect("age");
}

/// A request from somewhere else that presents `cookies` (and their CSRF header).
async fn replay(api: &TestApi, path: &str, cookies: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}{path}", api.base))
        .header("cookie", format!("{cookies}; ft_csrf=x"))
        .header("x-csrf-token", "x")
        .header("x-forwarded-for", "10.99.99.99")
        .send()
        .await
        .expect("send")
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn refresh_rotates_and_a_reused_refresh_token_ends_the_whole_session(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, _) = api.user("Alice").await;

    // An attacker copies the refresh cookie before the user's browser rotates it.
    let response = alice
        .request(Method::POST, "/api/v1/auth/refresh", None)
        .await;
    assert_eq!(response.status(), 200);
    let first = refresh_cookie(&response).expect("rotated refresh cookie");
    let response = alice
        .request(Method::POST, "/api/v1/auth/refresh", None)
        .await;
    assert_eq!(response.status(), 200);
    let second = refresh_cookie(&response).expect("rotated again");
    let access = cookie(&response, "ft_access").expect("access cookie");
    assert_ne!(first, second, "every refresh issues a new token");

    // Later than two tabs refreshing at once could explain, the copy comes back.
    age_used_refresh_tokens(&api.pool).await;
    let stolen = replay(&api, "/api/v1/auth/refresh", &format!("ft_refresh={first}")).await;
    assert_eq!(stolen.status(), 401, "a used refresh token is refused");

    // The whole family is revoked: the user's current token no longer refreshes either,
    // and the access token issued with it stops working at once.
    let (status, body) = alice.send(Method::POST, "/api/v1/auth/refresh", None).await;
    assert_error(status, &body, 401, "unauthenticated");
    let mut holder = alice.clone();
    holder.http = reqwest::Client::new();
    holder.bearer = Some(access);
    let (status, body) = holder.get("/api/v1/me").await;
    assert_error(status, &body, 401, "unauthenticated");
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn two_tabs_refreshing_at_once_both_stay_signed_in(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, _) = api.user("Alice").await;
    let response = alice
        .request(Method::POST, "/api/v1/auth/refresh", None)
        .await;
    let shared = refresh_cookie(&response).expect("refresh cookie");

    // Both tabs send the same refresh token at the same moment.
    let cookies = format!("ft_refresh={shared}");
    let (one, two) = tokio::join!(
        replay(&api, "/api/v1/auth/refresh", &cookies),
        replay(&api, "/api/v1/auth/refresh", &cookies),
    );
    assert_eq!(
        (one.status().as_u16(), two.status().as_u16()),
        (200, 200),
        "both tabs refresh"
    );
    let tabs = [
        refresh_cookie(&one).expect("tab one"),
        refresh_cookie(&two).expect("tab two"),
    ];
    assert_ne!(tabs[0], tabs[1]);
    // Each tab goes on refreshing with what it got, and the session is still whole.
    for token in &tabs {
        let next = replay(&api, "/api/v1/auth/refresh", &format!("ft_refresh={token}")).await;
        assert_eq!(next.status(), 200, "each tab's own token rotates");
    }
    let (status, _) = alice.get("/api/v1/me").await;
    assert_eq!(status, 200, "the session was not ended");

    // The allowance is for moments, not for a copy used later.
    age_used_refresh_tokens(&api.pool).await;
    let late = replay(&api, "/api/v1/auth/refresh", &cookies).await;
    assert_eq!(
        late.status(),
        401,
        "reuse after the allowance ends the session"
    );
    let (status, body) = alice.get("/api/v1/me").await;
    assert_error(status, &body, 401, "unauthenticated");
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn logout_ends_the_session(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, _) = api.user("Alice").await;
    // A copy of the access token, as a script or an attacker might hold it.
    let response = alice
        .request(Method::POST, "/api/v1/auth/refresh", None)
        .await;
    let access = cookie(&response, "ft_access").expect("access cookie");
    let mut copy = alice.clone();
    copy.http = reqwest::Client::new();
    copy.bearer = Some(access.clone());
    assert_eq!(copy.get("/api/v1/me").await.0, 200, "the copy works");

    let (status, body) = alice.send(Method::POST, "/api/v1/auth/logout", None).await;
    assert_eq!(status, 204, "{body}");
    let (status, body) = alice.get("/api/v1/me").await;
    assert_error(status, &body, 401, "unauthenticated");
    let (status, body) = alice.send(Method::POST, "/api/v1/auth/refresh", None).await;
    assert_error(status, &body, 401, "unauthenticated");
    // The access token outlives its cookie only until sign-out, not until it expires.
    let (status, body) = copy.get("/api/v1/me").await;
    assert_error(status, &body, 401, "unauthenticated");
    let as_cookie = reqwest::Client::new()
        .get(format!("{}/api/v1/me", api.base))
        .header("cookie", format!("ft_access={access}"))
        .send()
        .await
        .expect("send");
    assert_eq!(as_cookie.status(), 401, "as a cookie too");
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn repeated_failed_logins_for_one_account_are_rate_limited(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, _) = api.user("Alice").await;
    let mut last = (0, serde_json::Value::Null);
    for _ in 0..11 {
        // A fresh address each time: the per-account limit must hold on its own.
        last = api
            .client()
            .post(
                "/api/v1/auth/login",
                json!({ "email": alice.email, "password": "guess guess guess" }),
            )
            .await;
    }
    assert_error(last.0, &last.1, 429, "rate_limited");
    assert!(
        last.1["error"]["details"]["retry_after_seconds"]
            .as_u64()
            .is_some_and(|s| s > 0)
    );

    let response = api
        .client()
        .request(
            Method::POST,
            "/api/v1/auth/login",
            Some(json!({ "email": alice.email, "password": PASSWORD })),
        )
        .await;
    assert_eq!(
        response.status(),
        429,
        "even the right password waits out the window"
    );
    assert!(response.headers().contains_key("retry-after"));
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn personal_access_tokens_are_shown_once_work_without_csrf_and_can_be_revoked(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, _) = api.user("Alice").await;
    let (status, created) = alice
        .post(
            "/api/v1/me/tokens",
            json!({ "name": "budget script", "expires_in_days": 30 }),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let token = created["token"]
        .as_str()
        .expect("token shown once")
        .to_owned();
    assert!(token.starts_with("ftp_"));

    let (_, listed) = alice.get("/api/v1/me/tokens").await;
    assert_eq!(listed[0]["name"], "budget script");
    assert!(
        listed[0].get("token").is_none(),
        "the token is never shown again: {listed}"
    );

    let mut script = api.client();
    script.bearer = Some(token);
    assert_eq!(script.get("/api/v1/me").await.1["email"], alice.email);
    let (status, body) = script
        .post(
            "/api/v1/ledgers",
            json!({ "name": "From a script", "base_currency": "USD" }),
        )
        .await;
    assert_eq!(status, 201, "bearer requests need no CSRF token: {body}");

    let id = created["id"].as_str().expect("id");
    let (status, _) = alice
        .send(Method::DELETE, &format!("/api/v1/me/tokens/{id}"), None)
        .await;
    assert_eq!(status, 204);
    let (status, body) = script.get("/api/v1/me").await;
    assert_error(status, &body, 401, "unauthenticated");
    let (status, _) = alice
        .send(Method::DELETE, &format!("/api/v1/me/tokens/{id}"), None)
        .await;
    assert_eq!(status, 404, "revoking twice");
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn requests_without_credentials_are_401_with_security_headers(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let response = api
        .client()
        .request(Method::GET, "/api/v1/ledgers", None)
        .await;
    assert_eq!(response.status(), 401);
    for header in [
        "x-content-type-options",
        "x-frame-options",
        "content-security-policy",
        "x-request-id",
    ] {
        assert!(response.headers().contains_key(header), "{header}");
    }
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["error"]["code"], "unauthenticated");

    let mut forged = api.client();
    forged.bearer = Some("not.a.jwt".into());
    let (status, body) = forged.get("/api/v1/ledgers").await;
    assert_error(status, &body, 401, "unauthenticated");
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn preferences_are_validated_and_saved(pool: PgPool) {
    let api = TestApi::start(pool).await;
    let (alice, _) = api.user("Alice").await;
    let good = json!({
        "locale": "de-DE", "default_currency": "CHF", "first_day_of_week": 1,
        "first_day_of_month": 25, "theme": "dark"
    });
    let (status, body) = alice
        .send(Method::PUT, "/api/v1/me/preferences", Some(good.clone()))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(alice.get("/api/v1/me/preferences").await.1, good);

    let bad = json!({
        "locale": "german", "default_currency": "CHF", "first_day_of_week": 7,
        "first_day_of_month": 31, "theme": "neon"
    });
    let (status, body) = alice
        .send(Method::PUT, "/api/v1/me/preferences", Some(bad))
        .await;
    assert_error(status, &body, 422, "validation_failed");
    assert_eq!(
        body["error"]["details"]["fields"].as_array().map(Vec::len),
        Some(4)
    );
    assert_eq!(
        alice.get("/api/v1/me/preferences").await.1,
        good,
        "nothing changed"
    );
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn without_redis_access_tokens_are_refused_with_503_not_trusted(pool: PgPool) {
    // A port nothing listens on: Redis is down.
    let port = testkit::stores::closed_addr().port();
    let api = TestApi::start_with(pool, 1024 * 1024, &format!("redis://127.0.0.1:{port}")).await;
    // Signing up still works (rate limits are not enforced without Redis)...
    let alice = api.client();
    let (status, body) = alice
        .post(
            "/api/v1/auth/register",
            json!({
                "email": "alice@example.org", "password": PASSWORD, "display_name": "Alice",
                "currency": "EUR"
            }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    // ...but whether a session has ended cannot be known, so its access token is not taken.
    let (status, body) = alice.get("/api/v1/me").await;
    assert_error(status, &body, 503, "unavailable");
}
