"""Escalating a flag reaches the unit's superior (issue 14): a notification in the app (and by
e-mail when set), and a scoped list of escalated flags for the superior's page."""

from __future__ import annotations

import pytest

from monitor import auth
from monitor.cases import notify
from monitor.cases.codes import VIOLATION_CODES
from monitor.flagging import review
from monitor.store.review import FlagQuery
from test_review import build_world


@pytest.fixture
def world(store, tmp_path):
    return build_world(store, tmp_path)


def test_an_escalation_notifies_the_superiors_of_the_unit_only(store, world):
    users, flags = world["users"], world["flags"]
    auth.create_user(store, "atasan_dinkes", "sandi-atasan-2", "supervisor", unit_ids=[world["dinkes"]])
    other = auth.login(store, "atasan_dinkes", "sandi-atasan-2")
    notify.set_email(store, "atasan", "kadis@example.go.id", actor="admin")
    review.decide(store, users["analis"], flags["1"], "escalate", note="Perlu pendapat atasan")
    mine = notify.list_for_user(store, users["atasan"].id)
    assert len(mine) == 1 and mine[0]["kind"] == "flag_escalated" and mine[0]["flag_id"] == flags["1"]
    assert f"Temuan #{flags['1']}" in mine[0]["subject"] and "Ani Guru" in mine[0]["subject"]
    body = mine[0]["body"]
    assert "Perlu pendapat atasan" in body and VIOLATION_CODES["N1"].description in body
    assert "coblos" not in body  # no post text in notifications (data minimisation)
    assert mine[0]["email_to"] == "kadis@example.go.id" and mine[0]["email_status"] == "pending"
    assert notify.list_for_user(store, other.id) == []  # Ani's unit is not under Dinas Kesehatan


def test_a_second_escalation_of_the_same_flag_notifies_again(store, world):
    users, flag = world["users"], world["flags"]["1"]
    review.decide(store, users["analis"], flag, "escalate", note="pertama")
    review.reopen(store, users["analis"], flag, "salah klik")
    review.decide(store, users["analis"], flag, "escalate", note="kedua")
    bodies = [n["body"] for n in notify.list_for_user(store, users["atasan"].id)]
    assert len(bodies) == 2 and any("kedua" in b for b in bodies)


def test_bulk_escalation_notifies_too(store, world):
    users = world["users"]
    q = FlagQuery(flag_ids=(world["flags"]["1"], world["flags"]["2"]), apply_thresholds=False)
    n = review.bulk_count(store, users["analis"], q, "escalate")
    assert review.bulk_decide(store, users["analis"], q, "escalate", expected_count=n, note="massal") == 2
    assert {x["flag_id"] for x in notify.list_for_user(store, users["atasan"].id)} == {world["flags"]["1"],
                                                                                    world["flags"]["2"]}


def test_escalated_flags_are_listed_in_the_supervisors_scope(store, world):
    users, flags = world["users"], world["flags"]
    review.decide(store, users["analis"], flags["1"], "escalate", note="a")
    review.decide(store, users["analis"], flags["3"], "escalate", note="b")   # Budi, Dinas Kesehatan
    review.decide(store, users["analis"], flags["2"], "not_violation")
    assert [f["id"] for f in review.escalated(store, users["atasan"])] == [flags["1"]]
    assert {f["id"] for f in review.escalated(store, users["analis"])} == {flags["1"], flags["3"]}
    assert review.escalated(store, users["atasan"])[0]["employee"] == "Ani Guru"
