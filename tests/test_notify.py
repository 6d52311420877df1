"""Notifications to the superior, through a real SMTP server on 127.0.0.1 (aiosmtpd)."""

from __future__ import annotations

import socket
from datetime import datetime, timezone
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller

from monitor.cases import workflow as cases, notify
from monitor.store import cases as case_rows
from test_cases import NOW, SETTINGS, build_world


class Sink:
    """An SMTP handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=default_policy))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield sink, controller.port
    controller.stop()


@pytest.fixture
def world(store, tmp_path):
    built = build_world(store, tmp_path)
    notify.set_email(store, "atasan", "kadis@disdik.example.go.id", actor="test")
    notify.set_email(store, "atasan2", "kadis@dinkes.example.go.id", actor="test")
    notify.set_email(store, "analis1", "analis1@bkpsdm.example.go.id", actor="test")
    return built


def mail_settings(port: int, **extra) -> dict:
    return SETTINGS | {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_starttls": 0, "smtp_user": "",
                       "smtp_sender": "netra@bkpsdm.example.go.id"} | extra


def test_case_opening_mails_the_superior_of_the_parent_unit_once(store, world, smtp):
    sink, port = smtp
    u = world["users"]
    case_id = cases.open_case(store, u["analis1"], world["flags"][:2], settings=SETTINGS, now=NOW)
    inbox = notify.list_for_user(store, u["atasan"].id)
    assert [(n["kind"], n["case_id"]) for n in inbox] == [("case_opened", case_id)]
    assert notify.list_for_user(store, u["atasan2"].id) == []  # another unit's supervisor
    assert notify.send_pending(store, mail_settings(port)) == {"sent": 1, "failed": 0}
    assert len(sink.messages) == 1
    message = sink.messages[0]
    assert message["To"] == "kadis@disdik.example.go.id"
    assert message["From"] == "netra@bkpsdm.example.go.id"
    assert f"Kasus #{case_id}" in message["Subject"]
    body = message.get_content()
    assert "198503122010012003" in body and "N1" in body and "2024-10-16" in body and "PP 94/2021" in body
    assert "Ayo coblos" not in body  # no post text in e-mail
    # Idempotent: neither a second send nor a second notification.
    assert notify.send_pending(store, mail_settings(port)) == {"sent": 0, "failed": 0}
    assert notify.case_opened(store, case_id) == 0
    assert len(sink.messages) == 1
    row = notify.list_for_user(store, u["atasan"].id)[0]
    assert row["email_status"] == "sent" and row["email_sent_at"]
    assert notify.mark_read(store, u["atasan"].id, row["id"]) is True
    assert notify.mark_read(store, u["atasan2"].id, row["id"]) is False  # not theirs
    assert notify.list_for_user(store, u["atasan"].id, unread_only=True) == []


def test_action_due_and_overdue_are_sent_once_each(store, world, smtp):
    sink, port = smtp
    u = world["users"]
    ani = cases.open_case(store, u["analis1"], world["flags"][:2], settings=SETTINGS, now=NOW)  # due 16 Oct
    budi = cases.open_case(store, u["analis1"], world["flags"][2:], settings=SETTINGS, now=NOW)
    cases.record_action(store, u["atasan2"], budi, "diperiksa", settings=SETTINGS, acted_on="2024-10-07", now=NOW)
    settings = mail_settings(port)
    notify.send_pending(store, settings)
    sink.messages.clear()
    quiet = datetime(2024, 10, 10, 3, tzinfo=timezone.utc)
    assert notify.check_deadlines(store, settings, now=quiet) == {"action_due": 0, "overdue": 0}
    due = datetime(2024, 10, 15, 3, tzinfo=timezone.utc)  # one working day before the 16th
    assert notify.check_deadlines(store, settings, now=due) == {"action_due": 1, "overdue": 0}
    assert notify.check_deadlines(store, settings, now=due) == {"action_due": 0, "overdue": 0}
    late = datetime(2024, 10, 17, 3, tzinfo=timezone.utc)
    assert notify.check_deadlines(store, settings, now=late) == {"action_due": 0, "overdue": 1}
    assert notify.check_deadlines(store, settings, now=late) == {"action_due": 0, "overdue": 0}
    assert notify.send_pending(store, settings) == {"sent": 2, "failed": 0}
    subjects = [m["Subject"] for m in sink.messages]
    assert any("jatuh tempo" in s and f"#{ani}" in s for s in subjects)
    assert any("TERLAMBAT" in s and f"#{ani}" in s for s in subjects)
    assert all(f"#{budi}" not in s for s in subjects)  # its superior already acted
    assert {m["To"] for m in sink.messages} == {"kadis@disdik.example.go.id"}


def test_failed_starttls_is_recorded_and_retried_without_loss(store, world, smtp):
    sink, port = smtp
    u = world["users"]
    cases.open_case(store, u["analis1"], world["flags"][:2], settings=SETTINGS, now=NOW)
    # The test server offers no STARTTLS: the session is refused, nothing is marked sent.
    assert notify.send_pending(store, mail_settings(port, smtp_starttls=1)) == {"sent": 0, "failed": 1}
    row = notify.list_for_user(store, u["atasan"].id)[0]
    assert row["email_status"] == "failed" and "STARTTLS" in row["email_error"].upper()
    assert sink.messages == []
    assert notify.send_pending(store, mail_settings(port)) == {"sent": 1, "failed": 0}
    assert len(sink.messages) == 1


def test_unreachable_server_keeps_the_mail_pending(store, world):
    u = world["users"]
    cases.open_case(store, u["analis1"], world["flags"][:2], settings=SETTINGS, now=NOW)
    counts = notify.send_pending(store, mail_settings(free_port()))
    assert counts == {"sent": 0, "failed": 1}
    row = notify.list_for_user(store, u["atasan"].id)[0]
    assert row["email_status"] == "failed" and row["email_attempts"] == 1 and "koneksi" in row["email_error"]


def test_no_smtp_configured_means_in_app_only(store, world):
    u = world["users"]
    cases.open_case(store, u["analis1"], world["flags"][:2], settings=SETTINGS, now=NOW)
    assert notify.send_pending(store, SETTINGS) == {"sent": 0, "failed": 0}
    assert notify.list_for_user(store, u["atasan"].id)[0]["email_status"] == "pending"


def test_daily_digest_for_supervisors_and_analysts(store, world, smtp):
    sink, port = smtp
    u = world["users"]
    ani = cases.open_case(store, u["analis1"], world["flags"][:2], settings=SETTINGS, now=NOW)
    settings = mail_settings(port)
    notify.send_pending(store, settings)
    sink.messages.clear()
    day = datetime(2024, 10, 10, 3, tzinfo=timezone.utc)  # report due 11 Oct: next working day
    digests = {d["username"]: d for d in notify.daily_digest(store, settings, now=day)}
    assert set(digests) == {"atasan", "analis1", "analis2", "admin"}
    assert digests["atasan"]["case_ids"] == [ani]
    assert "lapor Bawaslu s.d. 2024-10-11 (jatuh tempo)" in digests["analis1"]["body"]
    counts = notify.run_daily(store, settings, send=True, now=day)
    assert counts["digest"] == 4 and counts["sent"] == 2  # only atasan and analis1 have addresses
    assert notify.run_daily(store, settings, send=True, now=day)["digest"] == 0
    assert len(sink.messages) == 2
    assert all("Ringkasan harian 2024-10-10" in m["Subject"] for m in sink.messages)


def test_supervisor_recipients_follow_the_unit_tree(store, world):
    from monitor import auth
    from monitor.store import people

    smpn1 = people.unit_id_by_code(store, "SMPN1")
    auth.create_user(store, "kepsek", "sandi-kepsek-123", "supervisor", unit_ids=[smpn1])
    auth.create_user(store, "nonaktif", "sandi-nonaktif-1", "supervisor", unit_ids=[smpn1])
    with store.write() as conn:
        conn.execute("UPDATE users SET active = 0 WHERE username = 'nonaktif'")
    names = [r["username"] for r in case_rows.supervisors_of_unit(store, smpn1)]
    assert names == ["atasan", "kepsek"]
    assert case_rows.supervisors_of_unit(store, people.unit_id_by_code(store, "DISDIK"))[0]["username"] == "atasan"


def test_set_email_validates(store, world):
    with pytest.raises(ValueError, match="tidak valid"):
        notify.set_email(store, "atasan", "bukan surel", actor="test")
    with pytest.raises(ValueError, match="tidak ada"):
        notify.set_email(store, "siapa", "a@b.c", actor="test")
