"""Users and passwords: creating accounts, signing in, throttling failures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from intake_service.models import User
from shared.identity import Identity

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=5)


class TooManyAttempts(Exception):
    """Sign-in is paused for this account after repeated failures."""


def identity_of(user: User) -> Identity:
    return Identity(id=user.id, name=user.name, role=user.role, scope=user.scope)


def create_user(session: Session, username: str, name: str, password: str, role: str,
                scope: str) -> User:
    user = User(username=username, name=name, password_hash=generate_password_hash(password),
                role=role, scope=scope, failed_logins=0)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> Identity | None:
    """Check a password; after repeated failures the account pauses for a few minutes."""
    user = session.scalar(select(User).where(User.username == username.strip()))
    now = datetime.now(UTC)
    if user is None:
        return None
    if user.locked_until and user.locked_until > now:
        raise TooManyAttempts()
    if not check_password_hash(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILURES:
            user.locked_until, user.failed_logins = now + LOCKOUT, 0
        session.commit()
        return None
    user.failed_logins, user.locked_until = 0, None
    session.commit()
    return identity_of(user)
