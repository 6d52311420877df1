"""Scope after a transfer (issue 15, item 11): a moved employee's flags follow them, so the new
unit's supervisor sees them and the old one does not, as with their posts."""

from __future__ import annotations

import pytest

from monitor import auth
from monitor.flagging import review
from monitor.store import people
from test_review import build_world, world  # noqa: F401 (fixture)


def _employee_of(store, flag_id: int) -> dict:
    return dict(store.one(
        """SELECT e.* FROM flags f JOIN posts p ON p.id = f.post_id JOIN accounts a ON a.id = p.account_id
           JOIN employees e ON e.id = a.employee_id WHERE f.id = ?""", (flag_id,)))


def test_a_moved_employees_flags_follow_them_to_the_new_supervisor(store, world, tmp_path):
    auth.create_user(store, "atasan_dinkes", "sandi-atasan-2", "supervisor", unit_ids=[world["dinkes"]])
    old_sup = auth.login(store, "atasan", "sandi-atasan-1")           # DISDIK
    new_sup = auth.login(store, "atasan_dinkes", "sandi-atasan-2")    # DINKES
    old_seen = {f["id"] for f in review.queue(store, old_sup, limit=100)}
    flag_id = next(f for f in world["flags"].values() if f in old_seen)
    employee = _employee_of(store, flag_id)
    moved_flags = {r["id"] for r in store.query(
        """SELECT f.id FROM flags f JOIN posts p ON p.id = f.post_id JOIN accounts a ON a.id = p.account_id
           WHERE a.employee_id = ?""", (employee["id"],))}
    assert flag_id not in {f["id"] for f in review.queue(store, new_sup, limit=100)}

    people.update_employee(store, employee["id"], name=employee["name"], position=employee["position"],
                           rank=employee["rank"], unit_id=world["dinkes"], active=True)

    assert moved_flags <= {f["id"] for f in review.queue(store, new_sup, limit=100)}
    assert not moved_flags & {f["id"] for f in review.queue(store, old_sup, limit=100)}
    review.flag_card(store, new_sup, flag_id)  # opens
    with pytest.raises(review.FlagNotFound):
        review.flag_card(store, old_sup, flag_id)
