//! `ml-worker eval` on the labelled fixture of real bank strings, end to end through the
//! binary: it parses the CLI, reads the messy CSV, embeds with the real model, trains and
//! scores. The comparison with scikit-learn's TF-IDF baseline lives in
//! bench/categorization (it needs scikit-learn).

use std::path::PathBuf;
use std::process::Command;

const WORKER: &str = env!("CARGO_BIN_EXE_ml-worker");

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/categorization/south_africa/transactions.csv")
}

#[test]
fn eval_beats_the_majority_class_by_far_and_reports_every_metric() {
    let predictions = std::env::temp_dir().join(format!("eval-{}.csv", std::process::id()));
    let output = Command::new(WORKER)
        .args(["eval", "--data"])
        .arg(fixture())
        .args([
            "--test-fraction",
            "0.5",
            "--seed",
            "42",
            "--json",
            "--model-dir",
        ])
        .arg(testkit::model_dir())
        .arg("--write-predictions")
        .arg(&predictions)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("line 227 skipped"),
        "the broken line is named: {stderr}"
    );
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("one JSON object");
    for key in [
        "accuracy",
        "accuracy_unique",
        "macro_f1",
        "coverage_at_threshold",
        "accuracy_at_threshold",
        "baseline_majority",
        "n_train",
        "n_test",
        "model_version",
    ] {
        assert!(report.get(key).is_some(), "{key} in {report}");
    }
    let accuracy = report["accuracy"].as_f64().expect("accuracy");
    let majority = report["baseline_majority"].as_f64().expect("majority");
    assert!(accuracy > majority * 3.0, "{report}");
    assert_eq!(
        report["n_train"].as_u64().expect("n") + report["n_test"].as_u64().expect("n"),
        450
    );

    // The rows written are the rows scored: their share of right guesses is the accuracy.
    let mut reader = csv::Reader::from_path(&predictions).expect("predictions written");
    assert_eq!(
        reader.headers().expect("header"),
        vec![
            "description",
            "amount",
            "category",
            "predicted",
            "confidence"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    std::fs::remove_file(&predictions).expect("cleanup");
    assert_eq!(rows.len() as u64, report["n_test"].as_u64().expect("n"));
    let right = rows.iter().filter(|r| r[2] == r[3]).count();
    #[allow(clippy::cast_precision_loss)]
    let share = right as f64 / rows.len() as f64;
    assert!((share - accuracy).abs() < 1e-9, "{share} vs {report}");
    assert!(rows.iter().all(|r| {
        let confidence: f64 = r[4].parse().expect("confidence");
        (0.0..=1.0).contains(&confidence)
    }));
}

#[test]
fn eval_refuses_a_file_without_the_columns_and_bad_arguments() {
    let dir = std::env::temp_dir().join(format!("ft-eval-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "text,value\nshop,1\n").expect("write");
    let output = Command::new(WORKER)
        .args(["eval", "--data"])
        .arg(&bad)
        .arg("--model-dir")
        .arg(testkit::model_dir())
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("needs the columns description, amount and category"),
        "{stderr}"
    );

    let output = Command::new(WORKER).args(["eval"]).output().expect("run");
    assert_eq!(output.status.code(), Some(2), "clap usage error");
    std::fs::remove_dir_all(&dir).ok();
}
