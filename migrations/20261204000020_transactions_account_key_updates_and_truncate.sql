-- The account key's checks (migration 19), closer still to the foreign key they replaced.
--
-- 1. An UPDATE checks and locks only the (account_id, ledger_id) pairs its rows did not
--    have before, as the foreign key skipped rows whose key did not change: the model's
--    categorisations and every edit of a transaction's other columns no longer lock the
--    account. A pair the statement's old rows had needs no lock: those rows are committed
--    and locked by this statement, so a concurrent delete's check sees them, as they were
--    or as they become.
-- 2. A TRUNCATE that empties accounts (also by cascade, from ledgers) but leaves
--    transactions fails, as the foreign key made it fail. Checked after the command, so
--    one that empties both (`TRUNCATE ledgers CASCADE` reaches transactions through the
--    category key) goes through as before.
--
-- Both checks read the latest committed rows, as the foreign key's did under READ
-- COMMITTED, the isolation every writer of this schema uses; under REPEATABLE READ a
-- delete's check would read its snapshot's.
CREATE OR REPLACE FUNCTION transactions_account_key_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    missing record;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        SELECT n.account_id, n.ledger_id INTO missing
        FROM (SELECT account_id, ledger_id FROM new_rows
              EXCEPT SELECT account_id, ledger_id FROM old_rows) n
        WHERE NOT EXISTS (SELECT FROM accounts a
                          WHERE a.id = n.account_id AND a.ledger_id = n.ledger_id
                          FOR KEY SHARE)
        LIMIT 1;
    ELSE
        SELECT n.account_id, n.ledger_id INTO missing
        FROM (SELECT DISTINCT account_id, ledger_id FROM new_rows) n
        WHERE NOT EXISTS (SELECT FROM accounts a
                          WHERE a.id = n.account_id AND a.ledger_id = n.ledger_id
                          FOR KEY SHARE)
        LIMIT 1;
    END IF;
    IF FOUND THEN
        RAISE EXCEPTION 'insert or update on table "transactions" violates foreign key constraint "transactions_account_id_ledger_id_fkey"'
            USING ERRCODE = 'foreign_key_violation',
                  CONSTRAINT = 'transactions_account_id_ledger_id_fkey',
                  TABLE = 'transactions',
                  DETAIL = format('Key (account_id, ledger_id)=(%s, %s) is not present in table "accounts".',
                                  missing.account_id, missing.ledger_id);
    END IF;
    RETURN NULL;
END
$$;

DROP TRIGGER transactions_account_key_update ON transactions;
CREATE TRIGGER transactions_account_key_update AFTER UPDATE ON transactions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION transactions_account_key_check();

CREATE FUNCTION accounts_truncate_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT FROM transactions) THEN
        RAISE EXCEPTION 'cannot truncate "accounts": transactions still refer to its rows (constraint "transactions_account_id_ledger_id_fkey")'
            USING ERRCODE = 'foreign_key_violation',
                  CONSTRAINT = 'transactions_account_id_ledger_id_fkey',
                  TABLE = 'accounts',
                  HINT = 'Truncate table "transactions" at the same time.';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER accounts_truncate_key AFTER TRUNCATE ON accounts
    FOR EACH STATEMENT EXECUTE FUNCTION accounts_truncate_check();
