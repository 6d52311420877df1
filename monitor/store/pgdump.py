"""PostgreSQL's own dump tools for backups (issue 20): ``pg_dump --format=custom`` and ``pg_restore``.

A backup of a PostgreSQL database is a dump taken in an exported snapshot: the caller holds a
REPEATABLE READ transaction, reads the figures the archive records (row counts, audit head) in
it, and ``pg_dump --snapshot`` dumps exactly that moment while the collectors keep writing.

The password never reaches the command line (which ``ps`` shows to every user of the host) nor
the archive: the URL is split into a libpq connection string without it, and the password, when
the URL carries one, goes to the child process through ``PGPASSWORD`` only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from ..redact import redact

TIMEOUT_SECONDS = 6 * 3600  # a national database dumps for a long time; a hung tool must still end


class DumpError(RuntimeError):
    """pg_dump or pg_restore is missing or failed (message in Indonesian)."""


def tool(name: str) -> Path:
    """``pg_dump``/``pg_restore`` from PATH, else the newest Debian ``/usr/lib/postgresql/*/bin``."""
    found = shutil.which(name)
    if found:
        return Path(found)
    root = Path("/usr/lib/postgresql")
    if root.is_dir():
        majors = sorted((p for p in root.iterdir() if p.name.isdigit()), key=lambda p: int(p.name), reverse=True)
        for major in majors:
            if (major / "bin" / name).exists():
                return major / "bin" / name
    raise DumpError(f"{name} tidak ditemukan (pasang paket postgresql-client)")


def split_password(url: str) -> tuple[str, str | None]:
    """``url`` as a libpq connection string without its password, and the password (or None)."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(url)
    password = params.pop("password", None)
    return make_conninfo(**{k: v for k, v in params.items() if v is not None}), \
        (str(password) if password is not None else None)


def _run(args: list[str], url: str) -> subprocess.CompletedProcess:
    conninfo, password = split_password(url)
    env = dict(os.environ)
    if password is not None:
        env["PGPASSWORD"] = password
    command = [a.replace("{conninfo}", conninfo) for a in args]
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DumpError(f"{Path(args[0]).name} gagal dijalankan: {exc}") from None
    if done.returncode != 0:
        raise DumpError(f"{Path(args[0]).name} gagal: {redact(done.stderr.strip())[-2000:]}")
    return done


def dump(url: str, out: Path, *, snapshot: str | None = None) -> None:
    """Dump the database at ``url`` to ``out`` (custom format), as of ``snapshot`` when given."""
    args = [str(tool("pg_dump")), "--format=custom", "--no-owner", "--no-privileges", f"--file={out}"]
    if snapshot:
        args.append(f"--snapshot={snapshot}")
    _run(args + ["--dbname={conninfo}"], url)


def restore(url: str, dump_file: Path) -> None:
    """Load ``dump_file`` into the (empty) database at ``url`` in one transaction: all or nothing."""
    _run([str(tool("pg_restore")), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
          "--dbname={conninfo}", str(dump_file)], url)


def contents(dump_file: Path) -> list[str]:
    """The dump's table of contents (``pg_restore --list``): proves it is a readable, whole dump."""
    try:
        done = subprocess.run([str(tool("pg_restore")), "--list", str(dump_file)], capture_output=True, text=True,
                              timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DumpError(f"pg_restore gagal dijalankan: {exc}") from None
    if done.returncode != 0:
        raise DumpError(f"bukan dump PostgreSQL yang terbaca: {done.stderr.strip()[-500:]}")
    return [line for line in done.stdout.splitlines() if line and not line.startswith(";")]
