-- Money in and out per account per day, kept in step with `transactions` by statement-level
-- triggers, so cash flow and net worth over months read a few hundred rows instead of every
-- transaction. Transfers are kept apart: net worth counts them, cash flow does not.
CREATE TABLE daily_flows (
    ledger_id   uuid          NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    account_id  uuid          NOT NULL,
    day         date          NOT NULL,
    is_transfer boolean       NOT NULL,
    inflow      numeric(24,4) NOT NULL DEFAULT 0,
    outflow     numeric(24,4) NOT NULL DEFAULT 0,
    PRIMARY KEY (ledger_id, day, account_id, is_transfer)
);

CREATE FUNCTION daily_flows_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO daily_flows AS f (ledger_id, account_id, day, is_transfer, inflow, outflow)
        SELECT ledger_id, account_id, booked_on, transfer_id IS NOT NULL,
               -COALESCE(sum(amount) FILTER (WHERE amount > 0), 0),
               -COALESCE(-sum(amount) FILTER (WHERE amount < 0), 0)
        FROM old_rows GROUP BY 1, 2, 3, 4
        ON CONFLICT (ledger_id, day, account_id, is_transfer) DO UPDATE
            SET inflow = f.inflow + EXCLUDED.inflow, outflow = f.outflow + EXCLUDED.outflow;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO daily_flows AS f (ledger_id, account_id, day, is_transfer, inflow, outflow)
        SELECT ledger_id, account_id, booked_on, transfer_id IS NOT NULL,
               COALESCE(sum(amount) FILTER (WHERE amount > 0), 0),
               COALESCE(-sum(amount) FILTER (WHERE amount < 0), 0)
        FROM new_rows GROUP BY 1, 2, 3, 4
        ON CONFLICT (ledger_id, day, account_id, is_transfer) DO UPDATE
            SET inflow = f.inflow + EXCLUDED.inflow, outflow = f.outflow + EXCLUDED.outflow;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER transactions_daily_flows_insert AFTER INSERT ON transactions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION daily_flows_apply();
CREATE TRIGGER transactions_daily_flows_update AFTER UPDATE ON transactions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION daily_flows_apply();
CREATE TRIGGER transactions_daily_flows_delete AFTER DELETE ON transactions
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION daily_flows_apply();

-- Existing transactions.
INSERT INTO daily_flows (ledger_id, account_id, day, is_transfer, inflow, outflow)
SELECT ledger_id, account_id, booked_on, transfer_id IS NOT NULL,
       COALESCE(sum(amount) FILTER (WHERE amount > 0), 0),
       COALESCE(-sum(amount) FILTER (WHERE amount < 0), 0)
FROM transactions GROUP BY 1, 2, 3, 4;
