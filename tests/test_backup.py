"""`netra backup`: consistent while another connection writes, verified, refused when the audit
log or the archive was tampered with, restored without overwriting by accident."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import stat
import threading
import zipfile
from pathlib import Path

import pytest

import evidence_data
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from monitor.evidence import audit, backup, keys, media as mediastore
from monitor.store import PostRecord, connect, people
from monitor.store import backup as backup_rows
from monitor.store.posts import upsert_posts
from test_cli import netra

PNG = b"\x89PNG\r\n\x1a\n" + b"tangkapan layar" * 50
JPEG = b"\xff\xd8\xff" + b"foto" * 40


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / ".netra"  # what keys.data_dir gives for a database in tmp_path


@pytest.fixture
def populated(store, data_dir):
    evidence_data.build(store)
    keys.ensure_instance_key(data_dir)
    media = [mediastore.put(data_dir / "media", PNG), mediastore.put(data_dir / "media", JPEG)]
    return {"store": store, "media": media}


def _counts(path: Path) -> dict[str, int]:
    with backup_rows.open_readonly(path) as opened:
        return backup_rows.row_counts(opened)


def _repack(archive: Path, change) -> None:
    """Rewrite the archive with ``change(members)`` applied (a dict name -> bytes, edited in place)."""
    with zipfile.ZipFile(archive) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    change(members)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def _files_named(report: backup.VerifyReport) -> set[str]:
    return {p.file for p in report.problems}


def test_create_verify_restore_round_trip(populated, db_path, data_dir, tmp_path):
    store = populated["store"]
    before = _counts(db_path)
    head_before = audit.head(store)
    result = backup.create(store, tmp_path / "cadangan" / "a.zip", data_dir=data_dir)
    archive = Path(result["path"])
    assert archive == tmp_path / "cadangan" / "a.zip"
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert sorted(p.name for p in archive.parent.iterdir()) == ["a.zip"]  # no temporary files left behind

    manifest = result["manifest"]
    assert manifest["row_counts"] == before and before["posts"] == 5 and before["flags"] == 3
    assert manifest["audit"]["ok"] and manifest["audit"]["head"] == head_before
    assert manifest["schema_version"] == store.schema_version()
    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
        assert json.loads(zf.read("BACKUP.json")) == manifest
    media_names = {f"media/{d[:2]}/{d}" for d in populated["media"]}
    assert names == {"netra.db", "BACKUP.json", "BACKUP.sha256", "BACKUP.sig"} | media_names
    assert set(manifest["files"]) == {"netra.db"} | media_names
    # The backup itself is audited in the live database, after the snapshot was taken.
    assert audit.head(store)["last_id"] == head_before["last_id"] + 1
    assert audit.verify(store).ok

    report = backup.verify(archive)
    assert report.ok, report.problems
    assert report.files_checked == 3 and report.audit_ok is True

    target = tmp_path / "pulih" / "netra.db"
    restored = backup.restore(archive, target, data_dir=tmp_path / "pulih" / ".netra",
                              public_key=_instance_pem(data_dir))
    assert restored["previous"] is None and restored["media_files"] == 2 and not restored["key"]
    with connect(target) as again:
        assert audit.verify(again).ok
        counts = backup_rows.row_counts(again)
        assert counts == {**before, "audit_log": before["audit_log"] + 1}  # + the restore's own entry
        last = again.one("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1")["action"]
        assert last == "backup.restore"
    for digest in populated["media"]:
        assert mediastore.read(tmp_path / "pulih" / ".netra" / "media", digest) is not None
    assert not (tmp_path / "pulih" / ".netra" / keys.PRIVATE_NAME).exists()


def test_a_folder_target_gets_a_time_stamped_name(populated, db_path, data_dir, tmp_path):
    folder = tmp_path / "harian"
    result = backup.create(db_path, str(folder) + "/", data_dir=data_dir, include_media=False)
    path = Path(result["path"])
    assert path.parent == folder and path.name.startswith("netra-backup-") and path.suffix == ".zip"
    with zipfile.ZipFile(path) as zf:
        assert not any(n.startswith("media/") for n in zf.namelist())
    assert backup.verify(path).ok


def test_backup_while_another_connection_inserts_is_one_consistent_snapshot(populated, db_path, data_dir, tmp_path):
    """A writer thread commits a post and its audit entry together, again and again; the backup
    waits for a fresh commit after every page step, so writes certainly land during the copy."""
    accounts = people.account_ids_by_handle(populated["store"])
    commits, stop, failures = [0], threading.Event(), []
    changed = threading.Condition()

    def writer() -> None:
        try:
            with connect(db_path) as other:
                i = 0
                while not stop.is_set():
                    i += 1
                    with other.write():
                        upsert_posts(other, [PostRecord(platform="x", post_id=f"w{i}", text=f"kiriman baru {i}",
                                                        raw={"id": f"w{i}"}, account_handle="budi")],
                                     account_ids=accounts)
                        audit.record(other, "penguji", "test.insert", f"post:w{i}")
                    with changed:
                        commits[0] += 1
                        changed.notify_all()
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
            with changed:
                changed.notify_all()

    steps = []

    def wait_for_a_write(stage: str, done: int, total: int) -> None:
        if stage != "snapshot":
            return
        if steps and done < steps[-1]:  # the copy restarted: stop writing so the test fails, not hangs
            stop.set()
        steps.append(done)
        if stop.is_set():
            return
        with changed:
            seen = commits[0]
            assert changed.wait_for(lambda: commits[0] > seen or failures, timeout=60)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        result = backup.create(db_path, tmp_path / "b.zip", data_dir=data_dir, pages_per_step=4,
                               progress=wait_for_a_write)
    finally:
        stop.set()
        thread.join()
    assert not failures, failures
    assert len(steps) >= 3 and steps == sorted(steps)  # many steps, never restarted from page one

    report = backup.verify(result["path"])
    assert report.ok, report.problems
    with zipfile.ZipFile(result["path"]) as zf:
        zf.extract("netra.db", tmp_path / "uit")
    with backup_rows.open_readonly(tmp_path / "uit" / "netra.db") as snap:
        assert backup_rows.integrity_problems(snap) == []
        assert audit.verify(snap).ok
        written = snap.one("SELECT COUNT(*) FROM posts WHERE post_id LIKE 'w%'")[0]
        logged = snap.one("SELECT COUNT(*) FROM audit_log WHERE action = 'test.insert'")[0]
    assert written == logged  # each post with its own audit entry: one moment, not a mix
    with connect(db_path) as live:
        live_written = live.one("SELECT COUNT(*) FROM posts WHERE post_id LIKE 'w%'")[0]
    assert live_written >= written + len(steps) - 1  # the writes made during the copy are not in it


def test_a_changed_byte_of_the_database_is_named(populated, db_path, data_dir, tmp_path):
    archive = Path(backup.create(db_path, tmp_path / "c.zip", data_dir=data_dir)["path"])

    def flip(members):
        data = bytearray(members["netra.db"])
        data[len(data) // 2] ^= 0x01
        members["netra.db"] = bytes(data)

    _repack(archive, flip)
    report = backup.verify(archive)
    assert not report.ok and _files_named(report) == {"netra.db"}


def test_a_changed_byte_inside_the_zip_stream_is_named(populated, db_path, data_dir, tmp_path):
    archive = Path(backup.create(db_path, tmp_path / "c.zip", data_dir=data_dir)["path"])
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo("netra.db")
    raw = bytearray(archive.read_bytes())
    # Local header: 30 fixed bytes, then the name and the extra field, then the compressed data.
    name_len = int.from_bytes(raw[info.header_offset + 26:info.header_offset + 28], "little")
    extra_len = int.from_bytes(raw[info.header_offset + 28:info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len
    raw[start + info.compress_size // 2] ^= 0x40
    archive.write_bytes(bytes(raw))
    report = backup.verify(archive)
    assert not report.ok and "netra.db" in _files_named(report)


def test_a_removed_media_file_is_named(populated, db_path, data_dir, tmp_path):
    archive = Path(backup.create(db_path, tmp_path / "c.zip", data_dir=data_dir)["path"])
    gone = f"media/{populated['media'][0][:2]}/{populated['media'][0]}"
    _repack(archive, lambda members: members.pop(gone))
    report = backup.verify(archive)
    assert _files_named(report) == {gone}
    assert "hilang" in report.problems[0].message


def test_an_edited_manifest_is_named_even_with_its_hash_recomputed(populated, db_path, data_dir, tmp_path):
    archive = Path(backup.create(db_path, tmp_path / "c.zip", data_dir=data_dir)["path"])

    def edit(members, rehash: bool):
        manifest = json.loads(members["BACKUP.json"])
        manifest["row_counts"]["posts"] += 1
        members["BACKUP.json"] = json.dumps(manifest).encode()
        if rehash:
            import hashlib

            members["BACKUP.sha256"] = hashlib.sha256(members["BACKUP.json"]).hexdigest().encode()

    _repack(archive, lambda m: edit(m, rehash=False))
    assert _files_named(backup.verify(archive)) == {"BACKUP.json"}
    _repack(archive, lambda m: edit(m, rehash=True))
    report = backup.verify(archive)
    assert _files_named(report) == {"BACKUP.json"}
    assert any("jumlah baris" in p.message for p in report.problems)


def _instance_pem(data_dir: Path) -> bytes:
    return keys.public_pem(keys.instance_public_key(data_dir))


def test_the_signature_is_checked_against_a_key_from_outside_the_archive(populated, db_path, data_dir, tmp_path):
    archive = Path(backup.create(db_path, tmp_path / "c.zip", data_dir=data_dir)["path"])
    signed = backup.verify(archive, public_key=_instance_pem(data_dir))
    assert signed.ok and not signed.warnings, (signed.problems, signed.warnings)
    unchecked = backup.verify(archive)
    assert unchecked.ok and any("tidak diperiksa" in w for w in unchecked.warnings)

    # A forger rebuilds the archive: edited BACKUP.json, hash recomputed, signed with their own key.
    import hashlib

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    def forge(members):
        manifest = json.loads(members["BACKUP.json"])
        manifest["created_at"] = "2020-01-01T00:00:00Z"
        members["BACKUP.json"] = json.dumps(manifest).encode()
        members["BACKUP.sha256"] = hashlib.sha256(members["BACKUP.json"]).hexdigest().encode()
        members["BACKUP.sig"] = Ed25519PrivateKey.generate().sign(members["BACKUP.json"])

    _repack(archive, forge)
    assert backup.verify(archive).ok  # hashes alone cannot tell
    forged = backup.verify(archive, public_key=_instance_pem(data_dir))
    assert _files_named(forged) == {"BACKUP.sig"} and "tidak sah" in forged.problems[0].message
    _repack(archive, lambda m: m.pop("BACKUP.sig"))
    stripped = backup.verify(archive, public_key=_instance_pem(data_dir))
    assert _files_named(stripped) == {"BACKUP.sig"} and "tidak ditandatangani" in stripped.problems[0].message
    with pytest.raises(backup.BackupError, match="BACKUP.sig"):
        backup.restore(archive, tmp_path / "pulih.db", public_key=_instance_pem(data_dir))
    assert not (tmp_path / "pulih.db").exists()


def test_an_instance_without_a_key_makes_an_unsigned_backup_and_says_so(store, db_path, tmp_path):
    evidence_data.build(store)
    result = backup.create(db_path, tmp_path / "c.zip", data_dir=tmp_path / "kosong")
    assert any("tidak ditandatangani" in w for w in result["warnings"])
    with zipfile.ZipFile(result["path"]) as zf:
        assert "BACKUP.sig" not in zf.namelist()
    assert backup.verify(result["path"]).ok


def test_an_extra_or_escaping_file_is_refused(populated, db_path, data_dir, tmp_path):
    archive = Path(backup.create(db_path, tmp_path / "c.zip", data_dir=data_dir)["path"])
    _repack(archive, lambda m: m.update({"../../luar.txt": b"x", "media/zz/tambahan": b"y"}))
    assert _files_named(backup.verify(archive)) == {"../../luar.txt", "media/zz/tambahan"}
    assert not (tmp_path.parent / "luar.txt").exists()


def test_restore_refuses_to_overwrite_without_force_and_keeps_the_old_database(populated, db_path, data_dir, tmp_path):
    archive = Path(backup.create(db_path, tmp_path / "c.zip", data_dir=data_dir)["path"])
    posts_then = _counts(db_path)["posts"]
    with connect(db_path) as live:  # a change made after the backup
        live.conn.execute("DELETE FROM post_versions")
    with pytest.raises(backup.BackupError, match="--force"):
        backup.restore(archive, db_path, data_dir=data_dir, public_key=_instance_pem(data_dir))
    assert _counts(db_path)["post_versions"] == 0  # untouched

    result = backup.restore(archive, db_path, force=True, data_dir=data_dir, public_key=_instance_pem(data_dir))
    previous = Path(result["previous"])
    assert previous.exists() and previous.name.startswith("netra.db.sebelum-pemulihan-")
    assert _counts(previous)["post_versions"] == 0
    restored = _counts(db_path)
    assert restored["post_versions"] == 1 and restored["posts"] == posts_then
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".netra-restore-")]


def test_restore_refuses_a_damaged_archive_and_writes_nothing(populated, db_path, data_dir, tmp_path):
    archive = Path(backup.create(db_path, tmp_path / "c.zip", data_dir=data_dir)["path"])
    _repack(archive, lambda m: m.update({"netra.db": m["netra.db"][:-4096]}))
    target = tmp_path / "baru" / "netra.db"
    with pytest.raises(backup.BackupError, match="netra.db"):
        backup.restore(archive, target, data_dir=tmp_path / "baru" / ".netra")
    assert not target.exists() and not (tmp_path / "baru" / ".netra").exists()


def test_the_key_is_only_in_the_archive_when_asked_for(populated, db_path, data_dir, tmp_path):
    plain = backup.create(db_path, tmp_path / "tanpa.zip", data_dir=data_dir)
    with zipfile.ZipFile(plain["path"]) as zf:
        assert not any("key" in n for n in zf.namelist())
    assert plain["manifest"]["instance_key_fingerprint"] == keys.ensure_instance_key(data_dir).fingerprint

    secret = backup.create(db_path, tmp_path / "dengan.zip", data_dir=data_dir, include_key=True)
    assert any("rahasia" in w for w in secret["warnings"])
    assert stat.S_IMODE(Path(secret["path"]).stat().st_mode) == 0o600
    with zipfile.ZipFile(secret["path"]) as zf:
        assert zf.read("key/instance_key.pem") == (data_dir / keys.PRIVATE_NAME).read_bytes()
    other = tmp_path / "lain" / ".netra"
    restored = backup.restore(secret["path"], tmp_path / "lain" / "netra.db", data_dir=other,
                                  public_key=_instance_pem(data_dir))
    assert restored["key"]
    assert stat.S_IMODE((other / keys.PRIVATE_NAME).stat().st_mode) == 0o600
    assert keys.ensure_instance_key(other).fingerprint == keys.ensure_instance_key(data_dir).fingerprint


def test_a_different_key_in_the_data_folder_is_not_replaced_without_force(populated, db_path, data_dir, tmp_path):
    secret = backup.create(db_path, tmp_path / "dengan.zip", data_dir=data_dir, include_key=True)
    other = tmp_path / "lain" / ".netra"
    keys.ensure_instance_key(other)
    with pytest.raises(backup.BackupError, match="kunci instans lain"):
        backup.restore(secret["path"], tmp_path / "lain" / "netra.db", data_dir=other,
                                  public_key=_instance_pem(data_dir))
    assert not (tmp_path / "lain" / "netra.db").exists()


def test_a_tampered_audit_log_is_refused_unless_allowed(populated, db_path, data_dir, tmp_path):
    raw = sqlite3.connect(db_path, isolation_level=None)
    raw.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    raw.execute("UPDATE audit_log SET actor = 'orang lain' WHERE id = 2")
    raw.close()
    with pytest.raises(backup.BackupError, match="jejak audit rusak.*#2"):
        backup.create(db_path, tmp_path / "out" / "x.zip", data_dir=data_dir)
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []

    result = backup.create(db_path, tmp_path / "out" / "x.zip", data_dir=data_dir, allow_broken_audit=True)
    assert result["manifest"]["audit"]["ok"] is False and result["manifest"]["audit"]["first_bad_id"] == 2
    assert any("jejak audit rusak" in w for w in result["warnings"])
    report = backup.verify(result["path"])
    assert report.ok and report.audit_ok is False and any("sudah tercatat" in w for w in report.warnings)

    # A manifest that hides the broken chain does not make it pass.
    def hide(members):
        import hashlib

        manifest = json.loads(members["BACKUP.json"])
        manifest["audit"].update(ok=True, problem=None, first_bad_id=None)
        members["BACKUP.json"] = json.dumps(manifest).encode()
        members["BACKUP.sha256"] = hashlib.sha256(members["BACKUP.json"]).hexdigest().encode()

    _repack(Path(result["path"]), hide)
    assert "netra.db" in _files_named(backup.verify(result["path"]))


def test_a_missing_database_is_refused(tmp_path):
    with pytest.raises(backup.BackupError, match="tidak ada"):
        backup.create(tmp_path / "tidak-ada.db", tmp_path / "x.zip", data_dir=tmp_path / ".netra")
    assert not (tmp_path / "tidak-ada.db").exists() and not (tmp_path / "x.zip").exists()


def test_cli_create_verify_restore_with_exit_codes(populated, db_path, tmp_path):
    archive = tmp_path / "cadangan.zip"
    created = netra("backup", "create", "-o", str(archive), "--include-key", db=db_path)
    assert created.returncode == 0, created.stderr
    assert "Cadangan ditulis" in created.stdout and "rahasia" in created.stderr
    verified = netra("backup", "verify", str(archive), cwd=tmp_path)  # never the repository's own .netra
    assert verified.returncode == 0, verified.stderr
    assert "Cadangan utuh" in verified.stdout
    pem = tmp_path / "publik.pem"
    pem.write_bytes(_instance_pem(tmp_path / ".netra"))
    checked = netra("backup", "verify", str(archive), "--public-key", str(pem))
    assert checked.returncode == 0 and "Tanda tangan sah" in checked.stdout, checked.stderr
    own = netra("backup", "verify", str(archive), db=db_path)  # this instance's own key by default
    assert own.returncode == 0 and "Tanda tangan sah (kunci instans ini)" in own.stdout, own.stderr
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    other = tmp_path / "lain.pem"
    other.write_bytes(keys.public_pem(Ed25519PrivateKey.generate().public_key()))
    wrong = netra("backup", "verify", str(archive), "--public-key", str(other))
    assert wrong.returncode == 1 and "BACKUP.sig" in wrong.stderr

    target = tmp_path / "pulih" / "netra.db"
    unproven = netra("backup", "restore", str(archive), db=target)  # a new machine has no key to compare
    assert unproven.returncode == 1 and "tidak dapat dipastikan" in unproven.stderr and not target.exists()
    restored = netra("backup", "restore", str(archive), "--public-key", str(pem), db=target)
    assert restored.returncode == 0, restored.stderr
    assert "Dipulihkan" in restored.stdout and "kunci instans" in restored.stdout
    assert (tmp_path / "pulih" / ".netra" / keys.PRIVATE_NAME).exists()
    assert netra("audit", "verify", db=target).returncode == 0
    again = netra("backup", "restore", str(archive), db=target)  # now its own key is the reference
    assert again.returncode == 1 and "--force" in again.stderr
    assert netra("backup", "restore", str(archive), "--force", db=target).returncode == 0

    gone = f"media/{populated['media'][1][:2]}/{populated['media'][1]}"
    _repack(archive, lambda m: m.pop(gone))
    broken = netra("backup", "verify", str(archive), cwd=tmp_path)
    assert broken.returncode == 1 and gone in broken.stderr
    assert netra("backup", "restore", str(archive), db=tmp_path / "lagi.db").returncode == 1
    assert not (tmp_path / "lagi.db").exists()
    nightly = netra("backup", "create", "-o", str(tmp_path / "harian") + "/", "--no-media", db=db_path)
    assert nightly.returncode == 0, nightly.stderr
    [made] = (tmp_path / "harian").iterdir()
    assert made.name.startswith("netra-backup-") and "rahasia" not in nightly.stderr
    missing = netra("backup", "create", "-o", str(tmp_path / "y.zip"), db=tmp_path / "tidak-ada.db")
    assert missing.returncode == 1 and "Gagal" in missing.stderr


# --- issue 15, item 6: restore trusts only what it verified --------------------------------------

def _attacker_archive(path: Path, db_source: Path) -> Path:
    """An unsigned archive built by hand, consistent hashes and all, carrying the attacker's key."""
    from cryptography.hazmat.primitives import serialization

    attacker = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    good = backup.create(db_source, path.parent / "asli.zip", data_dir=path.parent / "tanpa-kunci")["path"]
    with zipfile.ZipFile(good) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    manifest = json.loads(members["BACKUP.json"])
    manifest["files"]["key/instance_key.pem"] = {"sha256": hashlib.sha256(attacker).hexdigest(),
                                                  "size": len(attacker)}
    members["key/instance_key.pem"] = attacker
    members["BACKUP.json"] = json.dumps(manifest).encode()
    members["BACKUP.sha256"] = hashlib.sha256(members["BACKUP.json"]).hexdigest().encode()
    members.pop("BACKUP.sig", None)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_an_unsigned_archive_with_a_key_is_refused_and_never_installs_its_key(store, db_path, tmp_path):
    evidence_data.build(store)
    archive = _attacker_archive(tmp_path / "serangan.zip", db_path)
    assert backup.verify(archive).ok  # hashes alone agree: only a signature could tell
    target, folder = tmp_path / "pulih" / "netra.db", tmp_path / "pulih" / ".netra"
    with pytest.raises(backup.BackupError, match="tidak dapat dipastikan"):
        backup.restore(archive, target, data_dir=folder)
    assert not target.exists() and not (folder / keys.PRIVATE_NAME).exists()
    restored = backup.restore(archive, target, data_dir=folder, allow_unsigned=True)
    assert not restored["key"] and not (folder / keys.PRIVATE_NAME).exists()
    assert any("tidak dipasang" in w for w in restored["warnings"])
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_cli_restore_refuses_an_unsigned_archive_without_allow_unsigned(store, db_path, tmp_path):
    from test_cli import netra

    evidence_data.build(store)
    archive = _attacker_archive(tmp_path / "serangan.zip", db_path)
    target = tmp_path / "baru" / "netra.db"
    refused = netra("backup", "restore", str(archive), db=target)
    assert refused.returncode == 1 and "tidak dapat dipastikan" in refused.stderr and not target.exists()
    allowed = netra("backup", "restore", str(archive), "--allow-unsigned", db=target)
    assert allowed.returncode == 0, allowed.stderr
    assert not (tmp_path / "baru" / ".netra" / keys.PRIVATE_NAME).exists()


def test_a_zip_bomb_is_refused_before_anything_is_written(populated, db_path, data_dir, tmp_path):
    archive = Path(backup.create(db_path, tmp_path / "c.zip", data_dir=data_dir)["path"])
    bomb = b"\0" * (64 * 1024 * 1024)  # 64 MB of zeros: ~64 KB compressed

    def plant(members):
        manifest = json.loads(members["BACKUP.json"])
        manifest["files"]["media/00/bom"] = {"sha256": hashlib.sha256(bomb).hexdigest(), "size": 10}
        members["media/00/bom"] = bomb
        members["BACKUP.json"] = json.dumps(manifest).encode()
        members["BACKUP.sha256"] = hashlib.sha256(members["BACKUP.json"]).hexdigest().encode()

    _repack(archive, plant)
    assert archive.stat().st_size < 2 * 1024 * 1024
    report = backup.verify(archive)
    messages = " ".join(p.message for p in report.problems if p.file == "media/00/bom")
    assert "ukuran" in messages and "bom ZIP" in messages
    target, folder = tmp_path / "pulih" / "netra.db", tmp_path / "pulih" / ".netra"
    with pytest.raises(backup.BackupError, match="bom ZIP"):
        backup.restore(archive, target, data_dir=folder, allow_unsigned=True)
    assert not target.exists() and not folder.exists()
    assert not [p for p in (tmp_path / "pulih").iterdir() if p.name.startswith(".netra-restore-")]


def test_not_enough_free_space_is_refused_before_writing(populated, db_path, data_dir, tmp_path, monkeypatch):
    archive = Path(backup.create(db_path, tmp_path / "c.zip", data_dir=data_dir)["path"])
    monkeypatch.setattr(backup, "FREE_SPACE_MARGIN", 1 << 60)  # no disk has that much room
    with pytest.raises(backup.BackupError, match="ruang disk tidak cukup"):
        backup.restore(archive, tmp_path / "pulih.db", data_dir=tmp_path / "x", public_key=_instance_pem(data_dir))
    assert not (tmp_path / "pulih.db").exists()
