#!/usr/bin/env bash
# The web app's browser tests against the whole stack, as a person would meet it: the API and
# the ML worker (the binaries `make test` built), nginx serving the production build in front
# of them, a database of their own with the demo data, and a Redis of their own (so nothing
# the tests do meets another FinanceTracker on this machine). Debian's chromium is the
# browser. Screenshots land in .cache/e2e-artifacts/. Prints vitest's JSON report path in
# E2E_REPORT when set.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/stores.sh
source scripts/stores.sh
# shellcheck source=scripts/web.sh
source scripts/web.sh

API_BIN=${API_BIN:-target/debug/api}
ML_BIN=${ML_BIN:-target/debug/ml-worker}
[ -x "$API_BIN" ] && [ -x "$ML_BIN" ] || die "build the services first ($API_BIN, $ML_BIN): cargo build -p api -p ml-worker"
ensure_packages chromium redis-server
build_web

SERVER_URL=${TEST_SERVER_URL:-postgres://financetracker:financetracker@127.0.0.1:5432}
RUN=$(mktemp -d)
ARTIFACTS=${E2E_SCREENSHOTS:-$PWD/.cache/e2e-artifacts}
rm -rf "$ARTIFACTS" && mkdir -p "$ARTIFACTS"
PIDS=()
cleanup() {
    stop_nginx
    [ ${#PIDS[@]} -eq 0 ] || kill -TERM "${PIDS[@]}" 2>/dev/null || true
    wait 2>/dev/null || true
    cp "$RUN"/*.log "$ARTIFACTS/" 2>/dev/null || true
    rm -rf "$RUN"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
WEB_PORT=$(free_port)
API_PORT=$(free_port)
ML_PORT=$(free_port)
REDIS_PORT_E2E=$(free_port)

redis-server --port "$REDIS_PORT_E2E" --bind 127.0.0.1 --save "" --appendonly no --dir "$RUN" > "$RUN/redis.log" 2>&1 &
PIDS+=($!)
psql -X -q -v ON_ERROR_STOP=1 "$SERVER_URL/financetracker" \
    -c 'DROP DATABASE IF EXISTS financetracker_e2e WITH (FORCE)' -c 'CREATE DATABASE financetracker_e2e'
export DATABASE_URL=$SERVER_URL/financetracker_e2e
export REDIS_URL=redis://127.0.0.1:$REDIS_PORT_E2E
export MODEL_DIR=${MODEL_DIR:-$PWD/models}
export LOG_LEVEL=${LOG_LEVEL:-warn} COOKIE_SECURE=false TRUST_FORWARDED_FOR=true
export JWT_SECRET=browser-tests-signing-key-0123456789abcdef
for _ in $(seq 1 40); do redis-cli -p "$REDIS_PORT_E2E" ping >/dev/null 2>&1 && break; sleep 0.1; done
"$API_BIN" seed-demo > "$RUN/seed.log" 2>&1 || die "seeding the demo data failed (see $RUN/seed.log)"
LISTEN_ADDR=127.0.0.1:$ML_PORT "$ML_BIN" > "$RUN/ml-worker.log" 2>&1 &
PIDS+=($!)
LISTEN_ADDR=127.0.0.1:$API_PORT ML_WORKER_URL=http://127.0.0.1:$ML_PORT ML_TIMEOUT_MS=3000 \
    "$API_BIN" serve > "$RUN/api.log" 2>&1 &
PIDS+=($!)
for url in "http://127.0.0.1:$API_PORT/readyz" "http://127.0.0.1:$ML_PORT/readyz"; do
    for i in $(seq 1 240); do
        curl -fs -o /dev/null "$url" && break
        [ "$i" -lt 240 ] || die "$url did not become ready (logs in $ARTIFACTS)"
        sleep 0.25
    done
done
start_nginx "$RUN/nginx" "$WEB_PORT" "127.0.0.1:$API_PORT"
for _ in $(seq 1 40); do curl -fs -o /dev/null "http://127.0.0.1:$WEB_PORT/healthz" && break; sleep 0.1; done

say "web: browser tests against http://127.0.0.1:$WEB_PORT"
cd "$WEB_DIR"
E2E_BASE_URL=http://127.0.0.1:$WEB_PORT E2E_SCREENSHOTS=$ARTIFACTS \
    npx vitest run --config vitest.e2e.config.ts ${E2E_REPORT:+--reporter=default --reporter=json --outputFile.json="$E2E_REPORT"}
