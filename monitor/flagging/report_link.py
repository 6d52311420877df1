"""Linking a public report about an unregistered account to the employee who owns it.

A citizen's report often names an account the registry does not know yet (a Facebook or
TikTok profile nobody registered). Its flag then has no employee and no unit, so no
supervisor sees it and the card can say nothing about who posted. An analyst who has
established whose account it is links it here: the handle is recorded as that employee's
account (so later reports and collections link by themselves), the report's post (and any
earlier unlinked report naming the same account) is attached to it, and the flags move to
the employee's unit. One transaction, one audit entry with the before and after.
"""

from __future__ import annotations

from ..auth import User, current
from ..evidence import audit
from ..people.handles import PLATFORMS, normalize_handle
from ..store import Store
from ..store import people
from ..store import reports as report_rows
from ..store import review as review_rows
from . import review

#: Who may say whose account it is: the reviewers. A supervisor sees only their units, which an
#: unlinked report (no unit yet) is never in; an auditor only reads.
LINKERS = ("analyst", "admin")


def _allowed(store: Store, user: User) -> User:
    """The role check, then the database's word on the user (role, units, active)."""
    if user.role not in LINKERS:
        raise review.ReviewPermissionError("Peran Anda tidak boleh menghubungkan laporan ke pegawai.")
    return current(store, user)


def employee_choices(store: Store, user: User, text: str | None = None, *, limit: int = 50) -> list[dict]:
    """Active employees (with a unit) in the user's scope matching a name or NIP, for the picker.

    Each has ``label``: "Nama · NIP … · Unit", which is what the picker shows and searches.
    """
    user = _allowed(store, user)
    found = people.search_employees(store, text, unit_ids=review.scope_for(store, user), limit=limit)
    for row in found:
        number = f"NIP {row['nip']}" if row["nip"] else f"NIK {row['nik']}"
        row["label"] = f"{row['name']} · {number} · {row['unit']}"
    return found


def needs_link(card: dict) -> bool:
    """Whether a flag card is a still-undecided public report whose post has no account."""
    flag = card["flag"]
    return flag["category"] == "report" and not flag.get("account_id") and flag["status"] in report_rows.PENDING


def link_report(store: Store, user: User, flag_id: int, employee_id: int, *, handle: str | None = None,
                note: str | None = None) -> dict:
    """Link a report flag's post to ``employee_id``'s account; returns the flag as it is now.

    ``handle`` is the employee's account on the report's platform, needed only when the
    reported URL names none (a Facebook permalink); when the URL names one, that one is used
    and a different ``handle`` is refused. Raises ReviewPermissionError for a role that may not
    link, FlagNotFound for a flag outside the user's scope, ReviewError (Indonesian) otherwise.
    """
    user = _allowed(store, user)
    note = (note or "").strip() or None
    scope = review.scope_for(store, user)
    with store.write():
        if review_rows.get_flag(store, int(flag_id), scope) is None:
            raise review.FlagNotFound(f"Temuan #{flag_id} tidak ditemukan atau di luar cakupan Anda.")
        target = report_rows.link_target(store, int(flag_id))
        if target is None or target["category"] != "report" or target["kind"] != "report":
            raise review.ReviewError("Hanya laporan masyarakat yang dapat dihubungkan ke pegawai.")
        if target["status"] not in report_rows.PENDING:
            raise review.ReviewError(f"Temuan #{flag_id} sudah diputuskan; buka kembali dahulu untuk menghubungkannya.")
        if target["account_id"] is not None:
            raise review.ReviewError(f"Laporan #{flag_id} sudah terhubung ke akun terdaftar.")
        person = people.employee(store, int(employee_id))
        if person is None or not person["active"]:
            raise review.ReviewError("Pegawai tidak ditemukan atau tidak aktif.")
        if person["unit_id"] is None:
            raise review.ReviewError(f"{person['name']} belum memiliki unit kerja; lengkapi registri dahulu.")
        if scope is not None and person["unit_id"] not in scope:
            raise review.ReviewPermissionError(f"{person['name']} berada di luar cakupan unit Anda.")
        platform = target["platform"]
        account_handle = _handle(platform, target["handle"], handle)
        existing = people.account_by_handle(store, platform, account_handle)
        if existing and existing["employee_id"] not in (None, person["id"]):
            raise review.ReviewError(f"Akun {account_handle} di {PLATFORMS[platform]} sudah terdaftar atas pegawai "
                                     f"lain ({existing['employee']}); periksa registri.")
        account_id = people.register_account_for(store, person["id"], platform, account_handle)
        posts = [target["post_id"]] + [p for p in report_rows.unlinked_report_posts(store, platform, account_handle)
                                       if p != target["post_id"]]
        moved = report_rows.attach_report_posts(store, posts, account_id, person["unit_id"])
        audit.record(store, user.username, "report.link", f"flag:{int(flag_id)}", note=note,
                     platform=platform, handle=account_handle, account_created=existing is None,
                     before={"account_id": None, "employee_id": None, "unit_id": target["unit_id"],
                             "account_owner": existing["employee_id"] if existing else None},
                     after={"account_id": account_id, "employee_id": person["id"], "unit_id": person["unit_id"]},
                     employee={"id": person["id"], "nip": person["nip"], "name": person["name"]},
                     post_ids=posts, flags=[{"id": m["id"], "previous_unit_id": m["previous_unit_id"]} for m in moved])
        escalated = [f for m in moved if m["status"] == "escalated"
                     if (f := review_rows.get_flag(store, m["id"], None))]
        if escalated:  # waiting for a superior who, without a unit, was never told
            review._tell_superiors(store, user, escalated, note)
        return review_rows.get_flag(store, int(flag_id), None)


def _handle(platform: str, named: str | None, typed: str | None) -> str:
    """The account to record: the one the URL named, else the one the analyst typed (checked)."""
    typed = (typed or "").strip() or None
    if platform not in PLATFORMS:
        raise review.ReviewError("Tautan laporan bukan dari platform yang dikenal, jadi akunnya tidak dapat dicatat; "
                                 "daftarkan akun pegawai itu di Registri.")
    if typed is not None:
        try:
            typed = normalize_handle(platform, typed)
        except ValueError as exc:
            raise review.ReviewError(f"Nama akun tidak dapat dipakai: {exc}") from None
    if named and typed and typed != named:
        raise review.ReviewError(f"Tautan laporan menyebut akun {named}; akun lain tidak dapat dicatat untuknya.")
    chosen = named or typed
    if not chosen:
        raise review.ReviewError(f"Tautan laporan tidak memuat nama akun; isi nama akun pegawai di "
                                 f"{PLATFORMS[platform]}.")
    return chosen
