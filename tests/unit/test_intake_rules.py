"""Intake's rules for a submission's life and for Vietnamese text."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intake_service.submissions.domain import (
    Status,
    check_editable,
    check_submittable,
    check_withdrawable,
    is_news,
    status_after_review,
)
from shared.errors import InvalidTransition
from shared.text import normalise, search_key


@pytest.mark.parametrize("status", [Status.DRAFT, Status.RETURNED])
def test_drafts_and_returned_submissions_can_be_edited_and_submitted(status):
    check_editable(status)
    check_submittable(status)


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.IN_REVIEW, Status.APPROVED,
                                    Status.REJECTED, Status.WITHDRAWN])
def test_anything_already_sent_or_decided_cannot_be_submitted_again(status):
    with pytest.raises(InvalidTransition):
        check_submittable(status)


@pytest.mark.parametrize("status", [Status.APPROVED, Status.REJECTED, Status.WITHDRAWN])
def test_a_final_decision_cannot_be_withdrawn(status):
    with pytest.raises(InvalidTransition):
        check_withdrawable(status)


def test_review_news_older_than_what_intake_shows_is_ignored():
    assert is_news(mirrored_version=3, event_version=4)
    assert not is_news(mirrored_version=4, event_version=4)
    assert not is_news(mirrored_version=4, event_version=2)


def test_a_withdrawn_submission_stays_withdrawn_whatever_review_says_late():
    assert status_after_review("approved", Status.WITHDRAWN) == Status.WITHDRAWN
    assert status_after_review("returned", Status.IN_REVIEW) == Status.RETURNED


def test_names_typed_on_different_keyboards_compare_equal():
    composed = "Hội LHPN xã Môn Sơn vận động hiến đất"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert normalise(decomposed) == composed
    shouted = "HOI LHPN XA MON SON VAN DONG HIEN DAT"
    assert search_key(decomposed) == search_key(composed) == search_key(shouted)


def test_d_with_stroke_matches_plain_d():
    assert search_key("Đường giao thông nông thôn") == "duong giao thong nong thon"


@given(st.text())
def test_the_search_key_does_not_depend_on_the_unicode_form(text):
    assert search_key(unicodedata.normalize("NFD", text)) == search_key(
        unicodedata.normalize("NFC", text))
