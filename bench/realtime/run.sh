#!/usr/bin/env bash
# Live updates under load, against the real API (release build), PostgreSQL and Redis on
# this machine, each figure with its baseline from the same run:
#   1. CLIENTS (10,000) idle WebSockets held open by one API process: its RSS with them open
#      (target ≤ 300 MB) against the same process just before they opened;
#   2. LATENCY_CLIENTS (1,000) sockets spread over two API processes, EVENTS (200) writes
#      through them in turn: each event's time to every socket, from just before the write
#      (an upper bound of the time from its commit) and from the write's answer (a lower
#      bound), p99 target ≤ 50 ms; and the API's own commit-to-send histogram;
#   3. a ROWS-row (100,000) import's commit rate with LISTENERS (200) sockets following its
#      ledger against the same import with none, PAIRS (3) alternating pairs (target:
#      within 5%).
#
#   bench/realtime/run.sh
#   CLIENTS=2000 LATENCY_CLIENTS=200 ROWS=20000 PAIRS=1 bench/realtime/run.sh   # a quick look
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/stores.sh
source scripts/stores.sh

CLIENTS=${CLIENTS:-10000}
LATENCY_CLIENTS=${LATENCY_CLIENTS:-1000}
EVENTS=${EVENTS:-200}
ROWS=${ROWS:-100000}
LISTENERS=${LISTENERS:-200}
PAIRS=${PAIRS:-3}
PORT_A=${PORT_A:-18091}
PORT_B=${PORT_B:-18092}
SERVER_URL=postgres://financetracker:financetracker@127.0.0.1:5432
export DATABASE_URL=$SERVER_URL/financetracker_bench_realtime
export LOG_LEVEL=${LOG_LEVEL:-warn} COOKIE_SECURE=false TRUST_FORWARDED_FOR=true
export JWT_SECRET=bench-signing-key-0123456789abcdef0123456789
export IMPORT_MAX_BYTES=$((200 * 1024 * 1024))
A=http://127.0.0.1:$PORT_A
B=http://127.0.0.1:$PORT_B
OUT=${OUT:-bench/realtime/results.md}
WORK=$(mktemp -d)
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

# Every socket is a file descriptor, on both ends.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -gt $((CLIENTS + 1000)) ] || die "open files limit $(ulimit -n) is too low for $CLIENTS sockets"

ensure_stores
ensure_packages curl jq
now() { date +%s.%N; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
metric() { curl -fs "$1/metrics" | awk -v name="$2" '$1 == name { print $2 }'; }

say "building (release)"
cargo build --release --locked -p api -p realtime-bench
psql -X -q "$SERVER_URL/financetracker" -c 'DROP DATABASE IF EXISTS financetracker_bench_realtime WITH (FORCE)' \
    -c 'CREATE DATABASE financetracker_bench_realtime'
target/release/api migrate
LISTEN_ADDR=127.0.0.1:$PORT_A target/release/api serve > "$WORK/a.log" 2>&1 &
API_A=$!
PIDS+=("$API_A")
LISTEN_ADDR=127.0.0.1:$PORT_B target/release/api serve > "$WORK/b.log" 2>&1 &
PIDS+=($!)
for base in "$A" "$B"; do
    for _ in $(seq 1 100); do curl -fs "$base/readyz" >/dev/null && break; sleep 0.2; done
done

curl -fs -c "$WORK/jar" -H 'content-type: application/json' -H "x-forwarded-for: 10.9.$RANDOM.1" \
    -d '{"email":"bench-realtime@example.org","password":"bench-password-123","display_name":"Bench","currency":"USD"}' \
    "$A/api/v1/auth/register" > "$WORK/session.json"
CSRF=$(jq -r .csrf_token "$WORK/session.json")
COOKIE=$(awk '$6 == "ft_access" || $6 == "ft_csrf" { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$WORK/jar")
JWT=$(awk '$6 == "ft_access" { print $7 }' "$WORK/jar")
AUTH="Authorization: Bearer $JWT"
LEDGER=$(curl -fs -H "$AUTH" "$A/api/v1/ledgers" | jq -r '.[0].id')
account() {
    curl -fs -H "$AUTH" -H 'content-type: application/json' \
        -d "{\"name\":\"$1\",\"kind\":\"checking\",\"currency\":\"USD\"}" "$A/api/v1/ledgers/$LEDGER/accounts" | jq -r .id
}
RENAMED=$(account Renamed)

say "1/3 idle: $CLIENTS sockets on one process"
rss_before=$(rss_mb "$API_A")
target/release/ws-load idle --api "$A" --cookie "$COOKIE" --clients "$CLIENTS" --hold 20 > "$WORK/idle.json" &
LOAD=$!
PIDS+=("$LOAD")
for _ in $(seq 1 600); do [ -s "$WORK/idle.json" ] && break; sleep 0.2; done
sleep 5
rss_open=$(rss_mb "$API_A")
open_sockets=$(metric "$A" financetracker_api_ws_connections)
wait "$LOAD"
idle=$(cat "$WORK/idle.json")
echo "$idle; API RSS $rss_before MB before, $rss_open MB with $open_sockets sockets open"
sleep 3
rss_after=$(rss_mb "$API_A")

say "2/3 latency: $LATENCY_CLIENTS sockets on two processes, $EVENTS events"
histogram() { # bucket count at 50 ms and total, both processes
    local le50=0 total=0 base v
    for base in "$A" "$B"; do
        v=$(metric "$base" 'financetracker_api_events_commit_to_send_seconds_bucket{le="0.05"}'); le50=$((le50 + ${v:-0}))
        v=$(metric "$base" financetracker_api_events_commit_to_send_seconds_count); total=$((total + ${v:-0}))
    done
    echo "$le50 $total"
}
read -r le50_before total_before < <(histogram)
target/release/ws-load latency --apis "$A,$B" --cookie "$COOKIE" --csrf "$CSRF" --ledger "$LEDGER" \
    --account "$RENAMED" --clients "$LATENCY_CLIENTS" --events "$EVENTS" > "$WORK/latency.json"
read -r le50_after total_after < <(histogram)
latency=$(cat "$WORK/latency.json")
echo "$latency"
server_share=$(awk -v a=$((le50_after - le50_before)) -v t=$((total_after - total_before)) \
    'BEGIN { if (t > 0) printf "%.2f%%", 100 * a / t; else print "n/a" }')

say "3/3 import: $ROWS rows, with $LISTENERS listening sockets and with none, $PAIRS pairs"
python3 - "$ROWS" > "$WORK/statement.csv" <<'PY'
import sys
rows = int(sys.argv[1])
payees = ["AMAZON MKTP US*2K4", "SHELL OIL 57442", "STARBUCKS STORE 0213", "NETFLIX.COM", "PAYROLL ACME INC", "TRADER JOE'S #552"]
print("Transaction Date,Posted Date,Description,Amount")
for i in range(rows):
    m, d = 1 + i % 12, 1 + i % 28
    cents = (i * 7919) % 250000
    sign = "" if i % 9 == 0 else "-"
    print(f'{m:02}/{d:02}/2024,{m:02}/{d:02}/2024,{payees[i % 6]} {i},{sign}{cents // 100}.{cents % 100:02}')
PY
import_rate() { # label → rows/s of the commit
    local into id t2 t3 state inserted
    into=$(account "Import $1")
    id=$(curl -fs -H "$AUTH" -H 'content-type: application/octet-stream' --data-binary @"$WORK/statement.csv" \
        "$A/api/v1/ledgers/$LEDGER/imports?account_id=$into&file_name=statement.csv" | jq -r .id)
    curl -fs -X POST -H "$AUTH" "$A/api/v1/ledgers/$LEDGER/imports/$id/commit" >/dev/null
    t2=$(now)
    # Waited for in one Postgres session; the end is the import's own completed_at.
    psql -X -q -v ON_ERROR_STOP=1 "$DATABASE_URL" -c "DO \$\$ BEGIN
        WHILE (SELECT status FROM imports WHERE id = '$id') IN ('queued', 'running') LOOP
            PERFORM pg_sleep(0.05);
        END LOOP;
    END \$\$"
    state=$(psql -X -tAq "$DATABASE_URL" -c "SELECT status, inserted_rows, extract(epoch FROM completed_at) FROM imports WHERE id = '$id'")
    IFS='|' read -r status inserted t3 <<<"$state"
    [ "$status" = completed ] || die "import $id ended $status"
    rate "$inserted" "$(awk -v a="$t2" -v b="$t3" 'BEGIN { print b - a }')"
}
quiet=()
listened=()
for pair in $(seq 1 "$PAIRS"); do
    for mode in $( [ $((pair % 2)) -eq 1 ] && echo "none listening" || echo "listening none"); do
        if [ "$mode" = listening ]; then
            target/release/ws-load idle --api "$A" --cookie "$COOKIE" --clients "$LISTENERS" --hold 600 > "$WORK/listeners.json" &
            LOAD=$!
            PIDS+=("$LOAD")
            for _ in $(seq 1 300); do [ -s "$WORK/listeners.json" ] && break; sleep 0.2; done
            r=$(import_rate "$pair-$mode")
            kill "$LOAD" 2>/dev/null || true
            wait "$LOAD" 2>/dev/null || true
            rm -f "$WORK/listeners.json"
            listened+=("$r")
        else
            r=$(import_rate "$pair-$mode")
            quiet+=("$r")
        fi
        echo "pair $pair, $mode: $r rows/s"
    done
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
quiet_median=$(median "${quiet[@]}")
listened_median=$(median "${listened[@]}")

{
    echo "## Live updates, $(date -u +%F), $(nproc) cores"
    echo
    echo "| measurement | result | baseline (same run) | ratio | target |"
    echo "|---|---|---|---|---|"
    echo "| $CLIENTS idle sockets on one process | $(jq -r '.opened' <<<"$idle") open ($(jq -r '.failed' <<<"$idle") failed) in $(jq -r '.open_seconds | . * 10 | round / 10' <<<"$idle") s; API RSS $rss_open MB | the same process before: $rss_before MB (after they closed: $rss_after MB) | +$(( (rss_open - rss_before) * 1024 / (CLIENTS > 0 ? CLIENTS : 1) )) KB per socket | ≤ 300 MB |"
    echo "| $LATENCY_CLIENTS sockets over two processes, $EVENTS events: $(jq -r '.deliveries' <<<"$latency") deliveries, $(jq -r '.missing' <<<"$latency") missing | p99 $(jq -r '.from_request.p99_ms | . * 10 | round / 10' <<<"$latency") ms from the write's start (p50 $(jq -r '.from_request.p50_ms | . * 10 | round / 10' <<<"$latency"), max $(jq -r '.from_request.max_ms | . * 10 | round / 10' <<<"$latency")) | p99 $(jq -r '.from_answer.p99_ms | . * 10 | round / 10' <<<"$latency") ms from its answer; the API's histogram: $server_share within 50 ms of commit | | p99 ≤ 50 ms |"
    echo "| $ROWS-row import with $LISTENERS sockets listening (median of $PAIRS: ${listened[*]}) | $listened_median rows/s | no socket (${quiet[*]}): $quiet_median rows/s | $(ratio "$listened_median" "$quiet_median") | within 5% |"
    echo
} | tee -a "$OUT"
