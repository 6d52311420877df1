"""Near-copy groups as one review item: decide once, every member gets its own decision.

A group ("poster yang sama: 14 pegawai, 6 unit") is decided by one reviewer action. Each member
post in the reviewer's scope still gets its own ``picture`` flag (opened if needed), its own
review row and its own audit entry, so a member's file reads like any other decision. A member
can be split off first and decided alone. Confirming a picture group makes it a known campaign
image: later copies are flagged on sight (``monitor.flagging.pictures``).
"""

from __future__ import annotations

import uuid

from ..auth import User
from ..evidence import audit
from ..store import Store
from ..store import pictures as rows
from ..store import review as review_rows
from . import review

GROUP_STATUS = {"violation": "confirmed", "not_violation": "dismissed"}
KIND_LABELS = {"image": "gambar yang sama", "text": "pesan yang sama"}


def label(group: dict) -> str:
    """"poster yang sama: 14 pegawai, 6 unit" for a listed group."""
    noun = "poster yang sama" if group["kind"] == "image" else "pesan yang sama"
    return f"{noun}: {group['employees']} pegawai, {group['units']} unit ({group['members']} kiriman)"


def queue(store: Store, user: User, *, statuses: tuple[str, ...] = ("open",), kinds: tuple[str, ...] = ("image", "text"),
          limit: int = 50) -> list[dict]:
    """Groups of at least two copies the user may see, most employees first, with their label."""
    review._require(store, user, review.READERS)
    found = rows.list_groups(store, review.scope_for(store, user), statuses=statuses, kinds=kinds, limit=limit)
    return [{**g, "label": label(g)} for g in found]


def members(store: Store, user: User, group_id: int) -> list[dict]:
    review._require(store, user, review.READERS)
    return rows.group_members(store, group_id, review.scope_for(store, user))


def _group(store: Store, user: User, group_id: int) -> tuple[dict, set[int] | None]:
    scope = review.scope_for(store, user)
    group = rows.get_group(store, int(group_id))
    if group is None or not rows.group_members(store, int(group_id), scope):
        raise review.FlagNotFound(f"Grup #{group_id} tidak ditemukan atau di luar cakupan Anda.")
    return group, scope


def decide(store: Store, user: User, group_id: int, decision: str, *, violation_code: str | None = None,
           note: str | None = None) -> dict:
    """One decision for every (not split-off) member in the user's scope; returns counts."""
    review._require(store, user, review.DECIDERS)
    if decision not in GROUP_STATUS:
        raise review.ReviewError("Keputusan grup: pelanggaran atau bukan pelanggaran.")
    code = review._check_code(decision, violation_code)
    note = (note or "").strip() or None
    with store.write() as conn:
        group, scope = _group(store, user, group_id)
        targets = [m for m in rows.group_members(store, group["id"], scope, include_split=False)]
        batch = uuid.uuid4().hex
        flag_ids = []
        for member in targets:
            flag_id, _ = rows.ensure_picture_flag(
                conn, member["post_id"], score=1.0, proposed_code=code or "N8",
                explanation={"reason": f"anggota grup #{group['id']} ({KIND_LABELS[group['kind']]})",
                             "group_id": group["id"], "distance": member["distance"]})
            flag_ids.append(flag_id)
        result = review_rows.apply_decision(store, flag_ids, reviewer_id=user.id, decision=decision,
                                            from_statuses=("open", "escalated"), violation_code=code, note=note,
                                            batch=batch)
        for flag_id in result.applied:
            audit.record(store, user.username, "review.decide", f"flag:{flag_id}", decision=decision,
                         violation_code=code, note=note, group_id=group["id"], batch=batch)
        rows.set_group_decision(conn, group["id"], status=GROUP_STATUS[decision], violation_code=code,
                                decided_by=user.id, note=note)
        audit.record(store, user.username, "group.decide", f"group:{group['id']}", decision=decision,
                     violation_code=code, note=note, kind=group["kind"], flag_ids=result.applied,
                     skipped=result.skipped, batch=batch)
        review._tell_cases(store, user, result.applied, decision, note, None)
    return {"applied": len(result.applied), "skipped": len(result.skipped), "flag_ids": result.applied}


def split(store: Store, user: User, group_id: int, post_id: int, *, reason: str) -> int:
    """Take one member out of the group so it is decided alone; returns its picture flag id."""
    review._require(store, user, review.DECIDERS)
    reason = (reason or "").strip()
    if not reason:
        raise review.ReviewError("Alasan memisahkan anggota grup wajib diisi.")
    with store.write() as conn:
        group, scope = _group(store, user, group_id)
        if not any(m["post_id"] == int(post_id) for m in rows.group_members(store, group["id"], scope,
                                                                             include_split=False)):
            raise review.FlagNotFound(f"Kiriman #{post_id} bukan anggota grup #{group_id} dalam cakupan Anda.")
        rows.split_member(conn, group["id"], int(post_id))
        flag_id, _ = rows.ensure_picture_flag(
            conn, int(post_id), score=1.0, proposed_code="N8",
            explanation={"reason": f"dipisahkan dari grup #{group['id']}: {reason}", "group_id": group["id"]})
        audit.record(store, user.username, "group.split", f"group:{group['id']}", post_id=int(post_id),
                     flag_id=flag_id, reason=reason)
    return flag_id


# --- photo review queue ("Tinjauan foto") ------------------------------------------------------

#: What a reviewer may record seeing in a photo: gestures and attributes, never who a face is.
PHOTO_CODES = ("N5", "N6", "N7", "N8", "N9")
REASON_LABELS = {
    "campaign_copy": "salinan gambar kampanye yang dikonfirmasi",
    "election_words": "teks gambar/keterangan bernuansa pemilu",
    "history": "masa pemilu, akun dengan temuan terkonfirmasi sebelumnya",
    "campaign_interaction": "akun berinteraksi dengan akun kampanye",
}


def photo_queue(store: Store, user: User, *, limit: int = 100, include_decided: bool = False) -> list[dict]:
    """Posts with pictures a person should look at, with the reasons (see store.pictures)."""
    review._require(store, user, review.READERS)
    found = rows.photo_candidates(store, review.scope_for(store, user),
                                  election_windows=rows.election_windows(store), limit=limit)
    if not include_decided:
        found = [f for f in found if f["picture_status"] in (None, "open", "escalated")]
    return [{**f, "reason_labels": [REASON_LABELS[r] for r in f["reasons"]]} for f in found]


def record_photo(store: Store, user: User, post_id: int, decision: str, *, seen: list[str] = (),
                 note: str | None = None) -> dict:
    """A reviewer's reading of a photo: the gesture/attribute codes seen and a decision, recorded
    on the post's ``picture`` flag (opened if needed) through the normal, audited review path."""
    review._require(store, user, review.DECIDERS)
    seen = [c for c in dict.fromkeys(seen)]
    unknown = [c for c in seen if c not in PHOTO_CODES]
    if unknown:
        raise review.ReviewError(f"Kode foto tidak dikenal: {', '.join(unknown)} (pilih {', '.join(PHOTO_CODES)}).")
    if decision == "violation" and not seen:
        raise review.ReviewError("Pilih apa yang terlihat di foto (kode N5–N9) untuk keputusan pelanggaran.")
    if not rows.post_in_scope(store, int(post_id), review.scope_for(store, user)):
        raise review.FlagNotFound(f"Kiriman #{post_id} tidak ditemukan atau di luar cakupan Anda.")
    with store.write() as conn:
        flag_id, _ = rows.ensure_picture_flag(conn, int(post_id), score=1.0, proposed_code=seen[0] if seen else "N8",
                                              explanation={"reason": "ditinjau di halaman Tinjauan foto"})
    text = "; ".join(filter(None, [f"Terlihat: {', '.join(seen)}" if seen else None, (note or "").strip() or None]))
    return review.decide(store, user, flag_id, decision, violation_code=seen[0] if seen else None, note=text or None)
