-- One CSV cell of exported text, formatted by Postgres so an export of a million rows
-- streams at the speed of the query: a cell that a spreadsheet would run as a formula
-- (starting with =, +, -, @, tab or CR) gets a leading apostrophe, and a cell holding a
-- comma, quote or line break is quoted with its quotes doubled (RFC 4180). NULL is empty.
-- One SQL expression, so the planner inlines it into the export query.
CREATE FUNCTION csv_cell(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN strpos(value, ',') > 0 OR strpos(value, '"') > 0
             OR strpos(value, E'\n') > 0 OR strpos(value, E'\r') > 0
        THEN '"' || CASE WHEN left(value, 1) IN ('=', '+', '-', '@', E'\t', E'\r') THEN '''' ELSE '' END
                 || replace(value, '"', '""') || '"'
        WHEN left(value, 1) IN ('=', '+', '-', '@', E'\t', E'\r') THEN '''' || value
        ELSE coalesce(value, '')
    END
$$;
