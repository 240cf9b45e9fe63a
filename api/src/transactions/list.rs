//! Reading transactions: the filters a list accepts, keyset pagination that stays stable
//! while rows are added (the cursor names the last row seen, not an offset), and the one
//! query every read goes through.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

use super::account_currencies::{self, AccountCurrency};
use super::{CategorySource, SplitView, Status, TransactionView};
use crate::dates::parse_date;
use crate::http::error::ApiError;
use crate::http::validation::Validator;
use crate::money;

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 500;

/// The query string of `GET .../transactions`. Lists are comma-separated.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// First date included, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Last date included.
    pub to: Option<String>,
    pub account_ids: Option<String>,
    /// Matches the category or any split part's category.
    pub category_ids: Option<String>,
    /// Matches transactions with any of these tags.
    pub tags: Option<String>,
    /// Signed bounds: `max_amount=-100` finds spending of 100 or more.
    pub min_amount: Option<String>,
    pub max_amount: Option<String>,
    /// Text to find in payee or description, ignoring case.
    pub q: Option<String>,
    /// Only transactions with no category, no splits and not a transfer.
    #[serde(default)]
    pub uncategorized: bool,
    /// Only the rows this import added.
    pub import_id: Option<Uuid>,
    /// `-date` (default, newest first), `date`, `-amount`, `amount`.
    pub sort: Option<String>,
    /// Page size, 1 to 500, default 50.
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sort {
    #[serde(rename = "-date")]
    DateDesc,
    #[serde(rename = "date")]
    DateAsc,
    #[serde(rename = "-amount")]
    AmountDesc,
    #[serde(rename = "amount")]
    AmountAsc,
}

/// The sort key and id of the last row of a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    #[serde(rename = "s")]
    pub sort: Sort,
    #[serde(rename = "k")]
    pub key: String,
    #[serde(rename = "i")]
    pub id: Uuid,
}

impl Cursor {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).expect("a cursor serialises"))
    }

    pub fn decode(raw: &str) -> Option<Self> {
        let bytes = URL_SAFE_NO_PAD.decode(raw).ok()?;
        serde_json::from_slice(&bytes).ok()
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// Only if this user is a member of the ledger: lets a list check access in the same
    /// query (an empty page then needs a second look to tell "none" from "not yours").
    pub member: Option<Uuid>,
    pub ids: Option<Vec<Uuid>>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub account_ids: Vec<Uuid>,
    pub category_ids: Vec<Uuid>,
    pub tags: Vec<String>,
    pub min_amount: Option<Decimal>,
    pub max_amount: Option<Decimal>,
    pub text: Option<String>,
    pub uncategorized: bool,
    pub import_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub sort: Sort,
    pub limit: u32,
    pub after: Option<Cursor>,
}

fn ids(v: &mut Validator, field: &str, raw: Option<&str>) -> Vec<Uuid> {
    raw.into_iter()
        .flat_map(|r| r.split(','))
        .filter(|s| !s.trim().is_empty())
        .filter_map(|s| {
            v.result(
                field,
                s.trim()
                    .parse::<Uuid>()
                    .map_err(|_| format!("{s:?} is not an id")),
            )
        })
        .collect()
}

fn bound(v: &mut Validator, field: &str, raw: Option<&str>) -> Option<Decimal> {
    raw.and_then(|r| {
        v.result(
            field,
            crate::money::parse_amount(r, 4).map_err(|e| format!("{r:?} {e}")),
        )
    })
}

/// Pure: the query string as a filter and a page, or every problem with it (400).
pub fn parse(query: &ListQuery) -> Result<(Filter, Page), ApiError> {
    let mut v = Validator::new();
    let from = query
        .from
        .as_deref()
        .and_then(|d| v.result("from", parse_date(d)));
    let to = query
        .to
        .as_deref()
        .and_then(|d| v.result("to", parse_date(d)));
    let sort = match query.sort.as_deref().unwrap_or("-date") {
        "-date" => Sort::DateDesc,
        "date" => Sort::DateAsc,
        "-amount" => Sort::AmountDesc,
        "amount" => Sort::AmountAsc,
        _ => {
            v.check(false, "sort", "must be one of -date, date, -amount, amount");
            Sort::DateDesc
        }
    };
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    v.check(
        (1..=MAX_LIMIT).contains(&limit),
        "limit",
        format!("must be 1 to {MAX_LIMIT}"),
    );
    let after = query.cursor.as_deref().and_then(|raw| {
        let cursor = Cursor::decode(raw);
        v.check(
            cursor.is_some(),
            "cursor",
            "is not a cursor this API issued",
        );
        let cursor = cursor?;
        v.check(
            cursor.sort == sort,
            "cursor",
            "belongs to a list with another sort order",
        );
        Some(cursor)
    });
    let text = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    v.check(
        text.is_none_or(|q| q.chars().count() <= 200),
        "q",
        "must be at most 200 characters",
    );
    let filter = Filter {
        member: None,
        ids: None,
        from,
        to,
        account_ids: ids(&mut v, "account_ids", query.account_ids.as_deref()),
        category_ids: ids(&mut v, "category_ids", query.category_ids.as_deref()),
        tags: query
            .tags
            .as_deref()
            .map(|t| {
                t.split(',')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
        min_amount: bound(&mut v, "min_amount", query.min_amount.as_deref()),
        max_amount: bound(&mut v, "max_amount", query.max_amount.as_deref()),
        text: text.map(str::to_owned),
        uncategorized: query.uncategorized,
        import_id: query.import_id,
    };
    v.finish().map_err(|e| match e {
        ApiError::Validation(fields) => ApiError::BadRequest(
            fields
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        other => other,
    })?;
    Ok((filter, Page { sort, limit, after }))
}

/// `%` and `_` are wildcards in LIKE: a search for "50%" must find "50%" literally.
fn like_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

#[derive(Debug, sqlx::FromRow)]
struct Row {
    id: Uuid,
    account_id: Uuid,
    booked_on: NaiveDate,
    /// As stored (four decimals): shown with the currency's decimals, and the exact key
    /// for amount cursors.
    amount: Decimal,
    payee: String,
    description: String,
    notes: String,
    status: Status,
    category_id: Option<Uuid>,
    category_source: Option<CategorySource>,
    ml_model_version: Option<String>,
    ml_confidence: Option<f32>,
    ml_suggestions: sqlx::types::Json<Vec<super::MlSuggestion>>,
    transfer_id: Option<Uuid>,
    import_id: Option<String>,
    tags: Vec<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    splits: sqlx::types::Json<Vec<StoredSplit>>,
}

/// A split part as stored: the amount with four decimals.
#[derive(Debug, Deserialize)]
struct StoredSplit {
    category_id: Uuid,
    amount: Decimal,
    memo: String,
}

impl Row {
    fn into_view(self, currency: &AccountCurrency) -> TransactionView {
        let units = currency.minor_units;
        TransactionView {
            id: self.id,
            account_id: self.account_id,
            date: self.booked_on,
            amount: money::format(self.amount, units),
            currency: currency.code.to_string(),
            payee: self.payee,
            description: self.description,
            notes: self.notes,
            status: self.status,
            category_id: self.category_id,
            category_source: self.category_source,
            ml_model_version: self.ml_model_version,
            ml_confidence: self.ml_confidence,
            ml_suggestions: self.ml_suggestions.0,
            transfer_id: self.transfer_id,
            import_id: self.import_id,
            tags: self.tags,
            splits: self
                .splits
                .0
                .into_iter()
                .map(|s| SplitView {
                    category_id: s.category_id,
                    amount: money::format(s.amount, units),
                    memo: s.memo,
                })
                .collect(),
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// `WHERE` conditions for `filter` (after `t.ledger_id = ...`); `ledger_id` is that ledger.
pub fn push_filter(q: &mut QueryBuilder<'_, Postgres>, ledger_id: Uuid, filter: &Filter) {
    if let Some(user) = filter.member {
        // Not correlated with `t`: Postgres checks it once, and it costs no join to plan.
        q.push(" AND EXISTS (SELECT 1 FROM ledger_members m WHERE m.ledger_id = ")
            .push_bind(ledger_id)
            .push(" AND m.user_id = ")
            .push_bind(user)
            .push(")");
    }
    if let Some(ids) = &filter.ids {
        q.push(" AND t.id = ANY(").push_bind(ids.clone()).push(")");
    }
    if let Some(from) = filter.from {
        q.push(" AND t.booked_on >= ").push_bind(from);
    }
    if let Some(to) = filter.to {
        q.push(" AND t.booked_on <= ").push_bind(to);
    }
    // One account (the common case) as `=`, so the account's date index yields rows
    // already in page order; `= ANY` over several cannot.
    match filter.account_ids.as_slice() {
        [] => {}
        [one] => {
            q.push(" AND t.account_id = ").push_bind(*one);
        }
        many => {
            q.push(" AND t.account_id = ANY(")
                .push_bind(many.to_vec())
                .push(")");
        }
    }
    if !filter.category_ids.is_empty() {
        q.push(" AND (t.category_id = ANY(")
            .push_bind(filter.category_ids.clone())
            .push(
                ") OR EXISTS (SELECT 1 FROM transaction_splits s
                   WHERE s.transaction_id = t.id AND s.category_id = ANY(",
            )
            .push_bind(filter.category_ids.clone())
            .push(")))");
    }
    if !filter.tags.is_empty() {
        // Said twice so the planner can use the tag index, which leaves untagged rows out.
        q.push(" AND t.tags <> '{}' AND t.tags && ")
            .push_bind(filter.tags.clone());
    }
    if let Some(import) = filter.import_id {
        q.push(" AND t.import_job_id = ").push_bind(import);
    }
    if let Some(min) = filter.min_amount {
        q.push(" AND t.amount >= ").push_bind(min);
    }
    if let Some(max) = filter.max_amount {
        q.push(" AND t.amount <= ").push_bind(max);
    }
    // `search_text` is the payee and description in lower case, kept by Postgres and
    // indexed by trigrams: a LIKE on it is an ILIKE without lower-casing every row read.
    if let Some(text) = &filter.text {
        q.push(" AND t.search_text LIKE lower(")
            .push_bind(like_pattern(text))
            .push(")");
    }
    if filter.uncategorized {
        q.push(
            " AND t.category_id IS NULL AND t.transfer_id IS NULL
              AND NOT EXISTS (SELECT 1 FROM transaction_splits s WHERE s.transaction_id = t.id)",
        );
    }
}

/// The keyset condition, order and limit (one row more than the page, to know if another
/// page follows).
fn push_page(q: &mut QueryBuilder<'_, Postgres>, page: &Page) -> Result<(), ApiError> {
    let (column, descending) = match page.sort {
        Sort::DateDesc => ("t.booked_on", true),
        Sort::DateAsc => ("t.booked_on", false),
        Sort::AmountDesc => ("t.amount", true),
        Sort::AmountAsc => ("t.amount", false),
    };
    if let Some(after) = &page.after {
        let damaged = || ApiError::BadRequest("cursor: is damaged".to_owned());
        q.push(format!(
            " AND ({column}, t.id) {} (",
            if descending { "<" } else { ">" }
        ));
        match page.sort {
            Sort::DateDesc | Sort::DateAsc => {
                q.push_bind(
                    NaiveDate::parse_from_str(&after.key, "%Y-%m-%d").map_err(|_| damaged())?,
                );
            }
            Sort::AmountDesc | Sort::AmountAsc => {
                q.push_bind(after.key.parse::<Decimal>().map_err(|_| damaged())?);
            }
        }
        q.push(", ").push_bind(after.id).push(")");
    }
    let direction = if descending { "DESC" } else { "ASC" };
    // The limit is written into the SQL, not bound: with a bound LIMIT, Postgres's generic
    // plan assumes a large result and sorts the whole ledger, so it re-plans every call.
    // `limit` is a checked integer (1 to 500), so this cannot inject anything.
    q.push(format!(
        " ORDER BY {column} {direction}, t.id {direction} LIMIT {}",
        page.limit + 1
    ));
    Ok(())
}

/// The ledger's transactions matching `filter`, one page in `page` order, with their
/// splits (in the same query), and the cursor of the next page if there is one.
pub async fn fetch(
    db: &mut sqlx::PgConnection,
    ledger_id: Uuid,
    filter: &Filter,
    page: &Page,
) -> Result<(Vec<TransactionView>, Option<String>), ApiError> {
    let mut q = QueryBuilder::<Postgres>::new(
        "SELECT t.id, t.account_id, t.booked_on, t.amount, t.payee,
                t.description, t.notes, t.status, t.category_id, t.category_source,
                t.ml_model_version, t.ml_confidence,
                COALESCE(t.ml_suggestions -> 'suggestions', '[]'::jsonb) AS ml_suggestions,
                t.transfer_id, t.import_id, t.tags,
                t.created_at, t.updated_at,
                CASE WHEN t.has_splits THEN
                    (SELECT json_agg(json_build_object(
                         'category_id', s.category_id, 'amount', s.amount::text, 'memo', s.memo)
                         ORDER BY s.position)
                     FROM transaction_splits s WHERE s.transaction_id = t.id)
                ELSE '[]'::json END AS splits
         FROM transactions t
         WHERE t.ledger_id = ",
    );
    q.push_bind(ledger_id);
    push_filter(&mut q, ledger_id, filter);
    push_page(&mut q, page)?;

    let mut rows: Vec<Row> = q.build_query_as().fetch_all(&mut *db).await?;
    let next = if rows.len() > page.limit as usize {
        rows.truncate(page.limit as usize);
        rows.last().map(|last| {
            Cursor {
                sort: page.sort,
                key: match page.sort {
                    Sort::DateDesc | Sort::DateAsc => last.booked_on.to_string(),
                    Sort::AmountDesc | Sort::AmountAsc => last.amount.to_string(),
                },
                id: last.id,
            }
            .encode()
        })
    } else {
        None
    };
    let currencies = account_currencies::of(db, rows.iter().map(|r| r.account_id)).await?;
    let views = rows
        .into_iter()
        .map(|row| {
            let currency = currencies
                .get(&row.account_id)
                .ok_or_else(|| ApiError::internal("a transaction's account has no currency"))?;
            Ok(row.into_view(currency))
        })
        .collect::<Result<_, ApiError>>()?;
    Ok((views, next))
}

/// One transaction of the ledger by id.
pub async fn fetch_one(
    db: &mut sqlx::PgConnection,
    ledger_id: Uuid,
    id: Uuid,
) -> Result<TransactionView, ApiError> {
    fetch_many(db, ledger_id, vec![id])
        .await?
        .pop()
        .ok_or(ApiError::NotFound("transaction"))
}

/// Transactions of the ledger by id, in date order.
pub async fn fetch_many(
    db: &mut sqlx::PgConnection,
    ledger_id: Uuid,
    ids: Vec<Uuid>,
) -> Result<Vec<TransactionView>, ApiError> {
    let filter = Filter {
        ids: Some(ids),
        ..Filter::default()
    };
    let page = Page {
        sort: Sort::DateAsc,
        limit: MAX_LIMIT,
        after: None,
    };
    Ok(fetch(db, ledger_id, &filter, &page).await?.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_newest_first_fifty_per_page() {
        let (filter, page) = parse(&ListQuery::default()).expect("valid");
        assert_eq!(filter, Filter::default());
        assert_eq!(
            (page.sort, page.limit, page.after),
            (Sort::DateDesc, 50, None)
        );
    }

    #[test]
    fn every_bad_parameter_is_reported_at_once() {
        let query = ListQuery {
            from: Some("yesterday".into()),
            account_ids: Some("not-a-uuid".into()),
            sort: Some("payee".into()),
            limit: Some(0),
            min_amount: Some("1,5".into()),
            cursor: Some("garbage".into()),
            ..ListQuery::default()
        };
        let Err(ApiError::BadRequest(message)) = parse(&query) else {
            panic!("expected a 400");
        };
        for field in [
            "from",
            "account_ids",
            "sort",
            "limit",
            "min_amount",
            "cursor",
        ] {
            assert!(message.contains(field), "{field} in {message}");
        }
    }

    #[test]
    fn a_cursor_round_trips_and_is_tied_to_its_sort() {
        let cursor = Cursor {
            sort: Sort::AmountAsc,
            key: "-12.5".into(),
            id: Uuid::new_v4(),
        };
        assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor.clone()));
        let query = ListQuery {
            cursor: Some(cursor.encode()),
            ..ListQuery::default()
        };
        assert!(
            parse(&query).is_err(),
            "an amount cursor on a date-sorted list"
        );
    }

    #[test]
    fn like_wildcards_in_search_text_are_literal() {
        assert_eq!(like_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }
}
