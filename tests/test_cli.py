"""The `netra` command through its installed entry point, as a user runs it."""

from __future__ import annotations

import os
import subprocess

import pytest

from conftest import BIN, ROOT, write_csv

NETRA = str(BIN / "netra")
HEADER = "NIP,Nama,Unit Kerja,Status Kepegawaian,X"


def netra(*args: str, db=None, stdin: str | None = None, cwd=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("NETRA_DB", None)
    command = [NETRA] + (["--db", str(db)] if db else []) + list(args)
    return subprocess.run(command, input=stdin, capture_output=True, text=True, env=env, cwd=cwd, timeout=120)


def _command_paths() -> tuple[list[list[str]], set[tuple[str, ...]]]:
    """Every command and group of the real Typer app, so a new command cannot skip these tests."""
    import typer

    from monitor.cli.main import app

    paths, groups = [], set()

    def walk(command, path: list[str]) -> None:
        paths.append(path)
        if getattr(command, "commands", None):  # a group (typer vendors its own click)
            groups.add(tuple(path))
            for name, sub in sorted(command.commands.items()):
                walk(sub, path + [name])

    walk(typer.main.get_command(app), [])
    return paths, groups


COMMANDS, GROUPS = _command_paths()


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "netra")
def test_every_command_has_indonesian_help(command):
    result = netra(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert "Penggunaan" in result.stdout
    # Click's and Typer's own words are Indonesian too (issue 14).
    for english in ("Usage", "Show this message and exit", "Options", "OPTIONS", "Commands", "COMMAND"):
        assert english not in result.stdout, english
    # The command's own description is Indonesian (a word every help text here uses).
    assert any(word in result.stdout.lower() for word in
               ("netra", "basis data", "impor", "daftar", "pengguna", "jejak", "dasbor", "pemilu", "kiriman", "tampilkan", "registri",
                "klasifikasi", "model", "latih", "aktifkan")), result.stdout


def test_readme_names_every_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        # Pure groups are named through their commands; `netra collect` itself also runs.
        if command and (tuple(command) not in GROUPS or command == ["collect"]):
            assert "netra " + " ".join(command) in readme, command


def test_init_registry_users_and_audit_round_trip(tmp_path):
    db = tmp_path / "netra.db"
    assert netra("init", db=db).returncode == 0
    good = write_csv(tmp_path / "pegawai.csv", HEADER,
                     "198503122010012003,Ani Rahayu,Dinas Pendidikan,PNS,@ani_guru",
                     "199001012015031001,Budi Santoso,Dinas Kesehatan,PPPK,")
    result = netra("registry", "import", str(good), db=db)
    assert result.returncode == 0, result.stderr
    assert "2 pegawai baru" in result.stdout
    result = netra("users", "add", "analis", "--role", "analyst", "--password-stdin", db=db,
                   stdin="sandi-rahasia-1\n")
    assert result.returncode == 0, result.stderr
    # Personal data: the reader is named with --as (issue 15, item 10).
    assert netra("registry", "list", db=db).returncode == 1
    listing = netra("registry", "list", "--unit", "Dinas Pendidikan", "--as", "analis", db=db)
    assert "Ani Rahayu" in listing.stdout and "Budi" not in listing.stdout
    assert "analis" in netra("users", "list", db=db).stdout
    assert netra("users", "passwd", "analis", "--password-stdin", db=db, stdin="sandi-rahasia-2\n").returncode == 0
    verify = netra("audit", "verify", db=db)
    assert verify.returncode == 0 and "utuh" in verify.stdout


def test_failures_exit_non_zero_with_a_reason(tmp_path):
    db = tmp_path / "netra.db"
    bad = write_csv(tmp_path / "pegawai.csv", HEADER, "123,Salah,Setda,PNS,", "198503122010012003,,Setda,PNS,")
    result = netra("registry", "import", str(bad), db=db)
    assert result.returncode == 1
    assert "tidak ada yang diimpor" in result.stderr and "18 digit" in result.stderr
    assert "nama kosong" in result.stderr
    skipped = netra("registry", "import", str(bad), "--skip-invalid", db=db)
    assert skipped.returncode == 1  # every row is bad: nothing to import
    assert netra("registry", "list", db=tmp_path / "absent.db").returncode == 1
    assert netra("users", "add", "x", "--role", "raja", "--password-stdin", db=db, stdin="sandi-rahasia\n").returncode == 1
    assert netra("users", "add", "x", "--role", "admin", "--password-stdin", db=db, stdin="pendek\n").returncode == 1
    assert netra("elections", "import", str(tmp_path / "nope.toml"), db=db).returncode == 1


def test_db_path_from_environment_and_config_file(tmp_path):
    (tmp_path / "netra.toml").write_text('[netra]\ndb = "dari-berkas.db"\n', encoding="utf-8")
    assert netra("init", cwd=tmp_path).returncode == 0
    assert (tmp_path / "dari-berkas.db").exists()
    env_result = subprocess.run([NETRA, "init"], cwd=tmp_path, capture_output=True, text=True,
                                env={**os.environ, "NETRA_DB": str(tmp_path / "dari-env.db")})
    assert env_result.returncode == 0 and (tmp_path / "dari-env.db").exists()
    shown = netra("config", cwd=tmp_path)
    assert "dari-berkas.db" in shown.stdout


def test_posts_import_reports_bad_lines_and_keeps_the_rest(tmp_path):
    db = tmp_path / "netra.db"
    path = tmp_path / "kiriman.jsonl"
    path.write_text(
        '{"platform": "x", "account": "@ani", "post_id": "1", "text": "halo", "created_at": "2024-10-01T08:00:00+07:00"}\n'
        '{"platform": "x", "post_id": "2", "text": "rusak"\n'
        '{"platform": "friendster", "post_id": "3", "text": "?"}\n'
        '{"platform": "x", "account": "@ani", "post_id": "4", "text": "dunia"}\n',
        encoding="utf-8",
    )
    result = netra("posts", "import", str(path), db=db)
    assert result.returncode == 0, result.stderr
    assert "2 kiriman baru" in result.stdout and "2 dilewati" in result.stdout
    assert "baris 2" in result.stderr and "baris 3" in result.stderr
    again = netra("posts", "import", str(path), db=db)
    assert "0 kiriman baru" in again.stdout and "2 tidak berubah" in again.stdout


def test_classify_writes_jsonl_and_reports_bad_rows(tmp_path):
    import json

    source = tmp_path / "teks.jsonl"
    source.write_text(
        '{"id": "a", "text": "Salam dua jari, besok coblos nomor 2 ya!"}\n'
        '{"id": "b", "text": "Ayo ke TPS tanggal 27, gunakan hak pilih"}\n'
        '{"id": "c", "text": \n'
        '{"id": "d"}\n'
        '{"id": "e", "text": "Rapat koordinasi posyandu di kelurahan pagi ini"}\n',
        encoding="utf-8",
    )
    output = tmp_path / "hasil.jsonl"
    result = netra("classify", str(source), "--output", str(output), db=tmp_path / "netra.db")
    assert result.returncode == 0, result.stderr
    assert "baris 3" in result.stderr and "baris 4" in result.stderr and "2 baris dilewati" in result.stderr
    rows = {r["id"]: r for r in map(json.loads, output.read_text(encoding="utf-8").splitlines())}
    assert set(rows) == {"a", "b", "e"}
    assert "partisan" in rows["a"]["flags"] and rows["a"]["codes"]["partisan"] in ("N1", "N7")
    assert rows["a"]["explanation"]["partisan"]["rules"]
    # What a reviewer reads (issue 14): Bahasa lines, the rule by name, the code with its sanction.
    lines = rows["a"]["penjelasan"]["partisan"]
    assert any(line.startswith("Aturan: ") for line in lines) and any("Rentang sanksi" in line for line in lines)
    assert all("_" not in line for line in lines)
    assert rows["e"]["flags"] == [] and rows["e"]["penjelasan"] == {}
    assert set(rows["b"]["scores"]) == {"partisan", "hate", "abusive", "hoax"}

    csv_source = tmp_path / "teks.csv"
    csv_source.write_text("id,text\n1,goblok lu bangsat\n2,\n", encoding="utf-8")
    result = netra("classify", str(csv_source), db=tmp_path / "netra.db")
    assert result.returncode == 0 and '"id": "1"' in result.stdout and "baris 3" in result.stderr
    assert netra("classify", str(tmp_path / "nope.csv")).returncode == 1
    bad = tmp_path / "bad.csv"
    bad.write_text("isi\nhalo\n", encoding="utf-8")
    assert "kolom text" in netra("classify", str(bad)).stderr


def test_model_list_and_use(tmp_path):
    listing = netra("model", "list", db=tmp_path / "netra.db")
    assert listing.returncode == 0
    assert netra("model", "use", "tidak-ada", db=tmp_path / "netra.db").returncode == 1


def test_config_descriptions_are_indonesian(tmp_path):
    result = netra("config", db=tmp_path / "x.db", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Zona waktu kantor" in result.stdout and "Berkas basis data SQLite" in result.stdout
    for english in ("Path of", "Parallel requests", "base URL", "Seconds before"):
        assert english not in result.stdout, english


def test_a_missing_database_is_reported_in_bahasa(tmp_path):
    result = netra("cases", "list", db=tmp_path / "tidak-ada.db")
    assert result.returncode != 0
    assert "belum ada" in result.stderr and "netra init" in result.stderr and "does not exist" not in result.stderr
