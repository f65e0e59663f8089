-- ISO 3166 alpha-3 codes and kinds for origin/destination, so series from different publishers join up.
ALTER TABLE series ADD COLUMN origin_code TEXT NOT NULL DEFAULT '';
ALTER TABLE series ADD COLUMN origin_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE series ADD COLUMN destination_code TEXT NOT NULL DEFAULT '';
ALTER TABLE series ADD COLUMN destination_kind TEXT NOT NULL DEFAULT '';
-- Where the figure's basis needs saying (e.g. "partner-reported imports (mirror), CIF").
ALTER TABLE series ADD COLUMN notes TEXT NOT NULL DEFAULT '';
CREATE INDEX series_destination_code ON series (destination_code);
