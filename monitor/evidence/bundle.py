"""Evidence bundles: a signed ZIP an inspector can check without trusting this server.

A bundle holds ``manifest.json`` (every fact about the selected flags' posts: versions with
their hashes, flags, scores, model versions, review trail, cases, the relevant audit entries,
screenshots and media), the raw payload of every post version exactly as collected (so its
SHA-256 equals the hash recorded at collection), ``posts.csv``, a PDF report in Bahasa
Indonesia per employee, the screenshots and media files, ``SHA256SUMS`` and ``BACA.txt``. The
manifest lists every one of those files with its SHA-256; ``signature.ed25519`` signs the
manifest with the instance key and ``public_key.pem`` carries the public half. So changing,
removing or adding any file, or editing the manifest, is caught by ``verify_bundle``; a bundle
re-signed with another key is caught when the verifier names the key it expects (the
instance's published key, ``netra evidence pubkey``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Mapping, Sequence

from cryptography.exceptions import InvalidSignature

from . import audit, keys, media as mediastore
from ..store import pictures as picture_rows
from ..atomic import atomic_write
from ..store import Store, utcnow
from ..store import audit as audit_rows
from ..store import captures as capture_rows
from ..store import evidence as rows
from ..store import instansi as instansi_rows
from ..store import people
from ..store.posts import post_versions

FORMAT = "netra-evidence/1"
MANIFEST = "manifest.json"
SIGNATURE = "signature.ed25519"
PUBLIC_KEY = "public_key.pem"
SIGNING_FILES = (MANIFEST, SIGNATURE, PUBLIC_KEY)
STATUSES = ("open", "confirmed", "dismissed", "escalated")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _parse_day(value: str | date | None, what: str) -> date | None:
    """A calendar date from ``YYYY-MM-DD`` (or a full ISO timestamp, whose date is used)."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text).date()
    except ValueError:
        raise ValueError(f"tanggal {what} {value!r} tidak valid; gunakan format TTTT-BB-HH") from None


# --- export ----------------------------------------------------------------------------------

def export_bundle(
    store: Store,
    *,
    actor: str,
    output: Path,
    flag_ids: Sequence[int] | None = None,
    employee_nip: str | None = None,
    unit_code: str | None = None,
    date_from: str | date | None = None,
    date_to: str | date | None = None,
    unit_ids: set[int] | None = None,
    statuses: Sequence[str] | None = None,
    key_dir: Path | None = None,
    instansi_id: int | None = None,
    media_dir: Path | None = None,
    overwrite: bool = False,
    pdf: bool = True,
) -> dict:
    """Write a signed bundle for the flags matching every given filter; audited.

    ``unit_ids`` is the caller's scope (None: all units); flags outside it are never exported.
    ``instansi_id`` picks the signing key (monitor.evidence.keys.signing_dir; default: the
    exporting user's instansi): one key per instansi (issue 20).
    ``date_to`` is inclusive. ``pdf=False`` leaves out the PDF reports (about a second per
    employee; a whole-agency export may not want them). Returns a summary: path, posts, flags, sha256 (of the ZIP), files,
    fingerprint (of the signing key) and missing_flags (asked-for ids not exported).
    """
    output = Path(output)
    if not (flag_ids or employee_nip or unit_code or date_from or date_to or statuses):
        # Never the whole database by accident: a bundle is always about something chosen.
        raise ValueError("pilih tanda (--flag), pegawai (--employee), unit (--unit), status atau rentang tanggal")
    if output.exists() and not overwrite:
        raise ValueError(f"berkas {output} sudah ada; pilih nama lain")
    if statuses:
        unknown = sorted(set(statuses) - set(STATUSES))
        if unknown:
            raise ValueError(f"status tanda tidak dikenal: {', '.join(unknown)}")
    day_from, day_to = _parse_day(date_from, "awal"), _parse_day(date_to, "akhir")
    if day_from and day_to and day_from > day_to:
        raise ValueError("tanggal awal lebih akhir daripada tanggal akhir")
    employee_id = rows.employee_id_by_nip(store, employee_nip) if employee_nip else None
    # A unit code names a unit of the exporting user's instansi (codes repeat across instansi).
    own = instansi_rows.instansi_of_username(store, actor)
    unit_filter = people.descendant_unit_ids(store, [people.unit_id_by_code(store, unit_code, own)]) if unit_code else None
    folder = Path(key_dir) if key_dir is not None else keys.data_dir(store.path)
    if instansi_id is None:
        instansi_id = own
    folder = keys.signing_dir(store, folder, instansi_id)
    key_info = keys.ensure_instance_key(folder)
    private_key = keys.load_private_key(folder)
    media_folder = mediastore.media_dir(store, media_dir)

    with rows.snapshot(store):
        flags = rows.select_flags(
            store, flag_ids=list(flag_ids) if flag_ids else None, employee_id=employee_id, unit_ids=unit_filter,
            date_from=day_from.isoformat() if day_from else None,
            date_before=(day_to + timedelta(days=1)).isoformat() if day_to else None,
            scope=unit_ids, statuses=statuses)
        if not flags:
            raise ValueError("tidak ada tanda yang cocok dengan pilihan ini (atau di luar unit yang boleh Anda lihat)")
        bundle = _collect(store, flags, media_folder)
        audit_head = audit.head(store)
    missing_flags = sorted(set(flag_ids or ()) - {f["id"] for f in flags})
    selection = {
        "flag_ids": sorted(flag_ids) if flag_ids else None, "employee_nip": employee_nip, "unit_code": unit_code,
        "date_from": day_from.isoformat() if day_from else None, "date_to": day_to.isoformat() if day_to else None,
        "statuses": list(statuses) if statuses else None, "scoped": unit_ids is not None,
    }
    created_at = utcnow()
    files = _files(bundle, created_at=created_at, actor=actor, fingerprint=key_info.fingerprint, pdf=pdf)
    manifest = {
        "format": FORMAT,
        "created_at": created_at,
        "created_by": actor,
        "signing_key_sha256": key_info.fingerprint,
        "selection": selection,
        "note": "Tanda (flag) adalah permintaan peninjauan oleh manusia, bukan putusan.",
        "audit_head": audit_head,
        "employees": bundle["employees"],
        "posts": bundle["posts"],
        "audit_entries": bundle["audit_entries"],
        "files": [{"path": name, "sha256": _sha(data), "size": len(data)} for name, data in sorted(files.items())],
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
    files[MANIFEST] = manifest_bytes
    files[SIGNATURE] = private_key.sign(manifest_bytes)
    files[PUBLIC_KEY] = key_info.public_pem
    digest = _write_zip(output, files, created_at)
    summary = {"path": str(output), "posts": len(bundle["posts"]), "flags": len(flags), "sha256": digest,
               "files": len(files), "fingerprint": key_info.fingerprint, "missing_flags": missing_flags}
    try:
        audit.record(store, actor, "evidence.export", f"evidence:{digest}",
                     flag_ids=[f["id"] for f in flags], posts=summary["posts"], selection=selection,
                     file=output.name, signing_key_sha256=key_info.fingerprint)
    except BaseException:
        output.unlink(missing_ok=True)  # no bundle leaves this instance without its audit entry
        raise
    return summary


def _collect(store: Store, flags: list[dict], media_folder: Path) -> dict:
    """Everything the manifest says about the selected flags, plus the bytes of their files."""
    post_ids = sorted({f["post_id"] for f in flags})
    flag_ids = [f["id"] for f in flags]
    posts = rows.posts_with_people(store, post_ids)
    scores: dict[int, list] = {}
    for c in rows.classifications_for(store, post_ids):
        scores.setdefault(c.pop("post_id"), []).append(c)
    reviews: dict[int, list] = {}
    for r in rows.reviews_for(store, flag_ids):
        reviews.setdefault(r.pop("flag_id"), []).append(r)
    cases: dict[int, list] = {}
    for c in rows.cases_for(store, flag_ids):
        cases.setdefault(c.pop("flag_id"), []).append(c)
    reports: dict[int, list] = {}
    for r in rows.reports_for(store, post_ids):
        reports.setdefault(r["post_id"], []).append(r)
    claim_matches = _claim_matches(store, post_ids)
    media: dict[int, list] = {}
    for m in picture_rows.media_texts_for(store, post_ids):  # media rows + OCR text, pHash, group (issue 17)
        media.setdefault(m["post_id"], []).append(m)
    groups: dict[int, list] = {}
    for g in picture_rows.groups_of_posts(store, post_ids):
        groups.setdefault(g.pop("post_id"), []).append(g)
    flags_by_post: dict[int, list] = {}
    for f in flags:
        flags_by_post.setdefault(f["post_id"], []).append(f)

    raw_files: dict[str, bytes] = {}
    media_files: dict[str, bytes] = {}
    out_posts, employees = [], {}
    for p in posts:
        versions = []
        for v in post_versions(store, p["id"]):
            data = v["raw_json"].encode("utf-8")
            name = f"raw/post-{p['id']}-v{v['version']}.{_raw_ext(v['raw_json'])}"
            raw_files[name] = data
            versions.append({
                "version": v["version"], "collected_at": v["collected_at"], "superseded_at": v["superseded_at"],
                "raw_sha256": v["raw_sha256"], "text_sha256": v["text_sha256"], "text": v["text"],
                "media": json.loads(v["media_json"] or "[]"), "raw_file": name,
                "raw_file_matches_recorded_hash": _sha(data) == v["raw_sha256"],
            })
        items = []
        for m in media.get(p["id"], []):
            item = {k: m[k] for k in ("kind", "origin", "source_url", "sha256", "content_type", "size",
                                      "captured_at", "failure", "ocr_text", "ocr_error", "ocr_engine", "phash",
                                      "group_id")}
            item["file"] = None
            if m["sha256"]:
                data = mediastore.read(media_folder, m["sha256"])
                if data is None:
                    item["problem"] = "berkas tidak ada di penyimpanan atau tidak cocok dengan hash-nya"
                else:
                    ext = mediastore.EXTENSIONS.get(m["content_type"] or "", "bin")
                    item["file"] = f"media/{m['sha256']}.{ext}"
                    media_files[item["file"]] = data
            items.append(item)
        post_flags = []
        for f in flags_by_post[p["id"]]:
            post_flags.append({
                "id": f["id"], "category": f["category"], "score": f["score"], "status": f["status"],
                "proposed_code": f["proposed_code"], "violation_code": f["violation_code"],
                "model_version": f["model_version"], "created_at": f["created_at"], "updated_at": f["updated_at"],
                "reviews": reviews.get(f["id"], []), "cases": cases.get(f["id"], []),
                "reasons": _reasons(store, p, f, claim_matches.get(p["id"], [])),
            })
        if p["employee_id"] is not None:
            employees[p["employee_id"]] = {
                "id": p["employee_id"], "nip": p["nip"], "nik": p["nik"], "name": p["employee"],
                "position": p["position"], "rank": p["rank"], "employment_type": p["employment_type"],
                "unit_code": p["unit_code"], "unit": p["unit"],
            }
        out_posts.append({
            "id": p["id"], "platform": p["platform"], "platform_post_id": p["post_id"], "url": p["url"],
            "account": p["handle"], "employee_id": p["employee_id"], "kind": p["kind"],
            "original_author": p["original_author"], "lang": p["lang"], "text": p["text"],
            "created_at": p["created_at"], "collected_at": p["collected_at"], "last_seen_at": p["last_seen_at"],
            "edited_at": p["edited_at"], "deleted_at": p["deleted_at"], "deleted": p["deleted_at"] is not None,
            "version": p["version"], "raw_sha256": p["raw_sha256"], "text_sha256": p["text_sha256"],
            "versions": versions, "flags": post_flags, "classifications": scores.get(p["id"], []),
            "reports": reports.get(p["id"], []), "claim_matches": claim_matches.get(p["id"], []),
            "media": items, "groups": groups.get(p["id"], []),
            "captures": capture_rows.provenance(store, p["platform"], p["post_id"]),
        })
    targets = {f"flag:{i}" for i in flag_ids} | {f"post:{i}" for i in post_ids}
    targets |= {f"case:{c['case_id']}" for cs in cases.values() for c in cs}
    entries = audit_rows.entries_for_targets(store, targets)
    return {"posts": out_posts, "employees": sorted(employees.values(), key=lambda e: e["id"]),
            "audit_entries": entries, "raw_files": raw_files, "media_files": media_files}


def _claim_matches(store: Store, post_ids: list[int]) -> dict[int, list[dict]]:
    """Debunked claims a post was matched to (issue 7)."""
    from ..store.claims import matches_for_posts

    return matches_for_posts(store, post_ids)


def _raw_ext(raw: str) -> str:
    try:
        json.loads(raw)
    except ValueError:
        return "txt"
    return "json"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (the raw payload stays exact)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _reasons(store: Store, post: Mapping, flag: Mapping, claims: list[dict]) -> list[str]:
    """The reviewer's Bahasa explanation of the flag (issue 14), as the review card shows it."""
    from ..flagging.review import reviewer_explanation
    from ..store.review import classification

    found = classification(store, post["id"], flag["model_version"])
    explanation = (found or {}).get("explanation", {}).get(flag["category"])
    repeats = [c for c in claims if c.get("stance") != "debunks"]
    return [r["text"] for r in reviewer_explanation(post["text"] or "", explanation, category=flag["category"],
                                                    proposed_code=flag["proposed_code"], claims=repeats)]


def _posts_csv(bundle: dict) -> bytes:
    employees = {e["id"]: e for e in bundle["employees"]}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "platform", "id_kiriman", "url", "akun", "pegawai", "nip", "unit", "dibuat",
                     "dikumpulkan", "dihapus", "versi", "sha256_mentah", "sha256_teks", "tanda", "teks"])
    for p in bundle["posts"]:
        e = employees.get(p["employee_id"], {})
        tanda = "; ".join(f"#{f['id']} {f['category']} {f['status']} ({f['score']:.2f})" for f in p["flags"])
        writer.writerow([_cell(v) for v in (
            p["id"], p["platform"], p["platform_post_id"], p["url"], p["account"], e.get("name"),
            e.get("nip") or e.get("nik"), e.get("unit"), p["created_at"], p["collected_at"], p["deleted_at"],
            p["version"], p["raw_sha256"], p["text_sha256"], tanda, p["text"])])
    return buffer.getvalue().encode("utf-8-sig")  # BOM: Excel then reads the UTF-8 correctly


README = """BUNDEL BUKTI NETRA
==================

Bundel ini dibuat oleh {actor} pada {created_at} (UTC) dan ditandatangani dengan kunci
Ed25519 instans Netra (sidik jari SHA-256 kunci publik: {fingerprint}).

Isi:
- manifest.json      seluruh fakta: kiriman, versi beserta hash, tanda, skor, versi model,
                     jejak peninjauan, entri audit terkait, tangkapan layar/media, dan daftar
                     hash SHA-256 setiap berkas lain dalam bundel.
- signature.ed25519  tanda tangan Ed25519 atas manifest.json.
- public_key.pem     kunci publik penanda tangan.
- raw/               payload mentah setiap versi kiriman, persis seperti dikumpulkan.
- media/             tangkapan layar dan media, dinamai menurut hash SHA-256-nya.
- laporan/           laporan PDF per pegawai.
- posts.csv          ringkasan kiriman untuk lembar kerja.
- SHA256SUMS         daftar hash berkas (sama dengan yang tercantum di manifest.json).

Memeriksa keaslian:
  netra evidence verify BUNDEL.zip --public-key KUNCI-INSTANS.pem
atau tanpa Netra (setelah diekstrak):
  openssl pkeyutl -verify -pubin -inkey KUNCI-INSTANS.pem -rawin -in manifest.json -sigfile signature.ed25519
  sha256sum -c SHA256SUMS
Bandingkan KUNCI-INSTANS.pem dengan kunci publik yang diumumkan instansi (netra evidence pubkey),
bukan hanya dengan public_key.pem di dalam bundel.

Tanda (flag) dari sistem adalah permintaan peninjauan oleh manusia, bukan putusan.
"""


def _files(bundle: dict, *, created_at: str, actor: str, fingerprint: str, pdf: bool) -> dict[str, bytes]:
    from .pdf import render_reports

    files: dict[str, bytes] = {}
    files.update(bundle.pop("raw_files"))
    media_files = bundle.pop("media_files")
    files.update(media_files)
    files["posts.csv"] = _posts_csv(bundle)
    if pdf:
        files.update(render_reports(bundle, media_files, created_at=created_at, actor=actor, fingerprint=fingerprint))
    files["BACA.txt"] = README.format(actor=actor, created_at=created_at, fingerprint=fingerprint).encode("utf-8")
    sums = "".join(f"{_sha(data)}  {name}\n" for name, data in sorted(files.items()))
    files["SHA256SUMS"] = sums.encode("utf-8")
    return files


def _write_zip(output: Path, files: dict[str, bytes], created_at: str) -> str:
    """Write the ZIP next to its destination, then rename: no half-written bundle is ever seen."""
    output.parent.mkdir(parents=True, exist_ok=True)
    stamp = datetime.strptime(created_at[:19], "%Y-%m-%dT%H:%M:%S").timetuple()[:6]
    with atomic_write(output, suffix=".zip") as handle:
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            order = [MANIFEST, SIGNATURE, PUBLIC_KEY] + sorted(n for n in files if n not in SIGNING_FILES)
            for name in order:
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, files[name])
    return _sha(output.read_bytes())


# --- verify ----------------------------------------------------------------------------------

@dataclass
class VerifyReport:
    """What ``verify_bundle`` found. ``problems`` name each altered, missing or extra file."""

    ok: bool
    problems: list[str] = field(default_factory=list)
    files_checked: int = 0
    fingerprint: str | None = None
    expected_fingerprint: str | None = None
    manifest: dict | None = None


def verify_bundle(path: str | Path, *, public_key: bytes | str | Path | None = None) -> VerifyReport:
    """Check every file's hash and the signature; with ``public_key`` (PEM bytes or a file),
    also that the bundle was signed by that key and not merely by the key it carries."""
    problems: list[str] = []
    report = VerifyReport(ok=False, problems=problems)
    expected = None
    if public_key is not None:
        pem = public_key if isinstance(public_key, bytes) else Path(public_key).read_bytes()
        expected = keys.load_public_key(pem, source="kunci publik yang diharapkan")
        report.expected_fingerprint = keys.fingerprint(expected)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        problems.append(f"bukan arsip ZIP yang dapat dibaca: {exc}")
        return report
    with archive:
        names = [i.filename for i in archive.infolist()]
        for name, count in Counter(names).items():
            if count > 1:
                problems.append(f"berkas ganda dalam arsip: {name} ({count} kali)")
        # Hash each member as a stream: a hostile archive must not be able to fill the memory.
        digests: dict[str, str] = {}
        contents: dict[str, bytes] = {}
        damaged: set[str] = set()
        for name in dict.fromkeys(names):
            try:
                digest, head = _hash_member(archive, name, keep=name in SIGNING_FILES)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
                problems.append(f"berkas rusak dalam arsip: {name} ({exc})")
                damaged.add(name)
                continue
            digests[name] = digest
            if head is not None:
                contents[name] = head
    for name in SIGNING_FILES:
        if name not in contents and name not in damaged:
            problems.append(f"berkas hilang: {name}")
    manifest_bytes = contents.get(MANIFEST)
    signer = None
    if PUBLIC_KEY in contents:
        try:
            signer = keys.load_public_key(contents[PUBLIC_KEY], source=PUBLIC_KEY)
            report.fingerprint = keys.fingerprint(signer)
        except keys.InstanceKeyError as exc:
            problems.append(f"{exc} (berkas diubah: {PUBLIC_KEY})")
    if manifest_bytes is not None and SIGNATURE in contents and signer is not None:
        try:
            signer.verify(contents[SIGNATURE], manifest_bytes)
        except InvalidSignature:
            problems.append(f"tanda tangan tidak sah: {MANIFEST}, {SIGNATURE} atau {PUBLIC_KEY} telah diubah")
    if expected is not None and signer is not None and report.fingerprint != report.expected_fingerprint:
        problems.append(f"ditandatangani dengan kunci lain ({report.fingerprint[:16]}...), bukan kunci yang "
                        f"diharapkan ({report.expected_fingerprint[:16]}...)")
    manifest = None
    if manifest_bytes is not None:
        try:
            manifest = json.loads(manifest_bytes)
            listed = {f["path"]: f["sha256"] for f in manifest["files"]}
        except (ValueError, KeyError, TypeError) as exc:
            problems.append(f"{MANIFEST} tidak terbaca: {exc}")
            manifest = None
    if manifest is not None:
        report.manifest = manifest
        for name, digest in sorted(listed.items()):
            if name not in digests:
                if name not in damaged:
                    problems.append(f"berkas hilang: {name}")
            elif digests[name] != digest:
                problems.append(f"berkas diubah: {name}")
            else:
                report.files_checked += 1
        for name in sorted(set(digests) - set(listed) - set(SIGNING_FILES)):
            problems.append(f"berkas tambahan (tidak tercantum di manifest): {name}")
        problems.extend(_check_audit_entries(manifest.get("audit_entries") or []))
    report.ok = not problems
    return report


def decided_since(store: Store, manifest: dict) -> list[str]:
    """Flags whose status in this database differs from the one the bundle recorded.

    A signed bundle stays intact forever; a flag it shows as a confirmed violation may have been
    reopened or cleared since. Whoever is shown an old bundle (replayed) must be told.
    """
    recorded = {f["id"]: f.get("status") for post in manifest.get("posts") or [] for f in post.get("flags") or []
                if isinstance(f, dict) and isinstance(f.get("id"), int)}
    now = rows.flag_statuses(store, list(recorded))
    changed = []
    for flag_id, status in sorted(recorded.items()):
        current = now.get(flag_id)
        if current is None:
            changed.append(f"tanda #{flag_id}: tercatat {status} di bundel, kini tidak ada lagi di basis data")
        elif current != status:
            changed.append(f"tanda #{flag_id}: tercatat {status} di bundel, kini {current}")
    return changed


class BundleRefused(ValueError):
    """A bundle that is not intact or not properly signed: it proves nothing, so it is an error."""

    def __init__(self, path: str | Path, problems: list[str]):
        self.path, self.problems = Path(path), list(problems)
        super().__init__(f"bundel {Path(path).name} ditolak: " + "; ".join(self.problems))


def audit_anchor(path: str | Path, *, public_key: bytes | str | Path | None = None) -> dict:
    """The audit-chain head an intact, signed bundle recorded when it was exported.

    Returns ``{"seq", "hash", "created_at", "path"}`` for ``audit.verify_anchor``. The bundle is
    verified first (``verify_bundle``, with ``public_key`` when given): an edited manifest could
    name any head at all, so a bundle that does not verify is refused, never used as an anchor.
    """
    report = verify_bundle(path, public_key=public_key)
    if not report.ok:
        raise BundleRefused(path, report.problems)
    head = (report.manifest or {}).get("audit_head")
    seq = head.get("last_id") if isinstance(head, dict) else None
    digest = head.get("hash") if isinstance(head, dict) else None
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 0 or not isinstance(digest, str):
        raise BundleRefused(path, [f"{MANIFEST} tidak memuat kepala rantai audit (audit_head)"])
    return {"seq": seq, "hash": digest, "created_at": report.manifest.get("created_at"), "path": str(path)}


MAX_SIGNING_FILE = 256 * 1024 * 1024


def _hash_member(archive: zipfile.ZipFile, name: str, *, keep: bool) -> tuple[str, bytes | None]:
    """SHA-256 of one member, read in chunks; its bytes too when ``keep`` (the signed files)."""
    digest, kept, size = hashlib.sha256(), [], 0
    with archive.open(name) as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
            if keep:
                if size > MAX_SIGNING_FILE:
                    raise ValueError("terlalu besar")
                kept.append(chunk)
    return digest.hexdigest(), b"".join(kept) if keep else None


def _check_audit_entries(entries: list[dict]) -> list[str]:
    """Each audit entry in the bundle must still carry its own correct hash."""
    found = []
    for entry in entries:
        try:
            if audit.entry_digest(entry) != entry["hash"]:
                found.append(f"entri audit #{entry['id']} dalam bundel tidak cocok dengan hash-nya")
        except (KeyError, TypeError):
            found.append("entri audit dalam bundel tidak lengkap")
    return found
