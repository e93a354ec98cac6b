"""Users, roles and the secrets that prove them: passwords (argon2id), API tokens and session ids
(random, stored as SHA-256), CSRF tokens, and the login rate limit.

Roles are ordered: a viewer reads, a checker also spot-checks, an admin also manages users.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Engine

from zwgk.console import tables as t

ROLES = ("viewer", "checker", "admin")
SESSION_HOURS = 12
# Login rate limit: this many failed attempts for one user name, or (more, since an office may
# sit behind one address) from one client address, within the window, and further attempts are
# refused unseen until the window has passed.
MAX_FAILED_LOGINS = 5
MAX_FAILED_LOGINS_PER_CLIENT = 20
LOGIN_WINDOW = timedelta(minutes=15)
_hasher = PasswordHasher()
# Verified against when the user does not exist, so a wrong name costs the same time as a
# wrong password (no user enumeration by timing).
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class AccountError(ValueError):
    """A user-management request that cannot be done (unknown user, bad role, ...)."""


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str

    def can(self, role: str) -> bool:
        """At least ``role``: viewer < checker < admin."""
        return ROLES.index(self.role) >= ROLES.index(role)


@dataclass(frozen=True)
class Session:
    user: User
    csrf: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _user(row) -> User:  # noqa: ANN001 - a SQLAlchemy row
    return User(int(row.id), row.name, row.role)


class Accounts:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # --- users -------------------------------------------------------------------------------

    def add_user(self, name: str, role: str, password: str) -> User:
        name = name.strip()
        if not name or len(name) > 100 or any(ch.isspace() for ch in name):
            raise AccountError(f"user name {name!r}: 1-100 characters, no spaces")
        if role not in ROLES:
            raise AccountError(f"role {role!r}: one of {', '.join(ROLES)}")
        if len(password) < 8:
            raise AccountError("password: at least 8 characters")
        with self.engine.begin() as c:
            if c.execute(sa.select(t.users.c.id).where(t.users.c.name == name)).first():
                raise AccountError(f"user {name!r} exists already")
            uid = c.execute(t.users.insert().values(
                name=name, role=role, password_hash=_hasher.hash(password), active=True,
                created_at=t.now())).inserted_primary_key[0]
        return User(int(uid), name, role)

    def users(self) -> list[dict]:
        with self.engine.connect() as c:
            rows = c.execute(sa.select(t.users.c.id, t.users.c.name, t.users.c.role,
                                       t.users.c.active, t.users.c.created_at)
                             .order_by(t.users.c.name)).all()
        return [dict(r._mapping) for r in rows]

    def set_role(self, name: str, role: str) -> None:
        if role not in ROLES:
            raise AccountError(f"role {role!r}: one of {', '.join(ROLES)}")
        self._update(name, role=role)

    def deactivate(self, name: str) -> None:
        """The user can no longer log in; their sessions and tokens stop working at once."""
        uid = self._update(name, active=False)
        with self.engine.begin() as c:
            c.execute(t.sessions.delete().where(t.sessions.c.user_id == uid))
            c.execute(t.tokens.delete().where(t.tokens.c.user_id == uid))

    def _update(self, name: str, **values) -> int:
        with self.engine.begin() as c:
            row = c.execute(sa.select(t.users.c.id).where(t.users.c.name == name)).first()
            if row is None:
                raise AccountError(f"no user {name!r}")
            c.execute(t.users.update().where(t.users.c.id == row.id).values(**values))
            return int(row.id)

    def new_token(self, name: str) -> str:
        """A new API token for the user, printed once; only its hash is kept."""
        token = "zwgk_" + secrets.token_urlsafe(32)
        with self.engine.begin() as c:
            row = c.execute(sa.select(t.users.c.id).where(t.users.c.name == name,
                                                          t.users.c.active.is_(True))).first()
            if row is None:
                raise AccountError(f"no active user {name!r}")
            c.execute(t.tokens.insert().values(user_id=row.id, token_hash=_digest(token),
                                               created_at=t.now()))
        return token

    def user_for_token(self, token: str) -> User | None:
        if not token:
            return None
        with self.engine.begin() as c:
            row = c.execute(sa.select(t.users, t.tokens.c.id.label("token_id"))
                            .join(t.tokens, t.tokens.c.user_id == t.users.c.id)
                            .where(t.tokens.c.token_hash == _digest(token),
                                   t.users.c.active.is_(True))).first()
            if row is None:
                return None
            c.execute(t.tokens.update().where(t.tokens.c.id == row.token_id)
                      .values(last_used_at=t.now()))
        return _user(row)

    # --- logins and sessions -----------------------------------------------------------------

    def login_blocked(self, name: str, client: str) -> bool:
        since = (datetime.now(timezone.utc) - LOGIN_WINDOW).isoformat(timespec="seconds")
        la = t.login_attempts
        with self.engine.connect() as c:
            for column, value, limit in ((la.c.name, name, MAX_FAILED_LOGINS),
                                         (la.c.client, client, MAX_FAILED_LOGINS_PER_CLIENT)):
                failed = c.execute(sa.select(sa.func.count()).select_from(la).where(
                    column == value, la.c.ok.is_(False), la.c.at >= since)).scalar_one()
                if failed >= limit:
                    return True
        return False

    def authenticate(self, name: str, password: str, client: str) -> User | None:
        """Check a password and log the attempt (the rate limit counts the failures)."""
        with self.engine.connect() as c:
            row = c.execute(sa.select(t.users).where(t.users.c.name == name,
                                                     t.users.c.active.is_(True))).first()
        ok = False
        try:
            ok = _hasher.verify(row.password_hash if row else _DUMMY_HASH, password) and row is not None
        except (VerificationError, InvalidHashError):
            ok = False
        with self.engine.begin() as c:
            c.execute(t.login_attempts.insert().values(name=name[:100], client=client[:64], ok=ok,
                                                       at=t.now()))
            # Housekeeping on the way: attempts older than a day and expired sessions go.
            day_ago = (datetime.now(timezone.utc) - timedelta(days=1)).isoformat(timespec="seconds")
            c.execute(t.login_attempts.delete().where(t.login_attempts.c.at < day_ago))
            c.execute(t.sessions.delete().where(t.sessions.c.expires_at <= t.now()))
        return _user(row) if ok and row is not None else None

    def open_session(self, user: User) -> tuple[str, Session]:
        """A new session: (the cookie value, the session with its CSRF token)."""
        sid, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        expires = datetime.now(timezone.utc) + timedelta(hours=SESSION_HOURS)
        with self.engine.begin() as c:
            c.execute(t.sessions.insert().values(
                id_hash=_digest(sid), user_id=user.id, csrf=csrf, created_at=t.now(),
                expires_at=expires.isoformat(timespec="seconds")))
        return sid, Session(user, csrf)

    def session(self, sid: str) -> Session | None:
        if not sid:
            return None
        with self.engine.connect() as c:
            row = c.execute(sa.select(t.users, t.sessions.c.csrf)
                            .join(t.sessions, t.sessions.c.user_id == t.users.c.id)
                            .where(t.sessions.c.id_hash == _digest(sid),
                                   t.sessions.c.expires_at > t.now(),
                                   t.users.c.active.is_(True))).first()
        return Session(_user(row), row.csrf) if row else None

    def close_session(self, sid: str) -> None:
        with self.engine.begin() as c:
            c.execute(t.sessions.delete().where(t.sessions.c.id_hash == _digest(sid)))


def same_secret(a: str | None, b: str | None) -> bool:
    """Constant-time comparison of two secrets; a missing one never matches."""
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


__all__ = ["ROLES", "Accounts", "AccountError", "Session", "User", "same_secret"]
