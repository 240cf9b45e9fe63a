//! Sign-up, sign-in, refresh, sign-out, the caller's profile and preferences, and personal
//! access tokens.

use std::net::SocketAddr;
use std::time::Duration;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum_extra::extract::cookie::CookieJar;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::caller::{Caller, require_csrf};
use super::password;
use super::rate_limit::{Decision, Limit};
use super::session::{self, CSRF_COOKIE, REFRESH_COOKIE, SessionTokens};
use super::tokens::{
    AccessClaims, PAT_PREFIX, RefreshDecision, random_token, refresh_decision, token_hash,
};
use crate::http::AppState;
use crate::http::client_ip::client_ip;
use crate::http::error::ApiError;
use crate::http::extract::{Json, Path};
use crate::http::validation::Validator;
use crate::money::check_currency_code;

const LOGIN_PER_IP: Limit = Limit {
    max: 30,
    window: Duration::from_mins(5),
};
const LOGIN_PER_ACCOUNT: Limit = Limit {
    max: 10,
    window: Duration::from_mins(15),
};
const REGISTER_PER_IP: Limit = Limit {
    max: 10,
    window: Duration::from_hours(1),
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(refresh))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(get_preferences, put_preferences))
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UserView {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionResponse {
    pub user: UserView,
    /// Echo this in `X-CSRF-Token` on state-changing requests (it is also in `ft_csrf`).
    pub csrf_token: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    pub email: String,
    pub password: String,
    pub display_name: String,
    /// Base currency of the personal ledger created with the account; default USD.
    pub currency: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

async fn enforce(state: &AppState, key: &str, limit: Limit) -> Result<(), ApiError> {
    match state.limiter.hit(key, limit).await {
        Decision::Allow => Ok(()),
        Decision::Deny {
            retry_after_seconds,
        } => Err(ApiError::RateLimited {
            retry_after_seconds,
        }),
    }
}

fn check_email(v: &mut Validator, email: &str) {
    let parts: Vec<&str> = email.split('@').collect();
    let well_formed = parts.len() == 2
        && !parts[0].is_empty()
        && !parts[1].is_empty()
        && !email.chars().any(char::is_whitespace);
    v.check(
        well_formed,
        "email",
        "must be an e-mail address like name@example.org",
    )
    .check(
        email.len() <= 254,
        "email",
        "must be at most 254 characters",
    );
}

/// Issues an access token and a refresh token in `family`, storing the refresh token's hash.
/// A refresh keeps the session's CSRF token (`csrf`), so open pages keep working.
async fn new_session(
    tx: &mut sqlx::PgConnection,
    state: &AppState,
    user_id: Uuid,
    family: Uuid,
    csrf: Option<String>,
) -> Result<SessionTokens, ApiError> {
    let now = Utc::now();
    let refresh = random_token("");
    let refresh_expires =
        now + chrono::Duration::from_std(state.auth.refresh_ttl).map_err(ApiError::internal)?;
    sqlx::query!(
        "INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)
         VALUES ($1, $2, $3, $4)",
        user_id,
        family,
        token_hash(&refresh),
        refresh_expires,
    )
    .execute(&mut *tx)
    .await?;
    let ttl = i64::try_from(state.auth.access_ttl.as_secs()).unwrap_or(i64::MAX);
    let access = state.auth.keys.sign(&AccessClaims {
        sub: user_id,
        sid: family,
        iat: now.timestamp(),
        exp: now.timestamp().saturating_add(ttl),
    });
    Ok(SessionTokens {
        access,
        refresh,
        csrf: csrf.unwrap_or_else(|| random_token("")),
    })
}

fn respond(
    state: &AppState,
    jar: CookieJar,
    tokens: SessionTokens,
    user: UserView,
) -> (CookieJar, Json<SessionResponse>) {
    let csrf_token = tokens.csrf.clone();
    let jar = session::set(
        jar,
        tokens,
        state.auth.access_ttl,
        state.auth.refresh_ttl,
        state.auth.secure_cookies,
    );
    (jar, Json(SessionResponse { user, csrf_token }))
}

#[utoipa::path(
    post,
    path = "/auth/register",
    tag = "auth",
    summary = "Create an account (and a personal ledger) and sign in",
    request_body = RegisterRequest,
    responses((status = 201, description = "Create an account (and a personal ledger) and sign in", body = SessionResponse)),
)]
async fn register(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    jar: CookieJar,
    Json(body): Json<RegisterRequest>,
) -> Result<(StatusCode, CookieJar, Json<SessionResponse>), ApiError> {
    let ip = client_ip(&headers, peer, state.auth.trust_forwarded_for);
    enforce(&state, &format!("register:ip:{ip}"), REGISTER_PER_IP).await?;

    let email = body.email.trim().to_owned();
    let currency = body.currency.unwrap_or_else(|| "USD".to_owned());
    let mut v = Validator::new();
    check_email(&mut v, &email);
    v.text("display_name", &body.display_name, 100);
    let length = body.password.chars().count();
    v.check(
        length >= password::MIN_LENGTH,
        "password",
        format!("must be at least {} characters", password::MIN_LENGTH),
    )
    .check(
        length <= password::MAX_LENGTH,
        "password",
        format!("must be at most {} characters", password::MAX_LENGTH),
    );
    v.result("currency", check_currency_code(&currency));
    v.finish()?;

    let hash = password::hash(body.password).await?;
    let mut tx = service_kit::stores::begin(&state.db).await?;
    crate::ledgers::require_known_currency(&mut tx, "currency", &currency).await?;
    let user = sqlx::query_as!(
        UserView,
        "INSERT INTO users (email, display_name, password_hash) VALUES ($1, $2, $3)
         RETURNING id, email, display_name, created_at",
        email,
        body.display_name.trim(),
        hash,
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "INSERT INTO user_preferences (user_id, default_currency) VALUES ($1, $2)",
        user.id,
        currency,
    )
    .execute(&mut *tx)
    .await?;
    let ledger_name = format!("{}'s ledger", user.display_name);
    let ledger_name: String = ledger_name.chars().take(100).collect();
    crate::ledgers::create(&mut tx, user.id, &ledger_name, &currency).await?;
    let tokens = new_session(&mut tx, &state, user.id, Uuid::new_v4(), None).await?;
    tx.commit().await?;
    tracing::info!(user_id = %user.id, "account created");
    let (jar, body) = respond(&state, jar, tokens, user);
    Ok((StatusCode::CREATED, jar, body))
}

#[utoipa::path(
    post,
    path = "/auth/login",
    tag = "auth",
    summary = "Sign in: sets the session cookies",
    request_body = LoginRequest,
    responses((status = 200, description = "Sign in: sets the session cookies", body = SessionResponse)),
)]
async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    jar: CookieJar,
    Json(body): Json<LoginRequest>,
) -> Result<(CookieJar, Json<SessionResponse>), ApiError> {
    let ip = client_ip(&headers, peer, state.auth.trust_forwarded_for);
    let email = body.email.trim().to_lowercase();
    let account_key = format!("login:account:{email}");
    enforce(&state, &format!("login:ip:{ip}"), LOGIN_PER_IP).await?;
    enforce(&state, &account_key, LOGIN_PER_ACCOUNT).await?;

    let row = sqlx::query!(
        "SELECT id, email, display_name, created_at, password_hash FROM users
         WHERE lower(email) = $1",
        email,
    )
    .fetch_optional(&state.db)
    .await?;
    let verified =
        password::verify(body.password, row.as_ref().map(|r| r.password_hash.clone())).await?;
    let Some(row) = row.filter(|_| verified) else {
        return Err(ApiError::Unauthenticated(
            "wrong e-mail address or password",
        ));
    };
    state.limiter.reset(&account_key).await;

    let mut tx = service_kit::stores::begin(&state.db).await?;
    let tokens = new_session(&mut tx, &state, row.id, Uuid::new_v4(), None).await?;
    tx.commit().await?;
    let user = UserView {
        id: row.id,
        email: row.email,
        display_name: row.display_name,
        created_at: row.created_at,
    };
    Ok(respond(&state, jar, tokens, user))
}

#[utoipa::path(
    post,
    path = "/auth/refresh",
    tag = "auth",
    summary = "Rotate the refresh token and issue a new access token",
    responses((status = 200, description = "Rotate the refresh token and issue a new access token", body = SessionResponse)),
)]
async fn refresh(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
) -> Result<(CookieJar, Json<SessionResponse>), ApiError> {
    let presented = jar
        .get(REFRESH_COOKIE)
        .map(|c| c.value().to_owned())
        .ok_or(ApiError::Unauthenticated("no session to refresh: sign in"))?;
    require_csrf(&headers, &jar)?;
    let csrf = jar.get(CSRF_COOKIE).map(|c| c.value().to_owned());

    let mut tx = service_kit::stores::begin(&state.db).await?;
    let token = sqlx::query!(
        "SELECT id, user_id, family_id, expires_at, used_at, revoked_at FROM refresh_tokens
         WHERE token_hash = $1 FOR UPDATE",
        token_hash(&presented),
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ApiError::Unauthenticated(
        "the session is unknown: sign in again",
    ))?;

    match refresh_decision(
        token.revoked_at.is_some(),
        token.used_at,
        token.expires_at,
        Utc::now(),
        state.auth.refresh_reuse_grace,
    ) {
        RefreshDecision::Ended => {
            return Err(ApiError::Unauthenticated(
                "the session has ended: sign in again",
            ));
        }
        RefreshDecision::Expired => {
            return Err(ApiError::Unauthenticated(
                "the session has expired: sign in again",
            ));
        }
        RefreshDecision::Reused => {
            // A rotated-out token came back: someone holds a copy. End every session of
            // this sign-in, the thief's and the user's alike, access tokens included.
            sqlx::query!(
                "UPDATE refresh_tokens SET revoked_at = now()
                 WHERE family_id = $1 AND revoked_at IS NULL",
                token.family_id,
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            state.ended_sessions.end(token.family_id).await;
            tracing::warn!(user_id = %token.user_id, family = %token.family_id, "refresh token reused: session family revoked");
            return Err(ApiError::Unauthenticated(
                "this session was ended because its refresh token was used twice: sign in again",
            ));
        }
        RefreshDecision::Rotate => {
            sqlx::query!(
                "UPDATE refresh_tokens SET used_at = now() WHERE id = $1",
                token.id
            )
            .execute(&mut *tx)
            .await?;
        }
        RefreshDecision::RotateAgain => {}
    }
    let tokens = new_session(&mut tx, &state, token.user_id, token.family_id, csrf).await?;
    let user = sqlx::query_as!(
        UserView,
        "SELECT id, email, display_name, created_at FROM users WHERE id = $1",
        token.user_id,
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(respond(&state, jar, tokens, user))
}

#[utoipa::path(
    post,
    path = "/auth/logout",
    tag = "auth",
    summary = "End the session and clear its cookies",
    responses((status = 204, description = "Done")),
)]
async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
) -> Result<(StatusCode, CookieJar), ApiError> {
    if let Some(refresh) = jar.get(REFRESH_COOKIE) {
        require_csrf(&headers, &jar)?;
        let family = sqlx::query_scalar!(
            "UPDATE refresh_tokens SET revoked_at = now()
             WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1)
               AND revoked_at IS NULL
             RETURNING family_id",
            token_hash(refresh.value()),
        )
        .fetch_all(&state.db)
        .await?;
        // The access token in the browser (and any copy of it) stops working now, not in
        // up to fifteen minutes.
        if let Some(family) = family.first() {
            state.ended_sessions.end(*family).await;
        }
    }
    let jar = session::clear(jar, state.auth.secure_cookies);
    Ok((StatusCode::NO_CONTENT, jar))
}

#[utoipa::path(
    get,
    path = "/me",
    tag = "auth",
    summary = "The signed-in user",
    responses((status = 200, description = "The signed-in user", body = UserView)),
)]
async fn me(State(state): State<AppState>, caller: Caller) -> Result<Json<UserView>, ApiError> {
    let user = sqlx::query_as!(
        UserView,
        "SELECT id, email, display_name, created_at FROM users WHERE id = $1",
        caller.user_id,
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(ApiError::Unauthenticated("the account no longer exists"))?;
    Ok(Json(user))
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Preferences {
    /// A BCP 47 tag such as `en-US` or `de-DE`.
    pub locale: String,
    pub default_currency: String,
    /// 0 = Sunday … 6 = Saturday.
    pub first_day_of_week: i16,
    /// The day budgets months start on, 1–28.
    pub first_day_of_month: i16,
    /// `system`, `light` or `dark`.
    pub theme: String,
}

#[utoipa::path(
    get,
    path = "/me/preferences",
    tag = "auth",
    summary = "Preferences",
    responses((status = 200, description = "Preferences", body = Preferences)),
)]
async fn get_preferences(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Preferences>, ApiError> {
    let prefs = sqlx::query_as!(
        Preferences,
        r#"SELECT locale, default_currency AS "default_currency!", first_day_of_week,
                  first_day_of_month, theme
           FROM user_preferences WHERE user_id = $1"#,
        caller.user_id,
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(ApiError::NotFound("preferences"))?;
    Ok(Json(prefs))
}

fn check_locale(locale: &str) -> Result<(), String> {
    let mut parts = locale.split('-');
    let language = parts.next().unwrap_or_default();
    let ok_language =
        (2..=3).contains(&language.len()) && language.bytes().all(|b| b.is_ascii_lowercase());
    let rest: Vec<&str> = parts.collect();
    let ok_rest = match rest.as_slice() {
        [] => true,
        [region] => is_region(region),
        [script, region] => is_script(script) && is_region(region),
        _ => false,
    };
    if ok_language && ok_rest {
        Ok(())
    } else {
        Err("must be a language tag such as en-US, de-DE or zh-Hant-TW".to_owned())
    }
}

fn is_region(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase())
}

fn is_script(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 4 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_lowercase)
}

#[utoipa::path(
    put,
    path = "/me/preferences",
    tag = "auth",
    summary = "Replace the preferences",
    request_body = Preferences,
    responses((status = 200, description = "Replace the preferences", body = Preferences)),
)]
async fn put_preferences(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<Preferences>,
) -> Result<Json<Preferences>, ApiError> {
    let mut v = Validator::new();
    v.result("locale", check_locale(&body.locale));
    v.result(
        "default_currency",
        check_currency_code(&body.default_currency),
    );
    v.check(
        (0..=6).contains(&body.first_day_of_week),
        "first_day_of_week",
        "must be 0 (Sunday) to 6 (Saturday)",
    )
    .check(
        (1..=28).contains(&body.first_day_of_month),
        "first_day_of_month",
        "must be 1 to 28",
    )
    .check(
        ["system", "light", "dark"].contains(&body.theme.as_str()),
        "theme",
        "must be system, light or dark",
    );
    v.finish()?;
    let mut tx = service_kit::stores::begin(&state.db).await?;
    crate::ledgers::require_known_currency(&mut tx, "default_currency", &body.default_currency)
        .await?;
    sqlx::query!(
        "UPDATE user_preferences SET locale = $2, default_currency = $3, first_day_of_week = $4,
                first_day_of_month = $5, theme = $6
         WHERE user_id = $1",
        caller.user_id,
        body.locale,
        body.default_currency,
        body.first_day_of_week,
        body.first_day_of_month,
        body.theme,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Json(body))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTokenRequest {
    pub name: String,
    /// Days until the token stops working; none means it never expires.
    pub expires_in_days: Option<u32>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TokenView {
    pub id: Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedToken {
    #[serde(flatten)]
    pub view: TokenView,
    /// The token itself. Shown this once; only a hash is kept.
    pub token: String,
}

#[utoipa::path(
    post,
    path = "/me/tokens",
    tag = "auth",
    summary = "Create a personal access token, shown once",
    request_body = CreateTokenRequest,
    responses((status = 201, description = "Create a personal access token, shown once", body = CreatedToken)),
)]
async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<CreateTokenRequest>,
) -> Result<(StatusCode, Json<CreatedToken>), ApiError> {
    let mut v = Validator::new();
    v.text("name", &body.name, 100);
    v.check(
        body.expires_in_days.is_none_or(|d| (1..=3650).contains(&d)),
        "expires_in_days",
        "must be 1 to 3650",
    );
    v.finish()?;
    let token = random_token(PAT_PREFIX);
    let expires_at = body
        .expires_in_days
        .map(|d| Utc::now() + chrono::Duration::days(i64::from(d)));
    let view = sqlx::query_as!(
        TokenView,
        "INSERT INTO personal_access_tokens (user_id, name, token_hash, expires_at)
         VALUES ($1, $2, $3, $4)
         RETURNING id, name, created_at, expires_at, last_used_at",
        caller.user_id,
        body.name.trim(),
        token_hash(&token),
        expires_at,
    )
    .fetch_one(&state.db)
    .await?;
    Ok((StatusCode::CREATED, Json(CreatedToken { view, token })))
}

#[utoipa::path(
    get,
    path = "/me/tokens",
    tag = "auth",
    summary = "Personal access tokens (never the tokens themselves)",
    responses((status = 200, description = "Personal access tokens (never the tokens themselves)", body = Vec<TokenView>)),
)]
async fn list_tokens(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<TokenView>>, ApiError> {
    let tokens = sqlx::query_as!(
        TokenView,
        "SELECT id, name, created_at, expires_at, last_used_at FROM personal_access_tokens
         WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC",
        caller.user_id,
    )
    .fetch_all(&state.db)
    .await?;
    Ok(Json(tokens))
}

#[utoipa::path(
    delete,
    path = "/me/tokens/{id}",
    tag = "auth",
    summary = "Revoke a personal access token",
    params(("id" = Uuid, Path, description = "The resource")),
    responses((status = 204, description = "Done")),
)]
async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, ApiError> {
    let revoked = sqlx::query!(
        "UPDATE personal_access_tokens SET revoked_at = now()
         WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
        id,
        caller.user_id,
    )
    .execute(&state.db)
    .await?
    .rows_affected();
    if revoked == 0 {
        return Err(ApiError::NotFound("token"));
    }
    state.ended_sessions.token_revoked(id).await;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_are_bcp47_language_region_tags() {
        for ok in ["en", "en-US", "de-DE", "zh-Hant-TW", "fil-PH"] {
            assert!(check_locale(ok).is_ok(), "{ok}");
        }
        for bad in ["", "EN-us", "english", "en_US", "en-US-x", "zh-hant-TW"] {
            assert!(check_locale(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn email_needs_one_at_and_no_spaces() {
        for (email, ok) in [
            ("a@b.c", true),
            ("ab.c", false),
            ("a@@b", false),
            ("a b@c.d", false),
            ("@b.c", false),
        ] {
            let mut v = Validator::new();
            check_email(&mut v, email);
            assert_eq!(v.finish().is_ok(), ok, "{email}");
        }
    }
}
