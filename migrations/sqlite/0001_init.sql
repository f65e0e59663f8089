-- Portable SQL (SQLite now, PostgreSQL later): TEXT, BOOLEAN, INTEGER, DOUBLE PRECISION only; no AUTOINCREMENT.
CREATE TABLE datasets (
    id           TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    publisher    TEXT NOT NULL,
    source_url   TEXT,
    licence      TEXT NOT NULL,
    retrieved    TEXT,
    notes        TEXT NOT NULL DEFAULT '',
    -- Hash of the imported file: re-importing an unchanged file is a no-op.
    content_hash TEXT
);

CREATE TABLE series (
    id          TEXT PRIMARY KEY,
    dataset_id  TEXT NOT NULL REFERENCES datasets (id),
    indicator   TEXT NOT NULL,
    origin      TEXT NOT NULL DEFAULT '',
    destination TEXT NOT NULL DEFAULT '',
    platform    TEXT NOT NULL DEFAULT '',
    category    TEXT NOT NULL DEFAULT '',
    unit        TEXT NOT NULL
);
CREATE INDEX series_dataset ON series (dataset_id);

CREATE TABLE observations (
    series_id     TEXT NOT NULL REFERENCES series (id),
    -- Row order within the series as imported; two figures may share a period (preliminary and final).
    seq           INTEGER NOT NULL,
    period        TEXT NOT NULL,
    start_month   INTEGER NOT NULL,
    end_month     INTEGER NOT NULL,
    value         DOUBLE PRECISION NOT NULL,
    value_high    DOUBLE PRECISION,
    lower_bound   BOOLEAN NOT NULL DEFAULT FALSE,
    approximate   BOOLEAN NOT NULL DEFAULT FALSE,
    provisional   BOOLEAN NOT NULL DEFAULT FALSE,
    quote         TEXT,
    caveat        TEXT,
    source_url    TEXT,
    attributed_to TEXT,
    PRIMARY KEY (series_id, seq)
);
CREATE INDEX observations_period ON observations (series_id, start_month);
