"""`netra evidence ...` commands. Thin: parse options, call the library, print in Bahasa Indonesia."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape

from .. import config
from .common import data_dir, err, fail, open_store, out, reference_public_key, settings

EXPORT_ROLES = ("auditor", "analyst", "admin")

evidence_app = typer.Typer(help="Berkas bukti bertanda tangan dan verifikasinya.", no_args_is_help=True)


@evidence_app.command("export")
def evidence_export(
    output: Path = typer.Option(..., "--output", "-o", help="Berkas ZIP bundel bukti yang akan dibuat."),
    flag: list[int] = typer.Option([], "--flag", help="ID tanda (boleh berulang)."),
    employee: Optional[str] = typer.Option(None, "--employee", help="NIP (atau NIK) pegawai."),
    unit: Optional[str] = typer.Option(None, "--unit", help="Kode atau nama unit kerja (termasuk sub-unit)."),
    date_from: Optional[str] = typer.Option(None, "--from", help="Tanggal awal kiriman (TTTT-BB-HH)."),
    date_to: Optional[str] = typer.Option(None, "--to", help="Tanggal akhir kiriman, inklusif (TTTT-BB-HH)."),
    status: list[str] = typer.Option([], "--status", help="Hanya tanda berstatus ini: open, confirmed, dismissed, "
                                                          "escalated (boleh berulang)."),
    no_pdf: bool = typer.Option(False, "--no-pdf", help="Tanpa laporan PDF (ekspor besar lebih cepat)."),
    as_: Optional[str] = typer.Option(None, "--as", help="Nama pengguna yang mengekspor (wajib; analis, auditor "
                                                         "atau admin)."),
) -> None:
    """Ekspor bundel bukti bertanda tangan (ZIP: manifest, payload mentah, CSV, laporan PDF, media)."""
    from ..evidence import bundle as evidence, keys
    from ..people import instansi
    from .cases import acting_user

    with open_store() as store:
        actor = acting_user(store, as_)
        if actor.role not in EXPORT_ROLES:  # the roles of the Ekspor bukti page
            raise fail(f"Peran {actor.role} tidak boleh mengekspor bundel bukti.")
        try:
            summary = evidence.export_bundle(
                store, actor=actor.username, output=output, flag_ids=flag or None, employee_nip=employee, unit_code=unit,
                date_from=date_from, date_to=date_to, statuses=status or None, key_dir=data_dir(),
                unit_ids=instansi.unit_scope(store, actor), instansi_id=instansi.own_instansi_id(store, actor),
                pdf=not no_pdf)
        except (ValueError, keys.InstanceKeyError) as exc:
            raise fail(str(exc))
    if summary["missing_flags"]:
        err.print("[yellow]Tanda tidak ditemukan atau tidak cocok dengan pilihan: "
                  + ", ".join(f"#{i}" for i in summary["missing_flags"]) + "[/]")
    out.print(f"Bundel bukti [bold]{summary['path']}[/]: {summary['flags']} tanda, {summary['posts']} kiriman, "
              f"{summary['files']} berkas.")
    out.print(f"SHA-256 bundel: {summary['sha256']}")
    out.print(f"Sidik jari kunci penanda tangan: {summary['fingerprint']}")


@evidence_app.command("verify")
def evidence_verify(
    bundle: Path = typer.Argument(..., help="Berkas ZIP bundel bukti."),
    public_key: Optional[Path] = typer.Option(None, "--public-key", help="Kunci publik (PEM) instans yang diharapkan."),
) -> None:
    """Periksa hash setiap berkas dan tanda tangan bundel bukti Netra; sebutkan apa yang diubah."""
    from ..evidence import bundle as evidence, keys

    if not bundle.is_file():
        raise fail(f"berkas {bundle} tidak ada.")
    try:
        expected, source = reference_public_key(public_key)
        report = evidence.verify_bundle(bundle, public_key=expected)
    except (OSError, keys.InstanceKeyError) as exc:
        raise fail(str(exc))
    if report.fingerprint:
        out.print(f"Sidik jari kunci penanda tangan: {report.fingerprint}")
    if not report.ok:
        for problem in report.problems:
            err.print(f"- {problem}")
        raise fail(f"bundel TIDAK utuh: {len(report.problems)} masalah.", code=2)
    changed = _decided_since(report.manifest or {}, report.fingerprint)
    for line in changed:
        out.print(escape(f"Berubah sejak bundel dibuat: {line}"))
    if source is None:
        # Intact but signed by whoever made it: without a key from outside the bundle that proves
        # nothing about who signed it, so it is not a pass (issue 15, item 7).
        message = ("Bundel utuh, tetapi tanda tangan tidak dapat dipastikan: tidak ada kunci publik pembanding. "
                   "Gunakan --public-key dengan kunci yang diumumkan instansi.")
        out.print(message)
        raise fail("tanda tangan tidak dapat dipastikan.", code=3)
    out.print(f"Bundel utuh: {report.files_checked} berkas cocok dengan manifest, tanda tangan sah"
              f" (cocok dengan {source}).")
    if changed:
        out.print(f"PERHATIAN: {len(changed)} tanda telah diputus berbeda sejak bundel dibuat; bundel ini bukan "
                  "keadaan terkini.")


def _decided_since(manifest: dict, signer: Optional[str]) -> list[str]:
    """Flags decided differently since the bundle, when this instance made it (its flag ids mean
    nothing in another instance's database); none without a database."""
    from ..evidence import bundle as evidence, keys
    from ..store import StoreError, connect

    db = Path(settings()["db"])
    local = keys.instance_public_key(data_dir()) if db.exists() else None
    if local is None or keys.fingerprint(local) != signer:
        return []
    try:
        with connect(db, create=False) as store:
            return evidence.decided_since(store, manifest)
    except StoreError:
        return []


@evidence_app.command("pubkey")
def evidence_pubkey(
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Simpan kunci publik ke berkas ini."),
) -> None:
    """Tampilkan kunci publik instans (PEM) untuk diumumkan kepada pemeriksa bukti."""
    from ..evidence import keys

    try:
        info = keys.ensure_instance_key(data_dir())
    except (OSError, keys.InstanceKeyError) as exc:
        raise fail(str(exc))
    if output is not None:
        output.write_bytes(info.public_pem)
        out.print(f"Kunci publik disimpan di [bold]{output}[/].")
    else:
        sys.stdout.write(info.public_pem.decode("ascii"))
        sys.stdout.flush()
    err.print(f"Sidik jari (SHA-256): {info.fingerprint}")


@evidence_app.command("capture")
def evidence_capture(
    limit: int = typer.Option(20, "--limit", help="Paling banyak kiriman bertanda yang direkam sekali jalan."),
    timeout: float = typer.Option(30.0, "--timeout", help="Batas waktu memuat satu halaman (detik)."),
    browser: str = typer.Option("/usr/bin/chromium", "--browser", help="Lokasi peramban Chromium."),
) -> None:
    """Rekam tangkapan layar dan unduh media kiriman bertanda yang belum direkam."""
    from ..evidence import capture

    with open_store() as store:
        result = capture.capture_flagged(store, limit=limit, browser_path=browser, timeout=timeout,
                                         media_dir=data_dir() / "media",
                                         allow_networks=config.networks(settings()["capture_allow_networks"]))
    if result["browser_error"]:
        err.print(f"[yellow]{result['browser_error']}[/]")
    for failure in result["failures"]:
        err.print(f"- kiriman #{failure['post_id']} ({failure['kind']}): {failure['reason']}")
    out.print(f"{result['posts']} kiriman diproses: {result['screenshots']} tangkapan layar, {result['media']} media "
              f"tersimpan, {len(result['failures'])} gagal (alasan dicatat).")
    if result["browser_error"] and not result["media"]:
        raise typer.Exit(1)


# --- netra audit verify (registered on the audit group in monitor.cli) ------------------------

def _when(created_at: Optional[str]) -> str:
    return f"{created_at[:10]} {created_at[11:16]} UTC" if created_at and len(created_at) >= 16 else "tanggal tidak diketahui"


def audit_verify_command(
    anchor: list[Path] = typer.Option([], "--anchor", help="Bundel bukti lama (ZIP) sebagai jangkar: buktikan log audit "
                                                          "tidak ditulis ulang sejak bundel dibuat (boleh berulang)."),
) -> None:
    """Periksa seluruh rantai hash jejak audit; dengan --anchor juga bahwa log tidak berubah sejak bundel bukti lama."""
    from ..evidence import audit, bundle as evidence, keys

    anchors, refused = [], []
    try:
        expected, _ = reference_public_key(None) if anchor else (None, None)
        for path in anchor:
            try:
                anchors.append(evidence.audit_anchor(path, public_key=expected))
            except evidence.BundleRefused as exc:
                refused.append(exc)
    except (OSError, keys.InstanceKeyError) as exc:
        raise fail(str(exc))
    if refused:
        for exc in refused:
            err.print(escape(f"Bundel {exc.path} bukan jangkar yang sah:"))
            for problem in exc.problems:
                err.print(escape(f"- {problem}"))
        raise fail(f"{len(refused)} bundel ditolak; jejak audit tidak diperiksa terhadapnya.")
    from ..evidence import seal

    folder = data_dir()
    with open_store() as store:
        result = audit.verify(store)
        checks = [(a, audit.verify_anchor(store, a["seq"], a["hash"])) for a in anchors]
        try:
            sealed = seal.check(store, folder)
        except ValueError as exc:
            raise fail(str(exc), code=2)
        if result.ok and (sealed is None or sealed.ok) and not any(not c.ok for _a, c in checks) \
                and keys.instance_public_key(folder) is not None:
            seal.write(store, folder)  # the seal moves forward only over a log that verified
    broken = 0
    for found, check in checks:
        name, when = Path(found["path"]).name, _when(found["created_at"])
        if check.ok:
            out.print(escape(f"Jangkar OK: entri #{found['seq']} masih sama dengan yang dicatat bundel {name} ({when})."))
        else:
            broken += 1
            err.print("[bold red]" + escape(f"log audit berubah sejak bundel {name} ({when}):") + "[/] "
                      + escape(f"entri #{found['seq']} yang dicatat bundel tidak lagi sama; {check.reason}."))
    if not result.ok:
        where = f" pada entri #{result.first_bad_id}" if result.first_bad_id else ""
        raise fail(f"jejak audit rusak{where}: {result.reason}", code=2)
    if sealed is not None and not sealed.ok:
        raise fail(f"jejak audit tidak cocok dengan segel di luar basis data: {sealed.reason}", code=2)
    if broken:
        raise fail(f"{broken} dari {len(checks)} jangkar tidak cocok: log audit ditulis ulang.", code=2)
    out.print(f"Jejak audit utuh: {result.entries} entri diperiksa"
              + (f", {len(checks)} jangkar cocok." if checks else "."))
