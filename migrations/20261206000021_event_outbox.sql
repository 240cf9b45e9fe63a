-- Live-update events, recorded in the transaction of the write they announce (a
-- transactional outbox): a write that rolls back leaves no event, and one that commits
-- cannot lose its event to a Redis that was down at that moment. The API's relay (one
-- at a time, elected by an advisory lock) publishes them in `seq` order to the ledger's
-- Redis stream and fan-out channel and marks them published; published events are
-- deleted once they are older than the replay window.
--
-- No foreign key to ledgers: a deleted ledger's last event (`ledger.deleted`) must
-- outlive the ledger it announces.
CREATE TABLE event_outbox (
    seq          bigserial   PRIMARY KEY,
    -- Names the event across relays: the key Redis remembers a published event by, so a
    -- relay that dies between publishing and marking cannot publish it twice.
    id           uuid        NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    ledger_id    uuid        NOT NULL,
    type         text        NOT NULL CHECK (type ~ '^[a-z_]+\.[a-z_]+$'),
    -- `json`, not `jsonb`: stored and handed to clients byte for byte as written.
    data         json        NOT NULL,
    -- When the writing transaction recorded it (just before its commit): the start of the
    -- commit-to-send latency the API measures.
    recorded_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    published_at timestamptz,
    -- The Redis stream entry id it was published as (the id clients see).
    stream_id    text
);

CREATE INDEX event_outbox_unpublished ON event_outbox (seq) WHERE published_at IS NULL;
CREATE INDEX event_outbox_published_at ON event_outbox (published_at) WHERE published_at IS NOT NULL;

-- Wakes the relay at commit (a notification is delivered only if the transaction
-- commits, once per transaction however many events it recorded).
CREATE FUNCTION event_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('ft_event_outbox', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER event_outbox_notify AFTER INSERT ON event_outbox
    FOR EACH STATEMENT EXECUTE FUNCTION event_outbox_notify();
