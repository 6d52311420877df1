"""The instance's Ed25519 signing key, which signs evidence bundles.

The key is made once (``netra init``, or the first export) and kept in the instance's data
folder: ``data_dir`` from the settings, resolved next to the database when it is relative
(default ``<database folder>/.netra/``). The private key file is created with mode 0600 and a
key that other users can read is refused, as ssh does, because whoever holds it can sign a
forged bundle. The public key is meant to be published (``netra evidence pubkey``) so an
inspector can check that a bundle came from this instance.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PRIVATE_NAME = "instance_key.pem"
PUBLIC_NAME = "instance_key.pub.pem"


class InstanceKeyError(ValueError):
    """A key file that cannot be used (wrong permissions, not an Ed25519 key, unreadable)."""


def data_dir(db_path: str | Path, configured: str | Path | None = None) -> Path:
    """The instance's data folder: ``configured`` (settings ``data_dir``) if absolute, else
    resolved against the database's folder. With no setting, the configured default is used."""
    if configured is None:
        from .. import config

        try:
            configured = config.load()["data_dir"]
        except config.ConfigError:
            configured = ".netra"
    folder = Path(configured)
    if folder.is_absolute():
        return folder
    from ..store import is_postgres_url

    remote = str(db_path) == ":memory:" or is_postgres_url(db_path)
    base = Path.cwd() if remote else Path(db_path).resolve().parent
    return base / folder


def follow_data_dir(db_path: str | Path) -> Path:
    """Point the classifiers' model folder at this database's data folder, not the working
    directory (issue 15, item 12): ``classifiers`` cannot import ``monitor``, so it reads
    ``NETRA_DATA_DIR``; an explicit NETRA_DATA_DIR or NETRA_MODELS_DIR still wins."""
    folder = data_dir(db_path)
    os.environ.setdefault("NETRA_DATA_DIR", str(folder))
    return folder


@dataclass(frozen=True)
class InstanceKey:
    private_path: Path
    public_pem: bytes
    fingerprint: str
    created: bool


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def fingerprint(key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw 32-byte public key, in hex: short enough to read out over the phone."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def ensure_instance_key(folder: str | Path) -> InstanceKey:
    """Create the key in ``folder`` unless it exists; return where it is and its public half."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    private_path = folder / PRIVATE_NAME
    created = False
    if not private_path.exists():
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        try:
            # O_EXCL: two processes racing on first use cannot overwrite each other's key.
            fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(pem)
                handle.flush()
                os.fsync(handle.fileno())
            created = True
    key = load_private_key(folder)
    pub = public_pem(key.public_key())
    public_path = folder / PUBLIC_NAME
    if not public_path.exists() or public_path.read_bytes() != pub:
        public_path.write_bytes(pub)
    return InstanceKey(private_path, pub, fingerprint(key.public_key()), created)


def load_private_key(folder: str | Path) -> Ed25519PrivateKey:
    path = Path(folder) / PRIVATE_NAME
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise InstanceKeyError(f"kunci instans {path} belum ada; jalankan `netra init`") from None
    if mode & 0o077:
        raise InstanceKeyError(f"kunci privat {path} dapat dibaca pengguna lain; jalankan `chmod 600 {path}`")
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise InstanceKeyError(f"kunci privat {path} tidak terbaca: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InstanceKeyError(f"kunci privat {path} bukan kunci Ed25519")
    return key


def load_public_key(data: bytes, *, source: str = "kunci publik") -> Ed25519PublicKey:
    """Parse a PEM public key; a clear error when it is not an Ed25519 key."""
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        raise InstanceKeyError(f"{source} tidak terbaca: {exc}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise InstanceKeyError(f"{source} bukan kunci Ed25519")
    return key


def instance_public_key(folder: str | Path) -> Ed25519PublicKey | None:
    """The instance's public key if the key exists, without creating one."""
    path = Path(folder) / PRIVATE_NAME
    if not path.exists():
        return None
    return load_private_key(folder).public_key()


KEYS_FOLDER = "keys"


def signing_dir(store, base: str | Path, instansi_id: int | None) -> Path:
    """Where the key that signs ``instansi_id``'s evidence lives (issue 20): one key per instansi.

    The default instansi (and every instansi while the database holds only one) keeps the
    folder it always had, so bundles signed before instansi existed still verify against the
    published key; another instansi signs with ``<data_dir>/keys/<instansi code>/``.
    """
    from ..store import instansi as instansi_rows

    base = Path(base)
    if instansi_id is None or instansi_rows.count(store) <= 1 or instansi_id == instansi_rows.default_id(store):
        return base
    found = instansi_rows.get(store, instansi_id)
    if found is None:
        raise InstanceKeyError(f"instansi #{instansi_id} tidak ada")
    return base / KEYS_FOLDER / str(found["code"]).upper()
