#!/usr/bin/env bash
# What each part of the `transactions` schema costs an import: 100,000 rows written in
# 5,000-row chunks (one transaction each, as the import job does) by one Postgres backend,
# into a fresh copy of the schema with one thing changed. Reports the backend's CPU time
# (from /proc, so other load on the machine matters less than for wall time) and the wall
# time, each against the schema as the migrations leave it, measured in the same run.
#
#   bench/imports/insert_cost.sh            # appends a table to bench/imports/results.md
#   ROUNDS=1 bench/imports/insert_cost.sh   # a quicker look
#   ONLY=trigram bench/imports/insert_cost.sh   # the variants whose name matches, and the base
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/stores.sh
source scripts/stores.sh

ROUNDS=${ROUNDS:-2}
SERVER_URL=postgres://financetracker:financetracker@127.0.0.1:5432
TEMPLATE=financetracker_bench_insert_template
TARGET=financetracker_bench_insert
OUT=${OUT:-bench/imports/results.md}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ensure_stores
admin() { psql -X -q -v ON_ERROR_STOP=1 "$SERVER_URL/financetracker" "$@"; }

admin -c "DROP DATABASE IF EXISTS $TARGET WITH (FORCE)" -c "DROP DATABASE IF EXISTS $TEMPLATE WITH (FORCE)" \
    -c "CREATE DATABASE $TEMPLATE"
for migration in migrations/*.sql; do
    psql -X -q -1 -v ON_ERROR_STOP=1 "$SERVER_URL/$TEMPLATE" -f "$migration" >/dev/null
done
# One ledger, account and import; the rows as bench/imports/run.sh generates them, with
# their import ids (a 33-character hash, as the importer makes).
psql -X -q -v ON_ERROR_STOP=1 "$SERVER_URL/$TEMPLATE" <<'SQL'
INSERT INTO ledgers (id, name, base_currency) VALUES ('00000000-0000-0000-0000-000000000001', 'Bench', 'USD');
INSERT INTO accounts (id, ledger_id, name, kind, currency)
VALUES ('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-000000000001', 'Checking', 'checking', 'USD');
INSERT INTO imports (id, ledger_id, account_id, file_sha256, format, preview)
VALUES ('00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-000000000001',
        '00000000-0000-0000-0000-0000000000a1', 'bench', 'csv', '{}');
CREATE TABLE bench_rows AS
SELECT i, make_date(2024, 1 + i % 12, 1 + i % 28) AS booked_on,
       ((CASE WHEN i % 9 = 0 THEN 1 ELSE -1 END) * ((i * 7919) % 250000) / 100.0)::numeric(20,4) AS amount,
       (ARRAY['AMAZON MKTP US*2K4', 'SHELL OIL 57442', 'STARBUCKS STORE 0213', 'NETFLIX.COM',
              'PAYROLL ACME INC', 'TRADER JOE''S #552'])[1 + i % 6] || ' ' || i AS description,
       'h' || md5(i::text) AS import_id,
       -- Time-ordered like UUIDv7 (what the import job makes), or random like v4.
       lpad(to_hex(i), 32, '0')::uuid AS ordered_id,
       md5('id' || i)::uuid AS random_id
FROM generate_series(0, 99999) AS i;
CREATE INDEX ON bench_rows (i);
VACUUM ANALYZE;
SQL

# The chunk insert: $1 the id column (or none), $2 what follows the SELECT.
chunks() {
    local id_column=$1 tail=$2 cols="" vals=""
    if [ -n "$id_column" ]; then cols="id, "; vals="$id_column, "; fi
    for start in $(seq 0 5000 99999); do
        echo "BEGIN;
INSERT INTO transactions (${cols}ledger_id, account_id, booked_on, amount, description, import_id, import_job_id)
SELECT ${vals}'00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-0000000000a1', booked_on, amount,
       description, import_id, '00000000-0000-0000-0000-0000000000b1'
FROM bench_rows WHERE i >= $start AND i < $((start + 5000)) $tail;
COMMIT;"
    done
}
# What the import job runs now: its own ordered ids, a plain insert.
NOW_INSERT=$(chunks ordered_id "")
# What it ran before: ids from Postgres, skipping known import ids, returning what it wrote.
OLD_INSERT=$(chunks "" "ON CONFLICT (account_id, import_id) WHERE import_id IS NOT NULL DO NOTHING
RETURNING id, booked_on, category_id IS NULL, account_id, import_id")

# measure NAME SETUP_SQL INSERT_SQL -> "cpu_ms wall_ms"
measure() {
    # FILE_COPY checkpoints, so every variant starts as clean (without superuser rights).
    admin -c "DROP DATABASE IF EXISTS $TARGET WITH (FORCE)" \
        -c "CREATE DATABASE $TARGET TEMPLATE $TEMPLATE STRATEGY FILE_COPY"
    if [ -n "$2" ]; then psql -X -q -v ON_ERROR_STOP=1 "$SERVER_URL/$TARGET" -c "$2" >/dev/null; fi
    {
        echo 'SELECT pg_backend_pid() AS pid \gset'
        echo '\setenv BACKEND :pid'
        echo "\\! echo \$BACKEND > $WORK/pid"
        echo "\\o /dev/null"
        echo "\\! awk '{ print \$14 + \$15 }' /proc/\$(cat $WORK/pid)/stat > $WORK/cpu0; date +%s.%N > $WORK/t0"
        echo "$3"
        echo "\\! awk '{ print \$14 + \$15 }' /proc/\$(cat $WORK/pid)/stat > $WORK/cpu1; date +%s.%N > $WORK/t1"
    } > "$WORK/run.sql"
    psql -X -q -v ON_ERROR_STOP=1 "$SERVER_URL/$TARGET" -f "$WORK/run.sql"
    local rows
    rows=$(psql -X -tAq "$SERVER_URL/$TARGET" -c 'SELECT count(*) FROM transactions')
    [ "$rows" = 100000 ] || { echo "$1: $rows rows written, not 100000" >&2; exit 1; }
    local ticks cpu_ms wall_ms
    ticks=$(getconf CLK_TCK)
    cpu_ms=$(awk -v a="$(cat "$WORK/cpu0")" -v b="$(cat "$WORK/cpu1")" -v t="$ticks" 'BEGIN { printf "%d", (b - a) * 1000 / t }')
    wall_ms=$(awk -v a="$(cat "$WORK/t0")" -v b="$(cat "$WORK/t1")" 'BEGIN { printf "%d", (b - a) * 1000 }')
    echo "$cpu_ms $wall_ms"
}

FULL_TAGS="DROP INDEX transactions_tags; CREATE INDEX transactions_tags ON transactions USING gin (tags)"
LEDGER_FK="ALTER TABLE transactions ADD FOREIGN KEY (ledger_id) REFERENCES ledgers (id) ON DELETE CASCADE"
IMPORT_FK="ALTER TABLE transactions ADD FOREIGN KEY (import_job_id) REFERENCES imports (id) ON DELETE SET NULL"
NO_ACCOUNT_KEY="DROP TRIGGER transactions_account_key_insert ON transactions; DROP TRIGGER transactions_account_key_update ON transactions; DROP TRIGGER accounts_transactions_key ON accounts; DROP TRIGGER accounts_truncate_key ON accounts"
ACCOUNT_FK="$NO_ACCOUNT_KEY; ALTER TABLE transactions ADD CONSTRAINT transactions_account_id_ledger_id_fkey FOREIGN KEY (account_id, ledger_id) REFERENCES accounts (id, ledger_id)"
variants=(
    "schema and insert now||now"
    "before: foreign keys checked per row, full tag index, old insert|$ACCOUNT_FK; $LEDGER_FK; $IMPORT_FK; $FULL_TAGS|old"
    "the account key as a foreign key, checked per row|$ACCOUNT_FK|now"
    "+ ledger foreign key|$LEDGER_FK|now"
    "+ import foreign key|$IMPORT_FK|now"
    "+ empty tag arrays indexed|$FULL_TAGS|now"
    "old insert (ON CONFLICT, RETURNING, Postgres ids)||old"
    "random ids given (v4)||random"
    "without the trigram index|DROP INDEX transactions_search_text|now"
    "trigram index, fastupdate off|ALTER INDEX transactions_search_text SET (fastupdate = off)|now"
    "trigram index, 32 MB pending list|ALTER INDEX transactions_search_text SET (gin_pending_list_limit = 32768)|now"
    "trigram index as GiST|DROP INDEX transactions_search_text; CREATE INDEX transactions_search_text ON transactions USING gist (search_text gist_trgm_ops)|now"
    "without the daily flow triggers|DROP TRIGGER transactions_daily_flows_insert ON transactions; DROP TRIGGER transactions_daily_category_flows_insert ON transactions|now"
    "without the account rollup trigger|DROP TRIGGER transactions_daily_flows_insert ON transactions|now"
    "without the category rollup trigger|DROP TRIGGER transactions_daily_category_flows_insert ON transactions|now"
    "without the account key|$NO_ACCOUNT_KEY|now"
)
base_name="schema and insert now"
declare -A cpu wall
for round in $(seq 1 "$ROUNDS"); do
    for v in "${variants[@]}"; do
        IFS='|' read -r name setup insert <<<"$v"
        [[ $name == "$base_name" || $name =~ ${ONLY:-.} ]] || continue
        case $insert in
            now) sql=$NOW_INSERT ;;
            old) sql=$OLD_INSERT ;;
            random) sql=$(chunks random_id "") ;;
        esac
        read -r c w < <(measure "$name" "$setup" "$sql")
        say "round $round: $name: $c ms CPU, $w ms"
        cpu[$name]="${cpu[$name]:-} $c"
        wall[$name]="${wall[$name]:-} $w"
    done
done
admin -c "DROP DATABASE IF EXISTS $TARGET WITH (FORCE)" -c "DROP DATABASE IF EXISTS $TEMPLATE WITH (FORCE)"

median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
base_cpu=$(median "${cpu[$base_name]}")
{
    echo "## Insert cost of the transactions schema, $(date -u +%F), $(nproc) cores"
    echo
    echo "100,000 rows in 5,000-row chunks by one backend; median of $ROUNDS. CPU is the backend's own."
    echo
    echo "| variant | backend CPU | wall | CPU against now | rows/s per backend |"
    echo "|---|---|---|---|---|"
    for v in "${variants[@]}"; do
        name=${v%%|*}
        [ -n "${cpu[$name]:-}" ] || continue
        c=$(median "${cpu[$name]}")
        w=$(median "${wall[$name]}")
        echo "| $name | $c ms | $w ms | $(awk -v a="$c" -v b="$base_cpu" 'BEGIN { printf "%+.0f%%", (a - b) * 100 / b }') | $(awk -v w="$w" 'BEGIN { printf "%.0f", 100000 / (w / 1000) }') |"
    done
    echo
} | tee -a "$OUT"
