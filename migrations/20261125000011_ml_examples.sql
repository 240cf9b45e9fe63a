-- What a ledger taught the categoriser beyond its categorised transactions: feedback on
-- suggestions (accepted, or corrected to another category). One row per direction of money
-- and normalised description; the newest word replaces an older one.
CREATE TABLE ml_examples (
    ledger_id     uuid        NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    money_in      boolean     NOT NULL,
    description   text        NOT NULL CHECK (length(description) BETWEEN 1 AND 500),
    category_id   uuid        NOT NULL,
    model_version text        CHECK (length(model_version) <= 100),
    outcome       text        NOT NULL CHECK (outcome IN ('accepted', 'corrected')),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (ledger_id, money_in, description),
    FOREIGN KEY (category_id, ledger_id) REFERENCES categories (id, ledger_id) ON DELETE CASCADE
);
