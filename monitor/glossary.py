"""Every stored key a person reads, in Bahasa Indonesia: one table, one wording (issue 14).

The database, the classifiers and the code speak in short English keys (``analyst``,
``partisan``, ``confirmed``, ``voting_day``); the CLI, the pages, the exports and the PDFs show
these labels instead. :func:`label` never hands a raw key back silently: an unknown key comes
back marked as untranslated in Indonesian, so a missing entry is visible but still readable.
Foundation stage: imports nothing from ``monitor`` above the config, so every stage may use it.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Mapping

from classifiers.labels import RULE_LABELS

ROLES = {"admin": "Admin", "analyst": "Analis", "supervisor": "Atasan", "auditor": "Auditor"}

#: What a flag is about (flags.category).
FLAG_LABELS = {
    "partisan": "Keberpihakan", "hate": "Ujaran kebencian", "abusive": "Bahasa kasar", "hoax": "Hoaks",
    "interaction": "Interaksi dengan akun kampanye", "report": "Laporan masyarakat", "picture": "Gambar",
}

#: Where a flag stands in review (flags.status).
FLAG_STATUSES = {"open": "Terbuka", "confirmed": "Pelanggaran", "dismissed": "Bukan pelanggaran",
                 "escalated": "Dieskalasi"}

DECISIONS = {"violation": "Pelanggaran", "not_violation": "Bukan pelanggaran", "escalate": "Eskalasi ke atasan"}

CASE_STATUSES = {
    "temuan": "Temuan", "verifikasi": "Verifikasi", "dilaporkan": "Dilaporkan",
    "rekomendasi": "Rekomendasi diterima", "sanksi": "Sanksi dijatuhkan", "ditutup": "Ditutup",
}

PLATFORMS = {"bluesky": "Bluesky", "mastodon": "Mastodon", "x": "X", "youtube": "YouTube",
             "telegram": "Telegram", "rss": "RSS/Atom", "file": "Berkas impor", "tiktok": "TikTok",
             "instagram": "Instagram", "facebook": "Facebook"}

INTERACTIONS = {"like": "menyukai", "repost": "membagikan ulang", "reply": "membalas", "quote": "mengutip",
                "follow": "mengikuti", "comment": "mengomentari"}

#: Column names of the Pemilu registry tables as the registry page and its files show them.
ELECTION_COLUMNS = {
    "key": "Kunci", "type": "Jenis", "name": "Nama", "region": "Wilayah", "year": "Tahun",
    "campaign_start": "Awal kampanye", "campaign_end": "Akhir kampanye", "quiet_start": "Awal masa tenang",
    "quiet_end": "Akhir masa tenang", "voting_day": "Hari pemungutan suara", "election": "Pemilu",
    "ballot_number": "Nomor urut", "running_mate": "Pasangan", "role": "Peran", "pair_name": "Nama pasangan",
    "nicknames": "Nama panggilan", "spouse": "Pasangan hidup", "status": "Status", "number": "Nomor",
    "abbreviation": "Singkatan", "platform": "Platform", "handle": "Akun", "platform_user_id": "ID pengguna platform",
    "owner_type": "Jenis pemilik", "owner": "Pemilik", "active": "Aktif", "text": "Teks", "kind": "Jenis",
    "elections": "Pemilu", "candidates": "Calon", "parties": "Partai", "campaign_accounts": "Akun kampanye",
    "hashtags": "Tagar", "slogans": "Slogan", "campaign_terms": "Tagar dan slogan", "count": "Jumlah",
    "section": "Bagian", "rows": "Baris",
}

#: Kinds of case history events (case_events.kind).
CASE_EVENTS = {
    "opened": "Kasus dibuka", "description": "Uraian diubah", "codes": "Kode pelanggaran diubah",
    "status": "Status diubah", "evidence_confirmed": "Bukti dikonfirmasi ulang",
    "evidence_changed": "Bukti berubah", "flag_removed": "Tanda dikeluarkan", "second_review": "Tinjauan kedua",
    "resolution": "Keputusan admin", "action": "Tindakan atasan",
}

#: Keys inside a case event's details, in the words of the case file.
EVENT_DETAILS = {
    "flags": "tanda", "codes": "kode", "flag_id": "tanda", "change": "perubahan", "note": "catatan",
    "decision": "keputusan", "agrees": "setuju", "outcome": "hasil", "action": "tindakan", "acted_on": "tanggal",
    "reported_to": "tujuan laporan", "external_ref": "nomor laporan", "reported_on": "tanggal laporan",
    "sanction_level": "tingkat sanksi", "sanction_on": "tanggal sanksi", "sanction_decree": "nomor SK",
    "recommendation_on": "tanggal rekomendasi", "recommendation_ref": "nomor rekomendasi",
    "reason": "alasan", "from_status": "dari", "to_status": "menjadi", "previous": "sebelumnya", "new": "baru",
    "report_due_on": "batas lapor", "action_due_on": "batas tindakan atasan", "found_at": "diketahui",
    "employee_id": "pegawai", "kind": "jenis", "case_status": "status kasus", "flag_status": "status tanda",
    "previous_status": "status sebelumnya", "new_chars": "panjang baru (huruf)",
    "previous_chars": "panjang sebelumnya (huruf)", "recommendation": "rekomendasi", "closed_at": "ditutup pada",
    "closed_reason": "alasan penutupan", "description": "uraian",
}

#: Values inside event details that are keys themselves.
EVENT_VALUES = {**DECISIONS, "reopen": "dibuka kembali", "proceed": "dilanjutkan", "close": "ditutup",
                "dipanggil": "dipanggil", "diperiksa": "diperiksa", "lainnya": "tindakan lain"}

#: Collector health states (monitor.collect.health), as the CLI and the page show them.
HEALTH_STATES = {"ok": "baik", "never_succeeded": "belum pernah berhasil", "no_items": "tidak ada kiriman 7 hari", "not_captured": "belum ditangkap",
                 "failing": "gagal pada percobaan terakhir", "suspended": "ditangguhkan platform",
                 "private": "akun privat", "not_found": "akun tidak ditemukan", "opted_out": "dikecualikan"}

RULES = RULE_LABELS

QUEUE = "Antrean"  # KBBI: "antrean", never "antrian"

TABLES: dict[str, Mapping[str, str]] = {
    "role": ROLES, "flag": FLAG_LABELS, "flag_status": FLAG_STATUSES, "decision": DECISIONS,
    "case_status": CASE_STATUSES, "platform": PLATFORMS, "interaction": INTERACTIONS,
    "election_column": ELECTION_COLUMNS, "case_event": CASE_EVENTS, "event_detail": EVENT_DETAILS,
    "health": HEALTH_STATES, "rule": RULES,
}

#: What each table names, for the fallback of an unknown key.
_NOUNS = {"role": "peran", "flag": "label", "flag_status": "status", "decision": "keputusan",
          "case_status": "status kasus", "platform": "platform", "interaction": "interaksi",
          "election_column": "kolom", "case_event": "peristiwa", "event_detail": "rincian",
          "health": "keadaan", "rule": "aturan"}

EMPTY = "–"


def label(kind: str, key: Any) -> str:
    """The Bahasa label of ``key`` in table ``kind``; never the bare key.

    ``None`` and "" read as "–". An unknown key reads "<noun> lain (key with spaces)" so the
    gap is visible and the sentence stays Indonesian.
    """
    if kind not in TABLES:
        raise ValueError(f"glosarium tidak punya tabel {kind!r}; pilih salah satu dari {', '.join(TABLES)}")
    if key is None or key == "":
        return EMPTY
    found = TABLES[kind].get(str(key))
    if found:
        return found
    return f"{_NOUNS[kind]} lain ({str(key).replace('_', ' ')})"


def columns(kind: str, names: list[str] | tuple[str, ...]) -> dict[str, str]:
    """{raw column: label} for renaming a table's columns (e.g. ``df.rename(columns=...)``)."""
    return {name: label(kind, name) for name in names}


def _value(key: str, value: Any, when: Callable[[str], str] | None = None) -> str:
    if when is not None and isinstance(value, str) and key.endswith("_at") and value:
        return when(value)
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, (list, tuple)):
        return ", ".join(_value(key, v, when) for v in value)
    if key in ("from_status", "to_status", "case_status", "previous_status"):
        return CASE_STATUSES.get(str(value)) or FLAG_STATUSES.get(str(value), str(value))
    if key == "flag_status":
        return FLAG_STATUSES.get(str(value), str(value))
    if key in ("flags", "flag_id"):
        return f"#{value}"
    return EVENT_VALUES.get(str(value), str(value))


def event_details(details: Mapping[str, Any], *, skip: tuple[str, ...] = ("previous", "new"),
                  when: Callable[[str], str] | None = None) -> str:
    """A case event's details as one line: ``agrees=False, codes=[]`` → "setuju: tidak; kode: –".

    ``when`` formats stored timestamps (keys ending in ``_at``), e.g. monitor.timefmt.format_local.
    """
    parts = [f"{EVENT_DETAILS.get(k, k.replace('_', ' '))}: {_value(k, v, when)}"
             for k, v in details.items() if k not in skip]
    return "; ".join(parts) if parts else EMPTY


def event_change(event: Mapping[str, Any]) -> str:
    """What a case history entry did: "Status diubah (Temuan → Verifikasi)"."""
    text = label("case_event", event.get("kind"))
    if event.get("to_status"):
        before = CASE_STATUSES.get(event.get("from_status") or "", "")
        text += f" ({before + ' → ' if before else ''}{label('case_status', event['to_status'])})"
    return text


def event_line(event: Mapping[str, Any]) -> str:
    """A whole case history entry (kind, status change, details) as a sentence-like line."""
    text = event_change(event)
    details = event_details(event.get("details") or {})
    return text if details == EMPTY else f"{text}: {details}"


def _internal_keys() -> frozenset[str]:
    """Keys that must never reach a screen: they differ from their label and read as code."""
    keys: set[str] = set()
    for kind, table in TABLES.items():
        if kind in ("platform", "case_status"):
            continue  # platform names and case statuses are already the words people use
        for key, text in table.items():
            if key.lower() != text.lower() and (re.search(r"[a-z]_[a-z]", key) or kind in ("role", "flag", "flag_status", "decision")):
                keys.add(key)
    keys -= {"admin", "auditor"}  # the same word in Bahasa
    return frozenset(keys | {"agrees=", "codes=[]", "emoji_"})


#: For tests of pages and exports: none of these may appear as a whole word in rendered text.
INTERNAL_KEYS = _internal_keys()


def find_internal_keys(text: str) -> list[str]:
    """The internal keys that occur in ``text`` as whole words (case-sensitive), sorted."""
    found = []
    for key in sorted(INTERNAL_KEYS):
        pattern = re.escape(key) if not key[-1].isalnum() else rf"(?<![\w-]){re.escape(key)}(?![\w-])"
        if re.search(pattern, text):
            found.append(key)
    return found
