"""Subject access (UU 27/2022): everything Netra holds about one employee, for their request.

Known sections are gathered explicitly (employee, accounts, posts with every version, flags,
reviews, cases with their timeline, second review and the superior's actions, notifications
about their cases, audit entries). Tables added later by other modules are still covered: any
table with a ``post_id``, ``flag_id``, ``case_id``, ``account_id`` or ``employee_id`` column that
points at this employee's rows is included under ``other``.

Other people's personal data is left out: reviewers and supervisors appear by role, not by
name, and a public reporter's contact is never disclosed (it would expose the whistle-blower).
"""

from __future__ import annotations

import json
from typing import Any

from . import audit
from ..store import Store
from ..store import cases as rows

#: Columns that hold someone else's personal data or secrets: never disclosed.
REDACTED_COLUMNS = {"reporter_contact", "password_hash", "email_to", "reviewer_id", "user_id", "opened_by",
                    "resolved_by"}
#: Tables shown in their own sections (or internal), so the generic sweep skips them.
_KNOWN = {"employees", "accounts", "posts", "post_versions", "flags", "reviews", "cases", "case_flags",
          "case_events", "case_second_reviews", "case_actions", "notifications", "audit_log", "users",
          "user_units", "units", "schema_migrations", "search_state"}
_LINKS = (("post_id", "posts"), ("flag_id", "flags"), ("case_id", "cases"), ("account_id", "accounts"),
          ("employee_id", "employees"))
#: Columns named like a link that hold a platform's own id (text), not a row id: matching them
#: against row ids would pull in other people's rows (and fails on PostgreSQL: text = integer).
_NOT_ROW_IDS = {("capture_provenance", "post_id")}


class SubjectNotFound(ValueError):
    pass


def _clean(row: dict) -> dict:
    return {k: ("[disembunyikan]" if k in REDACTED_COLUMNS and v is not None else v) for k, v in row.items()}


def _role_of(store: Store, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    user = rows.user_by_id(store, user_id)
    return user["role"] if user else None


def subject_report(store: Store, identifier: str, *, actor: str,
                   unit_ids: set[int] | None = None) -> dict[str, Any]:
    """All data about the employee with this NIP (or NIK). Audited as ``subject.report``.

    ``unit_ids`` is the reader's scope (monitor.people.instansi.unit_scope): an employee of
    another instansi answers as not found, like one that does not exist (issue 20).
    """
    identifier = identifier.strip()
    employee = rows.employee_by_identifier(store, identifier)
    if employee is not None and unit_ids is not None and employee["unit_id"] not in unit_ids:
        employee = None
    if employee is None:
        raise SubjectNotFound(f"pegawai dengan NIP/NIK {identifier} tidak ditemukan")
    employee_id = employee["id"]
    accounts = rows.rows_where_in(store, "accounts", "employee_id", [employee_id])
    account_ids = [a["id"] for a in accounts]
    posts = rows.rows_where_in(store, "posts", "account_id", account_ids)
    post_ids = [p["id"] for p in posts]
    versions = rows.rows_where_in(store, "post_versions", "post_id", post_ids)
    interactions = rows.rows_where_in(store, "interactions", "account_id", account_ids)
    flags = rows.rows_where_in(store, "flags", "post_id", post_ids) + rows.rows_where_in(
        store, "flags", "interaction_id", [i["id"] for i in interactions])
    flag_ids = [f["id"] for f in flags]
    reviews = rows.rows_where_in(store, "reviews", "flag_id", flag_ids)
    cases = rows.rows_where_in(store, "cases", "employee_id", [employee_id])
    case_ids = [c["id"] for c in cases]

    for review in reviews:
        review["reviewer_role"] = _role_of(store, review["reviewer_id"])
    case_sections = []
    for case in cases:
        second = rows.rows_where_in(store, "case_second_reviews", "case_id", [case["id"]])
        for item in second:
            item["reviewer_role"] = _role_of(store, item["reviewer_id"])
        case_sections.append({
            "case": _clean(case),
            "flags": [r["flag_id"] for r in rows.rows_where_in(store, "case_flags", "case_id", [case["id"]])],
            "events": [_clean(e) for e in rows.rows_where_in(store, "case_events", "case_id", [case["id"]])],
            "second_review": [_clean(s) for s in second],
            "superior_actions": [_clean(a) for a in rows.rows_where_in(store, "case_actions", "case_id", [case["id"]])],
        })
    notifications = [_clean(n) for n in rows.rows_where_in(store, "notifications", "case_id", case_ids)]

    targets = ([f"employee:{employee_id}"] + [f"post:{i}" for i in post_ids] + [f"flag:{i}" for i in flag_ids]
               + [f"case:{i}" for i in case_ids] + [f"account:{i}" for i in account_ids])
    needles = [n for n in (employee["nip"], employee["nik"]) if n]
    audit_entries = rows.audit_mentioning(store, targets, needles)

    other: dict[str, list[dict]] = {}
    ids = {"posts": post_ids, "flags": flag_ids, "cases": case_ids, "accounts": account_ids,
           "employees": [employee_id]}
    for table, columns in rows.table_columns(store).items():
        if table in _KNOWN or table == "interactions":
            continue
        found: list[dict] = []
        if table == "capture_provenance":  # its post_id is the platform's id (text), not posts.id
            mine = {(p["platform"], p["post_id"]) for p in posts}
            found = [r for r in rows.rows_where_in(store, table, "post_id", sorted({k[1] for k in mine}))
                     if (r["platform"], r["post_id"]) in mine]
            if found:
                other[table] = [_clean(r) for r in found]
            continue
        for column, target in _LINKS:
            if column in columns and ids[target] and (table, column) not in _NOT_ROW_IDS:
                found += rows.rows_where_in(store, table, column, ids[target])
        if found:
            other[table] = [_clean(r) for r in found]

    report = {
        "format": "netra-subject-report/1",
        "legal_basis": "UU 27/2022 tentang Pelindungan Data Pribadi: hak akses subjek data",
        "employee": _clean(employee),
        "accounts": [_clean(a) for a in accounts],
        "posts": [_clean(p) | {"versions": [_clean(v) for v in versions if v["post_id"] == p["id"]]} for p in posts],
        "interactions": [_clean(i) for i in interactions],
        "flags": [_clean(f) for f in flags],
        "reviews": [_clean(r) for r in reviews],
        "cases": case_sections,
        "notifications": notifications,
        "audit": audit_entries,
        "other": other,
    }
    audit.record(store, actor, "subject.report", f"employee:{employee_id}", posts=len(posts), flags=len(flags),
                 cases=len(cases))
    return report


def summary(report: dict) -> str:
    """A short readable summary in Bahasa Indonesia."""
    e = report["employee"]
    lines = [
        f"Data yang disimpan Netra tentang {e['name']} (NIP {e.get('nip') or '-'}, NIK {e.get('nik') or '-'})",
        f"Unit kerja: {e.get('unit') or '-'}; jabatan: {e.get('position') or '-'}; "
        f"pangkat/golongan: {e.get('rank') or '-'}; {e['employment_type']}",
        f"Akun media sosial: {len(report['accounts'])} "
        + ", ".join(f"{a['platform']}:@{a['handle']}" for a in report["accounts"]),
        f"Kiriman terkumpul: {len(report['posts'])} (versi lama: "
        f"{sum(len(p['versions']) for p in report['posts'])})",
        f"Interaksi dengan akun kampanye: {len(report['interactions'])}",
        f"Tanda (permintaan peninjauan): {len(report['flags'])}; keputusan peninjau: {len(report['reviews'])}",
        f"Kasus: {len(report['cases'])} "
        + ", ".join(f"#{c['case']['id']} ({c['case']['status']})" for c in report["cases"]),
        f"Notifikasi terkait kasus: {len(report['notifications'])}; entri jejak audit: {len(report['audit'])}",
    ]
    if report["other"]:
        lines.append("Data lain: " + ", ".join(f"{t} ({len(r)})" for t, r in report["other"].items()))
    return "\n".join(lines)


def to_json(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2, default=str)
