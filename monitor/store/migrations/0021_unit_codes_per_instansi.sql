-- netra: rebuilds tables
-- Issue 20: every pemda has a "Dinas Pendidikan", often coded "DISDIK". A unit's code and name
-- are unique within its instansi, not across the database (case-insensitive, as before), and
-- every unit belongs to an instansi: a unit without one gets the default instansi (the lowest
-- id), and new units must name theirs.
--
-- SQLite cannot drop a column's UNIQUE constraint, so the table is rebuilt with the same ids
-- and columns in the same order; employees, user_units, flags and cases keep pointing at the
-- same rows. The line above makes monitor.store.db run this with foreign keys off (the DROP
-- would otherwise delete every unit first) and check every foreign key before committing.

UPDATE units SET instansi_id = (SELECT MIN(id) FROM instansi) WHERE instansi_id IS NULL;

CREATE TABLE units_new (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL COLLATE NOCASE,
    name        TEXT NOT NULL COLLATE NOCASE,
    parent_id   INTEGER REFERENCES units(id),
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    instansi_id INTEGER NOT NULL REFERENCES instansi(id),
    UNIQUE (instansi_id, code),
    UNIQUE (instansi_id, name)
);

INSERT INTO units_new (id, code, name, parent_id, active, created_at, updated_at, instansi_id)
SELECT id, code, name, parent_id, active, created_at, updated_at, instansi_id FROM units;

DROP TABLE units;
ALTER TABLE units_new RENAME TO units;

CREATE INDEX units_instansi ON units(instansi_id);
