#!/usr/bin/env bash
# Reconciles, API requests and writes of an idle operator: the controller runs against the
# fake API server with one settled FinanceTracker for IDLE_SECONDS (default 900, three
# resync periods), through the same test that `make test` runs for 10 s. Appends to
# bench/operator/results.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
IDLE_SECONDS=${IDLE_SECONDS:-900}
# Build first, then run the test binary itself: the long wait holds no cargo lock.
binary=$(cargo test -q -p operator --test cluster --no-run --message-format=json 2>/dev/null |
    python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "cluster" and m.get("executable"):
        print(m["executable"])')
out=$(IDLE_SECONDS=$IDLE_SECONDS "$binary" controller::an_idle_operator_reconciles_rarely_and_writes_nothing \
    --exact --nocapture 2>&1)
line=$(grep -E '^idle: ' <<<"$out") || { echo "$out" >&2; exit 1; }
read -r reconciles requests writes < <(sed -E 's/^idle: ([0-9]+) reconciles, ([0-9]+) API requests, ([0-9]+) writes.*/\1 \2 \3/' <<<"$line")
per_minute() { awk -v n="$1" -v s="$IDLE_SECONDS" 'BEGIN { printf "%.2f", n * 60 / s }'; }
{
    echo
    echo "## $(date -u +%Y-%m-%d) idle for ${IDLE_SECONDS} s, one settled FinanceTracker"
    echo
    echo "| measure | total | per minute |"
    echo "|---|---|---|"
    echo "| reconciles | $reconciles | $(per_minute "$reconciles") |"
    echo "| API requests (watches and leases excluded) | $requests | $(per_minute "$requests") |"
    echo "| writes | $writes | $(per_minute "$writes") |"
} | tee -a bench/operator/results.md
