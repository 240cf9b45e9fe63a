-- The account key of `transactions`, checked once per statement instead of once per row.
-- A foreign key runs a query for every inserted row (find the account and lock it against
-- deletion): for an import that is the same account 100,000 times, about a fifth of what a
-- Postgres backend spends writing the rows (bench/imports/insert_cost.sh). These triggers
-- keep the same rule with the same lock, for each distinct account of a statement's rows:
--
-- - an inserted or updated transaction's (account_id, ledger_id) must be an account of that
--   ledger: the account is locked FOR KEY SHARE, as the foreign key did, so it cannot be
--   deleted before the writer commits;
-- - an account that transactions still use cannot be deleted or have its key changed
--   (the foreign key's NO ACTION).
--
-- Both raise what the foreign key raised (SQLSTATE 23503, the constraint's name), so the
-- API's error mapping is unchanged. Like the foreign key's own check under READ COMMITTED,
-- the delete check reads the latest committed rows: a writer that locked the account first
-- is waited for and then seen; a delete that came first makes the writer's lock find nothing.
ALTER TABLE transactions DROP CONSTRAINT transactions_account_id_ledger_id_fkey;

CREATE FUNCTION transactions_account_key_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    missing record;
BEGIN
    SELECT n.account_id, n.ledger_id INTO missing
    FROM (SELECT DISTINCT account_id, ledger_id FROM new_rows) n
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
    REFERENCING NEW TABLE AS new_rows
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
