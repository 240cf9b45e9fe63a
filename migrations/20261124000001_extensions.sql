-- Trigram indexes back the free-text search over payees and descriptions (ledger API).
-- pg_trgm is a trusted extension: the database owner may create it without superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
