"""Rows of cases, their flags, events, second reviews, superior's actions and notifications.

Business rules (who may do what, which status may follow which) live in ``monitor.cases``;
this module only reads and writes. Scope (``unit_ids``) is always applied in SQL.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Sequence

from ..redact import redact
from .db import Store, utcnow

_FLAG_EMPLOYEE = """
    FROM flags f
    LEFT JOIN posts p ON p.id = f.post_id
    LEFT JOIN accounts pa ON pa.id = p.account_id
    LEFT JOIN interactions i ON i.id = f.interaction_id
    LEFT JOIN accounts ia ON ia.id = i.account_id
    LEFT JOIN employees e ON e.id = COALESCE(pa.employee_id, ia.employee_id)
"""


def _in(values: Iterable[Any]) -> tuple[str, list]:
    items = sorted(set(values))
    return (",".join("?" * len(items)) or "NULL"), items


def flags_for_case(store: Store, flag_ids: Sequence[int]) -> list[dict]:
    """The flags with their employee, unit, first confirmation time and confirming reviewers."""
    marks, params = _in(flag_ids)
    rows = store.query(
        f"""SELECT f.id, f.status, f.category, f.proposed_code, f.violation_code, f.post_id,
                   f.interaction_id, e.id AS employee_id, e.unit_id AS employee_unit_id,
                   (SELECT MIN(r.created_at) FROM reviews r WHERE r.flag_id = f.id AND r.decision = 'violation')
                       AS confirmed_at,
                   (SELECT r.violation_code FROM reviews r WHERE r.flag_id = f.id AND r.decision = 'violation'
                     ORDER BY r.id DESC LIMIT 1) AS review_code,
                   (SELECT GROUP_CONCAT(DISTINCT r.reviewer_id) FROM reviews r
                     WHERE r.flag_id = f.id AND r.decision = 'violation') AS confirmers,
                   (SELECT cf.case_id FROM case_flags cf WHERE cf.flag_id = f.id) AS case_id
            {_FLAG_EMPLOYEE}
            WHERE f.id IN ({marks}) ORDER BY f.id""",
        tuple(params),
    )
    result = []
    for row in rows:
        item = dict(row)
        item["confirmers"] = sorted(int(x) for x in (row["confirmers"] or "").split(",") if x)
        result.append(item)
    return result


def confirmers_of_case(store: Store, case_id: int) -> set[int]:
    """Every user who decided 'violation' on any flag of the case."""
    rows = store.query(
        """SELECT DISTINCT r.reviewer_id FROM reviews r JOIN case_flags cf ON cf.flag_id = r.flag_id
           WHERE cf.case_id = ? AND r.decision = 'violation'""", (case_id,))
    return {int(r[0]) for r in rows}


def confirmed_flags_without_case(store: Store, *, unit_ids: set[int] | None = None, limit: int = 500) -> list[dict]:
    """Confirmed flags not yet in a case, with employee and post, for opening new cases."""
    where, params = ["f.status = 'confirmed'", "NOT EXISTS (SELECT 1 FROM case_flags cf WHERE cf.flag_id = f.id)"], []
    if unit_ids is not None:
        marks, ids = _in(unit_ids)
        where.append(f"e.unit_id IN ({marks})")
        params += ids
    rows = store.query(
        f"""SELECT f.id AS flag_id, f.category, COALESCE(f.violation_code, f.proposed_code) AS code,
                   e.id AS employee_id, e.name AS employee, e.nip, u.name AS unit,
                   p.platform, p.created_at AS posted_at, p.url, p.text
            {_FLAG_EMPLOYEE}
            LEFT JOIN units u ON u.id = e.unit_id
            WHERE {' AND '.join(where)}
            ORDER BY e.name, p.created_at LIMIT ?""",
        (*params, limit),
    )
    return [dict(r) for r in rows]


def insert_case(conn, *, employee_id: int, unit_id: int | None, found_at: str, codes: Sequence[str],
                description: str, opened_by: int, report_due_on: str, action_due_on: str,
                flag_ids: Sequence[int]) -> int:
    now = utcnow()
    cur = conn.execute(
        """INSERT INTO cases (employee_id, unit_id, status, found_at, codes_json, description, opened_by,
                              report_due_on, action_due_on, created_at, updated_at)
           VALUES (?, ?, 'temuan', ?, ?, ?, ?, ?, ?, ?, ?)""",
        (employee_id, unit_id, found_at, json.dumps(list(codes)), description, opened_by,
         report_due_on, action_due_on, now, now),
    )
    case_id = int(cur.lastrowid)
    conn.executemany("INSERT INTO case_flags (case_id, flag_id) VALUES (?, ?)", [(case_id, f) for f in flag_ids])
    return case_id


_UPDATABLE = {
    "status", "codes_json", "description", "four_eyes", "resolved_by", "resolution_note", "reported_to",
    "external_ref", "reported_on", "recommendation", "recommendation_on", "sanction_level", "sanction_on",
    "sanction_decree", "closed_reason", "closed_at",
}


def update_case(conn, case_id: int, **fields: Any) -> None:
    unknown = set(fields) - _UPDATABLE
    if unknown:
        raise ValueError(f"kolom kasus tidak dikenal: {sorted(unknown)}")
    assignments = ", ".join(f"{k} = ?" for k in fields)
    conn.execute(f"UPDATE cases SET {assignments}, updated_at = ? WHERE id = ?",
                 (*fields.values(), utcnow(), case_id))


def add_event(conn, case_id: int, actor: str, kind: str, *, from_status: str | None = None,
              to_status: str | None = None, **details: Any) -> None:
    conn.execute(
        """INSERT INTO case_events (case_id, ts, actor, kind, from_status, to_status, details_json)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        (case_id, utcnow(), actor, kind, from_status, to_status,
         json.dumps(details, ensure_ascii=False, sort_keys=True, default=str)),
    )


_CASE_SELECT = """
    SELECT c.*, e.name AS employee, e.nip, e.nik, e.position, e.rank, e.employment_type,
           u.name AS unit, u.code AS unit_code, ou.username AS opened_by_username,
           ou.full_name AS opened_by_name,
           (SELECT COUNT(*) FROM case_actions a WHERE a.case_id = c.id) AS actions,
           (SELECT COUNT(*) FROM case_flags cf WHERE cf.case_id = c.id) AS flags
    FROM cases c
    JOIN employees e ON e.id = c.employee_id
    LEFT JOIN units u ON u.id = c.unit_id
    LEFT JOIN users ou ON ou.id = c.opened_by
"""


def get_case(store: Store, case_id: int, *, unit_ids: set[int] | None = None) -> dict | None:
    where, params = "c.id = ?", [case_id]
    if unit_ids is not None:
        marks, ids = _in(unit_ids)
        where += f" AND c.unit_id IN ({marks})"
        params += ids
    row = store.one(f"{_CASE_SELECT} WHERE {where}", tuple(params))
    return _case_dict(row) if row else None


def _case_dict(row) -> dict:
    item = dict(row)
    item["codes"] = json.loads(item.pop("codes_json") or "[]")
    return item


def list_cases(store: Store, *, unit_ids: set[int] | None = None, statuses: Sequence[str] | None = None,
               employee_id: int | None = None, limit: int = 1000) -> list[dict]:
    where, params = ["1 = 1"], []
    if unit_ids is not None:
        marks, ids = _in(unit_ids)
        where.append(f"c.unit_id IN ({marks})")
        params += ids
    if statuses:
        marks, ids = _in(statuses)
        where.append(f"c.status IN ({marks})")
        params += ids
    if employee_id is not None:
        where.append("c.employee_id = ?")
        params.append(employee_id)
    rows = store.query(f"{_CASE_SELECT} WHERE {' AND '.join(where)} ORDER BY c.id DESC LIMIT ?",
                       (*params, limit))
    return [_case_dict(r) for r in rows]


def case_items(store: Store, case_id: int) -> list[dict]:
    """The case's flags with their post or interaction, oldest first (the evidence list)."""
    rows = store.query(
        f"""SELECT f.id AS flag_id, f.category, f.score, f.proposed_code, f.violation_code,
                   p.id AS post_id, p.platform, p.post_id AS platform_post_id, p.url, p.text, p.kind,
                   p.created_at AS posted_at, p.collected_at, p.raw_sha256, p.text_sha256, p.version,
                   p.deleted_at, p.media_json, p.original_author,
                   COALESCE(pa.handle, ia.handle) AS handle,
                   i.kind AS interaction_kind, i.target_url, i.first_seen_at, i.raw_sha256 AS interaction_sha256,
                   ca.handle AS campaign_handle, ca.owner AS campaign_owner
            {_FLAG_EMPLOYEE}
            JOIN case_flags cf ON cf.flag_id = f.id
            LEFT JOIN campaign_accounts ca ON ca.id = i.campaign_account_id
            WHERE cf.case_id = ?
            ORDER BY COALESCE(p.created_at, i.first_seen_at), f.id""",
        (case_id,),
    )
    return [dict(r) for r in rows]


def events(store: Store, case_id: int) -> list[dict]:
    rows = store.query("SELECT * FROM case_events WHERE case_id = ? ORDER BY id", (case_id,))
    return [dict(r) | {"details": json.loads(r["details_json"])} for r in rows]


def second_review(store: Store, case_id: int) -> dict | None:
    row = store.one(
        """SELECT s.*, u.username AS reviewer FROM case_second_reviews s JOIN users u ON u.id = s.reviewer_id
           WHERE s.case_id = ?""", (case_id,))
    if row is None:
        return None
    item = dict(row)
    item["codes"] = json.loads(item.pop("codes_json"))
    return item


def insert_second_review(conn, case_id: int, reviewer_id: int, decision: str, codes: Sequence[str],
                         note: str | None, agrees: bool) -> None:
    conn.execute(
        """INSERT INTO case_second_reviews (case_id, reviewer_id, decision, codes_json, note, agrees, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        (case_id, reviewer_id, decision, json.dumps(list(codes)), note, int(agrees), utcnow()),
    )


def actions(store: Store, case_id: int) -> list[dict]:
    rows = store.query(
        """SELECT a.*, u.username, u.full_name FROM case_actions a JOIN users u ON u.id = a.user_id
           WHERE a.case_id = ? ORDER BY a.acted_on, a.id""", (case_id,))
    return [dict(r) for r in rows]


def insert_action(conn, case_id: int, user_id: int, kind: str, acted_on: str, note: str | None) -> int:
    cur = conn.execute(
        "INSERT INTO case_actions (case_id, user_id, kind, acted_on, note, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (case_id, user_id, kind, acted_on, note, utcnow()),
    )
    return int(cur.lastrowid)


# --- evidence changed under a case (0009) -------------------------------------------------

def cases_of_flags(store: Store, flag_ids: Sequence[int]) -> list[dict]:
    """The case each flag belongs to (if any), with the case's status, unit and opener.

    In chunks: a bulk decision may cover more flags than SQLite binds in one statement.
    """
    ids = sorted({int(f) for f in flag_ids})
    found = []
    for start in range(0, len(ids), 500):
        marks, params = _in(ids[start:start + 500])
        found += store.query(
            f"""SELECT cf.flag_id, c.id AS case_id, c.status, c.unit_id, c.opened_by
                FROM case_flags cf JOIN cases c ON c.id = cf.case_id
                WHERE cf.flag_id IN ({marks}) ORDER BY cf.flag_id""", tuple(params))
    return [dict(r) for r in found]


def insert_evidence_change(conn, *, case_id: int, flag_id: int, kind: str, previous_status: str | None,
                           reason: str | None, user_id: int | None) -> int:
    cur = conn.execute(
        """INSERT INTO case_evidence_changes (case_id, flag_id, kind, previous_status, reason, user_id, changed_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        (case_id, flag_id, kind, previous_status, reason, user_id, utcnow()))
    return int(cur.lastrowid)


def first_unresolved_change(conn, case_id: int, flag_id: int) -> int | None:
    """The id of the oldest unsettled change of this flag in this case: one 'episode' of doubt."""
    row = conn.execute(
        """SELECT MIN(id) FROM case_evidence_changes
           WHERE case_id = ? AND flag_id = ? AND resolved_at IS NULL""", (case_id, flag_id)).fetchone()
    return int(row[0]) if row and row[0] is not None else None


def resolve_evidence_changes(conn, *, case_id: int, flag_id: int, user_id: int | None, resolution: str) -> int:
    """Settle every open change of the flag in the case; returns how many were open."""
    cur = conn.execute(
        """UPDATE case_evidence_changes SET resolved_at = ?, resolved_by = ?, resolution = ?
           WHERE case_id = ? AND flag_id = ? AND resolved_at IS NULL""",
        (utcnow(), user_id, resolution, case_id, flag_id))
    return cur.rowcount


def unconfirmed_flags(store: Store, case_ids: Sequence[int]) -> dict[int, list[dict]]:
    """Per case, its flags whose current status is not 'confirmed', with their latest recorded change.

    Computed from the flags themselves, so a flag confirmed again drops out by itself and a
    flag changed outside the review module (no change row) is still reported.
    """
    marks, params = _in(case_ids)
    rows = store.query(
        f"""SELECT cf.case_id, f.id AS flag_id, f.status, ch.kind AS change, ch.reason, ch.changed_at,
                   ch.previous_status, us.username AS changed_by, us.role AS changed_by_role
            FROM case_flags cf JOIN flags f ON f.id = cf.flag_id
            LEFT JOIN case_evidence_changes ch ON ch.id = (
                SELECT MAX(x.id) FROM case_evidence_changes x WHERE x.case_id = cf.case_id AND x.flag_id = f.id)
            LEFT JOIN users us ON us.id = ch.user_id
            WHERE cf.case_id IN ({marks}) AND f.status != 'confirmed'
            ORDER BY cf.case_id, f.id""", tuple(params))
    result: dict[int, list[dict]] = {}
    for row in rows:
        item = dict(row)
        result.setdefault(item.pop("case_id"), []).append(item)
    return result


def evidence_changes(store: Store, case_id: int) -> list[dict]:
    """Every recorded change of the case's evidence, oldest first (settled ones included)."""
    rows = store.query(
        """SELECT ch.*, us.username AS changed_by, rs.username AS resolved_by_username
           FROM case_evidence_changes ch LEFT JOIN users us ON us.id = ch.user_id
           LEFT JOIN users rs ON rs.id = ch.resolved_by
           WHERE ch.case_id = ? ORDER BY ch.id""", (case_id,))
    return [dict(r) for r in rows]


def remove_case_flag(conn, case_id: int, flag_id: int) -> bool:
    cur = conn.execute("DELETE FROM case_flags WHERE case_id = ? AND flag_id = ?", (case_id, flag_id))
    return cur.rowcount > 0


def case_flag_ids(store: Store, case_id: int) -> list[int]:
    return [int(r[0]) for r in store.query("SELECT flag_id FROM case_flags WHERE case_id = ? ORDER BY flag_id",
                                           (case_id,))]


# --- people the cases concern -------------------------------------------------------------

def user_by_id(store: Store, user_id: int) -> dict | None:
    row = store.one("SELECT id, username, full_name, role, active, email FROM users WHERE id = ?", (user_id,))
    return dict(row) if row else None


def user_by_name(store: Store, username: str) -> dict | None:
    row = store.one("SELECT id, username, full_name, role, active, email, instansi_id FROM users WHERE username = ?",
                    (username,))
    if row is None:
        return None
    user = dict(row)
    user["unit_ids"] = [int(r[0]) for r in store.query("SELECT unit_id FROM user_units WHERE user_id = ?", (row["id"],))]
    return user


def set_user_email(store: Store, username: str, email: str | None) -> None:
    with store.write() as conn:
        cur = conn.execute("UPDATE users SET email = ?, updated_at = ? WHERE username = ?", (email, utcnow(), username))
        if cur.rowcount == 0:
            raise ValueError(f"pengguna {username!r} tidak ada")


def supervisors_of_unit(store: Store, unit_id: int | None) -> list[dict]:
    """Active supervisors whose units include ``unit_id`` or any unit above it."""
    if unit_id is None:
        return []
    rows = store.query(
        """WITH RECURSIVE up(id) AS (
               SELECT ? UNION SELECT units.parent_id FROM units JOIN up ON units.id = up.id
               WHERE units.parent_id IS NOT NULL)
           SELECT DISTINCT us.id, us.username, us.full_name, us.email FROM users us
           JOIN user_units uu ON uu.user_id = us.id
           WHERE us.role = 'supervisor' AND us.active AND uu.unit_id IN (SELECT id FROM up)
           ORDER BY us.id""",
        (unit_id,),
    )
    return [dict(r) for r in rows]


def users_with_roles(store: Store, roles: Sequence[str]) -> list[dict]:
    marks, ids = _in(roles)
    rows = store.query(
        f"SELECT id, username, full_name, role, email FROM users WHERE active AND role IN ({marks}) ORDER BY id",
        tuple(ids))
    return [dict(r) for r in rows]


def user_unit_ids(store: Store, user_id: int) -> list[int]:
    return [int(r[0]) for r in store.query("SELECT unit_id FROM user_units WHERE user_id = ?", (user_id,))]


# --- notifications ------------------------------------------------------------------------

def insert_notification(conn, *, user_id: int, case_id: int | None, kind: str, dedup_key: str, subject: str,
                        body: str, email_to: str | None, flag_id: int | None = None) -> int | None:
    """Insert unless ``dedup_key`` exists; returns the new id or None (already notified)."""
    cur = conn.execute(
        """INSERT INTO notifications (user_id, case_id, kind, dedup_key, subject, body, created_at, email_to,
                                      email_status, flag_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(dedup_key) DO NOTHING""",
        (user_id, case_id, kind, dedup_key, subject, body, utcnow(), email_to,
         "pending" if email_to else "none", flag_id),
    )
    return int(cur.lastrowid) if cur.rowcount else None


def claim_pending_emails(store: Store, *, stale_before: str, max_attempts: int, limit: int = 200) -> list[dict]:
    """Mark pending (or stale 'sending') e-mails as 'sending' and return them.

    Claiming inside one write transaction means two digest runs never send the same mail.
    """
    with store.write() as conn:
        rows = conn.execute(
            """SELECT * FROM notifications
               WHERE email_to IS NOT NULL AND email_attempts < ?
                 AND (email_status IN ('pending', 'failed')
                      OR (email_status = 'sending' AND email_claimed_at < ?))
               ORDER BY id LIMIT ?""",
            (max_attempts, stale_before, limit),
        ).fetchall()
        now = utcnow()
        conn.executemany(
            "UPDATE notifications SET email_status = 'sending', email_claimed_at = ?, "
            "email_attempts = email_attempts + 1 WHERE id = ?",
            [(now, r["id"]) for r in rows],
        )
    return [dict(r) for r in rows]


def mark_email(store: Store, notification_id: int, *, sent: bool, error: str | None = None) -> None:
    with store.write() as conn:
        if sent:
            conn.execute("UPDATE notifications SET email_status = 'sent', email_sent_at = ?, email_error = NULL "
                         "WHERE id = ?", (utcnow(), notification_id))
        else:
            conn.execute("UPDATE notifications SET email_status = 'failed', email_error = ? WHERE id = ?",
                         (redact(error), notification_id))


def notifications_for(store: Store, user_id: int, *, unread_only: bool = False, limit: int = 200) -> list[dict]:
    where = "user_id = ?" + (" AND read_at IS NULL" if unread_only else "")
    rows = store.query(f"SELECT * FROM notifications WHERE {where} ORDER BY id DESC LIMIT ?", (user_id, limit))
    return [dict(r) for r in rows]


def mark_read(store: Store, user_id: int, notification_id: int) -> bool:
    with store.write() as conn:
        cur = conn.execute("UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL",
                           (utcnow(), notification_id, user_id))
    return cur.rowcount > 0


def notifications_of_case(store: Store, case_id: int) -> list[dict]:
    rows = store.query(
        """SELECT n.id, n.kind, n.subject, n.created_at, n.read_at, n.email_status, n.email_sent_at,
                  us.username FROM notifications n JOIN users us ON us.id = n.user_id
           WHERE n.case_id = ? ORDER BY n.id""", (case_id,))
    return [dict(r) for r in rows]


# --- reports ------------------------------------------------------------------------------

def unit_rows(store: Store, unit_ids: set[int] | None) -> list[dict]:
    if unit_ids is None:
        rows = store.query("SELECT id, code, name FROM units ORDER BY name")
    else:
        marks, ids = _in(unit_ids)
        rows = store.query(f"SELECT id, code, name FROM units WHERE id IN ({marks}) ORDER BY name", tuple(ids))
    return [dict(r) for r in rows]


def status_events_between(store: Store, start: str, end: str, unit_ids: set[int] | None) -> list[dict]:
    """Status changes (and openings) with ts in [start, end), with the case's unit."""
    where, params = ["ev.ts >= ?", "ev.ts < ?", "ev.kind IN ('opened', 'status')"], [start, end]
    if unit_ids is not None:
        marks, ids = _in(unit_ids)
        where.append(f"c.unit_id IN ({marks})")
        params += ids
    rows = store.query(
        f"""SELECT ev.case_id, ev.kind, ev.to_status, ev.ts, c.unit_id FROM case_events ev
            JOIN cases c ON c.id = ev.case_id WHERE {' AND '.join(where)}""", tuple(params))
    return [dict(r) for r in rows]


# --- subject access (UU 27/2022) -------------------------------------------------------------

def employee_by_identifier(store: Store, identifier: str) -> dict | None:
    row = store.one(
        """SELECT e.*, u.code AS unit_code, u.name AS unit FROM employees e LEFT JOIN units u ON u.id = e.unit_id
           WHERE e.nip = ? OR e.nik = ?""", (identifier, identifier))
    return dict(row) if row else None


def table_columns(store: Store) -> dict[str, list[str]]:
    """Every ordinary table and its columns (FTS shadow tables and internals excluded)."""
    return {name: store.columns(name) for name in store.tables()}  # either engine (issue 20)


def rows_where_in(store: Store, table: str, column: str, values: Iterable[Any]) -> list[dict]:
    """Rows of ``table`` whose ``column`` is one of ``values`` (names come from table_columns)."""
    marks, ids = _in(values)
    if not ids:
        return []
    rows = store.query(f'SELECT * FROM "{table}" WHERE "{column}" IN ({marks}) ORDER BY 1', tuple(ids))
    return [dict(r) for r in rows]


def audit_mentioning(store: Store, targets: Sequence[str], needles: Sequence[str]) -> list[dict]:
    """Audit entries whose target is one of ``targets`` or whose details contain a needle."""
    clauses, params = [], []
    if targets:
        marks, ids = _in(targets)
        clauses.append(f"target IN ({marks})")
        params += ids
    for needle in needles:
        if needle:
            clauses.append("details_json LIKE ? OR target LIKE ?")
            params += [f"%{needle}%", f"%{needle}%"]
    if not clauses:
        return []
    rows = store.query(f"SELECT * FROM audit_log WHERE {' OR '.join(clauses)} ORDER BY id", tuple(params))
    return [dict(r) for r in rows]
