//! `ml-worker eval`: how well the ledger categoriser does on a labelled CSV (columns
//! `description`, `amount`, `category` or `label`). Splits by distinct normalised
//! description, so the same string is never in both parts, trains on one part and scores
//! the other. The metrics are pure functions of predictions and truth.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Serialize;

use crate::classifier::{
    Direction, Example, LedgerClassifier, Method, Prediction,
    logistic::{Settings, shuffle},
};
use crate::normalise::normalise;

/// Suggestions at or above this confidence are applied without asking (the API's default).
pub const AUTO_APPLY: f32 = 0.7;

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{path}: {reason}")]
    Data { path: String, reason: String },
    #[error("{0}")]
    Usage(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub description: String,
    pub amount: f64,
    pub category: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub accuracy: f64,
    pub accuracy_unique: f64,
    pub macro_f1: f64,
    pub coverage_at_threshold: f64,
    pub accuracy_at_threshold: f64,
    pub baseline_majority: f64,
    /// Expected calibration error of the top suggestion's confidence (ten equal bins): how
    /// far, on average over rows, the confidence is from the share of such rows that are
    /// right. 0 is perfectly calibrated.
    pub calibration_error: f64,
    /// The table that error is computed from: per tenth of confidence, its rows and how many
    /// of them were right.
    pub reliability: Vec<ReliabilityBin>,
    pub n_train: usize,
    pub n_test: usize,
    pub model_version: String,
}

/// Reads a labelled CSV. A line whose amount cannot be read is skipped with a warning
/// naming it; a file without the columns, or with nothing usable, is refused.
pub fn read_csv(path: &Path) -> Result<Vec<Row>, EvalError> {
    let failed = |reason: String| EvalError::Data {
        path: path.display().to_string(),
        reason,
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| failed(e.to_string()))?;
    let headers = reader.headers().map_err(|e| failed(e.to_string()))?.clone();
    let column = |names: &[&str]| headers.iter().position(|h| names.contains(&h.trim()));
    let (Some(description), Some(amount), Some(category)) = (
        column(&["description"]),
        column(&["amount"]),
        column(&["category", "label"]),
    ) else {
        return Err(failed(
            "needs the columns description, amount and category (or label)".to_owned(),
        ));
    };
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| failed(format!("line {line}: {e}")))?;
        let field = |k: usize| record.get(k).unwrap_or("").trim();
        let Some(value) = parse_amount(field(amount)) else {
            // Exports have broken lines; one must not make the rest unusable.
            tracing::warn!(
                "{}: line {line} skipped: amount {:?} is not a number",
                path.display(),
                field(amount)
            );
            continue;
        };
        if field(description).is_empty() || field(category).is_empty() {
            return Err(failed(format!(
                "line {line}: description and category must not be empty"
            )));
        }
        rows.push(Row {
            description: field(description).to_owned(),
            amount: value,
            category: field(category).to_owned(),
        });
    }
    if rows.is_empty() {
        return Err(failed("has no rows".to_owned()));
    }
    Ok(rows)
}

/// Writes `rows` as a CSV with the columns `description`, `amount`, `category`.
pub fn write_csv(path: &Path, rows: &[Row]) -> Result<(), EvalError> {
    let failed = |reason: String| EvalError::Data {
        path: path.display().to_string(),
        reason,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| failed(e.to_string()))?;
    }
    let mut writer = csv::Writer::from_path(path).map_err(|e| failed(e.to_string()))?;
    writer
        .write_record(["description", "amount", "category"])
        .map_err(|e| failed(e.to_string()))?;
    for row in rows {
        writer
            .write_record([
                row.description.as_str(),
                &row.amount.to_string(),
                row.category.as_str(),
            ])
            .map_err(|e| failed(e.to_string()))?;
    }
    writer.flush().map_err(|e| failed(e.to_string()))
}

/// Pure: an amount as bank exports write it: spaces as thousands separators
/// (`38 624.93`), or a stray code before it in the same column (`470010 -0.80`, where the
/// last part is the amount).
pub fn parse_amount(text: &str) -> Option<f64> {
    let joined: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    joined
        .parse()
        .ok()
        .or_else(|| text.split_whitespace().last()?.parse().ok())
        .filter(|v: &f64| v.is_finite())
}

/// Pure: (train, test) with about `test_fraction` of the distinct normalised descriptions
/// in test, chosen by `seed`.
pub fn split(rows: &[Row], test_fraction: f64, seed: u64) -> (Vec<Row>, Vec<Row>) {
    let mut distinct: Vec<String> = rows.iter().map(|r| normalise(&r.description)).collect();
    distinct.sort();
    distinct.dedup();
    shuffle(&mut distinct, &mut seed.max(1));
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let n_test = ((distinct.len() as f64) * test_fraction.clamp(0.0, 1.0)).round() as usize;
    let test: HashSet<&String> = distinct.iter().take(n_test).collect();
    rows.iter()
        .cloned()
        .partition(|r| !test.contains(&normalise(&r.description)))
}

#[allow(clippy::cast_precision_loss)]
fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// Pure: macro-averaged F1 over every class in `truth` or `predicted`.
pub fn macro_f1(truth: &[&str], predicted: &[&str]) -> f64 {
    let classes: HashSet<&str> = truth.iter().chain(predicted).copied().collect();
    let mut total = 0.0;
    for class in &classes {
        let tp = truth
            .iter()
            .zip(predicted)
            .filter(|(t, p)| t == &class && p == &class)
            .count();
        let fp = truth
            .iter()
            .zip(predicted)
            .filter(|(t, p)| t != &class && p == &class)
            .count();
        let fn_ = truth
            .iter()
            .zip(predicted)
            .filter(|(t, p)| t == &class && p != &class)
            .count();
        let precision = ratio(tp, tp + fp);
        let recall = ratio(tp, tp + fn_);
        if precision + recall > 0.0 {
            total += 2.0 * precision * recall / (precision + recall);
        }
    }
    #[allow(clippy::cast_precision_loss)]
    let n = classes.len().max(1) as f64;
    total / n
}

/// Rows whose top confidence fell in one tenth of the range, and how many were right.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReliabilityBin {
    /// The bin is `[from, from + 0.1)` (the last one includes 1.0).
    pub from: f64,
    pub rows: usize,
    pub mean_confidence: f64,
    pub accuracy: f64,
}

/// Pure: the reliability table of `confidences` (0 to 1) given whether each prediction was
/// right: the rows in ten equal-width confidence bins, the empty ones left out.
#[allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]
pub fn reliability(confidences: &[f32], right: &[bool]) -> Vec<ReliabilityBin> {
    // Per bin: rows, sum of confidences, rows right.
    let mut bins = [(0_usize, 0.0_f64, 0_usize); 10];
    for (confidence, right) in confidences.iter().zip(right) {
        let clamped = confidence.clamp(0.0, 1.0);
        // Binned in f32, where 0.9 times ten is 9: widened first, it would be 8.99...
        let bin = &mut bins[((clamped * 10.0) as usize).min(9)];
        let c = f64::from(clamped);
        bin.0 += 1;
        bin.1 += c;
        bin.2 += usize::from(*right);
    }
    bins.iter()
        .enumerate()
        .filter(|(_, (rows, _, _))| *rows > 0)
        .map(|(i, (rows, sum, hits))| ReliabilityBin {
            from: i as f64 / 10.0,
            rows: *rows,
            mean_confidence: sum / *rows as f64,
            accuracy: *hits as f64 / *rows as f64,
        })
        .collect()
}

/// Pure: the expected calibration error of a reliability table: each bin's gap between
/// mean confidence and accuracy, weighted by its share of the rows.
#[allow(clippy::cast_precision_loss)]
pub fn calibration_error(bins: &[ReliabilityBin]) -> f64 {
    let n: usize = bins.iter().map(|b| b.rows).sum();
    bins.iter()
        .map(|b| (b.mean_confidence - b.accuracy).abs() * b.rows as f64 / n as f64)
        .sum()
}

/// Pure: the report for `test` rows given each row's predictions.
pub fn score(
    train: &[Row],
    test: &[Row],
    predictions: &[Vec<Prediction>],
    model_version: &str,
) -> Report {
    let top: Vec<&str> = predictions
        .iter()
        .map(|p| p.first().map_or("", |p| p.category.as_str()))
        .collect();
    let truth: Vec<&str> = test.iter().map(|r| r.category.as_str()).collect();
    let correct = truth.iter().zip(&top).filter(|(t, p)| t == p).count();

    // Each distinct normalised description once: its first row's prediction against its
    // most frequent label.
    let mut groups: HashMap<String, (usize, HashMap<&str, usize>)> = HashMap::new();
    for (i, row) in test.iter().enumerate() {
        let group = groups
            .entry(normalise(&row.description))
            .or_insert((i, HashMap::new()));
        *group.1.entry(row.category.as_str()).or_insert(0) += 1;
    }
    let unique_correct = groups
        .values()
        .filter(|(first, labels)| {
            let label = labels
                .iter()
                .max_by_key(|(l, n)| (**n, std::cmp::Reverse(**l)))
                .map(|(l, _)| *l);
            label == Some(top[*first])
        })
        .count();

    let confident: Vec<usize> = (0..test.len())
        .filter(|&i| {
            predictions[i]
                .first()
                .is_some_and(|p| p.confidence >= AUTO_APPLY)
        })
        .collect();
    let confident_correct = confident.iter().filter(|&&i| truth[i] == top[i]).count();

    let mut frequency: HashMap<&str, usize> = HashMap::new();
    for row in train {
        *frequency.entry(row.category.as_str()).or_insert(0) += 1;
    }
    let majority = frequency
        .iter()
        .max_by_key(|(l, n)| (**n, std::cmp::Reverse(**l)))
        .map_or("", |(l, _)| *l);
    let bins = reliability(
        &predictions
            .iter()
            .map(|p| p.first().map_or(0.0, |p| p.confidence))
            .collect::<Vec<_>>(),
        &truth
            .iter()
            .zip(&top)
            .map(|(t, p)| t == p)
            .collect::<Vec<_>>(),
    );
    Report {
        accuracy: ratio(correct, test.len()),
        accuracy_unique: ratio(unique_correct, groups.len()),
        macro_f1: macro_f1(&truth, &top),
        coverage_at_threshold: ratio(confident.len(), test.len()),
        accuracy_at_threshold: ratio(confident_correct, confident.len()),
        baseline_majority: ratio(truth.iter().filter(|t| **t == majority).count(), test.len()),
        calibration_error: calibration_error(&bins),
        reliability: bins,
        n_train: train.len(),
        n_test: test.len(),
        model_version: model_version.to_owned(),
    }
}

/// Trains on `train` and predicts each row of `test`: up to three categories, best first.
pub fn predict(
    train: &[Row],
    test: &[Row],
    embed: &crate::classifier::Embed<'_>,
    method: Method,
) -> Vec<Vec<Prediction>> {
    let examples: Vec<Example> = train
        .iter()
        .map(|r| Example {
            description: r.description.clone(),
            direction: Direction::of(r.amount),
            category: r.category.clone(),
            correction: false,
            seed: false,
        })
        .collect();
    let classifier = LedgerClassifier::train_with(&examples, embed, Settings::default(), method);
    let items: Vec<(&str, Direction)> = test
        .iter()
        .map(|r| (r.description.as_str(), Direction::of(r.amount)))
        .collect();
    classifier.predict(&items, embed)
}

/// Writes each test row with the model's best guess as a CSV (`description`, `amount`,
/// `category`, `predicted`, `confidence`), to see what it gets wrong and how sure it was.
pub fn write_predictions(
    path: &Path,
    test: &[Row],
    predictions: &[Vec<Prediction>],
) -> Result<(), EvalError> {
    let failed = |reason: String| EvalError::Data {
        path: path.display().to_string(),
        reason,
    };
    let mut writer = csv::Writer::from_path(path).map_err(|e| failed(e.to_string()))?;
    writer
        .write_record([
            "description",
            "amount",
            "category",
            "predicted",
            "confidence",
        ])
        .map_err(|e| failed(e.to_string()))?;
    for (row, ranked) in test.iter().zip(predictions) {
        let best = ranked.first();
        writer
            .write_record([
                row.description.as_str(),
                &row.amount.to_string(),
                row.category.as_str(),
                best.map_or("", |p| p.category.as_str()),
                &best.map_or(0.0, |p| p.confidence).to_string(),
            ])
            .map_err(|e| failed(e.to_string()))?;
    }
    writer.flush().map_err(|e| failed(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(description: &str, category: &str) -> Row {
        Row {
            description: description.to_owned(),
            amount: -1.0,
            category: category.to_owned(),
        }
    }

    #[test]
    fn calibration_error_is_the_weighted_gap_between_confidence_and_accuracy() {
        // Ten rows at 0.9 of which 9 are right, and ten at 0.35 of which 5 are: the first
        // bin is honest, the second off by 0.15 on half the rows.
        let confidences: Vec<f32> = [vec![0.9; 10], vec![0.35; 10]].concat();
        let right: Vec<bool> = (0..20).map(|i| i < 9 || (10..15).contains(&i)).collect();
        let bins = reliability(&confidences, &right);
        assert_eq!(
            bins.iter()
                .map(|b| (b.rows, (b.from * 10.0).round()))
                .collect::<Vec<_>>(),
            [(10, 3.0), (10, 9.0)]
        );
        assert!((bins[0].accuracy - 0.5).abs() < 1e-12);
        assert!((bins[1].mean_confidence - 0.9).abs() < 1e-6);
        assert!((calibration_error(&bins) - 0.075).abs() < 1e-6);
        let error = |c: &[f32], r: &[bool]| calibration_error(&reliability(c, r));
        assert!(error(&[1.0, 1.0], &[true, true]).abs() < 1e-12);
        assert!((error(&[1.0, 0.0], &[false, true]) - 1.0).abs() < 1e-12);
        assert!(error(&[], &[]).abs() < 1e-12);
    }

    #[test]
    fn amounts_are_read_the_way_banks_write_them() {
        assert_eq!(parse_amount("-159.00"), Some(-159.0));
        assert_eq!(parse_amount("38 624.93"), Some(38_624.93));
        assert_eq!(parse_amount("470010 -0.80"), Some(-0.8));
        assert_eq!(parse_amount("twelve"), None);
        assert_eq!(parse_amount("NaN"), None);
        assert_eq!(parse_amount(""), None);
    }

    #[test]
    fn the_split_never_puts_one_description_on_both_sides() {
        let rows: Vec<Row> = (0..40)
            .map(|i| row(&format!("Shop{} * {:02} Oct", i % 13, i % 28 + 1), "X"))
            .collect();
        let (train, test) = split(&rows, 0.5, 7);
        assert_eq!(train.len() + test.len(), rows.len());
        let seen: HashSet<String> = train.iter().map(|r| normalise(&r.description)).collect();
        assert!(
            test.iter()
                .all(|r| !seen.contains(&normalise(&r.description)))
        );
        assert!(!train.is_empty() && !test.is_empty());
        assert_eq!(split(&rows, 0.5, 7), (train, test), "same seed, same split");
    }

    #[test]
    fn metrics_count_rows_distinct_descriptions_and_the_confident_share() {
        let p = |c: &str, confidence: f32| {
            vec![Prediction {
                category: c.to_owned(),
                confidence,
            }]
        };
        let train = vec![row("a", "Food"), row("b", "Food"), row("c", "Fuel")];
        let test = vec![
            row("shop", "Food"),
            row("shop", "Food"),
            row("shop", "Food"),
            row("pump", "Fuel"),
        ];
        let predictions = vec![
            p("Food", 0.9),
            p("Food", 0.9),
            p("Food", 0.9),
            p("Food", 0.5),
        ];
        let report = score(&train, &test, &predictions, "v");
        assert!((report.accuracy - 0.75).abs() < 1e-9);
        assert!(
            (report.accuracy_unique - 0.5).abs() < 1e-9,
            "shop right, pump wrong"
        );
        assert!((report.coverage_at_threshold - 0.75).abs() < 1e-9);
        assert!((report.accuracy_at_threshold - 1.0).abs() < 1e-9);
        assert!(
            (report.baseline_majority - 0.75).abs() < 1e-9,
            "Food is the majority"
        );
        // Food: P 3/4, R 1 -> 6/7; Fuel: 0.
        assert!((report.macro_f1 - 3.0 / 7.0).abs() < 1e-9);
    }
}
