"""Known debunked claims: import (files, RSS/Atom over a real local server), matching, flags."""

from __future__ import annotations

import json
import os
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from classifiers import claims as C
from conftest import BIN, ROOT
from monitor.evidence import audit
from monitor.claims import check as claim_check, importers as claims_import
from monitor.store import PostRecord
from monitor.store import claims as rows
from monitor.store.posts import upsert_posts

DEMO_CLAIMS = ROOT / "data" / "demo" / "claims.jsonl"
SHARED = ROOT.parent / "shared" / "datasets"


def demo_claims() -> list[dict]:
    return [json.loads(line) for line in DEMO_CLAIMS.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def matcher() -> C.ClaimMatcher:
    claims = demo_claims()
    return C.ClaimMatcher().fit(list(range(len(claims))), [c["claim_text"] for c in claims])


def external_id_of(matcher: C.ClaimMatcher, text: str) -> str | None:
    found = matcher.match([text])[0]
    return demo_claims()[found[0].claim_id]["external_id"] if found else None


# -- matching (pure) -------------------------------------------------------------------------

#: Our own rewrites of the demo claims: paraphrased, truncated, slang, emoji-laden, reordered.
VARIANTS = [
    # paraphrase
    ("Katanya vaksin buat imunisasi anak di posyandu ada chip pelacaknya, mending anaknya jangan dibawa", "skm-vaksin-chip-posyandu"),
    ("Ribuan surat suara pilwalkot di gudang KPU sudah dicoblos duluan untuk paslon 2", "skm-surat-suara-tercoblos"),
    ("Gaji ketiga belas PNS dihapus tahun depan, diganti voucher belanja sama pemerintah", "skm-gaji-13-dihapus"),
    # truncated
    ("Mulai 1 November e-KTP lama tidak berlaku lagi dan wajib diganti e-KTP chip baru", "skm-ektp-lama-hangus"),
    ("Pelantikan presiden 20 Oktober diundur ke bulan Desember", "skm-pelantikan-presiden-diundur"),
    # slang rewrite
    ("gaes pilkada kota sukamaju ditunda ampe taun 2025 krn anggaran pemilihan udh abis, kata org dalem KPU", "skm-pilkada-ditunda-2025"),
    ("yg gak nyoblos paslon no 1 bantuan PKH nya bakal dicabut, datanya udh dipegang kelurahan", "skm-pkh-dicabut"),
    ("ati2 bgt, masker bekas direbus bs dipake lg smp 10x, udh diuji BPOM katanya", "skm-masker-rebus"),
    # emoji-laden
    ("😱😱 PPPK bakal diberhentikan MASSAL bulan depan gara2 anggaran daerah defisit!!! 🔥🔥 #PPPK", "skm-pppk-diberhentikan"),
    ("⚠️⚠️ Minum es pas cuaca panas bikin pembuluh darah pecah, pesan dari Kemenkes 🙏🙏 sebarkan!!", "skm-es-pembuluh-pecah"),
    ("🚨🚨 Pendaftaran BLT Rp2,5 juta warga KTP Sukamaju dibuka, isi NIK dan nomor rekening di link 👇👇 https://bit.ly/x", "skm-blt-2-5-juta-link"),
    # reordered
    ("Tinta pemilu di TPS Sukamaju haram dan membatalkan wudu karena mengandung lemak babi", "skm-tinta-pemilu-haram"),
]

UNRELATED_POLITICAL = [
    "Ayo datang ke TPS tanggal 27 November, gunakan hak pilihmu dengan bijak #PilkadaDamai",
    "Debat kedua Pilwalkot Sukamaju malam ini, paslon 1 bahas transportasi, paslon 2 bahas UMKM",
    "Mantap pak Hendra, lanjutkan pembangunan Sukamaju! Coblos nomor 1 ✌️",
    "ASN wajib netral selama pilkada, jangan like atau share konten kampanye ya rekan-rekan",
    "Kebijakan parkir baru di pusat kota bikin macet, tolong dievaluasi Dishub",
    "Rapat koordinasi persiapan logistik pemilu di kantor kecamatan berjalan lancar",
    "Pemungutan suara ulang di dua TPS karena kesalahan prosedur, kata Bawaslu",
    "Hasil quick count sementara menunjukkan selisih tipis antara kedua pasangan calon",
    "Bansos beras bulan ini sudah dibagikan di kelurahan, antre dengan tertib ya warga",
    "Cek DPT online lewat laman resmi KPU, siapkan NIK sesuai KTP-el",
]


@pytest.mark.parametrize("text,expected", VARIANTS)
def test_rewritten_claims_match_the_right_claim(matcher, text, expected):
    assert external_id_of(matcher, text) == expected


@pytest.mark.parametrize("text", UNRELATED_POLITICAL)
def test_unrelated_political_posts_do_not_match(matcher, text):
    assert matcher.match([text]) == [[]], matcher.top([text], k=1)


def test_exact_claim_scores_near_one_and_short_texts_never_match(matcher):
    claim = demo_claims()[0]["claim_text"]
    assert matcher.top([claim], k=1)[0][0].similarity > 0.99
    assert matcher.match(["Assalamualaikum", "hoaks!!", ""]) == [[], [], []]


def test_threshold_is_stored_with_the_index_and_validated():
    fitted = C.ClaimMatcher(threshold=0.7).fit([1], ["Vaksin polio tetes membuat banyak anak lumpuh di Sukamaju"])
    assert fitted.threshold == 0.7
    assert fitted.top(["vaksin polio tetes bikin anak lumpuh di sukamaju"])[0][0].claim_id == 1
    with pytest.raises(ValueError):
        C.ClaimMatcher(threshold=0)


@pytest.mark.parametrize("text,debunk", [
    ("[HOAKS] Beredar pesan bahwa e-KTP lama tidak berlaku. Faktanya KTP-el lama tetap sah", True),
    ("Cek fakta dulu sebelum share: video surat suara tercoblos itu video lama", True),
    ("Ini bukan hoaks!! Vaksin posyandu ada chip pelacaknya, sebarkan", False),
    ("Hoaks atau bukan ya? Katanya PPPK mau diberhentikan massal", False),
    ("PPPK bakal diberhentikan massal bulan depan", False),
])
def test_debunking_posts_are_recognised(text, debunk):
    assert C.is_debunk(text) is debunk


def test_split_verdict_dates_and_urls():
    assert C.split_verdict("[SALAH] Video Banjir di Sukamaju") == ("Video Banjir di Sukamaju", "salah")
    assert C.split_verdict("Video Banjir") == ("Video Banjir", None)
    assert C.parse_date("2 Jan 2024") == "2024-01-02"
    assert C.parse_date("Tue, 01 Oct 2024 07:00:00 +0700") == "2024-10-01T00:00:00Z"
    assert C.parse_date("2024-10-01T07:00:00+07:00") == "2024-10-01T00:00:00Z"
    with pytest.raises(ValueError):
        C.parse_date("kemarin sore")
    with pytest.raises(ValueError):
        C.safe_url("javascript:alert(1)")
    assert C.claim_hash("Vaksin  Mengandung CHIP") == C.claim_hash("vaksin mengandung chip")


# -- file import -------------------------------------------------------------------------------


def test_import_demo_claims_deduplicates_and_audits(store):
    first = claims_import.import_file(store, DEMO_CLAIMS, actor="tester")
    assert (first.read, first.added, first.duplicates, first.skipped) == (30, 30, 0, [])
    again = claims_import.import_file(store, DEMO_CLAIMS, actor="tester")
    assert (again.added, again.duplicates) == (0, 30)
    assert rows.count_claims(store) == 30
    listed = rows.list_claims(store, search="e-KTP")
    assert any(c["external_id"] == "skm-ektp-lama-hangus" and c["verdict"] == "hoaks" and
               c["url"].startswith("https://cekfakta.sukamaju.example/") for c in listed)
    entries = store.query("SELECT actor, action, target, details_json FROM audit_log WHERE action = 'claims.import'")
    assert len(entries) == 2 and entries[0]["actor"] == "tester"
    assert json.loads(entries[1]["details_json"])["duplicates"] == 30
    assert audit.verify(store).ok


def test_malformed_rows_are_reported_not_fatal(store, tmp_path):
    bad = tmp_path / "klaim.jsonl"
    bad.write_text("\n".join([
        json.dumps({"claim_text": "Beras bansos dicampur beras plastik dari luar negeri", "url": "https://cek.example/1"}),
        "{ini bukan json",
        json.dumps(["daftar", "bukan", "objek"]),
        json.dumps({"title": "tanpa teks klaim"}),
        json.dumps({"claim_text": "Klaim dengan tautan berbahaya sekali", "url": "javascript:alert(1)"}),
        json.dumps({"claim_text": "Klaim dengan tanggal yang tidak dikenali", "date": "kemarin"}),
        json.dumps({"claim": "Kolom alias claim juga diterima sebagai teks", "sumber": "Mafindo"}),
    ]) + "\n", encoding="utf-8")
    report = claims_import.import_file(store, bad, actor="tester")
    assert report.added == 2
    assert [line for line, _ in report.skipped] == [2, 3, 4, 5, 6]
    reasons = " | ".join(reason for _, reason in report.skipped)
    assert "JSON tidak valid" in reasons and "teks klaim kosong" in reasons and "http(s)" in reasons
    assert "tanggal" in reasons
    assert {c["source"] for c in rows.list_claims(store)} == {"klaim", "Mafindo"}


def test_csv_with_wrong_column_count_and_missing_text_column(store, tmp_path):
    good = tmp_path / "klaim.csv"
    good.write_text('claim_text,title,url\n"Server KPU diretas, hasil suara sudah diatur",Server KPU,https://cek.example/2\n'
                    "satu,dua,tiga,empat\n", encoding="utf-8")
    report = claims_import.import_file(store, good, actor="tester")
    assert report.added == 1 and report.skipped == [(3, "jumlah kolom 4, seharusnya 3")]
    wrong = tmp_path / "salah.csv"
    wrong.write_text("judul,url\nA,https://x.example\n", encoding="utf-8")
    with pytest.raises(claims_import.ClaimImportError, match="kolom teks klaim"):
        claims_import.import_file(store, wrong, actor="tester")
    with pytest.raises(claims_import.ClaimImportError, match="tidak ditemukan"):
        claims_import.import_file(store, tmp_path / "tidak-ada.csv", actor="tester")


def test_turnbackhoax_format_is_truncated_at_penjelasan(store, tmp_path):
    path = tmp_path / "politics_hoax_text.csv"
    path.write_text(
        "ID,TITLE,DATE,HOAX_TEXT,LLM_CATEGORY\n"
        '9001,Wali Kota Sukamaju Mundur,3 Feb 2024,"“Wali Kota Sukamaju resmi mengundurkan diri hari ini demi '
        'mendukung paslon 2” PENJELASAN: Klaim tersebut tidak benar, wali kota masih menjabat.",politics\n'
        '9002,Kosong,4 Feb 2024,"",others\n', encoding="utf-8")
    report = claims_import.import_file(store, path, actor="tester")
    assert report.format == "turnbackhoax2024" and report.added == 1 and len(report.skipped) == 1
    claim = rows.list_claims(store)[0]
    assert claim["claim_text"] == "Wali Kota Sukamaju resmi mengundurkan diri hari ini demi mendukung paslon 2"
    assert (claim["title"], claim["published_at"], claim["category"], claim["external_id"]) == (
        "Wali Kota Sukamaju Mundur", "2024-02-03", "politics", "9001")


def test_real_turnbackhoax_file_imports_when_available(store):
    path = SHARED / "turnbackhoax2024" / "politics_hoax_text.csv"
    if not path.exists():
        pytest.skip("../shared/datasets/turnbackhoax2024 tidak tersedia")
    report = claims_import.import_file(store, path, actor="tester")
    assert report.added > 1000
    assert not any("PENJELASAN" in c["claim_text"] for c in rows.list_claims(store, limit=5000))


# -- feeds over a real local HTTP server -------------------------------------------------------

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Cek Fakta Sukamaju</title><link>https://cekfakta.sukamaju.example/</link>
<item>
  <title>[SALAH] Jembatan Sukamaju Ambruk Akibat Gempa</title>
  <link>https://cekfakta.sukamaju.example/jembatan-ambruk</link>
  <guid>cf-101</guid>
  <pubDate>Tue, 01 Oct 2024 07:00:00 +0700</pubDate>
  <category>bencana</category>
  <description><![CDATA[<p>NARASI: “Jembatan utama Kota Sukamaju ambruk akibat gempa tadi malam, semua kendaraan dialihkan”</p>
  <p>PENJELASAN: Jembatan masih berdiri, foto yang beredar adalah jembatan di negara lain.</p>]]></description>
</item>
<item>
  <title>[HOAKS] Pembagian Sembako Gratis Lewat Tautan WhatsApp</title>
  <link>https://cekfakta.sukamaju.example/sembako-whatsapp</link>
  <guid>cf-102</guid>
  <pubDate>Wed, 02 Oct 2024 08:00:00 +0700</pubDate>
  <description>Pemkot Sukamaju membagikan sembako gratis bagi warga yang mengisi data lewat tautan WhatsApp.</description>
</item>
<item>
  <title>[BENAR] Jadwal Pencoblosan Pilwalkot 27 November</title>
  <link>https://cekfakta.sukamaju.example/jadwal-benar</link>
  <description>Pemungutan suara Pilwalkot Sukamaju dilaksanakan pada 27 November 2024 sesuai jadwal KPU.</description>
</item>
<item>
  <title>Tautan berbahaya</title>
  <link>javascript:alert(1)</link>
  <description>Entri dengan tautan yang tidak boleh menjadi link bagi peninjau.</description>
</item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Cek Fakta Atom</title>
  <entry>
    <title>[SALAH] Air Sungai Sukamaju Berubah Merah karena Limbah Rumah Sakit</title>
    <link rel="alternate" href="https://atom.sukamaju.example/sungai-merah"/>
    <id>tag:atom.sukamaju.example,2024:1</id>
    <published>2024-10-05T01:00:00Z</published>
    <category term="lingkungan"/>
    <summary>Air sungai di Kota Sukamaju berubah merah karena dibuangi limbah rumah sakit daerah.</summary>
  </entry>
</feed>"""

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<rss version="2.0"><channel><title>&lol2;</title></channel></rss>"""


class FeedHandler(BaseHTTPRequestHandler):
    pages: dict[str, tuple[int, str, str]] = {}

    def do_GET(self):  # noqa: N802 (http.server API)
        status, kind, body = self.pages.get(self.path, (404, "text/plain", "tidak ada"))
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # keep pytest output clean
        pass


@pytest.fixture
def feed_server():
    FeedHandler.pages = {
        "/rss.xml": (200, "application/rss+xml", RSS),
        "/atom.xml": (200, "application/atom+xml", ATOM),
        "/bomb.xml": (200, "application/xml", BOMB),
        "/html": (200, "text/html", "<html><body>bukan umpan</body></html>"),
    }
    server = ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_rss_and_atom_feeds_import_and_deduplicate(store, feed_server):
    with httpx.Client(timeout=10) as client:
        report = claims_import.import_feed(store, f"{feed_server}/rss.xml", client=client, actor="tester")
        assert report.format == "rss" and report.added == 3
        assert len(report.skipped) == 1 and "http(s)" in report.skipped[0][1]
        by_url = {c["url"]: c for c in rows.list_claims(store)}
        bridge = by_url["https://cekfakta.sukamaju.example/jembatan-ambruk"]
        assert bridge["claim_text"] == ("Jembatan utama Kota Sukamaju ambruk akibat gempa tadi malam, "
                                        "semua kendaraan dialihkan")
        assert (bridge["title"], bridge["verdict"], bridge["source"], bridge["published_at"], bridge["category"]) == (
            "Jembatan Sukamaju Ambruk Akibat Gempa", "salah", "Cek Fakta Sukamaju", "2024-10-01T00:00:00Z", "bencana")
        assert by_url["https://cekfakta.sukamaju.example/jadwal-benar"]["verdict"] == "benar"

        FeedHandler.pages["/rss.xml"] = (200, "application/rss+xml", RSS.replace("tadi malam", "kemarin malam"))
        again = claims_import.import_feed(store, f"{feed_server}/rss.xml", client=client, actor="tester")
        assert (again.added, again.duplicates) == (0, 3)  # same URLs: edited summaries are not new claims

        atom = claims_import.import_feed(store, f"{feed_server}/atom.xml", client=client, actor="tester")
        assert atom.format == "atom" and atom.added == 1
        river = rows.list_claims(store, search="sungai")[0]
        assert (river["url"], river["verdict"], river["category"], river["external_id"]) == (
            "https://atom.sukamaju.example/sungai-merah", "salah", "lingkungan", "tag:atom.sukamaju.example,2024:1")

        for path, message in (("/missing.xml", "HTTP 404"), ("/html", "bukan umpan"), ("/bomb.xml", "XML")):
            with pytest.raises(claims_import.ClaimImportError, match=message):
                claims_import.import_feed(store, feed_server + path, client=client, actor="tester")
    # claims the fact-checker found true are stored but never matched
    assert "Jadwal Pencoblosan" not in {text for _, text in rows.debunked_claims(store)}
    assert len(rows.debunked_claims(store)) == 3
    assert store.one("SELECT COUNT(*) FROM audit_log WHERE action = 'claims.import'")[0] == 3


# -- matching stored posts: claim_matches and hoax flags -------------------------------------


def add_posts(store, *texts: str) -> list[int]:
    records = [PostRecord(platform="x", post_id=f"p{i}", text=text, raw={"text": text}) for i, text in enumerate(texts)]
    result = upsert_posts(store, records)
    return sorted(result.new_ids)


def test_match_posts_opens_raises_and_respects_decided_flags(store):
    claim_check.clear_cache()
    claims_import.import_file(store, DEMO_CLAIMS, actor="tester")
    ids = add_posts(
        store,
        "VIRAL!! e-KTP lama gak berlaku lg mulai 1 November, wajib ganti e-KTP chip baru di Dukcapil, hak pilih hangus 😱",
        "Katanya vaksin imunisasi anak di posyandu ada chip pelacaknya!! jangan bawa anak ke posyandu",
        "Pelantikan presiden 20 Oktober diundur ke Desember krn masalah di MK, sebarkan",
        "Ribuan surat suara pilwalkot udah dicoblos buat paslon 2 di gudang KPU!!",
        "Ayo datang ke TPS tanggal 27 November, gunakan hak pilihmu #PilkadaDamai",
        "[HOAKS] Pesan berantai: e-KTP lama tidak berlaku mulai 1 November dan hak pilih hangus. Faktanya KTP-el lama tetap sah",
    )
    ektp, vaccine, inauguration, ballots, civic, debunk = ids
    now = "2024-10-01T00:00:00Z"
    with store.write() as conn:
        conn.execute("INSERT INTO flags (post_id, category, score, status, created_at, updated_at) "
                     "VALUES (?, 'hoax', 0.3, 'open', ?, ?)", (vaccine, now, now))
        conn.execute("INSERT INTO flags (post_id, category, score, status, created_at, updated_at) "
                     "VALUES (?, 'hoax', 0.2, 'dismissed', ?, ?)", (inauguration, now, now))
        conn.execute("INSERT INTO flags (post_id, category, score, status, created_at, updated_at) "
                     "VALUES (?, 'hoax', 0.999, 'open', ?, ?)", (ballots, now, now))

    result = claim_check.match_posts(store, ids)
    assert result["posts"] == 6 and result["claims"] == 30
    assert (result["matched"], result["debunks"]) == (5, 1)
    assert (result["flags_opened"], result["flags_raised"], result["flags_decided"], result["flags_kept"]) == (1, 1, 1, 1)

    flags = {r["post_id"]: dict(r) for r in store.query("SELECT * FROM flags WHERE category = 'hoax'")}
    assert flags[ektp]["status"] == "open" and flags[ektp]["score"] >= claim_check.SCORE_AT_THRESHOLD
    assert flags[ektp]["proposed_code"] == "K1" and flags[ektp]["model_version"] == rows.CLAIM_MODEL_VERSION
    assert flags[vaccine]["score"] >= claim_check.SCORE_AT_THRESHOLD  # raised from 0.3
    assert (flags[inauguration]["status"], flags[inauguration]["score"], flags[inauguration]["updated_at"]) == (
        "dismissed", 0.2, now)  # a reviewer's decision is never touched
    assert flags[ballots]["score"] == 0.999
    assert civic not in flags and debunk not in flags

    matches = rows.matches_for_posts(store, ids)
    assert set(matches) == {ektp, vaccine, inauguration, ballots, debunk}
    best = matches[ektp][0]
    assert best["url"] == "https://cekfakta.sukamaju.example/2024/ektp-lama-hangus"
    assert best["title"].startswith("E-KTP Lama") and best["verdict"] == "hoaks"
    assert best["similarity"] >= claim_check.claim_index(store).threshold and best["stance"] == "repeats"
    assert matches[debunk][0]["stance"] == "debunks"

    explanation = json.loads(store.one("SELECT explanation_json FROM classifications WHERE post_id = ? AND model_version = ?",
                                       (ektp, rows.CLAIM_MODEL_VERSION))[0])["hoax"]
    assert explanation["claims"][0]["url"] == best["url"]
    assert "ektp-lama-hangus" in explanation["summary"]

    # idempotent: a second run adds no rows and opens nothing
    before = store.one("SELECT COUNT(*) FROM claim_matches")[0]
    again = claim_check.match_posts(store, ids)
    assert again["flags_opened"] == 0 and store.one("SELECT COUNT(*) FROM claim_matches")[0] == before


def test_index_is_rebuilt_when_claims_are_added(store, tmp_path):
    claim_check.clear_cache()
    claims_import.import_file(store, DEMO_CLAIMS, actor="tester")
    (post,) = add_posts(store, "Jembatan utama Kota Sukamaju ambruk kena gempa semalam, kendaraan dialihkan semua")
    assert claim_check.match_posts(store, [post])["matched"] == 0
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({"claim_text": "Jembatan utama Kota Sukamaju ambruk akibat gempa tadi malam, semua "
                                               "kendaraan dialihkan", "url": "https://cek.example/jembatan"}) + "\n",
                     encoding="utf-8")
    claims_import.import_file(store, extra, actor="tester")
    assert claim_check.match_posts(store, [post])["matched"] == 1
    assert rows.matches_for_posts(store, [post])[post][0]["url"] == "https://cek.example/jembatan"


def test_match_posts_without_claims_or_posts(store):
    claim_check.clear_cache()
    assert claim_check.match_posts(store, [1, 2])["posts"] == 0
    (post,) = add_posts(store, "Vaksin posyandu mengandung chip pelacak, jangan bawa anak")
    assert claim_check.match_posts(store, [post])["matched"] == 0
    assert rows.matches_for_posts(store, [post]) == {}


# -- CLI ----------------------------------------------------------------------------------------


def netra(*args: str, db) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("NETRA_DB", None)
    return subprocess.run([str(BIN / "netra"), "--db", str(db), *args], capture_output=True, text=True,
                          env=env, timeout=180)


def test_cli_import_list_and_match(tmp_path):
    db = tmp_path / "cli.db"
    posts = tmp_path / "posts.jsonl"
    posts.write_text(json.dumps({"platform": "x", "account": "@a", "post_id": "1",
                                 "text": "gempa besar bakal guncang kota sukamaju tgl 30 oktober kata ahli jepang 😱"}) + "\n",
                     encoding="utf-8")
    assert netra("init", db=db).returncode == 0
    assert netra("posts", "import", str(posts), db=db).returncode == 0
    imported = netra("claims", "import", str(DEMO_CLAIMS), "--match", db=db)
    assert imported.returncode == 0, imported.stderr
    assert "30 baru" in imported.stdout and "1 kiriman mirip klaim" in imported.stdout
    listed = netra("claims", "list", "--search", "gempa", db=db)
    assert listed.returncode == 0 and "Ramalan Gempa" in listed.stdout
    again = netra("claims", "import", str(DEMO_CLAIMS), db=db)
    assert "30 duplikat" in again.stdout
    missing = netra("claims", "import", str(tmp_path / "tidak-ada.jsonl"), db=db)
    assert missing.returncode != 0 and "tidak ditemukan" in missing.stderr
    assert "1 kiriman mirip" in netra("claims", "match", db=db).stdout
