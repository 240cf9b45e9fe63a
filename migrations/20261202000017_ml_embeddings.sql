-- The sentence embedding of each normalised description a ledger's model trained on, per
-- model version. A restarted worker reads them back instead of embedding the ledger's whole
-- history again: 20,000 distinct descriptions take half a minute or more to embed on two
-- cores, and a few hundred milliseconds to read. `vector` holds `embedding_size` (from the
-- model's manifest) little-endian 32-bit floats. Deleting a ledger deletes them; a new
-- model version starts afresh.
CREATE TABLE ml_embeddings (
    ledger_id     uuid  NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    model_version text  NOT NULL CHECK (length(model_version) BETWEEN 1 AND 100),
    description   text  NOT NULL CHECK (length(description) BETWEEN 1 AND 2000),
    vector        bytea NOT NULL,
    PRIMARY KEY (ledger_id, model_version, description)
);
