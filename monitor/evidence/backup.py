"""Backups an office can take every night while the collector runs, check, and restore.

``create`` snapshots the database with SQLite's online backup API (consistent while other
processes write, see ``monitor.store.backup``), checks the snapshot (``PRAGMA integrity_check``
and the audit hash chain), then packs one ZIP archive:

- ``netra.db``: the snapshot; on PostgreSQL (issue 20) ``netra.pgdump`` instead, a
  ``pg_dump --format=custom`` taken in the same exported snapshot the recorded figures were read
  in (``BACKUP.json`` says ``"engine": "postgresql"``; ``verify`` reads its table of contents,
  ``restore`` loads it into an empty database and checks counts and audit head on arrival);
- ``media/..``: the content-addressed screenshots and media, copied as they are (unless excluded);
- ``key/instance_key.pem``: the instance's private signing key, only when asked for;
- ``BACKUP.json``: when, which Netra and schema, row counts, the audit head, and the SHA-256 and
  size of every other file; ``BACKUP.sha256`` holds the hash of ``BACKUP.json`` itself;
- ``BACKUP.sig``: the instance key's Ed25519 signature of ``BACKUP.json`` (when the instance has
  a key). Hashes only catch accidents: someone who rebuilds a whole archive recomputes them too.
  The signature, checked against a public key from outside the archive (this instance's own, or
  one the auditor holds), catches that.

The archive is written under a temporary name in the target folder and renamed only when
complete, so a crash or a full disk never leaves a half archive under the final name. It is
always created with mode 0600: the database holds personal data (UU 27/2022) and password
hashes, and with ``include_key`` the archive can sign forged evidence bundles.

A snapshot whose audit chain does not verify is refused unless ``allow_broken_audit``: a
nightly job that silently kept copying a tampered log would hide the tampering behind "the
backups are fine". When allowed, ``BACKUP.json`` records the problem and ``verify`` reports it
as a warning (it was known when the backup was taken), not as damage to the archive.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from cryptography.exceptions import InvalidSignature

from . import audit, keys
from ..atomic import atomic_write
from ..redact import redact
from ..store import Store, connect, is_postgres_url, latest_version, utcnow
from ..store import backup as rows
from ..store import pgdump

DB_NAME = "netra.db"
DUMP_CHECKED_ON_RESTORE = ("dump PostgreSQL terbaca utuh; jumlah baris dan jejak audit diperiksa ulang saat "
                           "dipulihkan ke basis data kosong")
PG_DUMP_NAME = "netra.pgdump"  # a PostgreSQL database: pg_dump --format=custom (manifest engine "postgresql")
MANIFEST = "BACKUP.json"
MANIFEST_HASH = "BACKUP.sha256"
SIGNATURE = "BACKUP.sig"  # Ed25519 signature of BACKUP.json by the instance key
KEY_NAME = "key/" + keys.PRIVATE_NAME
FORMAT = "netra-backup"
FORMAT_VERSION = 1
CHUNK = 1024 * 1024
# Zip-bomb guards (issue 15, item 6): a member may expand at most this much, and the archive as a
# whole to at most this many bytes, whatever its manifest claims; free space is checked too.
MAX_RATIO = 200
MAX_TOTAL_BYTES = 256 * 1024 ** 3
FREE_SPACE_MARGIN = 64 * 1024 * 1024
_MEDIA_NAME = re.compile(r"^media/(?:[0-9A-Za-z._-]+/)*[0-9A-Za-z_-][0-9A-Za-z._-]*$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")

Progress = Callable[[str, int, int], None]  # (stage: "snapshot" | "check" | "archive", done, total)


class BackupError(RuntimeError):
    """A backup that cannot be made, or an archive that cannot be restored (message in Indonesian)."""


@dataclass(frozen=True)
class Problem:
    file: str
    message: str


@dataclass
class VerifyReport:
    archive: str
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    manifest: dict | None = None
    files_checked: int = 0
    audit_ok: bool | None = None  # None when the database could not be checked
    signature_verified: bool = False  # True only when checked against a key from outside the archive

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, file: str, message: str) -> None:
        self.problems.append(Problem(file, message))


# --- create --------------------------------------------------------------------------------

def _netra_version() -> str | None:
    from importlib import metadata

    try:
        return metadata.version("netra")
    except metadata.PackageNotFoundError:
        return None


def _target_path(raw: str) -> Path:
    """``raw`` itself, or a time-stamped name inside it when it is a folder (or ends with a slash)."""
    out = Path(raw)
    if out.is_dir() or raw.endswith(("/", os.sep)):
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        return out / f"netra-backup-{stamp}.zip"
    return out


def _media_files(folder: Path) -> list[tuple[str, Path]]:
    """Every stored media file as (archive name, path); a put's temporary files are skipped."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith(".tmp-"):
            found.append(("media/" + path.relative_to(folder).as_posix(), path))
    return found


def _key_fingerprint(folder: Path) -> str | None:
    public = folder / keys.PUBLIC_NAME
    try:
        return keys.fingerprint(keys.load_public_key(public.read_bytes()))
    except (OSError, keys.InstanceKeyError):
        return None


def _add_file(zf: zipfile.ZipFile, name: str, source: Path, *, mode: int = 0o644,
              compress: bool = True, advance: Callable[[int], None] | None = None) -> dict:
    """Stream ``source`` into the archive as ``name``, hashing it on the way; one read of the file."""
    info = zipfile.ZipInfo(name, date_time=datetime.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.external_attr = (0o100000 | mode) << 16
    digest, size = hashlib.sha256(), 0
    with source.open("rb") as handle, zf.open(info, "w", force_zip64=True) as member:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            member.write(chunk)
            size += len(chunk)
            if advance is not None:
                advance(len(chunk))
    return {"sha256": digest.hexdigest(), "size": size}


def _add_bytes(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=datetime.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (0o100000 | 0o644) << 16
    zf.writestr(info, data)


def _check_snapshot(path: Path) -> tuple[list[str], audit.VerifyResult, dict]:
    """Integrity problems, the audit result and the figures BACKUP.json records, from one file."""
    with rows.open_readonly(path) as snap:
        problems = rows.integrity_problems(snap)
        if problems:
            return problems, audit.VerifyResult(False, 0, None, "basis data rusak"), {}
        try:
            result = audit.verify(snap)
        except sqlite3.DatabaseError as exc:  # no audit_log: not a Netra database
            return [f"bukan basis data Netra: {exc}"], audit.VerifyResult(False, 0, None, str(exc)), {}
        figures = {"schema_version": rows.schema_version(snap), "row_counts": rows.row_counts(snap),
                   "audit_head": audit.head(snap)}
    return problems, result, figures


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def create(store_or_db_path: Store | str | Path, out_dir_or_file: str | Path, *, include_media: bool = True,
           include_key: bool = False, allow_broken_audit: bool = False, data_dir: str | Path | None = None,
           actor: str = "cli", pages_per_step: int = 1024, progress: Progress | None = None) -> dict:
    """Snapshot, check and pack the database (and media, and the key when asked) into one ZIP.

    Returns what was written: ``path``, ``sha256`` of the archive, ``manifest`` (BACKUP.json),
    ``warnings``. Raises BackupError, leaving nothing under the final name, when the snapshot
    is damaged, the audit chain is broken (unless allowed) or the key is asked for but unusable.
    The backup is recorded in the live database's audit log: it copies out all personal data.
    """
    source = str(store_or_db_path.path if isinstance(store_or_db_path, Store) else store_or_db_path)
    postgres = is_postgres_url(source)
    db_path = Path(source)
    if not postgres and (source == ":memory:" or not db_path.is_file()):
        raise BackupError(f"basis data {db_path} tidak ada")
    folder = Path(data_dir) if data_dir is not None else keys.data_dir(source)
    target = _target_path(str(out_dir_or_file))
    target.parent.mkdir(parents=True, exist_ok=True)
    if not postgres and target.resolve() == db_path.resolve():
        raise BackupError("berkas cadangan tidak boleh sama dengan basis data")
    warnings: list[str] = []
    key_path = folder / keys.PRIVATE_NAME
    if include_key:
        try:
            keys.load_private_key(folder)  # missing, readable by others or not Ed25519: refuse now
        except keys.InstanceKeyError as exc:
            raise BackupError(str(exc)) from None
        warnings.append("arsip memuat kunci privat instans: simpan sebagai rahasia (siapa pun yang memegangnya "
                        "dapat menandatangani bundel bukti palsu)")
    report = (lambda stage, done, total: progress(stage, done, total)) if progress else (lambda *a: None)

    fd, snap_name = tempfile.mkstemp(dir=target.parent, prefix=".netra-backup-", suffix=".pgdump" if postgres else ".db")
    os.close(fd)
    snap = Path(snap_name)
    member = PG_DUMP_NAME if postgres else DB_NAME
    archive_tmp: Path | None = None
    try:
        if postgres:
            integrity, audit_result, figures = _dump_postgres(source, snap, report)
        else:
            try:
                rows.snapshot(db_path, snap, pages_per_step=pages_per_step,
                              progress=lambda done, total: report("snapshot", done, total))
            except sqlite3.Error as exc:
                raise BackupError(f"basis data {db_path} tidak dapat disalin: {exc}") from None
            report("check", 0, 1)
            integrity, audit_result, figures = _check_snapshot(snap)
            report("check", 1, 1)
        if integrity:
            raise BackupError("salinan basis data gagal pemeriksaan integritas: " + "; ".join(integrity[:5]))
        if not audit_result.ok:
            message = f"jejak audit rusak: {audit_result.reason}"
            if not allow_broken_audit:
                raise BackupError(message + " (cadangan tidak dibuat; periksa dengan `netra audit verify`, "
                                  "atau gunakan --allow-broken-audit untuk tetap mencadangkan)")
            warnings.append(message + "; cadangan tetap dibuat karena diizinkan")
        media = _media_files(folder / "media") if include_media else []
        total_bytes = snap.stat().st_size + sum(p.stat().st_size for _, p in media)
        done = 0

        def advance(n: int) -> None:
            nonlocal done
            done += n
            report("archive", done, total_bytes)

        fd, archive_name = tempfile.mkstemp(dir=target.parent, prefix=".netra-backup-", suffix=".zip.tmp")
        os.close(fd)  # mkstemp made it 0600; it keeps that mode through the rename
        archive_tmp = Path(archive_name)
        files: dict[str, dict] = {}
        with zipfile.ZipFile(archive_tmp, "w", allowZip64=True) as zf:
            files[member] = _add_file(zf, member, snap, advance=advance)
            for name, path in media:
                try:
                    files[name] = _add_file(zf, name, path, compress=False, advance=advance)
                except FileNotFoundError:  # removed between listing and copying
                    continue
                if _HEX64.match(path.name) and files[name]["sha256"] != path.name:
                    warnings.append(f"berkas media {name} tidak cocok dengan hash pada namanya (disalin apa adanya)")
            if include_key:
                files[KEY_NAME] = _add_file(zf, KEY_NAME, key_path, mode=0o600)
            manifest = {
                "format": FORMAT, "format_version": FORMAT_VERSION, "created_at": utcnow(),
                "netra_version": _netra_version(), "engine": "postgresql" if postgres else "sqlite",
                "source_db": redact(source) if postgres else str(db_path.resolve()),
                "schema_version": figures["schema_version"], "row_counts": figures["row_counts"],
                "audit": {"ok": audit_result.ok, "entries": audit_result.entries,
                          "head": figures["audit_head"], "problem": audit_result.reason,
                          "first_bad_id": audit_result.first_bad_id},
                "integrity_check": "ok",
                "includes": {"media": include_media, "key": include_key},
                "media_files": sum(1 for name in files if name.startswith("media/")),
                "instance_key_fingerprint": _key_fingerprint(folder),
                "files": files,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
            _add_bytes(zf, MANIFEST, data)
            _add_bytes(zf, MANIFEST_HASH, f"{hashlib.sha256(data).hexdigest()}  {MANIFEST}\n".encode())
            signer = _signing_key(folder)
            if signer is None:
                warnings.append("instans ini belum punya kunci penanda tangan (netra init): cadangan tidak "
                                "ditandatangani, hanya di-hash")
            else:
                _add_bytes(zf, SIGNATURE, signer.sign(data))
        with zipfile.ZipFile(archive_tmp) as zf:
            bad = zf.testzip()  # re-read every member once: what was written is what can be read back
        if bad is not None:
            raise BackupError(f"arsip sementara rusak pada {bad}")
        archive_sha = _sha256_file(archive_tmp)
        with archive_tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(archive_tmp, target)
        archive_tmp = None
        _fsync_dir(target.parent)
    finally:
        for leftover in (snap, Path(f"{snap}-journal"), archive_tmp):
            if leftover is not None:
                leftover.unlink(missing_ok=True)
    try:
        _record(store_or_db_path, source, actor, "backup.create", f"backup:{archive_sha}", file=target.name,
                media_files=manifest["media_files"], include_key=include_key, audit_ok=audit_result.ok)
    except sqlite3.Error as exc:  # the archive is complete and stays; say that the log missed it
        warnings.append(f"cadangan sudah ditulis, tetapi gagal dicatat di jejak audit: {exc}")
    return {"path": str(target), "sha256": archive_sha, "size": target.stat().st_size,
            "manifest": manifest, "warnings": warnings}


def _dump_postgres(url: str, out: Path, report: Callable[[str, int, int], None]
                   ) -> tuple[list[str], audit.VerifyResult, dict]:
    """pg_dump the live PostgreSQL database into ``out``; the figures BACKUP.json records (row
    counts, audit head and chain check) are read in the very snapshot the dump is taken from."""
    try:
        with connect(url) as store, rows.pg_snapshot(store) as snapshot_id:
            report("check", 0, 1)
            result = audit.verify(store)
            figures = {"schema_version": rows.schema_version(store), "row_counts": rows.row_counts(store),
                       "audit_head": audit.head(store)}
            report("check", 1, 1)
            report("snapshot", 0, 1)
            pgdump.dump(url, out, snapshot=snapshot_id)
            report("snapshot", 1, 1)
    except pgdump.DumpError as exc:
        raise BackupError(str(exc)) from None
    except sqlite3.Error as exc:  # PgConnection's errors are sqlite3's subclasses
        raise BackupError(f"basis data {redact(url)} tidak dapat dicadangkan: {redact(str(exc))}") from None
    return [], result, figures


def _signing_key(folder: Path):
    """The instance's private key when there is a usable one, else None (the backup is then unsigned)."""
    try:
        return keys.load_private_key(folder)
    except (OSError, keys.InstanceKeyError):
        return None


def _record(store_or_path: Store | str | Path, db: str, actor: str, action: str, target: str,
            **details) -> None:
    if isinstance(store_or_path, Store):
        audit.record(store_or_path, actor, action, target, **details)
        return
    with connect(db, create=False) as store:
        audit.record(store, actor, action, target, **details)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- verify --------------------------------------------------------------------------------

def _safe_name(name: str) -> bool:
    """Only the names ``create`` writes; anything else (``../x``, absolute paths) is refused."""
    return name in (DB_NAME, PG_DUMP_NAME, MANIFEST, MANIFEST_HASH, SIGNATURE, KEY_NAME) or (
        bool(_MEDIA_NAME.match(name)) and ".." not in name.split("/"))


def _read_manifest(zf: zipfile.ZipFile, report: VerifyReport) -> dict | None:
    names = set(zf.namelist())
    if MANIFEST not in names:
        report.problem(MANIFEST, "tidak ada di arsip")
        return None
    try:
        data = zf.read(MANIFEST)
    except (zipfile.BadZipFile, zlib.error, OSError) as exc:
        report.problem(MANIFEST, f"tidak terbaca: {exc}")
        return None
    if MANIFEST_HASH not in names:
        report.problem(MANIFEST_HASH, "tidak ada di arsip")
    else:
        try:
            recorded = zf.read(MANIFEST_HASH).decode("ascii", "replace").split()[0:1]
        except (zipfile.BadZipFile, zlib.error, OSError) as exc:
            report.problem(MANIFEST_HASH, f"tidak terbaca: {exc}")
        else:
            if recorded != [hashlib.sha256(data).hexdigest()]:
                report.problem(MANIFEST, f"isi telah diubah (hash tidak cocok dengan {MANIFEST_HASH})")
    try:
        manifest = json.loads(data)
    except ValueError as exc:
        report.problem(MANIFEST, f"bukan JSON yang sah: {exc}")
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
        report.problem(MANIFEST, "bukan manifes cadangan Netra")
        return None
    if manifest.get("format_version") != FORMAT_VERSION:
        report.problem(MANIFEST, f"versi format {manifest.get('format_version')!r} tidak dikenal")
        return None
    return manifest


def _extract_member(zf: zipfile.ZipFile, name: str, dest: Path | None) -> str:
    """Hash one member (writing it to ``dest`` when given); the ZIP's CRC is checked on the way."""
    digest = hashlib.sha256()
    if dest is not None:
        dest.parent.mkdir(parents=True, exist_ok=True)
    limit, written = zf.getinfo(name).file_size, 0
    with zf.open(name) as member, (dest.open("wb") if dest is not None else _Discard()) as handle:
        while chunk := member.read(CHUNK):
            written += len(chunk)
            if written > limit:  # never trust the stream past the size the ZIP declared
                raise OSError(f"isi lebih besar dari ukuran yang dinyatakan ({limit} bita)")
            digest.update(chunk)
            handle.write(chunk)
    return digest.hexdigest()


class _Discard:
    """A sink for members that are only hashed (verify writes only the database to disk)."""

    def __enter__(self) -> "_Discard":
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def write(self, data: bytes) -> int:
        return len(data)


def _check_sizes(zf: zipfile.ZipFile, manifest: dict, workdir: Path, report: VerifyReport,
                 extract_all: bool) -> None:
    """Before reading a byte: every member's size in the ZIP must be the one BACKUP.json
    declares, no member may expand more than MAX_RATIO times, the total is capped, and what
    will be written must fit on the disk (the database always, everything for a restore)."""
    listed: dict = manifest["files"]
    total = to_write = 0
    for info in zf.infolist():
        if info.filename in (MANIFEST, MANIFEST_HASH, SIGNATURE):
            if info.file_size > 1024 * 1024:
                report.problem(info.filename, "terlalu besar untuk berkas manifes")
            continue
        entry = listed.get(info.filename)
        declared = entry.get("size") if isinstance(entry, dict) else None
        if declared is not None and declared != info.file_size:
            report.problem(info.filename, f"ukuran di arsip ({info.file_size} bita) tidak sama dengan BACKUP.json "
                                          f"({declared} bita)")
        if info.file_size > max(info.compress_size, 1) * MAX_RATIO and info.file_size > CHUNK:
            report.problem(info.filename, f"rasio pemadatan {info.file_size // max(info.compress_size, 1)}:1 "
                                          "tidak wajar (bom ZIP?)")
        total += info.file_size
        if extract_all or info.filename in (DB_NAME, PG_DUMP_NAME):
            to_write += info.file_size
    if total > MAX_TOTAL_BYTES:
        report.problem(archive_name(report), f"isi arsip {total} bita melebihi batas {MAX_TOTAL_BYTES} bita")
    free = shutil.disk_usage(workdir).free
    if to_write + FREE_SPACE_MARGIN > free:
        report.problem(archive_name(report), f"ruang disk tidak cukup: perlu {to_write} bita, tersedia {free} bita")


def archive_name(report: VerifyReport) -> str:
    return Path(report.archive).name


def _check_files(zf: zipfile.ZipFile, manifest: dict, workdir: Path, report: VerifyReport,
                 extract_all: bool) -> set[str]:
    """Hash every member against BACKUP.json; return the names that are intact.

    The database is always extracted to ``workdir`` (it is checked next); the other files only
    for a restore, so verifying a large archive needs room for the database alone.
    """
    listed: dict = manifest["files"]
    intact = set()
    seen = set()
    for info in zf.infolist():
        name = info.filename
        if name in (MANIFEST, MANIFEST_HASH, SIGNATURE):
            continue
        if name in seen:
            report.problem(name, "muncul lebih dari sekali di arsip")
            continue
        seen.add(name)
        if not _safe_name(name):
            report.problem(name, "nama berkas tidak diizinkan di arsip cadangan")
            continue
        if name not in listed:
            report.problem(name, f"tidak tercatat di {MANIFEST}")
            continue
        try:
            digest = _extract_member(zf, name, workdir / name if extract_all or name in (DB_NAME, PG_DUMP_NAME) else None)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
            report.problem(name, f"tidak terbaca (arsip rusak): {exc}")
            if extract_all:
                return intact
            continue
        report.files_checked += 1
        expected = listed[name].get("sha256") if isinstance(listed[name], dict) else None
        if digest != expected:
            report.problem(name, "hash SHA-256 tidak cocok dengan BACKUP.json (isi diubah)")
            if extract_all:
                return intact
            continue
        intact.add(name)
        base = name.rsplit("/", 1)[-1]
        if name.startswith("media/") and _HEX64.match(base) and digest != base:
            report.warnings.append(f"berkas media {name} tidak cocok dengan hash pada namanya")
    for name in sorted(set(listed) - seen):
        report.problem(name, "tercatat di BACKUP.json tetapi hilang dari arsip")
    return intact


def _check_database(path: Path, manifest: dict, report: VerifyReport) -> None:
    """integrity_check and audit.verify on the contained copy, and its figures against BACKUP.json."""
    integrity, audit_result, figures = _check_snapshot(path)
    if integrity:
        report.problem(DB_NAME, "pemeriksaan integritas gagal: " + "; ".join(integrity[:5]))
        return
    recorded_audit = manifest.get("audit") or {}
    report.audit_ok = audit_result.ok
    if not audit_result.ok:
        known = recorded_audit.get("ok") is False and recorded_audit.get("problem") == audit_result.reason
        message = f"jejak audit rusak: {audit_result.reason}"
        if known:
            report.warnings.append(message + " (sudah tercatat saat cadangan dibuat)")
        else:
            report.problem(DB_NAME, message)
    for key, label in (("schema_version", "versi skema"), ("row_counts", "jumlah baris")):
        if manifest.get(key) != figures[key]:
            report.problem(MANIFEST, f"{label} tidak cocok dengan {DB_NAME}")
    if recorded_audit.get("head") != figures["audit_head"]:
        report.problem(MANIFEST, f"kepala jejak audit tidak cocok dengan {DB_NAME}")


def _check_signature(zf: zipfile.ZipFile, report: VerifyReport, public_key: bytes | None) -> None:
    """With a public key from outside the archive, BACKUP.sig must be its valid signature of BACKUP.json.

    Without one the signature cannot prove anything (a forger would sign with their own key), so
    it is only reported as unchecked.
    """
    names = set(zf.namelist())
    if public_key is None:
        if SIGNATURE in names:
            report.warnings.append("tanda tangan arsip tidak diperiksa: tidak ada kunci publik pembanding "
                                   "(jalankan di instans asalnya atau beri --public-key)")
        return
    if SIGNATURE not in names:
        report.problem(SIGNATURE, "tidak ada: arsip tidak ditandatangani, keasliannya tidak dapat dibuktikan")
        return
    try:
        key = keys.load_public_key(public_key)
        key.verify(zf.read(SIGNATURE), zf.read(MANIFEST))
        report.signature_verified = True
    except keys.InstanceKeyError as exc:
        report.problem(SIGNATURE, f"kunci publik pembanding tidak terbaca: {exc}")
    except InvalidSignature:
        report.problem(SIGNATURE, f"tanda tangan tidak sah: {MANIFEST} diubah atau ditandatangani kunci lain")
    except (zipfile.BadZipFile, zlib.error, OSError) as exc:
        report.problem(SIGNATURE, f"tidak terbaca: {exc}")


def _verify_into(archive: Path, workdir: Path, *, extract_all: bool = False,
                 public_key: bytes | None = None) -> VerifyReport:
    report = VerifyReport(str(archive))
    if not archive.is_file():
        report.problem(archive.name, "berkas tidak ada")
        return report
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        report.problem(archive.name, f"bukan arsip ZIP yang terbaca: {exc}")
        return report
    with zf:
        manifest = _read_manifest(zf, report)
        report.manifest = manifest
        if manifest is None:
            return report
        _check_signature(zf, report, public_key)
        _check_sizes(zf, manifest, workdir, report, extract_all)
        if extract_all and not report.ok:
            return report  # a restore stops at the first failure: nothing is extracted
        intact = _check_files(zf, manifest, workdir, report, extract_all)
    member = database_member(manifest)
    if member not in manifest["files"]:
        report.problem(member, f"tidak tercatat di {MANIFEST}")
    elif member in intact and member == PG_DUMP_NAME:
        _check_dump(workdir / member, report)
    elif member in intact:
        _check_database(workdir / member, manifest, report)
    return report


def database_member(manifest: dict) -> str:
    """The archive member holding the database: the SQLite file, or a PostgreSQL dump."""
    return PG_DUMP_NAME if manifest.get("engine") == "postgresql" else DB_NAME


def _check_dump(path: Path, report: VerifyReport) -> None:
    """A PostgreSQL dump is checked as far as it can be without a server: pg_restore must read its
    whole table of contents, and it must hold the audit log's rows. Its counts and audit chain
    are checked against BACKUP.json when it is restored (``restore`` into an empty database)."""
    try:
        entries = pgdump.contents(path)
    except pgdump.DumpError as exc:
        report.problem(PG_DUMP_NAME, str(exc))
        return
    if not any("TABLE DATA" in line and " audit_log " in line for line in entries):
        report.problem(PG_DUMP_NAME, "dump tidak memuat isi tabel audit_log")
        return
    report.warnings.append(DUMP_CHECKED_ON_RESTORE)


def verify(archive: str | Path, *, public_key: bytes | None = None) -> VerifyReport:
    """Recompute every hash, check the signature against ``public_key`` (PEM) when given, then
    the contained database; problems are named by file.

    The database is extracted to the system's temporary folder (``TMPDIR``) for the checks.
    """
    with tempfile.TemporaryDirectory(prefix="netra-verify-") as workdir:
        return _verify_into(Path(archive), Path(workdir), public_key=public_key)


# --- restore -------------------------------------------------------------------------------

def _place(source: Path, dest: Path, *, mode: int = 0o600) -> None:
    """Copy ``source`` to ``dest`` through a temporary file in dest's folder, then rename."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(dest, mode=mode) as handle, source.open("rb") as src:
        shutil.copyfileobj(src, handle, CHUNK)


def _sidecars(db: Path) -> Iterator[Path]:
    for suffix in ("-wal", "-shm", "-journal"):
        yield Path(f"{db}{suffix}")


def _move_aside(db: Path) -> Path:
    """Rename an existing database (with its WAL, which may hold committed rows) out of the way."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    aside = db.with_name(f"{db.name}.sebelum-pemulihan-{stamp}")
    os.replace(db, aside)
    wal, shm, journal = _sidecars(db)
    if wal.exists():
        os.replace(wal, Path(f"{aside}-wal"))  # stays paired: opening `aside` replays it
    if journal.exists():
        os.replace(journal, Path(f"{aside}-journal"))
    shm.unlink(missing_ok=True)  # rebuilt from the WAL on next open
    return aside


def restore(archive: str | Path, target_db: str | Path, *, force: bool = False,
            data_dir: str | Path | None = None, actor: str = "cli", public_key: bytes | None = None,
            allow_unsigned: bool = False) -> dict:
    """Verify ``archive``, then put its database at ``target_db`` and its media/key in the data folder.

    Refuses a damaged archive, a backup from a newer schema than this Netra, and an existing
    database or a different instance key unless ``force``; with ``force`` the old database is
    renamed aside (``<name>.sebelum-pemulihan-<time>``), never deleted. Stop the collector and
    the dashboard first: a process still holding the old file would keep writing to it. The
    restored database is opened once, which runs pending migrations, and the restore is audited.

    The archive's signature must verify against ``public_key`` (a key from outside it: this
    instance's or the auditor's). An unsigned or unverifiable archive is refused unless
    ``allow_unsigned``; even then a key inside it is never installed (issue 15, item 6: an
    attacker's archive would otherwise make its own key the instance key).
    """
    if is_postgres_url(str(target_db)):
        return _restore_postgres(archive, str(target_db), data_dir=data_dir, actor=actor, public_key=public_key,
                                 allow_unsigned=allow_unsigned, force=force)
    archive, target = Path(archive), Path(target_db)
    folder = Path(data_dir) if data_dir is not None else keys.data_dir(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(dir=target.parent, prefix=".netra-restore-"))
    try:
        report = _verified(archive, workdir, public_key=public_key, allow_unsigned=allow_unsigned)
        manifest = report.manifest or {}
        if database_member(manifest) != DB_NAME:
            raise BackupError(f"arsip {archive.name} berisi dump PostgreSQL: pulihkan ke URL postgresql:// "
                              "basis data kosong (--db), bukan ke berkas")
        if target.exists() and not force:
            raise BackupError(f"basis data {target} sudah ada; gunakan --force untuk menggantinya "
                              "(yang lama disimpan dengan nama lain)")
        media, key_installed = _install_files(report, workdir, folder, force=force)
        previous = _move_aside(target) if target.exists() else None
        for stale in _sidecars(target):  # a WAL left by another database must never meet this file
            stale.unlink(missing_ok=True)
        os.chmod(workdir / DB_NAME, 0o600)  # personal data, like the archive itself
        os.replace(workdir / DB_NAME, target)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    with connect(target) as store:
        applied = store.schema_version() - int(manifest.get("schema_version") or 0)
        audit.record(store, actor, "backup.restore", f"backup:{_sha256_file(archive)}", file=archive.name,
                     backup_created_at=manifest.get("created_at"), replaced=str(previous) if previous else None)
        chain = _reseal(store, folder)
        counts = rows.row_counts(store)
    return {"db": str(target), "previous": str(previous) if previous else None, "media_files": media,
            "key": key_installed, "migrations_applied": applied, "audit_ok": chain.ok,
            "row_counts": counts, "warnings": report.warnings, "manifest": manifest}


def _verified(archive: Path, workdir: Path, *, public_key: bytes | None, allow_unsigned: bool) -> VerifyReport:
    """Extract and verify ``archive`` into ``workdir`` for a restore; refuse what must not be restored."""
    report = _verify_into(archive, workdir, extract_all=True, public_key=public_key)
    if not report.ok:
        listed = "; ".join(f"{p.file}: {p.message}" for p in report.problems[:10])
        raise BackupError(f"arsip {archive.name} tidak lolos verifikasi, tidak dipulihkan: {listed}")
    if not report.signature_verified and not allow_unsigned:
        raise BackupError(f"tanda tangan arsip {archive.name} tidak dapat dipastikan (tidak ada kunci publik "
                          "pembanding atau arsip tidak ditandatangani); tidak dipulihkan. Beri --public-key, "
                          "atau --allow-unsigned bila Anda yakin akan asal arsip ini")
    manifest = report.manifest or {}
    if int(manifest.get("schema_version") or 0) > latest_version():
        raise BackupError(f"cadangan berskema versi {manifest['schema_version']}, lebih baru dari Netra ini "
                          f"({latest_version()}); perbarui Netra dulu")
    return report


def _install_files(report: VerifyReport, workdir: Path, folder: Path, *, force: bool) -> tuple[int, bool]:
    """Put the archive's media and (from a signature-verified archive only) key into the data folder."""
    files = (report.manifest or {})["files"]
    key_source = workdir / KEY_NAME if KEY_NAME in files else None
    if key_source is not None and not report.signature_verified:
        report.warnings.append("kunci instans di dalam arsip tidak dipasang: tanda tangan arsip tidak diperiksa "
                               "terhadap kunci dari luar arsip")
        key_source = None
    key_dest = folder / keys.PRIVATE_NAME
    if key_source is not None and key_dest.exists() and key_dest.read_bytes() != key_source.read_bytes() and not force:
        raise BackupError(f"kunci instans lain sudah ada di {folder}; gunakan --force untuk menggantinya")
    media = 0
    for name in sorted(n for n in files if n.startswith("media/")):
        dest = folder / name
        if not (dest.is_file() and _sha256_file(dest) == files[name]["sha256"]):
            _place(workdir / name, dest)
        media += 1
    if key_source is not None:
        if key_dest.exists() and key_dest.read_bytes() != key_source.read_bytes():
            os.replace(key_dest, key_dest.with_name(f"{keys.PRIVATE_NAME}.sebelum-pemulihan"))
        _place(key_source, key_dest, mode=0o600)
        keys.ensure_instance_key(folder)  # rewrites the public half to match
    return media, key_source is not None


def _reseal(store: Store, folder: Path) -> audit.VerifyResult:
    """Verify the restored chain; when whole, start a new sealed line (the old seal is kept aside)."""
    chain = audit.verify(store)
    if chain.ok and keys.instance_public_key(folder) is not None:
        from . import seal

        seal.write(store, folder, restart=True)
    return chain


def _restore_postgres(archive: str | Path, url: str, *, data_dir: str | Path | None, actor: str,
                      public_key: bytes | None, allow_unsigned: bool, force: bool) -> dict:
    """``pg_restore`` a PostgreSQL archive into the EMPTY database at ``url``, then check on arrival.

    Never into a database that has tables, even with ``force``: dropping a live PostgreSQL
    database is the operator's decision, taken with PostgreSQL's own tools, not Netra's. The
    restored counts and audit head must equal BACKUP.json's before the restore is recorded.
    """
    archive = Path(archive)
    folder = Path(data_dir) if data_dir is not None else keys.data_dir(url)
    workdir = Path(tempfile.mkdtemp(prefix="netra-restore-"))
    try:
        report = _verified(archive, workdir, public_key=public_key, allow_unsigned=allow_unsigned)
        report.warnings = [w for w in report.warnings if w != DUMP_CHECKED_ON_RESTORE]  # checked below
        manifest = report.manifest or {}
        if database_member(manifest) != PG_DUMP_NAME:
            raise BackupError(f"arsip {archive.name} berisi basis data SQLite: pulihkan ke berkas, lalu pindahkan "
                              "dengan `netra migrate-to`")
        try:
            with rows.open_unmigrated(url) as target:
                if target.tables():
                    raise BackupError(f"basis data {redact(url)} tidak kosong; pemulihan PostgreSQL hanya ke basis "
                                      "data kosong (buat dengan createdb)")
        except sqlite3.Error as exc:
            raise BackupError(f"basis data {redact(url)} tidak dapat dibuka: {redact(str(exc))}") from None
        media, key_installed = _install_files(report, workdir, folder, force=force)
        os.chmod(workdir / PG_DUMP_NAME, 0o600)
        try:
            pgdump.restore(url, workdir / PG_DUMP_NAME)
        except pgdump.DumpError as exc:
            raise BackupError(str(exc)) from None
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    with connect(url) as store:
        counts, head = rows.row_counts(store), audit.head(store)
        if counts != manifest.get("row_counts") or head != (manifest.get("audit") or {}).get("head"):
            raise BackupError("basis data yang dipulihkan tidak cocok dengan BACKUP.json (jumlah baris atau kepala "
                              "jejak audit)")
        applied = store.schema_version() - int(manifest.get("schema_version") or 0)
        audit.record(store, actor, "backup.restore", f"backup:{_sha256_file(archive)}", file=archive.name,
                     backup_created_at=manifest.get("created_at"), replaced=None)
        chain = _reseal(store, folder)
        counts = rows.row_counts(store)
    return {"db": redact(url), "previous": None, "media_files": media, "key": key_installed,
            "migrations_applied": applied, "audit_ok": chain.ok, "row_counts": counts,
            "warnings": report.warnings, "manifest": manifest}
