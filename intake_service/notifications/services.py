"""Handlers of notifications: leave a user one, list a user's, mark them read.

Queries that only read take a session.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake_service.notifications.tables import Notification
from shared import clock
from shared.identity import Identity
from shared.uow import UnitOfWork


@dataclass(frozen=True)
class MarkRead:
    user: Identity
    notification_id: int | None = None  # None: all of the user's notifications


def tell(uow: UnitOfWork, user_id: int, key: str, params: dict) -> Notification:
    """Leave a user an in-app notification, in the unit of work's transaction; return it."""
    note = Notification(user_id=user_id, key=key, params=params)
    uow.session.add(note)
    return note


def notifications_of(session: Session, user: Identity, limit: int = 100) -> list[Notification]:
    query = (select(Notification).where(Notification.user_id == user.id)
             .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit))
    return list(session.scalars(query))


def mark_read(cmd: MarkRead, uow: UnitOfWork) -> int:
    """Mark one of the user's notifications (or all of them) as read; return how many changed."""
    query = select(Notification).where(Notification.user_id == cmd.user.id,
                                       Notification.read_at.is_(None))
    if cmd.notification_id is not None:
        query = query.where(Notification.id == cmd.notification_id)
    notes = list(uow.session.scalars(query))
    for note in notes:
        note.read_at = clock.now()
    uow.commit()
    return len(notes)
