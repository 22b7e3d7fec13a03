"""Saved queue views: a named filter a reviewer keeps on the server, and may share with the team.

A view is the queue's query string, cleaned to the filter's own keys, so opening it is
following a link. A shared view is offered to colleagues of the same role and area only.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from review_service.saved_views.tables import NAME_LENGTH, SavedView
from shared import clock
from shared.errors import InvalidInput, NotFound
from shared.identity import Identity
from shared.uow import UnitOfWork

FILTER_KEYS = ("stage", "field", "commune", "subject_type", "kind", "overdue", "assignee", "sort",
               "q")


@dataclass(frozen=True)
class SaveView:
    user: Identity
    name: str
    query: str
    shared: bool = False


@dataclass(frozen=True)
class DeleteView:
    user: Identity
    view_id: int


def clean_query(query: str) -> str:
    """Keep only the filter's own, non-empty keys: no page number, nothing else."""
    pairs = [(key, value) for key, value in parse_qsl(query) if key in FILTER_KEYS and value]
    return urlencode(pairs)[:1000]


def save(cmd: SaveView, uow: UnitOfWork) -> SavedView:
    """Keep the current filter under a name."""
    name = " ".join(cmd.name.split())
    if not 0 < len(name) <= NAME_LENGTH:
        raise InvalidInput({"name": ["length"]})
    view = SavedView(owner_id=cmd.user.id, owner_name=cmd.user.name, owner_role=cmd.user.role,
                     scope=cmd.user.scope, name=name, query=clean_query(cmd.query),
                     shared=cmd.shared, created_at=clock.now())
    uow.session.add(view)
    uow.commit()
    return view


def delete(cmd: DeleteView, uow: UnitOfWork) -> None:
    """Delete one of one's own views; a colleague's is not found."""
    view = uow.session.get(SavedView, cmd.view_id)
    if view is None or view.owner_id != cmd.user.id:
        raise NotFound()
    uow.session.delete(view)
    uow.commit()


def visible(session: Session, user: Identity) -> list[SavedView]:
    """One's own views, then colleagues' shared ones of the same role and area, by name."""
    query = select(SavedView).where(or_(
        SavedView.owner_id == user.id,
        (SavedView.shared.is_(True)) & (SavedView.scope == user.scope)
        & (SavedView.owner_role == user.role)))
    views = session.scalars(query.order_by(SavedView.name, SavedView.id))
    return sorted(views, key=lambda view: view.owner_id != user.id)
