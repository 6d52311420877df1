"""The audit head, signed and kept outside the database (issue 15, item 5).

Someone who can write the database file can drop the triggers, cut the log's tail and set
``audit_head`` back to match: the chain then verifies on its own. A copy of the head signed
with the instance key and kept in the data folder (and in every backup and bundle) is what
such a rollback cannot match: ``check`` proves the live chain still holds the sealed entry.
The seal only moves forward; it is written when the log verifies (``netra audit verify``),
and by backups.
"""

from __future__ import annotations

import json
from pathlib import Path

from cryptography.exceptions import InvalidSignature

from ..atomic import atomic_write
from ..store import Store, utcnow
from . import audit, keys

SEAL_NAME = "audit_seal.json"


def _payload(seal: dict) -> bytes:
    return json.dumps({k: seal[k] for k in ("last_id", "hash", "sealed_at")}, sort_keys=True).encode()


def read(folder: Path) -> dict | None:
    """The seal in ``folder`` (None if there is none yet); ValueError if it is unreadable."""
    path = Path(folder) / SEAL_NAME
    if not path.exists():
        return None
    try:
        seal = json.loads(path.read_text(encoding="utf-8"))
        _payload(seal)
    except (ValueError, KeyError, TypeError):
        raise ValueError(f"segel audit {path} rusak atau tidak terbaca") from None
    return seal


def write(store: Store, folder: Path, *, restart: bool = False) -> dict:
    """Seal the current head. Only forward: an older head never replaces a newer seal, except
    with ``restart`` (a restore the operator chose, which keeps the old seal beside it)."""
    folder = Path(folder)
    head = audit.head(store) or {}
    previous = read(folder)
    if restart and previous is not None:
        (folder / SEAL_NAME).replace(folder / f"{SEAL_NAME}.sebelum-pemulihan")
    elif previous and int(previous["last_id"]) > int(head.get("last_id") or 0):
        return previous
    seal = {"last_id": int(head.get("last_id") or 0), "hash": head.get("hash") or "0" * 64, "sealed_at": utcnow()}
    key = keys.load_private_key(folder)
    seal["signature"] = key.sign(_payload(seal)).hex()
    seal["key_fingerprint"] = keys.fingerprint(key.public_key())
    with atomic_write(folder / SEAL_NAME, mode=0o600) as handle:
        handle.write(json.dumps(seal, indent=1).encode())
    return seal


def check(store: Store, folder: Path) -> audit.AnchorResult | None:
    """The live chain against the seal; None when there is no seal (nothing to compare)."""
    seal = read(folder)
    if seal is None:
        return None
    public = keys.instance_public_key(folder)
    try:
        if public is None:
            raise InvalidSignature
        public.verify(bytes.fromhex(seal.get("signature", "")), _payload(seal))
    except (InvalidSignature, ValueError):
        return audit.AnchorResult(False, int(seal.get("last_id") or 0), 0, None,
                                  "segel audit tidak ditandatangani kunci instans ini")
    result = audit.verify_anchor(store, int(seal["last_id"]), str(seal["hash"]))
    if not result.ok:
        return audit.AnchorResult(False, result.seq, result.entries, result.first_bad_id,
                                  f"log audit mundur dari segel #{seal['last_id']} ({seal['sealed_at'][:16]} UTC): "
                                  f"{result.reason}")
    return result
