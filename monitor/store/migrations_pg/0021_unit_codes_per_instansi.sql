-- Issue 20: every pemda has a "Dinas Pendidikan", often coded "DISDIK". A unit's code and name
-- are unique within its instansi, not across the database (CITEXT: case-insensitive, as
-- before), and every unit belongs to an instansi: a unit without one gets the default instansi
-- (the lowest id), and new units must name theirs. Ids and rows stay as they are.

UPDATE units SET instansi_id = (SELECT MIN(id) FROM instansi) WHERE instansi_id IS NULL;
ALTER TABLE units ALTER COLUMN instansi_id SET NOT NULL;

ALTER TABLE units DROP CONSTRAINT units_code_key;
ALTER TABLE units DROP CONSTRAINT units_name_key;
ALTER TABLE units ADD CONSTRAINT units_instansi_code_key UNIQUE (instansi_id, code);
ALTER TABLE units ADD CONSTRAINT units_instansi_name_key UNIQUE (instansi_id, name);
