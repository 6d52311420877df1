"""`netra collect ...` commands. Thin: parse options, call the library, print in Bahasa Indonesia."""

from __future__ import annotations

import re
import time
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .. import config
from .. import glossary, timefmt
from .common import err, fail, open_store, out, settings  # noqa: F401  (used by the commands)

collect_app = typer.Typer(help="Pengumpulan kiriman dan interaksi dari platform; kesehatan kolektor.",
                          invoke_without_command=True)

_LABELS = glossary.PLATFORMS


def parse_interval(text: str) -> float:
    """``15m``, ``1h``, ``90s`` or plain seconds to seconds; ValueError (Indonesian) otherwise."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhj]?)\s*", text.lower())
    if not match:
        raise ValueError(f"interval {text!r} tidak dikenal; contoh: 30s, 15m, 1h")
    value = float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "j": 3600}[match.group(2)]
    if value < 10:
        raise ValueError("interval minimal 10 detik")
    return value


def _summary_table(summary) -> Table:
    table = Table("Platform", "Akun", "Kiriman baru", "Interaksi", "Flag", "Galat",
                  title=f"Ringkasan pengumpulan (run #{summary.run_id})")
    for platform, c in sorted(summary.per_platform.items()):
        table.add_row(_LABELS.get(platform, platform), str(c.get("accounts", 0)), str(c.get("new_posts", 0)),
                      str(c.get("interactions", 0)), str(c.get("flags", 0)), str(c.get("errors", 0)))
    table.add_row("[bold]Total[/]", str(summary.accounts), str(summary.new_posts), str(summary.interactions),
                  str(summary.flags), str(summary.errors))
    return table


def _hooks(values: dict) -> list:
    """The pipeline's hooks, plus evidence screenshots of newly flagged posts when enabled."""
    from .. import pipeline

    hooks = list(pipeline.POST_CLASSIFY_HOOKS)
    if int(values.get("capture_on_flag", 1)):
        from ..evidence import capture

        limit = int(values.get("capture_limit", 50))
        allowed = config.networks(values.get("capture_allow_networks", ""))

        def capture_screenshots(store, _post_ids) -> None:
            capture.capture_flagged(store, limit=limit, allow_networks=allowed)

        hooks.append(capture_screenshots)
    return hooks


def _run_once(platforms: list[str] | None, account: Optional[str], classify: bool) -> int:
    from .. import pipeline

    values = settings()
    store = open_store()
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=out, transient=True) as bar:
            task = bar.add_task("Mengumpulkan akun", total=None)

            def progress(event: str, data: dict) -> None:
                if event == "start":
                    bar.update(task, total=data["accounts"] + data["campaigns"])
                elif event in ("account", "campaign"):
                    bar.update(task, advance=1, description=f"Mengumpulkan {data['platform']}:{data['handle']}")
                elif event == "classify":
                    bar.update(task, description="Mengklasifikasi kiriman baru")

            try:
                summary = pipeline.run_collection(store, values, platforms=platforms, handle=account,
                                                  classify=classify, progress=progress,
                                                  hooks=_hooks(values))
            except ValueError as exc:
                raise fail(str(exc))
        out.print(_summary_table(summary))
        if summary.edited_posts or summary.deleted_posts:
            out.print(f"Kiriman diedit (versi baru): {summary.edited_posts}; ditandai terhapus: {summary.deleted_posts}.")
        if summary.classified:
            out.print(f"Kiriman diklasifikasi: {summary.classified}.")
        for message in summary.messages[:20]:
            err.print(f"[yellow]•[/] {message}")
        if len(summary.messages) > 20:
            err.print(f"... dan {len(summary.messages) - 20} pesan lain (lihat `netra collect status`).")
        return summary.errors
    finally:
        store.close()


def _run_worker(platforms: list[str] | None, worker_id: Optional[str], lease_seconds: Optional[float],
                every: Optional[str], once: bool, batch: int) -> None:
    """One collector among many: claim due accounts, collect them, until Ctrl+C (or, with
    --once, until the current round is complete)."""
    from .. import workers

    values = settings()
    try:
        round_seconds = parse_interval(every) if every else float(values.get("collect_round_seconds", 900))
    except ValueError as exc:
        raise fail(str(exc))
    lease = float(lease_seconds if lease_seconds is not None else values.get("collect_lease_seconds", 300))
    name = worker_id or workers.default_worker_id()
    store = open_store()

    def tell(event: str, data: dict) -> None:
        if event == "round":
            out.print(f"Pekerja {name}: putaran #{data['round']}.")
        elif event == "claimed":
            out.print(f"Pekerja {name}: {data['accounts']} akun diambil (putaran #{data['round']}).")

    try:
        out.print(f"Pekerja {name} mulai (sewa {lease:.0f} detik, putaran {round_seconds:.0f} detik). "
                  "Tekan Ctrl+C untuk berhenti.")
        summary = workers.run_worker(store, values, worker=name, platforms=platforms, lease_seconds=lease,
                                     round_seconds=round_seconds, batch=batch, once=once, notify=tell)
    except ValueError as exc:
        raise fail(str(exc))
    except KeyboardInterrupt:
        out.print("Dihentikan; akun yang sedang dipegang dikembalikan ke antrean.")
        return
    finally:
        store.close()
    run = summary.run
    out.print(f"Pekerja {name} selesai: {summary.accounts} akun, {run.new_posts} kiriman baru, "
              f"{run.edited_posts} diedit, {run.errors} galat, {summary.lost} akun diambil alih pekerja lain.")
    for message in run.messages[:20]:
        err.print(f"[yellow]•[/] {message}")


@collect_app.callback()
def collect(
    ctx: typer.Context,
    platform: list[str] = typer.Option(None, "--platform", "-p", help="Hanya platform ini (boleh diulang)."),
    account: Optional[str] = typer.Option(None, "--account", "-a", help="Hanya akun (handle) ini."),
    once: bool = typer.Option(False, "--once", help="Jalankan sekali lalu berhenti (bawaan). Dengan --worker: "
                                                     "berhenti setelah putaran ini selesai."),
    every: Optional[str] = typer.Option(None, "--every", help="Ulangi terus dengan jeda ini, mis. 15m atau 1h. "
                                                               "Dengan --worker: panjang satu putaran."),
    no_classify: bool = typer.Option(False, "--no-classify", help="Simpan saja, jangan klasifikasi kiriman baru."),
    worker: bool = typer.Option(False, "--worker",
                                help="Jalan sebagai pekerja: ambil akun yang jatuh tempo dengan sewa di basis data "
                                     "bersama (PostgreSQL), agar banyak mesin mengumpulkan bersama."),
    worker_id: Optional[str] = typer.Option(None, "--worker-id", help="Nama pekerja (bawaan: mesin:pid)."),
    lease_seconds: Optional[float] = typer.Option(None, "--lease-seconds", min=1,
                                                  help="Masa sewa akun dalam detik (bawaan: collect_lease_seconds)."),
    batch: int = typer.Option(10, "--batch", min=1, help="Akun yang diambil pekerja sekaligus."),
) -> None:
    """Kumpulkan kiriman akun terdaftar, simpan, klasifikasi, dan periksa interaksi dengan akun kampanye."""
    if ctx.invoked_subcommand is not None:
        return
    platforms = [p.strip().lower() for p in platform] if platform else None
    if not worker and once and every:
        raise fail("pilih salah satu: --once atau --every")
    if worker:
        if account:
            raise fail("--account tidak dapat dipakai bersama --worker")
        _run_worker(platforms, worker_id, lease_seconds, every, once, batch)
        return
    if worker_id or lease_seconds is not None:
        raise fail("--worker-id dan --lease-seconds hanya berlaku bersama --worker")
    if every is None:
        _run_once(platforms, account, not no_classify)
        return
    try:
        interval = parse_interval(every)
    except ValueError as exc:
        raise fail(str(exc))
    out.print(f"Pengumpulan berkala setiap {every}. Tekan Ctrl+C untuk berhenti.")
    try:
        while True:
            started = time.monotonic()
            _run_once(platforms, account, not no_classify)
            pause = max(0.0, interval - (time.monotonic() - started))
            out.print(f"Putaran berikut dalam {pause:.0f} detik.")
            time.sleep(pause)
    except KeyboardInterrupt:
        out.print("Dihentikan.")


@collect_app.command("status")
def status(
    errors: int = typer.Option(10, "--errors", help="Jumlah galat terakhir yang ditampilkan."),
) -> None:
    """Kesehatan kolektor per akun, peringatan platform, dan galat terakhir."""
    from ..collect.health import account_alerts, account_health, platform_alerts
    from ..store import collection

    store = open_store()
    zone = timefmt.office_zone(settings())
    try:
        table = Table("Platform", "Akun", "Pegawai", "Unit", "Keadaan", "Sukses terakhir", "Galat terakhir",
                      "Item 7 hari", title="Kesehatan kolektor")
        accounts = account_health(store)
        for row in accounts:
            state = row["health_label"] if row["health"] == "ok" else \
                f"[red]{row['health_label']}[/] {row['status_reason'] or ''}".rstrip()
            last_error = ""
            if row["last_error"] and (not row["last_success_at"] or (row["last_error_at"] or "") > row["last_success_at"]):
                last_error = f"{timefmt.format_local(row['last_error_at'], zone=zone)} {row['last_error'][:60]}"
            table.add_row(_LABELS.get(row["platform"], row["platform"]), row["handle"], row["employee"] or "-",
                          row["unit"] or "-", state, timefmt.format_local(row["last_success_at"], zone=zone),
                          last_error or "-", str(row["items_7d"]))
        out.print(table)
        alerts = platform_alerts(store) + account_alerts(accounts)
        if alerts:
            for alert in alerts:
                out.print(f"[bold red]PERINGATAN[/] {alert['message']}")
        else:
            out.print("Tidak ada peringatan.")
        runs = collection.last_runs(store, 1)
        if runs:
            run = runs[0]
            out.print(f"Run terakhir #{run['id']} ({run['status']}) mulai {timefmt.format_local(run['started_at'], zone=zone)}: "
                      f"{run['accounts']} akun, {run['new_posts']} kiriman baru, {run['interactions']} interaksi, "
                      f"{run['flags']} flag, {run['errors']} galat.")
        recent = collection.errors(store, limit=errors)
        if recent:
            etable = Table("Waktu", "Platform", "Jenis", "Pesan", "Isi mentah", title="Galat terakhir")
            for e in recent:
                raw = f"{len(e['raw_body'])} bita, sha256 {e['raw_sha256'][:12]}" if e["raw_body"] is not None else "-"
                etable.add_row(timefmt.format_local(e["created_at"], zone=zone), _LABELS.get(e["platform"], e["platform"]),
                               e["kind"], e["message"][:80], raw)
            out.print(etable)
    finally:
        store.close()


def reclassify(
    batch: int = typer.Option(2000, "--batch", help="Kiriman per kelompok."),
) -> None:
    """Nilai ulang kiriman tersimpan dengan model terkini (setelah model berganti)."""
    from ..evidence import audit
    from ..flagging.classify import classify_pending
    from ..pipeline import current_model
    from ..store.posts import count_posts

    store = open_store()
    try:
        out.print("Memuat model terkini ...")
        model, version = current_model(store)
        total = count_posts(store)
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=out, transient=True) as bar:
            task = bar.add_task(f"Klasifikasi ulang (model {version})", total=total)
            counts = classify_pending(store, model, version, batch=batch,
                                      progress=lambda n: bar.update(task, advance=n))
        audit.record(store, "cli", "reclassify", target=f"model:{version}", **counts)
        out.print(f"Model {version}: {counts['classified']} kiriman dinilai ulang, "
                  f"{counts['flags_opened']} flag baru, {counts['flags_updated']} flag terbuka diperbarui.")
        if not counts["classified"]:
            out.print("Semua kiriman sudah dinilai oleh model ini.")
    finally:
        store.close()


# Public reports (laporan masyarakat) are entered through the collector's front door too.
from . import reports as cli_reports  # noqa: E402

collect_app.command("report")(cli_reports.report)

# Browser captures (Zeeschuimer NDJSON) are imported through the collect group as well.
from . import capture as cli_capture  # noqa: E402

collect_app.command("capture")(cli_capture.capture_file)
