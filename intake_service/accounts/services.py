"""Users and passwords: creating accounts, signing in, API tokens, signing out everywhere.

Repeated failures are slowed by the web layer's throttling (per address, and per account from
an address), never by locking the account, so nobody can keep a user out by failing on purpose.

Signing out everywhere raises the user's ``session_epoch``; every session and
API token carries the epoch it was issued in, and both services refuse older
ones (``shared.identity.still_valid``). Review learns the new epoch from a
``sessions_revoked`` event written to the outbox in the same transaction.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from intake_service.accounts import passwords
from intake_service.accounts.tables import AdminLogEntry, ApiToken, User
from shared import clock, events, tokens
from shared.errors import InvalidInput, NotFound, NotPermitted
from shared.identity import Identity, is_admin
from shared.uow import UnitOfWork

LAST_USE_EVERY = timedelta(minutes=1)  # a token's last use is written at most this often
MIN_PASSWORD, MAX_PASSWORD = 8, 200
PRODUCER = "intake"
_PASSWORD_METHOD: str | None = None  # werkzeug's default (scrypt) unless a test harness says otherwise


def hash_password(password: str) -> str:
    """The stored form of a password (werkzeug's, with the method in force)."""
    return _hash(password)


def _hash(password: str) -> str:
    if _PASSWORD_METHOD is None:
        return generate_password_hash(password)
    return generate_password_hash(password, method=_PASSWORD_METHOD)


_DECOY_HASH = _hash("no user has this password")


def use_password_method(method: str | None) -> None:
    """Hash new passwords, and the decoy, with werkzeug's ``method`` (``None``: its default).

    For test harnesses only, which create accounts by the hundred and have no attacker to
    slow down (they pass e.g. ``"pbkdf2:sha256:1"``); the services never call it. Stored
    hashes name their method, so they are checked however they were made.
    """
    global _PASSWORD_METHOD, _DECOY_HASH
    _PASSWORD_METHOD = method
    _DECOY_HASH = _hash("no user has this password")


@dataclass(frozen=True)
class SignOutEverywhere:
    user: Identity  # who asks
    user_id: int  # whose sessions end: one's own, or (an administrator) anyone's
    correlation_id: str = ""


@dataclass(frozen=True)
class ChangePassword:
    user: Identity
    current: str
    new: str
    correlation_id: str = ""


def identity_of(user: User) -> Identity:
    return Identity(id=user.id, name=user.name, role=user.role, scope=user.scope,
                    epoch=user.session_epoch or 0)


def create_user(session: Session, username: str, name: str, password: str, role: str,
                scope: str, email: str | None = None) -> User:
    user = User(username=username, name=name, password_hash=_hash(password),
                role=role, scope=scope, failed_logins=0, session_epoch=0, email=email)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> Identity | None:
    """Check a password; a disabled account signs in with none. Failures are throttled by the
    web layer (``intake_service.accounts.throttling``), never by locking the account."""
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        check_password_hash(_DECOY_HASH, password)  # as slow as a wrong password: names don't leak
        return None
    if not check_password_hash(user.password_hash, password) or user.disabled:
        return None
    return identity_of(user)


@dataclass(frozen=True)
class CreateToken:
    user: Identity  # who asks
    user_id: int  # whose token: one's own, or (an administrator) anyone's
    name: str
    lifetime: timedelta


@dataclass(frozen=True)
class RevokeToken:
    user: Identity
    token_id: int
    correlation_id: str = ""


def _own_or_admin(asker: Identity, user_id: int) -> None:
    if user_id != asker.id and not is_admin(asker):
        raise NotPermitted()


def create_token(cmd: CreateToken, uow: UnitOfWork, secret_key: str) -> tuple[ApiToken, str]:
    """A new named API token that expires after ``lifetime``: its row and the token, shown once."""
    _own_or_admin(cmd.user, cmd.user_id)
    user = uow.session.get(User, cmd.user_id)
    if user is None:
        raise NotFound()
    name = cmd.name.strip()
    if not name or len(name) > 100:
        raise InvalidInput({"name": ["required" if not name else "too_long"]})
    now = clock.now()
    row = ApiToken(user_id=user.id, name=name, token_hash="", created_at=now,
                   expires_at=now + cmd.lifetime)
    uow.session.add(row)
    uow.session.flush()
    token = tokens.issue(secret_key, identity_of(user), row.id, row.expires_at)
    row.token_hash = tokens.digest(token)
    _log_for_someone_else(uow, cmd.user, user, "token_created", row)
    uow.commit()
    return row, token


def revoke_token(cmd: RevokeToken, uow: UnitOfWork) -> ApiToken:
    """Revoke one token at once, on both services (review hears of it through the outbox)."""
    row = uow.session.get(ApiToken, cmd.token_id)
    if row is None or (row.user_id != cmd.user.id and not is_admin(cmd.user)):
        raise NotFound()
    if row.revoked_at is None:
        row.revoked_at = clock.now()
        uow.emit(events.Event(
            type=events.TOKEN_REVOKED, producer=PRODUCER, aggregate_id=f"token:{row.id}",
            aggregate_version=1, correlation_id=cmd.correlation_id,
            payload={"token_id": row.id, "user_id": row.user_id, "revoked_at": row.revoked_at}))
        _log_for_someone_else(uow, cmd.user, uow.session.get(User, row.user_id), "token_revoked",
                              row)
    uow.commit()
    return row


def _log_for_someone_else(uow: UnitOfWork, asker: Identity, user: User, action: str,
                          row: ApiToken) -> None:
    """An administrator's act on another user's token goes to the administration log."""
    if asker.id != user.id:
        uow.session.add(AdminLogEntry(at=clock.now(), actor_id=asker.id, actor_name=asker.name,
                                      action=action, user_id=user.id, username=user.username,
                                      details={"token": row.name}))


def tokens_of(session: Session, asker: Identity, user_id: int) -> list[ApiToken]:
    """A user's tokens, newest first, revoked ones included (with when)."""
    _own_or_admin(asker, user_id)
    query = select(ApiToken).where(ApiToken.user_id == user_id)
    return list(session.scalars(query.order_by(ApiToken.id.desc())))


def token_usable(session: Session, token_id: int, token: str, now: datetime) -> bool:
    """Whether intake still honours a verified token; notes its use at most once a minute.

    Id 0 is a token no account page made (``tokens.issue`` by a script holding the key, which
    could as well sign a session): it has no row to check.
    """
    if token_id == 0:
        return True
    row = session.get(ApiToken, token_id)
    if row is None or row.revoked_at is not None \
            or not hmac.compare_digest(row.token_hash, tokens.digest(token)):
        return False
    if row.last_used_at is None or now - row.last_used_at >= LAST_USE_EVERY:
        session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
        session.commit()
    return True


def token_lookup(sessions):
    """``(token id, token) -> usable?`` for the API's token check (``shared.web.api``)."""

    def usable(token_id: int, token: str) -> bool:
        with sessions() as db:
            return token_usable(db, token_id, token, clock.now())

    return usable


def must_change_password(session: Session, user_id: int) -> bool:
    """Whether the user signed in with a one-time code and must choose a new password."""
    return bool(session.scalar(select(User.must_change_password).where(User.id == user_id)))


def current_epoch(session: Session, user_id: int) -> int:
    """The user's sign-out epoch; 0 for an id intake does not know (nothing was revoked)."""
    return session.scalar(select(User.session_epoch).where(User.id == user_id)) or 0


def sign_out_everywhere(cmd: SignOutEverywhere, uow: UnitOfWork) -> Identity:
    """End every session and API token of a user, on both services; return the user as now."""
    if cmd.user_id != cmd.user.id and not is_admin(cmd.user):
        raise NotPermitted()
    user = uow.session.get(User, cmd.user_id)
    if user is None:
        raise NotFound()
    reason = "sign_out_everywhere" if cmd.user_id == cmd.user.id else "signed_out_by_admin"
    _revoke(uow, user, reason, cmd.correlation_id)
    uow.commit()
    return identity_of(user)


def change_password(cmd: ChangePassword, uow: UnitOfWork) -> Identity:
    """Set a new password (the current one is required); other sessions and tokens end.

    Returns the identity for a fresh session, so the browser that changed it stays signed in.
    """
    user = uow.session.get(User, cmd.user.id)
    if user is None:
        raise NotFound()
    errors = password_problems(cmd.new)
    if not check_password_hash(user.password_hash, cmd.current):
        errors["current"] = ["wrong_password"]
    if errors:
        raise InvalidInput(errors)
    user.password_hash = _hash(cmd.new)
    user.must_change_password = False
    _revoke(uow, user, "password_changed", cmd.correlation_id)
    uow.commit()
    return identity_of(user)


def password_problems(password: str) -> dict[str, list[str]]:
    """Codes of what is wrong with a new password (the edges turn them into messages)."""
    if len(password) < MIN_PASSWORD:
        return {"new": ["too_short"]}
    if len(password) > MAX_PASSWORD:
        return {"new": ["too_long"]}
    if passwords.common(password):
        return {"new": ["too_common"]}
    return {}


def revoke_sessions(uow: UnitOfWork, user: User, reason: str, correlation_id: str = "") -> None:
    """End every session and token of the user, on both services (the caller commits)."""
    _revoke(uow, user, reason, correlation_id)


def _revoke(uow: UnitOfWork, user: User, reason: str, correlation_id: str) -> None:
    # Incremented in SQL: two sign-outs at once each move the epoch on, neither is lost.
    user.session_epoch = User.session_epoch + 1
    uow.session.flush()
    uow.session.refresh(user, ["session_epoch"])
    uow.emit(events.Event(
        type=events.SESSIONS_REVOKED, producer=PRODUCER, aggregate_id=f"user:{user.id}",
        aggregate_version=user.session_epoch, correlation_id=correlation_id,
        payload={"user_id": user.id, "epoch": user.session_epoch, "reason": reason,
                 "revoked_at": clock.now()}))


def epoch_lookup(sessions):
    """``user id -> current epoch`` for the web app's sign-in check (``shared.web.auth``)."""

    def epoch_of(user_id: int) -> int:
        with sessions() as db:
            return current_epoch(db, user_id)

    return epoch_of
