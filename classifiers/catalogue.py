"""The catalogue of public datasets and fetching one after its licence is accepted.

An office with internet can train on real data in two commands (``netra datasets fetch NAME
--accept-license`` then ``netra model train --data FILE``). Most of these datasets are
non-commercial or research-only, so nothing is downloaded until the user has seen the licence
and accepted it explicitly; and nothing is copied into this repository.

Each file is downloaded from its raw URL at the pinned commit, written atomically, then opened
with its loader: a file that does not parse (an HTML error page, a moved file) is deleted and
reported, never left behind to poison a training run. ``base_url`` replaces
``https://raw.githubusercontent.com`` (tests serve files from 127.0.0.1; a mirror works too).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import httpx

from .datasets import CATALOGUE, load_with_report

RAW_HOST = "https://raw.githubusercontent.com"
MAX_BYTES = 200 * 1024 * 1024  # no catalogued file is near this; stops a runaway download


class LicenseNotAccepted(ValueError):
    """Fetching needs the user's explicit acceptance of the dataset's licence."""


class FetchError(RuntimeError):
    """A download that failed or did not parse; the message is in Bahasa Indonesia."""


@dataclass(frozen=True)
class DatasetFile:
    name: str
    format: str
    upstream: tuple[str, ...]
    derived: bool
    rows: int
    raw_url: str
    note: str = ""


@dataclass(frozen=True)
class Dataset:
    name: str
    description: str
    repo_url: str
    commit: str
    raw_url: str
    licence: str
    licence_note: str
    format: str
    files: tuple[DatasetFile, ...] = field(default_factory=tuple)

    @property
    def downloadable(self) -> list[DatasetFile]:
        return [f for f in self.files if f.raw_url]

    def licence_text(self) -> str:
        """What the user must read before accepting (Bahasa Indonesia framing, upstream terms)."""
        return (f"Dataset {self.name}: {self.description}\n"
                f"Sumber: {self.repo_url} (commit {self.commit})\n"
                f"Lisensi: {self.licence}\n"
                f"Catatan lisensi: {self.licence_note}\n"
                "Data ini tidak disalin ke repositori Netra; gunakan sesuai lisensinya.")


def load_catalogue(path: Path = CATALOGUE) -> list[Dataset]:
    entries = tomllib.loads(Path(path).read_text(encoding="utf-8"))["dataset"]
    return [Dataset(name=e["name"], description=e["description"], repo_url=e["repo_url"], commit=e["commit"],
                    raw_url=e["raw_url"], licence=e["licence"], licence_note=e.get("licence_note", ""),
                    format=e["format"],
                    files=tuple(DatasetFile(name=f["name"], format=f["format"], upstream=tuple(f["upstream"]),
                                            derived=bool(f["derived"]), rows=int(f["rows"]), raw_url=f.get("raw_url", ""),
                                            note=f.get("note", "")) for f in e["files"]))
            for e in entries]


def find(name: str, path: Path = CATALOGUE) -> Dataset:
    catalogue = load_catalogue(path)
    for dataset in catalogue:
        if dataset.name == name:
            return dataset
    raise ValueError(f"dataset {name!r} tidak ada di katalog; pilih salah satu: {', '.join(d.name for d in catalogue)}")


def file_url(item: DatasetFile, base_url: str | None = None) -> str:
    if not base_url:
        return item.raw_url
    if not item.raw_url.startswith(RAW_HOST + "/"):
        raise ValueError(f"URL {item.raw_url} tidak di {RAW_HOST}; base URL tidak dapat diterapkan")
    return base_url.rstrip("/") + item.raw_url[len(RAW_HOST):]


@dataclass
class FetchResult:
    dataset: str
    folder: Path
    files: list[dict] = field(default_factory=list)     # name, url, bytes, sha256, rows, skipped
    not_fetched: list[dict] = field(default_factory=list)  # derived files: name and how to rebuild


def fetch(name: str, dest: str | Path, *, accept_license: bool, client: httpx.Client | None = None,
          base_url: str | None = None, progress: Callable[[str], None] | None = None) -> FetchResult:
    """Download every downloadable file of dataset ``name`` into ``dest/name/`` and check it parses.

    Raises LicenseNotAccepted unless ``accept_license`` is True, FetchError when a download fails
    or a file does not parse (that file is not kept). Writes ``FETCHED.json`` with URLs, hashes
    and the time the licence was accepted.
    """
    dataset = find(name)
    if not accept_license:
        raise LicenseNotAccepted(f"lisensi dataset {name} belum disetujui; baca lisensinya lalu ulangi dengan "
                                 "--accept-license")
    say = progress or (lambda _message: None)
    folder = Path(dest) / dataset.name
    folder.mkdir(parents=True, exist_ok=True)
    result = FetchResult(dataset.name, folder)
    own_client = client is None
    client = client or httpx.Client(timeout=60.0, follow_redirects=True)
    try:
        for item in dataset.files:
            if not item.raw_url:
                result.not_fetched.append({"name": item.name, "note": item.note or "berkas turunan"})
                continue
            url = file_url(item, base_url)
            say(f"mengunduh {item.name} dari {url}")
            result.files.append(_download(client, url, folder / item.name, item))
    finally:
        if own_client:
            client.close()
    record = {"dataset": dataset.name, "repo_url": dataset.repo_url, "commit": dataset.commit,
              "licence": dataset.licence, "licence_accepted_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
              "files": result.files, "not_fetched": result.not_fetched}
    (folder / "FETCHED.json").write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
    return result


def _download(client: httpx.Client, url: str, target: Path, item: DatasetFile) -> dict:
    # Downloaded and parsed under its final name in a private staging folder (loaders read the
    # file name too), then moved into place: a failed file never appears in ``target``'s folder.
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=target.parent))
    staged = staging / target.name
    digest, size = hashlib.sha256(), 0
    try:
        with staged.open("wb") as handle:
            try:
                with client.stream("GET", url) as response:
                    if response.status_code != 200:
                        raise FetchError(f"{item.name}: server menjawab HTTP {response.status_code} untuk {url}")
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > MAX_BYTES:
                            raise FetchError(f"{item.name}: lebih dari {MAX_BYTES // (1024 * 1024)} MB, dihentikan")
                        digest.update(chunk)
                        handle.write(chunk)
            except httpx.HTTPError as exc:
                raise FetchError(f"{item.name}: unduhan gagal ({exc.__class__.__name__}: {exc})") from exc
        try:
            examples, skipped = load_with_report(staged, item.format)
        except (ValueError, UnicodeError) as exc:
            raise FetchError(f"{item.name}: berkas terunduh tidak dapat dibaca sebagai {item.format}: {exc}") from exc
        if not examples:
            raise FetchError(f"{item.name}: berkas terunduh tidak memuat satu pun baris {item.format} yang valid")
        os.replace(staged, target)
        return {"name": item.name, "url": url, "bytes": size, "sha256": digest.hexdigest(),
                "rows": len(examples), "skipped": len(skipped)}
    finally:
        staged.unlink(missing_ok=True)
        staging.rmdir()
