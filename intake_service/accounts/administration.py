"""Administrators manage accounts: create, disable and re-enable, reset a password, change role
and scope. Every change is a row of the append-only administration log (``AdminLogEntry``).

Sessions and tokens carry the role and scope they were issued with, so disabling an account,
resetting its password or changing its role or scope ends them on both services at once (the
sign-out epoch rises, and review hears of it from the ``sessions_revoked`` event).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select

from intake_service.accounts import services as accounts
from intake_service.accounts.tables import AdminLogEntry, User
from intake_service.directory.tables import OrgUnit
from shared import clock
from shared.errors import InvalidInput, NotFound, NotPermitted
from shared.identity import ROLES, Identity, is_admin, works_in_commune
from shared.uow import UnitOfWork

COMMUNE_LEVELS = ("commune", "township")


@dataclass(frozen=True)
class CreateUser:
    admin: Identity
    username: str
    name: str
    password: str
    role: str
    scope: str
    email: str | None = None


@dataclass(frozen=True)
class SetDisabled:
    admin: Identity
    user_id: int
    disabled: bool


@dataclass(frozen=True)
class ResetPassword:
    admin: Identity
    user_id: int


@dataclass(frozen=True)
class ChangeRole:
    admin: Identity
    user_id: int
    role: str
    scope: str


def _check_admin(admin: Identity) -> None:
    if not is_admin(admin):
        raise NotPermitted()


def _log(uow: UnitOfWork, admin: Identity, action: str, user: User, **details) -> None:
    uow.session.add(AdminLogEntry(at=clock.now(), actor_id=admin.id, actor_name=admin.name,
                                  action=action, user_id=user.id, username=user.username,
                                  details=details or None))


def _role_problems(uow: UnitOfWork, role: str, scope: str) -> dict[str, list[str]]:
    if role not in ROLES:
        return {"role": ["unknown_role"]}
    level = uow.session.scalar(select(OrgUnit.level).where(OrgUnit.code == scope))
    if level is None:
        return {"scope": ["unknown_scope"]}
    if works_in_commune(role) and level not in COMMUNE_LEVELS:
        return {"scope": ["commune_scope"]}
    return {}


def _target(uow: UnitOfWork, admin: Identity, user_id: int) -> User:
    _check_admin(admin)
    user = uow.session.get(User, user_id)
    if user is None:
        raise NotFound()
    return user


def create_user(cmd: CreateUser, uow: UnitOfWork) -> User:
    """A new account with a password the administrator chose (checked like any new password)."""
    _check_admin(cmd.admin)
    username = cmd.username.strip()
    errors = _role_problems(uow, cmd.role, cmd.scope)
    for codes in accounts.password_problems(cmd.password).values():
        errors["password"] = codes
    if not username or len(username) > 80:
        errors["username"] = ["required"]
    elif uow.session.scalar(select(User.id).where(User.username == username)) is not None:
        errors["username"] = ["taken"]
    if not cmd.name.strip():
        errors["name"] = ["required"]
    if errors:
        raise InvalidInput(errors)
    user = accounts.create_user(uow.session, username, cmd.name.strip(), cmd.password, cmd.role,
                                cmd.scope, email=cmd.email or None)
    _log(uow, cmd.admin, "created", user, role=cmd.role, scope=cmd.scope)
    uow.commit()
    return user


def set_disabled(cmd: SetDisabled, uow: UnitOfWork) -> User:
    """Disable an account (its sessions and tokens end at once, it signs in no more) or enable it."""
    user = _target(uow, cmd.admin, cmd.user_id)
    if user.id == cmd.admin.id and cmd.disabled:
        raise InvalidInput({"user": ["yourself"]})
    if user.disabled != cmd.disabled:
        user.disabled = cmd.disabled
        if cmd.disabled:
            accounts.revoke_sessions(uow, user, "signed_out_by_admin")
        _log(uow, cmd.admin, "disabled" if cmd.disabled else "enabled", user)
    uow.commit()
    return user


def reset_password(cmd: ResetPassword, uow: UnitOfWork) -> tuple[User, str]:
    """Replace the password by a one-time code, shown once to the administrator; the user signs
    in with it and must choose a new password. Sessions and tokens of the account end."""
    user = _target(uow, cmd.admin, cmd.user_id)
    code = secrets.token_urlsafe(9)  # 12 characters, never stored: only its hash
    user.password_hash = accounts.hash_password(code)
    user.must_change_password = True
    accounts.revoke_sessions(uow, user, "signed_out_by_admin")
    _log(uow, cmd.admin, "password_reset", user)
    uow.commit()
    return user, code


def change_role(cmd: ChangeRole, uow: UnitOfWork) -> User:
    """Give an account another role or scope; its sessions and tokens, which carry the old
    ones, end."""
    user = _target(uow, cmd.admin, cmd.user_id)
    errors = _role_problems(uow, cmd.role, cmd.scope)
    if errors:
        raise InvalidInput(errors)
    if (user.role, user.scope) != (cmd.role, cmd.scope):
        before = {"role": user.role, "scope": user.scope}
        user.role, user.scope = cmd.role, cmd.scope
        accounts.revoke_sessions(uow, user, "signed_out_by_admin")
        _log(uow, cmd.admin, "role_changed", user, before=before,
             after={"role": cmd.role, "scope": cmd.scope})
    uow.commit()
    return user


def users(session, admin: Identity) -> list[User]:
    _check_admin(admin)
    return list(session.scalars(select(User).order_by(User.username)))


def log(session, admin: Identity, limit: int = 5000) -> list[AdminLogEntry]:
    """The administration log, newest first."""
    _check_admin(admin)
    query = select(AdminLogEntry).order_by(AdminLogEntry.id.desc()).limit(limit)
    return list(session.scalars(query))
