//! The import job worker, run inside every API process. A committed import's id goes on the
//! Redis stream `ft:imports`; the API processes read it in one consumer group. A job reads
//! the stored file again, plans it, and writes it in chunks, several at once: a chunk's rows
//! and its row in `import_chunks` commit in one database transaction, and that row's key
//! lets a chunk be written once. A process that dies mid-import leaves whole chunks behind;
//! whoever claims the entry next (after `min_idle`) writes exactly the missing ones. Rows are
//! inserted with `ON CONFLICT DO NOTHING` on the account's import id as well, so nothing is
//! ever added twice. The entry is acknowledged only when the import is finished.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use bank_formats::{CsvMapping, Format};
use chrono::NaiveDate;
use futures_util::StreamExt;
use rust_decimal::Decimal;
use service_kit::stores::LazyRedis;
use service_kit::streams::GroupReader;
use uuid::Uuid;

use super::plan::PlannedRow;
use super::read_file;
use crate::dates::first_of_month;
use crate::events::catalogue::{ImportCompleted, ImportFailed, ImportProgress};
use crate::events::{self, Event};
use crate::http::AppState;

pub const STREAM: &str = "ft:imports";
pub const GROUP: &str = "api-importers";

/// Where committed imports are announced to the job workers.
#[derive(Debug, Clone)]
pub struct ImportQueue {
    redis: LazyRedis,
    stream: String,
}

impl ImportQueue {
    pub fn new(redis: LazyRedis, stream: impl Into<String>) -> Self {
        Self {
            redis,
            stream: stream.into(),
        }
    }

    /// Announces a queued import. A failure is logged: the workers' sweep finds queued
    /// imports in Postgres too.
    pub async fn push(&self, import: Uuid) {
        let mut command = redis::cmd("XADD");
        command
            .arg(&self.stream)
            .arg("MAXLEN")
            .arg("~")
            .arg(100_000)
            .arg("*")
            .arg("import_id")
            .arg(import.to_string());
        if let Err(e) = self.redis.query::<String>(&command).await {
            tracing::warn!(error = %e, %import, "cannot announce an import; the sweep will pick it up");
        }
    }
}

/// Settings the import routes need.
#[derive(Debug, Clone)]
pub struct ImportSettings {
    /// Largest file accepted (`IMPORT_MAX_BYTES`).
    pub max_bytes: usize,
    pub queue: ImportQueue,
}

/// The format an import row names.
pub fn format_of(name: &str) -> Option<Format> {
    [Format::Csv, Format::Ofx1, Format::Ofx2, Format::Qif]
        .into_iter()
        .find(|f| f.as_str() == name)
}

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Retrying may work (the database or Redis is away): the entry stays pending.
    #[error("{0}")]
    Transient(String),
    /// Retrying cannot work: the import is marked failed.
    #[error("{0}")]
    Permanent(String),
    /// Postgres aborted the transaction for another's sake (a deadlock, a serialization
    /// failure): the same work done again at once goes through.
    #[error("{0}")]
    Contended(String),
}

impl From<sqlx::Error> for JobError {
    fn from(e: sqlx::Error) -> Self {
        let code = e
            .as_database_error()
            .and_then(sqlx::error::DatabaseError::code);
        if matches!(code.as_deref(), Some("40P01" | "40001")) {
            JobError::Contended(e.to_string())
        } else {
            JobError::Transient(e.to_string())
        }
    }
}

/// How often a chunk is written before a contended transaction counts as an interruption.
const CHUNK_ATTEMPTS: u32 = 3;

#[derive(Debug)]
pub struct ImportWorker {
    pub state: AppState,
    /// The `ft:imports` consumer group, on a Redis connection of its own.
    pub reader: GroupReader,
    /// Rows per database transaction.
    pub chunk_rows: usize,
    /// Chunks written at once, each on its own connection (Postgres then uses every core).
    pub writers: usize,
}

impl ImportWorker {
    /// Creates the consumer group (and the stream) if they do not exist yet.
    pub async fn ensure_group(&self) -> Result<(), String> {
        self.reader.ensure_group().await
    }

    /// Works forever: entries as they come, stale ones claimed, failures retried.
    pub async fn run(self) {
        loop {
            let outcome = match self.ensure_group().await {
                Ok(()) => self.step(Duration::from_secs(5)).await,
                Err(e) => Err(e),
            };
            if let Err(e) = outcome {
                tracing::warn!(error = %e, "import worker: will retry");
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        }
    }

    /// One round: claim entries idle longer than `min_idle` (a crashed worker's), else wait
    /// up to `block` for new ones; run each import; sweep queued imports nobody announced.
    /// Returns how many entries were finished.
    pub async fn step(&self, block: Duration) -> Result<usize, String> {
        let entries = self.reader.next(1, block).await?;
        if entries.is_empty() {
            self.sweep().await.map_err(|e| e.to_string())?;
        }
        let mut finished = 0;
        for (entry, fields) in entries {
            let import = fields
                .chunks(2)
                .find(|p| p[0] == "import_id")
                .and_then(|p| p.get(1)?.parse::<Uuid>().ok());
            let done = match import {
                None => true,
                Some(id) => match self.run_import(id).await {
                    Ok(()) => true,
                    Err(JobError::Permanent(message)) => {
                        tracing::warn!(%id, error = %message, "import failed");
                        self.fail(id, &message).await.is_ok()
                    }
                    Err(JobError::Transient(message) | JobError::Contended(message)) => {
                        tracing::warn!(%id, error = %message, "import interrupted; it resumes when claimed again");
                        false
                    }
                },
            };
            if done {
                self.reader.ack(&[entry]).await?;
                finished += 1;
            }
        }
        Ok(finished)
    }

    /// Imports queued while Redis was away have no stream entry: announce them again.
    async fn sweep(&self) -> Result<(), sqlx::Error> {
        let stale: Vec<Uuid> = sqlx::query_scalar(
            "UPDATE imports SET updated_at = now()
             WHERE status = 'queued' AND updated_at < now() - make_interval(secs => $1)
             RETURNING id",
        )
        .bind(self.reader.min_idle.as_secs_f64().max(1.0) * 2.0)
        .fetch_all(&self.state.db)
        .await?;
        for id in stale {
            self.state.imports.queue.push(id).await;
        }
        Ok(())
    }

    async fn fail(&self, id: Uuid, message: &str) -> Result<(), sqlx::Error> {
        let mut tx = service_kit::stores::begin(&self.state.db).await?;
        let failed: Option<Uuid> = sqlx::query_scalar(
            "UPDATE imports SET status = 'failed', error = $2, updated_at = now()
             WHERE id = $1 AND status IN ('queued', 'running') RETURNING ledger_id",
        )
        .bind(id)
        .bind(message)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(ledger_id) = failed {
            let event = Event::ImportFailed(ImportFailed {
                import_id: id,
                error: message.to_owned(),
            });
            events::record(&mut tx, ledger_id, &event).await?;
        }
        tx.commit().await
    }

    /// Writes the import from its cursor to the end.
    pub async fn run_import(&self, id: Uuid) -> Result<(), JobError> {
        type Loaded = (
            Uuid,
            String,
            Option<Vec<u8>>,
            Option<sqlx::types::Json<CsvMapping>>,
            sqlx::types::Json<HashMap<String, Uuid>>,
            i32,
        );
        let loaded: Option<Loaded> = sqlx::query_as(
            "UPDATE imports SET status = 'running', updated_at = now()
             WHERE id = $1 AND status IN ('queued', 'running')
             RETURNING ledger_id, format, file, mapping, account_map, total_rows",
        )
        .bind(id)
        .fetch_optional(&self.state.db)
        .await?;
        // Deleted, undone or finished meanwhile: nothing to do.
        let Some((ledger_id, format, file, mapping, account_map, total_rows)) = loaded else {
            return Ok(());
        };
        let started = std::time::Instant::now();
        let parsed = read_file(
            axum::body::Bytes::from(file.unwrap_or_default()),
            format_of(&format),
            mapping.map(|m| m.0),
        )
        .await
        .map_err(|e| JobError::Permanent(format!("the file can no longer be read: {e:?}")))?;
        let mut db = self.state.db.acquire().await?;
        let targets = super::targets(&mut db, ledger_id, &parsed, &account_map.0)
            .await
            .map_err(|e| {
                JobError::Permanent(format!("an account of the mapping is gone: {e:?}"))
            })?;
        let categories = self
            .categories_creating_new(&mut db, ledger_id, &parsed, &targets)
            .await?;
        let written: Vec<(i32, i32)> =
            sqlx::query_as("SELECT first_row, rows FROM import_chunks WHERE import_id = $1")
                .bind(id)
                .fetch_all(&mut *db)
                .await?;
        drop(db);
        // The rows the preview planned, which the chunks' records add up to at the end.
        let total = usize::try_from(total_rows).unwrap_or(0);
        let pending = pending_chunks(total, self.chunk_rows, self.writers, &written);
        let (chunks, planning) =
            plan_chunks(parsed, targets, categories, pending, self.writers.max(1));
        let read = started.elapsed();
        let months = self.write_chunks(id, ledger_id, chunks, total).await?;
        let planned = planning
            .await
            .map_err(|e| JobError::Permanent(format!("planning failed: {e}")))?;
        if planned != total {
            return Err(JobError::Permanent(format!(
                "the file now gives {planned} rows to write, not the {total} of its preview: \
                 undo what was written and import it again"
            )));
        }
        tracing::info!(
            %id,
            rows = total,
            read_ms = read.as_millis(),
            plan_and_write_ms = started.elapsed().saturating_sub(read).as_millis(),
            "import written"
        );
        let mut tx = service_kit::stores::begin(&self.state.db).await?;
        let finished: Option<(i32, i32, i32)> = sqlx::query_as(
            "UPDATE imports SET status = 'completed', completed_at = now(), updated_at = now(), file = NULL,
                    committed_rows = c.rows, inserted_rows = c.inserted
             FROM (SELECT coalesce(sum(rows), 0)::int AS rows, coalesce(sum(inserted), 0)::int AS inserted
                   FROM import_chunks WHERE import_id = $1) c
             WHERE id = $1 AND status = 'running' AND c.rows = total_rows
             RETURNING committed_rows, inserted_rows, error_rows",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((committed, inserted, errors)) = finished else {
            return Err(JobError::Transient(
                "not every chunk is written yet".to_owned(),
            ));
        };
        let summary = Event::ImportCompleted(ImportCompleted {
            import_id: id,
            inserted_rows: inserted,
            duplicate_rows: committed - inserted,
            error_rows: errors,
        });
        events::record(&mut tx, ledger_id, &summary).await?;
        tx.commit().await?;
        crate::budgets::alerts::check_later(&self.state, ledger_id, months);
        Ok(())
    }

    /// Writes the chunks as planning hands them over, `writers` at a time, queueing their
    /// uncategorised rows for the model and announcing progress after each; returns the
    /// months the inserted rows fall in, each once. After a failure no new chunk starts,
    /// and the writes under way finish before the error returns.
    async fn write_chunks(
        &self,
        id: Uuid,
        ledger_id: Uuid,
        mut chunks: tokio::sync::mpsc::Receiver<(usize, Vec<PlannedRow>)>,
        total: usize,
    ) -> Result<Vec<NaiveDate>, JobError> {
        let failed = std::sync::atomic::AtomicBool::new(false);
        let mut failure = None;
        let mut months: Vec<NaiveDate> = Vec::new();
        let mut writes = futures_util::stream::poll_fn(move |cx| chunks.poll_recv(cx))
            .map(|(first_row, rows)| {
                let failed = &failed;
                async move {
                    let mut attempt = 1;
                    loop {
                        if failed.load(std::sync::atomic::Ordering::Relaxed) {
                            return Ok(None);
                        }
                        match self.write_chunk(id, ledger_id, &rows, first_row).await {
                            Err(JobError::Contended(message)) if attempt < CHUNK_ATTEMPTS => {
                                tracing::info!(%id, first_row, attempt, error = %message, "chunk written again");
                                attempt += 1;
                            }
                            outcome => return outcome,
                        }
                    }
                }
            })
            .buffer_unordered(self.writers.max(1));
        while let Some(written) = writes.next().await {
            let inserted = match written {
                Ok(Some(inserted)) => inserted,
                // Another writer took this chunk: it is written either way.
                Ok(None) => continue,
                Err(e) => {
                    failed.store(true, std::sync::atomic::Ordering::Relaxed);
                    failure.get_or_insert(e);
                    continue;
                }
            };
            months.extend(inserted.iter().map(|(_, day, _)| first_of_month(*day)));
            // Rows the file categorised do not need the model.
            let ids: Vec<Uuid> = inserted
                .into_iter()
                .filter(|(_, _, open)| *open)
                .map(|(id, _, _)| id)
                .collect();
            self.state.ml.queue_many(ledger_id, &ids).await;
            if let Err(e) = self.report_progress(id, ledger_id, total).await {
                failed.store(true, std::sync::atomic::Ordering::Relaxed);
                failure.get_or_insert(e);
            }
        }
        if let Some(e) = failure {
            return Err(e);
        }
        months.sort_unstable();
        months.dedup();
        Ok(months)
    }

    /// Counts the written chunks into the import's progress and announces it, together.
    async fn report_progress(
        &self,
        id: Uuid,
        ledger_id: Uuid,
        total: usize,
    ) -> Result<(), JobError> {
        let mut tx = service_kit::stores::begin(&self.state.db).await?;
        let committed: i32 = sqlx::query_scalar(
            "UPDATE imports SET committed_rows = c.rows, inserted_rows = c.inserted, updated_at = now()
             FROM (SELECT coalesce(sum(rows), 0)::int AS rows, coalesce(sum(inserted), 0)::int AS inserted
                   FROM import_chunks WHERE import_id = $1) c
             WHERE id = $1 RETURNING committed_rows",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let progress = Event::ImportProgress(ImportProgress {
            import_id: id,
            committed_rows: committed,
            total_rows: i32::try_from(total).unwrap_or(i32::MAX),
        });
        events::record(&mut tx, ledger_id, &progress).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The ledger's categories, once those the file names that it lacks exist. They are
    /// made before any row is written, so a resumed import finds them and plans the same
    /// rows again.
    async fn categories_creating_new(
        &self,
        db: &mut sqlx::PgConnection,
        ledger_id: Uuid,
        parsed: &bank_formats::ParsedFile,
        targets: &HashMap<usize, super::plan::Target>,
    ) -> Result<super::plan::CategoryNames, JobError> {
        let categories = super::category_names(db, ledger_id).await?;
        let new = super::plan::new_categories(parsed, targets, &categories);
        if new.is_empty() {
            return Ok(categories.settled());
        }
        // The preview checked this too, but categories deleted since then count again.
        if let Some(reason) = super::plan::too_many_categories(&new) {
            return Err(JobError::Permanent(reason));
        }
        super::create_categories(&self.state.db, ledger_id, &new).await?;
        Ok(super::category_names(db, ledger_id).await?.settled())
    }

    /// One chunk's rows and its `import_chunks` row in one transaction; `None` when another
    /// writer has the chunk already.
    async fn write_chunk(
        &self,
        id: Uuid,
        ledger_id: Uuid,
        rows: &[PlannedRow],
        first_row: usize,
    ) -> Result<Option<Vec<(Uuid, NaiveDate, bool)>>, JobError> {
        let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
        let mut tx = service_kit::stores::begin(&self.state.db).await?;
        let claimed = sqlx::query(
            "INSERT INTO import_chunks (import_id, first_row, rows, inserted) VALUES ($1, $2, $3, 0)
             ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(count(first_row))
        .bind(count(rows.len()))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed == 0 {
            return Ok(None);
        }
        // Ids made here, time-ordered (UUIDv7), so the primary key grows at its right edge
        // and the insert need not return them. A plain insert first; it stops at the first
        // import id already there (a file overlapping an earlier one, a repeated id in the
        // chunk, another writer first), and the chunk is written again skipping those. An
        // overlap is usually a few rows at a file's edges, so few chunks pay twice.
        let ids: Vec<Uuid> = rows.iter().map(|_| Uuid::now_v7()).collect();
        let mut attempt = sqlx::Acquire::begin(&mut tx).await?;
        let inserted: HashSet<Uuid> =
            match insert_rows(&mut attempt, id, ledger_id, rows, &ids, false).await {
                Ok(inserted) => {
                    attempt.commit().await?;
                    inserted
                }
                Err(e) if is_duplicate_import_id(&e) => {
                    attempt.rollback().await?;
                    insert_rows(&mut tx, id, ledger_id, rows, &ids, true).await?
                }
                Err(e) => return Err(e.into()),
            };
        let parts = split_parts(rows, &ids, &inserted);
        if !parts.transaction_ids.is_empty() {
            sqlx::query(
                "INSERT INTO transaction_splits (transaction_id, position, ledger_id, category_id, amount, memo)
                 SELECT p.transaction_id, p.position, $1, p.category_id, p.amount, p.memo
                 FROM UNNEST($2::uuid[], $3::int2[], $4::uuid[], $5::numeric[], $6::text[])
                      AS p(transaction_id, position, category_id, amount, memo)",
            )
            .bind(ledger_id)
            .bind(&parts.transaction_ids)
            .bind(&parts.positions)
            .bind(&parts.category_ids)
            .bind(&parts.amounts)
            .bind(&parts.memos)
            .execute(&mut *tx)
            .await?;
        }
        // Rows the file categorised, or split (categorised by their parts), do not need
        // the model.
        let inserted: Vec<(Uuid, NaiveDate, bool)> = rows
            .iter()
            .zip(&ids)
            .filter(|(_, row_id)| inserted.contains(row_id))
            .map(|(row, row_id)| {
                (
                    *row_id,
                    row.date,
                    row.category_id.is_none() && row.splits.is_empty(),
                )
            })
            .collect();
        sqlx::query(
            "UPDATE import_chunks SET inserted = $3 WHERE import_id = $1 AND first_row = $2",
        )
        .bind(id)
        .bind(count(first_row))
        .bind(count(inserted.len()))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(inserted))
    }
}

/// Inserts a chunk's rows with the given ids; returns the ids inserted. Without
/// `skip_duplicates` an import id the account has already fails the whole insert (and every
/// row is inserted when it succeeds); with it, such rows are left out.
async fn insert_rows(
    db: &mut sqlx::PgConnection,
    import: Uuid,
    ledger_id: Uuid,
    rows: &[PlannedRow],
    ids: &[Uuid],
    skip_duplicates: bool,
) -> Result<HashSet<Uuid>, sqlx::Error> {
    // A category the file gave is the user's own choice, made in their previous app.
    let insert = "INSERT INTO transactions (id, ledger_id, account_id, booked_on, amount, payee, description,
                                   import_id, import_job_id, category_id, category_source)
         SELECT r.id, $1, r.account_id, r.booked_on, r.amount, r.payee, r.description, r.import_id, $8,
                r.category_id, CASE WHEN r.category_id IS NOT NULL THEN 'user'::category_source END
         FROM UNNEST($2::uuid[], $3::date[], $4::numeric[], $5::text[], $6::text[], $7::text[], $9::uuid[], $10::uuid[])
              AS r(account_id, booked_on, amount, payee, description, import_id, category_id, id)";
    let sql = if skip_duplicates {
        format!(
            "{insert} ON CONFLICT (account_id, import_id) WHERE import_id IS NOT NULL DO NOTHING RETURNING id"
        )
    } else {
        insert.to_owned()
    };
    let query = sqlx::query_scalar::<_, Uuid>(&sql)
        .bind(ledger_id)
        .bind(rows.iter().map(|r| r.account_id).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.date).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.amount).collect::<Vec<Decimal>>())
        .bind(rows.iter().map(|r| r.payee.as_str()).collect::<Vec<_>>())
        .bind(
            rows.iter()
                .map(|r| r.description.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(
            rows.iter()
                .map(|r| r.import_id.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(import)
        .bind(rows.iter().map(|r| r.category_id).collect::<Vec<_>>())
        .bind(ids);
    if skip_duplicates {
        Ok(query.fetch_all(&mut *db).await?.into_iter().collect())
    } else {
        query.fetch_all(&mut *db).await?;
        Ok(ids.iter().copied().collect())
    }
}

/// Pure: whether an insert failed on an import id its account already has.
fn is_duplicate_import_id(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .is_some_and(|e| e.constraint() == Some("transactions_account_import_key"))
}

/// The split parts of a chunk's inserted rows, as columns for one `UNNEST` insert.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SplitColumns {
    pub transaction_ids: Vec<Uuid>,
    pub positions: Vec<i16>,
    pub category_ids: Vec<Uuid>,
    pub amounts: Vec<Decimal>,
    pub memos: Vec<String>,
}

/// Pure: the parts to write for `rows` (given `ids`, in order) of which those in
/// `inserted` were written; a row skipped as a duplicate gets no parts.
pub fn split_parts(rows: &[PlannedRow], ids: &[Uuid], inserted: &HashSet<Uuid>) -> SplitColumns {
    let mut out = SplitColumns::default();
    for (row, id) in rows.iter().zip(ids) {
        if !inserted.contains(id) {
            continue;
        }
        for (position, part) in row.splits.iter().enumerate() {
            out.transaction_ids.push(*id);
            out.positions
                .push(i16::try_from(position).unwrap_or(i16::MAX));
            out.category_ids.push(part.category_id);
            out.amounts.push(part.amount);
            out.memos.push(part.memo.clone());
        }
    }
    out
}

/// The rows of each of the `pending` chunks, planned on a blocking thread and handed over
/// as soon as a chunk is complete, so the first chunks are written while the rest of the
/// file is planned (100,000 rows are some 0.15 s of CPU). Every row is planned, written
/// chunks' too: a row's import id counts the identical rows before it. At most `ahead`
/// chunks wait to be written. The thread ends with the number of rows planned, or as soon
/// as nobody takes its chunks.
fn plan_chunks(
    parsed: bank_formats::ParsedFile,
    targets: HashMap<usize, super::plan::Target>,
    categories: super::plan::CategoryNames,
    pending: Vec<std::ops::Range<usize>>,
    ahead: usize,
) -> (
    tokio::sync::mpsc::Receiver<(usize, Vec<PlannedRow>)>,
    tokio::task::JoinHandle<usize>,
) {
    let (chunks, taken) = tokio::sync::mpsc::channel(ahead);
    let planning = tokio::task::spawn_blocking(move || {
        let mut planner = super::plan::Planner::new(&targets, &categories);
        let mut chunk = Vec::new();
        // The pending chunk the next rows go to; rows before it are in written chunks.
        let mut next = 0;
        let mut count = 0;
        for row in &parsed.rows {
            let Some(row) = planner.row(row) else {
                continue;
            };
            let index = count;
            count += 1;
            let Some(range) = pending.get(next).filter(|r| r.contains(&index)) else {
                continue;
            };
            chunk.push(row);
            if count == range.end {
                let rows = std::mem::take(&mut chunk);
                if chunks.blocking_send((range.start, rows)).is_err() {
                    return count;
                }
                next += 1;
            }
        }
        count
    });
    (taken, planning)
}

/// Pure: the row ranges still to write, in order: what the `written` chunks (first row,
/// rows) leave of `0..total`, cut from the start of each gap. A job resumed with another
/// `IMPORT_CHUNK_ROWS` writes around the chunks written before.
///
/// A chunk is `chunk_rows` long until the rows left to cut are fewer than `writers` full
/// chunks; from there each is the rows left shared by the writers, down to a tenth of
/// `chunk_rows`. The writers then end together: with equal chunks, one writer wrote the
/// last chunk while the others had nothing left (up to a chunk's time, some 0.15 s of
/// 2 s for 100,000 rows).
pub fn pending_chunks(
    total: usize,
    chunk_rows: usize,
    writers: usize,
    written: &[(i32, i32)],
) -> Vec<std::ops::Range<usize>> {
    let chunk_rows = chunk_rows.max(1);
    let writers = writers.max(1);
    let smallest = (chunk_rows / 10).max(1);
    let mut done: Vec<std::ops::Range<usize>> = written
        .iter()
        .filter_map(|(first, rows)| {
            let first = usize::try_from(*first).ok()?;
            Some(first..first + usize::try_from(*rows).ok()?)
        })
        .collect();
    done.sort_by_key(|r| r.start);
    let gaps = gaps(total, done);
    let mut left: usize = gaps.iter().map(ExactSizeIterator::len).sum();
    let mut pending = Vec::new();
    for gap in gaps {
        let mut at = gap.start;
        while at < gap.end {
            let rows = chunk_rows.min(left.div_ceil(writers).max(smallest));
            let end = gap.end.min(at + rows);
            pending.push(at..end);
            left -= end - at;
            at = end;
        }
    }
    pending
}

/// Pure: the parts of `0..total` that none of `done` (sorted by start) covers, in order.
fn gaps(total: usize, done: Vec<std::ops::Range<usize>>) -> Vec<std::ops::Range<usize>> {
    let mut gaps = Vec::new();
    let mut at = 0;
    for done in done.into_iter().chain(std::iter::once(total..total)) {
        let gap_end = done.start.min(total);
        if at < gap_end {
            gaps.push(at..gap_end);
        }
        at = at.max(done.end);
    }
    gaps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_parts_are_written_for_inserted_rows_only_in_their_order() {
        use super::super::plan::PlannedSplit;
        let part = |memo: &str| PlannedSplit {
            category_id: Uuid::nil(),
            amount: Decimal::ONE,
            memo: memo.to_owned(),
        };
        let row = |splits: Vec<PlannedSplit>| PlannedRow {
            line: 1,
            account_id: Uuid::nil(),
            date: NaiveDate::from_ymd_opt(2024, 1, 5).expect("date"),
            amount: Decimal::TWO,
            payee: String::new(),
            description: "x".to_owned(),
            import_id: "h".to_owned(),
            category_id: None,
            splits,
        };
        let rows = [
            row(vec![part("a"), part("b")]),
            row(vec![part("skipped")]),
            row(Vec::new()),
            row(vec![part("c")]),
        ];
        let ids: Vec<Uuid> = rows.iter().map(|_| Uuid::now_v7()).collect();
        let inserted: HashSet<Uuid> = [ids[0], ids[2], ids[3]].into();
        let parts = split_parts(&rows, &ids, &inserted);
        assert_eq!(parts.transaction_ids, [ids[0], ids[0], ids[3]]);
        assert_eq!(parts.positions, [0, 1, 0]);
        assert_eq!(parts.memos, ["a", "b", "c"]);
    }

    /// Planned chunk by chunk while the first are written, a file gives exactly the rows of
    /// its whole plan (the preview's), cut at the same rows: the occurrences of identical
    /// rows count on across chunks, written ones included, and dropped rows count nowhere.
    #[tokio::test]
    async fn chunks_planned_as_they_come_are_the_whole_plan_cut_up() {
        use super::super::plan::{CategoryNames, Target, plan};
        let mut file = String::from("Date,Payee,Amount\n");
        for _ in 0..10 {
            file.push_str("2024-01-05,Coffee,-3.50\n");
        }
        file.push_str("2024-01-05,Too fine,-1.005\n");
        file.extend((10..22).map(|day| format!("2024-01-{day},Shop {day},-{day}.00\n")));
        let parsed =
            bank_formats::read(file.as_bytes(), &bank_formats::Options::default()).expect("parsed");
        let targets = HashMap::from([(
            0,
            Target {
                account_id: Uuid::from_u128(7),
                minor_units: 2,
            },
        )]);
        let categories = CategoryNames::default().settled();
        let whole = plan(&parsed, &targets, &categories);
        assert_eq!((whole.rows.len(), whole.errors.len()), (22, 1));
        let pending = pending_chunks(whole.rows.len(), 4, 1, &[(4, 4), (16, 4)]);
        let (mut chunks, planning) = plan_chunks(parsed, targets, categories, pending.clone(), 1);
        let mut got = Vec::new();
        while let Some(chunk) = chunks.recv().await {
            got.push(chunk);
        }
        let want: Vec<(usize, Vec<PlannedRow>)> = pending
            .into_iter()
            .map(|range| (range.start, whole.rows[range].to_vec()))
            .collect();
        assert_eq!(got, want);
        assert_eq!(planning.await.expect("planned"), 22);
    }

    /// With several writers the last chunks shrink, so no writer is left writing a full
    /// chunk alone at the end; each row is still in exactly one chunk, in order.
    #[test]
    fn pending_chunks_shrink_at_the_end_for_several_writers() {
        let sizes = |pending: &[std::ops::Range<usize>]| -> Vec<usize> {
            pending.iter().map(ExactSizeIterator::len).collect()
        };
        let pending = pending_chunks(100_000, 5_000, 2, &[]);
        let mut expected = vec![5_000; 19];
        expected.extend([2_500, 1_250, 625, 500, 125]);
        assert_eq!(sizes(&pending), expected);
        let mut at = 0;
        for range in &pending {
            assert_eq!(range.start, at);
            at = range.end;
        }
        assert_eq!(at, 100_000);
        // One writer has nobody to wait for: whole chunks to the end.
        assert_eq!(
            pending_chunks(12_000, 5_000, 1, &[]),
            [0..5_000, 5_000..10_000, 10_000..12_000]
        );
        // The rows left are counted across the gaps written chunks leave.
        assert_eq!(
            pending_chunks(10_000, 4_000, 2, &[(2_000, 6_000)]),
            [
                0..2_000,
                8_000..9_000,
                9_000..9_500,
                9_500..9_900,
                9_900..10_000
            ]
        );
    }

    #[test]
    fn pending_chunks_skip_what_is_written_and_cover_the_rest() {
        let none = Vec::<std::ops::Range<usize>>::new();
        assert_eq!(pending_chunks(10, 4, 1, &[]), [0..4, 4..8, 8..10]);
        assert_eq!(pending_chunks(10, 4, 1, &[(4, 4)]), [0..4, 8..10]);
        assert_eq!(pending_chunks(10, 4, 1, &[(8, 2), (0, 4), (4, 4)]), none);
        assert_eq!(pending_chunks(0, 4, 1, &[]), none);
        assert_eq!(pending_chunks(3, 0, 1, &[]), [0..1, 1..2, 2..3]);
        // Written with another chunk size before a restart.
        let the_rest: Vec<_> = std::iter::once(6..10).collect();
        assert_eq!(pending_chunks(10, 4, 1, &[(0, 3), (3, 3)]), the_rest);
        assert_eq!(pending_chunks(10, 3, 1, &[(4, 4)]), [0..3, 3..4, 8..10]);
        assert_eq!(pending_chunks(10, 6, 1, &[(2, 2)]), [0..2, 4..10]);
    }
}
