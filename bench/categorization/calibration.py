#!/usr/bin/env python3
"""Would a Platt map on the top suggestion's confidence make it more honest?

Reads the per-row predictions `ml-worker eval --write-predictions` wrote for several splits
(columns description, amount, category, predicted, confidence), pools them, and cuts the pool
in two by a hash of the description (the same string never on both sides). On each half it
fits p' = sigmoid(a * logit(p) + b) by likelihood and judges the map on the other half: the
calibration error (10 equal-width bins, weighted by rows), and coverage and accuracy at the
auto-apply threshold, before and after. Prints one JSON object per fold and their mean, or
with --markdown a table of them.

    calibration.py [--threshold 0.7] [--markdown] PREDICTIONS.csv...
"""

import argparse
import csv
import hashlib
import json
import math


def logit(p):
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def sigmoid(z):
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


def fit(rows):
    """Newton's method on the log-likelihood of right/wrong given a*logit(p)+b."""
    a, b = 1.0, 0.0
    for _ in range(50):
        ga = gb = haa = hab = hbb = 0.0
        for p, right in rows:
            x = logit(p)
            q = sigmoid(a * x + b)
            r = q - right
            w = q * (1 - q)
            ga += r * x
            gb += r
            haa += w * x * x
            hab += w * x
            hbb += w
        det = haa * hbb - hab * hab
        if det <= 1e-12:
            break
        da = (hbb * ga - hab * gb) / det
        db = (haa * gb - hab * ga) / det
        a, b = a - da, b - db
        if abs(da) + abs(db) < 1e-9:
            break
    return a, b


def judge(rows, threshold):
    bins = [[0, 0.0, 0] for _ in range(10)]
    for p, right in rows:
        k = min(int(p * 10), 9)
        bins[k][0] += 1
        bins[k][1] += p
        bins[k][2] += right
    n = len(rows)
    ece = sum(abs(s / c - r / c) * c / n for c, s, r in bins if c)
    above = [right for p, right in rows if p >= threshold]
    return {
        "calibration_error": round(ece, 4),
        "coverage_at_threshold": round(len(above) / n, 4),
        "accuracy_at_threshold": round(sum(above) / len(above), 4) if above else None,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threshold", type=float, default=0.7)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("predictions", nargs="+")
    args = parser.parse_args()
    halves = ([], [])
    for path in args.predictions:
        with open(path, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                side = hashlib.sha256(row["description"].encode()).digest()[0] % 2
                right = 1 if row["predicted"] == row["category"] else 0
                halves[side].append((float(row["confidence"]), right))
    folds = []
    for fit_on in (0, 1):
        a, b = fit(halves[fit_on])
        test = halves[1 - fit_on]
        mapped = [(sigmoid(a * logit(p) + b), right) for p, right in test]
        folds.append({
            "a": round(a, 4),
            "b": round(b, 4),
            "rows_fitted": len(halves[fit_on]),
            "rows_judged": len(test),
            "before": judge(test, args.threshold),
            "after": judge(mapped, args.threshold),
        })
    mean = lambda side, key: round(sum(f[side][key] for f in folds) / 2, 4)
    summary = {side: {key: mean(side, key) for key in folds[0][side]} for side in ("before", "after")}
    if not args.markdown:
        for fold in folds:
            print(json.dumps(fold))
        print(json.dumps({"mean": summary}))
        return
    print(f"A Platt map sigmoid(a * logit(p) + b) on the top confidence, fitted on the rows of half the "
          f"distinct strings ({len(args.predictions)} splits pooled) and judged on the other (A and B, by a hash of the string):\n")
    print(f"| split | a | b | rows judged | calibration error | coverage at {args.threshold} | accuracy at {args.threshold} |")
    print("|---|---|---|---|---|---|---|")
    cells = lambda r: f"{r['calibration_error']:.3f} | {r['coverage_at_threshold']:.3f} | {r['accuracy_at_threshold']:.3f}"
    for side, fold in zip(("fitted on A, judged on B", "fitted on B, judged on A"), folds):
        print(f"| {side}, as is | | | {fold['rows_judged']} | {cells(fold['before'])} |")
        print(f"| {side}, mapped | {fold['a']:.3f} | {fold['b']:.3f} | {fold['rows_judged']} | {cells(fold['after'])} |")
    print(f"| mean, as is | | | | {cells(summary['before'])} |")
    print(f"| mean, mapped | | | | {cells(summary['after'])} |")
    print()

if __name__ == "__main__":
    main()
