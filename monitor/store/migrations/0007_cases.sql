-- 0007_cases: cases from confirmed flags to the superior's action and the PPK's sanction,
-- the four-eyes second review, the superior's recorded actions, and notifications (issue 8).
-- The `cases` and `case_flags` tables were created in 0002; this extends them.

ALTER TABLE cases ADD COLUMN unit_id INTEGER REFERENCES units(id);      -- employee's unit when opened
ALTER TABLE cases ADD COLUMN codes_json TEXT NOT NULL DEFAULT '[]';     -- proposed violation codes
ALTER TABLE cases ADD COLUMN description TEXT NOT NULL DEFAULT '';      -- uraian kejadian
ALTER TABLE cases ADD COLUMN opened_by INTEGER REFERENCES users(id);
ALTER TABLE cases ADD COLUMN report_due_on TEXT;                        -- local date, Bawaslu clock
ALTER TABLE cases ADD COLUMN action_due_on TEXT;                        -- local date, superior's duty
ALTER TABLE cases ADD COLUMN four_eyes TEXT NOT NULL DEFAULT 'pending'
    CHECK (four_eyes IN ('pending', 'agreed', 'disagreed', 'resolved_proceed', 'resolved_close'));
ALTER TABLE cases ADD COLUMN resolved_by INTEGER REFERENCES users(id);
ALTER TABLE cases ADD COLUMN resolution_note TEXT;
ALTER TABLE cases ADD COLUMN reported_to TEXT;
ALTER TABLE cases ADD COLUMN external_ref TEXT;
ALTER TABLE cases ADD COLUMN reported_on TEXT;
ALTER TABLE cases ADD COLUMN recommendation TEXT;
ALTER TABLE cases ADD COLUMN recommendation_on TEXT;
ALTER TABLE cases ADD COLUMN sanction_level TEXT;
ALTER TABLE cases ADD COLUMN sanction_on TEXT;
ALTER TABLE cases ADD COLUMN sanction_decree TEXT;
ALTER TABLE cases ADD COLUMN closed_reason TEXT;
ALTER TABLE cases ADD COLUMN closed_at TEXT;

CREATE INDEX cases_unit_status ON cases(unit_id, status);
CREATE INDEX cases_employee ON cases(employee_id);
-- One incident, one case: a flag belongs to at most one case.
CREATE UNIQUE INDEX case_flags_flag ON case_flags(flag_id);

-- The case's own timeline (the audit log holds the same changes, hash-chained).
CREATE TABLE case_events (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    ts           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    kind         TEXT NOT NULL,          -- opened | status | description | codes | second_review | resolution | action
    from_status  TEXT,
    to_status    TEXT,
    details_json TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX case_events_case ON case_events(case_id, id);

-- Four eyes: one blind review per case by an analyst who confirmed none of its flags.
CREATE TABLE case_second_reviews (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL UNIQUE REFERENCES cases(id),
    reviewer_id INTEGER NOT NULL REFERENCES users(id),
    decision    TEXT NOT NULL CHECK (decision IN ('violation', 'not_violation')),
    codes_json  TEXT NOT NULL DEFAULT '[]',
    note        TEXT,
    agrees      INTEGER NOT NULL,
    created_at  TEXT NOT NULL
);

-- What the direct superior did (PP 94/2021: the superior must act).
CREATE TABLE case_actions (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    user_id    INTEGER NOT NULL REFERENCES users(id),
    kind       TEXT NOT NULL CHECK (kind IN ('dipanggil', 'diperiksa', 'dilaporkan', 'lainnya')),
    acted_on   TEXT NOT NULL,             -- local date
    note       TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX case_actions_case ON case_actions(case_id);

ALTER TABLE users ADD COLUMN email TEXT;

-- In-app notifications; an e-mail copy is sent once (dedup_key makes creation idempotent,
-- email_status/claimed_at make sending idempotent across processes).
CREATE TABLE notifications (
    id               INTEGER PRIMARY KEY,
    user_id          INTEGER NOT NULL REFERENCES users(id),
    case_id          INTEGER REFERENCES cases(id),
    kind             TEXT NOT NULL
                     CHECK (kind IN ('case_opened', 'action_due', 'overdue', 'digest')),
    dedup_key        TEXT NOT NULL UNIQUE,
    subject          TEXT NOT NULL,
    body             TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    read_at          TEXT,
    email_to         TEXT,
    email_status     TEXT NOT NULL DEFAULT 'none'
                     CHECK (email_status IN ('none', 'pending', 'sending', 'sent', 'failed')),
    email_attempts   INTEGER NOT NULL DEFAULT 0,
    email_claimed_at TEXT,
    email_sent_at    TEXT,
    email_error      TEXT
);
CREATE INDEX notifications_user ON notifications(user_id, read_at);
CREATE INDEX notifications_email ON notifications(email_status);
