"""A throwaway PostgreSQL cluster for one test run (issue 20), on 127.0.0.1 and a socket in a
temporary folder.

``initdb`` refuses to run as root, so as root the cluster belongs to Debian's ``postgres``
system user (``runuser``); otherwise to whoever runs the tests. Durability is switched off
(``fsync``, ``synchronous_commit``): the cluster dies with the run. Each test gets its own
database, copied from a template that was migrated once.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

SUPERUSER = "netra"


def bindir() -> Path | None:
    """Debian's server binaries (``/usr/lib/postgresql/<major>/bin``), newest first, or PATH's."""
    root = Path("/usr/lib/postgresql")
    if root.is_dir():
        for major in sorted(root.iterdir(), key=lambda p: int(p.name) if p.name.isdigit() else 0, reverse=True):
            if (major / "bin" / "initdb").exists():
                return major / "bin"
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """Start with :meth:`start`, stop with :meth:`stop`; :meth:`new_database` hands out URLs."""

    def __init__(self) -> None:
        self.bin = bindir()
        if self.bin is None:
            raise RuntimeError("PostgreSQL is not installed (make test installs Debian's package).")
        self.folder = Path(tempfile.mkdtemp(prefix="netra-pg-"))
        self.port = _free_port()
        self._as: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.folder, user="postgres")
            self._as = ["runuser", "-u", "postgres", "--"]
        self._names = itertools.count(1)
        self.template: str | None = None

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as, *args], check=True, capture_output=True, cwd=self.folder, timeout=120)

    def start(self) -> "Cluster":
        data = self.folder / "data"
        self._run(str(self.bin / "initdb"), "-D", str(data), "-A", "trust", "-U", SUPERUSER,
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        options = (f"-k {self.folder} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off"
                   " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run(str(self.bin / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(self.folder / "log"),
                  "-w", "start")
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql)

    def new_database(self, *, migrated: bool = True) -> str:
        """A fresh, empty database; with ``migrated`` a copy of the migrated template (fast)."""
        name = f"t{next(self._names)}"
        if migrated:
            if self.template is None:
                from monitor.store import connect

                self.admin("CREATE DATABASE netra_template")
                connect(self.url("netra_template")).close()
                self.template = "netra_template"
            self.admin(f"CREATE DATABASE {name} TEMPLATE {self.template} STRATEGY FILE_COPY")
        else:
            self.admin(f"CREATE DATABASE {name}")
        return self.url(name)

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
