-- Categorisation by the ML worker: each ledger chooses how sure a suggestion must be to be
-- applied without asking; below that, a transaction keeps the suggestions for one-click
-- acceptance (a JSON list of {category_id, confidence}, best first, and the model version).
ALTER TABLE ledgers ADD COLUMN ml_auto_apply_threshold real NOT NULL DEFAULT 0.7
    CHECK (ml_auto_apply_threshold BETWEEN 0 AND 1);
ALTER TABLE transactions ADD COLUMN ml_suggestions jsonb;
