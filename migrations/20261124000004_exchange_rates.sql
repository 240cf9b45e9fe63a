-- Exchange rates per ledger: on `day`, one unit of `currency` was worth `rate` units of the
-- ledger's base currency. Reports convert each transaction at the latest rate on or
-- before its date, and say which currencies had no rate.
CREATE TABLE exchange_rates (
    ledger_id uuid          NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    currency  char(3)       NOT NULL REFERENCES currencies (code),
    day       date          NOT NULL CHECK (day BETWEEN '1900-01-01' AND '2999-12-31'),
    rate      numeric(24,10) NOT NULL CHECK (rate > 0),
    PRIMARY KEY (ledger_id, currency, day)
);

-- The rate converting `currency` into the ledger's base currency on `day`: 1 for the base
-- currency itself, NULL when no rate is known on or before that day.
CREATE FUNCTION fx_rate(p_ledger uuid, p_currency char(3), p_day date) RETURNS numeric
LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN p_currency = (SELECT base_currency FROM ledgers WHERE id = p_ledger) THEN 1
        ELSE (SELECT rate FROM exchange_rates
              WHERE ledger_id = p_ledger AND currency = p_currency AND day <= p_day
              ORDER BY day DESC LIMIT 1)
    END
$$;
