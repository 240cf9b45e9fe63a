//! The browser session: three cookies set at sign-in and refresh, cleared at sign-out.
//! - `ft_access`: the access JWT; httpOnly, SameSite=Lax, sent with every API request.
//! - `ft_refresh`: the refresh token; httpOnly, SameSite=Strict, sent only to `/api/v1/auth`.
//! - `ft_csrf`: readable by the page, which echoes it in `X-CSRF-Token` on every
//!   state-changing request (double submit); a forged cross-site request cannot read it.

use std::time::Duration;

use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};

pub const ACCESS_COOKIE: &str = "ft_access";
pub const REFRESH_COOKIE: &str = "ft_refresh";
pub const CSRF_COOKIE: &str = "ft_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";
const REFRESH_PATH: &str = "/api/v1/auth";

/// What a sign-in or refresh hands the browser.
#[derive(Debug)]
pub struct SessionTokens {
    pub access: String,
    pub refresh: String,
    pub csrf: String,
}

fn cookie(
    name: &'static str,
    value: String,
    path: &'static str,
    http_only: bool,
    same_site: SameSite,
    max_age: Duration,
    secure: bool,
) -> Cookie<'static> {
    Cookie::build((name, value))
        .path(path)
        .http_only(http_only)
        .same_site(same_site)
        .secure(secure)
        .max_age(time::Duration::seconds(
            i64::try_from(max_age.as_secs()).unwrap_or(i64::MAX),
        ))
        .build()
}

pub fn set(
    jar: CookieJar,
    tokens: SessionTokens,
    access_ttl: Duration,
    refresh_ttl: Duration,
    secure: bool,
) -> CookieJar {
    jar.add(cookie(
        ACCESS_COOKIE,
        tokens.access,
        "/",
        true,
        SameSite::Lax,
        access_ttl,
        secure,
    ))
    .add(cookie(
        REFRESH_COOKIE,
        tokens.refresh,
        REFRESH_PATH,
        true,
        SameSite::Strict,
        refresh_ttl,
        secure,
    ))
    .add(cookie(
        CSRF_COOKIE,
        tokens.csrf,
        "/",
        false,
        SameSite::Strict,
        refresh_ttl,
        secure,
    ))
}

pub fn clear(jar: CookieJar, secure: bool) -> CookieJar {
    [
        (ACCESS_COOKIE, "/", true, SameSite::Lax),
        (REFRESH_COOKIE, REFRESH_PATH, true, SameSite::Strict),
        (CSRF_COOKIE, "/", false, SameSite::Strict),
    ]
    .into_iter()
    .fold(jar, |jar, (name, path, http_only, same_site)| {
        jar.add(cookie(
            name,
            String::new(),
            path,
            http_only,
            same_site,
            Duration::ZERO,
            secure,
        ))
    })
}
