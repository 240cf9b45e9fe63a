//! Each account's currency and its decimals, remembered by the process. Lists format every
//! amount with its account's decimals; asking the database for them in the list query
//! itself (two joins) cost more to plan and run than the page of rows. An account's currency
//! never changes after it is created and currencies' decimals are fixed reference data, so an
//! entry can never go stale; account ids are random, so one process may serve many databases
//! (the tests do) without mixing them up. The map holds one small entry per account seen.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, RwLock};

use uuid::Uuid;

/// An account's currency code and its minor units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountCurrency {
    pub code: Arc<str>,
    pub minor_units: u32,
}

/// Past this many entries the map starts afresh, so a process that sees millions of
/// accounts (it never should) cannot grow without bound.
const MAX_ENTRIES: usize = 100_000;

static KNOWN: LazyLock<RwLock<HashMap<Uuid, AccountCurrency>>> =
    LazyLock::new(|| RwLock::new(HashMap::new()));

/// The currencies of `accounts`, from memory, asking `db` (once, for all of them) only for
/// the ones not seen before. An id that is not an account is left out.
pub async fn of(
    db: &mut sqlx::PgConnection,
    accounts: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, AccountCurrency>, sqlx::Error> {
    let mut found = HashMap::new();
    let mut missing = Vec::new();
    {
        let known = KNOWN
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for id in accounts {
            if found.contains_key(&id) || missing.contains(&id) {
                continue;
            }
            match known.get(&id) {
                Some(currency) => {
                    found.insert(id, currency.clone());
                }
                None => missing.push(id),
            }
        }
    }
    if missing.is_empty() {
        return Ok(found);
    }
    let rows: Vec<(Uuid, String, i16)> = sqlx::query_as(
        "SELECT a.id, a.currency::text, c.minor_units FROM accounts a
         JOIN currencies c ON c.code = a.currency WHERE a.id = ANY($1)",
    )
    .bind(&missing)
    .fetch_all(db)
    .await?;
    let mut known = KNOWN
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if known.len() + rows.len() > MAX_ENTRIES {
        known.clear();
    }
    for (id, code, minor_units) in rows {
        let currency = AccountCurrency {
            code: Arc::from(code),
            minor_units: u32::try_from(minor_units).unwrap_or(2),
        };
        known.insert(id, currency.clone());
        found.insert(id, currency);
    }
    Ok(found)
}
