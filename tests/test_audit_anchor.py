"""Anchoring the audit log to an old evidence bundle: the bundle's signed ``audit_head`` proves
the live log still holds that entry, so even a log rewritten wholesale (every hash recomputed,
the head moved, ``audit verify`` content) is caught, and a bundle that does not verify is refused."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from engines import drop_trigger, tamper_connection

from evidence_data import ANI, build
from monitor.evidence import audit, bundle as evidence, keys
from monitor.store import connect
from test_cli import netra
from test_evidence import rewrite


@pytest.fixture
def key_dir(tmp_path) -> Path:
    return tmp_path / "kunci"


@pytest.fixture
def bundle(store, tmp_path, key_dir) -> Path:
    build(store)
    path = tmp_path / "bukti-lama.zip"
    evidence.export_bundle(store, actor="auditor1", output=path, employee_nip=ANI, key_dir=key_dir, pdf=False)
    return path


def anchor_of(bundle: Path, key_dir: Path) -> dict:
    return evidence.audit_anchor(bundle, public_key=key_dir / keys.PUBLIC_NAME)


def raw(target):
    """A second connection with the protective triggers dropped, as a hand edit with sqlite3 would."""
    return tamper_connection(target, ("audit_log_no_update", "audit_log_no_delete", "audit_head_forward_only"))


def rewrite_history(target, position: int) -> None:
    """Change entry ``position`` and recompute every hash after it and the head: a careful forger."""
    conn = raw(target)
    columns = ("id", "ts", "actor", "action", "target", "details_json", "prev_hash")
    entries = [dict(zip(columns, row)) for row in conn.execute(
        "SELECT id, ts, actor, action, target, details_json, prev_hash FROM audit_log WHERE id >= ? ORDER BY id",
        (position,))]
    entries[0]["details_json"] = json.dumps({"decision": "not_violation"})
    prev = conn.execute("SELECT hash FROM audit_log WHERE id = ?", (position - 1,)).fetchone()
    prev = prev[0] if prev else "0" * 64
    for entry in entries:
        entry["prev_hash"] = prev
        entry["hash"] = prev = audit.entry_digest(entry)
        conn.execute("UPDATE audit_log SET details_json = ?, prev_hash = ?, hash = ? WHERE id = ?",
                     (entry["details_json"], entry["prev_hash"], entry["hash"], entry["id"]))
    conn.execute("UPDATE audit_head SET last_id = ?, hash = ? WHERE id = 1", (entries[-1]["id"], prev))
    conn.close()


def test_the_anchor_is_the_head_signed_into_the_bundle_and_holds_on_an_untouched_log(store, bundle, key_dir):
    anchor = anchor_of(bundle, key_dir)
    export = store.one("SELECT id FROM audit_log WHERE action = 'evidence.export'")[0]
    # The head was read before the export's own entry was written.
    assert anchor["seq"] == export - 1 > 0
    assert anchor["hash"] == store.one("SELECT hash FROM audit_log WHERE id = ?", (anchor["seq"],))[0]
    assert anchor["created_at"].startswith("20")
    result = audit.verify_anchor(store, anchor["seq"], anchor["hash"])
    assert result.ok and result.entries == anchor["seq"], result


def test_entries_appended_after_the_anchor_are_fine(store, bundle, key_dir):
    anchor = anchor_of(bundle, key_dir)
    for i in range(5):
        audit.record(store, "admin", "user.add", f"user:{i}")
    assert audit.verify_anchor(store, anchor["seq"], anchor["hash"]).ok
    assert audit.verify(store).ok


@pytest.mark.parametrize("where", ["first", "anchor"])
def test_changing_an_entry_at_or_before_the_anchor_fails_and_is_located(store, db_path, bundle, key_dir, where):
    anchor = anchor_of(bundle, key_dir)
    position = 1 if where == "first" else anchor["seq"]
    raw(store.path).execute("UPDATE audit_log SET actor = 'siluman' WHERE id = ?", (position,))
    result = audit.verify_anchor(store, anchor["seq"], anchor["hash"])
    assert not result.ok and result.seq == anchor["seq"] and result.first_bad_id == position
    assert f"#{position}" in result.reason


def test_a_wholesale_rewrite_passes_verify_but_not_the_anchor(store, db_path, bundle, key_dir):
    anchor = anchor_of(bundle, key_dir)
    rewrite_history(store.path, 2)
    assert audit.verify(store).ok  # the chain is self-consistent again...
    result = audit.verify_anchor(store, anchor["seq"], anchor["hash"])
    assert not result.ok and result.first_bad_id == anchor["seq"]  # ...but not the one the bundle saw
    assert f"#{anchor['seq']}" in result.reason


def test_a_change_after_the_anchor_is_not_the_anchors_concern(store, db_path, bundle, key_dir):
    anchor = anchor_of(bundle, key_dir)
    export = anchor["seq"] + 1
    raw(store.path).execute("UPDATE audit_log SET actor = 'siluman' WHERE id = ?", (export,))
    assert audit.verify_anchor(store, anchor["seq"], anchor["hash"]).ok
    assert audit.verify(store).first_bad_id == export


def test_deleting_the_anchored_entry_or_the_log_behind_it_fails(store, db_path, bundle, key_dir):
    anchor = anchor_of(bundle, key_dir)
    raw(store.path).execute("DELETE FROM audit_log WHERE id >= ?", (anchor["seq"],))
    result = audit.verify_anchor(store, anchor["seq"], anchor["hash"])
    assert not result.ok and result.first_bad_id == anchor["seq"] and "tidak ada lagi" in result.reason


def test_bad_anchor_values_are_refused(store):
    assert audit.verify_anchor(store, 0, "0" * 64).ok
    assert not audit.verify_anchor(store, 0, "f" * 64).ok
    assert not audit.verify_anchor(store, 3, "f" * 64).ok  # the log is empty: no entry #3
    for seq in (-1, True, "3"):
        with pytest.raises(ValueError, match="jangkar"):
            audit.verify_anchor(store, seq, "0" * 64)


def test_a_bundle_whose_manifest_was_edited_is_refused(bundle, key_dir, tmp_path):
    with zipfile.ZipFile(bundle) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    manifest["audit_head"]["last_id"] = 1
    edited = rewrite(bundle, tmp_path / "diubah.zip",
                     replace={"manifest.json": json.dumps(manifest, ensure_ascii=False, indent=2).encode()})
    with pytest.raises(evidence.BundleRefused) as refused:
        anchor_of(edited, key_dir)
    assert any("tanda tangan tidak sah" in p for p in refused.value.problems)
    assert "diubah.zip" in str(refused.value)


def test_a_signed_bundle_without_an_audit_head_is_refused(bundle, key_dir, tmp_path):
    with zipfile.ZipFile(bundle) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    del manifest["audit_head"]
    data = json.dumps(manifest).encode()
    resigned = rewrite(bundle, tmp_path / "tanpa-kepala.zip", replace={
        "manifest.json": data, "signature.ed25519": keys.load_private_key(key_dir).sign(data)})
    assert evidence.verify_bundle(resigned).ok  # intact and signed, yet it anchors nothing
    with pytest.raises(evidence.BundleRefused, match="audit_head"):
        anchor_of(resigned, key_dir)


def test_a_missing_or_garbled_zip_is_refused(tmp_path):
    garbled = tmp_path / "rusak.zip"
    garbled.write_bytes(b"PK\x03\x04 ini bukan bundel")
    for path in (garbled, tmp_path / "tidak-ada.zip"):
        with pytest.raises(evidence.BundleRefused, match="bukan arsip ZIP"):
            evidence.audit_anchor(path)


def test_cli_audit_verify_with_anchors(tmp_path):
    db = tmp_path / "netra.db"
    assert netra("init", db=db).returncode == 0
    with connect(db) as store:
        build(store)
    old = tmp_path / "bukti-lama.zip"
    exported = netra("evidence", "export", "--employee", ANI, "--no-pdf", "-o", str(old), "--as", "analis", db=db)
    assert exported.returncode == 0, exported.stderr
    seq = anchor_of(old, keys.data_dir(db))["seq"]
    with connect(db) as store:
        audit.record(store, "admin", "user.add", "user:baru")

    ok = netra("audit", "verify", "--anchor", str(old), "--anchor", str(old), db=db)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.count(f"Jangkar OK: entri #{seq}") == 2 and "2 jangkar cocok" in ok.stdout

    garbled = tmp_path / "rusak.zip"
    garbled.write_bytes(b"bukan zip")
    for path in (garbled, tmp_path / "tidak-ada.zip"):
        bad = netra("audit", "verify", "--anchor", str(path), db=db)
        assert bad.returncode == 1 and "ditolak" in bad.stderr and path.name in bad.stderr, bad.stderr
    with zipfile.ZipFile(old) as archive:
        manifest = archive.read("manifest.json").replace(b'"last_id": ', b'"last_id": 1')
    edited = rewrite(old, tmp_path / "diubah.zip", replace={"manifest.json": manifest})
    bad = netra("audit", "verify", "--anchor", str(edited), db=db)
    assert bad.returncode == 1 and "tanda tangan tidak sah" in bad.stderr, bad.stderr

    rewrite_history(db, 3)
    with connect(db) as store:
        assert audit.verify(store).ok  # the forgery fools the chain's own check...
    sealed = netra("audit", "verify", db=db)  # ...not the signed seal outside the database
    assert sealed.returncode == 2 and "segel" in sealed.stderr
    caught = netra("audit", "verify", "--anchor", str(old), db=db)
    assert caught.returncode == 2
    assert "log audit berubah sejak bundel bukti-lama.zip" in caught.stderr and f"#{seq}" in caught.stderr
