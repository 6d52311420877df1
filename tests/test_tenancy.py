"""Many offices in one database (issue 20): two instansi never see each other's rows.

Two kabupaten (Alfa and Beta) under BKN, with look-alike data: the same unit kinds, the same
campaign words, employees, flags, an escalation, a public report, a case. Every read function
of the library, for an admin, analyst, supervisor and auditor of Alfa, must return Alfa's rows
and nothing of Beta (no name, NIP, handle, text, unit or username); the main pages, opened as
Alfa's analyst, likewise. BKN's users read both only as counts. Runs on both engines.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import write_csv
from monitor import auth
from monitor.cases import export as case_export
from monitor.cases import notify, rollup
from monitor.cases import workflow as cases
from monitor.collect import health
from monitor.collect.reports import submit_report
from monitor.evidence import bundle, keys, subject
from monitor.flagging import groups, review
from monitor.flagging.review import FlagQuery
from monitor.people import instansi, registry
from monitor.store import PostRecord, people
from monitor.store import captures as capture_rows
from monitor.store import instansi as instansi_rows
from monitor.store import users as user_rows
from monitor.store.flags import ScoredPost, save_classifications
from monitor.store.posts import list_posts, refresh_search_index, upsert_posts

SETTINGS = {"timezone": "Asia/Jakarta", "report_deadline_days": 7, "report_deadline_working": 0,
            "action_due_days": 7, "holidays": "", "holidays_file": "", "agency_name": "BKPSDM",
            "smtp_host": ""}
ROLES = ("admin", "analis", "atasan", "auditor")
#: Per kabupaten: (instansi code, word in names, NIP prefix, handle prefix).
TENANTS = {"a": ("KAB-ALFA", "Alfa", "1985031220100120", "alfa"), "b": ("KAB-BETA", "Beta", "1990010120150310", "beta")}


def _tenant(store, tmp_path: Path, key: str, instansi_id: int) -> dict:
    """One kabupaten: two units, two employees with flagged posts, four users, a case, an escalation."""
    code, word, nip, handle = TENANTS[key]
    registry.import_units(store, write_csv(tmp_path / f"u{key}.csv", "code,name,parent_code",
                                           f"{key.upper()}-DISDIK,Dinas Pendidikan {word},",
                                           f"{key.upper()}-DINKES,Dinas Kesehatan {word},"), instansi_id=instansi_id)
    registry.import_employees(store, write_csv(
        tmp_path / f"e{key}.csv", "NIP,Nama,Unit Kerja,X",
        f"{nip}01,Guru {word}wati,Dinas Pendidikan {word},@{handle}_guru",
        f"{nip}02,Perawat {word}wan,Dinas Kesehatan {word},@{handle}_sehat"), instansi_id=instansi_id)
    texts = {f"{key}1": (f"{handle}_guru", f"ayo coblos nomor 2 kata{word}rahasia", "2024-10-02T08:00:00Z"),
             f"{key}2": (f"{handle}_guru", f"salam dua jari kata{word}kedua", "2024-10-09T08:00:00Z"),
             f"{key}3": (f"{handle}_sehat", f"coblos paslon kata{word}ketiga", "2024-10-03T08:00:00Z")}
    result = upsert_posts(store, [PostRecord("x", k, t, {"id": k}, account_handle=h, created_at=c,
                                             url=f"https://x.com/{h}/status/{k}") for k, (h, t, c) in texts.items()],
                          account_ids=people.account_ids_by_handle(store))
    save_classifications(store, "m1", [ScoredPost(p, {"partisan": 0.9}, ["partisan"], {"partisan": "N1"}, {})
                                       for p in result.new_ids])
    refresh_search_index(store)
    disdik = people.unit_id_by_code(store, f"{key.upper()}-DISDIK", instansi_id)
    users = {}
    for name, role, units in (("admin", "admin", []), ("analis", "analyst", []), ("atasan", "supervisor", [disdik]),
                              ("auditor", "auditor", [])):
        username = f"{name}_{handle}"
        auth.create_user(store, username, f"sandi-{username}", role, unit_ids=units, full_name=f"{name} {word}",
                         instansi_id=instansi_id)
        users[name] = auth.login(store, username, f"sandi-{username}")
    flags = [int(r["id"]) for r in store.query(
        f"SELECT id FROM flags WHERE post_id IN ({','.join('?' * len(result.new_ids))}) ORDER BY id",
        tuple(result.new_ids))]
    review.decide(store, users["analis"], flags[0], "violation", violation_code="N1")
    case_id = cases.open_case(store, users["analis"], [flags[0]], settings=SETTINGS)
    review.decide(store, users["analis"], flags[1], "escalate", note=f"mohon arahan {word}")
    report_flag = submit_report(store, url=f"https://x.com/{handle}_sehat/status/99{key}",
                                text=f"laporan warga kata{word}laporan", reporter_contact=f"pelapor@{handle}.example")
    with store.write() as conn:
        conn.execute("INSERT INTO capture_imports (started_at, source, captured_by) VALUES (?, ?, ?)",
                     ("2024-10-05T00:00:00Z", f"tangkapan-{handle}.jsonl", users["analis"].username))
    return {"users": users, "flags": flags + [report_flag], "case": case_id, "nip": f"{nip}01",
            "instansi_id": instansi_id, "disdik": disdik,
            "markers": [f"kata{word}", f"{word}wati", f"{word}wan", f"{nip}0", f"{handle}_", f"Pendidikan {word}",
                        f"{key.upper()}-DISDIK", f"{key.upper()}-DINKES", f"pelapor@{handle}"]}


def build_tenants(store, tmp_path: Path) -> dict:
    bkn = instansi_rows.add(store, "BKN", "Badan Kepegawaian Negara", kind="nasional")
    a = instansi_rows.add(store, TENANTS["a"][0], "BKPSDM Kabupaten Alfa", parent_id=bkn)
    b = instansi_rows.add(store, TENANTS["b"][0], "BKPSDM Kabupaten Beta", parent_id=bkn)
    world = {"a": _tenant(store, tmp_path, "a", a), "b": _tenant(store, tmp_path, "b", b), "bkn": bkn}
    for name, role in (("analis_bkn", "analyst"), ("auditor_bkn", "auditor")):
        auth.create_user(store, name, f"sandi-{name}", role, instansi_id=bkn)
    world["bkn_users"] = {n: auth.login(store, n, f"sandi-{n}") for n in ("analis_bkn", "auditor_bkn")}
    return world


@pytest.fixture
def tenants(store, tmp_path):
    return build_tenants(store, tmp_path)


def leaked(found, markers) -> list[str]:
    """Markers of the other instansi that appear anywhere in ``found`` (any nesting, any type)."""
    text = json.dumps(found, default=str, ensure_ascii=False)
    return [m for m in markers if m in text]


def _reads(store, user, tmp_path: Path) -> dict[str, object]:
    """Every library read that lists rows, as ``user`` sees it."""
    scope = instansi.unit_scope(store, user)
    found: dict[str, object] = {
        "queue": review.queue(store, user, FlagQuery(statuses=(), apply_thresholds=False), limit=500),
        "search": review.queue(store, user, FlagQuery(statuses=(), search="coblos", apply_thresholds=False)),
        "count": review.count(store, user, FlagQuery(statuses=(), apply_thresholds=False)),
        "summary": review.unit_summary(store, user),
        "escalated": review.escalated(store, user),
        "export": review.export_rows(store, user, FlagQuery(statuses=())),
        "my_decisions": review.my_decisions(store, user),
        "groups": groups.queue(store, user),
        "photos": groups.photo_queue(store, user, include_decided=True),
        "posts": list_posts(store, unit_ids=scope, limit=500),
        "posts_search": list_posts(store, unit_ids=scope, search="coblos", limit=500),
        "employees": people.list_employees(store, active_only=False, unit_ids=scope),
        "health": health.account_health(store, unit_ids=scope),
        "users": user_rows.list_users(store, instansi.visible_instansi_ids(store, user)),
        "notifications": notify.list_for_user(store, user.id),
        "digest": [d for d in notify.daily_digest(store, SETTINGS) if d["user_id"] == user.id],
        "captures": capture_rows.list_imports(store, captured_by=instansi.usernames_in_scope(store, user)),
        "rollup": rollup.rollup(store, user),
    }
    if user.role != "supervisor":
        found["cases"] = cases.list_cases(store, user, settings=SETTINGS)
        found["case_export"] = case_export.export_rows(store, user, case_export.visible_case_ids(store, user),
                                                       settings=SETTINGS)
        found["status_report"] = cases.status_report(store, user, settings=SETTINGS, unit_code=None,
                                                     date_from="2020-01-01", date_to="2030-12-31")
        found["flags_ready"] = cases.flags_ready(store, user) if user.role in cases.WRITE_ROLES else []
    else:
        found["action_due"] = cases.action_due(store, user, settings=SETTINGS)
    return found


@pytest.mark.parametrize("role", ROLES)
def test_no_library_read_shows_the_other_instansi(store, tenants, tmp_path, role):
    mine, theirs = tenants["a"], tenants["b"]
    user = mine["users"][role]
    found = _reads(store, user, tmp_path)
    assert not {k: leaked(v, theirs["markers"]) for k, v in found.items() if leaked(v, theirs["markers"])}
    # ...and the same reads do show this instansi's own rows (the check above can fail).
    assert leaked(found["queue"], mine["markers"]) and leaked(found["employees"], mine["markers"])
    assert leaked(found["users"], [user.username])
    if user.role != "supervisor":
        assert [c["id"] for c in found["cases"]] == [mine["case"]]
    else:
        assert leaked(found["notifications"], ["mohon arahan Alfa"])
    # Asked by id, the other instansi's flags and case do not exist.
    for flag_id in theirs["flags"]:
        with pytest.raises(review.FlagNotFound):
            review.flag_card(store, user, flag_id)
    review.flag_card(store, user, mine["flags"][0])
    with pytest.raises(cases.CaseError):
        cases.case_file(store, user, theirs["case"], settings=SETTINGS)
    if user.role in ("admin", "auditor"):
        with pytest.raises(subject.SubjectNotFound):
            subject.subject_report(store, theirs["nip"], actor=user.username, unit_ids=instansi.unit_scope(store, user))
        own = subject.subject_report(store, mine["nip"], actor=user.username, unit_ids=instansi.unit_scope(store, user))
        assert own["posts"] and not leaked(own, theirs["markers"])


def test_decisions_and_exports_cannot_reach_the_other_instansi(store, tenants, tmp_path):
    analyst = tenants["a"]["users"]["analis"]
    theirs = tenants["b"]
    with pytest.raises(review.FlagNotFound):
        review.decide(store, analyst, theirs["flags"][2], "not_violation")
    assert review.bulk_decide(store, analyst, FlagQuery(search="katabeta"), "not_violation", expected_count=0) == 0
    with pytest.raises(ValueError, match="tidak ada tanda"):
        bundle.export_bundle(store, actor=analyst.username, output=tmp_path / "b.zip", flag_ids=theirs["flags"],
                             unit_ids=instansi.unit_scope(store, analyst), key_dir=tmp_path / "data", pdf=False)


def test_each_instansi_signs_its_evidence_with_its_own_key(store, tenants, tmp_path):
    data = tmp_path / "data"
    summaries = {}
    for key in ("a", "b"):
        analyst = tenants[key]["users"]["analis"]
        summaries[key] = bundle.export_bundle(
            store, actor=analyst.username, output=tmp_path / f"{key}.zip", flag_ids=tenants[key]["flags"][:1],
            unit_ids=instansi.unit_scope(store, analyst), key_dir=data, pdf=False)
        folder = data / "keys" / TENANTS[key][0]
        assert (folder / keys.PRIVATE_NAME).exists()
        expected = (folder / keys.PUBLIC_NAME).read_bytes()
        assert bundle.verify_bundle(tmp_path / f"{key}.zip", public_key=expected).ok
    assert summaries["a"]["fingerprint"] != summaries["b"]["fingerprint"]
    # The default instansi keeps the data folder's own key, as before instansi existed.
    assert keys.signing_dir(store, data, instansi_rows.default_id(store)) == data
    wrong = (data / "keys" / TENANTS["b"][0] / keys.PUBLIC_NAME).read_bytes()
    assert not bundle.verify_bundle(tmp_path / "a.zip", public_key=wrong).ok


def test_users_and_units_stay_inside_their_instansi(store, tenants, tmp_path):
    admin_a = tenants["a"]["users"]["admin"]
    with pytest.raises(ValueError, match="bukan milik instansi"):
        auth.create_user(store, "susup", "sandi-susup-1", "supervisor", unit_ids=[tenants["b"]["disdik"]], by=admin_a)
    with pytest.raises(ValueError, match="instansi Anda sendiri"):
        auth.create_user(store, "susup", "sandi-susup-1", "analyst", instansi_id=tenants["b"]["instansi_id"],
                         by=admin_a)
    with pytest.raises(ValueError, match="instansi Anda sendiri"):
        auth.create_user(store, "susup", "sandi-susup-1", "analyst", by=tenants["a"]["users"]["analis"])
    from monitor import web

    with pytest.raises(ValueError):
        web.update_user(store, admin_a.username, tenants["b"]["users"]["analis"].username, role="admin", active=True,
                        unit_ids=[])
    new_id = auth.create_user(store, "analis2_alfa", "sandi-analis2", "analyst", by=admin_a)
    assert instansi_rows.user_instansi_id(store, new_id) == tenants["a"]["instansi_id"]
    # A registry file of Alfa cannot take over Beta's unit (the same code is Alfa's own unit),
    # nor hang a unit under Beta's, nor take Beta's employee; and deactivating "everyone missing
    # from the file" deactivates Alfa's employees only.
    beta_disdik = store.one("SELECT id, name, instansi_id FROM units WHERE id = ?", (tenants["b"]["disdik"],))
    report = registry.import_units(store, write_csv(tmp_path / "x.csv", "code,name,parent_code", "B-DISDIK,Ambil,"),
                                   instansi_id=tenants["a"]["instansi_id"])
    assert report.applied and report.counts == {"added": 1, "updated": 0}
    assert tuple(store.one("SELECT id, name, instansi_id FROM units WHERE id = ?", (beta_disdik["id"],))) == \
        tuple(beta_disdik)
    assert people.unit_id_by_code(store, "B-DISDIK", tenants["a"]["instansi_id"]) != beta_disdik["id"]
    report = registry.import_units(store, write_csv(tmp_path / "w.csv", "code,name,parent_code",
                                                    "A-ANAK,Anak,B-DINKES"), instansi_id=tenants["a"]["instansi_id"])
    assert not report.applied and "B-DINKES" in report.errors[0].reason
    with pytest.raises(ValueError, match="instansi lain"):
        registry.import_employees(store, write_csv(tmp_path / "y.csv", "NIP,Nama,Unit Kerja",
                                                   f"{tenants['b']['nip']},Pindah,Dinas Pendidikan Alfa"),
                                  instansi_id=tenants["a"]["instansi_id"])
    registry.import_employees(store, write_csv(tmp_path / "z.csv", "NIP,Nama,Unit Kerja",
                                               "198503122010012099,Baru Alfa,Dinas Pendidikan Alfa"),
                              instansi_id=tenants["a"]["instansi_id"])
    active = {e["nip"] for e in people.list_employees(store)}
    assert tenants["b"]["nip"] in active and tenants["a"]["nip"] not in active


def test_the_national_rollup_counts_both_and_shows_no_text_or_name(store, tenants):
    national = tenants["bkn_users"]["analis_bkn"]
    data = rollup.rollup(store, national)
    assert {i["code"] for i in data["instansi"]} == {"BKN", "KAB-ALFA", "KAB-BETA"}
    expected = {}
    for key in ("a", "b"):
        ids = tenants[key]["flags"]
        for row in store.query(f"SELECT status, COUNT(*) AS n FROM flags WHERE id IN ({','.join('?' * len(ids))}) "
                               "GROUP BY status", tuple(ids)):
            expected[(TENANTS[key][0], row["status"])] = int(row["n"])
    assert {(r["instansi"], r["status"]): r["n"] for r in data["by_instansi"]} == expected
    assert {(r["instansi"], r["code"]): r["n"] for r in data["by_code"]} == {("KAB-ALFA", "N1"): 1,
                                                                           ("KAB-BETA", "N1"): 1}
    assert {(r["instansi"], r["status"]): r["n"] for r in data["cases"]} == {("KAB-ALFA", "temuan"): 1,
                                                                           ("KAB-BETA", "temuan"): 1}
    assert sum(r["n"] for r in data["by_week"]) == sum(expected.values())
    text_markers = [m for key in ("a", "b") for m in tenants[key]["markers"]
                    if not m.endswith(("-DISDIK", "-DINKES"))]  # unit codes are part of a rollup
    assert not leaked(data, text_markers)
    # Rows stay out of reach: the national analyst's own scope holds no kabupaten unit.
    assert review.queue(store, national, FlagQuery(statuses=())) == []
    assert cases.list_cases(store, national, settings=SETTINGS) == []
    # A kabupaten's rollup is its own counts only.
    own = rollup.rollup(store, tenants["a"]["users"]["analis"])
    assert {r["instansi"] for r in own["by_instansi"]} == {"KAB-ALFA"}


def test_rollup_weeks_start_on_monday_and_the_date_range_limits_every_count(store, tenants):
    """Weeks are counted per unit and day first: the Sunday and Monday either side of a week's
    boundary land in different weeks, and a date range limits cells and weeks alike."""
    national = tenants["bkn_users"]["analis_bkn"]
    ids = sorted(tenants["a"]["flags"] + tenants["b"]["flags"])
    days = ["2024-09-01T23:30:00Z", "2024-09-02T00:10:00Z", "2024-09-08T12:00:00Z", "2024-09-15T08:00:00Z"]
    with store.write() as conn:
        for n, flag_id in enumerate(ids):
            conn.execute("UPDATE flags SET created_at = ? WHERE id = ?", (days[n % len(days)], flag_id))
    instansi_of = {}
    for key in ("a", "b"):
        for flag_id in tenants[key]["flags"]:
            instansi_of[flag_id] = TENANTS[key][0]
    expected: dict[tuple[str, str], int] = {}
    for n, flag_id in enumerate(ids):
        day = date.fromisoformat(days[n % len(days)][:10])
        monday = (day - timedelta(days=day.weekday())).isoformat()
        expected[(instansi_of[flag_id], monday)] = expected.get((instansi_of[flag_id], monday), 0) + 1
    data = rollup.rollup(store, national)
    assert {(r["instansi"], r["week"]): r["n"] for r in data["by_week"]} == expected
    assert {w for _, w in expected} == {"2024-08-26", "2024-09-02", "2024-09-09"}

    ranged = rollup.rollup(store, national, date_from="2024-09-02", date_to="2024-09-09")
    inside = [flag_id for n, flag_id in enumerate(ids) if "2024-09-02" <= days[n % len(days)] < "2024-09-09"]
    assert inside
    assert sum(r["n"] for r in ranged["by_week"]) == len(inside)
    assert sum(r["n"] for r in ranged["by_instansi"]) == len(inside)
    assert sum(r["n"] for r in ranged["by_unit"]) == len(inside)
    assert {r["week"] for r in ranged["by_week"]} <= {"2024-09-02"}


def test_only_an_auditor_of_the_parent_opens_a_case_below(store, tenants):
    case_b = tenants["b"]["case"]
    found = rollup.oversight_case(store, tenants["bkn_users"]["auditor_bkn"], case_b)
    assert found["case"]["id"] == case_b and found["events"]
    last = store.one("SELECT actor, action, target FROM audit_log ORDER BY id DESC LIMIT 1")
    assert tuple(last) == ("auditor_bkn", "case.oversight_view", f"case:{case_b}")
    with pytest.raises(rollup.RollupError):
        rollup.oversight_case(store, tenants["bkn_users"]["analis_bkn"], case_b)
    with pytest.raises(rollup.RollupError):  # a sibling kabupaten is not below Alfa
        rollup.oversight_case(store, tenants["a"]["users"]["auditor"], case_b)


def test_one_office_database_is_unchanged(store, tmp_path):
    """With only the default instansi nothing is scoped by instansi: None still means every unit."""
    assert instansi_rows.count(store) == 1
    auth.create_user(store, "analis", "sandi-analis-1", "analyst")
    user = auth.login(store, "analis", "sandi-analis-1")
    assert instansi.unit_scope(store, user) is None and review.scope_for(store, user) is None
    assert instansi.usernames_in_scope(store, user) is None
    assert not instansi.is_oversight(store, user)
    assert keys.signing_dir(store, tmp_path, instansi.own_instansi_id(store, user)) == tmp_path


def test_pages_as_an_analyst_of_one_instansi_show_nothing_of_the_other(engine, db_target, tmp_path, monkeypatch):
    if engine != "sqlite":
        pytest.skip("pages: the library's scoping is engine-independent and checked above on both engines")
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from conftest import ROOT
    from monitor import web
    from monitor.store import connect

    with connect(db_target) as store:
        world = build_tenants(store, tmp_path)
    monkeypatch.setenv("NETRA_DB", db_target)
    st.cache_resource.clear()
    pages = ["beranda.py", "antrian.py", "keputusan_saya.py", "ringkasan_unit.py", "kasus.py", "ekspor_bukti.py",
             "kesehatan_kolektor.py", "tangkapan_peramban.py", "tinjauan_foto.py"]
    with connect(db_target) as store:
        analyst = auth.login(store, "analis_alfa", "sandi-analis_alfa")
        national = auth.login(store, "analis_bkn", "sandi-analis_bkn")
        assert "rekap_instansi.py" not in web.visible_pages(store, analyst)
        assert "rekap_instansi.py" in web.visible_pages(store, national)
    seen_own = False
    for page in pages:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        at.session_state["user"] = analyst
        at.run()
        at.switch_page(f"pages/{page}").run()
        assert not at.exception, (page, at.exception)
        shown = _page_text(at)
        assert not leaked(shown, world["b"]["markers"]), page
        seen_own |= bool(leaked(shown, world["a"]["markers"]))
    assert seen_own
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.session_state["user"] = national
    at.run()
    at.switch_page("pages/rekap_instansi.py").run()
    assert not at.exception, at.exception
    shown = _page_text(at)
    assert "Rekap nasional/provinsi" in shown and "KAB-ALFA" in shown and "KAB-BETA" in shown
    assert not leaked(shown, [m for k in ("a", "b") for m in world[k]["markers"] if not m.endswith(("DISDIK", "DINKES"))])
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart"), "the weekly chart is drawn"
    st.cache_resource.clear()


def _page_text(at) -> str:
    parts = [e.value for kind in ("markdown", "text", "caption", "title", "subheader", "error", "info", "success",
                                  "warning") for e in getattr(at, kind)]
    parts += [str(df.value.to_dict()) for df in at.dataframe]
    parts += [str(m.value) for m in at.metric]
    parts += [str(getattr(s, "options", "")) for s in at.selectbox]
    return "\n".join(str(p) for p in parts)


def test_cli_adds_instansi_and_their_users(db_target, tmp_path):
    from test_cli import netra

    assert netra("init", db=db_target).returncode == 0
    assert netra("instansi", "add", "BKD-JABAR", "--name", "BKD Provinsi Jawa Barat", "--kind", "provinsi",
                 db=db_target).returncode == 0
    result = netra("instansi", "add", "KAB-BOGOR", "--name", "BKPSDM Kabupaten Bogor", "--parent", "BKD-JABAR",
                   db=db_target)
    assert result.returncode == 0, result.stderr
    bad = netra("instansi", "add", "../x", "--name", "Jahat", db=db_target)
    assert bad.returncode == 1 and "kode instansi" in bad.stderr + bad.stdout
    units = write_csv(tmp_path / "u.csv", "code,name,parent_code", "BGR-DISDIK,Dinas Pendidikan Bogor,")
    refused = netra("registry", "units", str(units), db=db_target)
    assert refused.returncode == 1 and "--instansi" in refused.stderr
    assert netra("registry", "units", str(units), "--instansi", "KAB-BOGOR", db=db_target).returncode == 0
    result = netra("users", "add", "admin.bogor", "--role", "admin", "--instansi", "KAB-BOGOR", "--password-stdin",
                   db=db_target, stdin="sandi-bogor-1\n")
    assert result.returncode == 0, result.stderr
    wrong = netra("users", "add", "atasan.jabar", "--role", "supervisor", "--unit", "BGR-DISDIK", "--instansi",
                  "BKD-JABAR", "--password-stdin", db=db_target, stdin="sandi-jabar-1\n")
    # --unit names a unit of the user's own instansi: Bogor's code is unknown in Jawa Barat.
    assert wrong.returncode == 1 and "'BGR-DISDIK' tidak ditemukan" in wrong.stderr
    # An admin of Bogor may not add an instansi beside or above it.
    denied = netra("instansi", "add", "KAB-X", "--name", "X", "--parent", "BKD-JABAR", "--as", "admin.bogor",
                   db=db_target)
    assert denied.returncode == 1 and "admin instansi induk" in denied.stderr
    listed = netra("instansi", "list", "--as", "admin.bogor", db=db_target)
    assert listed.returncode == 0 and "KAB-BOGOR" in listed.stdout and "1 instansi" in listed.stdout
    users = netra("users", "list", "--instansi", "KAB-BOGOR", db=db_target)
    assert "admin.bogor" in users.stdout and "KAB-BOGOR" in users.stdout


def test_migration_gives_existing_units_and_users_the_default_instansi(tmp_path):
    from monitor.store import connect

    path = tmp_path / "lama.db"
    with connect(path, migrate_to=18) as old:
        with old.write() as conn:
            conn.execute("INSERT INTO units (code, name, created_at, updated_at) "
                         "VALUES ('DISDIK', 'Dinas Pendidikan', '2024-01-01', '2024-01-01')")
            conn.execute("INSERT INTO users (username, password_hash, role, created_at, updated_at) "
                         "VALUES ('lama', 'x', 'analyst', '2024-01-01', '2024-01-01')")
    with connect(path) as new:
        default = instansi_rows.default_id(new)
        assert instansi_rows.list_all(new)[0]["code"] == "UTAMA"
        assert new.one("SELECT instansi_id FROM units WHERE code = 'DISDIK'")[0] == default
        assert new.one("SELECT instansi_id FROM users WHERE username = 'lama'")[0] == default


def test_an_admin_cannot_edit_the_other_instansis_employee(store, tenants):
    from monitor import web

    theirs = store.one("SELECT id, name FROM employees WHERE nip = ?", (tenants["b"]["nip"],))
    mine = store.one("SELECT id FROM employees WHERE nip = ?", (tenants["a"]["nip"],))
    edit = dict(position=None, rank=None, active=False)
    with pytest.raises(ValueError):
        web.update_employee(store, "admin_alfa", theirs["id"], name="Diubah", unit_id=tenants["b"]["disdik"], **edit)
    with pytest.raises(ValueError, match="di luar instansi"):
        web.update_employee(store, "admin_alfa", mine["id"], name="Pindah", unit_id=tenants["b"]["disdik"], **edit)
    assert tuple(store.one("SELECT name, active FROM employees WHERE id = ?", (theirs["id"],))) == (theirs["name"], 1)
    web.update_employee(store, "admin_alfa", mine["id"], name="Diubah Alfa", unit_id=tenants["a"]["disdik"], **edit)
    assert store.one("SELECT name FROM employees WHERE id = ?", (mine["id"],))[0] == "Diubah Alfa"
