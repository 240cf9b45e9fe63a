"""The baseline the categoriser must beat: character n-gram TF-IDF + logistic regression
(scikit-learn), trained and scored on the same split files `ml-worker eval --write-split`
writes. Prints one JSON object with the same metric names as `ml-worker eval --json`.

    python tfidf_baseline.py --train DIR/train.csv --test DIR/test.csv
"""

import argparse
import csv
import json
from collections import Counter

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return [(r["description"], r["category"]) for r in csv.DictReader(f)]


def calibration_error(confidence, right, bins=10):
    """Expected calibration error, computed as `ml-worker eval` does (ten equal bins)."""
    total = 0.0
    for b in range(bins):
        rows = [i for i, c in enumerate(confidence) if min(int(c * bins), bins - 1) == b]
        if rows:
            mean_confidence = sum(confidence[i] for i in rows) / len(rows)
            accuracy = sum(right[i] for i in rows) / len(rows)
            total += abs(mean_confidence - accuracy) * len(rows) / len(confidence)
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--train", required=True)
    parser.add_argument("--test", required=True)
    args = parser.parse_args()
    train, test = read(args.train), read(args.test)
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=True)
    x_train = vectorizer.fit_transform([d for d, _ in train])
    model = LogisticRegression(max_iter=2000, C=10.0)
    model.fit(x_train, [c for _, c in train])
    probabilities = model.predict_proba(vectorizer.transform([d for d, _ in test]))
    predicted = [model.classes_[p.argmax()] for p in probabilities]
    confidence = [p.max() for p in probabilities]
    truth = [c for _, c in test]
    confident = [i for i, c in enumerate(confidence) if c >= 0.7]
    majority = Counter(c for _, c in train).most_common(1)[0][0]
    print(json.dumps({
        "accuracy": sum(p == t for p, t in zip(predicted, truth)) / len(test),
        "macro_f1": f1_score(truth, predicted, average="macro"),
        "coverage_at_threshold": len(confident) / len(test),
        "accuracy_at_threshold": (sum(predicted[i] == truth[i] for i in confident) / len(confident)) if confident else 0.0,
        "baseline_majority": sum(t == majority for t in truth) / len(test),
        "calibration_error": calibration_error(confidence, [p == t for p, t in zip(predicted, truth)]),
        "n_train": len(train),
        "n_test": len(test),
        "model_version": "tfidf-char-3-5-logreg",
    }))


if __name__ == "__main__":
    main()
