#!/usr/bin/env bash
# ML worker throughput on this machine: categorisations per second in batches of 100,
# single-description latency, peak memory, against Python onnxruntime embedding the same
# strings with the same ONNX file (2 threads each), and the first request after a restart
# with the ledger's embeddings stored against one with none. The ledger model is trained on the
# labelled fixture; every string is made unique so the embedding cache cannot answer.
# Appends a table to bench/ml-worker/results.md.
#
#   bench/ml-worker/run.sh
#   VERSION=minilm-l6-v2-fp32 DURATION=20s bench/ml-worker/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/stores.sh
source scripts/stores.sh

VERSION=${VERSION:-minilm-l6-v2-int8}
DURATION=${DURATION:-15s}
PORT=${PORT:-18090}
OUT=${OUT:-bench/ml-worker/results.md}
FIXTURE=tests/fixtures/categorization/south_africa/transactions.csv
SERVER_URL=postgres://financetracker:financetracker@127.0.0.1:5432
export DATABASE_URL=$SERVER_URL/financetracker_mlbench
WORK=$(mktemp -d)

ensure_stores
ensure_packages wrk curl jq
scripts/model.sh
cargo build --release --locked -p ml-worker

say "database: financetracker_mlbench with a ledger taught the fixture's labels"
psql -X -q -v ON_ERROR_STOP=1 "$SERVER_URL/financetracker" \
    -c 'DROP DATABASE IF EXISTS financetracker_mlbench WITH (FORCE)' -c 'CREATE DATABASE financetracker_mlbench'
for migration in migrations/*.sql; do
    psql -X -q -1 -v ON_ERROR_STOP=1 "$DATABASE_URL" -f "$migration" >/dev/null
done
python3 - "$FIXTURE" "$WORK" <<'PY' | psql -X -q -v ON_ERROR_STOP=1 "$DATABASE_URL"
import csv, sys
fixture, work = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(fixture, newline="", encoding="utf-8")))
def amount(text):
    try:
        return float(text.replace(" ", ""))
    except ValueError:
        try:
            return float(text.split()[-1])
        except (ValueError, IndexError):
            return None
q = lambda s: "'" + s.replace("'", "''") + "'"
labels = sorted({r["label"] for r in rows})
print("INSERT INTO ledgers (id, name, base_currency) VALUES ('00000000-0000-0000-0000-00000000b001', 'Bench', 'EUR');")
print("INSERT INTO category_groups (id, ledger_id, name, kind) VALUES ('00000000-0000-0000-0000-00000000b002', '00000000-0000-0000-0000-00000000b001', 'All', 'expense');")
for i, label in enumerate(labels):
    print(f"INSERT INTO categories (id, ledger_id, group_id, name) VALUES ('00000000-0000-0000-0000-{i:012d}', '00000000-0000-0000-0000-00000000b001', '00000000-0000-0000-0000-00000000b002', {q(label)});")
seen = set()
for r in rows:
    value = amount(r["amount"])
    key = (value is not None and value > 0, r["description"].strip().lower())
    if value is None or key in seen or not r["description"].strip():
        continue
    seen.add(key)
    print(f"INSERT INTO ml_examples (ledger_id, money_in, description, category_id, outcome) VALUES ('00000000-0000-0000-0000-00000000b001', {str(key[0]).lower()}, {q(r['description'].strip()[:500])}, '00000000-0000-0000-0000-{labels.index(r['label']):012d}', 'accepted') ON CONFLICT DO NOTHING;")
with open(f"{work}/descriptions.txt", "w") as out:
    for r in rows:
        out.write(r["description"].strip().replace("\n", " ") + "\n")
PY
LEDGER=00000000-0000-0000-0000-00000000b001

WORKER=
trap 'kill $WORKER 2>/dev/null || true; rm -rf "$WORK"' EXIT
start_worker() {
    LISTEN_ADDR=127.0.0.1:$PORT MODEL_DIR=$PWD/models MODEL_VERSION=$VERSION LOG_LEVEL=warn \
        target/release/ml-worker serve >> "$WORK/worker.log" 2>&1 &
    WORKER=$!
    for _ in $(seq 1 100); do curl -fs "127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
    sleep 2 # the seed lines are embedded in the background at start
}
first_request() { # seconds for the first categorisation: it trains the ledger model
    curl -fs -o /dev/null -w '%{time_total}' -H 'content-type: application/json' \
        -d '{"items":[{"description":"warm up","amount":-1}]}' "127.0.0.1:$PORT/v1/ledgers/$LEDGER/categorize"
}
# The first request trains the ledger model, embedding its whole history; after a restart
# the history's embeddings are read back from Postgres (ml_embeddings).
start_worker
cold_seconds=$(first_request)
kill "$WORKER"; wait "$WORKER" 2>/dev/null || true
start_worker
restart_seconds=$(first_request)
history=$(psql -X -tAq "$DATABASE_URL" -c "SELECT count(*) FROM ml_embeddings")

wrk_run() { # batch connections [unique] -> "requests/s p50 p99"
    local out
    out=$(LEDGER=$LEDGER BATCH=$1 UNIQUE=${3:-1} DESCRIPTIONS="$WORK/descriptions.txt" \
        wrk -t1 -c"$2" -d"$DURATION" --latency -s bench/ml-worker/categorize.lua "http://127.0.0.1:$PORT")
    if grep -q 'Non-2xx' <<<"$out"; then die "errors under load: $out"; fi
    echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(awk '$1 == "50%" {print $2}' <<<"$out") $(awk '$1 == "99%" {print $2}' <<<"$out")"
}
read -r batch_rps batch_p50 batch_p99 <<<"$(wrk_run 100 2)"
read -r single_rps single_p50 single_p99 <<<"$(wrk_run 1 1)"
# A statement's merchants repeat: the fixture's own lines, whose embeddings are cached.
read -r repeat_rps repeat_p50 repeat_p99 <<<"$(wrk_run 100 2 0)"
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$WORKER/status")
python_sps=$(.cache/model-venv/bin/python bench/ml-worker/python_ort.py --model-dir models \
    --version "$VERSION" --descriptions "$WORK/descriptions.txt" | jq -r .sentences_per_second)

python3 - "$VERSION" "$batch_rps" "$batch_p50" "$batch_p99" "$single_rps" "$single_p50" "$single_p99" "$rss_kb" "$python_sps" "$DURATION" "$repeat_rps" "$repeat_p99" "$cold_seconds" "$restart_seconds" "$history" <<'PY' | tee -a "$OUT"
import sys, datetime, os
version, batch_rps, b50, b99, single_rps, s50, s99, rss_kb, py, duration, repeat_rps, r99, cold, restart, history = sys.argv[1:]
per_second = float(batch_rps) * 100
print(f"## ML worker, {datetime.date.today()}, {os.cpu_count()} cores, {version}, wrk {duration} per row\n")
print("| measure | value |")
print("|---|---|")
print(f"| categorisations/s, batches of 100 unique strings, 2 connections | {per_second:,.0f} (p50 {b50}, p99 {b99} per batch) |")
print(f"| categorisations/s, batches of 100 repeated statement lines (embedding cache) | {float(repeat_rps) * 100:,.0f} (p99 {r99} per batch) |")
print(f"| single description, 1 connection | {float(single_rps):,.0f} requests/s, p50 {s50}, p99 {s99} |")
print(f"| peak RSS of the worker | {int(rss_kb) / 1024:.0f} MB |")
print(f"| Python onnxruntime, same file, embeddings only, batches of 32, 2 threads | {float(py):,.0f} sentences/s |")
print(f"| worker / Python | {per_second / float(py):.2f}x (the worker also tokenises, classifies and answers HTTP) |")
print(f"| first request for the ledger ({history} distinct training texts), nothing stored | {float(cold) * 1000:,.0f} ms |")
print(f"| first request for the ledger after a restart, embeddings read from Postgres | {float(restart) * 1000:,.0f} ms ({float(cold) / max(float(restart), 1e-6):.1f}x faster) |")
print()
PY
