"""Evidence bundles: what they contain, who may export what, and that any alteration is named."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import warnings
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from evidence_data import ANI, BUDI, MODEL, build
from monitor.evidence import audit, bundle as evidence, keys
from monitor.evidence.pdf import render_reports
from monitor.store import connect, people
from test_cli import netra


@pytest.fixture
def data(store):
    return build(store)


@pytest.fixture
def key_dir(tmp_path) -> Path:
    return tmp_path / "kunci"


@pytest.fixture
def bundle(store, data, tmp_path, key_dir) -> Path:
    path = tmp_path / "bukti.zip"
    evidence.export_bundle(store, actor="auditor1", output=path, employee_nip=ANI, key_dir=key_dir)
    return path


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rewrite(src: Path, dst: Path, *, change: str | None = None, drop: str | None = None,
            add: tuple[str, bytes] | None = None, replace: dict[str, bytes] | None = None) -> Path:
    """Copy a bundle, flipping one byte of ``change``, leaving out ``drop`` or adding a file."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == drop:
                continue
            if info.filename == change:
                middle = len(data) // 2
                data = data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1:]
            if replace and info.filename in replace:
                data = replace[info.filename]
            new.writestr(info.filename, data)
        if add:
            with warnings.catch_warnings():  # a duplicate name is exactly what some tests want
                warnings.simplefilter("ignore")
                new.writestr(*add)
    return dst


def test_a_fresh_bundle_verifies(bundle, key_dir):
    report = evidence.verify_bundle(bundle)
    assert report.ok, report.problems
    assert report.files_checked == len(members(bundle)) - 3
    expected = (key_dir / keys.PUBLIC_NAME).read_bytes()
    assert evidence.verify_bundle(bundle, public_key=expected).ok
    assert evidence.verify_bundle(bundle, public_key=key_dir / keys.PUBLIC_NAME).ok


def test_manifest_holds_every_fact_about_the_flagged_posts(store, data, bundle):
    files = members(bundle)
    manifest = json.loads(files["manifest.json"])
    assert manifest["format"] == evidence.FORMAT and manifest["created_by"] == "auditor1"
    assert [e["nip"] for e in manifest["employees"]] == [ANI]
    by_id = {p["id"]: p for p in manifest["posts"]}
    # a1 and a3 are flagged; a2 (no flag) and Budi's posts are not in the bundle.
    assert set(by_id) == {data["posts"]["a1"], data["posts"]["a3"]}
    a1 = by_id[data["posts"]["a1"]]
    assert a1["platform"] == "x" and a1["url"] == "https://x.com/ani_guru/status/a1" and a1["deleted"] is False
    assert a1["created_at"] == "2024-10-01T08:00:00Z" and a1["collected_at"]
    # Both versions, each with its raw payload file whose SHA-256 is the hash recorded at collection.
    assert [v["version"] for v in a1["versions"]] == [1, 2]
    db_hashes = {r["raw_sha256"] for r in store.query("SELECT raw_sha256 FROM post_versions")} | {
        store.one("SELECT raw_sha256 FROM posts WHERE id = ?", (a1["id"],))[0]}
    for version in a1["versions"]:
        raw = files[version["raw_file"]]
        assert hashlib.sha256(raw).hexdigest() == version["raw_sha256"] and version["raw_sha256"] in db_hashes
        assert version["text_sha256"] == hashlib.sha256(version["text"].encode()).hexdigest()
    assert json.loads(files[a1["versions"][0]["raw_file"]])["likes"] == 3
    assert a1["raw_sha256"] == a1["versions"][-1]["raw_sha256"]
    flag = a1["flags"][0]
    assert flag["category"] == "partisan" and flag["status"] == "confirmed" and flag["violation_code"] == "N1"
    assert flag["model_version"] == MODEL and flag["score"] == pytest.approx(0.91)
    assert [(r["reviewer"], r["decision"], r["note"]) for r in flag["reviews"]] == [
        ("analis", "violation", "jelas ajakan memilih")]
    assert a1["classifications"][0]["model_version"] == MODEL
    assert a1["classifications"][0]["scores"]["partisan"] == pytest.approx(0.91)
    entries = manifest["audit_entries"]
    assert [(e["action"], e["target"]) for e in entries] == [("review.decide", f"flag:{flag['id']}")]
    assert all(audit.entry_digest(e) == e["hash"] for e in entries)
    assert manifest["audit_head"]["last_id"] >= entries[-1]["id"]
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    assert set(listed) == set(files) - {"manifest.json", "signature.ed25519", "public_key.pem"}
    assert f"laporan/{ANI}.pdf" in listed and "posts.csv" in listed and "SHA256SUMS" in listed
    sums = dict(reversed(line.split("  ", 1)) for line in files["SHA256SUMS"].decode().splitlines())
    assert all(listed[name] == digest for name, digest in sums.items())


def test_deleted_posts_are_marked_and_the_csv_cannot_run_formulas(store, data, tmp_path, key_dir):
    path = tmp_path / "b.zip"
    evidence.export_bundle(store, actor="a", output=path, flag_ids=[data["flags"]["b1"], data["flags"]["a3"]],
                           key_dir=key_dir)
    files = members(path)
    posts = {p["platform_post_id"]: p for p in json.loads(files["manifest.json"])["posts"]}
    assert posts["b1"]["deleted"] is True and posts["b1"]["deleted_at"]
    assert posts["b1"]["flags"][0]["status"] == "dismissed"
    assert {f"laporan/{ANI}.pdf", f"laporan/{BUDI}.pdf"} <= set(files)
    assert all(files[name].startswith(b"%PDF-") and files[name].rstrip().endswith(b"%%EOF")
               for name in files if name.endswith(".pdf"))
    csv_text = files["posts.csv"].decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and ",=HYPERLINK" not in csv_text


def test_the_export_is_audited_with_the_bundle_hash(store, bundle):
    digest = hashlib.sha256(bundle.read_bytes()).hexdigest()
    entry = store.one("SELECT * FROM audit_log WHERE action = 'evidence.export'")
    assert entry["actor"] == "auditor1" and entry["target"] == f"evidence:{digest}"
    assert json.loads(entry["details_json"])["posts"] == 2
    assert audit.verify(store).ok


def _exported_post_ids(store, tmp_path, key_dir, name="x.zip", **selection) -> set[str]:
    path = tmp_path / name
    evidence.export_bundle(store, actor="a", output=path, key_dir=key_dir, **selection)
    return {p["platform_post_id"] for p in json.loads(members(path)["manifest.json"])["posts"]}


def test_selection_by_unit_includes_sub_units_and_dates_are_inclusive(store, data, tmp_path, key_dir):
    assert _exported_post_ids(store, tmp_path, key_dir, "1.zip", unit_code="DISDIK") == {"a1", "a3"}
    assert _exported_post_ids(store, tmp_path, key_dir, "2.zip", unit_code="DINKES") == {"b1"}
    assert _exported_post_ids(store, tmp_path, key_dir, "3.zip", unit_code="DISDIK",
                              date_from="2024-10-01", date_to="2024-10-01") == {"a1"}
    assert _exported_post_ids(store, tmp_path, key_dir, "4.zip", date_from="2024-10-02") == {"a3", "b1"}
    assert _exported_post_ids(store, tmp_path, key_dir, "5.zip", unit_code="DISDIK",
                              statuses=["confirmed"]) == {"a1"}
    assert _exported_post_ids(store, tmp_path, key_dir, "6.zip", statuses=["open"], pdf=False) == {"a3"}
    assert not [n for n in members(tmp_path / "6.zip") if n.endswith(".pdf")]
    assert evidence.verify_bundle(tmp_path / "6.zip").ok


def test_a_supervisor_scope_is_enforced(store, data, tmp_path, key_dir):
    dinkes = people.descendant_unit_ids(store, [people.unit_id_by_code(store, "DINKES")])
    with pytest.raises(ValueError, match="tidak ada tanda"):
        evidence.export_bundle(store, actor="atasan", output=tmp_path / "x.zip", employee_nip=ANI,
                               unit_ids=dinkes, key_dir=key_dir)
    assert not (tmp_path / "x.zip").exists()
    summary = evidence.export_bundle(store, actor="atasan", output=tmp_path / "y.zip", key_dir=key_dir,
                                     flag_ids=[data["flags"]["a1"], data["flags"]["b1"]], unit_ids=dinkes)
    assert summary["flags"] == 1 and summary["missing_flags"] == [data["flags"]["a1"]]
    posts = json.loads(members(tmp_path / "y.zip")["manifest.json"])["posts"]
    assert [p["platform_post_id"] for p in posts] == ["b1"]


def test_bad_requests_are_refused_and_lose_nothing(store, data, tmp_path, key_dir):
    out = tmp_path / "ada.zip"
    out.write_bytes(b"jangan ditimpa")
    for kwargs, message in [
        ({}, "pilih"),
        ({"employee_nip": "199999999999999999"}, "tidak ditemukan"),
        ({"unit_code": "TIDAKADA"}, "tidak ditemukan"),
        ({"unit_code": "DISDIK", "date_from": "1 Oktober"}, "tanggal"),
        ({"unit_code": "DISDIK", "date_from": "2024-10-05", "date_to": "2024-10-01"}, "tanggal awal"),
        ({"unit_code": "DISDIK", "statuses": ["salah"]}, "status"),
    ]:
        with pytest.raises(ValueError, match=message):
            evidence.export_bundle(store, actor="a", output=tmp_path / "baru.zip", key_dir=key_dir, **kwargs)
    with pytest.raises(ValueError, match="sudah ada"):
        evidence.export_bundle(store, actor="a", output=out, employee_nip=ANI, key_dir=key_dir)
    assert out.read_bytes() == b"jangan ditimpa"
    assert not (tmp_path / "baru.zip").exists() and not list(tmp_path.glob(".tmp-*"))
    assert store.one("SELECT COUNT(*) FROM audit_log WHERE action = 'evidence.export'")[0] == 0


def test_changing_one_byte_of_any_file_is_detected_and_named(bundle, tmp_path):
    for name in members(bundle):
        report = evidence.verify_bundle(rewrite(bundle, tmp_path / "t.zip", change=name))
        assert not report.ok, name
        assert any(name in problem for problem in report.problems), (name, report.problems)
        if name not in evidence.SIGNING_FILES:
            assert report.problems == [f"berkas diubah: {name}"]


def test_removing_any_file_is_detected_and_named(bundle, tmp_path):
    for name in members(bundle):
        report = evidence.verify_bundle(rewrite(bundle, tmp_path / "t.zip", drop=name))
        assert not report.ok and f"berkas hilang: {name}" in report.problems, (name, report.problems)


def test_an_added_or_duplicated_file_is_detected(bundle, tmp_path):
    report = evidence.verify_bundle(rewrite(bundle, tmp_path / "t.zip", add=("media/tambahan.png", b"\x89PNG")))
    assert not report.ok and report.problems == ["berkas tambahan (tidak tercantum di manifest): media/tambahan.png"]
    name = next(n for n in members(bundle) if n.startswith("raw/"))
    report = evidence.verify_bundle(rewrite(bundle, tmp_path / "u.zip", add=(name, b"{}")))
    assert not report.ok and any("ganda" in p and name in p for p in report.problems)


def _forge(bundle: Path, dst: Path, *, new_key: Ed25519PrivateKey, swap_public_key: bool) -> Path:
    """Edit the manifest (a post's text), re-sign it with another key."""
    files = members(bundle)
    manifest = json.loads(files["manifest.json"])
    manifest["posts"][0]["text"] = "teks yang diganti"
    body = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
    replace = {"manifest.json": body, "signature.ed25519": new_key.sign(body)}
    if swap_public_key:
        replace["public_key.pem"] = keys.public_pem(new_key.public_key())
    return rewrite(bundle, dst, replace=replace)


def test_resigning_with_another_key_is_detected(bundle, tmp_path, key_dir):
    other = Ed25519PrivateKey.generate()
    expected = (key_dir / keys.PUBLIC_NAME).read_bytes()
    # Another key, the bundled public key left as it was: the signature no longer verifies.
    kept = evidence.verify_bundle(_forge(bundle, tmp_path / "a.zip", new_key=other, swap_public_key=False))
    assert not kept.ok and any("tanda tangan tidak sah" in p for p in kept.problems)
    # Another key and its public key swapped in: self-consistent, so only the expected key catches it.
    forged = _forge(bundle, tmp_path / "b.zip", new_key=other, swap_public_key=True)
    report = evidence.verify_bundle(forged, public_key=expected)
    assert not report.ok and any("kunci lain" in p for p in report.problems), report.problems
    assert report.fingerprint == keys.fingerprint(other.public_key())
    assert report.expected_fingerprint == keys.fingerprint(keys.load_public_key(expected))


def test_a_file_that_is_not_a_bundle_is_reported(tmp_path):
    junk = tmp_path / "bukan.zip"
    junk.write_bytes(b"bukan zip")
    report = evidence.verify_bundle(junk)
    assert not report.ok and "ZIP" in report.problems[0]
    empty = tmp_path / "kosong.zip"
    zipfile.ZipFile(empty, "w").close()
    report = evidence.verify_bundle(empty)
    assert not report.ok and {f"berkas hilang: {n}" for n in evidence.SIGNING_FILES} <= set(report.problems)


def test_the_instance_key_is_private_and_stable(tmp_path):
    first = keys.ensure_instance_key(tmp_path / "k")
    assert first.created and stat.S_IMODE(first.private_path.stat().st_mode) == 0o600
    again = keys.ensure_instance_key(tmp_path / "k")
    assert not again.created and again.public_pem == first.public_pem and again.fingerprint == first.fingerprint
    os.chmod(first.private_path, 0o644)
    with pytest.raises(keys.InstanceKeyError, match="chmod 600"):
        keys.load_private_key(tmp_path / "k")


def test_the_key_lives_next_to_the_database_unless_configured(tmp_path):
    assert keys.data_dir(tmp_path / "db" / "netra.db", ".netra") == (tmp_path / "db" / ".netra").resolve()
    assert keys.data_dir(tmp_path / "netra.db", str(tmp_path / "lain")) == tmp_path / "lain"


def test_reports_print_without_the_dejavu_fonts(store, data, tmp_path, key_dir):
    path = tmp_path / "b.zip"
    evidence.export_bundle(store, actor="a", output=path, employee_nip=ANI, key_dir=key_dir)
    manifest = json.loads(members(path)["manifest.json"])
    reports = render_reports(manifest, {}, created_at="2024-10-01T00:00:00Z", actor="a", fingerprint="ab" * 32,
                             font_dir=tmp_path / "tidak-ada")
    assert list(reports) == [f"laporan/{ANI}.pdf"] and reports[f"laporan/{ANI}.pdf"].startswith(b"%PDF-")


def test_cli_export_verify_and_pubkey_round_trip(tmp_path):
    db = tmp_path / "netra.db"
    init = netra("init", db=db)
    assert init.returncode == 0 and "Kunci instans" in init.stdout
    with connect(db) as store:
        build(store)
    path = tmp_path / "bukti.zip"
    anonymous = netra("evidence", "export", "--employee", ANI, "-o", str(path), db=db)
    assert anonymous.returncode == 1 and "--as" in anonymous.stderr and not path.exists()
    result = netra("evidence", "export", "--employee", ANI, "-o", str(path), "--as", "analis", db=db)
    assert result.returncode == 0, result.stderr
    assert "2 kiriman" in result.stdout and path.exists()
    assert hashlib.sha256(path.read_bytes()).hexdigest() in result.stdout
    pub = tmp_path / "instans.pem"
    assert netra("evidence", "pubkey", "-o", str(pub), db=db).returncode == 0
    printed = netra("evidence", "pubkey", db=db)
    assert printed.stdout.encode() == pub.read_bytes() and "BEGIN PUBLIC KEY" in printed.stdout
    ok = netra("evidence", "verify", str(path), "--public-key", str(pub), db=db)
    assert ok.returncode == 0 and "Bundel utuh" in ok.stdout, ok.stderr
    raw_name = next(n for n in members(path) if n.startswith("raw/"))
    bad = netra("evidence", "verify", str(rewrite(path, tmp_path / "ubah.zip", change=raw_name)), db=db)
    assert bad.returncode == 2 and f"berkas diubah: {raw_name}" in bad.stderr
    forged = _forge(path, tmp_path / "palsu.zip", new_key=Ed25519PrivateKey.generate(), swap_public_key=True)
    # On the instance itself the local key is the reference, even without --public-key.
    bad = netra("evidence", "verify", str(forged), db=db)
    assert bad.returncode == 2 and "kunci lain" in bad.stderr
    refused = netra("evidence", "export", "--employee", "123", "-o", str(tmp_path / "z.zip"), "--as", "analis",
                    db=db)
    assert refused.returncode == 1 and "tidak ditemukan" in refused.stderr
    assert netra("audit", "verify", db=db).returncode == 0


def test_a_byte_flipped_inside_the_zip_file_itself_is_named(bundle, tmp_path):
    """Not re-zipped: the archive's own bytes changed, as a damaged copy or a hex editor would."""
    original = bundle.read_bytes()
    with zipfile.ZipFile(bundle) as archive:
        infos = archive.infolist()
    for info in infos:
        # Local header: 30 fixed bytes, then the name and extra field, then the compressed data.
        name_len, extra_len = int.from_bytes(original[info.header_offset + 26:info.header_offset + 28], "little"), \
            int.from_bytes(original[info.header_offset + 28:info.header_offset + 30], "little")
        at = info.header_offset + 30 + name_len + extra_len + info.compress_size // 2
        damaged = tmp_path / "rusak.zip"
        damaged.write_bytes(original[:at] + bytes([original[at] ^ 0x10]) + original[at + 1:])
        report = evidence.verify_bundle(damaged)
        assert not report.ok and any(info.filename in p for p in report.problems), (info.filename, report.problems)


def test_cli_verify_without_a_known_signer_is_not_a_pass_and_a_replayed_bundle_is_reported(tmp_path):
    """Issue 15, item 7: re-signed by another key with no reference key -> non-zero, said on stdout;
    a flag decided differently since the bundle was made is reported."""
    db = tmp_path / "netra.db"
    assert netra("init", db=db).returncode == 0
    with connect(db) as store:
        build(store)
    path = tmp_path / "bukti.zip"
    assert netra("evidence", "export", "--employee", ANI, "-o", str(path), "--as", "analis", db=db).returncode == 0
    forged = _forge(path, tmp_path / "palsu.zip", new_key=Ed25519PrivateKey.generate(), swap_public_key=True)
    elsewhere = tmp_path / "lain" / "netra.db"  # a machine without this instance's key
    unknown = netra("evidence", "verify", str(forged), db=elsewhere)
    assert unknown.returncode == 3 and "tanda tangan tidak dapat dipastikan" in unknown.stdout, unknown.stdout
    assert netra("evidence", "verify", str(path), db=elsewhere).returncode == 3

    with connect(db) as store:
        flag_id = store.one("SELECT id FROM flags ORDER BY id LIMIT 1")["id"]
        before = store.one("SELECT status FROM flags WHERE id = ?", (flag_id,))["status"]
        after = "dismissed" if before != "dismissed" else "open"
        store.conn.execute("UPDATE flags SET status = ? WHERE id = ?", (after, flag_id))
    replayed = netra("evidence", "verify", str(path), db=db)
    assert replayed.returncode == 0, replayed.stderr
    assert f"tanda #{flag_id}: tercatat {before} di bundel, kini {after}" in replayed.stdout
    assert "PERHATIAN" in replayed.stdout
