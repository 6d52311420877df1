-- An escalated flag notifies the superiors of the employee's unit (issue 14): notifications get
-- the kind 'flag_escalated' and the flag they are about. SQLite cannot change a CHECK
-- constraint, so the table is rebuilt with the same columns plus flag_id; nothing references it.
CREATE TABLE notifications_new (
    id               INTEGER PRIMARY KEY,
    user_id          INTEGER NOT NULL REFERENCES users(id),
    case_id          INTEGER REFERENCES cases(id),
    kind             TEXT NOT NULL
                     CHECK (kind IN ('case_opened', 'action_due', 'overdue', 'digest', 'evidence_changed',
                                     'flag_escalated')),
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
    email_error      TEXT,
    flag_id          INTEGER REFERENCES flags(id)
);
INSERT INTO notifications_new (id, user_id, case_id, kind, dedup_key, subject, body, created_at, read_at, email_to,
                               email_status, email_attempts, email_claimed_at, email_sent_at, email_error)
    SELECT id, user_id, case_id, kind, dedup_key, subject, body, created_at, read_at, email_to,
           email_status, email_attempts, email_claimed_at, email_sent_at, email_error FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_user ON notifications(user_id, read_at);
CREATE INDEX notifications_email ON notifications(email_status);
CREATE INDEX notifications_flag ON notifications(flag_id) WHERE flag_id IS NOT NULL;
