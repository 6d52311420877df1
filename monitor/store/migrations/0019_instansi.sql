-- Issue 20: many offices (instansi) in one database. An instansi (a Pemda, a province's BKD, or
-- BKN itself) owns its unit tree and users; the employees, flags and cases under its units follow.
-- A database always holds one default instansi, created here, and every existing unit and user
-- is assigned to it, so today's single-office databases behave exactly as before. NULL in
-- units.instansi_id / users.instansi_id also means the default instansi. Employees, flags and
-- cases belong to an instansi through their unit; a row without a unit (a post of an unregistered
-- account) belongs to none and, once there are several, is outside every instansi's scope.
CREATE TABLE instansi (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name        TEXT NOT NULL,
    parent_id   INTEGER REFERENCES instansi(id),
    kind        TEXT NOT NULL DEFAULT 'pemda' CHECK (kind IN ('pemda', 'provinsi', 'nasional')),
    created_at  TEXT NOT NULL
);

INSERT INTO instansi (code, name, kind, created_at)
VALUES ('UTAMA', 'Instansi utama', 'pemda', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

ALTER TABLE units ADD COLUMN instansi_id INTEGER REFERENCES instansi(id);
ALTER TABLE users ADD COLUMN instansi_id INTEGER REFERENCES instansi(id);

UPDATE units SET instansi_id = (SELECT MIN(id) FROM instansi);
UPDATE users SET instansi_id = (SELECT MIN(id) FROM instansi);

CREATE INDEX units_instansi ON units(instansi_id);
CREATE INDEX users_instansi ON users(instansi_id);
CREATE INDEX instansi_parent ON instansi(parent_id);
