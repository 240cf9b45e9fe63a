-- The ledger core: people, their sign-in credentials, the household books they share, and
-- the accounts, categories and transactions inside a book. Every row that belongs to a
-- user's data carries `ledger_id`, and composite foreign keys (id, ledger_id) make it
-- impossible for a transaction to point at another ledger's account or category.

-- ISO 4217 currencies with the number of decimals each allows.
CREATE TABLE currencies (
    code        char(3)  PRIMARY KEY CHECK (code ~ '^[A-Z]{3}$'),
    minor_units smallint NOT NULL CHECK (minor_units BETWEEN 0 AND 4),
    name        text     NOT NULL
);

INSERT INTO currencies (code, minor_units, name) VALUES
    ('AED', 2, 'UAE Dirham'), ('ARS', 2, 'Argentine Peso'), ('AUD', 2, 'Australian Dollar'),
    ('BGN', 2, 'Bulgarian Lev'), ('BHD', 3, 'Bahraini Dinar'), ('BRL', 2, 'Brazilian Real'),
    ('CAD', 2, 'Canadian Dollar'), ('CHF', 2, 'Swiss Franc'), ('CLP', 0, 'Chilean Peso'),
    ('CNY', 2, 'Yuan Renminbi'), ('COP', 2, 'Colombian Peso'), ('CZK', 2, 'Czech Koruna'),
    ('DKK', 2, 'Danish Krone'), ('EGP', 2, 'Egyptian Pound'), ('EUR', 2, 'Euro'),
    ('GBP', 2, 'Pound Sterling'), ('GHS', 2, 'Ghana Cedi'), ('HKD', 2, 'Hong Kong Dollar'),
    ('HUF', 2, 'Forint'), ('IDR', 2, 'Rupiah'), ('ILS', 2, 'New Israeli Sheqel'),
    ('INR', 2, 'Indian Rupee'), ('IQD', 3, 'Iraqi Dinar'), ('ISK', 0, 'Iceland Krona'),
    ('JOD', 3, 'Jordanian Dinar'), ('JPY', 0, 'Yen'), ('KES', 2, 'Kenyan Shilling'),
    ('KRW', 0, 'Won'), ('KWD', 3, 'Kuwaiti Dinar'), ('KZT', 2, 'Tenge'),
    ('LKR', 2, 'Sri Lanka Rupee'), ('LYD', 3, 'Libyan Dinar'), ('MAD', 2, 'Moroccan Dirham'),
    ('MXN', 2, 'Mexican Peso'), ('MYR', 2, 'Malaysian Ringgit'), ('NGN', 2, 'Naira'),
    ('NOK', 2, 'Norwegian Krone'), ('NZD', 2, 'New Zealand Dollar'), ('OMR', 3, 'Rial Omani'),
    ('PEN', 2, 'Sol'), ('PHP', 2, 'Philippine Peso'), ('PKR', 2, 'Pakistan Rupee'),
    ('PLN', 2, 'Zloty'), ('PYG', 0, 'Guarani'), ('QAR', 2, 'Qatari Rial'),
    ('RON', 2, 'Romanian Leu'), ('RSD', 2, 'Serbian Dinar'), ('SAR', 2, 'Saudi Riyal'),
    ('SEK', 2, 'Swedish Krona'), ('SGD', 2, 'Singapore Dollar'), ('THB', 2, 'Baht'),
    ('TND', 3, 'Tunisian Dinar'), ('TRY', 2, 'Turkish Lira'), ('TWD', 2, 'New Taiwan Dollar'),
    ('UAH', 2, 'Hryvnia'), ('UGX', 0, 'Uganda Shilling'), ('USD', 2, 'US Dollar'),
    ('UYU', 2, 'Peso Uruguayo'), ('VND', 0, 'Dong'), ('XAF', 0, 'CFA Franc BEAC'),
    ('XOF', 0, 'CFA Franc BCEAO'), ('ZAR', 2, 'Rand');

CREATE TABLE users (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    email         text        NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 254),
    display_name  text        NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    password_hash text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE user_preferences (
    user_id            uuid     PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    locale             text     NOT NULL DEFAULT 'en-US' CHECK (locale ~ '^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?$'),
    default_currency   char(3)  NOT NULL DEFAULT 'USD' REFERENCES currencies (code),
    first_day_of_week  smallint NOT NULL DEFAULT 1 CHECK (first_day_of_week BETWEEN 0 AND 6),
    first_day_of_month smallint NOT NULL DEFAULT 1 CHECK (first_day_of_month BETWEEN 1 AND 28),
    theme              text     NOT NULL DEFAULT 'system' CHECK (theme IN ('system', 'light', 'dark'))
);

-- Refresh tokens rotate on every use. All tokens issued from one login share a family; a
-- token presented twice means it was stolen, and the whole family is revoked.
CREATE TABLE refresh_tokens (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id   uuid        NOT NULL,
    token_hash  bytea       NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

-- Personal access tokens for programmatic clients; only a hash is kept, the token is shown
-- once at creation.
CREATE TABLE personal_access_tokens (
    id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    token_hash   bytea       NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX personal_access_tokens_user ON personal_access_tokens (user_id);

CREATE TABLE ledgers (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    base_currency char(3)     NOT NULL REFERENCES currencies (code),
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TYPE ledger_role AS ENUM ('owner', 'editor', 'viewer');

CREATE TABLE ledger_members (
    ledger_id  uuid        NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       ledger_role NOT NULL,
    joined_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (ledger_id, user_id)
);
CREATE INDEX ledger_members_user ON ledger_members (user_id);

-- Invitations by code (no e-mail needed): the owner passes the code on; it works once.
CREATE TABLE ledger_invites (
    id         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    ledger_id  uuid        NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    role       ledger_role NOT NULL CHECK (role <> 'owner'),
    code_hash  bytea       NOT NULL UNIQUE,
    created_by uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_by    uuid        REFERENCES users (id) ON DELETE SET NULL,
    used_at    timestamptz
);

CREATE TYPE account_kind AS ENUM ('checking', 'savings', 'credit_card', 'cash', 'loan', 'investment');

CREATE TABLE accounts (
    id              uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
    ledger_id       uuid          NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    name            text          NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    kind            account_kind  NOT NULL,
    currency        char(3)       NOT NULL REFERENCES currencies (code),
    opening_balance numeric(20,4) NOT NULL DEFAULT 0,
    archived_at     timestamptz,
    created_at      timestamptz   NOT NULL DEFAULT now(),
    UNIQUE (id, ledger_id)
);
CREATE UNIQUE INDEX accounts_ledger_name_key ON accounts (ledger_id, lower(name));

CREATE TYPE category_kind AS ENUM ('income', 'expense');

CREATE TABLE category_groups (
    id          uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
    ledger_id   uuid          NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    name        text          NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    kind        category_kind NOT NULL,
    archived_at timestamptz,
    UNIQUE (id, ledger_id)
);
CREATE UNIQUE INDEX category_groups_ledger_name_key ON category_groups (ledger_id, lower(name));

CREATE TABLE categories (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    ledger_id   uuid        NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    group_id    uuid        NOT NULL,
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    archived_at timestamptz,
    UNIQUE (id, ledger_id),
    FOREIGN KEY (group_id, ledger_id) REFERENCES category_groups (id, ledger_id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX categories_group_name_key ON categories (group_id, lower(name));

CREATE TYPE transaction_status AS ENUM ('pending', 'cleared');
CREATE TYPE category_source AS ENUM ('user', 'rule', 'ml');

CREATE TABLE transactions (
    id               uuid               PRIMARY KEY DEFAULT gen_random_uuid(),
    ledger_id        uuid               NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    account_id       uuid               NOT NULL,
    booked_on        date               NOT NULL CHECK (booked_on BETWEEN '1900-01-01' AND '2999-12-31'),
    amount           numeric(20,4)      NOT NULL,
    payee            text               NOT NULL DEFAULT '' CHECK (length(payee) <= 200),
    description      text               NOT NULL DEFAULT '' CHECK (length(description) <= 1000),
    notes            text               NOT NULL DEFAULT '' CHECK (length(notes) <= 5000),
    status           transaction_status NOT NULL DEFAULT 'cleared',
    category_id      uuid,
    category_source  category_source,
    ml_model_version text,
    ml_confidence    real               CHECK (ml_confidence BETWEEN 0 AND 1),
    -- Both legs of a transfer share this id; a transfer has no category.
    transfer_id      uuid,
    import_id        text               CHECK (length(import_id) <= 200),
    tags             text[]             NOT NULL DEFAULT '{}',
    created_at       timestamptz        NOT NULL DEFAULT now(),
    updated_at       timestamptz        NOT NULL DEFAULT now(),
    FOREIGN KEY (account_id, ledger_id) REFERENCES accounts (id, ledger_id),
    FOREIGN KEY (category_id, ledger_id) REFERENCES categories (id, ledger_id),
    CONSTRAINT transactions_category_source_check
        CHECK ((category_id IS NULL) = (category_source IS NULL)),
    CONSTRAINT transactions_ml_fields_check CHECK (
        CASE WHEN category_source = 'ml' THEN ml_model_version IS NOT NULL AND ml_confidence IS NOT NULL
             ELSE ml_model_version IS NULL AND ml_confidence IS NULL END),
    CONSTRAINT transactions_transfer_uncategorised_check
        CHECK (transfer_id IS NULL OR category_id IS NULL)
);
CREATE UNIQUE INDEX transactions_account_import_key ON transactions (account_id, import_id)
    WHERE import_id IS NOT NULL;
-- Keyset pagination: newest first, and by amount.
CREATE INDEX transactions_ledger_date ON transactions (ledger_id, booked_on DESC, id DESC);
CREATE INDEX transactions_ledger_amount ON transactions (ledger_id, amount, id);
CREATE INDEX transactions_account_date ON transactions (account_id, booked_on);
CREATE INDEX transactions_category ON transactions (category_id) WHERE category_id IS NOT NULL;
CREATE INDEX transactions_transfer ON transactions (transfer_id) WHERE transfer_id IS NOT NULL;
CREATE INDEX transactions_tags ON transactions USING gin (tags);
CREATE INDEX transactions_text_search ON transactions
    USING gin ((payee || ' ' || description) gin_trgm_ops);

-- A transaction split across categories: the parts sum exactly to the transaction amount
-- (checked at commit by the trigger below, so parts can be written in any order).
CREATE TABLE transaction_splits (
    transaction_id uuid          NOT NULL REFERENCES transactions (id) ON DELETE CASCADE,
    position       smallint      NOT NULL CHECK (position >= 0),
    ledger_id      uuid          NOT NULL,
    category_id    uuid          NOT NULL,
    amount         numeric(20,4) NOT NULL,
    memo           text          NOT NULL DEFAULT '' CHECK (length(memo) <= 200),
    PRIMARY KEY (transaction_id, position),
    FOREIGN KEY (category_id, ledger_id) REFERENCES categories (id, ledger_id)
);
CREATE INDEX transaction_splits_category ON transaction_splits (category_id);

CREATE FUNCTION check_split_sum() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    txn uuid;
    total numeric;
    parts numeric;
    n integer;
BEGIN
    IF TG_TABLE_NAME = 'transactions' THEN
        txn := NEW.id;
    ELSIF TG_OP = 'DELETE' THEN
        txn := OLD.transaction_id;
    ELSE
        txn := NEW.transaction_id;
    END IF;
    SELECT amount INTO total FROM transactions WHERE id = txn;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    SELECT count(*), COALESCE(sum(amount), 0) INTO n, parts
      FROM transaction_splits WHERE transaction_id = txn;
    IF n > 0 AND parts <> total THEN
        RAISE EXCEPTION 'split parts sum to % but the transaction amount is %', parts, total
            USING ERRCODE = 'check_violation', CONSTRAINT = 'transaction_splits_sum_check';
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER transaction_splits_sum
    AFTER INSERT OR UPDATE OR DELETE ON transaction_splits
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION check_split_sum();

CREATE CONSTRAINT TRIGGER transactions_split_sum
    AFTER UPDATE OF amount ON transactions
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION check_split_sum();
