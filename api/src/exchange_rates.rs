//! Exchange rates of a ledger: what one unit of a currency was worth in the ledger's base
//! currency on a day. Entered one at a time or uploaded as CSV (`date,currency,rate`).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::auth::caller::Caller;
use crate::dates::parse_date;
use crate::events::catalogue::ExchangeRatesChanged;
use crate::events::{self, Event};
use crate::http::AppState;
use crate::http::error::{ApiError, FieldError};
use crate::http::extract::{Json, Path, Query};
use crate::http::validation::Validator;
use crate::ledgers::{Role, access};
use crate::money::check_currency_code;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, put))
        .routes(routes!(import))
        .routes(routes!(remove))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rate {
    pub currency: String,
    pub date: NaiveDate,
    /// Units of the ledger's base currency for one unit of `currency`, as a string.
    #[serde(with = "rust_decimal::serde::str")]
    #[schema(value_type = String)]
    pub rate: Decimal,
}

/// Pure: a rate from its three text fields.
pub fn parse_rate(currency: &str, date: &str, rate: &str) -> Result<Rate, Vec<FieldError>> {
    let mut v = Validator::new();
    v.result("currency", check_currency_code(currency));
    let date = v.result("date", parse_date(date));
    let digits_ok = !rate.is_empty() && rate.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    let rate = v.result(
        "rate",
        rate.parse::<Decimal>()
            .ok()
            .filter(|r| digits_ok && *r > Decimal::ZERO && r.normalize().scale() <= 10)
            .ok_or_else(|| {
                "must be a positive decimal with at most 10 decimals, such as \"1.0842\"".to_owned()
            }),
    );
    match (v.finish(), date, rate) {
        (Ok(()), Some(date), Some(rate)) => Ok(Rate {
            currency: currency.to_owned(),
            date,
            rate: rate.normalize(),
        }),
        (Err(ApiError::Validation(fields)), _, _) => Err(fields),
        _ => unreachable!("a finished validator either passes or lists fields"),
    }
}

/// Pure: every rate in a CSV with the header `date,currency,rate`, or every bad line.
pub fn parse_csv(text: &str) -> Result<Vec<Rate>, Vec<FieldError>> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let header = lines
        .next()
        .map(|(_, h)| h.trim().to_ascii_lowercase().replace(' ', ""));
    if header.as_deref() != Some("date,currency,rate") {
        return Err(vec![FieldError {
            field: "line 1".to_owned(),
            message: "the first line must be the header date,currency,rate".to_owned(),
        }]);
    }
    let mut rates = Vec::new();
    let mut errors = Vec::new();
    for (index, line) in lines {
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let parsed = match fields.as_slice() {
            [date, currency, rate] => parse_rate(currency, date, rate),
            _ => Err(vec![FieldError {
                field: String::new(),
                message: "needs three fields: date,currency,rate".to_owned(),
            }]),
        };
        match parsed {
            Ok(rate) => rates.push(rate),
            Err(problems) => errors.extend(problems.into_iter().map(|p| FieldError {
                field: format!("line {}", index + 1),
                message: if p.field.is_empty() {
                    p.message
                } else {
                    format!("{}: {}", p.field, p.message)
                },
            })),
        }
    }
    if errors.is_empty() {
        Ok(rates)
    } else {
        Err(errors)
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    pub currency: Option<String>,
}

#[utoipa::path(
    get,
    path = "/ledgers/{ledger_id}/exchange-rates",
    tag = "exchange-rates",
    summary = "Exchange rates, newest first per currency",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), ListQuery),
    responses((status = 200, description = "Exchange rates, newest first per currency", body = Vec<Rate>)),
)]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(ledger_id): Path<Uuid>,
    Query(query): Query<ListQuery>,
) -> Result<Json<Vec<Rate>>, ApiError> {
    access(&state.db, &caller, ledger_id, Role::Viewer).await?;
    let rates = sqlx::query_as!(
        Rate,
        r#"SELECT currency AS "currency!", day AS date, rate FROM exchange_rates
           WHERE ledger_id = $1 AND ($2::text IS NULL OR currency = $2)
           ORDER BY currency, day DESC"#,
        ledger_id,
        query.currency,
    )
    .fetch_all(&state.db)
    .await?;
    Ok(Json(rates))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PutRate {
    pub currency: String,
    pub date: String,
    pub rate: String,
}

async fn store(
    tx: &mut sqlx::PgConnection,
    ledger_id: Uuid,
    rates: &[Rate],
) -> Result<(), ApiError> {
    let base = sqlx::query_scalar!(
        r#"SELECT base_currency AS "base!" FROM ledgers WHERE id = $1"#,
        ledger_id
    )
    .fetch_one(&mut *tx)
    .await?;
    if rates.iter().any(|r| r.currency == base) {
        return Err(ApiError::field(
            "currency",
            format!("{base} is the ledger's base currency: its rate is always 1"),
        ));
    }
    let currencies: Vec<String> = rates.iter().map(|r| r.currency.clone()).collect();
    let known = sqlx::query_scalar!(
        r#"SELECT count(DISTINCT code) AS "n!" FROM currencies WHERE code = ANY($1)"#,
        &currencies,
    )
    .fetch_one(&mut *tx)
    .await?;
    let distinct: std::collections::HashSet<&String> = currencies.iter().collect();
    if usize::try_from(known).ok() != Some(distinct.len()) {
        return Err(ApiError::field(
            "currency",
            "contains a currency we do not know",
        ));
    }
    let days: Vec<NaiveDate> = rates.iter().map(|r| r.date).collect();
    let values: Vec<Decimal> = rates.iter().map(|r| r.rate).collect();
    sqlx::query!(
        "INSERT INTO exchange_rates (ledger_id, currency, day, rate)
         SELECT $1, c, d, r FROM unnest($2::text[], $3::date[], $4::numeric[]) AS x(c, d, r)
         ON CONFLICT (ledger_id, currency, day) DO UPDATE SET rate = EXCLUDED.rate",
        ledger_id,
        &currencies,
        &days,
        &values,
    )
    .execute(&mut *tx)
    .await?;
    let mut changed: Vec<String> = distinct.into_iter().cloned().collect();
    changed.sort();
    let event = Event::ExchangeRateChanged(ExchangeRatesChanged {
        currencies: changed,
    });
    events::record(tx, ledger_id, &event).await?;
    Ok(())
}

/// Adds or replaces one rate.
#[utoipa::path(
    put,
    path = "/ledgers/{ledger_id}/exchange-rates",
    tag = "exchange-rates",
    summary = "Add or replace one rate",
    params(("ledger_id" = Uuid, Path, description = "The ledger")),
    request_body = PutRate,
    responses((status = 200, description = "Add or replace one rate", body = Rate)),
)]
async fn put(
    State(state): State<AppState>,
    caller: Caller,
    Path(ledger_id): Path<Uuid>,
    Json(body): Json<PutRate>,
) -> Result<Json<Rate>, ApiError> {
    access(&state.db, &caller, ledger_id, Role::Editor).await?;
    let rate = parse_rate(&body.currency, &body.date, &body.rate).map_err(ApiError::Validation)?;
    let mut tx = service_kit::stores::begin(&state.db).await?;
    store(&mut tx, ledger_id, std::slice::from_ref(&rate)).await?;
    tx.commit().await?;
    Ok(Json(rate))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Imported {
    pub imported: usize,
}

/// A `text/csv` body with the header `date,currency,rate`. All lines or none.
#[utoipa::path(
    post,
    path = "/ledgers/{ledger_id}/exchange-rates/import",
    tag = "exchange-rates",
    summary = "Import rates from CSV (date,currency,rate), all or nothing",
    params(("ledger_id" = Uuid, Path, description = "The ledger")),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, description = "Import rates from CSV (date,currency,rate), all or nothing", body = Imported)),
)]
async fn import(
    State(state): State<AppState>,
    caller: Caller,
    Path(ledger_id): Path<Uuid>,
    headers: HeaderMap,
    body: String,
) -> Result<Json<Imported>, ApiError> {
    access(&state.db, &caller, ledger_id, Role::Editor).await?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !content_type.starts_with("text/csv") {
        return Err(ApiError::BadRequest(
            "send the rates as text/csv".to_owned(),
        ));
    }
    let rates = parse_csv(&body).map_err(ApiError::Validation)?;
    let mut tx = service_kit::stores::begin(&state.db).await?;
    store(&mut tx, ledger_id, &rates).await?;
    tx.commit().await?;
    Ok(Json(Imported {
        imported: rates.len(),
    }))
}

#[utoipa::path(
    delete,
    path = "/ledgers/{ledger_id}/exchange-rates/{currency}/{date}",
    tag = "exchange-rates",
    summary = "Delete a rate",
    params(("ledger_id" = Uuid, Path, description = "The ledger"), ("currency" = String, Path, description = "ISO 4217 code"), ("date" = String, Path, description = "YYYY-MM-DD")),
    responses((status = 204, description = "Done")),
)]
async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path((ledger_id, currency, date)): Path<(Uuid, String, String)>,
) -> Result<StatusCode, ApiError> {
    access(&state.db, &caller, ledger_id, Role::Editor).await?;
    let day = parse_date(&date).map_err(|m| ApiError::BadRequest(format!("date {m}")))?;
    let mut tx = service_kit::stores::begin(&state.db).await?;
    let removed = sqlx::query!(
        "DELETE FROM exchange_rates WHERE ledger_id = $1 AND currency = $2 AND day = $3",
        ledger_id,
        currency,
        day,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if removed == 0 {
        return Err(ApiError::NotFound("exchange rate"));
    }
    let event = Event::ExchangeRateChanged(ExchangeRatesChanged {
        currencies: vec![currency],
    });
    events::record(&mut tx, ledger_id, &event).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_of_rates_parses_or_names_every_bad_line() {
        let rates =
            parse_csv("date,currency,rate\n2026-11-01,USD,0.9231\n\n2026-11-02, GBP ,1.15\n")
                .expect("valid");
        assert_eq!(rates.len(), 2);
        assert_eq!(rates[1].currency, "GBP");
        assert_eq!(rates[0].rate.to_string(), "0.9231");

        let errors =
            parse_csv("date,currency,rate\n2026-11-01,usd,0.9\n2026-11-01,USD,-1\nnonsense\n")
                .expect_err("three bad lines");
        let lines: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(lines, ["line 2", "line 3", "line 4"]);
        assert!(parse_csv("when,what,how\n").is_err());
    }

    #[test]
    fn rates_are_positive_plain_decimals() {
        assert!(parse_rate("USD", "2026-11-01", "1.0842").is_ok());
        for bad in ["0", "-1", "1e3", "abc", "", "1.12345678901"] {
            assert!(parse_rate("USD", "2026-11-01", bad).is_err(), "{bad}");
        }
    }
}
