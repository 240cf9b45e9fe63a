#!/usr/bin/env bash
# `make run`: brings FinanceTracker up on this machine. Installs and starts what is missing
# (PostgreSQL, Redis, nginx), builds the services in release mode and the web app, starts the
# API, the ML worker and nginx in front of them (the web app, with /api and the WebSocket
# passed to the API), waits until they answer, prints the one URL, and stays in the
# foreground. Ctrl-C or SIGTERM stops what it started, and only that.
#
# A model experiment without Kubernetes: ML_CANDIDATE_VERSION=minilm-l6-v2-fp32 starts a
# second worker serving that version beside the first (MODEL_VERSION, default
# minilm-l6-v2-int8) and routes ML_CANDIDATE_WEIGHT percent of the households (default 50)
# to it through .run/routing.json, which the API re-reads every few seconds (edit it to
# change the weights live).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/stores.sh
source scripts/stores.sh
# shellcheck source=scripts/web.sh
source scripts/web.sh

WEB_PORT=${WEB_PORT:-8080}
API_PORT=${API_PORT:-8081}
ML_PORT=${ML_PORT:-8090}
ML_CANDIDATE_PORT=${ML_CANDIDATE_PORT:-8091}
ML_CANDIDATE_VERSION=${ML_CANDIDATE_VERSION:-}
ML_CANDIDATE_WEIGHT=${ML_CANDIDATE_WEIGHT:-50}
export MODEL_VERSION=${MODEL_VERSION:-minilm-l6-v2-int8}
export DATABASE_URL=${DATABASE_URL:-postgres://financetracker:financetracker@127.0.0.1:5432/financetracker}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
RUN_DIR=.run
PIDS=()

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

ports=("$WEB_PORT" "$API_PORT" "$ML_PORT")
if [ -n "$ML_CANDIDATE_VERSION" ]; then
    [ "$ML_CANDIDATE_VERSION" != "$MODEL_VERSION" ] ||
        die "ML_CANDIDATE_VERSION is the version already served ($MODEL_VERSION): name the other one"
    [[ "$ML_CANDIDATE_WEIGHT" =~ ^(100|[1-9]?[0-9])$ ]] ||
        die "ML_CANDIDATE_WEIGHT must be a whole percentage from 0 to 100, not '$ML_CANDIDATE_WEIGHT'"
    ports+=("$ML_CANDIDATE_PORT")
fi
for port in "${ports[@]}"; do
    port_free "$port" || die "port $port is in use: is FinanceTracker already running? (choose others with WEB_PORT=... API_PORT=... ML_PORT=... ML_CANDIDATE_PORT=...)"
done

scripts/model.sh
export MODEL_DIR=${MODEL_DIR:-$PWD/models}
for version in "$MODEL_VERSION" ${ML_CANDIDATE_VERSION:+"$ML_CANDIDATE_VERSION"}; do
    [ -d "$MODEL_DIR/$version" ] ||
        die "no model $version in $MODEL_DIR (there: $(ls "$MODEL_DIR" | grep -v onnxruntime | tr '\n' ' '))"
done
ensure_packages curl nginx
ensure_stores

say "building (release)"
cargo build --release --locked -p api -p ml-worker
build_web

mkdir -p "$RUN_DIR"
# One signing key per checkout, so sessions survive a restart of `make run`.
[ -s "$RUN_DIR/jwt_secret" ] || (umask 077 && head -c 48 /dev/urandom | base64 -w0 > "$RUN_DIR/jwt_secret")
JWT_SECRET=$(cat "$RUN_DIR/jwt_secret")
export JWT_SECRET
# Plain HTTP on 127.0.0.1: cookies cannot be marked Secure. nginx in front passes the
# client's address on.
export COOKIE_SECURE=false TRUST_FORWARDED_FOR=true

stop_all() {
    trap - INT TERM EXIT
    stop_nginx
    if [ ${#PIDS[@]} -gt 0 ]; then
        say "stopping services"
        kill -TERM "${PIDS[@]}" 2>/dev/null || true
        wait "${PIDS[@]}" 2>/dev/null || true
    fi
    stop_stores
}
trap 'stop_all; exit 0' INT TERM
trap stop_all EXIT

# start NAME BINARY [ARGS...] with the environment set by the caller; output is prefixed.
start() {
    local name=$1; shift
    "$@" > >(sed -u "s/^/[$name] /") 2>&1 &
    PIDS+=($!)
}

say "database: migrations and demo data"
target/release/api seed-demo

# The API always follows the file: without it (no candidate) everyone goes to ML_WORKER_URL,
# and what a candidate of an earlier run left queued moves to the serving worker.
if [ -n "$ML_CANDIDATE_VERSION" ]; then
    # As the operator writes it during a ModelExperiment (contracts::model_routing).
    cat > "$RUN_DIR/routing.json" <<JSON
{"defaultVersion": "$MODEL_VERSION", "experiment": "local",
 "routes": [{"version": "$ML_CANDIDATE_VERSION", "weight": $ML_CANDIDATE_WEIGHT, "url": "http://127.0.0.1:$ML_CANDIDATE_PORT"},
            {"version": "$MODEL_VERSION", "weight": $((100 - ML_CANDIDATE_WEIGHT))}]}
JSON
    # Its households' queued categorisations wait on its own stream.
    LISTEN_ADDR=127.0.0.1:$ML_CANDIDATE_PORT MODEL_VERSION=$ML_CANDIDATE_VERSION \
        QUEUE_STREAM=ft:ml:queue:$ML_CANDIDATE_VERSION start ml-candidate target/release/ml-worker
else
    rm -f "$RUN_DIR/routing.json"
fi
LISTEN_ADDR=127.0.0.1:$API_PORT ML_WORKER_URL=http://127.0.0.1:$ML_PORT \
    ML_ROUTING_FILE="$PWD/$RUN_DIR/routing.json" start api target/release/api serve
LISTEN_ADDR=127.0.0.1:$ML_PORT start ml-worker target/release/ml-worker

wait_ready() {
    local name=$1 url=$2 i
    for i in $(seq 1 120); do
        curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
        local pid
        for pid in "${PIDS[@]}"; do
            kill -0 "$pid" 2>/dev/null || die "$name stopped during start-up (its output is above)"
        done
        sleep 0.5
    done
    die "$name did not become ready within 60 s: $url"
}
wait_ready api "http://127.0.0.1:$API_PORT/readyz"
wait_ready ml-worker "http://127.0.0.1:$ML_PORT/readyz"
[ -z "$ML_CANDIDATE_VERSION" ] || wait_ready ml-candidate "http://127.0.0.1:$ML_CANDIDATE_PORT/readyz"
start_nginx "$PWD/$RUN_DIR/nginx" "$WEB_PORT" "127.0.0.1:$API_PORT"
PIDS+=("$NGINX_PID")
wait_ready web "http://127.0.0.1:$WEB_PORT/healthz"

echo
echo "FinanceTracker is running at http://127.0.0.1:$WEB_PORT"
echo "  Sign in as demo@financetracker.local with the password financetracker-demo"
echo "  API        http://127.0.0.1:$API_PORT  (/healthz, /readyz, /metrics; the app reaches it at /api)"
echo "  ML worker  http://127.0.0.1:$ML_PORT  ($MODEL_VERSION)"
[ -z "$ML_CANDIDATE_VERSION" ] || echo "  candidate  http://127.0.0.1:$ML_CANDIDATE_PORT  ($ML_CANDIDATE_VERSION, ${ML_CANDIDATE_WEIGHT}% of households; weights in $RUN_DIR/routing.json)"
echo "Press Ctrl-C to stop."
echo

# Stay in the foreground; if a service dies on its own, stop the rest and fail.
set +e
wait -n "${PIDS[@]}"
status=$?
set -e
die "a service exited unexpectedly (status $status); stopping the others"
