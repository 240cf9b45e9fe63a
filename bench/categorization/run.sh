#!/usr/bin/env bash
# Categorisation quality on the labelled fixture of real bank strings: `ml-worker eval`
# (INT8 and FP32, and nearest neighbours in place of logistic regression) against scikit-learn's character n-gram TF-IDF + logistic regression on
# the very same splits, averaged over SEEDS splits by distinct description. Appends a table
# to bench/categorization/results.md.
#
#   bench/categorization/run.sh
#   DATA=my-labelled.csv SEEDS="1 2 3" bench/categorization/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/stores.sh
source scripts/stores.sh

DATA=${DATA:-tests/fixtures/categorization/south_africa/transactions.csv}
SEEDS=${SEEDS:-1 2 3 4 5 6}
OUT=${OUT:-bench/categorization/results.md}
VENV=.cache/bench-venv
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

scripts/model.sh
cargo build --release --locked -p ml-worker
if [ ! -x "$VENV/bin/python" ] || ! cmp -s bench/categorization/requirements.txt "$VENV/requirements.txt"; then
    say "installing scikit-learn into $VENV"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps -r bench/categorization/requirements.txt
    cp bench/categorization/requirements.txt "$VENV/requirements.txt"
fi

for seed in $SEEDS; do
    for version in minilm-l6-v2-int8 minilm-l6-v2-fp32; do
        target/release/ml-worker eval --data "$DATA" --seed "$seed" --json --model-dir models \
            --model-version "$version" --write-split "$WORK/$seed" \
            --write-predictions "$WORK/$version-$seed.predictions.csv" 2>/dev/null >> "$WORK/$version.jsonl"
    done
    target/release/ml-worker eval --data "$DATA" --seed "$seed" --json --model-dir models \
        --model-version minilm-l6-v2-int8 --method knn --k 5 2>/dev/null >> "$WORK/knn.jsonl"
    "$VENV/bin/python" bench/categorization/tfidf_baseline.py \
        --train "$WORK/$seed/train.csv" --test "$WORK/$seed/test.csv" >> "$WORK/tfidf.jsonl"
done

python3 - "$WORK" "$DATA" "$SEEDS" <<'PY' | tee -a "$OUT"
import json, sys, datetime
work, data, seeds = sys.argv[1], sys.argv[2], sys.argv[3].split()
print(f"## Categorisation, {datetime.date.today()}, {data}, mean of {len(seeds)} splits (seeds {' '.join(seeds)}, half the distinct descriptions held out)\n")
print("| model | accuracy (rows) | accuracy (distinct) | macro F1 | coverage at 0.7 | accuracy at 0.7 | calibration error | majority class |")
print("|---|---|---|---|---|---|---|---|")
for name in ["minilm-l6-v2-int8", "minilm-l6-v2-fp32", "knn", "tfidf"]:
    rows = [json.loads(l) for l in open(f"{work}/{name}.jsonl")]
    mean = lambda k: sum(r.get(k, float("nan")) for r in rows) / len(rows)
    label = {"tfidf": "scikit-learn TF-IDF char 3-5 + logistic regression",
             "knn": "ml-worker minilm-l6-v2-int8, nearest neighbours (k = 5) instead of logistic regression"}.get(name, f"ml-worker {name}")
    distinct = f"{mean('accuracy_unique'):.3f}" if "accuracy_unique" in rows[0] else "n/a"
    print(f"| {label} | {mean('accuracy'):.3f} | {distinct} | {mean('macro_f1'):.3f} | {mean('coverage_at_threshold'):.3f} | {mean('accuracy_at_threshold'):.3f} | {mean('calibration_error'):.3f} | {mean('baseline_majority'):.3f} |")
print()
# One split's bins hold 7 to 45 rows: pooled over the splits, a bin's accuracy has a
# standard error of about a third as much, which says whether a gap is the model's or chance.
rows = [json.loads(l) for l in open(f"{work}/minilm-l6-v2-int8.jsonl")]
pooled = {}
for r in rows:
    for b in r["reliability"]:
        n, conf, right = pooled.get(b["from"], (0, 0.0, 0.0))
        pooled[b["from"]] = (n + b["rows"], conf + b["mean_confidence"] * b["rows"], right + b["accuracy"] * b["rows"])
total = sum(n for n, _, _ in pooled.values())
print(f"Reliability of minilm-l6-v2-int8's top suggestion, the {len(rows)} test splits pooled ({total} rows):\n")
print("| confidence | rows | mean confidence | accuracy | ± (1 s.e.) |")
print("|---|---|---|---|---|")
gap = 0.0
for start in sorted(pooled):
    n, conf, right = pooled[start]
    accuracy = right / n
    gap += abs(conf / n - accuracy) * n / total
    print(f"| {start:.1f}–{start + 0.1:.1f} | {n} | {conf / n:.3f} | {accuracy:.3f} | {(accuracy * (1 - accuracy) / n) ** 0.5:.3f} |")
print(f"\nCalibration error of the pooled table: {gap:.3f}.\n")
PY

# Would a Platt map on the confidence make it more honest? Fitted and judged on halves of
# the pooled rows, split by distinct string.
python3 bench/categorization/calibration.py --markdown "$WORK"/minilm-l6-v2-int8-*.predictions.csv | tee -a "$OUT"
