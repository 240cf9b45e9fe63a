#!/usr/bin/env bash
# `make sqlx-prepare`: regenerates .sqlx/ (what the query macros read when offline) from a
# database migrated from scratch. Installs sqlx-cli the first time.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/stores.sh
source scripts/stores.sh
ensure_postgres
SERVER_URL=${TEST_SERVER_URL:-postgres://financetracker:financetracker@127.0.0.1:5432}
command -v sqlx >/dev/null || cargo install sqlx-cli --version 0.8.6 --locked \
    --no-default-features --features postgres,rustls
psql -X -q -v ON_ERROR_STOP=1 "$SERVER_URL/financetracker" \
    -c 'DROP DATABASE IF EXISTS financetracker_sqlx WITH (FORCE)' \
    -c 'CREATE DATABASE financetracker_sqlx'
export DATABASE_URL=$SERVER_URL/financetracker_sqlx
sqlx migrate run
SQLX_OFFLINE=false cargo sqlx prepare --workspace -- --all-targets
