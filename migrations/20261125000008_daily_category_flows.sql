-- Money per category per day and currency, kept in step with `transactions` and
-- `transaction_splits` by triggers, so spending by category and budgets over a year read a
-- few thousand rows instead of every transaction. It holds exactly what the
-- `category_lines` view yields, summed: an unsplit transaction that is not a transfer is one
-- line in its category (NULL when uncategorised); a split transaction is one line per part.
--
-- How it stays exact: the rollup is a sum over (a) unsplit non-transfer transactions, by the
-- row's own `has_splits`, and (b) every (transaction, part) pair. Each trigger adds what its
-- statement changed in its own table, joined with the other table as it is at that moment,
-- so any order of statements within a transaction ends at the same sums. Deleting a split
-- transaction removes its parts by cascade before its statement trigger runs, so a
-- row-level trigger takes their lines out first, while they can still be seen.
-- An account's currency never changes, so a line's currency is its account's.
CREATE TABLE daily_category_flows (
    ledger_id   uuid          NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    day         date          NOT NULL,
    category_id uuid,
    currency    char(3)       NOT NULL,
    amount      numeric(24,4) NOT NULL DEFAULT 0,
    lines       bigint        NOT NULL DEFAULT 0,
    CONSTRAINT daily_category_flows_key UNIQUE NULLS NOT DISTINCT (ledger_id, day, category_id, currency)
);

-- Adds the deltas in `d` to the rollup, one upsert per (ledger, day, category, currency).
CREATE FUNCTION daily_category_flows_add(d daily_category_flows[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO daily_category_flows AS f (ledger_id, day, category_id, currency, amount, lines)
    SELECT ledger_id, day, category_id, currency, sum(amount), sum(lines)
    FROM unnest(d)
    GROUP BY ledger_id, day, category_id, currency
    HAVING sum(lines) <> 0 OR sum(amount) <> 0
    ON CONFLICT ON CONSTRAINT daily_category_flows_key DO UPDATE
        SET amount = f.amount + EXCLUDED.amount, lines = f.lines + EXCLUDED.lines;
$$;

-- Statement triggers on `transactions`: the lines of the rows the statement took away,
-- negated, and of the rows it put in. (On DELETE the parts are already gone; see above.)
CREATE FUNCTION daily_category_flows_transactions() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    d daily_category_flows[] := '{}';
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        d := d || ARRAY(
            SELECT ROW(r.ledger_id, r.booked_on, r.category_id, a.currency, -r.amount, -1)::daily_category_flows
            FROM old_rows r JOIN accounts a ON a.id = r.account_id
            WHERE r.transfer_id IS NULL AND NOT r.has_splits
            UNION ALL
            SELECT ROW(r.ledger_id, r.booked_on, s.category_id, a.currency, -s.amount, -1)::daily_category_flows
            FROM old_rows r JOIN transaction_splits s ON s.transaction_id = r.id
            JOIN accounts a ON a.id = r.account_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        d := d || ARRAY(
            SELECT ROW(r.ledger_id, r.booked_on, r.category_id, a.currency, r.amount, 1)::daily_category_flows
            FROM new_rows r JOIN accounts a ON a.id = r.account_id
            WHERE r.transfer_id IS NULL AND NOT r.has_splits
            UNION ALL
            SELECT ROW(r.ledger_id, r.booked_on, s.category_id, a.currency, s.amount, 1)::daily_category_flows
            FROM new_rows r JOIN transaction_splits s ON s.transaction_id = r.id
            JOIN accounts a ON a.id = r.account_id);
    END IF;
    PERFORM daily_category_flows_add(d);
    RETURN NULL;
END
$$;

CREATE TRIGGER transactions_daily_category_flows_insert AFTER INSERT ON transactions
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION daily_category_flows_transactions();
CREATE TRIGGER transactions_daily_category_flows_update AFTER UPDATE ON transactions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION daily_category_flows_transactions();
CREATE TRIGGER transactions_daily_category_flows_delete AFTER DELETE ON transactions
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION daily_category_flows_transactions();

-- A split transaction being deleted: take its parts' lines out while they still exist.
CREATE FUNCTION daily_category_flows_split_transaction_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM daily_category_flows_add(ARRAY(
        SELECT ROW(OLD.ledger_id, OLD.booked_on, s.category_id, a.currency, -s.amount, -1)::daily_category_flows
        FROM transaction_splits s JOIN accounts a ON a.id = OLD.account_id
        WHERE s.transaction_id = OLD.id));
    RETURN OLD;
END
$$;

CREATE TRIGGER transactions_daily_category_flows_split_deleted BEFORE DELETE ON transactions
    FOR EACH ROW WHEN (OLD.has_splits)
    EXECUTE FUNCTION daily_category_flows_split_transaction_deleted();

-- Statement triggers on `transaction_splits`: parts taken away and put in, each dated and
-- priced by its transaction as it is now (a part whose transaction is being deleted joins
-- nothing: the row trigger above has counted it).
CREATE FUNCTION daily_category_flows_splits() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    d daily_category_flows[] := '{}';
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        d := d || ARRAY(
            SELECT ROW(t.ledger_id, t.booked_on, r.category_id, a.currency, -r.amount, -1)::daily_category_flows
            FROM old_rows r JOIN transactions t ON t.id = r.transaction_id
            JOIN accounts a ON a.id = t.account_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        d := d || ARRAY(
            SELECT ROW(t.ledger_id, t.booked_on, r.category_id, a.currency, r.amount, 1)::daily_category_flows
            FROM new_rows r JOIN transactions t ON t.id = r.transaction_id
            JOIN accounts a ON a.id = t.account_id);
    END IF;
    PERFORM daily_category_flows_add(d);
    RETURN NULL;
END
$$;

CREATE TRIGGER transaction_splits_daily_category_flows_insert AFTER INSERT ON transaction_splits
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION daily_category_flows_splits();
CREATE TRIGGER transaction_splits_daily_category_flows_update AFTER UPDATE ON transaction_splits
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION daily_category_flows_splits();
CREATE TRIGGER transaction_splits_daily_category_flows_delete AFTER DELETE ON transaction_splits
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION daily_category_flows_splits();

-- Existing transactions.
INSERT INTO daily_category_flows (ledger_id, day, category_id, currency, amount, lines)
SELECT ledger_id, booked_on, category_id, currency, sum(amount), count(*)
FROM category_lines
GROUP BY 1, 2, 3, 4;
