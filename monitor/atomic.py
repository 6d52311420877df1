"""Files that appear whole or not at all."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator


@contextmanager
def atomic_write(dest: Path, *, mode: int | None = None, suffix: str = "") -> Iterator[BinaryIO]:
    """Write ``dest`` through a temporary file in its folder, synced and renamed on success.

    Why: evidence bundles, stored media and restored files are trusted by their name. A crash,
    a full disk or an exception half-way must leave the old file (or none) under that name,
    never a half-written one. The temporary file is removed on failure. Without ``mode`` the
    file keeps mkstemp's 0600; the folder must exist.
    """
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".tmp-", suffix=suffix)
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_private(dest: Path, data: bytes) -> Path:
    """Write a file holding personal data: whole or not at all, and readable by its owner only
    (0600), like bundles and backups (issue 15, item 12)."""
    dest = Path(dest)
    with atomic_write(dest, mode=0o600) as handle:
        handle.write(data)
    return dest
