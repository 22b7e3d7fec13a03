"""The audit log as a spreadsheet: who did what to which item, when, from what to what, and why."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from review_service.queue.tables import AuditEntry, ReviewItem
from shared import spreadsheets
from shared.days import VIETNAM
from shared.identity import Identity, reads_commune, reads_district

MAX_ROWS = 200_000  # a district's years of decisions; beyond, narrow the dates


def entries(session: Session, user: Identity, start: date, end: date) -> Iterable[tuple]:
    """Audit rows of the items the user's area covers, between two Vietnamese days (inclusive)."""
    since = datetime.combine(start, time(), VIETNAM)
    until = datetime.combine(end + timedelta(days=1), time(), VIETNAM)
    query = (select(AuditEntry, ReviewItem.title, ReviewItem.commune_name, ReviewItem.kind)
             .join(ReviewItem, ReviewItem.id == AuditEntry.item_id)
             .where(AuditEntry.at >= since, AuditEntry.at < until)
             .order_by(AuditEntry.at, AuditEntry.id).limit(MAX_ROWS))
    if reads_commune(user):
        query = query.where(ReviewItem.commune_code == user.scope)
    elif reads_district(user):
        query = query.where(ReviewItem.district_code == user.scope)
    return session.execute(query).yield_per(2000)


def workbook(rows: Iterable[tuple], headers: list[str]) -> bytes:
    """An XLSX of the rows, streamed (write-only) so a large export stays small in memory."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Audit")
    sheet.append(headers)
    for entry, title, commune, kind in rows:
        sheet.append(spreadsheets.row(sheet, [  # titles, names and comments are people's text
            entry.at.astimezone(VIETNAM).replace(tzinfo=None), entry.item_id, title, kind, commune,
            entry.actor_name, entry.action, entry.from_status, entry.to_status, entry.from_stage,
            entry.to_stage, entry.comment]))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
