"""Test data for the evidence, capture and retention tests, built through the store API."""

from __future__ import annotations

from monitor import auth
from monitor.flagging import review
from monitor.store import PostRecord, people
from monitor.store.flags import ScoredPost, save_classifications
from monitor.store.posts import mark_deleted, upsert_posts

ANI = "198503122010012003"   # SD Negeri 1, under Dinas Pendidikan
BUDI = "199001012015031001"  # Dinas Kesehatan
MODEL = "2024.10-test"


def build(store) -> dict:
    """Two employees in two unit trees, flagged and unflagged posts, an edit, a deletion, reviews."""
    people.upsert_units(store, [
        people.UnitRow("DISDIK", "Dinas Pendidikan"),
        people.UnitRow("SDN1", "SD Negeri 1", "DISDIK"),
        people.UnitRow("DINKES", "Dinas Kesehatan"),
    ])
    people.apply_employee_import(store, [
        people.EmployeeRow("Ani Rahayu", "PNS", "SD Negeri 1", nip=ANI, position="Guru", rank="III/b",
                           accounts=(("x", "ani_guru"),)),
        people.EmployeeRow("Budi Santoso", "PPPK", "Dinas Kesehatan", nip=BUDI, accounts=(("x", "budi"),)),
    ], deactivate_missing=False)
    accounts = people.account_ids_by_handle(store)
    texts = {
        "a1": ("Ayo coblos nomor 2! Pilih Pak Bambang 😀 #MenangBersama", "x", "ani_guru", "2024-10-01T08:00:00Z"),
        "a2": ("Rapat guru hari ini membahas kurikulum.", "x", "ani_guru", "2024-10-02T08:00:00Z"),
        "a3": ("=HYPERLINK(\"http://jahat\") Dukung paslon 1 saudara-saudara", "x", "ani_guru", "2024-10-20T08:00:00Z"),
        "b1": ("Dasar kafir semua pendukung calon itu", "x", "budi", "2024-10-05T08:00:00Z"),
        "b2": ("Vaksinasi gratis di puskesmas minggu depan.", "x", "budi", "2024-10-06T08:00:00Z"),
    }
    records = [PostRecord(platform=p, post_id=k, text=t, raw={"id": k, "text": t, "likes": 3},
                          url=f"https://x.com/{h}/status/{k}", created_at=c, account_handle=h,
                          media=[f"https://pbs.example/{k}.jpg"] if k == "a1" else [])
               for k, (t, p, h, c) in texts.items()]
    upsert_posts(store, records, account_ids=accounts)
    ids = {r["post_id"]: r["id"] for r in store.query("SELECT id, post_id FROM posts")}
    # a1 is edited after collection: two versions.
    edited = PostRecord(platform="x", post_id="a1", text=texts["a1"][0] + " (diedit)",
                        raw={"id": "a1", "text": texts["a1"][0] + " (diedit)", "likes": 9},
                        url="https://x.com/ani_guru/status/a1", created_at=texts["a1"][3], account_handle="ani_guru")
    upsert_posts(store, [edited], account_ids=accounts)
    mark_deleted(store, "x", ["b1"])
    scored = [
        ScoredPost(ids["a1"], {"partisan": 0.91, "hate": 0.02}, ["partisan"], {"partisan": "N1"}, {}),
        ScoredPost(ids["a2"], {"partisan": 0.05, "hate": 0.01}, [], {}, {}),
        ScoredPost(ids["a3"], {"partisan": 0.71, "hate": 0.01}, ["partisan"], {"partisan": "N1"}, {}),
        ScoredPost(ids["b1"], {"partisan": 0.30, "hate": 0.88}, ["hate"], {"hate": "H2"}, {}),
        ScoredPost(ids["b2"], {"partisan": 0.01, "hate": 0.01}, [], {}, {}),
    ]
    save_classifications(store, MODEL, scored)
    flags = {r["post_id"]: r["id"] for r in store.query("SELECT id, post_id FROM flags")}
    auth.create_user(store, "analis", "rahasia-panjang", "analyst", full_name="Sri Analis")
    analyst = auth.login(store, "analis", "rahasia-panjang")
    review.decide(store, analyst, flags[ids["a1"]], "violation", violation_code="N1", note="jelas ajakan memilih")
    review.decide(store, analyst, flags[ids["b1"]], "not_violation", note="bukan ASN yang menulis")
    return {"posts": ids, "flags": {k: flags.get(v) for k, v in ids.items()}, "analyst": analyst}
