from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from monitor.evidence import audit
from monitor import auth
from monitor.store import people
from monitor.store import users as user_rows


def test_login_with_the_right_password(store):
    auth.create_user(store, "analis", "rahasia-panjang", "analyst")
    user = auth.login(store, "analis", "rahasia-panjang")
    assert user.role == "analyst" and user.unit_ids == ()
    assert user_rows.get_user(store, "analis")["password_hash"].startswith("$argon2")


def test_wrong_password_and_unknown_user_give_the_same_message(store):
    auth.create_user(store, "analis", "rahasia-panjang", "analyst")
    with pytest.raises(auth.AuthError) as wrong:
        auth.login(store, "analis", "salah-sandi")
    with pytest.raises(auth.AuthError) as unknown:
        auth.login(store, "siapa", "salah-sandi")
    assert str(wrong.value) == str(unknown.value)


def test_lockout_after_repeated_failures_then_expiry(store):
    auth.create_user(store, "analis", "rahasia-panjang", "analyst")
    now = datetime(2024, 10, 1, tzinfo=timezone.utc)
    for _ in range(auth.MAX_FAILURES):
        with pytest.raises(auth.AuthError):
            auth.login(store, "analis", "salah-sandi", now=now)
    with pytest.raises(auth.AuthError, match="terkunci"):
        auth.login(store, "analis", "rahasia-panjang", now=now + timedelta(minutes=1))
    later = now + auth.LOCKOUT + timedelta(seconds=1)
    assert auth.login(store, "analis", "rahasia-panjang", now=later).username == "analis"


def test_short_passwords_and_unscoped_supervisors_are_refused(store):
    with pytest.raises(ValueError, match="minimal"):
        auth.create_user(store, "a", "pendek", "admin")
    with pytest.raises(ValueError, match="unit"):
        auth.create_user(store, "atasan", "rahasia-panjang", "supervisor")
    with pytest.raises(ValueError, match="peran"):
        auth.create_user(store, "x", "rahasia-panjang", "superuser")


def test_supervisor_scope_is_stored(store):
    people.upsert_units(store, [people.UnitRow("DINKES", "Dinas Kesehatan")])
    unit = people.unit_id_by_code(store, "DINKES")
    auth.create_user(store, "atasan", "rahasia-panjang", "supervisor", unit_ids=[unit])
    assert auth.login(store, "atasan", "rahasia-panjang").unit_ids == (unit,)


def test_audit_chain_verifies_and_locates_tampering(store):
    for i in range(50):
        audit.record(store, "analis", "review.decide", f"flag:{i}", decision="violation")
    assert audit.verify(store) == audit.VerifyResult(True, 50)
    # Tampering needs the triggers gone: simulate someone editing the file directly.
    store.conn.execute("DROP TRIGGER audit_log_no_update")
    store.conn.execute("UPDATE audit_log SET actor = 'orang lain' WHERE id = 17")
    result = audit.verify(store)
    assert not result.ok and result.first_bad_id == 17 and "diubah" in result.reason


def test_audit_chain_detects_a_deleted_entry(store):
    for i in range(5):
        audit.record(store, "admin", "user.add", f"user:{i}")
    store.conn.execute("DROP TRIGGER audit_log_no_delete")
    store.conn.execute("DELETE FROM audit_log WHERE id = 3")
    result = audit.verify(store)
    assert not result.ok and result.first_bad_id == 4


def test_user_changes_are_audited(store):
    auth.create_user(store, "analis", "rahasia-panjang", "analyst", actor="admin")
    auth.change_password(store, "analis", "sandi-baru-panjang", actor="admin")
    with pytest.raises(auth.AuthError):
        auth.login(store, "analis", "rahasia-panjang")
    actions = [e["action"] for e in audit.rows.entries_for(store)]
    assert actions[::-1] == ["user.add", "user.passwd", "login.fail"]
