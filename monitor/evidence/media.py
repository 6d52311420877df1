"""Content-addressed file store for screenshots and media: each file lives under its SHA-256.

Storing by hash makes a file impossible to change quietly (its name would no longer match) and
stores a picture shared by many posts once. The folder is ``media`` inside the instance's data
folder (see ``monitor.keys.data_dir``), unless a caller names another.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from . import keys
from ..atomic import atomic_write
from ..store import Store


def media_dir(store: Store, configured: str | Path | None = None) -> Path:
    return Path(configured) if configured is not None else keys.data_dir(store.path) / "media"


def path_for(folder: Path, sha256: str) -> Path:
    return folder / sha256[:2] / sha256


def put(folder: Path, data: bytes) -> str:
    """Store ``data`` and return its SHA-256. Written to a temporary file, then renamed."""
    digest = hashlib.sha256(data).hexdigest()
    target = path_for(folder, digest)
    if target.exists() and read(folder, digest) is not None:
        return digest
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(target) as handle:
        handle.write(data)
    return digest


def read(folder: Path, sha256: str) -> bytes | None:
    """The stored bytes, or None when the file is missing or no longer matches its hash."""
    try:
        data = path_for(folder, sha256).read_bytes()
    except FileNotFoundError:
        return None
    return data if hashlib.sha256(data).hexdigest() == sha256 else None


def sniff(data: bytes) -> str | None:
    """The content type of common image/video files, from their first bytes."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp":
        return "video/mp4"
    return None


EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp", "video/mp4": "mp4"}
