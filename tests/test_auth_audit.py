from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from engines import drop_trigger

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


def test_failures_slow_the_address_not_the_account(store):
    """Issue 15, item 8: five wrong passwords for admin from one address must not lock admin out."""
    auth.create_user(store, "admin", "rahasia-panjang", "admin")
    throttle = auth.LoginThrottle()
    now = datetime(2024, 10, 1, tzinfo=timezone.utc)
    for _ in range(auth.MAX_FAILURES):
        with pytest.raises(auth.AuthError, match="salah"):
            auth.login(store, "admin", "salah-sandi", address="203.0.113.9", now=now, throttle=throttle)
    with pytest.raises(auth.AuthError, match="alamat ini"):  # the attacker's address now waits
        auth.login(store, "admin", "rahasia-panjang", address="203.0.113.9", now=now, throttle=throttle)
    # The real admin, from their own address, logs in at once.
    assert auth.login(store, "admin", "rahasia-panjang", address="10.0.0.5", now=now, throttle=throttle).role == "admin"
    waits, moment = [], now
    for _ in range(3):  # each further failure, once the wait is over, doubles the wait
        moment += timedelta(seconds=throttle.wait("203.0.113.9", moment) + 0.001)
        with pytest.raises(auth.AuthError, match="salah"):
            auth.login(store, "admin", "salah-sandi", address="203.0.113.9", now=moment, throttle=throttle)
        waits.append(round(throttle.wait("203.0.113.9", moment)))
    assert waits == [2, 4, 8]
    assert user_rows.get_user(store, "admin")["locked_until"] is None


def test_unknown_and_locked_names_get_the_same_answer_and_the_same_work(store, monkeypatch):
    auth.create_user(store, "analis", "rahasia-panjang", "analyst")
    user_rows.update_user(store, "analis", role="analyst", active=False, unit_ids=[])
    verified = []

    class Counting:
        """The real hasher, counting verifications."""

        def __init__(self, real):
            self.real = real

        def hash(self, password):
            return self.real.hash(password)

        def verify(self, digest, password):
            verified.append(digest)
            return self.real.verify(digest, password)

    monkeypatch.setattr(auth, "_hasher", Counting(auth._hasher))
    messages = []
    for name in ("analis", "tidak-ada", ""):
        with pytest.raises(auth.AuthError) as refused:
            auth.login(store, name, "salah-sandi", throttle=auth.LoginThrottle())
        messages.append(str(refused.value))
    assert len(set(messages)) == 1 and len(verified) == 3  # one argon2 verification each


def test_failed_logins_are_audited_truncated_and_bounded(store):
    """200 attempts with 1 KB names from one address: names cut short, and once the address
    waits its attempts are refused before any audit row is written."""
    throttle = auth.LoginThrottle()
    now = datetime(2024, 10, 1, tzinfo=timezone.utc)
    for _ in range(200):
        with pytest.raises(auth.AuthError):
            auth.login(store, "x" * 1024, "salah", address="198.51.100.7", now=now, throttle=throttle)
    rows = store.query("SELECT actor, target FROM audit_log WHERE action = 'login.fail'")
    assert len(rows) == auth.MAX_FAILURES
    assert all(len(r["actor"]) == auth.MAX_AUDITED_NAME for r in rows)
    assert audit.verify(store).ok


def test_the_audit_of_failures_is_capped_per_window_even_without_waits(store, monkeypatch):
    monkeypatch.setattr(auth, "MAX_FAILURES", 10_000)  # no waiting: only the audit cap bounds the rows
    throttle = auth.LoginThrottle()
    now = datetime(2024, 10, 1, tzinfo=timezone.utc)
    for i in range(auth.AUDIT_FAILURES_PER_WINDOW + 30):
        with pytest.raises(auth.AuthError):
            auth.login(store, f"tebak{i}", "salah", address="198.51.100.8", now=now, throttle=throttle)
    assert len(store.query("SELECT 1 FROM audit_log WHERE action = 'login.fail'")) == auth.AUDIT_FAILURES_PER_WINDOW
    later = now + auth.FAILURE_WINDOW + timedelta(seconds=1)
    with pytest.raises(auth.AuthError):
        auth.login(store, "lagi", "salah", address="198.51.100.8", now=later, throttle=throttle)
    last = store.one("SELECT details_json FROM audit_log ORDER BY id DESC LIMIT 1")["details_json"]
    assert '"suppressed_before": 30' in last


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
    drop_trigger(store.conn, "audit_log_no_update")
    store.conn.execute("UPDATE audit_log SET actor = 'orang lain' WHERE id = 17")
    result = audit.verify(store)
    assert not result.ok and result.first_bad_id == 17 and "diubah" in result.reason


def test_audit_chain_detects_a_deleted_entry(store):
    for i in range(5):
        audit.record(store, "admin", "user.add", f"user:{i}")
    drop_trigger(store.conn, "audit_log_no_delete")
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
