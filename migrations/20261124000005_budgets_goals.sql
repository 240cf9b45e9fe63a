-- Budgets: an amount per category per month, in the ledger's base currency. A category with
-- rollover carries what was left (or overspent) into the next month. Crossing one of the
-- ledger's alert thresholds (percent of the month's available amount) records an alert,
-- once per category, month and threshold.
ALTER TABLE categories ADD COLUMN budget_rollover boolean NOT NULL DEFAULT false;
ALTER TABLE ledgers ADD COLUMN budget_alert_thresholds smallint[] NOT NULL DEFAULT '{80,100}'
    CHECK (array_length(budget_alert_thresholds, 1) <= 5
           AND 0 < ALL (budget_alert_thresholds) AND 1000 >= ALL (budget_alert_thresholds));

CREATE TABLE budgets (
    ledger_id   uuid          NOT NULL,
    category_id uuid          NOT NULL,
    month       date          NOT NULL CHECK (extract(day FROM month) = 1),
    amount      numeric(20,4) NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (category_id, month),
    FOREIGN KEY (category_id, ledger_id) REFERENCES categories (id, ledger_id) ON DELETE CASCADE
);
CREATE INDEX budgets_ledger_month ON budgets (ledger_id, month);

CREATE TABLE budget_alerts (
    ledger_id   uuid        NOT NULL,
    category_id uuid        NOT NULL,
    month       date        NOT NULL,
    threshold   smallint    NOT NULL,
    crossed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (category_id, month, threshold),
    FOREIGN KEY (category_id, ledger_id) REFERENCES categories (id, ledger_id) ON DELETE CASCADE
);
CREATE INDEX budget_alerts_ledger ON budget_alerts (ledger_id, crossed_at DESC);

-- Savings goals: a target amount by a date, tracked either by a linked account's balance
-- or by contributions entered by hand.
CREATE TABLE goals (
    id            uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
    ledger_id     uuid          NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    name          text          NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    target_amount numeric(20,4) NOT NULL CHECK (target_amount > 0),
    target_date   date          NOT NULL CHECK (target_date BETWEEN '1900-01-01' AND '2999-12-31'),
    account_id    uuid,
    created_at    timestamptz   NOT NULL DEFAULT now(),
    UNIQUE (id, ledger_id),
    FOREIGN KEY (account_id, ledger_id) REFERENCES accounts (id, ledger_id) ON DELETE SET NULL (account_id)
);

CREATE TABLE goal_contributions (
    id        uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
    goal_id   uuid          NOT NULL,
    ledger_id uuid          NOT NULL,
    day       date          NOT NULL,
    amount    numeric(20,4) NOT NULL CHECK (amount <> 0),
    note      text          NOT NULL DEFAULT '' CHECK (length(note) <= 200),
    FOREIGN KEY (goal_id, ledger_id) REFERENCES goals (id, ledger_id) ON DELETE CASCADE
);
CREATE INDEX goal_contributions_goal ON goal_contributions (goal_id);

-- Every categorised money line: whole transactions that are not split, and the parts of
-- split ones. Transfers are movements between accounts, not spending or income. Reports
-- and budgets read this one definition.
CREATE VIEW category_lines AS
    SELECT t.ledger_id, t.booked_on, a.currency, t.amount, t.category_id
    FROM transactions t
    JOIN accounts a ON a.id = t.account_id
    WHERE t.transfer_id IS NULL
      AND NOT EXISTS (SELECT 1 FROM transaction_splits s WHERE s.transaction_id = t.id)
    UNION ALL
    SELECT t.ledger_id, t.booked_on, a.currency, s.amount, s.category_id
    FROM transaction_splits s
    JOIN transactions t ON t.id = s.transaction_id
    JOIN accounts a ON a.id = t.account_id;
