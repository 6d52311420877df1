-- Collectors on many hosts (issue 20): rounds, and a lease per account.
--
-- A round is one pass over every due account; a worker that finds the latest round older than
-- the configured interval starts the next one. An account is due in round R while its
-- done_round < R. A worker claims a due account by writing its name and an expiry into the
-- lease; a lease past its expiry is free again, so a dead host's accounts return to the pool.

CREATE TABLE collect_rounds (
    id          INTEGER PRIMARY KEY,          -- 1, 2, 3 ... (explicit: two workers racing to
                                              -- start the same round collide on it)
    started_at  TEXT NOT NULL,
    started_by  TEXT NOT NULL                 -- worker id
);

CREATE TABLE collect_leases (
    account_id  INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    worker      TEXT,                         -- holder; NULL when free
    expires_at  TEXT,                         -- UTC; after it the lease is free again
    claim_round INTEGER,                      -- round of the current (or last) claim
    done_round  INTEGER NOT NULL DEFAULT 0,   -- last round in which the account was collected
    claims      INTEGER NOT NULL DEFAULT 0,   -- times claimed (more than rounds: taken over)
    done_at     TEXT
);

CREATE INDEX collect_leases_worker ON collect_leases(worker);
