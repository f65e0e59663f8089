-- The primary key (series_id, seq) already serves lookups by series; a second index on every
-- observation only slowed large imports down.
DROP INDEX observations_period;
