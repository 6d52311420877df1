"""Every page, as every role, shows people words, not the code's keys (issue 14 item 6, page side).

Each page is rendered with AppTest on the demo database; everything a person reads is gathered
from the element tree (titles, text, labels, options, placeholders, help, table cells and column
names) and searched for known internal keys: role and label keys, Pemilu column names, Python's
"None", Streamlit's English placeholders. Table cells that are missing must show "–", not "None".
"""

from __future__ import annotations

import json
import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from monitor import auth, demo, web
from monitor.paths import STREAMLIT_CONFIG, streamlit_flags
from monitor.store import connect

pytestmark = pytest.mark.skipif(not (ROOT / "data" / "demo" / "posts.jsonl").exists(), reason="demo data not present")

#: Internal keys a person must never read (whole words, case-sensitive). "partisan" and "auditor"
#: are Indonesian words too, so they are not in the list.
LEAKS = ("analyst", "supervisor", "hate", "abusive", "hoax", "hate_speech", "confirmed", "dismissed", "escalated",
         "not_violation", "voting_day", "campaign_accounts", "campaign_term", "None", "Choose options",
         "Select all", "agrees=", "codes=[]", "second_review", "evidence_changed", "violation",
         "Drag and drop", "Upload", "Browse files", "200MB")
LEAK = re.compile("|".join(rf"(?<![\w-]){re.escape(word)}(?![\w-])" for word in LEAKS))
#: A stored UTC timestamp as storage writes it ("2026-12-02T05:39:36.517240Z"): people read the
#: office's local time instead (issue 14 item 7), e.g. "02-12-2026 12:39 WIB".
RAW_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?")
#: Proto fields that carry text shown to a person (ids, keys and form ids are not shown).
SHOWN_FIELDS = {"body", "label", "placeholder", "help", "options", "value", "default", "caption", "text"}


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("page-text") / "demo.db"
    with demo.build(path) as store:
        # The demo case gets its second review, so the case history shows one (agrees, codes).
        from monitor.cases import workflow as cases
        from monitor.store import cases as case_rows

        [case] = case_rows.list_cases(store)
        admin = cases.user_from_username(store, "admin")
        cases.submit_second_review(store, admin, case["id"], "violation", case["codes"])
    return path


def _strings(message, field: str = "") -> list[str]:
    """String values of the shown fields of a proto message, nested messages included."""
    found: list[str] = []
    for descriptor, value in message.ListFields():
        name = descriptor.name
        if descriptor.message_type is not None:
            for item in ([value] if hasattr(value, "ListFields") else value):
                found += _strings(item, name)
        elif name in SHOWN_FIELDS and descriptor.type == descriptor.TYPE_STRING:
            found += [value] if isinstance(value, str) else list(value)
    return found


def shown_text(at: AppTest) -> tuple[list[str], list[str]]:
    """(texts a person reads, tables with a missing cell and no placeholder), from the whole tree."""
    texts, bare_tables = [], []
    uploaders, styles = [], []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if node.type == "dataframe":
            frame = node.value
            # A column_config label is what the header shows in place of the column's name.
            configured = json.loads(proto.columns or "{}")
            texts.extend(configured.get(f"name:{c}", configured.get(str(c), {})).get("label") or str(c)
                         for c in frame.columns)
            texts.extend(str(i) for i in frame.index.names if i)
            texts.extend(str(v) for v in frame.astype(str).to_numpy().ravel() if v != "None")
            if frame.isna().to_numpy().any() and not proto.placeholder:
                bare_tables.append(", ".join(map(str, frame.columns)))
        elif node.type in ("selectbox", "multiselect", "radio"):
            texts.append(node.label)
            texts.extend(str(o) for o in node.options)
            texts.append(getattr(proto, "placeholder", ""))
            if node.type == "multiselect" and not proto.placeholder:
                texts.append("Choose options")  # what Streamlit shows without a placeholder
            if node.type == "multiselect" and proto.select_all != 0:
                texts.append("Select all")      # the dropdown's first entry unless select_all=False
        elif node.type == "file_uploader":
            texts.append(node.proto.label)
            uploaders.append(node)
        elif proto is not None and hasattr(proto, "ListFields"):
            texts.extend(_strings(proto))
            if node.type == "html":
                styles.append(proto.body)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    for node in uploaders:
        # Streamlit's own dropzone words show unless web.file_upload's style block covers this
        # uploader (by its key); a limit above the server's is Streamlit's "200MB per file".
        if not any(f".st-key-{node.key} " in style and "Pilih berkas" in style for style in styles):
            texts.append("Upload · Drag and drop a file here")
        if node.proto.max_upload_size_mb != web.UPLOAD_LIMIT_MB:
            texts.append(f"{node.proto.max_upload_size_mb}MB per file")
    return texts, bare_tables


ROLES = ("admin", "analyst", "supervisor", "auditor")


@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_an_internal_key(demo_path, monkeypatch, role):
    monkeypatch.setenv("NETRA_DB", str(demo_path))
    st.cache_resource.clear()
    user = next(u for u in demo.DEMO_USERS if u.role == role)
    with connect(demo_path) as store:
        logged_in = auth.login(store, user.username, user.password)
    problems = []
    with connect(demo_path) as store:
        names = web.visible_pages(store, logged_in)
    for name in names:
        if not (ROOT / "pages" / name).is_file():
            continue
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        at.session_state["user"] = logged_in
        at.run()
        at.switch_page(f"pages/{name}").run()
        assert not at.exception, (name, at.exception)
        texts, bare = shown_text(at)
        problems += [f"{name}: {m.group(0)!r} in {t[:90]!r}" for t in texts if t for m in [LEAK.search(t)] if m]
        problems += [f"{name}: raw UTC time {m.group(0)!r} in {t[:90]!r}" for t in texts if t
                     for m in [RAW_TIME.search(t)] if m]
        problems += [f"{name}: table without placeholder for missing cells ({cols})" for cols in bare]
    assert not problems, "\n".join(problems)


def test_the_leak_check_catches_what_it_looks_for():
    assert LEAK.search("Masuk sebagai analis (analyst)")
    assert LEAK.search("voting_day") and LEAK.search("Choose options") and LEAK.search("None")
    assert LEAK.search("Upload · Drag and drop a file here") and LEAK.search("200MB per file")
    assert not LEAK.search("Unggah berkas") and not LEAK.search("display: none")
    assert not LEAK.search("Partisan") and not LEAK.search("Nonaktif") and not LEAK.search("hari-None")
    assert RAW_TIME.search("2026-12-02T05:39:36.517240Z") and not RAW_TIME.search("02-12-2026 12:39 WIB")


def test_server_settings_reach_streamlit_from_any_folder():
    """The CLI passes .streamlit/config.toml as flags (Streamlit reads it only from the working folder)."""
    flags = streamlit_flags()
    pairs = dict(zip(flags[::2], flags[1::2]))
    assert pairs["--client.toolbarMode"] == "viewer"
    assert pairs["--client.disableDataExport"] == "true"
    assert pairs["--server.maxUploadSize"] == "5"
    # What every uploader shows ("Maks. 5 MB per berkas") is what the server enforces.
    assert int(pairs["--server.maxUploadSize"]) == web.UPLOAD_LIMIT_MB
    assert STREAMLIT_CONFIG.is_file()


def test_weekly_chart_keeps_empty_weeks_so_years_do_not_touch():
    """Issue 14 item 11: Ringkasan unit's week axis runs week by week, empty weeks as 0."""
    frame = web.weekly_frame([("2023-12-25", "partisan", 2), ("2024-01-15", "hoax", 1)], {"partisan": "Partisan",
                                                                                        "hoax": "Hoaks"})
    assert [d.date().isoformat() for d in frame.index] == ["2023-12-25", "2024-01-01", "2024-01-08", "2024-01-15"]
    assert list(frame.columns) == ["Hoaks", "Partisan"]
    assert frame.loc["2024-01-01"].sum() == 0 and frame.loc["2023-12-25", "Partisan"] == 2
