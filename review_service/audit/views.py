"""Exporting the audit log of the items a reviewer's area covers."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _

from review_service.audit import export as audit_export
from review_service.web import review
from shared.days import today_in_vietnam
from shared.identity import REVIEWERS
from shared.web.auth import login_required, require_role

bp = Blueprint("audit", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _day(name: str, default: date) -> date | None:
    text = request.args.get(name, "")
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@bp.get("/audit")
@login_required
def index():
    """Choose the dates of the audit log to download."""
    require_role(*REVIEWERS)  # and administrators
    today = today_in_vietnam()
    return render_template("audit/index.html", start=today - timedelta(days=30), end=today,
                           errors=[])


@bp.get("/audit.xlsx")
@login_required
def export():
    """The audit log of the caller's area between two days, as XLSX."""
    user = require_role(*REVIEWERS)
    today = today_in_vietnam()
    start, end = _day("from", today - timedelta(days=30)), _day("to", today)
    if start is None or end is None or end < start:
        return render_template("audit/index.html", start=today - timedelta(days=30), end=today,
                               errors=[_("Give two dates, the first not after the second.")]), 422
    headers = [_("Time"), _("Item"), _("Model"), _("Kind"), _("Commune"), _("Who"), _("Action"),
               _("From status"), _("To status"), _("From stage"), _("To stage"), _("Comment")]
    with review().sessions() as db:
        content = audit_export.workbook(audit_export.entries(db, user, start, end), headers)
    return Response(content, mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="audit-{start}-{end}.xlsx"'})
