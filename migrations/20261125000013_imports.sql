-- Imports of bank files. An import is uploaded and previewed, then committed in the
-- background in chunks; `committed_rows` is the resume point, advanced in the same database
-- transaction as the chunk's rows, so a restart neither loses nor repeats a row.
CREATE TYPE import_status AS ENUM ('previewed', 'queued', 'running', 'completed', 'failed', 'reverted');

CREATE TABLE imports (
    id             uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
    ledger_id      uuid          NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    -- Where the file's rows go; for a file with several accounts, `account_map` says.
    account_id     uuid          NOT NULL,
    created_by     uuid          REFERENCES users (id) ON DELETE SET NULL,
    file_name      text          NOT NULL DEFAULT '' CHECK (length(file_name) <= 255),
    -- The uploaded bytes, kept until the commit completes (the job re-reads them on resume).
    file           bytea,
    file_sha256    text          NOT NULL,
    format         text          NOT NULL,
    -- The CSV column mapping in use (detected, from a preset, or edited).
    mapping        jsonb,
    preset_name    text,
    -- Source account id (as the file names it) -> our account id.
    account_map    jsonb         NOT NULL DEFAULT '{}',
    -- What the preview shows: sample rows, row errors, notes, the file's accounts.
    preview        jsonb         NOT NULL,
    status         import_status NOT NULL DEFAULT 'previewed',
    total_rows     integer       NOT NULL DEFAULT 0,
    new_rows       integer       NOT NULL DEFAULT 0,
    duplicate_rows integer       NOT NULL DEFAULT 0,
    error_rows     integer       NOT NULL DEFAULT 0,
    committed_rows integer       NOT NULL DEFAULT 0,
    inserted_rows  integer       NOT NULL DEFAULT 0,
    error          text,
    created_at     timestamptz   NOT NULL DEFAULT now(),
    updated_at     timestamptz   NOT NULL DEFAULT now(),
    completed_at   timestamptz,
    FOREIGN KEY (account_id, ledger_id) REFERENCES accounts (id, ledger_id),
    CHECK (committed_rows <= total_rows)
);
CREATE INDEX imports_ledger_created ON imports (ledger_id, created_at DESC);

-- The import that added a transaction: undo removes exactly these rows.
ALTER TABLE transactions ADD COLUMN import_job_id uuid REFERENCES imports (id) ON DELETE SET NULL;
CREATE INDEX transactions_import_job ON transactions (import_job_id) WHERE import_job_id IS NOT NULL;

-- Saved CSV column mappings, found again by the file's header row.
CREATE TABLE import_presets (
    ledger_id  uuid        NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    header_key text        NOT NULL,
    mapping    jsonb       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (ledger_id, name)
);
CREATE UNIQUE INDEX import_presets_header ON import_presets (ledger_id, header_key);
