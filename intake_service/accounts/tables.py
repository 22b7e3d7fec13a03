"""Tables of accounts: users, their roles and scopes, their sign-out epochs and API tokens, and the
append-only log of what administrators did to accounts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from intake_service.tables import Base
from shared.db import UTCDateTime


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(40))
    scope: Mapped[str] = mapped_column(String(80))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)  # no longer set: throttling
    # Raised by "sign out everywhere" and a password change: older sessions and tokens stop working.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    email: Mapped[str | None] = mapped_column(String(254))  # for reminder emails (migration 0004)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # A password an administrator reset: the user must choose a new one after signing in with it.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class ApiToken(Base):
    """One API token: named, expiring, revocable one by one; only a hash of it is kept."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AdminLogEntry(Base):
    """What an administrator did to an account; rows are only ever added."""

    __tablename__ = "admin_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor_id: Mapped[int] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(80))
    details: Mapped[dict | None] = mapped_column(JSON)
