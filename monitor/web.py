"""What the dashboard pages need from the library, so pages never touch SQL.

The scope of a user is computed here once: admins, analysts and auditors see every unit;
a supervisor sees their units and every sub-unit below them, and nothing else.
"""

from __future__ import annotations

import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .auth import User
from .store import Store, connect
from .store import people



def local_time(value) -> str:
    """A stored UTC time as a person reads it: "02-12-2026 12:39 WIB" in the office's zone
    (setting ``office_tz``), "–" when empty; bare dates as "02-12-2026". Every page table uses
    this, so tables, the chronology and the PDFs say the same time (issue 14, item 7)."""
    from . import timefmt

    return timefmt.format_local(value, zone=_office_zone())


def _office_zone():
    """The office zone, read once per process (a changed ``office_tz`` applies on restart)."""
    global _ZONE
    if _ZONE is None:
        from . import config, timefmt

        _ZONE = timefmt.office_zone(config.load())
    return _ZONE


_ZONE = None

def open_dashboard_store() -> Store:
    """The database named by NETRA_DB (the CLI sets it), opened without creating anything."""
    return connect(os.environ.get("NETRA_DB", "netra.db"), create=False)


def scope_unit_ids(store: Store, user: User) -> set[int] | None:
    """None means every unit; a set (possibly empty) limits every query to those units (a
    supervisor's tree; with several instansi, the user's own instansi: monitor.people.instansi)."""
    from .people import instansi

    return instansi.unit_scope(store, user)


def get_store() -> Store:
    """This browser session's connection to the dashboard database, opened on first use.

    One connection per session, not per process: ``Store.write`` joins a transaction already
    open on its connection, so a connection shared between sessions would let one analyst's
    decision silently join (and commit or roll back with) another's.
    """
    import streamlit as st

    store = st.session_state.get("_netra_store")
    if store is None:
        store = open_dashboard_store()
        st.session_state["_netra_store"] = store
    return store


def require_role(*roles: str) -> User:
    """The logged-in user if their role is one of ``roles``; otherwise explain and stop the page.

    Pages call this first, so a URL typed by hand never shows a page the role may not use. The
    data itself is still filtered by scope in the library's queries.
    """
    import streamlit as st

    user = session_user()
    if user is None:
        st.error(st.session_state.pop("_netra_logout_reason", None) or "Silakan masuk terlebih dahulu.")
        st.stop()
    if roles and user.role not in roles:
        st.error("Peran Anda tidak memiliki akses ke halaman ini.")
        st.stop()
    return user


def session_user(*, now: float | None = None):
    """The logged-in user, re-read from the database on every page run; None when logged out.

    The session ends (the user is logged out, with the reason kept for the next message) when
    the account was deactivated or its role or units changed, or after ``session_idle_minutes``
    without a page run (issue 15, item 3).
    """
    import time

    import streamlit as st

    from . import auth, config

    user = st.session_state.get("user")
    if user is None:
        return None
    now = time.time() if now is None else now
    idle = float(config.load()["session_idle_minutes"]) * 60
    last = st.session_state.get("_netra_last_seen", now)
    try:
        if idle and now - last > idle:
            raise auth.SessionEnded("Sesi Anda berakhir karena tidak ada aktivitas. Silakan masuk kembali.")
        fresh = auth.current(get_store(), user)
    except auth.SessionEnded as exc:
        end_session(str(exc))
        return None
    st.session_state["user"] = fresh
    st.session_state["_netra_last_seen"] = now
    return fresh


def end_session(reason: str | None = None) -> None:
    """Forget everything this browser session held (the database connection too)."""
    import streamlit as st

    store = st.session_state.get("_netra_store")
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if store is not None:
        st.session_state["_netra_store"] = store
    if reason:
        st.session_state["_netra_logout_reason"] = reason


# --- which role sees which page ----------------------------------------------------------------

#: Role names as people read them (the role keys stay in storage and code). Local until the
#: glossary module lands (issue 14, h14lib), which should own it.
ROLE_LABELS = {"admin": "admin", "analyst": "analis", "supervisor": "atasan", "auditor": "auditor"}

PUBLIC = ()  # no login needed

#: Page file (under pages/) -> (title, url path, roles). dashboard.py builds the navigation from
#: this and each page checks the same roles with require_role, so the two never disagree.
#: URL paths differ from the file names on purpose: Streamlit's legacy pages/ mode (still used
#: for a server's first run and by AppTest) would otherwise run a page file directly by name.
PAGES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "beranda.py": ("Beranda", "utama", ("admin", "analyst", "supervisor", "auditor")),
    "antrian.py": ("Antrian tinjauan", "antrian-tinjauan", ("analyst", "admin")),
    "keputusan_saya.py": ("Keputusan saya", "keputusan-saya", ("analyst", "admin")),
    "ringkasan_unit.py": ("Ringkasan unit", "ringkasan-unit", ("supervisor", "analyst", "admin")),
    "kasus.py": ("Kasus", "daftar-kasus", ("analyst", "admin", "auditor")),
    "tindak_lanjut.py": ("Tindak lanjut", "tindak-lanjut", ("supervisor",)),
    "ekspor_bukti.py": ("Ekspor bukti", "ekspor-bukti", ("auditor", "analyst", "admin")),
    "pemilu.py": ("Pemilu", "registri-pemilu", ("admin", "analyst")),
    "model.py": ("Model", "model-klasifikasi", ("admin", "analyst")),
    "kesehatan_kolektor.py": ("Kesehatan kolektor", "kesehatan-kolektor", ("admin", "analyst", "supervisor")),
    "registri.py": ("Registri", "registri-pegawai", ("admin",)),
    "laporan_masyarakat.py": ("Laporan masyarakat", "laporan-masyarakat", PUBLIC),
    "tinjauan_foto.py": ("Tinjauan foto", "tinjauan-foto", ("analyst", "admin", "supervisor")),
    "tangkapan_peramban.py": ("Tangkapan peramban", "tangkapan-peramban", ("analyst", "admin")),
    # Issue 20: shown only to users of a provincial or national instansi (visible_pages).
    "rekap_instansi.py": ("Rekap nasional/provinsi", "rekap-instansi", ("admin", "analyst", "supervisor", "auditor")),
}
#: Pages shown only when the user's instansi has instansi under it.
OVERSIGHT_PAGES = ("rekap_instansi.py",)


def page_roles(page: str) -> tuple[str, ...]:
    return PAGES[page][2]


def visible_pages(store: Store | None, user: User | None) -> list[str]:
    """The pages in the user's menu: their role's, with the rollup only for oversight users."""
    names = pages_for(user.role if user else None)
    if user is not None and any(n in names for n in OVERSIGHT_PAGES):
        from .people import instansi

        if not instansi.is_oversight(store, user):
            names = [n for n in names if n not in OVERSIGHT_PAGES]
    return names


def pages_for(role: str | None) -> list[str]:
    """Page files a role may open, in menu order (public pages for everyone)."""
    return [name for name, (_title, _url, roles) in PAGES.items() if not roles or (role is not None and role in roles)]


# --- showing untrusted post text -------------------------------------------------------------

_ASCII_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def escape_markdown(text: str) -> str:
    """Post text as Markdown that can only ever render as that same text.

    Every ASCII punctuation character (the whole of Markdown's, HTML's, LaTeX's and Streamlit's
    directive syntax) becomes a numeric character reference, which Markdown decodes to a literal
    character and never to markup. Leading spaces would start a code block: they are encoded too.
    """
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        body = line.lstrip(" \t")
        indent = "&#32;" * (len(line) - len(body))
        lines.append(indent + "".join(f"&#{ord(ch)};" if ch in _ASCII_PUNCTUATION else ch for ch in body))
    return "  \n".join(lines)


def highlighted_markdown(text: str, spans: list[tuple[int, int]] | list[list[int]]) -> str:
    """Escaped post text with the given character spans wrapped in a highlight directive."""
    out, position = [], 0
    for start, end in spans:
        if start < position or end <= start or end > len(text):
            continue
        out.append(escape_markdown(text[position:start]))
        segment = escape_markdown(text[start:end].replace("\n", " ").replace("\r", " "))
        out.append(f":orange-background[{segment}]")
        position = end
    out.append(escape_markdown(text[position:]))
    return "".join(out)


def safe_url(url: str | None) -> str | None:
    """Only http(s) links are shown; anything else (javascript:, data:) is dropped."""
    if url and url.lower().startswith(("https://", "http://")):
        return url
    return None


# --- rate limiting the public form -----------------------------------------------------------

class RateLimiter:
    """At most ``limit`` events per ``window`` seconds per key, in this server process.

    The public report form has no login; this keeps one browser or address from flooding the
    review queue. Process memory is enough: a restart only forgets recent counts.
    """

    def __init__(self, limit: int, window: float) -> None:
        import threading

        self.limit, self.window = limit, window
        self._events: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def allow(self, *keys: str, now: float | None = None) -> bool:
        """Record one event under every key if none is over the limit; False otherwise."""
        import time

        now = time.monotonic() if now is None else now
        with self._lock:
            recent = {k: [t for t in self._events.get(k, []) if now - t < self.window] for k in keys}
            if any(len(v) >= self.limit for v in recent.values()):
                self._events.update(recent)
                return False
            for key, times in recent.items():
                self._events[key] = times + [now]
            return True


REPORT_LIMITER = RateLimiter(limit=3, window=3600)


def client_address(*, peer: str | None = None, headers=None, settings=None) -> str:
    """The real client address: the configured trusted proxy header's last hop when the direct
    peer is a trusted proxy, else the peer itself (issue 15, item 9).

    Behind a same-host reverse proxy every visitor's peer address is the proxy's, so the public
    form's rate limit would be one bucket for the whole public. Off by default: a header any
    client can send is only believed when it comes from a proxy listed in ``trusted_proxies``.
    """
    import ipaddress

    from . import config

    if peer is None or headers is None:
        import streamlit as st

        peer = st.context.ip_address if peer is None else peer
        headers = st.context.headers if headers is None else headers
    values = settings or config.load()
    header = str(values.get("trusted_proxy_header") or "").strip()
    peer = peer or "tanpa-alamat"
    if not header:
        return peer
    try:
        trusted = any(ipaddress.ip_address(peer) in ipaddress.ip_network(n, strict=False)
                      for n in config.networks(values.get("trusted_proxies", "")))
    except ValueError:
        trusted = False
    forwarded = headers.get(header) if trusted else None
    if not forwarded:
        return peer
    last = forwarded.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(last))
    except ValueError:
        return peer


def show_failure(what: str, exc: BaseException) -> str:
    """A friendly Bahasa message with a reference number; the details go to the server log only
    (a locked database must not show a traceback with server paths). Returns the reference."""
    import logging
    import uuid

    import streamlit as st

    reference = uuid.uuid4().hex[:8].upper()
    logging.getLogger("netra.web").error("%s gagal (ref %s)", what, reference, exc_info=exc)
    st.error(f"Maaf, {what} tidak dapat diproses saat ini. Silakan coba lagi beberapa saat lagi. "
             f"Nomor rujukan: {reference}.")
    return reference


# --- audited admin edits -------------------------------------------------------------------------

def update_employee(store: Store, actor: str, employee_id: int, **fields) -> None:
    """Edit or deactivate one employee; audited (the registry import is audited in monitor.people.registry)."""
    from .evidence import audit

    from .people import instansi
    from .store import users

    acting = users.get_user(store, actor)
    with store.write():
        scope = None
        if acting is not None:  # issue 20: an admin edits their own instansi's employees only
            from .auth import user_from_row

            scope = instansi.unit_scope(store, user_from_row(acting))
        people.update_employee(store, employee_id, scope=scope, **fields)
        audit.record(store, actor, "registry.employee", f"employee:{employee_id}", **fields)


def update_user(store: Store, actor: str, username: str, *, role: str, active: bool, unit_ids) -> None:
    from .evidence import audit
    from .store import users

    from .auth import check_user_placement, user_from_row

    with store.write():
        acting, target = users.get_user(store, actor), users.get_user(store, username)
        if acting is not None and target is not None:  # issue 20: own instansi's users and units only
            from .store import instansi as instansi_rows

            check_user_placement(store, user_from_row(acting), instansi_rows.user_instansi_id(store, target["id"]),
                                 unit_ids)
        users.update_user(store, username, role=role, active=active, unit_ids=list(unit_ids))
        audit.record(store, actor, "user.update", f"user:{username}", role=role, active=active,
                     unit_ids=list(unit_ids))


def save_election_section(store: Store, actor: str, section: str, records: list[dict],
                          *, before: list[dict] | None = None) -> dict:
    """Save one edited registry section: remove the rows that disappeared, upsert the rest.

    ``before`` is the section as the page showed it; keys in it and missing from ``records``
    were deleted in the editor, and without removing them a save would silently bring them
    back. Removal follows monitor.elections.remove_registry_rows (campaign accounts are
    deactivated, an election with children is refused). One transaction; audited.
    Returns ``saved`` (rows upserted), ``removed`` and ``deactivated`` (keys).
    """
    from .evidence import audit
    from .people import elections
    from .store import elections as election_rows

    gone = elections.removed_keys(section, before or [], records)
    data = {s: [] for s in elections.SECTIONS}
    data[section] = records
    clean = elections.validate(store, data)
    with store.write():
        removal = elections.remove_registry_rows(store, actor, section, gone) if gone else elections.Removal()
        counts = election_rows.upsert_registry(store, clean)
        audit.record(store, actor, "elections.edit", f"section:{section}", **counts,
                     removed=removal.removed, deactivated=removal.deactivated)
    return {"saved": counts[section], "removed": removal.removed, "deactivated": removal.deactivated}


# --- shared page pieces (Streamlit imported lazily: the library stays usable without it) ----

def flag_filters(store: Store, user: User, *, key: str, statuses: tuple[str, ...] = ("open",),
                 container=None):
    """Filter widgets (category, unit, platform, date, status, score, search) -> FlagQuery.

    The unit list offered is the user's scope; the library applies the scope again in SQL.
    """
    import streamlit as st

    from . import glossary
    from .flagging import review
    from .store import review as review_rows

    box = container or st.sidebar
    scope = scope_unit_ids(store, user)
    units = [u for u in people.list_units(store) if scope is None or u["id"] in scope]
    unit_names = {u["id"]: u["name"] for u in units}
    with box:
        st.markdown("**Filter temuan**")
        search = st.text_input("Cari teks, nama, akun atau NIP", key=f"{key}_search")
        # A short fixed list as pills: one tap each, and every word on them is ours (issue 14, item 6).
        categories = st.pills("Kategori (tanpa pilihan: semua)", review_rows.categories(store) or list(review.CATEGORY_LABELS),
                              selection_mode="multi", format_func=lambda c: review.CATEGORY_LABELS.get(c, c),
                              key=f"{key}_cat")
        chosen_units = choose_many("Unit kerja", list(unit_names), format_func=unit_names.get, key=f"{key}_unit",
                                   placeholder="Semua unit")
        platforms = choose_many("Platform", review_rows.platforms(store), key=f"{key}_platform",
                                format_func=lambda p: glossary.PLATFORMS.get(p, p), placeholder="Semua platform")
        # Status stays a list: as pills "Pelanggaran" would be a second button beside the decision's.
        chosen_statuses = choose_many("Status", list(review.STATUS_LABELS), default=list(statuses),
                                      format_func=review.STATUS_LABELS.get, key=f"{key}_status",
                                      placeholder="Semua status")
        score = st.slider("Rentang skor", 0.0, 1.0, (0.0, 1.0), step=0.05, key=f"{key}_score")
        dates = st.date_input("Rentang tanggal kiriman", value=(), key=f"{key}_dates")
    date_from = date_to = None
    if isinstance(dates, (list, tuple)) and dates:
        date_from = dates[0].isoformat()
        date_to = (dates[1] if len(dates) > 1 else dates[0]).isoformat()
    return review.FlagQuery(
        categories=tuple(categories), unit_ids=tuple(chosen_units), platforms=tuple(platforms),
        statuses=tuple(chosen_statuses), date_from=date_from, date_to=date_to,
        score_min=score[0] if score[0] > 0 else None, score_max=score[1] if score[1] < 1 else None,
        search=search.strip() or None,
    )


def render_post_text(text: str, spans) -> None:
    """Post text with trigger words highlighted; every character of the post is escaped."""
    import streamlit as st

    st.markdown(highlighted_markdown(text or "", list(spans or [])))


def render_flag_card(card: dict) -> None:
    """The reviewer's view of one flag. Post text only ever goes through escaping or st.text."""
    import streamlit as st

    from .flagging import review

    flag = card["flag"]
    category = review.CATEGORY_LABELS.get(flag["category"], flag["category"])
    st.subheader(f"Temuan #{flag['id']} — {category}")
    if flag.get("level"):
        st.caption(f"Tingkat: {review.LEVEL_LABELS.get(flag['level'], flag['level'])}")
    # One line, not four metrics: on a phone four metrics stack into a screen above the post.
    facts = [f"Status: {review.STATUS_LABELS.get(flag['status'], flag['status'])}"]
    if flag["category"] == "report":  # its stored score 1 means "a person asked", not a model's verdict
        facts.insert(0, "Sumber: laporan masyarakat (tanpa skor model)")
    else:
        facts.insert(0, f"Skor: {flag['score']:.2f}")
    facts += [f"Kode usulan: {flag['proposed_code'] or '–'}", f"Kode diputuskan: {flag['violation_code'] or '–'}"]
    st.markdown(" · ".join(f"**{fact}**" for fact in facts))
    who = [f"Pegawai: {flag['employee'] or '(tidak dikenal)'}"]
    if flag["nip"]:
        who.append(f"NIP {flag['nip']}")
    if flag["position"]:
        who.append(flag["position"])
    st.text(" · ".join(who))
    if flag["handle"]:
        account = f"@{flag['handle']}"
    elif card.get("report_handle"):  # named by the reported URL, not (yet) in the registry
        account = f"@{card['report_handle']} (belum terdaftar)"
    else:
        account = "(akun tidak terdaftar)"
    st.text(f"Unit: {flag['unit'] or '(tanpa unit)'} · Platform: {flag['platform'] or '–'} · "
            f"Akun: {account} · Waktu: {local_time(flag['activity_at'])}")
    url = safe_url(flag.get("url"))
    if url:
        st.link_button("Buka di platform", url)
    if flag.get("deleted_at"):
        st.warning(f"Kiriman ini sudah dihapus dari platform pada {flag['deleted_at']}; bukti tetap tersimpan.")
    interaction = card.get("interaction")
    if interaction:
        st.markdown("**Interaksi dengan akun kampanye**")
        left, right = st.columns(2)
        with left:
            st.caption("Akun ASN")
            st.text(f"{interaction['asn_platform']}: @{interaction['asn_handle']}\n"
                    f"Jenis: {interaction['kind']}\nTerlihat: {interaction['first_seen_at']}")
        with right:
            st.caption("Akun / kiriman kampanye")
            st.text(f"{interaction['campaign_platform']}: @{interaction['campaign_handle']}\n"
                    f"Pemilik: {interaction['owner']} ({interaction['owner_type']})\n"
                    f"Pemilu: {interaction['election'] or '—'}\n"
                    f"Kiriman: {interaction['target_post_id'] or '(mengikuti akun)'}")
            target = safe_url(interaction.get("target_url"))
            if target:
                st.link_button("Buka kiriman kampanye", target)
    if flag.get("post_id"):
        st.markdown("**Teks kiriman** (kata pemicu disorot)")
        with st.container(border=True):
            render_post_text(flag["text"] or "", card.get("highlights"))
        with st.expander("Teks asli tanpa format"):
            st.text(flag["text"] or "")
    if card.get("rule_hits"):
        st.markdown("**Aturan yang cocok**")
        # The rule's description, not its id (campaign_term): ids are for code, not for reviewers.
        st.dataframe([{"Aturan": h.get("description") or "aturan tanpa keterangan", "Kode": h.get("code"),
                       "Cocok": h.get("matched")} for h in card["rule_hits"]], hide_index=True, placeholder="–")
    if card.get("top_words"):
        st.caption("Kata pendorong skor model: " + ", ".join(card["top_words"]))
    if card.get("scores"):
        st.caption("Skor per kategori: " + ", ".join(f"{review.CATEGORY_LABELS.get(k, k)} {v:.2f}"
                                                     for k, v in card["scores"].items()))
    if card.get("claims"):
        st.markdown("**Klaim hoaks yang mirip**")
        st.dataframe([{"Judul": c.get("title"), "Putusan": c.get("verdict"), "Kemiripan": c.get("similarity"),
                       "Tautan": c.get("url")} for c in card["claims"]], hide_index=True, placeholder="–")
    if len(card.get("versions") or []) > 1:
        with st.expander(f"Versi lain ({len(card['versions'])} versi; kiriman diedit)"):
            for version in card["versions"]:
                st.caption(f"Versi {version['version']} · dikumpulkan {version['collected_at']}")
                st.text(version["text"])
    if card.get("earlier_flags"):
        with st.expander(f"Temuan lain dari akun yang sama ({len(card['earlier_flags'])})"):
            st.dataframe([{"ID": f["id"], "Kategori": review.CATEGORY_LABELS.get(f["category"], f["category"]),
                           "Status": review.STATUS_LABELS.get(f["status"]),
                           "Kode": f["violation_code"], "Waktu": local_time(f["activity_at"]), "Teks": f["text"]}
                          for f in card["earlier_flags"]], hide_index=True, placeholder="–")
    render_pictures(card.get("pictures") or [], card.get("groups") or [], card.get("explanation") or {})
    if card.get("reviews"):
        with st.expander(f"Riwayat keputusan ({len(card['reviews'])})"):
            st.dataframe([{"Waktu": local_time(r["created_at"]), "Peninjau": r["username"], "Keputusan": {**review.DECISIONS, "reopen": "Dibuka kembali"}.get(r["decision"], r["decision"]),
                           "Kode": r["violation_code"], "Catatan": r["note"]} for r in card["reviews"]],
                         hide_index=True, placeholder="–")


def render_pictures(pictures: list[dict], groups: list[dict], explanation: dict | None = None) -> None:
    """A post's stored pictures with their SHA-256, OCR text and near-copy group (issue 17).

    The image is shown from the content-addressed store (bytes checked against the hash); OCR
    text is untrusted like post text and only goes through st.text.
    """
    import streamlit as st

    from classifiers.pictures import picture_note

    from .evidence import media as mediastore

    stored = [p for p in pictures if p.get("sha256") and (p.get("content_type") or "").startswith("image/")]
    if not stored and not groups:
        return
    st.markdown("**Gambar**")
    note = picture_note(explanation or {})
    if note:
        st.caption(note)
    folder = mediastore.media_dir(get_store())
    for picture in stored:
        with st.container(border=True):
            data = mediastore.read(folder, picture["sha256"])
            if data is None:
                st.warning("Berkas gambar tidak ada atau tidak cocok dengan hash-nya.")
            else:
                st.image(data, width=320)
            st.text(f"SHA-256: {picture['sha256']}\nJenis: {picture['kind']} · {picture['content_type']}")
            if picture.get("ocr_error"):
                st.caption(f"Teks gambar tidak terbaca: {picture['ocr_error']}")
            elif picture.get("ocr_text") is not None:
                st.caption("Teks dalam gambar (OCR)")
                st.text(picture["ocr_text"] or "(tidak ada teks)")
            else:
                st.caption("Teks gambar belum dibaca (`netra media ocr`).")
    for group in groups:
        kind = "gambar yang sama" if group["kind"] == "image" else "pesan yang sama"
        split = " · dipisahkan dari grup" if group.get("split_at") else ""
        st.caption(f"Grup #{group['group_id']} ({kind}): {group['members']} kiriman · status {group['status']}{split}")


def queue_table(rows: list[dict]) -> list[dict]:
    """Queue rows as plain data cells for st.dataframe (post text stays a data value)."""
    from .flagging import review

    # The text comes right after the id: on a narrow screen the first columns are what is seen.
    return [{"ID": r["id"], "Teks": r["text"], "Prioritas": r["priority"],
             "Kategori": review.CATEGORY_LABELS.get(r["category"], r["category"]),
             # A public report has no model score (its stored 1 only means "a person asked").
             "Skor": None if r["category"] == "report" else round(r["score"], 3), "Status": review.STATUS_LABELS.get(r["status"], r["status"]),
             "Pegawai": r["employee"], "Unit": r["unit"], "Platform": r["platform"], "Waktu": local_time(r["activity_at"])}
            for r in rows]


# --- widgets whose every word is the app's (issue 14, item 6) ------------------------------------

#: The largest upload any page accepts, in MB (MiB, as Streamlit counts them). .streamlit/config.toml's
#: server.maxUploadSize is the same number (a test holds them together), so what the uploader says
#: is what the server enforces.
UPLOAD_LIMIT_MB = 5

_CSS_KEY = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_CSS_TYPE = re.compile(r"^[a-z0-9]{1,10}$")

#: Streamlit's words that no widget parameter sets, in Bahasa Indonesia, on every page: a dropdown
#: whose typed search matches nothing ("No results"), and a file the browser refused (too big or
#: of a type not allowed: "File must be 5.0MB or smaller." on the file chip and in its tooltip).
#: Text hidden with ``visibility`` (and zero size) is neither seen nor part of the page's text;
#: the pseudo-element's own ``visibility: visible`` shows the replacement. A fixed block: no value
#: from a user or the database.
WIDGET_TEXT_CSS = """<style>
[data-testid="stMultiSelectDropdown"] [role="listbox"][data-empty="true"] [role="option"] > span,
[data-testid="stSelectboxVirtualDropdown"] [role="listbox"][data-empty="true"] [role="option"] > span {display: none;}
[data-testid="stMultiSelectDropdown"] [role="listbox"][data-empty="true"]::after,
[data-testid="stSelectboxVirtualDropdown"] [role="listbox"][data-empty="true"]::after {
  content: "Tidak ada hasil"; display: block; padding: 0.5rem 1rem; opacity: 0.7;}
[data-testid="stTooltipErrorContent"], [data-testid="stFileChip"] [role="alert"] {visibility: hidden; font-size: 0;}
[data-testid="stTooltipErrorContent"]::after, [data-testid="stFileChip"] [role="alert"]::after {
  visibility: visible; font-size: 0.875rem;
  content: "Berkas ditolak: lebih besar dari batas atau jenisnya tidak diizinkan.";}
[data-testid="stTooltipErrorContent"]::after {
  display: block; padding: 0.5rem 0.75rem; border-radius: 0.5rem; background: #fdecec; color: #7d1a1a;
  box-shadow: 0 1px 4px rgba(0, 0, 0, 0.25);}
</style>"""


def choose_many(label: str, options, *, placeholder: str, **kwargs) -> list:
    """st.multiselect without Streamlit's English: no "Select all" entry (``select_all=False``)
    and never its "Choose options" (a placeholder is required)."""
    import streamlit as st

    if not placeholder:
        raise ValueError("choose_many needs a placeholder")
    return st.multiselect(label, options, placeholder=placeholder, select_all=False, **kwargs)


def uploader_css(key: str, types: tuple[str, ...] | list[str], limit_mb: int = UPLOAD_LIMIT_MB) -> str:
    """The style block that puts the uploader's own words in Bahasa Indonesia.

    Streamlit's dropzone text ("Upload", "5MB per file • PNG", "Drag and drop a file here") has
    no API; these rules hide those spans and show the Indonesian words as pseudo-element content,
    for the one uploader whose element carries ``st-key-<key>``. Built from code constants only
    (checked: a key, file extensions, an integer), never from anything a user typed.
    """
    if not _CSS_KEY.match(key) or not all(_CSS_TYPE.match(t) for t in types) or int(limit_mb) < 1:
        raise ValueError("uploader_css takes a plain key, plain extensions and a positive limit")
    kinds = ", ".join(t.upper() for t in types)
    rule = f'.st-key-{key} [data-testid="stFileUploaderDropzone"]'
    return (
        "<style>\n"
        f'{rule} > div:not([data-testid]):has(> span) > span,\n'
        f'{rule} button [data-testid="stMarkdownContainer"] > *,\n'
        f'{rule} [data-testid="stFileUploaderDropzoneInstructions"] span {{display: none;}}\n'
        f'{rule} > div:not([data-testid]):has(> span)::after {{content: "Seret dan lepas berkas di sini";}}\n'
        f'{rule} button [data-testid="stMarkdownContainer"]::after {{content: "Pilih berkas";}}\n'
        f'{rule} [data-testid="stFileUploaderDropzoneInstructions"] > div::after '
        f'{{content: "Maks. {int(limit_mb)} MB per berkas \\2022  {kinds}"; font-size: 0.875rem; opacity: 0.7;}}\n'
        "</style>")


def file_upload(label: str, types: tuple[str, ...] | list[str], *, key: str, limit_mb: int = UPLOAD_LIMIT_MB):
    """st.file_uploader speaking Bahasa Indonesia, limited to ``limit_mb`` in the browser too.

    Pages check the size again on the server with :func:`upload_refusal` before using a file:
    the browser's limit is only a courtesy to the visitor.
    """
    import streamlit as st

    st.html(uploader_css(key, types, limit_mb))
    return st.file_uploader(label, type=list(types), key=key, max_upload_size=int(limit_mb))


def upload_refusal(upload, limit_mb: int = UPLOAD_LIMIT_MB) -> str | None:
    """Why an upload cannot be used (too big, what the uploader promised), or None."""
    if upload is not None and upload.size > int(limit_mb) * 1024 * 1024:
        return f"Berkas {Path(upload.name).name} terlalu besar: maks. {int(limit_mb)} MB per berkas."
    return None


@contextmanager
def uploaded_file(upload) -> Iterator[Path]:
    """An uploaded file saved under its own name in a temporary folder, for importers that read paths.

    The name is kept because importers pick the format by extension; only its last part is used,
    so a crafted name cannot leave the folder.
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        yield path



def weekly_frame(rows: list, labels: dict[str, str]):
    """Weekly counts (rows of week-Monday, category, n) as a frame with one row per week from the
    first to the last, empty weeks as 0, categories under their Indonesian labels.

    A chart of only the weeks that have flags puts 2019 right beside 2024; a continuous range keeps
    the time axis honest.
    """
    import pandas as pd

    weekly = pd.DataFrame(rows, columns=["week", "category", "n"])
    if weekly.empty:
        return weekly
    weekly["week"] = pd.to_datetime(weekly["week"])
    weekly["category"] = weekly["category"].map(lambda c: labels.get(c, c))
    table = weekly.pivot_table(index="week", columns="category", values="n", aggfunc="sum", fill_value=0)
    weeks = pd.date_range(table.index.min(), table.index.max(), freq="W-MON", name="Minggu")
    return table.reindex(weeks, fill_value=0)
