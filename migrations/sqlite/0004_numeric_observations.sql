-- Observations as numbers only: 1M-row imports were bound by writing wide text rows (series id and
-- period text on every row). Each series gets an integer key; a period is its kind code plus start and
-- end month (see Period::kind_code); the three flags are bits. A per-figure source (link and/or
-- attribution) is stored once per dataset in observation_sources; the rarely present texts (quote,
-- caveat, upper end of a range) live in observation_notes. WITHOUT ROWID keeps
-- one B-tree (the key) instead of a table plus a key index: a third faster to fill, a third smaller.
ALTER TABLE series ADD COLUMN num INTEGER;
UPDATE series SET num = (SELECT COUNT(*) FROM series s2 WHERE s2.id <= series.id);
CREATE UNIQUE INDEX series_num ON series (num);

ALTER TABLE observations RENAME TO observations_v1;

CREATE TABLE observation_sources (
    num           INTEGER PRIMARY KEY,
    dataset_id    TEXT NOT NULL REFERENCES datasets (id),
    source_url    TEXT,
    attributed_to TEXT
);
CREATE INDEX observation_sources_dataset ON observation_sources (dataset_id);

CREATE TABLE observations (
    series_num  INTEGER NOT NULL REFERENCES series (num),
    -- Row order within the series as imported; two figures may share a period (preliminary and final).
    seq         INTEGER NOT NULL,
    period_kind INTEGER NOT NULL,
    start_month INTEGER NOT NULL,
    end_month   INTEGER NOT NULL,
    value       DOUBLE PRECISION NOT NULL,
    -- 1 lower bound, 2 approximate, 4 provisional.
    flags       INTEGER NOT NULL,
    source_num  INTEGER REFERENCES observation_sources (num),
    PRIMARY KEY (series_num, seq)
) WITHOUT ROWID;

CREATE TABLE observation_notes (
    series_num    INTEGER NOT NULL,
    seq           INTEGER NOT NULL,
    value_high    DOUBLE PRECISION,
    quote         TEXT,
    caveat        TEXT,
    PRIMARY KEY (series_num, seq),
    FOREIGN KEY (series_num, seq) REFERENCES observations (series_num, seq)
);

INSERT INTO observation_sources (num, dataset_id, source_url, attributed_to)
SELECT ROW_NUMBER() OVER (ORDER BY dataset_id, source_url, attributed_to), dataset_id, source_url, attributed_to
FROM (SELECT DISTINCT s.dataset_id, o.source_url, o.attributed_to
      FROM observations_v1 o JOIN series s ON s.id = o.series_id
      WHERE o.source_url IS NOT NULL OR o.attributed_to IS NOT NULL) d;

INSERT INTO observations (series_num, seq, period_kind, start_month, end_month, value, flags, source_num)
SELECT s.num, o.seq,
       CASE WHEN o.period LIKE '%/%' THEN 4
            WHEN o.period LIKE '%-H%' THEN 1
            WHEN o.period LIKE '%-Q%' THEN 2
            WHEN o.period LIKE '%-%' THEN 3
            ELSE 0 END,
       o.start_month, o.end_month, o.value,
       (CASE WHEN o.lower_bound THEN 1 ELSE 0 END)
         + (CASE WHEN o.approximate THEN 2 ELSE 0 END)
         + (CASE WHEN o.provisional THEN 4 ELSE 0 END),
       (SELECT src.num FROM observation_sources src
        WHERE src.dataset_id = s.dataset_id
          AND src.source_url IS NOT DISTINCT FROM o.source_url
          AND src.attributed_to IS NOT DISTINCT FROM o.attributed_to)
FROM observations_v1 o JOIN series s ON s.id = o.series_id;

INSERT INTO observation_notes (series_num, seq, value_high, quote, caveat)
SELECT s.num, o.seq, o.value_high, o.quote, o.caveat
FROM observations_v1 o JOIN series s ON s.id = o.series_id
WHERE o.value_high IS NOT NULL OR o.quote IS NOT NULL OR o.caveat IS NOT NULL;

DROP TABLE observations_v1;
