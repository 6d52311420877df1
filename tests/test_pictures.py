"""Pictures in the store: OCR once per hash, re-scoring with picture words, search, near-copy
groups decided as one item, campaign images flagged on sight (issue 17)."""

from __future__ import annotations

import io
import json
import random

import pytest
from PIL import Image

from monitor import auth
from monitor.evidence import capture
from monitor.evidence import media as mediastore
from monitor.flagging import groups, pictures
from monitor.flagging.review import ReviewPermissionError
from monitor.store import PostRecord, people
from monitor.store import pictures as picture_rows
from monitor.store.posts import list_posts, upsert_posts
from tests.images import banner, degrade, png_bytes, poster

POSTER = ["COBLOS NOMOR 2", "BUPATI AMANAH", "PASTI MENANG"]


def _employees(store, n: int) -> dict[str, int]:
    people.upsert_units(store, [people.UnitRow(f"U{i % 3}", f"Unit {i % 3}") for i in range(3)])
    people.apply_employee_import(store, [
        people.EmployeeRow(f"Pegawai {i}", "PNS", f"Unit {i % 3}", nip=f"1990010120150310{i:02d}",
                           accounts=(("x", f"asn{i}"),)) for i in range(n)], deactivate_missing=False)
    return people.account_ids_by_handle(store)


def _posts(store, accounts, texts: dict[str, tuple[str, str]]) -> dict[str, int]:
    records = [PostRecord(platform="x", post_id=key, text=text, raw={"id": key}, url=f"https://x.com/{handle}/status/{key}",
                          created_at="2024-11-01T08:00:00Z", account_handle=handle)
               for key, (handle, text) in texts.items()]
    upsert_posts(store, records, account_ids=accounts)
    return {r["post_id"]: r["id"] for r in store.query("SELECT id, post_id FROM posts")}


def _attach(store, folder, post_id: int, data: bytes) -> str:
    digest = mediastore.put(folder, data)
    from monitor.store import evidence as evidence_rows

    evidence_rows.insert_media(store, post_id=post_id, kind="media", source_url=f"https://pbs.example/{post_id}.jpg",
                               sha256=digest, content_type=mediastore.sniff(data), size=len(data))
    return digest


def _resized_jpeg(data: bytes, scale: float) -> bytes:
    image = Image.open(io.BytesIO(data)).convert("RGB")
    image = image.resize((int(image.width * scale), int(image.height * scale)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=60)
    return buffer.getvalue()


@pytest.fixture
def model():
    from classifiers.pipeline import load_default

    return load_default()


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "media"


def test_pictures_are_read_once_per_hash_scored_and_searchable(store, folder, model):
    accounts = _employees(store, 3)
    ids = _posts(store, accounts, {"p0": ("asn0", "Selamat pagi semua"), "p1": ("asn1", "Mantap"),
                                   "p2": ("asn2", "Jadwal kegiatan kantor")})
    poster_png = png_bytes(poster(POSTER))
    for key in ("p0", "p1"):  # the same file twice: read once
        _attach(store, folder, ids[key], poster_png)
    _attach(store, folder, ids["p2"], png_bytes(poster(["X"]))[:400])  # truncated
    from monitor.flagging.classify import classify_pending

    classify_pending(store, model, "v-test")
    assert store.one("SELECT COUNT(*) FROM flags WHERE category = 'partisan'")[0] == 0  # the words alone say nothing

    report = pictures.process(store, model=model, model_version="v-test", media_dir=folder)
    assert report.read == 1 and len(report.failed) == 1 and "terpotong" in report.failed[0]["reason"]
    assert store.one("SELECT COUNT(*) FROM image_texts")[0] == 2
    flags = {r["post_id"]: r for r in store.query("SELECT * FROM flags WHERE category = 'partisan'")}
    assert set(flags) == {ids["p0"], ids["p1"]}
    explanation = json.loads(store.one("SELECT explanation_json FROM classifications WHERE post_id = ? AND "
                                       "model_version = 'v-test'", (ids["p0"],))[0])["partisan"]
    assert explanation["picture"]["words"]
    from classifiers.pictures import picture_note

    assert picture_note(explanation).startswith("dari gambar: ")
    rows = picture_rows.media_texts_for(store, [ids["p0"]])
    assert "COBLOS NOMOR 2" in rows[0]["ocr_text"].upper() and rows[0]["phash"]
    # Searchable: the post list finds the post by its picture's words.
    found = {r["id"] for r in list_posts(store, search="coblos amanah")}
    assert found == {ids["p0"], ids["p1"]}
    # Nothing new: a second run reads nothing.
    assert pictures.process(store, model=model, model_version="v-test", media_dir=folder).read == 0


def _analyst(store):
    auth.create_user(store, "analis", "rahasia-panjang", "analyst", full_name="Sri Analis")
    return auth.login(store, "analis", "rahasia-panjang")


class _NoOcr:
    """Grouping tests do not need the words: an engine that reads nothing keeps them fast."""
    name = "none"

    def read(self, image):
        from classifiers.ocr import OcrResult

        return OcrResult("", (), None, self.name, image.width, image.height)


def test_copies_of_a_poster_form_one_group_decided_once(store, folder):
    accounts = _employees(store, 6)
    ids = _posts(store, accounts, {f"c{i}": (f"asn{i}", f"Kiriman {i}") for i in range(6)})
    original = png_bytes(poster(POSTER))
    rng = random.Random(5)
    copies = [original, _resized_jpeg(original, 0.7), degrade(poster(POSTER), "jpeg", rng),
              degrade(poster(POSTER), "blurred", rng)]
    for i, data in enumerate(copies):
        _attach(store, folder, ids[f"c{i}"], data)
    _attach(store, folder, ids["c4"], png_bytes(banner("JADWAL POSYANDU BULAN INI")))  # another picture
    pictures.process(store, engine=_NoOcr(), media_dir=folder)

    analyst = _analyst(store)
    queue = groups.queue(store, analyst, kinds=("image",))
    assert len(queue) == 1 and queue[0]["members"] == 4
    assert queue[0]["label"].startswith("poster yang sama: 4 pegawai, 3 unit")
    group_id = queue[0]["id"]

    # Split one member off, then decide the rest at once.
    split_flag = groups.split(store, analyst, group_id, ids["c3"], reason="foto berbeda konteks")
    result = groups.decide(store, analyst, group_id, "violation", violation_code="N8", note="poster paslon")
    assert result["applied"] == 3
    reviews = store.query("""SELECT f.post_id, r.decision, r.batch FROM reviews r JOIN flags f ON f.id = r.flag_id""")
    assert {r["post_id"] for r in reviews} == {ids["c0"], ids["c1"], ids["c2"]}
    assert len({r["batch"] for r in reviews}) == 1
    audited = store.query("SELECT action, target FROM audit_log WHERE action IN ('review.decide', 'group.decide', 'group.split')")
    assert sum(a["action"] == "review.decide" for a in audited) == 3
    assert {a["action"] for a in audited} == {"review.decide", "group.decide", "group.split"}
    assert store.one("SELECT status FROM flags WHERE id = ?", (split_flag,))[0] == "open"
    assert groups.queue(store, analyst) == []  # decided: out of the open queue

    # A later copy of the confirmed campaign image is flagged on sight, with the group as the reason.
    late = _posts(store, accounts, {"late": ("asn5", "Pagi")})["late"]
    _attach(store, folder, late, _resized_jpeg(original, 0.5))
    report = pictures.process(store, engine=_NoOcr(), media_dir=folder)
    assert report.flagged_on_sight == 1
    flag = store.one("SELECT * FROM flags WHERE post_id = ? AND category = 'picture'", (late,))
    assert flag["status"] == "open" and flag["proposed_code"] == "N8"
    explanation = json.loads(store.one("SELECT explanation_json FROM classifications WHERE post_id = ?", (late,))[0])
    assert explanation["picture"]["group_id"] == group_id
    assert picture_rows.groups_of_posts(store, [late])[0]["group_id"] == group_id


def test_supervisor_sees_and_decides_only_members_in_scope(store, folder):
    accounts = _employees(store, 3)
    ids = _posts(store, accounts, {f"s{i}": (f"asn{i}", "x") for i in range(3)})
    for i in range(3):
        _attach(store, folder, ids[f"s{i}"], png_bytes(poster(POSTER)) if i == 0 else _resized_jpeg(png_bytes(poster(POSTER)), 0.8 + i / 10))
    pictures.process(store, engine=_NoOcr(), media_dir=folder)
    unit = store.one("SELECT id FROM units WHERE code = 'U0'")[0]
    auth.create_user(store, "atasan", "rahasia-panjang", "supervisor", unit_ids=[unit])
    supervisor = auth.login(store, "atasan", "rahasia-panjang")
    group_id = store.one("SELECT id FROM dup_groups")[0]
    assert [m["post_id"] for m in groups.members(store, supervisor, group_id)] == [ids["s0"]]
    with pytest.raises(ReviewPermissionError):
        groups.decide(store, supervisor, group_id, "violation", violation_code="N8")
    assert store.one("SELECT COUNT(*) FROM reviews")[0] == 0


def test_forwarded_messages_group_by_text(store, folder):
    accounts = _employees(store, 4)
    message = "Ayo warga desa, datang ke kampanye akbar pasangan nomor 2 di lapangan merdeka hari rabu jam sembilan pagi!"
    ids = _posts(store, accounts, {
        "t0": ("asn0", message),
        "t1": ("asn1", message.lower().replace("!", " 🙏 https://t.co/abc")),
        "t2": ("asn2", "Fwd: " + message),
        "t3": ("asn3", "Rapat koordinasi posyandu kelurahan dimulai jam sembilan pagi di balai warga, mohon hadir"),
    })
    pictures.process(store, media_dir=folder)
    analyst = _analyst(store)
    queue = groups.queue(store, analyst, kinds=("text",))
    assert len(queue) == 1 and queue[0]["members"] == 3 and queue[0]["label"].startswith("pesan yang sama: 3 pegawai")
    assert {m["post_id"] for m in groups.members(store, analyst, queue[0]["id"])} == {ids["t0"], ids["t1"], ids["t2"]}
    # Growing: a fourth copy joins the same group on the next run.
    more = _posts(store, accounts, {"t4": ("asn3", message + " Sebarkan!")})
    pictures.process(store, media_dir=folder)
    assert groups.queue(store, analyst, kinds=("text",))[0]["members"] == 4 and more


def test_uploaded_screenshot_is_read_by_the_backlog_cli(tmp_path):
    from tests.test_cli import netra

    db = tmp_path / "netra.db"
    shot = tmp_path / "wa.png"
    shot.write_bytes(png_bytes(banner("PILIH NOMOR 2 YA BAPAK IBU")))
    assert netra("init", db=db).returncode == 0
    assert netra("collect", "report", "https://contoh.example/status/1", "--screenshot", str(shot), db=db).returncode == 0
    result = netra("media", "ocr", "--limit", "5", db=db)
    assert result.returncode == 0, result.stderr
    assert "1 gambar dibaca" in result.stdout
    from monitor.store import connect

    with connect(db) as opened:
        assert "PILIH NOMOR 2" in opened.one("SELECT text FROM image_texts")[0].upper()
    assert "0 gambar dibaca" in netra("media", "ocr", db=db).stdout


def test_store_upload_of_a_real_picture_is_read(store, tmp_path):
    digest = capture.store_upload(store, png_bytes(banner("SALAM DUA JARI")), post_id=None, media_dir=tmp_path / "m")
    pictures.read_pending(store, media_dir=tmp_path / "m")
    assert "SALAM DUA JARI" in picture_rows.image_text(store, digest)["text"].upper()


def test_evidence_bundle_carries_picture_hash_ocr_text_and_group(store, folder, tmp_path):
    from monitor.evidence import bundle as evidence

    accounts = _employees(store, 2)
    ids = _posts(store, accounts, {"b0": ("asn0", "Pagi"), "b1": ("asn1", "Siang")})
    original = png_bytes(poster(POSTER))
    digest = _attach(store, folder, ids["b0"], original)
    _attach(store, folder, ids["b1"], _resized_jpeg(original, 0.7))
    pictures.process(store, media_dir=folder)
    analyst = _analyst(store)
    group_id = store.one("SELECT id FROM dup_groups WHERE kind = 'image'")[0]
    flag_ids = groups.decide(store, analyst, group_id, "violation", violation_code="N8")["flag_ids"]
    path = tmp_path / "bukti.zip"
    evidence.export_bundle(store, actor="auditor", output=path, flag_ids=flag_ids, key_dir=tmp_path / "k",
                           media_dir=folder)
    report = evidence.verify_bundle(path)
    assert report.ok, report.problems
    post = next(p for p in report.manifest["posts"] if p["id"] == ids["b0"])
    item = post["media"][0]
    assert item["sha256"] == digest and item["file"] == f"media/{digest}.png"
    assert "COBLOS NOMOR 2" in item["ocr_text"].upper() and item["group_id"] == group_id and item["phash"]
    assert post["groups"][0]["group_id"] == group_id and post["groups"][0]["status"] == "confirmed"


def test_collection_run_reads_pictures_stored_by_its_hooks(store):
    """After the hooks (which store screenshots and media), the pipeline reads the pictures,
    scores their posts again with the pictures' words, and compares texts for copies."""
    from fakeplatforms import FakePlatforms, populate, register
    from monitor import pipeline

    with FakePlatforms() as fake:
        handles = populate(fake, bsky_accounts=1, masto_accounts=0, x_users=0, posts=4)
        register(store, handles)

        def store_poster(st, post_ids) -> None:  # what capture does for a flagged post's media
            _attach(st, mediastore.media_dir(st), post_ids[0], png_bytes(poster(POSTER)))

        summary = pipeline.run_collection(store, fake.settings(collect_page_size=20), classify=True,
                                          hooks=[store_poster])
    assert summary.classified == 4
    first = store.one("SELECT post_id FROM media")[0]
    assert "COBLOS NOMOR 2" in picture_rows.ocr_texts_for_posts(store, [first])[first].upper()
    explanations = [json.loads(r[0]) for r in store.query(
        "SELECT explanation_json FROM classifications WHERE post_id = ?", (first,))]
    assert any("picture" in e.get("partisan", {}) for e in explanations)
    assert store.one("SELECT COUNT(*) FROM dup_seen WHERE kind = 'text'")[0] == 4
