"""Passwords and logins: argon2 hashes, lockout after repeated failures.

The lockout lives in the database, not the browser session, so opening a new tab or
restarting the dashboard does not reset it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .evidence import audit
from .store import Store
from .store import users as user_rows

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 8

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


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"kata sandi minimal {MIN_PASSWORD_LENGTH} karakter")
    return _hasher.hash(password)


def create_user(store: Store, username: str, password: str, role: str, *,
                full_name: str | None = None, unit_ids=(), actor: str = "system") -> int:
    with store.write():
        user_id = user_rows.add_user(store, username, hash_password(password), role,
                                     full_name=full_name, unit_ids=unit_ids)
        audit.record(store, actor, "user.add", f"user:{username}", role=role, unit_ids=list(unit_ids))
    return user_id


def change_password(store: Store, username: str, password: str, *, actor: str = "system") -> None:
    with store.write():
        user_rows.set_password_hash(store, username, hash_password(password))
        audit.record(store, actor, "user.passwd", f"user:{username}")


def _parse(ts: str) -> datetime:
    return datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)


def login(store: Store, username: str, password: str, *, now: datetime | None = None) -> User:
    """Check a password; raise AuthError with an Indonesian message on any failure."""
    now = now or datetime.now(timezone.utc)
    row = user_rows.get_user(store, username)
    if row is None or not row["active"]:
        # Same message as a wrong password, so usernames cannot be probed.
        audit.record(store, username or "?", "login.fail", f"user:{username}", reason="unknown")
        raise AuthError("Nama pengguna atau kata sandi salah.")
    if row["locked_until"] and _parse(row["locked_until"]) > now:
        audit.record(store, username, "login.locked", f"user:{username}")
        raise AuthError("Akun terkunci sementara karena terlalu banyak percobaan gagal. Coba lagi nanti.")
    try:
        _hasher.verify(row["password_hash"], password)
    except (VerificationError, InvalidHashError):
        failures = row["failed_logins"] + 1
        locked = None
        if failures >= MAX_FAILURES:
            locked = (now + LOCKOUT).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        user_rows.record_login(store, row["id"], success=False, locked_until=locked)
        audit.record(store, username, "login.fail", f"user:{username}", failures=failures, locked=bool(locked))
        if locked:
            raise AuthError("Akun terkunci sementara karena terlalu banyak percobaan gagal. Coba lagi nanti.")
        raise AuthError("Nama pengguna atau kata sandi salah.")
    user_rows.record_login(store, row["id"], success=True)
    audit.record(store, username, "login.ok", f"user:{username}")
    return User(row["id"], row["username"], row["role"], row["full_name"], tuple(row["unit_ids"]))


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
    fresh = User(row["id"], row["username"], row["role"], row["full_name"], tuple(row["unit_ids"]))
    if (fresh.username, fresh.role, tuple(sorted(fresh.unit_ids))) != \
            (user.username, user.role, tuple(sorted(user.unit_ids))):
        raise SessionEnded("Sesi Anda berakhir karena peran atau unit akun Anda berubah. Silakan masuk kembali.")
    return fresh
