-- The rollups' upserts take their rows' locks in key order. Two statements that add to
-- some of the same (day, account) or (day, category) rows (the import job writes two
-- chunks at once; the model categorises while an import runs) each lock the rows they
-- upsert one by one, in the order their GROUP BY hands them over: a hash order that
-- depends on the other keys of the statement. Two such orders can cross, and Postgres
-- then aborts one statement as a deadlock after a second's wait (seen in an import of
-- 100,000 rows whose last chunks were smaller than the others). In one order for every
-- writer, the second waits for the first instead.

CREATE OR REPLACE FUNCTION daily_category_flows_add(d daily_category_flows[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO daily_category_flows AS f (ledger_id, day, category_id, currency, amount, lines)
    SELECT ledger_id, day, category_id, currency, sum(amount), sum(lines)
    FROM unnest(d)
    GROUP BY ledger_id, day, category_id, currency
    HAVING sum(lines) <> 0 OR sum(amount) <> 0
    ORDER BY ledger_id, day, category_id, currency
    ON CONFLICT ON CONSTRAINT daily_category_flows_key DO UPDATE
        SET amount = f.amount + EXCLUDED.amount, lines = f.lines + EXCLUDED.lines;
$$;

CREATE OR REPLACE FUNCTION daily_flows_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO daily_flows AS f (ledger_id, account_id, day, is_transfer, inflow, outflow)
        SELECT ledger_id, account_id, booked_on, transfer_id IS NOT NULL,
               -COALESCE(sum(amount) FILTER (WHERE amount > 0), 0),
               -COALESCE(-sum(amount) FILTER (WHERE amount < 0), 0)
        FROM old_rows GROUP BY 1, 2, 3, 4
        ORDER BY 1, 3, 2, 4
        ON CONFLICT (ledger_id, day, account_id, is_transfer) DO UPDATE
            SET inflow = f.inflow + EXCLUDED.inflow, outflow = f.outflow + EXCLUDED.outflow;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO daily_flows AS f (ledger_id, account_id, day, is_transfer, inflow, outflow)
        SELECT ledger_id, account_id, booked_on, transfer_id IS NOT NULL,
               COALESCE(sum(amount) FILTER (WHERE amount > 0), 0),
               COALESCE(-sum(amount) FILTER (WHERE amount < 0), 0)
        FROM new_rows GROUP BY 1, 2, 3, 4
        ORDER BY 1, 3, 2, 4
        ON CONFLICT (ledger_id, day, account_id, is_transfer) DO UPDATE
            SET inflow = f.inflow + EXCLUDED.inflow, outflow = f.outflow + EXCLUDED.outflow;
    END IF;
    RETURN NULL;
END
$$;
