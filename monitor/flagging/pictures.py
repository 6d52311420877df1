"""Pictures after storage: read their words (OCR), score their posts again, group the near-copies.

:func:`process` runs in the collection pipeline after screenshots and media are stored, and as
``netra media ocr`` for the backlog. Each picture is read once per SHA-256; a picture that
cannot be read gets its reason recorded (never retried, never fatal). Posts whose pictures
gained words are scored again with those words (``monitor.flagging.classify``), then new
pictures and texts are compared with the near-copy groups: a copy of a confirmed campaign
picture opens a ``picture`` flag on sight, with the group as its explanation.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from classifiers import near_duplicates as nd
from classifiers import ocr as ocr_engine

from ..evidence import media as mediastore
from ..store import Store
from ..store import pictures as rows
from .classify import classify_posts

log = logging.getLogger(__name__)

ON_SIGHT_CODE = "N8"  # campaign props (alat peraga kampanye), unless the group's decision said otherwise


@dataclass
class PictureReport:
    read: int = 0
    failed: list[dict] = field(default_factory=list)
    rescored: int = 0
    flags_opened: int = 0
    grouped: int = 0
    flagged_on_sight: int = 0

    def as_dict(self) -> dict:
        return {"read": self.read, "failed": self.failed, "rescored": self.rescored,
                "flags_opened": self.flags_opened, "grouped": self.grouped, "flagged_on_sight": self.flagged_on_sight}


def read_pending(store: Store, *, limit: int | None = None, engine: ocr_engine.OcrEngine | None = None,
                 media_dir: Path | None = None, report: PictureReport | None = None,
                 progress: Callable[[int], None] | None = None) -> PictureReport:
    """OCR of every stored picture without text yet (at most ``limit``)."""
    report = report or PictureReport()
    todo = rows.images_to_read(store, limit=limit)
    if not todo:
        return report
    engine = engine or ocr_engine.engine()
    folder = mediastore.media_dir(store, media_dir)
    for item in todo:
        sha = item["sha256"]
        data = mediastore.read(folder, sha)
        try:
            if data is None:
                raise ocr_engine.ImageError("berkas media hilang atau isinya tidak cocok dengan hash")
            image = ocr_engine.open_image(data, name=sha[:12])
            result = engine.read(image)
            rows.save_image_text(store, sha, engine=engine.name, text=result.text, width=image.width,
                                 height=image.height, phash=nd.to_hex(nd.phash(image)))
            report.read += 1
        except ocr_engine.ImageError as exc:
            rows.save_image_text(store, sha, engine=engine.name, error=str(exc))
            report.failed.append({"sha256": sha, "reason": str(exc)})
        if progress:
            progress(1)
    return report


def process(store: Store, *, model: Any = None, model_version: str | None = None, limit: int | None = None,
            engine: ocr_engine.OcrEngine | None = None, media_dir: Path | None = None,
            progress: Callable[[int], None] | None = None) -> PictureReport:
    """Read pending pictures, score their posts again (when a model is given), group copies."""
    before = {r["sha256"] for r in rows.images_to_read(store, limit=limit)}
    report = read_pending(store, limit=limit, engine=engine, media_dir=media_dir, progress=progress)
    if model is not None and before:
        post_ids = rows.posts_with_images(store, before)
        counts = classify_posts(store, model, model_version or "unknown", post_ids)
        report.rescored += counts["classified"]
        report.flags_opened += counts["flags_opened"]
    group_images(store, report)
    group_texts(store, report)
    return report


class _Groups:
    """The groups of one kind plus the single copies seen so far, in one signature index.

    Groups have their database ids as keys; single copies negative keys, so the nearest match
    tells which of the two a new copy joins.
    """

    def __init__(self, store: Store, kind: str) -> None:
        self.kind = kind
        # Pictures: pHash within IMAGE_DISTANCE bits; texts: MinHash similarity (see classifiers).
        self.index = nd.Index(nd.IMAGE_DISTANCE) if kind == "image" else nd.TextIndex(nd.TEXT_SIMILARITY)
        self.encode = nd.to_hex if kind == "image" else nd.signature_hex
        self.decode = (lambda text: int(text, 16)) if kind == "image" else nd.signature_from_hex
        self.status: dict[int, str] = {}
        self.singles: dict[int, tuple[int, str, Any]] = {}
        self._next = -1
        for group_id, signature, status in rows.group_signatures(store, kind):
            self.index.add(group_id, self.decode(signature))
            self.status[group_id] = status
        for post_id, key, signature in rows.ungrouped_seen(store, kind):
            self.add_single(post_id, key, self.decode(signature))

    def add_single(self, post_id: int, key: str, signature: Any) -> None:
        self.singles[self._next] = (post_id, key, signature)
        self.index.add(self._next, signature)
        self._next -= 1

    def place(self, store: Store, conn, post_id: int, signature: Any, sha256: str | None,
              report: PictureReport) -> int | None:
        """Join the nearest group, or start one with a single earlier copy; the group id or None."""
        found = self.index.nearest(signature)
        if found is None:
            self.add_single(post_id, sha256 or "", signature)
            return None
        key, distance = found
        if key < 0:  # pair with an earlier single copy; the earlier one's signature is the group's
            first_post, first_key, first_signature = self.singles.pop(key)
            self.index.remove(key)
            group_id = rows.create_group(conn, kind=self.kind, signature=self.encode(first_signature),
                                         post_id=first_post, sha256=first_key or None)
            rows.add_member(conn, group_id=group_id, post_id=first_post, signature=self.encode(first_signature),
                            distance=0, sha256=first_key or None)
            self.index.add(group_id, first_signature)
            self.status[group_id] = "open"
            report.grouped += 1
        else:
            group_id = key
        if rows.add_member(conn, group_id=group_id, post_id=post_id, signature=self.encode(signature),
                           distance=distance, sha256=sha256):
            report.grouped += 1
        if self.kind == "image" and self.status[group_id] == "confirmed":
            group = rows.get_group(store, group_id) or {}
            explanation = {"reason": f"salinan gambar kampanye yang sudah dikonfirmasi (grup #{group_id})",
                           "group_id": group_id, "distance": distance, "sha256": sha256}
            _, opened = rows.ensure_picture_flag(conn, post_id, score=1.0,
                                                 proposed_code=group.get("violation_code") or ON_SIGHT_CODE,
                                                 explanation=explanation)
            report.flagged_on_sight += int(opened)
        return group_id


def group_images(store: Store, report: PictureReport | None = None) -> PictureReport:
    """Compare newly read pictures with the picture groups (pHash within IMAGE_DISTANCE bits)."""
    report = report or PictureReport()
    todo = rows.unseen_images(store)
    if not todo:
        return report
    groups = _Groups(store, "image")
    with store.write() as conn:
        for item in todo:
            groups.place(store, conn, item["post_id"], int(item["phash"], 16), item["sha256"], report)
            rows.mark_seen(conn, "image", [(item["post_id"], item["sha256"], item["phash"])])
    return report


def group_texts(store: Store, report: PictureReport | None = None, *, batch: int = 5000) -> PictureReport:
    """Compare new posts' texts with the text groups (MinHash similarity of TEXT_SIMILARITY or more)."""
    report = report or PictureReport()
    groups: _Groups | None = None
    while True:
        todo = rows.unseen_texts(store, limit=batch)
        if not todo:
            return report
        groups = groups or _Groups(store, "text")
        signatures = nd.minhashes([t["text"] or "" for t in todo])
        with store.write() as conn:
            for item, signature in zip(todo, signatures):
                if signature is not None:
                    groups.place(store, conn, item["post_id"], signature, None, report)
            rows.mark_seen(conn, "text", [(item["post_id"], "", None if sig is None else nd.signature_hex(sig))
                                          for item, sig in zip(todo, signatures)])
