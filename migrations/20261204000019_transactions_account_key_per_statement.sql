-- The account key of `transactions`, checked once per statement instead of once per row.
-- A foreign key runs a query for every inserted row (find the account and lock it against
-- deletion): for an import that is the same account 100,000 times, about a fifth of what a
-- Postgres backend spends writing the rows (bench/imports/insert_cost.sh). These triggers
-- keep the same rule with the same lock, for each distinct account of a statement's rows:
--
-- - an inserted transaction's (account_id, ledger_id) must be an account of that ledger:
--   the account is locked FOR KEY SHARE, as the foreign key did, so it cannot be deleted
--   before the writer commits;
-- - an UPDATE checks and locks only the pairs its rows did not have before, as the foreign
--   key skipped rows whose key did not change: the model's categorisations and every edit
--   of a transaction's other columns do not lock the account. A pair the statement's old
--   rows had needs no lock: those rows are committed and locked by this statement, so a
--   concurrent delete's check sees them, as they were or as they become;
-- - an account that transactions still use cannot be deleted or have its key changed
--   (the foreign key's NO ACTION);
-- - a TRUNCATE that empties accounts (also by cascade, from ledgers) but leaves
--   transactions fails, as the foreign key made it fail. Checked after the command, so
--   one that empties both (`TRUNCATE ledgers CASCADE` reaches transactions through the
--   category key) goes through.
--
-- All raise what the foreign key raised (SQLSTATE 23503, the constraint's name), so the
-- API's error mapping is unchanged. Like the foreign key's own checks under READ COMMITTED,
-- the isolation every writer of this schema uses, the delete check reads the latest
-- committed rows: a writer that locked the account first is waited for and then seen; a
-- delete that came first makes the writer's lock find nothing. Under REPEATABLE READ a
-- delete's check would read its snapshot's.
ALTER TABLE transactions DROP CONSTRAINT transactions_account_id_ledger_id_fkey;

CREATE FUNCTION transactions_account_key_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    account_ids uuid[];
    ledger_ids uuid[];
    missing record;
BEGIN
    -- The pairs to check: an UPDATE's new ones, an INSERT's all.
    IF TG_OP = 'UPDATE' THEN
        SELECT array_agg(account_id), array_agg(ledger_id) INTO account_ids, ledger_ids
        FROM (SELECT account_id, ledger_id FROM new_rows
              EXCEPT SELECT account_id, ledger_id FROM old_rows) n;
    ELSE
        SELECT array_agg(account_id), array_agg(ledger_id) INTO account_ids, ledger_ids
        FROM (SELECT DISTINCT account_id, ledger_id FROM new_rows) n;
    END IF;
    SELECT n.account_id, n.ledger_id INTO missing
    FROM unnest(account_ids, ledger_ids) AS n(account_id, ledger_id)
    WHERE NOT EXISTS (SELECT FROM accounts a
                      WHERE a.id = n.account_id AND a.ledger_id = n.ledger_id
                      FOR KEY SHARE)
    LIMIT 1;
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

CREATE TRIGGER transactions_account_key_insert AFTER INSERT ON transactions
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION transactions_account_key_check();
CREATE TRIGGER transactions_account_key_update AFTER UPDATE ON transactions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION transactions_account_key_check();

CREATE FUNCTION accounts_transactions_key_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.ledger_id = OLD.ledger_id THEN
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT FROM transactions t WHERE t.account_id = OLD.id AND t.ledger_id = OLD.ledger_id) THEN
        RAISE EXCEPTION 'update or delete on table "accounts" violates foreign key constraint "transactions_account_id_ledger_id_fkey" on table "transactions"'
            USING ERRCODE = 'foreign_key_violation',
                  CONSTRAINT = 'transactions_account_id_ledger_id_fkey',
                  TABLE = 'accounts',
                  DETAIL = format('Key (id, ledger_id)=(%s, %s) is still referenced from table "transactions".',
                                  OLD.id, OLD.ledger_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER accounts_transactions_key AFTER DELETE OR UPDATE OF id, ledger_id ON accounts
    FOR EACH ROW EXECUTE FUNCTION accounts_transactions_key_check();

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
