-- Every day's rate for each currency the ledger's accounts hold, from `p_from` to `p_to`:
-- reports join this (a few hundred rows for a year) instead of calling `fx_rate` once per
-- summed row, which cost ten microseconds each, thousands of times per report. The base
-- currency's rate is 1 without a lookup.
-- PL/pgSQL, not SQL, on purpose: a SQL function would be inlined and the planner would move
-- the `fx_rate` calls back to every joined row.
CREATE FUNCTION fx_rates(p_ledger uuid, p_from date, p_to date)
RETURNS TABLE (currency char(3), day date, rate numeric)
LANGUAGE plpgsql STABLE ROWS 400 AS $$
BEGIN
    RETURN QUERY
    SELECT c.currency, d.day::date,
           CASE WHEN c.currency = l.base_currency THEN 1::numeric
                ELSE fx_rate(p_ledger, c.currency, d.day::date) END
    FROM ledgers l
    CROSS JOIN (SELECT DISTINCT a.currency FROM accounts a WHERE a.ledger_id = p_ledger) c
    CROSS JOIN generate_series(p_from, p_to, interval '1 day') AS d (day)
    WHERE l.id = p_ledger;
END
$$;
