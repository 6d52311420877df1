"""`netra media ...`: the words in stored pictures (OCR) for the backlog. Thin over the library."""

from __future__ import annotations

from typing import Optional

import typer

from .common import fail, open_store, out

media_app = typer.Typer(help="Gambar tersimpan: baca teks (OCR) dan kelompokkan salinan.", no_args_is_help=True)


@media_app.command("ocr")
def media_ocr(
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="Paling banyak sejumlah gambar ini (bawaan: semua)."),
    engine: Optional[str] = typer.Option(None, "--engine", help="Mesin OCR: rapidocr (bawaan) atau tesseract."),
    rescore: bool = typer.Option(True, "--rescore/--no-rescore",
                                 help="Klasifikasi ulang kiriman yang gambarnya kini terbaca."),
) -> None:
    """Baca teks gambar yang belum dibaca (sekali per hash), klasifikasi ulang kirimannya, kelompokkan salinan."""
    from classifiers import ocr

    from .. import pipeline
    from ..flagging import pictures

    with open_store() as store:
        try:
            chosen = ocr.engine(engine)
            model, version = pipeline.current_model(store) if rescore else (None, None)
            report = pictures.process(store, model=model, model_version=version, limit=limit, engine=chosen)
        except (ValueError, ocr.OcrUnavailable) as exc:
            raise fail(str(exc))
    for failure in report.failed:
        out.print(f"gambar {failure['sha256'][:12]}: {failure['reason']}")
    out.print(f"{report.read} gambar dibaca, {len(report.failed)} tidak terbaca; {report.rescored} kiriman "
              f"diklasifikasi ulang, {report.flags_opened} temuan baru; {report.grouped} salinan dikelompokkan, "
              f"{report.flagged_on_sight} salinan gambar kampanye ditandai.")
