"""Subject access (UU 27/2022): everything about one employee, nothing about anyone else."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from conftest import BIN
from monitor.evidence import audit, subject
from monitor.cases import workflow as cases, notify
from monitor.store import PostRecord, people
from monitor.store.posts import upsert_posts
from test_cases import ANI_NIP, BUDI_NIP, NOW, SETTINGS, build_world


@pytest.fixture
def world(store, tmp_path):
    built = build_world(store, tmp_path)
    # An edit: the old text becomes a version the employee must see too.
    upsert_posts(store, [PostRecord("x", "101", "Ayo coblos nomor 2! (disunting)", {"id": "101", "v": 2},
                                    url="https://x.com/ani_guru/status/101", account_handle="ani_guru",
                                    created_at="2024-10-03T13:30:00Z")],
                 account_ids=people.account_ids_by_handle(store))
    notify.set_email(store, "atasan", "kadis@disdik.example.go.id", actor="test")
    u = built["users"]
    case_id = cases.open_case(store, u["analis1"], built["flags"][:2], settings=SETTINGS, now=NOW)
    cases.change_status(store, u["analis1"], case_id, "verifikasi", settings=SETTINGS)
    cases.submit_second_review(store, u["analis2"], case_id, "violation", ["N1", "N7"], note="sepakat")
    cases.record_action(store, u["atasan"], case_id, "dipanggil", settings=SETTINGS, acted_on="2024-10-07", now=NOW)
    cases.open_case(store, u["analis1"], built["flags"][2:], settings=SETTINGS, now=NOW)  # Budi's case
    with store.write() as conn:  # a public report about Ani's post, with the reporter's contact
        conn.execute("INSERT INTO reports (post_id, url, text, reporter_contact, created_at) VALUES (?, ?, ?, ?, ?)",
                     (built["posts"][0], "https://x.com/ani_guru/status/101", "lapor", "pelapor@rahasia.id",
                      "2024-10-05T00:00:00Z"))
    built["case_id"] = case_id
    return built


def test_subject_report_holds_everything_about_the_employee(store, world):
    report = subject.subject_report(store, ANI_NIP, actor="petugas")
    assert report["employee"]["name"] == "Ani Guru" and report["employee"]["unit"] == "SMP Negeri 1"
    assert [a["handle"] for a in report["accounts"]] == ["ani_guru"]
    assert len(report["posts"]) == 2
    edited = next(p for p in report["posts"] if p["post_id"] == "101")
    assert edited["text"].endswith("(disunting)") and edited["raw_json"]
    assert [v["text"] for v in edited["versions"]] == ["Ayo coblos nomor 2 tanggal 27! #Menang2"]
    assert len(report["flags"]) == 2 and len(report["reviews"]) == 2
    assert all(r["reviewer_role"] == "analyst" and r["reviewer_id"] == "[disembunyikan]" for r in report["reviews"])
    assert len(report["cases"]) == 1
    case = report["cases"][0]
    assert case["case"]["id"] == world["case_id"] and case["flags"] == world["flags"][:2]
    assert [a["kind"] for a in case["superior_actions"]] == ["dipanggil"]
    assert case["second_review"][0]["reviewer_role"] == "analyst"
    assert {e["kind"] for e in case["events"]} >= {"opened", "status", "second_review", "action"}
    assert [n["kind"] for n in report["notifications"]] == ["case_opened"]
    assert report["notifications"][0]["email_to"] == "[disembunyikan]"
    assert any(e["action"] == "case.open" for e in report["audit"])
    # Tables outside the known sections are swept in by their links; the whistle-blower stays hidden.
    assert report["other"]["reports"][0]["reporter_contact"] == "[disembunyikan]"
    text = subject.to_json(report)
    assert "pelapor@rahasia.id" not in text and "kadis@disdik" not in text
    # Nothing about the other employee.
    assert BUDI_NIP not in text and "Budi" not in text and "pilih paslon 1" not in text
    assert "Ani Guru" in subject.summary(report) and "Kasus: 1" in subject.summary(report)
    assert list(audit.rows.iter_entries(store))[-1]["action"] == "subject.report"


def test_unknown_nip_is_a_clear_error(store, world):
    with pytest.raises(subject.SubjectNotFound, match="tidak ditemukan"):
        subject.subject_report(store, "000000000000000000", actor="petugas")


def netra(*args: str, db) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("NETRA_DB", None)
    return subprocess.run([str(BIN / "netra"), "--db", str(db), *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_subject_report_command(store, world, db_path, tmp_path):
    target = tmp_path / "ani.json"
    refused = netra("subject-report", ANI_NIP, "-o", str(target), db=store.path)
    assert refused.returncode == 1 and "--as" in refused.stderr and not target.exists()
    refused = netra("subject-report", ANI_NIP, "--as", "analis1", db=store.path)
    assert refused.returncode == 1 and "admin atau auditor" in refused.stderr
    result = netra("subject-report", ANI_NIP, "-o", str(target), "--as", "auditor", db=store.path)
    assert result.returncode == 0, result.stderr
    assert target.stat().st_mode & 0o777 == 0o600
    assert "Ani Guru" in result.stdout and str(target) in result.stdout
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["employee"]["nip"] == ANI_NIP and len(data["posts"]) == 2
    result = netra("subject-report", ANI_NIP, "--as", "auditor", db=store.path)
    assert result.returncode == 0 and json.loads(result.stdout)["format"] == "netra-subject-report/1"
    result = netra("subject-report", "123", "--as", "auditor", db=store.path)
    assert result.returncode == 1 and "tidak ditemukan" in result.stderr
    help_text = netra("subject-report", "--help", db=store.path).stdout
    assert "UU 27/2022" in help_text
