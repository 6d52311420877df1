"""Build the demo database from the fictional city in ``data/demo`` (no real employees)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import auth
from .people import elections, registry
from .collect import file_import
from .paths import DEMO_DIR
from .store import Store, connect
from .store import people
from .store import users as user_rows


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str
    unit_codes: tuple[str, ...] = ()
    full_name: str = ""


#: Printed by `make demo`; fine for a demo database, never for a real one.
DEMO_USERS = (
    DemoUser("admin", "admin-netra-demo", "admin", full_name="Admin BKPSDM"),
    DemoUser("analis", "analis-netra-demo", "analyst", full_name="Analis BKPSDM"),
    DemoUser("atasan", "atasan-netra-demo", "supervisor", ("DISDIK",), "Kepala Dinas Pendidikan"),
    DemoUser("auditor", "auditor-netra-demo", "auditor", full_name="Inspektorat"),
)


class DemoError(RuntimeError):
    pass


def classify_demo(store: Store) -> dict[str, int]:
    """Score the demo posts with the current model (trained from the seed corpus if none)."""
    from classifiers import persist
    from classifiers.pipeline import load_default, models_dir

    from .flagging.classify import classify_pending, entities_from_store

    model = load_default(entities=entities_from_store(store))
    return classify_pending(store, model, persist.current_version(models_dir()) or "unknown")


def build(db_path: str | Path, *, source: Path = DEMO_DIR, fresh: bool = True,
          say: Callable[[str], None] = lambda _m: None) -> Store:
    """Create the demo database at ``db_path`` and return it open."""
    db_path = Path(db_path)
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    store = connect(db_path)
    actor = "demo"
    say("Memuat unit kerja…")
    report = registry.import_units(store, source / "units.csv", actor=actor)
    if report.errors:
        raise DemoError(f"units.csv: {report.errors}")
    say("Memuat pegawai dan akun…")
    report = registry.import_employees(store, source / "employees.csv", actor=actor)
    if report.errors:
        raise DemoError(f"employees.csv: {report.errors[:5]}")
    say("Memuat registri pemilu…")
    elections.import_file(store, source / "elections.toml", actor=actor)
    say("Memuat kiriman…")
    posts = file_import.import_posts(store, source / "posts.jsonl")
    if posts.skipped:
        raise DemoError(f"posts.jsonl: {posts.skipped[:5]}")
    say("Mengimpor tangkapan peramban Instagram dan TikTok…")
    captures_demo(store, source)
    say("Mengklasifikasi kiriman (model pertama dilatih dari korpus benih)…")
    classify_demo(store)
    say("Mencocokkan kiriman dengan klaim hoaks yang sudah dibantah…")
    claims_demo(store, source, actor=actor)
    say("Mencatat interaksi akun ASN dengan akun kampanye…")
    interactions_demo(store)
    say("Membaca teks gambar dan mengelompokkan poster yang sama…")
    pictures_demo(store, source)
    say("Membuat pengguna demo…")
    for user in DEMO_USERS:
        if user_rows.get_user(store, user.username):
            continue
        unit_ids = [people.unit_id_by_code(store, c) for c in user.unit_codes]
        auth.create_user(store, user.username, user.password, user.role,
                         full_name=user.full_name, unit_ids=unit_ids, actor=actor)
    say("Meninjau sebagian temuan sebagai analis demo…")
    review_demo(store)
    say("Membuka contoh kasus…")
    cases_demo(store)
    return store


def claims_demo(store: Store, source: Path, *, actor: str) -> dict:
    """Load the demo's debunked claims (written by us) and match every post against them."""
    from .claims import check as claim_check, importers as claims_import

    report = claims_import.import_file(store, source / "claims.jsonl", actor=actor)
    if getattr(report, "errors", None):
        raise DemoError(f"claims.jsonl: {report.errors[:5]}")
    return claim_check.match_all(store)


#: (campaign account, ASN account, kind, campaign post id): the demo's interaction flags. Every
#: handle is fictional; the campaign post ids are made up for the demo.
DEMO_INTERACTIONS = (
    ("hera-sukamaju.bsky.social", "sutarno88skm.bsky.social", "like", "3kdemo01"),
    ("hera-sukamaju.bsky.social", "fadliramadhan-skm.bsky.social", "repost", "3kdemo01"),
    ("hera-sukamaju.bsky.social", "yohanes91skm.bsky.social", "reply", "3kdemo02"),
    ("hera-sukamaju.bsky.social", "nenengsumiati-skm.bsky.social", "follow", ""),
)


def interactions_demo(store: Store) -> dict[str, int]:
    """Interactions of demo ASN accounts with a campaign account, each opening a review flag."""
    from .collect.base import Interaction
    from .store import collection

    accounts = people.account_ids_by_handle(store)
    campaigns = {c["handle"]: c["id"] for c in collection.campaign_accounts_to_check(store, platforms=["bluesky"])}
    totals: dict[str, int] = {}
    for campaign, handle, kind, post in DEMO_INTERACTIONS:
        if campaign not in campaigns or ("bluesky", handle) not in accounts:
            raise DemoError(f"akun demo tidak ditemukan: {campaign} / {handle}")
        url = f"https://bsky.app/profile/{campaign}" + (f"/post/{post}" if post else "")
        found = Interaction(accounts[("bluesky", handle)], kind, {"actor": handle, "kind": kind, "subject": url},
                            target_post_id=post, target_url=url)
        for key, value in collection.save_interactions(store, campaigns[campaign], [found]).items():
            totals[key] = totals.get(key, 0) + value
    return totals


def captures_demo(store: Store, source: Path) -> dict[str, int]:
    """Fictional Instagram and TikTok captures (Zeeschuimer NDJSON in the platforms' shapes) of
    demo ASN accounts, with the extra registry rows they need (capture_accounts.csv)."""
    import csv

    from .collect import capture_import
    from .store import elections as election_rows

    with (source / "capture_accounts.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["kind"] == "asn":
            people.add_account(store, row["nip"], row["platform"], row["handle"])
    election_rows.upsert_registry(store, {"campaign_accounts": [
        {"platform": r["platform"], "handle": r["handle"], "owner_type": "candidate", "owner": r["owner"],
         "election": "pilwalkot-sukamaju-2024"} for r in rows if r["kind"] == "campaign"]})
    report = capture_import.import_capture(store, source / "captures.ndjson", captured_by="analis")
    if report.errors:
        raise DemoError(f"captures.ndjson: {report.errors[:5]}")
    return report.counts


def cases_demo(store: Store) -> int | None:
    """Open one case (in verifikasi) from the demo analyst's confirmed flags of one employee.

    The admin is then the only demo user who may do the blind second review; the supervisor
    of the unit sees it under "Tindak lanjut"; the auditor reads the case file.
    """
    from .cases import workflow as cases
    from . import config
    from .flagging import review

    analyst = _demo_user(store, "analyst")
    confirmed = [f for f in review.my_decisions(store, analyst, limit=100)
                 if f["decision"] == "violation" and f["current_status"] == "confirmed"]
    if not confirmed:
        return None
    # Prefer an employee of the demo supervisor's units, so "Tindak lanjut" has something to show.
    supervised = {u["name"] for u in people.list_units(store)
                  if u["id"] in people.descendant_unit_ids(store, _demo_user(store, "supervisor").unit_ids)}
    confirmed.sort(key=lambda f: f["unit"] not in supervised)
    settings = config.load({})
    flag_id = confirmed[0]["flag_id"]
    case_id = cases.open_case(store, analyst, [flag_id], settings=settings)
    cases.change_status(store, analyst, case_id, "verifikasi", settings=settings)
    return case_id


def _demo_user(store: Store, role: str) -> auth.User:
    demo = next(u for u in DEMO_USERS if u.role == role)
    row = user_rows.get_user(store, demo.username)
    if row is None:
        raise DemoError(f"pengguna demo {demo.username} belum dibuat")
    return auth.user_from_row(row)


def review_demo(store: Store, *, violations: int = 6, dismissals: int = 5, escalations: int = 3) -> dict[str, int]:
    """Decide the top of the queue as the demo analyst, so the demo shows a living queue.

    Decisions go through monitor.flagging.review like any reviewer's, so they are audited; the rest of
    the queue stays open for whoever tries the demo.
    """
    from .flagging import review

    analyst = next(u for u in DEMO_USERS if u.role == "analyst")
    row = user_rows.get_user(store, analyst.username)
    if row is None:
        raise DemoError("analis demo belum dibuat")
    reviewer = auth.user_from_row(row)
    if review.my_decisions(store, reviewer, limit=1):
        return {}  # already reviewed (re-run on an existing database)
    top = review.queue(store, reviewer, limit=violations + dismissals + escalations)
    counts = {"violation": 0, "not_violation": 0, "escalate": 0}
    for index, flag in enumerate(top):
        if index < violations:
            decision, note = "violation", "Ajakan memilih yang jelas (contoh demo)."
        elif index < violations + dismissals:
            decision, note = "not_violation", "Konteks informatif, bukan dukungan (contoh demo)."
        else:
            decision, note = "escalate", "Perlu pendapat atasan langsung (contoh demo)."
        code = flag["proposed_code"] if flag["proposed_code"] in review.VIOLATION_CODES else "N1"
        review.decide(store, reviewer, flag["id"], decision, violation_code=code if decision == "violation" else None,
                      note=note)
        counts[decision] += 1
    return counts


#: Demo employees (x accounts) who share the same campaign poster in one week, in several units.
POSTER_SHARERS = ("bufitri_skm", "dede_skm", "fauzan93_skm", "bangirfan_skm", "kakyosefina_skm", "wahyu_skm")
POSTER_CAPTIONS = ("Info untuk warga 🙏", "Semangat pagi!", "Dapat kiriman dari grup RT", "Mantap",
                   "Sebarkan ya", "Selamat pagi bapak ibu")


def pictures_demo(store: Store, source: Path) -> dict:
    """A poster shared by six employees (one near-copy group in "Tinjauan foto") and a public
    report whose WhatsApp screenshot's words are read and scored (issue 17).

    The copies are the committed poster re-encoded the way a forward degrades it (resized,
    JPEG), so the group is found by perceptual hash, not by identical bytes.
    """
    import io

    from PIL import Image

    from .collect.reports import submit_report
    from .evidence import media as mediastore
    from .flagging import pictures
    from .pipeline import current_model
    from .store import evidence as evidence_rows
    from .store.posts import PostRecord, upsert_posts

    folder = mediastore.media_dir(store)
    poster = (source / "gambar" / "poster_agusdewi.png").read_bytes()
    accounts = people.account_ids_by_handle(store)
    records = []
    for i, (handle, caption) in enumerate(zip(POSTER_SHARERS, POSTER_CAPTIONS)):
        if ("x", handle) not in accounts:
            raise DemoError(f"akun demo tidak ditemukan: x/{handle}")
        post_id = f"18470000000000000{i:02d}"
        records.append(PostRecord(platform="x", post_id=post_id, text=caption, account_handle=handle,
                                  raw={"id": post_id, "text": caption, "demo": "poster"},
                                  url=f"https://x.com/{handle}/status/{post_id}", created_at=f"2024-11-1{i % 4}T01:{10 + i}:00Z",
                                  media=[f"https://pbs.twimg.com/media/demo-poster-{i}.jpg"]))
    upsert_posts(store, records, account_ids=accounts)
    ids = {r["post_id"]: r["id"] for r in store.query("SELECT id, post_id FROM posts WHERE platform = 'x'")}
    for i, record in enumerate(records):
        image = Image.open(io.BytesIO(poster)).convert("RGB")
        if i:  # every forward is a little different: smaller, JPEG at falling quality
            image = image.resize((int(image.width * (1 - 0.08 * i)), int(image.height * (1 - 0.08 * i))))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=90 - 8 * i)
        data = buffer.getvalue()
        evidence_rows.insert_media(store, post_id=ids[record.post_id], kind="media", source_url=record.media[0],
                                   sha256=mediastore.put(folder, data), content_type="image/jpeg", size=len(data))
    screenshot = (source / "gambar" / "laporan_grup_wa.png").read_bytes()
    # WhatsApp cannot be collected: it arrives as a public report, here about an employee's post
    # that forwarded a screenshot of a residents' WhatsApp group.
    submit_report(store, url="https://x.com/wahyu_skm/status/1847999999999999999",
                  text="Pegawai ini meneruskan tangkapan layar grup WhatsApp warga", screenshot=screenshot, actor="demo")
    model, version = current_model(store)
    return pictures.process(store, model=model, model_version=version).as_dict()
