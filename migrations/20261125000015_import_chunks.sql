-- The chunks of an import that are written. A chunk's rows and its row here commit in one
-- transaction, and the key makes a chunk writable once: two writers racing for the same
-- chunk cannot both commit it. Chunks commit in any order (several writers per import), and
-- a resumed import writes exactly the chunks missing here.
CREATE TABLE import_chunks (
    import_id  uuid    NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    first_row  integer NOT NULL CHECK (first_row >= 0),
    rows       integer NOT NULL CHECK (rows > 0),
    -- Rows the chunk added (the rest were duplicates).
    inserted   integer NOT NULL CHECK (inserted BETWEEN 0 AND rows),
    PRIMARY KEY (import_id, first_row)
);
