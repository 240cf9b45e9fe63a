#!/usr/bin/env bash
# Import and export speed, each against a baseline measured in the same run:
#   1. reading a 100,000-row CSV (Criterion): bank-formats vs the csv crate splitting records;
#   2. committing that file through the API's import job (dedup included) vs psql \copy of
#      the same rows into the same table (same indexes and triggers), with the API's peak RSS;
#   3. exporting 1,000,000 rows as CSV and JSON through the API vs psql COPY of the same query.
# API (release build) and PostgreSQL on this machine.
#
#   bench/imports/run.sh
#   ROWS=20000 EXPORT_ROWS=200000 bench/imports/run.sh     # a quicker look
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/stores.sh
source scripts/stores.sh

ROWS=${ROWS:-100000}
EXPORT_ROWS=${EXPORT_ROWS:-1000000}
PORT=${PORT:-18081}
SERVER_URL=postgres://financetracker:financetracker@127.0.0.1:5432
export DATABASE_URL=$SERVER_URL/financetracker_bench_imports
export LISTEN_ADDR=127.0.0.1:$PORT LOG_LEVEL=${LOG_LEVEL:-warn} COOKIE_SECURE=false
export JWT_SECRET=bench-signing-key-0123456789abcdef0123456789
export IMPORT_MAX_BYTES=$((200 * 1024 * 1024))
BASE=http://127.0.0.1:$PORT
OUT=${OUT:-bench/imports/results.md}
WORK=$(mktemp -d)

ensure_stores
ensure_packages curl jq
now() { date +%s.%N; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

say "1/3 parse: Criterion, 100,000 rows"
parse_out=$(cargo bench --locked -p bank-formats --bench read 2>&1 | tee "$WORK/criterion.txt" | grep -E '^read 100k|thrpt:.*elem/s' || true)
echo "$parse_out"
# Criterion prints "thrpt: [low mid high]" per benchmark, in the order they ran.
mapfile -t thrpt < <(grep -E 'thrpt:.*elem/s' "$WORK/criterion.txt" | sed -E 's/.*\[[^ ]+ [^ ]+ ([0-9.]+) ([KMG]?)elem\/s.*/\1 \2/')
to_rows() { awk -v v="$1" -v u="$2" 'BEGIN { m = (u == "K") ? 1e3 : (u == "M") ? 1e6 : (u == "G") ? 1e9 : 1; printf "%.0f", v * m }'; }
parse_detect=$(to_rows ${thrpt[0]})
parse_mapped=$(to_rows ${thrpt[1]})
parse_floor=$(to_rows ${thrpt[2]})

say "2/3 commit: $ROWS rows through the import job"
cargo build --release --locked -p api
psql -X -q "$SERVER_URL/financetracker" -c 'DROP DATABASE IF EXISTS financetracker_bench_imports WITH (FORCE)' \
    -c 'CREATE DATABASE financetracker_bench_imports'
target/release/api migrate
target/release/api serve > "$WORK/api.log" 2>&1 &
API_PID=$!
trap 'kill $API_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do curl -fs "$BASE/readyz" >/dev/null && break; sleep 0.2; done

curl -fs -c "$WORK/jar" -H 'content-type: application/json' \
    -d '{"email":"bench@example.org","password":"bench-password-123","display_name":"Bench","currency":"USD"}' \
    "$BASE/api/v1/auth/register" >/dev/null
JWT=$(awk '$6 == "ft_access" { print $7 }' "$WORK/jar")
AUTH="Authorization: Bearer $JWT"
LEDGER=$(curl -fs -H "$AUTH" "$BASE/api/v1/ledgers" | jq -r '.[0].id')
account() {
    curl -fs -H "$AUTH" -H 'content-type: application/json' \
        -d "{\"name\":\"$1\",\"kind\":\"checking\",\"currency\":\"USD\"}" "$BASE/api/v1/ledgers/$LEDGER/accounts" | jq -r .id
}
IMPORTED=$(account Imported)
COPIED=$(account Copied)
EXPORTED=$(account Exported)

python3 - "$ROWS" > "$WORK/statement.csv" <<'PY'
import sys
rows = int(sys.argv[1])
payees = ["AMAZON MKTP US*2K4", "SHELL OIL 57442", "STARBUCKS STORE 0213", "NETFLIX.COM", "PAYROLL ACME INC", "TRADER JOE'S #552"]
print("Transaction Date,Posted Date,Description,Amount,Balance")
for i in range(rows):
    m, d = 1 + i % 12, 1 + i % 28
    cents = (i * 7919) % 250000
    sign = "" if i % 9 == 0 else "-"
    print(f'{m:02}/{d:02}/2024,{m:02}/{d:02}/2024,{payees[i % 6]} {i},"{sign}{cents // 100000},{(cents // 100) % 1000:03}.{cents % 100:02}","{1 + i % 50},{i % 1000:03}.{i % 100:02}"')
PY
size=$(du -h "$WORK/statement.csv" | cut -f1)

t0=$(now)
IMPORT=$(curl -fs -H "$AUTH" -H 'content-type: application/octet-stream' --data-binary @"$WORK/statement.csv" \
    "$BASE/api/v1/ledgers/$LEDGER/imports?account_id=$IMPORTED&file_name=statement.csv")
t1=$(now)
ID=$(jq -r .id <<<"$IMPORT")
[ "$(jq -r .new_rows <<<"$IMPORT")" = "$ROWS" ] || { echo "preview: $(jq -c '{total_rows,new_rows,error_rows}' <<<"$IMPORT")" >&2; exit 1; }
curl -fs -X POST -H "$AUTH" "$BASE/api/v1/ledgers/$LEDGER/imports/$ID/commit" >/dev/null
t2=$(now)
# Waited for by one Postgres session (a query every 0.05 s): polling the API with curl and jq
# would spawn two processes each time, some 30 ms of CPU taken from the import. The end is
# the import's own completed_at (the same machine's clock).
psql -X -q -v ON_ERROR_STOP=1 "$DATABASE_URL" -c "DO \$\$ BEGIN
    WHILE (SELECT status FROM imports WHERE id = '$ID') IN ('queued', 'running') LOOP
        PERFORM pg_sleep(0.05);
    END LOOP;
END \$\$"
state=$(curl -fs -H "$AUTH" "$BASE/api/v1/ledgers/$LEDGER/imports/$ID")
status=$(jq -r .status <<<"$state")
[ "$status" = completed ] || { echo "import ended $status: $(jq -r .error <<<"$state")" >&2; exit 1; }
t3=$(psql -X -tAq "$DATABASE_URL" -c "SELECT extract(epoch FROM completed_at) FROM imports WHERE id = '$ID'")
inserted=$(jq -r .inserted_rows <<<"$state")
peak_kb=$(awk '/VmHWM/ { print $2 }' "/proc/$API_PID/status")
upload_rate=$(rate "$ROWS" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
commit_seconds=$(awk -v a="$t2" -v b="$t3" 'BEGIN { print b - a }')
commit_rate=$(rate "$inserted" "$commit_seconds")

# Baseline: the same rows, already parsed, straight into the table with \copy.
psql -X -tAq "$DATABASE_URL" -c "\\copy (SELECT booked_on, amount, payee, description, 'copy:' || import_id
    FROM transactions WHERE account_id = '$IMPORTED') TO '$WORK/rows.tsv'"
c0=$(now)
psql -X -q -v ON_ERROR_STOP=1 "$DATABASE_URL" <<SQL
CREATE TEMP TABLE staged (booked_on date, amount numeric, payee text, description text, import_id text);
\\copy staged FROM '$WORK/rows.tsv'
INSERT INTO transactions (ledger_id, account_id, booked_on, amount, payee, description, import_id)
SELECT '$LEDGER', '$COPIED', booked_on, amount, payee, description, import_id FROM staged;
SQL
c1=$(now)
copy_rate=$(rate "$ROWS" "$(awk -v a="$c0" -v b="$c1" 'BEGIN { print b - a }')")

say "3/3 export: $EXPORT_ROWS rows"
have=$(psql -X -tAq "$DATABASE_URL" -c "SELECT count(*) FROM transactions WHERE ledger_id = '$LEDGER'")
psql -X -q -v ON_ERROR_STOP=1 "$DATABASE_URL" <<SQL
INSERT INTO transactions (ledger_id, account_id, booked_on, amount, payee, description, tags)
SELECT '$LEDGER', '$EXPORTED', date '2026-11-24' - (i % 3650), -((i::bigint * 7919) % 50000 + 100) / 100.0,
       (ARRAY['Lidl','Rewe','=cmd|calc','Amazon','Netflix, Inc.','Starbucks'])[1 + i % 6],
       'CARD PAYMENT ' || (i % 997) || ' REF ' || i, CASE WHEN i % 5 = 0 THEN ARRAY['work'] ELSE '{}' END
FROM generate_series($have + 1, $EXPORT_ROWS) AS i;
VACUUM ANALYZE transactions;
SQL
exported=$(psql -X -tAq "$DATABASE_URL" -c "SELECT count(*) FROM transactions WHERE ledger_id = '$LEDGER'")
export_run() { # extension
    local s e bytes
    s=$(now)
    bytes=$(curl -fs -H "$AUTH" -o "$WORK/export.$1" -w '%{size_download}' "$BASE/api/v1/ledgers/$LEDGER/transactions/export.$1")
    e=$(now)
    echo "$(rate "$exported" "$(awk -v a="$s" -v b="$e" 'BEGIN { print b - a }')") $bytes"
}
read -r csv_rate csv_bytes < <(export_run csv)
read -r json_rate json_bytes < <(export_run json)
csv_lines=$(($(wc -l < "$WORK/export.csv") - 1))
jq -e "length == $exported" "$WORK/export.json" >/dev/null || { echo "the JSON export is not $exported rows" >&2; exit 1; }
[ "$csv_lines" = "$exported" ] || { echo "the CSV export has $csv_lines rows, not $exported" >&2; exit 1; }
peak_after_export_kb=$(awk '/VmHWM/ { print $2 }' "/proc/$API_PID/status")
s=$(now)
psql -X -q "$DATABASE_URL" -c "\\copy (SELECT t.booked_on, a.name, round(t.amount, c.minor_units), a.currency, t.payee,
    t.description, cat.name, array_to_string(t.tags, ';'), t.notes, t.status, t.import_id, t.id
    FROM transactions t JOIN accounts a ON a.id = t.account_id JOIN currencies c ON c.code = a.currency
    LEFT JOIN categories cat ON cat.id = t.category_id WHERE t.ledger_id = '$LEDGER'
    ORDER BY t.booked_on DESC, t.id DESC) TO '/dev/null' CSV HEADER"
e=$(now)
pg_copy_rate=$(rate "$exported" "$(awk -v a="$s" -v b="$e" 'BEGIN { print b - a }')")

{
    echo "## Imports and exports, $(date -u +%F), $(nproc) cores"
    echo
    echo "| measurement | result | baseline (same run) | ratio | target |"
    echo "|---|---|---|---|---|"
    echo "| parse $ROWS-row CSV, detection included | $parse_detect rows/s | csv crate records only: $parse_floor rows/s | $(ratio "$parse_detect" "$parse_floor") | ≥ 500,000 rows/s |"
    echo "| parse with a saved mapping | $parse_mapped rows/s | | $(ratio "$parse_mapped" "$parse_floor") | |"
    echo "| upload + preview ($size, dedup check) | $upload_rate rows/s | | | |"
    echo "| commit through the import job ($inserted rows) | $commit_rate rows/s | psql \\copy + INSERT of the same rows: $copy_rate rows/s | $(ratio "$commit_rate" "$copy_rate") | ≥ 50,000 rows/s |"
    echo "| API peak RSS through upload and commit | $((peak_kb / 1024)) MB | | | ≤ 200 MB |"
    echo "| export CSV, $exported rows ($((csv_bytes / 1024 / 1024)) MB) | $csv_rate rows/s | psql COPY of the same query: $pg_copy_rate rows/s | $(ratio "$csv_rate" "$pg_copy_rate") | ≥ 200,000 rows/s |"
    echo "| export JSON, $exported rows ($((json_bytes / 1024 / 1024)) MB) | $json_rate rows/s | | $(ratio "$json_rate" "$pg_copy_rate") | |"
    echo "| API peak RSS after both exports | $((peak_after_export_kb / 1024)) MB | | | |"
    echo
} | tee -a "$OUT"
