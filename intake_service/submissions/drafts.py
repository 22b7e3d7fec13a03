"""Half-filled forms kept on the server as the user types, so a dropped connection loses nothing.

The browser keeps its own copy too (``app.js``) until the server has it; the
server's copy survives a change of phone. A draft is per user and per form,
and is discarded once the form itself is saved.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from intake_service.submissions.tables import FormDraft
from shared import clock
from shared.identity import Identity
from shared.text import normalise

MAX_FIELD_CHARS = 5000


def _clean(values: dict, fields: frozenset[str]) -> dict[str, str]:
    """Keep only the form's own fields, as composed text of bounded length."""
    return {name: normalise(str(value))[:MAX_FIELD_CHARS]
            for name, value in values.items() if name in fields}


def autosave(session: Session, user: Identity, form_key: str, values: dict,
             fields: frozenset[str]) -> datetime:
    """Store what the user has typed so far; return when it was saved."""
    draft = session.scalar(select(FormDraft).where(FormDraft.user_id == user.id,
                                                   FormDraft.form_key == form_key))
    if draft is None:
        draft = FormDraft(user_id=user.id, form_key=form_key)
        session.add(draft)
    draft.values = json.dumps(_clean(values, fields), ensure_ascii=False)
    draft.updated_at = clock.now()
    session.commit()
    return draft.updated_at


def load(session: Session, user: Identity, form_key: str) -> dict[str, str]:
    draft = session.scalar(select(FormDraft).where(FormDraft.user_id == user.id,
                                                   FormDraft.form_key == form_key))
    return json.loads(draft.values) if draft else {}


def discard(session: Session, user: Identity, form_key: str) -> None:
    session.execute(delete(FormDraft).where(FormDraft.user_id == user.id,
                                            FormDraft.form_key == form_key))
    session.commit()
