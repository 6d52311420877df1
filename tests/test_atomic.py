"""monitor.atomic.atomic_write: the file under its name is always whole."""

from __future__ import annotations

import stat

import pytest

from monitor.atomic import atomic_write


def test_success_replaces_the_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "bukti.zip"
    target.write_bytes(b"lama")
    with atomic_write(target, suffix=".zip") as handle:
        handle.write(b"baru")
        assert target.read_bytes() == b"lama"  # nothing visible until the block ends
    assert target.read_bytes() == b"baru"
    assert [p.name for p in tmp_path.iterdir()] == ["bukti.zip"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_failure_half_way_keeps_the_old_file_and_removes_the_temporary(tmp_path):
    target = tmp_path / "media.bin"
    target.write_bytes(b"utuh")
    with pytest.raises(OSError, match="disk penuh"):
        with atomic_write(target) as handle:
            handle.write(b"setengah")
            raise OSError("disk penuh")
    assert target.read_bytes() == b"utuh"
    assert [p.name for p in tmp_path.iterdir()] == ["media.bin"]


def test_mode_is_applied(tmp_path):
    target = tmp_path / "netra.db"
    with atomic_write(target, mode=0o644) as handle:
        handle.write(b"x")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
