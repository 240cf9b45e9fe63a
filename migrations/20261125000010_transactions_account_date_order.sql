-- A page of one account's transactions, newest first, read straight off the index in page
-- order (date, then id), instead of sorting every row of the account in the date range.
DROP INDEX transactions_account_date;
CREATE INDEX transactions_account_date ON transactions (account_id, booked_on DESC, id DESC);
