"""The shared row reader (classifiers.rows) and its two users: batch classification and post import."""

from __future__ import annotations

import pytest

from classifiers import batch
from classifiers.rows import read_rows
from monitor.collect import file_import


def test_jsonl_rows_report_bad_lines(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "satu"}\n\nbukan json\n[1, 2]\n{"text": "dua", "id": 7}\n', encoding="utf-8")
    rows = list(read_rows(path))
    assert [(line, error) for line, _, error in rows] == [
        (1, None), (3, "JSON tidak valid: Expecting value"), (4, "baris JSON harus berupa objek"), (5, None)]
    assert rows[-1][1] == {"text": "dua", "id": 7}


def test_csv_rows_keep_physical_lines_and_check_the_header(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('id,text\n1,"baris\ndua"\n2,terlalu,banyak\n3,tiga\n', encoding="utf-8")
    rows = list(read_rows(path, required_columns=("text",)))
    assert [(line, error) for line, _, error in rows] == [(2, None), (4, "jumlah kolom lebih banyak dari tajuk"), (5, None)]
    with pytest.raises(ValueError, match="kolom isi"):
        list(read_rows(path, required_columns=("isi",)))


def test_unsupported_format_names_the_allowed_ones(tmp_path):
    with pytest.raises(ValueError, match="gunakan JSONL atau CSV"):
        read_rows(tmp_path / "a.txt", formats=("jsonl", "csv"))
    with pytest.raises(ValueError, match="gunakan JSONL, CSV atau XLSX"):
        read_rows(tmp_path / "a.pdf")


def test_batch_and_import_share_the_reader(tmp_path, store):
    path = tmp_path / "kiriman.jsonl"
    path.write_text('{"platform": "x", "post_id": "1", "text": "halo", "id": "a"}\n{rusak\n'
                    '{"platform": "x", "post_id": "2", "text": ""}\n', encoding="utf-8")
    assert [(line, row_id, error) for line, row_id, _, error in batch.read_rows(path)] == [
        (1, "a", None), (2, None, "JSON tidak valid: Expecting property name enclosed in double quotes"),
        (3, None, "kolom text tidak ada atau kosong")]
    report = file_import.import_posts(store, path)
    assert report.rows == 3 and report.new == 2 and [line for line, _ in report.skipped] == [2]
    with pytest.raises(ValueError, match="tidak didukung"):
        batch.read_rows(tmp_path / "a.xlsx").__next__()
