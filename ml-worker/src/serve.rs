//! The ML worker's HTTP service. Starts even while Postgres or Redis is down (reporting
//! not-ready) and drains on SIGTERM.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use service_kit::metrics::Metrics;
use service_kit::probes::{Condition, Readiness};
use service_kit::server;
use service_kit::stores::{PostgresCheck, RedisCheck};
use service_kit::streams::GroupReader;

use crate::config::{Config, EvalArgs};
use crate::error::Error;
use crate::eval;
use crate::ledgers::Ledgers;
use crate::metrics::MlMetrics;
use crate::model::embedder::Embedder;
use crate::queue::{self, Consumer};
use crate::routes;

pub async fn serve(config: Config) -> Result<(), Error> {
    let pool = config.stores.postgres_pool()?;
    let redis = config.stores.redis()?;
    let listener = server::bind(config.listen_addr).await?;
    // A missing or damaged model stops the worker here, naming the file.
    let threads = usize::try_from(config.model_threads).unwrap_or(1);
    let (dir, version) = (config.model_dir.clone(), config.model_version.clone());
    let embedder = tokio::task::spawn_blocking(move || Embedder::load(&dir, &version, threads))
        .await
        .map_err(|e| Error::Serve(std::io::Error::other(e)))??;
    tracing::info!(model = %embedder.manifest().version, "model loaded");
    let ledgers = Arc::new(Ledgers::new(pool.clone(), Arc::new(embedder)));
    // In the background, with /readyz saying not ready until it is done: a new ledger's
    // first training must not wait for the seeds (about half a second on two cores).
    let seeds = Condition::new("seed_examples");
    let warming = Arc::clone(&ledgers);
    let warmed = Arc::clone(&seeds);
    tokio::task::spawn_blocking(move || match warming.warm_up() {
        Ok(()) => warmed.succeed(),
        Err(e) => {
            tracing::error!(error = %e, "cannot embed the seed examples");
            warmed.fail(e.to_string());
        }
    });
    let readiness = Arc::new(Readiness::new(
        vec![
            Box::new(PostgresCheck(pool.clone())),
            Box::new(RedisCheck(redis.clone())),
            Box::new(seeds),
        ],
        Duration::from_secs(3),
    ));
    let metrics = Arc::new(Metrics::new("ml"));
    let ml_metrics = MlMetrics::register(&metrics);
    ml_metrics.start_at_zero(&config.model_version);
    let state = routes::WorkerState {
        ledgers,
        metrics: ml_metrics,
    };

    // The queue gets its own Redis connection: its blocking reads must not delay the
    // readiness check.
    let consumer = Consumer {
        reader: GroupReader {
            redis: config.stores.redis()?,
            stream: config.queue_stream.clone(),
            group: queue::GROUP.to_owned(),
            name: std::env::var("HOSTNAME")
                .unwrap_or_else(|_| format!("ml-worker-{}", std::process::id())),
            min_idle: Duration::from_secs(config.queue_min_idle_seconds),
        },
        db: pool.clone(),
        ledgers: Arc::clone(&state.ledgers),
        metrics: state.metrics.clone(),
    };
    // Stopped mid-batch at shutdown, nothing is lost: entries are acknowledged only after
    // their results are written, and another worker claims what is left pending.
    let consuming = tokio::spawn(consumer.run(std::future::pending()));
    server::run(
        listener,
        routes::router(state).layer(DefaultBodyLimit::max(4 * 1024 * 1024)),
        readiness,
        metrics,
        Duration::from_secs(config.shutdown_grace_seconds),
    )
    .await
    .map_err(Error::Serve)?;
    consuming.abort();
    pool.close().await;
    tracing::info!("shutdown complete");
    Ok(())
}

/// `ml-worker eval`: trains on one part of a labelled CSV and reports on the other.
pub fn eval(config: &Config, args: &EvalArgs) -> Result<(), Error> {
    let (train, test) = match (&args.data, &args.train, &args.test) {
        (Some(data), _, _) => eval::split(&eval::read_csv(data)?, args.test_fraction, args.seed),
        (None, Some(train), Some(test)) => (eval::read_csv(train)?, eval::read_csv(test)?),
        _ => {
            return Err(
                eval::EvalError::Usage("give --data, or --train and --test".to_owned()).into(),
            );
        }
    };
    if let Some(dir) = &args.write_split {
        eval::write_csv(&dir.join("train.csv"), &train)?;
        eval::write_csv(&dir.join("test.csv"), &test)?;
    }
    let threads = usize::try_from(config.model_threads).unwrap_or(1);
    let embedder = Embedder::load(&config.model_dir, &config.model_version, threads)?;
    let embed = |texts: &[&str]| {
        embedder.embed(texts).unwrap_or_else(|e| {
            tracing::error!(error = %e, "embedding failed; using zero vectors");
            vec![vec![0.0; embedder.manifest().embedding_size]; texts.len()]
        })
    };
    let method = if args.method == "knn" {
        crate::classifier::Method::NearestNeighbours { k: args.k }
    } else {
        crate::classifier::Method::LogisticRegression
    };
    let predictions = eval::predict(&train, &test, &embed, method);
    if let Some(path) = &args.write_predictions {
        eval::write_predictions(path, &test, &predictions)?;
    }
    let report = eval::score(&train, &test, &predictions, &embedder.manifest().version);
    if args.json {
        println!("{}", serde_json::to_string(&report).unwrap_or_default());
    } else {
        println!("model            {}", report.model_version);
        println!(
            "rows             {} train, {} test",
            report.n_train, report.n_test
        );
        println!("accuracy         {:.3} (rows)", report.accuracy);
        println!(
            "accuracy         {:.3} (distinct descriptions)",
            report.accuracy_unique
        );
        println!("macro F1         {:.3}", report.macro_f1);
        println!(
            "at {:.2}          {:.3} of rows covered, {:.3} of those right",
            eval::AUTO_APPLY,
            report.coverage_at_threshold,
            report.accuracy_at_threshold
        );
        println!("majority class   {:.3}", report.baseline_majority);
        println!(
            "calibration      {:.3} expected calibration error (0 is perfect)",
            report.calibration_error
        );
        for bin in &report.reliability {
            println!(
                "  confidence {:.1}-{:.1}  {:>6} rows  mean {:.3}  right {:.3}",
                bin.from,
                bin.from + 0.1,
                bin.rows,
                bin.mean_confidence,
                bin.accuracy
            );
        }
    }
    Ok(())
}
