-- PostgreSQL: the schema the SQLite migrations (migrations/sqlite/) arrive at, in one step. Same
-- tables, columns and meaning; integer keys are BIGINT (read as i64 on both databases) and the period
-- columns INTEGER (i32). See migrations/sqlite/0004 for why observations are numbers only.
-- One difference: observations do not declare their references to series and observation_sources.
-- PostgreSQL checks a foreign key row by row with a trigger, which made a 1M-row COPY 4.5 times slower
-- (7.5 s against 1.7 s); an import checks its rows' references once, set-based, before it commits
-- (src/store/write.rs), and the writer only ever writes numbers it allocated in the same transaction.
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
    id               TEXT PRIMARY KEY,
    dataset_id       TEXT NOT NULL REFERENCES datasets (id),
    indicator        TEXT NOT NULL,
    origin           TEXT NOT NULL DEFAULT '',
    destination      TEXT NOT NULL DEFAULT '',
    platform         TEXT NOT NULL DEFAULT '',
    category         TEXT NOT NULL DEFAULT '',
    unit             TEXT NOT NULL,
    origin_code      TEXT NOT NULL DEFAULT '',
    origin_kind      TEXT NOT NULL DEFAULT '',
    destination_code TEXT NOT NULL DEFAULT '',
    destination_kind TEXT NOT NULL DEFAULT '',
    notes            TEXT NOT NULL DEFAULT '',
    num              BIGINT NOT NULL UNIQUE
);
CREATE INDEX series_dataset ON series (dataset_id);
CREATE INDEX series_destination_code ON series (destination_code);

CREATE TABLE observation_sources (
    num           BIGINT PRIMARY KEY,
    dataset_id    TEXT NOT NULL REFERENCES datasets (id),
    source_url    TEXT,
    attributed_to TEXT
);
CREATE INDEX observation_sources_dataset ON observation_sources (dataset_id);

CREATE TABLE observations (
    series_num  BIGINT NOT NULL,
    -- Row order within the series as imported; two figures may share a period (preliminary and final).
    seq         BIGINT NOT NULL,
    period_kind INTEGER NOT NULL,
    start_month INTEGER NOT NULL,
    end_month   INTEGER NOT NULL,
    value       DOUBLE PRECISION NOT NULL,
    -- 1 lower bound, 2 approximate, 4 provisional.
    flags       BIGINT NOT NULL,
    source_num  BIGINT,
    PRIMARY KEY (series_num, seq)
);

CREATE TABLE observation_notes (
    series_num BIGINT NOT NULL,
    seq        BIGINT NOT NULL,
    value_high DOUBLE PRECISION,
    quote      TEXT,
    caveat     TEXT,
    PRIMARY KEY (series_num, seq),
    FOREIGN KEY (series_num, seq) REFERENCES observations (series_num, seq)
);
