"""Provincial and national rollups (issue 20): counts of the instansi under an oversight body.

A provincial BKD or BKN sees the kabupaten/kota under it only as numbers: flags by instansi,
unit, violation code and week, and cases by status. No post text, no employee names, no
handles: the rows themselves stay in each instansi's own scope (monitor.people.instansi). The
one exception is a drill-down to a single case, read-only and audited, allowed to the auditor
role of a parent instansi (the Inspektorat of the province or BKN's oversight): a supervisory
audit of how a case was handled, not a second review queue.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .. import glossary
from ..auth import User, current
from ..evidence import audit
from ..people import instansi
from ..store import Store
from ..store import cases as case_rows
from ..store import instansi as rows

#: Roles that may read a rollup (every reader of an oversight instansi).
ROLLUP_ROLES = ("admin", "analyst", "supervisor", "auditor")
#: Roles of a parent instansi that may open one case of an instansi under it (read-only).
DRILL_DOWN_ROLES = ("auditor",)


class RollupError(ValueError):
    """A rollup or drill-down the user may not have; the message is Indonesian."""


def _totals(found: list[dict], *keys: str) -> list[dict]:
    totals: dict[tuple, int] = defaultdict(int)
    for row in found:
        totals[tuple(row[k] for k in keys)] += int(row["n"])
    return [dict(zip(keys, key)) | {"n": n} for key, n in sorted(totals.items())]


def rollup(store: Store, user: User, *, date_from: str | None = None, date_to: str | None = None) -> dict[str, Any]:
    """Counts for the user's instansi and every instansi under it (numbers only).

    ``by_instansi`` (instansi, status), ``by_unit`` (instansi, unit, category), ``by_code``
    (instansi, code: confirmed violations), ``by_week`` (instansi, week), ``cases`` (instansi,
    status), and ``instansi``: the code, name and kind of each instansi counted.
    """
    if user.role not in ROLLUP_ROLES:
        raise RollupError("Peran Anda tidak boleh membaca rekap.")
    current(store, user)
    ids = instansi.rollup_instansi_ids(store, user)
    cells = rows.rollup_cells(store, ids, date_from=date_from, date_to=date_to)
    return {
        "instansi": [{k: i[k] for k in ("code", "name", "kind", "parent_code")} for i in rows.list_all(store, ids)],
        "by_instansi": _totals(cells, "instansi", "status"),
        "by_unit": _totals(cells, "instansi", "unit", "category"),
        "by_code": _totals([r for r in cells if r["code"]], "instansi", "code"),
        "by_week": _totals(rows.rollup_weeks(store, ids, date_from=date_from, date_to=date_to), "instansi", "week"),
        "cases": rows.case_counts(store, ids),
    }


def oversight_case(store: Store, user: User, case_id: int) -> dict[str, Any]:
    """One case of an instansi under the user's, read-only, for an auditor of the parent. Audited.

    Returns the case row and its events (status changes with dates): how the case was handled.
    A case of the user's own instansi is read through monitor.cases.workflow as always.
    """
    if user.role not in DRILL_DOWN_ROLES:
        raise RollupError("Hanya auditor instansi induk yang boleh membuka kasus instansi di bawahnya.")
    current(store, user)
    own = instansi.own_instansi_id(store, user)
    below = instansi.rollup_instansi_ids(store, user) - {own}
    case = case_rows.get_case(store, int(case_id), unit_ids=rows.unit_ids_of(store, below))
    if case is None:
        raise RollupError(f"Kasus #{case_id} tidak ditemukan di instansi di bawah Anda.")
    audit.record(store, user.username, "case.oversight_view", f"case:{case['id']}")
    return {"case": case, "events": case_rows.events(store, case["id"]),
            "status_label": glossary.CASE_STATUSES.get(case["status"], case["status"])}
