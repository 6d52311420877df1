"""Provenance of browser captures in the signed evidence bundle and its PDF report."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from fakeplatforms import register
from monitor.collect import capture_import
from monitor.evidence import bundle as evidence, keys
from monitor.evidence.pdf import capture_line
from monitor.store.flags import ScoredPost, save_classifications

PAYLOADS = Path(__file__).parent / "payloads" / "captures"


def test_bundle_and_pdf_say_who_captured_from_which_page_when(store, tmp_path):
    register(store, {"tiktok": ["sri.wahyuni88"]})
    capture_import.import_capture(store, PAYLOADS / "tiktok.ndjson", captured_by="analis1")
    post_id = store.one("SELECT id FROM posts WHERE post_id = '7443000000000000001'")[0]
    save_classifications(store, "uji", [ScoredPost(post_id, {"partisan": 0.9}, ["partisan"], {"partisan": "N1"}, {})])
    path = tmp_path / "bukti.zip"
    flag_id = store.one("SELECT id FROM flags WHERE post_id = ?", (post_id,))[0]
    evidence.export_bundle(store, actor="auditor1", output=path, flag_ids=[flag_id], key_dir=tmp_path / "kunci")
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        pdfs = [n for n in archive.namelist() if n.endswith(".pdf")]
        assert pdfs and archive.read(pdfs[0]).startswith(b"%PDF-")
    post = manifest["posts"][0]
    assert post["captures"] == [{
        "captured_by": "analis1", "page_url": "https://www.tiktok.com/@sri.wahyuni88",
        "source_url": "https://www.tiktok.com/api/post/item_list/?aid=1988",
        "user_agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        "collected_at": "2024-11-30T05:00:00.000Z", "nav_index": "1:2:0", "import_id": 1}]
    assert evidence.verify_bundle(path, public_key=tmp_path / "kunci" / keys.PUBLIC_NAME).ok
    line = capture_line(post["captures"][0])
    assert line.startswith("ditangkap oleh analis1 dari halaman https://www.tiktok.com/@sri.wahyuni88 pada "
                           "2024-11-30 05:00:00 UTC")
