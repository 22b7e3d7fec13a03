"""An overdue item is reminded once it is due, escalated once the grace time is over, each once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from review_service.queue.config import due_after, stage_due_days
from review_service.queue.deadlines import ESCALATED, NOT_YET, REMINDED, next_step

DUE = datetime(2024, 6, 10, 17, 0, tzinfo=UTC)
GRACE = timedelta(days=3)


@pytest.mark.parametrize(("now", "done", "step"), [
    (DUE - timedelta(minutes=1), NOT_YET, None),  # not yet due
    (DUE, NOT_YET, REMINDED),
    (DUE + timedelta(days=1), REMINDED, None),  # reminded already, grace not over
    (DUE + GRACE, REMINDED, ESCALATED),
    (DUE + GRACE, NOT_YET, ESCALATED),  # the sweep missed the reminder day: straight up
    (DUE + timedelta(days=30), ESCALATED, None),  # escalated once only
])
def test_each_step_comes_once_and_in_order(now, done, step):
    assert next_step(DUE, now, done, GRACE) == step


def test_each_stage_has_its_own_due_time_from_configuration():
    environ = {"DVK_STAGE_DUE_DAYS": "commune=5,committee=14"}
    assert due_after(stage_due_days(environ), "commune") == timedelta(days=5)
    assert due_after(stage_due_days(environ), "committee") == timedelta(days=14)
    assert due_after(stage_due_days(environ), "district") == timedelta(days=7)  # the default
    assert due_after(stage_due_days({}), "district") == timedelta(days=7)
