//! Imports of bank files: upload → preview (the file read with the detected or saved
//! mapping, duplicates marked, errors per row) → commit in the background (see [`job`]) →
//! undo if wanted. The reading itself is the `bank-formats` crate; [`plan`] decides what
//! gets written; this module holds the shared shapes and the preparation both the routes
//! and the job go through.

// One hasher throughout: generic hasher parameters would only add noise.
#![allow(clippy::implicit_hasher)]

pub mod job;
pub mod plan;
pub mod preview_cli;
pub mod routes;

use std::collections::{HashMap, HashSet};

use bank_formats::{CsvMapping, Format, Options, ParsedFile, Rejected};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::categories::CategoryKind;
use crate::events::catalogue::{CategoryChanged, CategoryGroupChanged};
use crate::events::{self, Event};
use crate::http::error::ApiError;
use plan::{CategoryNames, Plan, Target};

/// Rows shown in a preview.
pub const SAMPLE_ROWS: usize = 20;
/// Row errors kept with an import (the count is always complete).
pub const KEPT_ERRORS: usize = 200;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type, utoipa::ToSchema,
)]
#[sqlx(type_name = "import_status", rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum ImportStatus {
    /// Read and previewed; nothing written yet.
    Previewed,
    /// Committed by the user, waiting for the job worker.
    Queued,
    /// Being written, chunk by chunk.
    Running,
    Completed,
    Failed,
    /// Undone: the rows it added are gone.
    Reverted,
}

/// An account as the file names it, with what the import does with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SourceAccountView {
    /// The file's id for the account (OFX `ACCTID`, QIF account name; empty for CSV).
    pub id: String,
    pub kind: Option<String>,
    pub currency: Option<String>,
    /// Transactions of this account in the file.
    pub rows: usize,
    /// The ledger account its rows go to; null when not mapped (its rows are skipped).
    pub account_id: Option<Uuid>,
}

/// A previewed row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SampleRow {
    pub line: usize,
    pub account_id: Uuid,
    pub date: NaiveDate,
    pub amount: String,
    pub payee: String,
    pub description: String,
    pub import_id: String,
    /// The ledger category the file's category names; null when it names none of ours.
    pub category_id: Option<Uuid>,
    /// Already in the account (or earlier in this file): the commit skips it.
    pub duplicate: bool,
    /// The parts of a split transaction; empty when it is not split (or when its parts wait
    /// for categories the commit creates).
    #[serde(default)]
    pub splits: Vec<SampleSplit>,
}

/// A part of a previewed split transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SampleSplit {
    pub category_id: Uuid,
    pub amount: String,
    pub memo: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RowErrorView {
    pub line: usize,
    pub message: String,
}

/// What the user sees before committing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Preview {
    /// The text encoding the file was read as.
    pub encoding: String,
    /// CSV header cells, when the file has a header row.
    pub columns: Vec<String>,
    pub source_accounts: Vec<SourceAccountView>,
    /// The first rows as they will be written.
    pub sample: Vec<SampleRow>,
    /// Rows that cannot be imported, with their line (the first 200).
    pub errors: Vec<RowErrorView>,
    /// Things to know that are not row errors (skipped sections, footers, unmapped accounts).
    pub notes: Vec<String>,
    /// Categories the file names that the ledger lacks, as `Group › Category`: the commit
    /// creates them.
    #[serde(default)]
    pub new_categories: Vec<String>,
}

/// An import as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportView {
    pub id: Uuid,
    pub ledger_id: Uuid,
    /// The account the rows go to (for a file with one account).
    pub account_id: Uuid,
    pub status: ImportStatus,
    pub file_name: String,
    /// `csv`, `ofx1`, `ofx2` or `qif`.
    pub format: String,
    /// The CSV column mapping in use; edit it with `PUT .../mapping`.
    pub mapping: Option<CsvMapping>,
    /// The saved mapping that was applied automatically, if any.
    pub preset_name: Option<String>,
    /// Rows the file holds that can be imported (new and duplicate).
    pub total_rows: i32,
    pub new_rows: i32,
    pub duplicate_rows: i32,
    pub error_rows: i32,
    /// Progress of the commit: rows of `total_rows` done.
    pub committed_rows: i32,
    /// Rows the commit added (the rest were duplicates).
    pub inserted_rows: i32,
    pub preview: Preview,
    /// Why the import failed, when it did.
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
}

/// A file read and planned against the ledger's accounts.
#[derive(Debug)]
pub struct Prepared {
    pub parsed: ParsedFile,
    pub plan: Plan,
    /// Per planned row: already imported.
    pub duplicates: Vec<bool>,
    pub preview: Preview,
}

/// Reads the file off the async threads (a 50 MB file takes a moment).
pub async fn read_file(
    bytes: axum::body::Bytes,
    format: Option<Format>,
    mapping: Option<CsvMapping>,
) -> Result<ParsedFile, ApiError> {
    let options = Options {
        csv_mapping: mapping,
    };
    tokio::task::spawn_blocking(move || bank_formats::read_as(&bytes, format, &options))
        .await
        .map_err(ApiError::internal)?
        .map_err(|reason| rejected(&reason))
}

/// A file that cannot be read is a 422 on the `file` field, with the reader's reason.
pub fn rejected(reason: &Rejected) -> ApiError {
    ApiError::field("file", reason.to_string())
}

/// The source accounts' targets from `account_map` (source id → our account), with each
/// account's currency decimals; a mapped account that is not in the ledger is a 422.
pub async fn targets(
    db: &mut sqlx::PgConnection,
    ledger_id: Uuid,
    parsed: &ParsedFile,
    account_map: &HashMap<String, Uuid>,
) -> Result<HashMap<usize, Target>, ApiError> {
    let ids: Vec<Uuid> = account_map.values().copied().collect();
    let units: HashMap<Uuid, i16> = sqlx::query_as::<_, (Uuid, i16)>(
        "SELECT a.id, c.minor_units FROM accounts a JOIN currencies c ON c.code = a.currency
         WHERE a.ledger_id = $1 AND a.id = ANY($2)",
    )
    .bind(ledger_id)
    .bind(&ids)
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .collect();
    let mut targets = HashMap::new();
    for (index, source) in parsed.accounts.iter().enumerate() {
        if let Some(account_id) = account_map.get(&source.id) {
            let minor_units = units.get(account_id).ok_or_else(|| {
                ApiError::field(
                    "accounts",
                    format!("{account_id} is not an account of this ledger"),
                )
            })?;
            targets.insert(
                index,
                Target {
                    account_id: *account_id,
                    minor_units: u32::try_from(*minor_units).unwrap_or(2),
                },
            );
        }
    }
    Ok(targets)
}

/// The ledger's active categories by name, for the categories a file names.
pub async fn category_names(
    db: &mut sqlx::PgConnection,
    ledger_id: Uuid,
) -> Result<CategoryNames, sqlx::Error> {
    let rows: Vec<(Uuid, String, String)> = sqlx::query_as(
        "SELECT c.id, g.name, c.name FROM categories c JOIN category_groups g ON g.id = c.group_id
         WHERE c.ledger_id = $1 AND c.archived_at IS NULL AND g.archived_at IS NULL",
    )
    .bind(ledger_id)
    .fetch_all(db)
    .await?;
    Ok(CategoryNames::new(rows))
}

/// Creates the categories a file names that the ledger lacks, and the groups they need, in
/// one transaction. One that exists by then (another import, the user) is kept as it is.
pub async fn create_categories(
    db: &sqlx::PgPool,
    ledger_id: Uuid,
    new: &[plan::NewCategory],
) -> Result<(), sqlx::Error> {
    let groups: Vec<&str> = new.iter().map(|c| c.group.as_str()).collect();
    let names: Vec<&str> = new.iter().map(|c| c.name.as_str()).collect();
    let income: Vec<bool> = new.iter().map(|c| c.income).collect();
    let mut tx = service_kit::stores::begin(db).await?;
    let created_groups: Vec<(Uuid, String, CategoryKind)> = sqlx::query_as(
        "INSERT INTO category_groups (ledger_id, name, kind)
         SELECT DISTINCT ON (lower(w.grp)) $1, w.grp,
                CASE WHEN w.income THEN 'income' ELSE 'expense' END::category_kind
         FROM unnest($2::text[], $3::bool[]) AS w(grp, income)
         ON CONFLICT (ledger_id, lower(name)) DO NOTHING
         RETURNING id, name, kind",
    )
    .bind(ledger_id)
    .bind(&groups)
    .bind(&income)
    .fetch_all(&mut *tx)
    .await?;
    let created: Vec<(Uuid, Uuid, String)> = sqlx::query_as(
        "INSERT INTO categories (ledger_id, group_id, name)
         SELECT DISTINCT ON (g.id, lower(w.name)) $1, g.id, w.name
         FROM unnest($2::text[], $3::text[]) AS w(grp, name)
         JOIN category_groups g ON g.ledger_id = $1 AND lower(g.name) = lower(w.grp)
         ON CONFLICT (group_id, lower(name)) DO NOTHING
         RETURNING id, group_id, name",
    )
    .bind(ledger_id)
    .bind(&groups)
    .bind(&names)
    .fetch_all(&mut *tx)
    .await?;
    for (id, name, kind) in created_groups {
        let group = CategoryGroupChanged {
            id,
            name,
            kind,
            archived: false,
        };
        events::record(&mut tx, ledger_id, &Event::CategoryGroupCreated(group)).await?;
    }
    for (id, group_id, name) in created {
        let category = CategoryChanged {
            id,
            group_id,
            name,
            archived: false,
            budget_rollover: false,
        };
        events::record(&mut tx, ledger_id, &Event::CategoryCreated(category)).await?;
    }
    tx.commit().await
}

/// The account map an upload starts with: every source account that has rows goes to
/// `account_id` when there is exactly one; with several, the user maps them at commit.
pub fn default_account_map(parsed: &ParsedFile, account_id: Uuid) -> HashMap<String, Uuid> {
    let with_rows: Vec<&str> = parsed
        .accounts
        .iter()
        .enumerate()
        .filter(|(i, _)| parsed.rows.iter().any(|r| r.account == *i))
        .map(|(_, a)| a.id.as_str())
        .collect();
    match with_rows.as_slice() {
        [one] => HashMap::from([((*one).to_owned(), account_id)]),
        _ => HashMap::new(),
    }
}

/// Plans `parsed` on a blocking thread, as the file is read on one: 100,000 rows are some
/// 0.15 s of CPU that would otherwise hold up one of the async workers. Hands the file back.
pub async fn plan_blocking(
    parsed: ParsedFile,
    targets: HashMap<usize, Target>,
    categories: CategoryNames,
) -> Result<(ParsedFile, Plan), tokio::task::JoinError> {
    tokio::task::spawn_blocking(move || {
        let plan = plan::plan(&parsed, &targets, &categories);
        (parsed, plan)
    })
    .await
}

/// Plans the parsed file and marks the rows already imported.
pub async fn prepare(
    db: &mut sqlx::PgConnection,
    ledger_id: Uuid,
    parsed: ParsedFile,
    account_map: &HashMap<String, Uuid>,
) -> Result<Prepared, ApiError> {
    let targets = targets(db, ledger_id, &parsed, account_map).await?;
    let categories = category_names(db, ledger_id).await?;
    let (parsed, plan) = plan_blocking(parsed, targets, categories)
        .await
        .map_err(ApiError::internal)?;
    if let Some(reason) = plan::too_many_categories(&plan.new_categories) {
        return Err(ApiError::field("file", reason));
    }
    let accounts: Vec<Uuid> = plan
        .rows
        .iter()
        .map(|r| r.account_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let ids: Vec<&str> = plan.rows.iter().map(|r| r.import_id.as_str()).collect();
    let existing: HashSet<(Uuid, String)> = sqlx::query_as::<_, (Uuid, String)>(
        "SELECT account_id, import_id FROM transactions
         WHERE account_id = ANY($1) AND import_id = ANY($2::text[])",
    )
    .bind(&accounts)
    .bind(&ids)
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .collect();
    let duplicates = plan::duplicates(&plan.rows, &existing);
    let preview = preview(&parsed, &plan, &duplicates, account_map);
    Ok(Prepared {
        parsed,
        plan,
        duplicates,
        preview,
    })
}

/// Pure: the preview of a planned file.
pub fn preview(
    parsed: &ParsedFile,
    plan: &Plan,
    duplicates: &[bool],
    account_map: &HashMap<String, Uuid>,
) -> Preview {
    let mut notes = parsed.notes.clone();
    if plan.unmapped > 0 {
        notes.push(format!(
            "{} row(s) belong to accounts in the file that are not mapped to a ledger account; map them to import those rows",
            plan.unmapped
        ));
    }
    if plan.unsplit > 0 {
        notes.push(format!(
            "{} split transaction(s) have a part without a category of this ledger or with an amount finer than the currency; they are imported whole and uncategorised",
            plan.unsplit
        ));
    }
    let encoding = parsed.encoding.as_str();
    Preview {
        encoding: encoding.to_owned(),
        columns: parsed.columns.clone(),
        source_accounts: parsed
            .accounts
            .iter()
            .enumerate()
            .map(|(i, a)| SourceAccountView {
                id: a.id.clone(),
                kind: a.kind.clone(),
                currency: a.currency.clone(),
                rows: parsed.rows.iter().filter(|r| r.account == i).count(),
                account_id: account_map.get(&a.id).copied(),
            })
            .collect(),
        sample: plan
            .rows
            .iter()
            .zip(duplicates)
            .take(SAMPLE_ROWS)
            .map(|(r, duplicate)| SampleRow {
                line: r.line,
                account_id: r.account_id,
                date: r.date,
                amount: r.amount.to_string(),
                payee: r.payee.clone(),
                description: r.description.clone(),
                import_id: r.import_id.clone(),
                category_id: r.category_id,
                duplicate: *duplicate,
                splits: r
                    .splits
                    .iter()
                    .map(|s| SampleSplit {
                        category_id: s.category_id,
                        amount: s.amount.to_string(),
                        memo: s.memo.clone(),
                    })
                    .collect(),
            })
            .collect(),
        errors: plan
            .errors
            .iter()
            .take(KEPT_ERRORS)
            .map(|e| RowErrorView {
                line: e.line,
                message: e.message.clone(),
            })
            .collect(),
        notes,
        new_categories: plan
            .new_categories
            .iter()
            .map(ToString::to_string)
            .collect(),
    }
}
