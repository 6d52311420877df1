"""Dataset loaders: synthetic files for every format, then the real files when they are present.

Every synthetic row below was invented for these tests; no row of any licensed dataset is copied
here. Real-data tests read ../shared/datasets and skip when it is absent.
"""

from __future__ import annotations

import collections
import pickle
import re
import tomllib
from urllib.parse import quote
from pathlib import Path

import pytest

from classifiers import datasets
from classifiers.datasets import LABELS, Example, detect_format, load, load_with_report

SHARED = Path(__file__).resolve().parents[2] / "shared" / "datasets"
SEED = Path(__file__).resolve().parent.parent / "data" / "seed" / "seed_corpus.jsonl"

IBROHIM_HEADER = "Tweet,HS,Abusive,HS_Individual,HS_Group,HS_Religion,HS_Race,HS_Physical,HS_Gender,HS_Other,HS_Weak,HS_Moderate,HS_Strong"


def write(path: Path, *lines: str, encoding: str = "utf-8", newline: str = "\n") -> Path:
    path.write_bytes(newline.join(lines).encode(encoding) + newline.encode())
    return path


def ibrohim_row(tweet: str, hs: int, abusive: int, group: int = 0) -> str:
    return f"{tweet},{hs},{abusive},{hs - group if hs else 0},{group},0,0,0,0,{hs},{hs},0,0"


def texts(examples: list[Example]) -> list[str]:
    return [e.text for e in examples]


# ---------------------------------------------------------------------------------------------
# Synthetic files, one per format
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def ibrohim_file(tmp_path: Path) -> Path:
    """Mixed encoding on purpose: mostly ASCII, one raw UTF-8 emoji, one stray latin-1 byte."""
    lines = [
        IBROHIM_HEADER,
        ibrohim_row(r"RT USER: dasar tukang tipu \xf0\x9f\x98\xa1\xf0\x9f\x98\xa1 URL\n\nbubar aja'", 1, 1, group=1),
        ibrohim_row("Pak RT 03 minta warga kerja bakti besok pagi'", 0, 0),
        ibrohim_row("USER ngopi dulu \u2615 biar waras'", 0, 0),
        ibrohim_row("mantap jiwa \\xf0\\x9f\\x98", 0, 1),  # escape cut off by truncation
        ibrohim_row("nilai rusak", 0, 0).replace(",0,0,0,0,0,0,0,0,0,0,0,0", ",x,0,0,0,0,0,0,0,0,0,0,0"),
        ibrohim_row('""', 1, 0),
        ibrohim_row("kopi di kafe itu enak CAFE_E9 &amp; murah'", 0, 0),
    ]
    raw = "\n".join(lines).encode("utf-8").replace(b"CAFE_E9", b"caf\xe9") + b"\n"
    path = tmp_path / "re_dataset.csv"
    path.write_bytes(raw)
    return path


def test_ibrohim_cleans_crawl_artefacts_and_maps_hs_and_abusive(ibrohim_file: Path) -> None:
    examples, skipped = load_with_report(ibrohim_file)
    assert texts(examples) == [
        "@user: dasar tukang tipu 😡😡 http://url bubar aja",
        "Pak RT 03 minta warga kerja bakti besok pagi",  # "RT" = Rukun Tetangga survives
        "@user ngopi dulu ☕ biar waras",
        "mantap jiwa",
        "kopi di kafe itu enak café & murah",  # the stray latin-1 byte decoded, not dropped
    ]
    assert [e.labels for e in examples] == [
        frozenset({"hate", "abusive"}), frozenset(), frozenset(), frozenset({"abusive"}), frozenset()
    ]
    assert all(e.covers == {"hate", "abusive"} and e.source == "ibrohim2019" and e.fold is None for e in examples)
    assert examples[0].meta["HS_Group"] == "1" and "Tweet" not in examples[0].meta
    assert [line for line, _ in skipped] == [6, 7]
    assert "HS" in skipped[0][1] and "teks kosong" in skipped[1][1]
    assert texts(load(ibrohim_file)) == texts(examples)


def test_pure_latin1_file_is_read(tmp_path: Path) -> None:
    path = write(tmp_path / "Javanese.csv", "isi_tweet,uk,hs", "\"sugeng enjing, kopi ing kafé enak'\",0,0", encoding="latin-1")
    (example,) = load(path)
    assert example.text == "sugeng enjing, kopi ing kafé enak"


def fold_file(tmp_path: Path, roles: list[str]) -> Path:
    header = "row_index," + ",".join(f"fold{k}" for k in range(5))
    return write(tmp_path / "folds_indobertweet.csv", header, *(f"{i},{r}" for i, r in enumerate(roles)))


@pytest.fixture
def folds_file(tmp_path: Path) -> Path:
    rows = [ibrohim_row(f"cuitan nomor {i} USER'", i % 2, 0) for i in range(5)]
    write(tmp_path / "re_dataset.csv", IBROHIM_HEADER, *rows)
    # Row k is test in fold k, dev in fold k+1, train elsewhere: a clean 5-fold partition.
    roles = [",".join("test" if f == k else "dev" if f == (k + 1) % 5 else "train" for f in range(5)) for k in range(5)]
    return fold_file(tmp_path, roles)


def test_ibrohim_folds_follow_the_fold_columns(folds_file: Path) -> None:
    examples, skipped = load_with_report(folds_file)
    assert skipped == [] and len(examples) == 5
    assert [e.fold for e in examples] == [0, 1, 2, 3, 4]
    assert examples[3].meta["fold3"] == "test" and examples[3].meta["fold4"] == "dev" and examples[3].meta["row_index"] == "3"
    assert examples[1].labels == {"hate"} and examples[1].text == "cuitan nomor 1 @user"
    folds = datasets.ibrohim_folds(folds_file)
    assert len(folds) == 5
    for k, (train, test) in enumerate(folds):
        assert texts(test) == [f"cuitan nomor {k} @user"]
        assert len(train) == 3  # the dev row is held out of both
        assert not set(texts(train)) & set(texts(test))
    splits = datasets.ibrohim_splits(folds_file)
    assert texts(splits[0].dev) == ["cuitan nomor 4 @user"]


def test_ibrohim_folds_report_bad_rows_and_need_the_tweets(tmp_path: Path) -> None:
    write(tmp_path / "re_dataset.csv", IBROHIM_HEADER, ibrohim_row("satu'", 0, 0), ibrohim_row("dua'", 0, 0))
    path = fold_file(tmp_path, ["test,train,train,train,dev", "train,test,validasi,train,dev", "test,test,train,train,dev"])
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("7,train,train,test,train,dev\n")
    examples, skipped = load_with_report(path)
    assert [e.text for e in examples] == ["satu"]
    assert [line for line, _ in skipped] == [3, 4, 5]
    assert "validasi" in skipped[0][1] and "tidak ada" in skipped[1][1] and "tidak ada" in skipped[2][1]
    (tmp_path / "re_dataset.csv").unlink()
    with pytest.raises(FileNotFoundError, match="re_dataset.csv"):
        load(path)


def test_a_row_that_is_test_in_two_folds_has_no_single_fold(tmp_path: Path) -> None:
    write(tmp_path / "re_dataset.csv", IBROHIM_HEADER, ibrohim_row("kembar'", 0, 0), ibrohim_row("kembar'", 0, 0))
    path = fold_file(tmp_path, ["test,test,train,train,dev", "train,train,train,train,dev"])
    assert [e.fold for e in load(path)] == [None, None]


def test_netifier_maps_only_sara_and_strips_forum_markup(tmp_path: Path) -> None:
    path = write(
        tmp_path / "train.csv",
        "original_text,source,pornografi,sara,radikalisme,pencemaran_nama_baik",
        '"[QUOTE=agan_x;123]kata dia[/QUOTE]\\n\\nkaum itu [b]harus diusir[/b] &quot;semua&quot;",kaskus,0,1,0,1',
        '"gambar jorok, jangan dibuka \u2014 bikin malu",instagram,1,0,0,0',
        ",twitter,0,0,0,0",
        '"label rusak",twitter,0,2,0,0',
        '"pornografi rusak",twitter,ya,0,0,0',
        encoding="cp1252",
    )
    examples, skipped = load_with_report(path)
    assert texts(examples) == ['kata dia kaum itu harus diusir "semua"', "gambar jorok, jangan dibuka \u2014 bikin malu"]
    assert [e.labels for e in examples] == [frozenset({"hate"}), frozenset()]
    assert all(e.covers == {"hate"} and e.source == "netifier" for e in examples)
    assert examples[1].meta == {"source": "instagram", "pornografi": "1", "radikalisme": "0", "pencemaran_nama_baik": "0", "split": "train"}
    assert [line for line, _ in skipped] == [4, 5, 6]


def test_putri2021_javanese_and_sundanese(tmp_path: Path) -> None:
    jv = write(
        tmp_path / "Javanese.csv",
        "isi_tweet,uk,hs",
        r"RT USER USER wong kok ngeyel terus \xf0\x9f\x98\xa4',1,0",
        "USER sugeng tindak mas',0,0",
        "USER golongan kono kudu minggat',1,1",
        "nilai kosong',,0",
    )
    examples, skipped = load_with_report(jv)
    assert texts(examples) == ["@user @user wong kok ngeyel terus 😤", "@user sugeng tindak mas", "@user golongan kono kudu minggat"]
    assert [sorted(e.labels) for e in examples] == [["abusive"], [], ["abusive", "hate"]]
    assert all(e.covers == {"hate", "abusive"} and e.meta["language"] == "jv" for e in examples)
    assert skipped == [(5, "nilai uk '' bukan 0/1")]
    su = write(tmp_path / "Sundanese.csv", "isi_tweet,uk,hs", "kaum eta teu kudu aya di dieu',0,1")
    (example,) = load(su)
    assert example.labels == {"hate"} and example.meta["language"] == "su"


def test_desrul2019_levels_and_mac_roman_repair(tmp_path: Path) -> None:
    laugh = "😂".encode("utf-8").decode("mac_roman")  # how the workbook export mangled emoji
    invisible = "\u2063".encode("utf-8").decode("mac_roman")
    path = write(
        tmp_path / "news_comments_abusive.csv",
        "Kalimat,label",
        f"beritanya bagus sekali {laugh},1",
        f'"{invisible}anjir, jalannya macet parah",2',
        '"dasar pejabat otak udang, goblok",3',
        "komentar tanpa level,4",
        ",1",
    )
    examples, skipped = load_with_report(path)
    assert texts(examples) == ["beritanya bagus sekali 😂", "anjir, jalannya macet parah", "dasar pejabat otak udang, goblok"]
    assert [e.labels for e in examples] == [frozenset(), frozenset({"abusive"}), frozenset({"abusive"})]
    assert [e.meta["level"] for e in examples] == ["1", "2", "3"]
    assert all(e.covers == {"abusive"} for e in examples)
    assert [line for line, _ in skipped] == [5, 6]


def test_suryadikara2021_classes(tmp_path: Path) -> None:
    header = "index\ttopic\ttweets\tdate\tusername\tlikes\tretweets\treplies\thashtags\tclass"

    def row(i: int, text: str, cls: str) -> str:
        return f"{i}\tTopik Karangan\t{text}\t2019-04-01\takun{i}\t0\t0\t0\t\t{cls}"

    path = write(
        tmp_path / "indonesian_falsenews_traindata.txt",
        header,
        row(0, "Katanya surat suara sudah dicoblos duluan di gudang", "False News"),
        row(1, "Foto lama dipakai seolah kejadian kemarin &amp; viral", "Misleading News"),
        row(2, "Cek fakta: kabar surat suara tercoblos itu tidak benar", "True News"),
        row(3, "Nonton bola dulu ah", "Other 1"),
        row(4, "Selamat pagi semua", "Other 2"),
        row(5, "Kelas aneh", "Maybe News"),
        newline="\r\n",
    )
    examples, skipped = load_with_report(path)
    assert [(e.text, sorted(e.labels)) for e in examples] == [
        ("Katanya surat suara sudah dicoblos duluan di gudang", ["hoax"]),
        ("Foto lama dipakai seolah kejadian kemarin & viral", ["hoax"]),
        ("Cek fakta: kabar surat suara tercoblos itu tidak benar", []),
    ]
    assert all(e.covers == {"hoax"} for e in examples)
    assert examples[1].meta["class"] == "Misleading News" and examples[0].meta["topic"] == "Topik Karangan"
    assert [line for line, _ in skipped] == [5, 6, 7]
    assert "dikecualikan" in skipped[0][1] and "tidak dikenal" in skipped[2][1]


def test_turnbackhoax_truncates_the_explanation(tmp_path: Path) -> None:
    path = write(
        tmp_path / "politics_hoax_text.csv",
        "ID,TITLE,DATE,HOAX_TEXT,LLM_CATEGORY",
        '1,Judul Satu,2 Jan 2024,"“Presiden mundur besok pagi, sebarkan!” PENJELASAN: Klaim itu keliru karena...",politics',
        '2,Judul Dua,3 Jan 2024,"[HOAKS] “Bansos cair lewat tautan ini” = = = Penjelasan: Beredar tautan palsu",scam',
        '3,Judul Tiga,4 Jan 2024,"Hasil Cek Fakta: “TPS dipindah ke balai desa” Sumber: WhatsApp",politics',
        "4,Judul Empat,5 Jan 2024,PENJELASAN: hanya penjelasan,others",
        '5,Judul Lima,6 Jan 2024,"Minta penjelasan KPU soal jadwal debat =====",politics',
        "6,Judul Enam,7 Jan 2024,,politics",
    )
    examples, skipped = load_with_report(path)
    assert texts(examples) == [
        "Presiden mundur besok pagi, sebarkan!",
        "Bansos cair lewat tautan ini",
        "TPS dipindah ke balai desa",
        "Minta penjelasan KPU soal jadwal debat",  # lower-case "penjelasan" is part of the claim
    ]
    assert all(e.labels == {"hoax"} and e.covers == {"hoax"} for e in examples)
    assert examples[2].meta["platform"] == "WhatsApp" and examples[0].meta["TITLE"] == "Judul Satu"
    assert [line for line, _ in skipped] == [5, 7]


def test_turnbackhoax_titles_file(tmp_path: Path) -> None:
    path = write(tmp_path / "categorized_hoaxes.csv", "ID,TITLE,LLM_CATEGORY", "9,[SALAH] Pemilu Diundur ke 2030,politics")
    (example,) = load(path)
    assert example.text == "Pemilu Diundur ke 2030" and example.meta["text_column"] == "TITLE"


def test_hoax_headlines(tmp_path: Path) -> None:
    path = write(
        tmp_path / "data_berita.csv",
        "Judul Artikel,Link,Waktu_Scraping,Berita_Hoax",
        "“Kotak Suara Dibuang ke Sungai”,https://contoh.invalid/1,2023-10-13,True",
        "KPU Umumkan Jadwal Debat Kedua,https://contoh.invalid/2,2023-10-13,False",
        "Judul Aneh,https://contoh.invalid/3,2023-10-13,Mungkin",
    )
    examples, skipped = load_with_report(path)
    assert [(e.text, sorted(e.labels)) for e in examples] == [
        ("Kotak Suara Dibuang ke Sungai", ["hoax"]), ("KPU Umumkan Jadwal Debat Kedua", [])
    ]
    assert examples[0].covers == {"hoax"} and examples[0].meta["Link"] == "https://contoh.invalid/1"
    assert skipped[0][0] == 4


def test_unlabeled_pools_cover_nothing(tmp_path: Path) -> None:
    arrow = "👇".encode("utf-8").decode("cp1252")  # what the pilpres2019 file holds instead of 👇
    nusax = write(tmp_path / "valid.csv", "id,text,label", "1,Bakso di sini enak sekali,positive", "2,Hari ini hujan,neutral")
    pilpres19 = write(tmp_path / "tweet.csv", ",sentimen,tweet", f'0,positif,"Lanjutkan pak {arrow} #contoh\u00c2\u00a0"')
    pilpres24 = write(
        tmp_path / "candidate_tweets_2023.csv", "candidate,date,text,label_silver",
        "Calon A,2023-04-01,dukung terus sampai menang,Positive", "Calon B,2023-04-01,,Negative",
    )
    for path, fmt in [(nusax, "nusax_senti_id"), (pilpres19, "pilpres2019_sentiment"), (pilpres24, "pilpres2024_candidates")]:
        assert detect_format(path) == fmt
        examples = load(path)
        assert examples and all(e.labels == frozenset() and e.covers == frozenset() and e.source == fmt for e in examples)
    assert load(nusax)[0].meta["label"] == "positive"
    assert texts(load(pilpres19)) == ["Lanjutkan pak 👇 #contoh"]
    assert load_with_report(pilpres24)[1] == [(3, "teks kosong (kolom text)")]


def test_jannati_stance(tmp_path: Path) -> None:
    path = write(
        tmp_path / "dataset_stance_2_label_2018_building_by_rini.csv",
        "Tokoh;Event;Judul Artikel;Isi Artikel;stance final;",
        'tokoh x;Pilkada Karangan;Judul Pertama;"[""Paragraf satu."", ""Paragraf dua.""]";againts;',
        "tokoh y;Pilkada Karangan;Judul Kedua;;for;",
        ";;;;for;",
        encoding="utf-8-sig",
    )
    examples, skipped = load_with_report(path)
    assert texts(examples) == ["Judul Pertama Paragraf satu. Paragraf dua.", "Judul Kedua"]
    assert examples[0].meta["stance"] == "against" and examples[0].covers == frozenset()
    assert [line for line, _ in skipped] == [4]


def test_generic_jsonl(tmp_path: Path) -> None:
    path = write(
        tmp_path / "anotasi.jsonl",
        '{"text": "coblos nomor 9 ya", "labels": ["partisan"], "id": "a1", "extra": {"k": 1}}',
        '{"text": "jadwal TPS sudah keluar", "labels": []}',
        "",
        "{rusak",
        '{"text": "", "labels": []}',
        '{"text": "label aneh", "labels": ["spam"]}',
        '{"text": "hanya hoaks", "labels": ["hoax"], "covers": ["hoax"], "fold": 2}',
        '{"text": "di luar cakupan", "labels": ["hate"], "covers": ["hoax"]}',
        '{"text": "tanpa label"}',
    )
    examples, skipped = load_with_report(path)
    assert texts(examples) == ["coblos nomor 9 ya", "jadwal TPS sudah keluar", "hanya hoaks", "tanpa label"]
    assert examples[0].labels == {"partisan"} and examples[0].covers == LABELS and examples[0].source == "anotasi"
    assert examples[0].meta == {"id": "a1", "extra": '{"k": 1}'}
    assert examples[2].covers == {"hoax"} and examples[2].fold == 2
    assert examples[3].covers == frozenset()  # no labels field: unlabeled, not negative
    assert [line for line, _ in skipped] == [4, 5, 6, 8]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_generic_csv(tmp_path: Path, delimiter: str) -> None:
    d = delimiter
    path = write(
        tmp_path / "posting.csv",
        f"Text{d}Label{d}labels{d}akun",
        f'"Pilih pasangan nomor 1, jangan ragu"{d}partisan{d}{d}@guru1',
        f'"dasar kaum X kotor"{d}"hate,abusive"{d}{d}@guru2',
        f'info vaksin palsu{d}{d}"hoax;partisan"{d}@guru3',
        f"jadwal posyandu{d}none{d}{d}@guru4",
        f"teks{d}tidak_dikenal{d}{d}@guru5",
        f"{d}{d}{d}@guru6",
        f"kolom kurang{d}partisan",
    )
    assert detect_format(path) == "csv"
    examples, skipped = load_with_report(path)
    assert [sorted(e.labels) for e in examples] == [["partisan"], ["abusive", "hate"], ["hoax", "partisan"], []]
    assert all(e.covers == LABELS and e.source == "posting" for e in examples)
    assert examples[0].meta == {"akun": "@guru1"}
    assert [line for line, _ in skipped] == [6, 7, 8]


def test_generic_csv_without_labels_is_a_pool(tmp_path: Path) -> None:
    path = write(tmp_path / "kumpulan.csv", "id,text", "1,teks pertama", "2,teks kedua")
    assert [e.covers for e in load(path)] == [frozenset(), frozenset()]


# ---------------------------------------------------------------------------------------------
# Registry and detection
# ---------------------------------------------------------------------------------------------


def test_registry_lists_every_format() -> None:
    assert set(datasets.FORMATS) == {
        "ibrohim2019", "ibrohim2019_folds", "netifier", "putri2021", "desrul2019", "suryadikara2021",
        "turnbackhoax2024", "hoax_headlines2024", "nusax_senti_id", "pilpres2019_sentiment",
        "pilpres2024_candidates", "jannati2018_stance", "jsonl", "csv",
    }


@pytest.mark.parametrize(
    ("name", "header", "expected"),
    [
        ("re_dataset.csv", IBROHIM_HEADER, "ibrohim2019"),
        ("tweets_lama.csv", IBROHIM_HEADER, "ibrohim2019"),  # renamed: the header decides
        ("folds_indobertweet.csv", "row_index,fold0,fold1,fold2,fold3,fold4", "ibrohim2019_folds"),
        ("train.csv", "original_text,source,pornografi,sara,radikalisme,pencemaran_nama_baik", "netifier"),
        ("Sundanese.csv", "isi_tweet,uk,hs", "putri2021"),
        ("news_comments_abusive.csv", "Kalimat,label", "desrul2019"),
        ("indonesian_falsenews_traindata.txt", "index\ttopic\ttweets\tdate\tusername\tlikes\tretweets\treplies\thashtags\tclass", "suryadikara2021"),
        ("scam_hoax_text.csv", "ID,TITLE,DATE,HOAX_TEXT,LLM_CATEGORY", "turnbackhoax2024"),
        ("categorized_hoaxes.csv", "ID,TITLE,LLM_CATEGORY", "turnbackhoax2024"),
        ("sentiment_results.csv", "ID,TITLE,HOAX_TEXT,SENTIMENT_LABEL,SENTIMENT_SCORE,CANDIDATES_MENTIONED", "turnbackhoax2024"),
        ("data_berita.csv", "Judul Artikel,Link,Waktu_Scraping,Berita_Hoax", "hoax_headlines2024"),
        ("tweet.csv", ",sentimen,tweet", "pilpres2019_sentiment"),
        ("candidate_tweets_2023.csv", "candidate,date,text,label_silver", "pilpres2024_candidates"),
        ("dataset_stance_2_label_2018_building_by_rini.csv", "Tokoh;Event;Judul Artikel;Isi Artikel;stance final;", "jannati2018_stance"),
        ("seed.jsonl", '{"text": "x", "labels": []}', "jsonl"),
        ("train.csv", "text,label", "csv"),  # a generic train.csv is neither netifier nor NusaX
        ("data.tsv", "id\ttext", "csv"),
    ],
)
def test_detect_format(tmp_path: Path, name: str, header: str, expected: str) -> None:
    assert detect_format(write(tmp_path / name, header)) == expected


def test_nusax_needs_sentiment_values(tmp_path: Path) -> None:
    assert detect_format(write(tmp_path / "train.csv", "id,text,label", "1,halo,positive")) == "nusax_senti_id"
    assert detect_format(write(tmp_path / "train.csv", "id,text,label", "1,halo,hoax")) == "csv"


def test_unknown_files_raise_in_indonesian(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="tidak dikenali") as error:
        detect_format(write(tmp_path / "re_dataset.csv", "kolom_a,kolom_b", "1,2"))
    assert "ibrohim2019" in str(error.value)  # the file name hint
    with pytest.raises(ValueError, match="tidak dikenali"):
        load(write(tmp_path / "acak.bin", "bukan,tabel,teks"))
    with pytest.raises(ValueError, match="format 'xlsx' tidak dikenal"):
        load(tmp_path / "re_dataset.csv", format="xlsx")


def test_explicit_format_overrides_detection_and_checks_columns(tmp_path: Path) -> None:
    path = write(tmp_path / "apa_saja.csv", "isi_tweet,uk,hs", "halo',0,0")
    assert load(path, format="putri2021")[0].text == "halo"
    with pytest.raises(ValueError, match="kolom wajib tidak ada: Tweet"):
        load(path, format="ibrohim2019")


def test_a_registered_loader_without_report_still_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def custom(path: Path) -> list[Example]:
        return [Example("x", frozenset(), frozenset(), "custom")]

    monkeypatch.setitem(datasets.FORMATS, "custom", custom)
    assert load_with_report(write(tmp_path / "a.txt", "x"), format="custom") == ([custom(tmp_path)[0]], [])


def test_example_guards_its_labels() -> None:
    with pytest.raises(ValueError, match="cakupan"):
        Example("t", frozenset({"hoax"}), frozenset({"hate"}), "uji")
    with pytest.raises(ValueError, match="tidak dikenal"):
        Example("t", frozenset({"spam"}), frozenset({"spam"}), "uji")
    example = Example("t", {"hate"}, {"hate", "abusive"}, "uji", meta={"a": "1"})  # type: ignore[arg-type]
    assert isinstance(example.labels, frozenset) and hash(example)
    assert pickle.loads(pickle.dumps(example)) == example


# ---------------------------------------------------------------------------------------------
# Seed corpus
# ---------------------------------------------------------------------------------------------


@pytest.mark.skipif(not SEED.exists(), reason="data/seed/seed_corpus.jsonl absent")
def test_seed_corpus() -> None:
    examples = datasets.load_seed_corpus()
    assert len(examples) == 1275  # data/seed/README.md
    assert all(e.covers == LABELS and e.source == "seed" for e in examples)
    counts = collections.Counter(label for e in examples for label in e.labels)
    assert counts == {"partisan": 313, "abusive": 139, "hate": 129, "hoax": 161}
    assert sum(1 for e in examples if not e.labels) == 619
    assert len({e.meta["id"] for e in examples}) == 1275
    assert {e.meta["style"] for e in examples} >= {"formal", "slang", "javanese", "sundanese"}
    assert datasets.load_seed_corpus(SEED) == examples


def test_seed_corpus_refuses_bad_rows(tmp_path: Path) -> None:
    path = write(tmp_path / "seed.jsonl", '{"id": "s1", "text": "ok", "labels": []}', '{"id": "s2", "text": "x", "labels": ["spam"]}')
    with pytest.raises(ValueError, match="baris 2"):
        datasets.load_seed_corpus(path)


# ---------------------------------------------------------------------------------------------
# Catalogue
# ---------------------------------------------------------------------------------------------


def catalogue() -> list[dict]:
    return tomllib.loads(datasets.CATALOGUE.read_text(encoding="utf-8"))["dataset"]


def test_catalogue_is_consistent() -> None:
    entries = catalogue()
    assert len({e["name"] for e in entries}) == len(entries)
    for entry in entries:
        assert {"name", "description", "repo_url", "commit", "raw_url", "licence", "format", "files"} <= set(entry)
        repo = entry["repo_url"].removeprefix("https://github.com/")
        assert entry["repo_url"].startswith("https://github.com/")
        assert entry["raw_url"] == f"https://raw.githubusercontent.com/{repo}/{entry['commit']}/"
        assert entry["format"] in datasets.FORMATS
        for item in entry["files"]:
            assert item["format"] in datasets.FORMATS and item["rows"] > 0
            assert item["derived"] or len(item["upstream"]) == 1
            if item["derived"]:
                assert item["raw_url"] == ""  # rebuilt from upstream, never downloaded as is
            else:
                assert item["raw_url"] == entry["raw_url"] + quote(item["upstream"][0])


def needs_shared() -> None:
    if not SHARED.exists():
        pytest.skip(f"{SHARED} absent")


def test_catalogue_matches_source_txt() -> None:
    needs_shared()
    for entry in catalogue():
        folder = SHARED / entry["name"]
        if not (folder / "SOURCE.txt").exists():
            continue
        source = (folder / "SOURCE.txt").read_text(encoding="utf-8")
        repo = entry["repo_url"].removeprefix("https://github.com/")
        assert repo in source and entry["commit"] in source, entry["name"]
        for item in entry["files"]:
            assert (folder / item["name"]).exists(), item["name"]
            # Derived files may be named with SOURCE.txt's brace shorthand: check their folder.
            for upstream in item["upstream"]:
                assert (upstream.rsplit("/", 1)[0] if item["derived"] else upstream) in source, upstream


# ---------------------------------------------------------------------------------------------
# Real data
# ---------------------------------------------------------------------------------------------

# (folder/file, format, rows per README/SOURCE.txt, expected loaded rows, label -> expected count).
# Tolerance: loaded + skipped within 1% of the README rows; loaded within 1% of the expected
# loaded count (which differs from the README only where rows are excluded by design: Other
# classes of suryadikara2021, empty texts of pilpres2024); label counts within 2% of expected.
REAL = [
    ("ibrohim2019/re_dataset.csv", "ibrohim2019", 13169, 13169, {"hate": 5561, "abusive": 5043}),
    ("ibrohim2019/folds_indobertweet.csv", "ibrohim2019_folds", 13169, 13169, {"hate": 5561, "abusive": 5043}),
    ("netifier/train.csv", "netifier", 6995, 6995, {"hate": 1124}),
    ("netifier/test.csv", "netifier", 778, 778, {"hate": 114}),
    ("putri2021_jv_su/Javanese.csv", "putri2021", 3477, 3477, {"abusive": 2583, "hate": 173}),
    ("putri2021_jv_su/Sundanese.csv", "putri2021", 2208, 2208, {"abusive": 1615, "hate": 537}),
    ("desrul2019_comments/news_comments_abusive.csv", "desrul2019", 3184, 3184, {"abusive": 110 + 285}),
    ("suryadikara2021/indonesian_falsenews_traindata.txt", "suryadikara2021", 2360, 896 + 648 + 189, {"hoax": 648 + 189}),
    ("turnbackhoax2024/categorized_hoaxes.csv", "turnbackhoax2024", 3746, 3746, {"hoax": 3746}),
    ("turnbackhoax2024/politics_hoax_text.csv", "turnbackhoax2024", 1358, 1358, {"hoax": 1358}),
    ("turnbackhoax2024/others_hoax_text.csv", "turnbackhoax2024", 1449, 1449, {"hoax": 1449}),
    ("turnbackhoax2024/scam_hoax_text.csv", "turnbackhoax2024", 939, 939, {"hoax": 939}),
    ("hoax_headlines2024/data_berita.csv", "hoax_headlines2024", 5549, 5549, {"hoax": 1899}),
    ("nusax_senti_id/train.csv", "nusax_senti_id", 500, 500, {}),
    ("nusax_senti_id/valid.csv", "nusax_senti_id", 100, 100, {}),
    ("nusax_senti_id/test.csv", "nusax_senti_id", 400, 400, {}),
    ("pilpres2019_sentiment/tweet.csv", "pilpres2019_sentiment", 1815, 1815, {}),
    ("pilpres2024_candidates/candidate_tweets_2023.csv", "pilpres2024_candidates", 30000, 30000 - 269, {}),
    ("jannati2018_stance/dataset_stance_2_label_2018_building_by_rini.csv", "jannati2018_stance", 337, 337, {}),
]


def real_file(relative: str) -> Path:
    needs_shared()
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{path} absent")
    return path


@pytest.mark.parametrize(("relative", "fmt", "rows", "loaded", "labels"), REAL, ids=[r[0] for r in REAL])
def test_real_file_loads(relative: str, fmt: str, rows: int, loaded: int, labels: dict[str, int]) -> None:
    path = real_file(relative)
    assert detect_format(path) == fmt
    examples, skipped = load_with_report(path)
    assert abs(len(examples) + len(skipped) - rows) <= rows * 0.01
    assert abs(len(examples) - loaded) <= loaded * 0.01
    counts = collections.Counter(label for e in examples for label in e.labels)
    assert set(counts) == set(labels)
    for label, expected in labels.items():
        assert abs(counts[label] - expected) <= max(2, expected * 0.02), (label, counts[label])
    assert all(e.text and e.labels <= e.covers for e in examples)


def test_real_ibrohim_text_is_clean() -> None:
    examples = load(real_file("ibrohim2019/re_dataset.csv"))
    for pattern in (r"\\x[0-9a-f]", r"\\n", r"\bUSER\b", r"\bURL\b", r"ð\?"):
        assert not [e.text for e in examples if re.search(pattern, e.text)], pattern
    hate_rate = sum("hate" in e.labels for e in examples) / len(examples)
    assert 0.35 < hate_rate < 0.50


def test_real_turnbackhoax_has_no_fact_checker_explanation() -> None:
    for name in ("politics_hoax_text.csv", "others_hoax_text.csv", "scam_hoax_text.csv"):
        examples = load(real_file(f"turnbackhoax2024/{name}"))
        leaks = [e.text for e in examples if re.search(r"PENJELASAN|[Pp]enjelasan\s*:|(?:=\s*){3,}", e.text)]
        assert leaks == []


def test_real_ibrohim_folds() -> None:
    path = real_file("ibrohim2019/folds_indobertweet.csv")
    real_file("ibrohim2019/re_dataset.csv")
    splits = datasets.ibrohim_splits(path)
    assert len(splits) == 5
    assert all((len(s.train), len(s.dev), len(s.test)) == (9219, 1317, 2633) for s in splits)
    assert [tuple(map(len, pair)) for pair in datasets.ibrohim_folds(path)] == [(9219, 2633)] * 5
    examples = load(path)
    copies = collections.Counter(e.text for e in examples)
    test_slots: collections.Counter[int] = collections.Counter()
    for k, split in enumerate(splits):
        rows = [{e.meta["row_index"] for e in part} for part in (split.train, split.dev, split.test)]
        assert not (rows[0] & rows[1] or rows[0] & rows[2] or rows[1] & rows[2])
        test_slots.update(e.meta["row_index"] for e in split.test)
        assert all(e.meta[f"fold{k}"] == "test" for e in split.test)
    by_row = {e.meta["row_index"]: e for e in examples}
    # Disjoint and covering for every tweet whose text is unique in the file. Duplicated texts
    # had their roles attached to one copy, so a copy may be test in several folds and its twin
    # in none; only 4 unique rows are never test (5 x 2,633 = 13,165 test slots for 13,169 rows).
    shared_tests = [r for r, n in test_slots.items() if n > 1]
    never_tested = [r for r in by_row if test_slots[r] == 0]
    assert all(copies[by_row[r].text] > 1 for r in shared_tests)
    assert len([r for r in never_tested if copies[by_row[r].text] == 1]) <= 4
    assert len(test_slots) >= 0.99 * len(examples)
    # Per text, test slots still equal copies (up to the 4 spare rows): the protocol is intact.
    slots_per_text: collections.Counter[str] = collections.Counter()
    for row, n in test_slots.items():
        slots_per_text[by_row[row].text] += n
    assert sum(1 for text, n in copies.items() if slots_per_text[text] != n) <= 4
    assert sum(e.fold is None for e in examples) == len(shared_tests) + len(never_tested)


# ---------------------------------------------------------------------------------------------
# Fetching from the catalogue (a real HTTP server on 127.0.0.1)
# ---------------------------------------------------------------------------------------------

NETIFIER_HEADER = "original_text,source,pornografi,sara,radikalisme,pencemaran_nama_baik"


@pytest.fixture
def raw_server():
    """Serves ``files`` (URL path -> bytes) like raw.githubusercontent.com; 404 otherwise."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    files: dict[str, bytes] = {}
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server API)
            requests.append(self.path)
            body = files.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", files, requests
    server.shutdown()
    server.server_close()


def _netifier_paths() -> dict[str, str]:
    from classifiers.catalogue import RAW_HOST, find

    return {item.name: item.raw_url.removeprefix(RAW_HOST) for item in find("netifier").files}


def _netifier_csv(*rows: str) -> bytes:
    return "\n".join([NETIFIER_HEADER, *rows]).encode("utf-8") + b"\n"


def test_fetch_refuses_without_licence_acceptance(tmp_path, raw_server):
    from classifiers.catalogue import LicenseNotAccepted, fetch

    base, _files, requests = raw_server
    with pytest.raises(LicenseNotAccepted, match="--accept-license"):
        fetch("netifier", tmp_path, accept_license=False, base_url=base)
    assert requests == [] and not (tmp_path / "netifier").exists()


def test_fetch_downloads_checks_and_records(tmp_path, raw_server):
    import hashlib
    import json

    from classifiers.catalogue import fetch

    base, files, requests = raw_server
    paths = _netifier_paths()
    files[paths["train.csv"]] = _netifier_csv("kalimat contoh satu,twitter,0,1,0,0", "kalimat dua,kaskus,0,0,0,0")
    files[paths["test.csv"]] = _netifier_csv("kalimat uji,instagram,0,0,0,1")
    result = fetch("netifier", tmp_path, accept_license=True, base_url=base)
    assert sorted(requests) == sorted(paths.values())
    assert [f["rows"] for f in result.files] == [2, 1]
    train = tmp_path / "netifier" / "train.csv"
    assert train.read_bytes() == files[paths["train.csv"]]
    record = json.loads((tmp_path / "netifier" / "FETCHED.json").read_text(encoding="utf-8"))
    assert record["files"][0]["sha256"] == hashlib.sha256(train.read_bytes()).hexdigest()
    assert record["licence_accepted_at"] and record["commit"] == "725b7ebc74fe5d6bc7de9f2edb55a4251bc944a5"
    assert [e.labels for e in load(train)] == [{"hate"}, set()]
    assert sorted(p.name for p in (tmp_path / "netifier").iterdir()) == ["FETCHED.json", "test.csv", "train.csv"]


def test_fetch_rejects_files_that_do_not_parse_or_are_missing(tmp_path, raw_server):
    from classifiers.catalogue import FetchError, fetch

    base, files, _requests = raw_server
    paths = _netifier_paths()
    files[paths["train.csv"]] = b"<html>Moved</html>\n"
    with pytest.raises(FetchError, match="train.csv"):
        fetch("netifier", tmp_path, accept_license=True, base_url=base)
    assert not (tmp_path / "netifier" / "train.csv").exists()
    files[paths["train.csv"]] = _netifier_csv("kalimat,twitter,0,1,0,0")  # test.csv is still missing: 404
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch("netifier", tmp_path, accept_license=True, base_url=base)
    assert not (tmp_path / "netifier" / "test.csv").exists()
    assert not [p for p in (tmp_path / "netifier").iterdir() if p.name.startswith(".")]  # no staging left


def test_datasets_commands(tmp_path, raw_server):
    import os
    import subprocess
    import sys

    base, files, _requests = raw_server
    paths = _netifier_paths()
    files[paths["train.csv"]] = _netifier_csv("kalimat contoh satu,twitter,0,1,0,0")
    files[paths["test.csv"]] = _netifier_csv("kalimat uji,instagram,0,0,0,1")
    netra = str(Path(sys.executable).parent / "netra")
    env = {**os.environ, "COLUMNS": "250", "NO_COLOR": "1", "NETRA_DATASETS_BASE_URL": base}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([netra, "datasets", *args], capture_output=True, text=True, env=env, timeout=120)

    listed = run("list")
    assert listed.returncode == 0 and "ibrohim2019" in listed.stdout and "CC BY-NC-SA 4.0" in listed.stdout
    refused = run("fetch", "netifier", "--dest", str(tmp_path))
    assert refused.returncode == 1 and "Lisensi: none" in refused.stdout and "--accept-license" in refused.stderr
    assert not (tmp_path / "netifier").exists()
    fetched = run("fetch", "netifier", "--accept-license", "--dest", str(tmp_path))
    assert fetched.returncode == 0, fetched.stderr
    assert (tmp_path / "netifier" / "train.csv").is_file() and "1 baris terbaca" in fetched.stdout
    unknown = run("fetch", "tidak-ada", "--accept-license", "--dest", str(tmp_path))
    assert unknown.returncode == 1 and "tidak ada di katalog" in unknown.stderr
