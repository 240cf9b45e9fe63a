#!/usr/bin/env bash
# Ledger API under load with 1,000,000 transactions in one ledger, API and PostgreSQL on
# this machine. Measures with wrk: a filtered page of 50 transactions, the dashboard
# reports, and /healthz as the baseline of what the HTTP stack alone costs.
#
#   bench/ledger-api/run.sh            # seeds once into `financetracker_bench`, then measures
#   ROWS=200000 DURATION=10s bench/ledger-api/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/stores.sh
source scripts/stores.sh

ROWS=${ROWS:-1000000}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-18080}
SERVER_URL=postgres://financetracker:financetracker@127.0.0.1:5432
export DATABASE_URL=$SERVER_URL/financetracker_bench
export LISTEN_ADDR=127.0.0.1:$PORT LOG_LEVEL=warn COOKIE_SECURE=false
export JWT_SECRET=bench-signing-key-0123456789abcdef0123456789
BASE=http://127.0.0.1:$PORT
OUT=${OUT:-bench/ledger-api/results.md}

ensure_stores
ensure_packages wrk curl jq
cargo build --release --locked -p api

exists=$(psql -X -tAq "$SERVER_URL/financetracker" -c "SELECT 1 FROM pg_database WHERE datname = 'financetracker_bench'")
[ "$exists" = 1 ] || psql -X -q "$SERVER_URL/financetracker" -c 'CREATE DATABASE financetracker_bench'
target/release/api migrate

target/release/api serve > /tmp/ft-bench-api.log 2>&1 &
API_PID=$!
trap 'kill $API_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "$BASE/readyz" >/dev/null && break; sleep 0.2; done

# One user, one ledger, two accounts; a personal access token for wrk.
EMAIL=bench@example.org
PASSWORD=bench-password-123
curl -fs -c /tmp/ft-bench-jar -H 'content-type: application/json' \
    -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\",\"display_name\":\"Bench\",\"currency\":\"EUR\"}" \
    "$BASE/api/v1/auth/register" >/dev/null 2>&1 || true
CSRF=$(curl -fs -c /tmp/ft-bench-jar -H 'content-type: application/json' \
    -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" "$BASE/api/v1/auth/login" | jq -r .csrf_token)
TOKEN=$(curl -fs -b /tmp/ft-bench-jar -H "x-csrf-token: $CSRF" -H 'content-type: application/json' \
    -d '{"name":"bench"}' "$BASE/api/v1/me/tokens" | jq -r .token)
# The web app authenticates with the access JWT (no database lookup); scripts use a
# personal access token (one lookup per request). Both are measured.
JWT=$(awk '$6 == "ft_access" { print $7 }' /tmp/ft-bench-jar)
PAT_AUTH="Authorization: Bearer $TOKEN"
AUTH="Authorization: Bearer $JWT"
LEDGER=$(curl -fs -H "$PAT_AUTH" "$BASE/api/v1/ledgers" | jq -r '.[0].id')
for name in Checking Card; do
    curl -fs -H "$AUTH" -H 'content-type: application/json' \
        -d "{\"name\":\"$name\",\"kind\":\"checking\",\"currency\":\"EUR\"}" \
        "$BASE/api/v1/ledgers/$LEDGER/accounts" >/dev/null 2>&1 || true
done
ACCOUNT=$(curl -fs -H "$AUTH" "$BASE/api/v1/ledgers/$LEDGER/accounts" | jq -r '.[0].id')

have=$(psql -X -tAq "$DATABASE_URL" -c "SELECT count(*) FROM transactions WHERE ledger_id = '$LEDGER'")
if [ "$have" -lt "$ROWS" ]; then
    say "seeding $((ROWS - have)) transactions"
    psql -X -q -v ON_ERROR_STOP=1 "$DATABASE_URL" <<SQL
WITH a AS (SELECT array_agg(id ORDER BY name) AS ids FROM accounts WHERE ledger_id = '$LEDGER'),
     c AS (SELECT array_agg(c.id ORDER BY c.name) AS ids FROM categories c
           JOIN category_groups g ON g.id = c.group_id WHERE c.ledger_id = '$LEDGER' AND g.kind = 'expense')
INSERT INTO transactions (ledger_id, account_id, booked_on, amount, payee, description, category_id, category_source, tags)
SELECT '$LEDGER', a.ids[1 + i % 2], date '2026-11-24' - (i % 3650),
       -((i::bigint * 7919) % 50000 + 100) / 100.0,
       (ARRAY['Lidl','Rewe','Shell','Amazon','Netflix','Starbucks','Uber','IKEA'])[1 + i % 8],
       'CARD PAYMENT ' || (i % 997) || ' REF ' || i,
       CASE WHEN i % 10 = 0 THEN NULL ELSE c.ids[1 + i % array_length(c.ids, 1)] END,
       CASE WHEN i % 10 = 0 THEN NULL ELSE 'user'::category_source END,
       CASE WHEN i % 5 = 0 THEN ARRAY['work'] ELSE '{}' END
FROM generate_series($have + 1, $ROWS) AS i, a, c;
SQL
    # As autovacuum would have by now: visibility maps and statistics for every table seeded.
    psql -X -q -v ON_ERROR_STOP=1 "$DATABASE_URL" -c "VACUUM ANALYZE transactions" -c "VACUUM ANALYZE daily_flows" -c "VACUUM ANALYZE daily_category_flows"
fi

wrk_run() { # name url [connections] [auth header]
    local name=$1 url=$2 connections=${3:-$CONNECTIONS} auth=${4:-$AUTH} out
    out=$(wrk -t2 -c"$connections" -d"$DURATION" --latency -H "$auth" "$url")
    local rps p50 p99 errors
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr '\n' ' ' || true)
    printf '| %s | %s | %s | %s | %s | %s |\n' "$name" "$connections" "$rps" "$p50" "$p99" "${errors:-none}" | tee -a "$OUT"
}

L="$BASE/api/v1/ledgers/$LEDGER"
{
    echo "## Ledger API, $(date -u +%F), $(nproc) cores, $(psql -X -tAq "$DATABASE_URL" -c "SELECT count(*) FROM transactions") transactions"
    echo
    echo "wrk -t2 -d$DURATION, API and PostgreSQL on the same machine, access JWT unless noted"
    echo
    echo "| request | connections | requests/s | p50 | p99 | errors |"
    echo "|---|---|---|---|---|---|"
} | tee -a "$OUT"
wrk_run "GET /healthz (baseline: HTTP stack only)" "$BASE/healthz"
wrk_run "transactions: newest 50" "$L/transactions?limit=50"
wrk_run "transactions: account + date range, 50" "$L/transactions?limit=50&account_ids=$ACCOUNT&from=2024-01-01&to=2024-12-31"
wrk_run "transactions: text search, 50" "$L/transactions?limit=50&q=starbucks"
wrk_run "transactions: by amount, 50" "$L/transactions?limit=50&sort=amount&min_amount=-100"
wrk_run "transactions: account + date range, 50 (personal access token)" "$L/transactions?limit=50&account_ids=$ACCOUNT&from=2024-01-01&to=2024-12-31" "$CONNECTIONS" "$PAT_AUTH"
# A dashboard opens with a handful of these at once, not dozens.
DASH=${DASH_CONNECTIONS:-4}
wrk_run "analytics: spending by category (this month)" "$L/analytics/spending-by-category?from=2026-11-01&to=2026-11-24" "$DASH"
wrk_run "analytics: cash flow (12 months)" "$L/analytics/cash-flow?from=2025-12-01&to=2026-11-24" "$DASH"
wrk_run "analytics: net worth (12 months)" "$L/analytics/net-worth?from=2025-12-01&to=2026-11-24" "$DASH"
wrk_run "analytics: top payees (this month)" "$L/analytics/top-payees?from=2026-11-01&to=2026-11-24" "$DASH"
wrk_run "analytics: spending by category (12 months)" "$L/analytics/spending-by-category?from=2025-12-01&to=2026-11-24" "$DASH"
echo | tee -a "$OUT"
