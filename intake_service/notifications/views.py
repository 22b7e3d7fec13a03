"""Pages of notifications: the user's list, and marking them read."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from intake_service.notifications import services, texts
from intake_service.web import intake
from shared.web.auth import current_user, login_required

bp = Blueprint("notifications", __name__)


@bp.get("/notifications")
@login_required
def index():
    """List the user's notifications, newest first."""
    with intake().sessions() as db:
        notes = [{"id": n.id, "text": texts.render_notification(n.key, n.params),
                  "at": n.created_at, "read": n.read_at is not None}
                 for n in services.notifications_of(db, current_user())]
    return render_template("notifications/index.html", notes=notes)


@bp.post("/notifications/read")
@login_required
def mark_read():
    """Mark one notification (or all of them) as read."""
    note_id = request.form.get("notification_id", type=int)
    with intake().uow() as uow:
        services.mark_read(services.MarkRead(current_user(), note_id), uow)
    return redirect(url_for("notifications.index"))
