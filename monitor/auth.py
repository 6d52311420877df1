"""Passwords and logins: argon2 hashes, and failed logins that slow the address they come from.

Issue 15, item 8: every attempt costs one argon2 verification (a dummy hash for unknown or
inactive users), so timing does not tell which names exist; every refusal has the same
message; repeated failures slow the client address with a growing wait instead of locking
the account (locking would let anyone lock out ``admin``); failed attempts are audited with
the name cut short and at most ``AUDIT_FAILURES_PER_WINDOW`` rows per address and window.
The throttle lives in this server process: opening a new tab does not reset it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .evidence import audit
from .store import Store
from .store import users as user_rows

MAX_FAILURES = 5            # free attempts per address before the wait starts
MAX_WAIT = timedelta(minutes=15)
FAILURE_WINDOW = timedelta(minutes=15)
AUDIT_FAILURES_PER_WINDOW = 20
MAX_AUDITED_NAME = 64
MIN_PASSWORD_LENGTH = 8
REFUSED = "Nama pengguna atau kata sandi salah."

_hasher = PasswordHasher()


class AuthError(ValueError):
    """A login that did not succeed; the message is safe to show the user."""


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: str
    full_name: str | None
    unit_ids: tuple[int, ...]
    instansi_id: int | None = None  # None: the default instansi (issue 20)


def user_from_row(row) -> User:
    """The User a users row (with its ``unit_ids``) describes."""
    row = dict(row)
    return User(row["id"], row["username"], row["role"], row["full_name"], tuple(row["unit_ids"]),
                row.get("instansi_id"))


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"kata sandi minimal {MIN_PASSWORD_LENGTH} karakter")
    return _hasher.hash(password)


def create_user(store: Store, username: str, password: str, role: str, *,
                full_name: str | None = None, unit_ids=(), actor: str = "system",
                instansi_id: int | None = None, by: User | None = None) -> int:
    """Add a user; audited. ``by`` is the acting admin on the dashboard (None: the operator's CLI).

    Issue 20: the user belongs to ``instansi_id`` (default: ``by``'s instansi, else the default
    one); its units must be that instansi's, and ``by`` must administer it.
    """
    with store.write():
        instansi_id = check_user_placement(store, by, instansi_id, unit_ids)
        user_id = user_rows.add_user(store, username, hash_password(password), role,
                                     full_name=full_name, unit_ids=unit_ids, instansi_id=instansi_id)
        audit.record(store, actor, "user.add", f"user:{username}", role=role, unit_ids=list(unit_ids),
                     **({"instansi_id": instansi_id} if instansi_id is not None else {}))
    return user_id


def check_user_placement(store: Store, by: User | None, instansi_id: int | None, unit_ids) -> int | None:
    """The instansi a user is created in or moved within; ValueError if ``by`` may not, or if a
    unit belongs to another instansi. None on a one-instansi database with nothing asked."""
    from .store import instansi as instansi_rows

    default = instansi_rows.default_id(store)
    if by is not None:
        own = instansi_rows.user_instansi_id(store, by.id) or default
        if instansi_id is None:
            instansi_id = own
        if by.role != "admin" or (own != default and instansi_id not in instansi_rows.descendants(store, own)):
            raise ValueError("Anda hanya boleh mengelola pengguna instansi Anda sendiri.")
    if instansi_id is None:
        return None
    if instansi_rows.get(store, instansi_id) is None:
        raise ValueError("instansi tidak ada")
    if not instansi_rows.unit_instansi_ids(store, unit_ids) <= {int(instansi_id)}:
        raise ValueError("unit yang dipilih bukan milik instansi pengguna")
    return int(instansi_id)


def change_password(store: Store, username: str, password: str, *, actor: str = "system") -> None:
    with store.write():
        user_rows.set_password_hash(store, username, hash_password(password))
        audit.record(store, actor, "user.passwd", f"user:{username}")


@dataclass
class _Attempts:
    failures: int = 0
    first_at: datetime | None = None
    blocked_until: datetime | None = None
    audited: int = 0
    suppressed: int = 0


@dataclass
class LoginThrottle:
    """Failed logins per client address: after MAX_FAILURES, each further failure doubles the
    wait (1 s, 2 s, 4 s ... up to MAX_WAIT) before that address may try again."""

    _by_address: dict[str, _Attempts] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self, address: str, now: datetime) -> float:
        """Seconds this address must still wait (0 when it may try)."""
        with self._lock:
            entry = self._by_address.get(address)
            if entry is None or entry.blocked_until is None:
                return 0.0
            return max(0.0, (entry.blocked_until - now).total_seconds())

    def failed(self, address: str, now: datetime) -> tuple[bool, int]:
        """Count a failure; returns (audit this one?, failures suppressed from the audit before it)."""
        with self._lock:
            entry = self._by_address.setdefault(address, _Attempts())
            if entry.first_at is None or now - entry.first_at > FAILURE_WINDOW:
                entry.failures, entry.first_at, entry.audited = 0, now, 0
            entry.failures += 1
            extra = entry.failures - MAX_FAILURES
            if extra >= 0:
                entry.blocked_until = now + min(timedelta(seconds=2 ** min(extra, 20)), MAX_WAIT)
            if entry.audited >= AUDIT_FAILURES_PER_WINDOW:
                entry.suppressed += 1
                return False, 0
            entry.audited += 1
            suppressed, entry.suppressed = entry.suppressed, 0
            return True, suppressed

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._by_address.pop(address, None)


THROTTLE = LoginThrottle()
_dummy_hash: list[str] = []


def _burn(password: str) -> None:
    """Spend one argon2 verification, as a real account would, so unknown names answer as slowly."""
    if not _dummy_hash:
        _dummy_hash.append(_hasher.hash("netra-dummy-password"))
    try:
        _hasher.verify(_dummy_hash[0], password)
    except (VerificationError, InvalidHashError):
        pass


def login(store: Store, username: str, password: str, *, address: str = "?", now: datetime | None = None,
          throttle: LoginThrottle | None = None) -> User:
    """Check a password; raise AuthError with an Indonesian message on any failure.

    ``address`` is the client's address (monitor.web.client_address); failures slow it down.
    """
    now = now or datetime.now(timezone.utc)
    throttle = throttle or THROTTLE
    waiting = throttle.wait(address, now)
    if waiting > 0:
        raise AuthError(f"Terlalu banyak percobaan gagal dari alamat ini. Coba lagi dalam {int(waiting) + 1} detik.")
    row = user_rows.get_user(store, username) if username else None
    valid = False
    if row is None or not row["active"]:
        _burn(password or "")
    else:
        try:
            valid = _hasher.verify(row["password_hash"], password)
        except (VerificationError, InvalidHashError):
            valid = False
    if not valid:
        # No per-account write here: the same work for a real and an unknown name.
        audited, suppressed = throttle.failed(address, now)
        if audited:
            name = (username or "?")[:MAX_AUDITED_NAME]
            audit.record(store, name, "login.fail", f"user:{name}", address=address[:64],
                         **({"suppressed_before": suppressed} if suppressed else {}))
        raise AuthError(REFUSED)
    throttle.succeeded(address)
    user_rows.record_login(store, row["id"], success=True)
    audit.record(store, username, "login.ok", f"user:{username}", address=address[:64])
    return user_from_row(row)


class SessionEnded(AuthError):
    """The logged-in user was deactivated, removed or changed (role, unit) since logging in."""


def current(store: Store, user: User) -> User:
    """``user`` as the database has it now; SessionEnded if it no longer matches the session.

    Every acting library function calls this, so a deactivated analyst cannot decide a flag and
    a supervisor moved to another unit does not keep the old unit's scope, whatever a browser
    session or a CLI process still holds (issue 15, item 3).
    """
    row = user_rows.get_user_by_id(store, user.id)
    if row is None or not row["active"]:
        raise SessionEnded("Sesi Anda berakhir: akun tidak aktif lagi. Silakan hubungi admin.")
    fresh = user_from_row(row)
    if (fresh.username, fresh.role, tuple(sorted(fresh.unit_ids)), fresh.instansi_id) != \
            (user.username, user.role, tuple(sorted(user.unit_ids)), user.instansi_id):
        raise SessionEnded("Sesi Anda berakhir karena peran atau unit akun Anda berubah. Silakan masuk kembali.")
    return fresh
