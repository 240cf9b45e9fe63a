-- Whether a transaction is split, kept by a trigger on its parts, so reading a page of
-- transactions looks for parts only where there are some.
ALTER TABLE transactions ADD COLUMN has_splits boolean NOT NULL DEFAULT false;

CREATE FUNCTION transactions_mark_split() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE transactions t SET has_splits = true
        WHERE t.id IN (SELECT DISTINCT transaction_id FROM new_rows) AND NOT t.has_splits;
    ELSE
        UPDATE transactions t SET has_splits = false
        WHERE t.id IN (SELECT DISTINCT transaction_id FROM old_rows) AND t.has_splits
          AND NOT EXISTS (SELECT 1 FROM transaction_splits s WHERE s.transaction_id = t.id);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER transaction_splits_mark_insert AFTER INSERT ON transaction_splits
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION transactions_mark_split();
CREATE TRIGGER transaction_splits_mark_delete AFTER DELETE ON transaction_splits
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION transactions_mark_split();

UPDATE transactions t SET has_splits = true
WHERE EXISTS (SELECT 1 FROM transaction_splits s WHERE s.transaction_id = t.id);
