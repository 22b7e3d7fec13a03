"""Deadlines as units live them: on time, late, missing, not yet due; and who is reminded when."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from intake_service.periods import config
from intake_service.periods.domain import (
    DueStatus,
    Schedule,
    current_milestone,
    due_status,
    local_date,
    milestones,
    outstanding_items,
    period_problems,
    plan_reminders,
)

OPENS, DEADLINE = date(2024, 1, 2), date(2024, 6, 10)
SCHEDULE = Schedule(before=(7, 1), after=(1, 7))


@pytest.mark.parametrize(("submitted_on", "today", "expected"), [
    (date(2024, 6, 1), date(2024, 6, 5), DueStatus.ON_TIME),
    (date(2024, 6, 10), date(2024, 6, 20), DueStatus.ON_TIME),  # on the deadline day is on time
    (date(2024, 6, 11), date(2024, 6, 20), DueStatus.LATE),
    (None, date(2024, 6, 10), DueStatus.PENDING),  # the deadline day is not over yet
    (None, date(2024, 6, 11), DueStatus.MISSING),
])
def test_due_status(submitted_on, today, expected):
    assert due_status(DEADLINE, submitted_on, today) == expected


def test_a_late_evening_submission_counts_on_the_vietnamese_day():
    # 23:30 in Hà Nội on the deadline day is 16:30 UTC: on time.
    assert local_date(datetime(2024, 6, 10, 16, 30, tzinfo=UTC)) == DEADLINE
    assert local_date(datetime(2024, 6, 10, 17, 30, tzinfo=UTC)) == date(2024, 6, 11)


def test_a_deadline_before_the_opening_day_is_a_problem_and_the_same_day_is_not():
    assert period_problems(date(2024, 6, 10), date(2024, 6, 9)) == ["deadline_before_opening"]
    assert period_problems(DEADLINE, DEADLINE) == []


def test_reminder_days_fall_before_and_after_the_deadline_but_never_before_opening():
    assert [(m.key, m.on) for m in milestones(OPENS, DEADLINE, SCHEDULE)] == [
        ("before-7", date(2024, 6, 3)), ("before-1", date(2024, 6, 9)),
        ("after-1", date(2024, 6, 11)), ("after-7", date(2024, 6, 17))]
    assert [m.key for m in milestones(date(2024, 6, 5), DEADLINE, SCHEDULE)] == [
        "before-1", "after-1", "after-7"]


@pytest.mark.parametrize(("today", "expected"), [
    (date(2024, 6, 2), None),           # too early
    (date(2024, 6, 3), "before-7"),
    (date(2024, 6, 5), "before-7"),     # a day the job missed is caught up
    (date(2024, 6, 9), "before-1"),
    (date(2024, 6, 10), "before-1"),    # deadline day
    (date(2024, 6, 11), "after-1"),
    (date(2024, 6, 16), "after-1"),
    (date(2024, 6, 17), "after-7"),
    (date(2024, 9, 1), "after-7"),      # the last reminder is given once, then nothing new
])
def test_which_reminder_applies_on_a_day(today, expected):
    milestone = current_milestone(OPENS, DEADLINE, today, SCHEDULE)
    assert (milestone.key if milestone else None) == expected


def test_no_before_reminder_is_sent_once_the_deadline_has_passed():
    late_only = Schedule(before=(3,), after=(5,))
    assert current_milestone(OPENS, DEADLINE, date(2024, 6, 12), late_only) is None


def test_only_units_that_still_owe_something_and_were_not_reminded_yet_are_reminded():
    milestone = current_milestone(OPENS, DEADLINE, date(2024, 6, 11), SCHEDULE)
    owed = {1: ["registrations"], 2: [], 3: ["registrations", "reports"]}
    assert plan_reminders(milestone, owed, set()) == {1: ["registrations"],
                                                      3: ["registrations", "reports"]}
    assert plan_reminders(milestone, owed, {(1, "after-1")}) == {3: ["registrations", "reports"]}
    assert plan_reminders(milestone, owed, {(1, "before-1"), (3, "before-7")}) == {
        1: ["registrations"], 3: ["registrations", "reports"]}


def test_nothing_is_planned_on_a_day_without_a_reminder():
    assert plan_reminders(None, {1: ["reports"]}, set()) == {}


def test_what_a_unit_still_owes():
    assert outstanding_items({"registrations": DueStatus.LATE, "reports": DueStatus.MISSING,
                              "other": DueStatus.PENDING}) == ["other", "reports"]


def test_kinds_and_reminder_days_come_from_the_environment_with_defaults():
    assert config.from_env({}).kinds == ("H1", "FY")
    assert config.from_env({}).smtp is None
    custom = config.from_env({"DVK_PERIOD_KINDS": "H1, FY, Q3", "DVK_REMIND_DAYS_BEFORE": "3",
                              "DVK_REMIND_DAYS_AFTER": "", "SMTP_HOST": "mail.example.vn"})
    assert custom.kinds == ("H1", "FY", "Q3")
    assert custom.schedule == Schedule(before=(3,), after=())
    assert custom.smtp.host == "mail.example.vn" and custom.smtp.port == 587
