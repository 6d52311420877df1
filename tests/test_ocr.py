"""OCR of generated pictures and safe opening of broken ones (issue 17)."""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image

from classifiers import ocr
from tests.images import banner, degrade, png_bytes, poster, screenshot

ROOT = Path(__file__).resolve().parent.parent


def _words(text: str) -> set[str]:
    return set(text.casefold().split())


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width``×``height`` with almost no pixel data: a bomb's shape."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


@pytest.mark.parametrize("variant", ["clean", "rotated", "blurred", "jpeg"])
def test_rapidocr_reads_a_poster_in_every_state(variant):
    lines = ["COBLOS NOMOR 2", "BUPATI AMANAH"]
    data = degrade(poster(lines), variant, random.Random(3))
    result = ocr.read_bytes(data, ocr=ocr.engine("rapidocr"))
    assert {"coblos", "nomor", "2", "bupati", "amanah"} <= _words(result.text), result.text
    assert result.engine == "rapidocr" and result.width > 0


def test_rapidocr_reads_a_banner_and_a_chat_screenshot():
    engine = ocr.engine("rapidocr")
    assert "kampanye akbar lapangan merdeka" in ocr.read_bytes(
        png_bytes(banner("KAMPANYE AKBAR LAPANGAN MERDEKA")), ocr=engine).text.casefold()
    chat = ["ayo datang ke tps rabu", "pilih pasangan nomor dua", "siap pak"]
    text = ocr.read_bytes(degrade(screenshot(chat), "jpeg", random.Random(1)), ocr=engine).text.casefold()
    for line in chat:
        assert line in text, text


def test_blank_picture_has_no_words():
    assert ocr.read_bytes(png_bytes(Image.new("RGB", (400, 300), "white"))).text == ""


def test_truncated_png_is_a_clean_error():
    data = png_bytes(poster(["PILIH NOMOR 1"]))
    with pytest.raises(ocr.ImageError, match="rusak atau terpotong"):
        ocr.open_image(data[: len(data) // 2], name="poster.png")


def test_file_that_is_not_a_picture_is_named_as_such(tmp_path):
    fake = tmp_path / "poster.jpg"
    fake.write_bytes(b"%PDF-1.4 this is not a picture")
    result = ocr.read_file(fake)
    assert result.result is None and "bukan berkas gambar" in result.error and ".jpg" in result.error
    # A real picture with the wrong extension is read by its content.
    misnamed = tmp_path / "foto.gif"
    misnamed.write_bytes(png_bytes(banner("SALAM DUA JARI")))
    assert "salam dua jari" in ocr.read_file(misnamed).result.text.casefold()


def test_hundred_megapixel_bomb_is_refused_before_decoding():
    with pytest.raises(ocr.ImageError, match="bom dekompresi") as caught:
        ocr.open_image(png_header_only(10_000, 10_000), name="bom.png")
    assert "100 megapiksel" in str(caught.value)


def test_empty_and_missing_files(tmp_path):
    with pytest.raises(ocr.ImageError, match="kosong"):
        ocr.open_image(b"")
    assert "tidak ditemukan" in ocr.read_file(tmp_path / "none.png").error


def test_unknown_engine_is_a_clear_error():
    with pytest.raises(ValueError, match="mesin OCR tidak dikenal"):
        ocr.engine("easyocr")


def test_rapidocr_loads_and_reads_with_the_network_blocked(tmp_path):
    """Nothing is downloaded at run time: every socket connection raises in this process."""
    picture = tmp_path / "p.png"
    picture.write_bytes(png_bytes(banner("TANPA JARINGAN")))
    script = (
        "import socket\n"
        "def refuse(*a, **k):\n    raise OSError('network blocked by test')\n"
        "socket.socket.connect = refuse\nsocket.create_connection = refuse\n"
        "from classifiers import ocr\n"
        f"print(ocr.read_file({str(picture)!r}, ocr=ocr.RapidOcrEngine()).result.text)\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)}  # no model cache in ~
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "TANPA JARINGAN" in done.stdout.upper()


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract-ocr tidak terpasang (make ocr-deps)")
def test_tesseract_engine_reads_a_clean_poster():
    result = ocr.read_bytes(png_bytes(poster(["COBLOS NOMOR 2"])), ocr=ocr.engine("tesseract"))
    assert {"coblos", "nomor"} <= _words(result.text) and result.engine == "tesseract"


# --- netra classify FILE with pictures -------------------------------------------------------

def test_classify_file_reads_pictures_and_reports_bad_ones(tmp_path):
    from classifiers.batch import classify_file
    from classifiers.pipeline import load_default

    (tmp_path / "gambar").mkdir()
    (tmp_path / "gambar" / "poster.png").write_bytes(png_bytes(poster(["COBLOS NOMOR 2", "PASTI MENANG"])))
    (tmp_path / "gambar" / "rusak.png").write_bytes(png_bytes(poster(["X"]))[:300])
    (tmp_path / "gambar" / "teks.png").write_text("bukan gambar", encoding="utf-8")
    (tmp_path / "posyandu.jpg").write_bytes(degrade(banner("JADWAL POSYANDU BULAN INI"), "jpeg", random.Random(2)))
    source = tmp_path / "masukan.jsonl"
    rows = [
        {"id": "poster", "image": "gambar/poster.png"},
        {"id": "keduanya", "text": "Selamat pagi rekan kerja", "image": "posyandu.jpg"},
        {"id": "rusak", "image": "gambar/rusak.png"},
        {"id": "palsu", "image": "gambar/teks.png"},
        {"id": "teks_saja", "text": "Rapat koordinasi di kelurahan pagi ini"},
        {"id": "gambar_rusak_teks_ada", "text": "Ayo kerja bakti minggu pagi", "image": "gambar/rusak.png"},
        {"id": "keluar", "image": "../di_luar.png"},
        {"id": "hilang", "image": "gambar/tidak_ada.png"},
        {"id": "kosong"},
    ]
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = io.StringIO()
    report = classify_file(load_default(), source, out)
    results = {r["id"]: r for r in map(json.loads, out.getvalue().splitlines())}
    assert set(results) == {"poster", "keduanya", "teks_saja", "gambar_rusak_teks_ada"}
    skipped = dict(report.skipped)
    assert set(skipped) == {3, 4, 7, 8, 9}
    assert "terpotong" in skipped[3] and "bukan berkas gambar" in skipped[4]
    assert "di luar folder" in skipped[7] and "tidak ditemukan" in skipped[8] and "text atau image" in skipped[9]
    assert [line for line, _ in report.image_errors] == [6] and report.images == 2

    flagged = results["poster"]
    assert "coblos nomor 2" in flagged["ocr_text"].casefold() and "partisan" in flagged["flags"]
    entry = flagged["explanation"]["partisan"]
    assert entry["picture"]["words"] and all(f["source"] == "gambar" for f in entry["top_features"])
    assert flagged["ocr_scores"]["partisan"] >= 0.5
    assert "posyandu" in results["keduanya"]["ocr_text"].casefold() and results["keduanya"]["flags"] == []
    assert "ocr_text" not in results["teks_saja"]
    assert results["gambar_rusak_teks_ada"]["ocr_text"] == ""
    assert "terpotong" in results["gambar_rusak_teks_ada"]["image_error"]
