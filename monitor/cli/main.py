"""The ``netra`` command. Thin: parse options, call the library, print in Bahasa Indonesia."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..evidence import audit
from .. import auth, config, demo as demo_mod, glossary, timefmt
from ..people import elections as elections_mod, instansi as instansi_mod, registry as registry_mod
from ..collect import file_import
from ..redact import redact
from ..store import Store, StoreError, connect, engine_info
from ..store import elections as election_rows
from ..store import people, users as user_rows
from . import (
    backup as cli_backup,
    capture as cli_capture,
    cases as cli_cases,
    claims as cli_claims,
    collect as cli_collect,
    datasets as cli_datasets,
    evidence as cli_evidence,
    instansi as cli_instansi,
    media as cli_media,
    migrate as cli_migrate,
    retention as cli_retention,
)
from .common import _state, err, fail, open_store, out, settings
from .help_id import install as _install_indonesian_help

_install_indonesian_help()

app = typer.Typer(help="Netra: pemantau netralitas ASN di media sosial.", no_args_is_help=True,
                  add_completion=False)
registry_app = typer.Typer(help="Registri unit kerja, pegawai dan akun media sosial.", no_args_is_help=True)
users_app = typer.Typer(help="Pengguna dasbor dan perannya.", no_args_is_help=True)
elections_app = typer.Typer(help="Registri pemilu: calon, partai, akun kampanye, tagar.", no_args_is_help=True)
posts_app = typer.Typer(help="Kiriman media sosial.", no_args_is_help=True)
audit_app = typer.Typer(help="Jejak audit.", no_args_is_help=True)
model_app = typer.Typer(help="Model klasifikasi: latih, daftar, pilih versi.", no_args_is_help=True)
app.add_typer(registry_app, name="registry")
app.add_typer(users_app, name="users")
app.add_typer(elections_app, name="elections")
app.add_typer(posts_app, name="posts")
app.add_typer(audit_app, name="audit")
app.add_typer(model_app, name="model")
for _name, _sub in (("collect", cli_collect.collect_app), ("evidence", cli_evidence.evidence_app),
                    ("claims", cli_claims.claims_app), ("cases", cli_cases.cases_app),
                    ("datasets", cli_datasets.datasets_app), ("retention", cli_retention.retention_app),
                    ("backup", cli_backup.backup_app)):
    app.add_typer(_sub, name=_name)
app.command("subject-report")(cli_cases.subject_report_command)
app.command("reclassify")(cli_collect.reclassify)
app.command("migrate-to")(cli_migrate.migrate_to_command)
app.add_typer(cli_media.media_app, name="media")
app.add_typer(cli_capture.capture_app, name="capture")
app.add_typer(cli_instansi.instansi_app, name="instansi")
users_app.command("token")(cli_capture.users_token)

@app.callback()
def main_options(
    db: Optional[str] = typer.Option(None, "--db", help="Berkas basis data SQLite atau URL postgresql:// (bawaan: NETRA_DB atau ./netra.db)."),
) -> None:
    _state["db"] = db
    from ..evidence.keys import follow_data_dir

    follow_data_dir(settings()["db"])  # models live beside the database, wherever the shell is


@app.command()
def init() -> None:
    """Buat atau perbarui basis data (skema terbaru)."""
    path = settings()["db"]
    with open_store(create=True) as store:
        out.print(f"Basis data siap: [bold]{redact(path)}[/] (versi skema {store.schema_version()}).")
        from ..evidence import keys  # the evidence-signing key is made once, here (issue 6)
        out.print(f"Kunci instans: sidik jari {keys.ensure_instance_key(keys.data_dir(path, settings()['data_dir'])).fingerprint}")
        if not user_rows.list_users(store):
            out.print("Langkah berikut: [bold]netra users add admin --role admin[/]")


@app.command("config")
def show_config() -> None:
    """Tampilkan pengaturan yang berlaku (rahasia disamarkan)."""
    table = Table("Pengaturan", "Nilai", "Keterangan")
    values = config.redacted(settings())
    for setting in config.SETTINGS:
        table.add_row(setting.name, str(values[setting.name]), setting.help)
    engine = engine_info(settings()["db"])
    if engine.engine == "postgresql":
        shown = f"PostgreSQL {engine.server_version}" if engine.server_version else "PostgreSQL (server tidak terhubung)"
        note = engine.error or "Basis data bersama untuk banyak kantor dan pengumpul."
    else:
        shown, note = f"SQLite {engine.server_version}", "Berkas tunggal di server ini (bawaan)."
    table.add_row("mesin basis data", escape(shown), escape(note))
    out.print(table)


# --- registry ------------------------------------------------------------------------------

def _print_report(report: registry_mod.ImportReport) -> None:
    if report.ignored_columns:
        out.print(f"Kolom diabaikan: {', '.join(report.ignored_columns)}")
    if report.errors:
        table = Table("Baris", "Masalah", title=f"{len(report.errors)} baris bermasalah")
        for error in report.errors:
            table.add_row(str(error.line), error.reason)
        err.print(table)


@registry_app.command("import")
def registry_import(
    file: Path = typer.Argument(..., help="Berkas CSV atau XLSX data pegawai."),
    skip_invalid: bool = typer.Option(False, "--skip-invalid", help="Impor baris yang valid, laporkan sisanya."),
    create_units: bool = typer.Option(False, "--create-units", help="Buat unit kerja baru yang belum terdaftar."),
    no_deactivate: bool = typer.Option(False, "--no-deactivate",
                                       help="Berkas sebagian: jangan nonaktifkan pegawai yang tidak tercantum."),
    instansi_code: Optional[str] = typer.Option(None, "--instansi", help="Kode instansi pemilik berkas (wajib bila "
                                                                         "basis data memuat beberapa instansi)."),
) -> None:
    """Impor pegawai dan akun media sosial (semua-atau-tidak-sama-sekali)."""
    with open_store(create=True) as store:
        try:
            report = registry_mod.import_employees(
                store, file, skip_invalid=skip_invalid, create_units=create_units,
                deactivate_missing=not no_deactivate, instansi_id=_import_instansi(store, instansi_code))
        except (registry_mod.RegistryFileError, ValueError) as exc:
            raise fail(str(exc))
    _print_report(report)
    if not report.applied:
        raise fail(f"tidak ada yang diimpor: {len(report.errors)} dari {report.rows} baris bermasalah "
                   "(perbaiki berkas, atau gunakan --skip-invalid).")
    c = report.counts
    out.print(f"Diimpor {report.valid} dari {report.rows} baris: {c['added']} pegawai baru, {c['updated']} diperbarui, "
              f"{c['deactivated']} dinonaktifkan; {c['accounts_added']} akun baru, "
              f"{c['accounts_deactivated']} akun dinonaktifkan.")
    if report.deactivation_skipped:
        out.print("[yellow]Tidak ada pegawai yang dinonaktifkan karena ada baris tanpa NIP/NIK yang terbaca.[/]")
    if report.errors:
        out.print(f"[yellow]{len(report.errors)} baris dilewati (lihat tabel di atas).[/]")


def _import_instansi(store: Store, code: Optional[str]) -> int | None:
    """The instansi a registry file belongs to: required once the database holds several."""
    if code:
        return instansi_mod.instansi_id_by_code(store, code)
    if instansi_mod.is_multi(store):
        raise fail("basis data memuat beberapa instansi: sebutkan instansi pemilik berkas dengan --instansi KODE.")
    return None


@registry_app.command("units")
def registry_units(
    file: Path = typer.Argument(..., help="CSV/XLSX dengan kolom kode, nama, induk."),
    instansi_code: Optional[str] = typer.Option(None, "--instansi", help="Kode instansi pemilik unit (wajib bila "
                                                                         "basis data memuat beberapa instansi)."),
) -> None:
    """Impor hierarki unit kerja (OPD dan sub-unit)."""
    with open_store(create=True) as store:
        try:
            report = registry_mod.import_units(store, file, instansi_id=_import_instansi(store, instansi_code))
        except (registry_mod.RegistryFileError, ValueError) as exc:
            raise fail(str(exc))
    _print_report(report)
    if not report.applied:
        raise fail("unit kerja tidak diimpor.")
    out.print(f"Unit kerja: {report.counts['added']} baru, {report.counts['updated']} diperbarui.")


@registry_app.command("list")
def registry_list(
    unit: Optional[str] = typer.Option(None, "--unit", help="Kode atau nama unit (termasuk sub-unit)."),
    all_: bool = typer.Option(False, "--all", help="Sertakan pegawai nonaktif."),
    as_: Optional[str] = typer.Option(None, "--as", help="Pengguna aktif yang membaca (wajib: data pribadi; "
                                                         "atasan hanya melihat unitnya)."),
) -> None:
    """Daftar pegawai beserta akunnya."""
    from .cases import acting_user

    with open_store() as store:
        actor = acting_user(store, as_)  # personal data: named, active reader (issue 15, item 10)
        scope = None
        if unit:
            try:
                scope = people.descendant_unit_ids(
                    store, [people.unit_id_by_code(store, unit, instansi_mod.own_instansi_id(store, actor))])
            except ValueError as exc:
                raise fail(str(exc))
        # A superior reads their own units only, as on the dashboard; with several instansi,
        # everyone reads their own instansi only (issue 20).
        own = instansi_mod.unit_scope(store, actor)
        if own is not None:
            scope = own if scope is None else set(scope) & set(own)
        rows = people.list_employees(store, active_only=not all_, unit_ids=scope)
    table = Table("NIP/NIK", "Nama", "Unit", "Status", "Akun", title=f"{len(rows)} pegawai")
    for r in rows:
        table.add_row(r["nip"] or r["nik"], r["name"], r["unit"] or "-",
                      r["employment_type"] + ("" if r["active"] else " (nonaktif)"), r["accounts"] or "-")
    out.print(table)


# --- users ---------------------------------------------------------------------------------

def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return typer.prompt("Kata sandi", hide_input=True, confirmation_prompt="Ulangi kata sandi")


@users_app.command("add")
def users_add(
    username: str = typer.Argument(..., help="Nama pengguna."),
    role: str = typer.Option(..., "--role", help="admin, analyst, supervisor atau auditor."),
    unit: list[str] = typer.Option([], "--unit", help="Unit yang diawasi (supervisor); boleh berulang."),
    name: Optional[str] = typer.Option(None, "--name", help="Nama lengkap."),
    instansi_code: Optional[str] = typer.Option(None, "--instansi", help="Kode instansi pengguna (bawaan: instansi "
                                                                         "utama); unitnya harus milik instansi ini."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Baca kata sandi dari stdin."),
) -> None:
    """Tambah pengguna dasbor."""
    with open_store(create=True) as store:
        try:
            instansi_id = instansi_mod.instansi_id_by_code(store, instansi_code) if instansi_code else None
            unit_ids = [people.unit_id_by_code(store, u, instansi_id) for u in unit]
            auth.create_user(store, username, _read_password(password_stdin), role,
                             full_name=name, unit_ids=unit_ids, actor="cli", instansi_id=instansi_id)
        except ValueError as exc:
            raise fail(str(exc))
    out.print(f"Pengguna [bold]{username}[/] ({glossary.label('role', role)}) ditambahkan.")


@users_app.command("list")
def users_list(
    instansi_code: Optional[str] = typer.Option(None, "--instansi", help="Hanya pengguna instansi ini."),
) -> None:
    """Daftar pengguna dan perannya."""
    with open_store() as store:
        try:
            only = {instansi_mod.instansi_id_by_code(store, instansi_code)} if instansi_code else None
        except instansi_mod.InstansiError as exc:
            raise fail(str(exc))
        rows = user_rows.list_users(store, only)
    table = Table("Pengguna", "Nama", "Peran", "Instansi", "Unit", "Aktif", "Login terakhir")
    for r in rows:
        table.add_row(r["username"], r["full_name"] or "-", glossary.label("role", r["role"]), r["instansi"] or "-",
                      r["units"] or "semua",
                      "ya" if r["active"] else "tidak", timefmt.format_local(r["last_login_at"], settings()))
    out.print(table)


@users_app.command("passwd")
def users_passwd(
    username: str = typer.Argument(..., help="Nama pengguna."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Baca kata sandi dari stdin."),
) -> None:
    """Ganti kata sandi (juga membuka kunci akun)."""
    with open_store() as store:
        try:
            auth.change_password(store, username, _read_password(password_stdin), actor="cli")
        except ValueError as exc:
            raise fail(str(exc))
    out.print(f"Kata sandi {username} diganti.")


# --- elections -----------------------------------------------------------------------------

@elections_app.command("import")
def elections_import(file: Path = typer.Argument(..., help="Berkas TOML atau CSV registri pemilu.")) -> None:
    """Impor pemilu, calon, partai, akun kampanye, tagar dan slogan."""
    with open_store(create=True) as store:
        try:
            counts = elections_mod.import_file(store, file, actor="cli")
        except elections_mod.ElectionFileError as exc:
            for problem in exc.problems:
                err.print(f"- {problem}")
            raise fail(f"registri pemilu tidak diimpor ({len(exc.problems)} masalah).")
    out.print("Diimpor: " + ", ".join(f"{v} {glossary.label('election_column', k).lower()}" for k, v in counts.items()))


@elections_app.command("list")
def elections_list() -> None:
    """Daftar pemilu dan calonnya."""
    with open_store() as store:
        summary = election_rows.registry_summary(store)
        candidates = election_rows.list_candidates(store)
        parties = election_rows.count_parties(store)
    table = Table("Kunci", "Jenis", "Nama", "Hari pemungutan", "Calon", "Akun kampanye", "Tagar/slogan")
    for e in summary:
        table.add_row(e["key"], e["type"], e["name"], timefmt.format_local(e["voting_day"]), str(e["candidates"]),
                      str(e["campaign_accounts"]), str(e["terms"]))
    out.print(table)
    table = Table("Pemilu", "No.", "Calon", "Pasangan", "Julukan", "Status")
    for c in candidates:
        table.add_row(c["election"], str(c["ballot_number"] or "-"), c["name"], c["running_mate"] or "-",
                      c["pair_name"] or "-", c["status"])
    out.print(table)
    out.print(f"{parties} partai terdaftar.")


@elections_app.command("remove")
def elections_remove(
    section: str = typer.Argument(..., help="Bagian: elections, candidates, parties, campaign_accounts, hashtags, slogans."),
    keys: list[str] = typer.Argument(..., help="Kunci baris: kunci pemilu, pemilu:nama calon, singkatan partai, "
                                               "platform:handle akun kampanye, teks tagar/slogan."),
) -> None:
    """Hapus baris registri pemilu (akun kampanye dinonaktifkan, tidak dihapus); semua atau tidak sama sekali."""
    with open_store() as store:
        try:
            parsed = [elections_mod.parse_key(section, key) for key in keys]
            result = elections_mod.remove_registry_rows(store, "cli", section, parsed)
        except elections_mod.ElectionFileError as exc:
            for problem in exc.problems:
                err.print(f"- {problem}")
            raise fail(f"tidak ada yang dihapus ({len(exc.problems)} masalah).")
    if result.removed:
        out.print(f"Dihapus: {', '.join(result.removed)}")
    if result.deactivated:
        out.print(f"Dinonaktifkan (tetap disimpan sebagai konteks bukti): {', '.join(result.deactivated)}")


# --- posts ---------------------------------------------------------------------------------

@posts_app.command("import")
def posts_import(
    file: Path = typer.Argument(..., help="Berkas JSONL, CSV atau XLSX ekspor kiriman."),
    platform: Optional[str] = typer.Option(None, "--platform", help="Platform bila berkas tidak memuatnya."),
    column: list[str] = typer.Option([], "--column", help="Pemetaan kolom, mis. text=isi (boleh berulang)."),
) -> None:
    """Impor kiriman dari berkas; baris rusak dilaporkan, sisanya tetap masuk."""
    mapping = {}
    for item in column:
        field, sep, source = item.partition("=")
        if not sep or field not in file_import.DEFAULT_MAPPING:
            raise fail(f"pemetaan {item!r} tidak valid; gunakan bidang=kolom, bidang salah satu dari "
                       + ", ".join(file_import.DEFAULT_MAPPING))
        mapping[field] = source
    with open_store(create=True) as store, Progress(
        TextColumn("Mengimpor kiriman"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, transient=True,
    ) as progress:
        task = progress.add_task("impor", total=None)
        try:
            report = file_import.import_posts(store, file, mapping=mapping, platform=platform,
                                              progress=lambda n: progress.advance(task, n))
        except ValueError as exc:
            raise fail(str(exc))
    for line, reason in report.skipped:
        err.print(f"baris {line}: {reason}")
    out.print(f"{report.rows} baris: {report.new} kiriman baru, {report.edited} berubah (versi baru), "
              f"{report.unchanged} tidak berubah, {len(report.skipped)} dilewati, "
              f"{report.unlinked} tanpa akun terdaftar.")
    if report.rows and len(report.skipped) == report.rows:
        raise fail("tidak ada baris yang dapat diimpor.")


# --- audit ---------------------------------------------------------------------------------

audit_app.command("verify")(cli_evidence.audit_verify_command)  # with --anchor BUNDLE.zip


# --- classifier ----------------------------------------------------------------------------

@app.command()
def classify(
    input: Path = typer.Argument(..., help="Berkas JSONL atau CSV dengan kolom text dan/atau image "
                                 "(path gambar relatif terhadap berkas; dibaca dengan OCR) dan id opsional."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Berkas JSONL hasil (bawaan: layar)."),
) -> None:
    """Klasifikasi teks dalam berkas: skor, tanda, kode pelanggaran usulan dan penjelasannya."""
    from classifiers.batch import classify_file
    from classifiers.pipeline import load_default

    model = load_default()
    target = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        with Progress(TextColumn("Mengklasifikasi"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err, transient=True) as progress:
            task = progress.add_task("klasifikasi", total=None)
            report = classify_file(model, input, target, progress=lambda n: progress.advance(task, n),
                                   explain=_reviewer_reasons)
    except ValueError as exc:
        raise fail(str(exc))
    finally:
        if output:
            target.close()
    for line, reason in report.skipped:
        err.print(f"baris {line}: {reason}")
    for line, reason in report.image_errors:
        err.print(f"baris {line}: gambar tidak terbaca ({reason}); hanya teks yang diklasifikasi")
    flagged = ", ".join(f"{glossary.label('flag', k)} {v}" for k, v in sorted(report.flagged.items())) or "tidak ada"
    err.print(f"{report.classified} teks diklasifikasi, {len(report.skipped)} baris dilewati; ditandai: {flagged}.")
    if report.rows and not report.classified:
        raise fail("tidak ada baris yang dapat diklasifikasi.")


def _reviewer_reasons(text: str, prediction) -> dict[str, list[str]]:
    """Per flagged label, the lines a reviewer reads (issue 14): the ``penjelasan`` field."""
    from ..flagging.review import reviewer_explanation

    return {label: [r["text"] for r in reviewer_explanation(
                text, prediction.explanation.get(label), category=label, proposed_code=prediction.codes.get(label))]
            for label in prediction.flags}


@model_app.command("train")
def model_train(
    from_reviews: bool = typer.Option(False, "--from-reviews",
                                      help="Sertakan keputusan peninjau (pelanggaran/bukan) dari basis data."),
    data: list[Path] = typer.Option([], "--data", help="Berkas dataset publik/CSV/JSONL; format dikenali otomatis "
                                                        "(boleh berulang)."),
    no_seed: bool = typer.Option(False, "--no-seed", help="Jangan sertakan korpus benih bawaan."),
) -> None:
    """Latih model baru (korpus benih, keputusan peninjau, dataset publik) dan jadikan versi aktif."""
    from ..flagging.training import retrain_from_store

    if no_seed and not from_reviews and not data:
        raise fail("tidak ada sumber data: gunakan --from-reviews atau --data, atau jangan pakai --no-seed.")
    with open_store(create=True) as store:
        try:
            card = retrain_from_store(store, actor="cli", include_reviews=from_reviews, include_seed=not no_seed,
                                      data_paths=data, progress=lambda m: err.print(m))
        except ValueError as exc:
            raise fail(str(exc))
    for source in card["training_data"]:
        err.print(f"sumber {source['source']}: {source.get('rows', '?')} contoh, sha256 {source.get('sha256', '-')[:12]}")
    _print_cards([card], card["version"])


@model_app.command("evaluate")
def model_evaluate(
    data: list[Path] = typer.Option([], "--data", help="Berkas berlabel untuk diuji (format dikenali otomatis; "
                                                        "boleh berulang). Bawaan: korpus benih, validasi silang."),
    output: Path = typer.Option(Path("laporan-evaluasi"), "--output", "-o", help="Folder laporan (Markdown, JSON, PNG)."),
    folds: int = typer.Option(5, "--folds", min=2, max=10, help="Jumlah lipatan validasi silang korpus benih."),
) -> None:
    """Evaluasi model: presisi, recall, F1, matriks kebingungan dan kurva PR per label, ditulis sebagai laporan."""
    from classifiers import evaluate, persist
    from classifiers.datasets import load_seed_corpus
    from classifiers.pipeline import SEED_CORPUS, default_prepare, load_default, load_training_file, models_dir

    try:
        if data:
            examples, names = [], []
            for path in data:
                loaded, source = load_training_file(path)
                examples += loaded
                names.append(f"{path.name} ({source['source']}, {source['rows']} contoh)")
            if not examples:
                raise fail("berkas data tidak memuat contoh berlabel.")
            model = load_default()
            version = persist.current_version(models_dir()) or "tidak diketahui"
            scored = evaluate.score(model, examples)
            description = ", ".join(names)
        else:
            examples = load_seed_corpus(SEED_CORPUS)
            prepare = default_prepare()
            from classifiers.model import NeutralityModel

            scored = evaluate.cross_validated(
                examples, folds=folds, make_model=lambda: NeutralityModel(prepare=prepare),
                progress=lambda i, n: err.print(f"lipatan {i}/{n} selesai"))
            version = "validasi silang korpus benih"
            description = f"korpus benih, validasi silang {folds} lipatan"
        report = evaluate.write_report(scored, output, model_version=version, data_description=description)
    except ValueError as exc:
        raise fail(str(exc))
    table = Table("Label", "Contoh", "Positif", "Presisi", "Recall", "F1", "AP", title=f"Evaluasi: {description}")
    for label, m in report["labels"].items():
        ap = "-" if m["average_precision"] is None else f"{m['average_precision']:.3f}"
        table.add_row(glossary.label("flag", label), str(m["examples"]), str(m["positives"]), f"{m['precision']:.3f}", f"{m['recall']:.3f}",
                      f"{m['f1']:.3f}", ap)
    out.print(table)
    out.print(f"Laporan ditulis ke [bold]{output}[/] (report.md, report.json, kurva PR).")


def _print_cards(cards: list[dict], current: Optional[str]) -> None:
    table = Table("Versi", "Dibuat", "Label", "Ambang", "Presisi", "Recall", "Data latih")
    for card in cards:
        marker = " (aktif)" if card["version"] == current else ""
        for i, (label, m) in enumerate(card["labels"].items()):
            table.add_row(card["version"] + marker if i == 0 else "", timefmt.format_local(card["created_at"]) if i == 0 else "",
                          glossary.label("flag", label),
                          f"{m['threshold']:.3f}", f"{m['precision']:.3f}", f"{m['recall']:.3f}",
                          ", ".join(f"{d['source']} ({d.get('rows', '?')})" for d in card["training_data"]) if i == 0 else "")
    out.print(table)


@model_app.command("list")
def model_list() -> None:
    """Daftar versi model beserta ambang dan presisi/recall-nya."""
    from classifiers import persist
    from classifiers.pipeline import models_dir

    cards = persist.list_versions(models_dir())
    if not cards:
        out.print("Belum ada model; `netra model train` atau `netra classify` akan melatihnya.")
        return
    _print_cards(cards, persist.current_version(models_dir()))


@model_app.command("use")
def model_use(version: str = typer.Argument(..., help="Versi model yang akan diaktifkan.")) -> None:
    """Aktifkan versi model tertentu."""
    from classifiers import persist
    from classifiers.pipeline import models_dir

    try:
        persist.use(models_dir(), version)
    except persist.ModelFileError as exc:
        raise fail(str(exc))
    with open_store(create=True) as store:
        audit.record(store, "cli", "model.use", f"model:{version}")
    out.print(f"Model aktif: {version}")


# --- demo and dashboard --------------------------------------------------------------------

def _run_dashboard(db_path: str, port: int) -> None:
    """Replace this process with Streamlit, so Ctrl+C and service managers reach it directly."""
    from .demo_check import dashboard_command

    env = {**os.environ, "NETRA_DB": str(Path(db_path).resolve())}
    command = dashboard_command(port)
    out.print(f"Dasbor berjalan di [bold]http://localhost:{port}[/] (Ctrl+C untuk berhenti).")
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, command, env)


@app.command()
def demo(
    no_dashboard: bool = typer.Option(False, "--no-dashboard", help="Hanya bangun basis data demo."),
    port: int = typer.Option(8501, "--port", help="Port dasbor."),
    check: bool = typer.Option(False, "--check",
                               help="Periksa saja: jalankan dasbor, muat halaman masuk, lalu hentikan."),
) -> None:
    """Bangun basis data demo (kota fiktif) lalu jalankan dasbor."""
    path = _state["db"] or "demo.db"
    try:
        store = demo_mod.build(path, say=lambda m: out.print(m))
    except (demo_mod.DemoError, ValueError) as exc:
        raise fail(f"data demo: {exc}")
    with store:
        employees = len(people.list_employees(store))
        from ..store.posts import count_posts
        posts = count_posts(store)
    out.print(f"Basis data demo [bold]{path}[/]: {employees} pegawai, {posts} kiriman.")
    table = Table("Pengguna", "Kata sandi", "Peran", title="Akun demo")
    for user in demo_mod.DEMO_USERS:
        table.add_row(user.username, user.password,
                      glossary.label("role", user.role) + (f" ({', '.join(user.unit_codes)})" if user.unit_codes else ""))
    out.print(table)
    if check:
        from .demo_check import DemoCheckError, check as check_dashboard

        try:
            how = check_dashboard(path, port)
        except DemoCheckError as exc:
            raise fail(f"pemeriksaan demo: {exc}")
        shown = "dimuat di Chromium" if how == "chromium" else "dijawab server (Chromium tidak ada)"
        out.print(f"Pemeriksaan demo berhasil: dasbor sehat di port {port}, halaman masuk {shown}; dasbor dihentikan.")
    elif not no_dashboard:
        _run_dashboard(path, port)


@app.command()
def dashboard(port: int = typer.Option(8501, "--port", help="Port dasbor.")) -> None:
    """Jalankan dasbor Streamlit pada basis data ini."""
    path = settings()["db"]
    if not Path(path).exists():
        raise fail(f"basis data {path} belum ada; jalankan `netra init` atau `netra demo`.")
    _run_dashboard(path, port)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
