//! A ledger's training embeddings kept in Postgres: a restarted worker (a fresh `Ledgers`)
//! reads them back instead of embedding the ledger's history again, trains the same model
//! from them, and replaces a stored vector that is damaged.

mod support;

use std::sync::Arc;

use ml_worker::ledgers::{Ledgers, decode_vector};
use ml_worker::model::embedder::Embedder;
use sqlx::PgPool;
use support::{ledger, models};

const LABELLED: usize = 200;

fn worker(pool: &PgPool) -> Arc<Ledgers> {
    let embedder = Embedder::load(&models(), "minilm-l6-v2-int8", 2).expect("model");
    let ledgers = Arc::new(Ledgers::new(pool.clone(), Arc::new(embedder)));
    ledgers.warm_up().expect("seeds");
    ledgers
}

#[sqlx::test(migrator = "service_kit::schema::MIGRATOR")]
async fn a_restarted_worker_reads_a_ledgers_embeddings_back_instead_of_recomputing(pool: PgPool) {
    let (ledger, categories) = ledger(&pool).await;
    let account = support::account(&pool, ledger).await;
    sqlx::query(
        "INSERT INTO transactions (ledger_id, account_id, booked_on, amount, payee, category_id, category_source)
         SELECT $1, $2, date '2026-10-01' + (i % 30), -(i % 50 + 1),
                (ARRAY['FUEL STOP', 'DINER', 'MARKET'])[1 + i % 3] || ' '
                    || (ARRAY['NORTH', 'SOUTH', 'EAST', 'WEST', 'CENTRAL', 'UPPER', 'LOWER',
                              'OLD', 'NEW', 'GRAND'])[1 + i / 3 % 10] || ' '
                    || (ARRAY['OAK', 'PINE', 'ELM', 'ASH', 'BIRCH', 'CEDAR', 'MAPLE'])[1 + i / 30 % 7],
                ($3::uuid[])[1 + i % 3], 'user'
         FROM generate_series(0, $4 - 1) AS i",
    )
    .bind(ledger)
    .bind(account)
    .bind(categories.iter().take(3).map(|(_, id)| *id).collect::<Vec<_>>())
    .bind(i32::try_from(LABELLED).expect("small"))
    .execute(&pool)
    .await
    .expect("labelled");
    let query = || vec![("MARKET SQUARE GROCER".to_owned(), -12.0)];

    let first = worker(&pool);
    let (computed_before, _) = first.embedding_counts();
    let before_restart = first.categorize(ledger, query()).await.expect("first");
    let (computed, loaded) = first.embedding_counts();
    assert!(
        computed - computed_before > LABELLED as u64,
        "the first training embeds the history ({} texts)",
        computed - computed_before
    );
    assert_eq!(loaded, 0, "nothing was stored yet");
    let stored: Vec<Vec<u8>> = sqlx::query_scalar(
        "SELECT vector FROM ml_embeddings WHERE ledger_id = $1 AND model_version = 'minilm-l6-v2-int8'",
    )
    .bind(ledger)
    .fetch_all(&pool)
    .await
    .expect("stored");
    // Its 200 labelled lines and its 4 category names; not the seeds, not the query.
    assert_eq!(stored.len(), LABELLED + categories.len());
    for bytes in &stored {
        let vector = decode_vector(bytes, 384).expect("384 floats");
        let norm: f32 = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-3, "unit length: {norm}");
    }

    // After a restart the history comes from Postgres: only the query is embedded.
    let second = worker(&pool);
    let (computed_before, _) = second.embedding_counts();
    let after_restart = second.categorize(ledger, query()).await.expect("second");
    let (computed, loaded) = second.embedding_counts();
    assert_eq!(computed - computed_before, 1, "only the query is embedded");
    assert_eq!(loaded, (LABELLED + categories.len()) as u64);
    // The same vectors train the same model (up to the order floats are summed in).
    assert_eq!(after_restart[0].len(), before_restart[0].len());
    for (after, before) in after_restart[0].iter().zip(&before_restart[0]) {
        assert_eq!(after.category, before.category);
        assert!(
            (after.confidence - before.confidence).abs() < 1e-5,
            "{after:?} against {before:?}"
        );
    }

    // A damaged vector is ignored, embedded again and stored again.
    sqlx::query(
        "UPDATE ml_embeddings SET vector = '\\x00' WHERE ledger_id = $1
         AND description = (SELECT min(description) FROM ml_embeddings WHERE ledger_id = $1)",
    )
    .bind(ledger)
    .execute(&pool)
    .await
    .expect("damage");
    let third = worker(&pool);
    let (computed_before, _) = third.embedding_counts();
    third.categorize(ledger, query()).await.expect("third");
    let (computed, _) = third.embedding_counts();
    assert_eq!(
        computed - computed_before,
        2,
        "the query and the damaged one"
    );
    let damaged: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM ml_embeddings WHERE ledger_id = $1 AND length(vector) <> 384 * 4",
    )
    .bind(ledger)
    .fetch_one(&pool)
    .await
    .expect("count");
    assert_eq!(damaged, 0, "stored again whole");
}
