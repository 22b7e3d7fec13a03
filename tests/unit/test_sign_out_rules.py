"""Signing out everywhere: a session or token from before the user's latest sign-out is refused."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from intake_service.directory.domain import Directory, OrgUnitState
from shared import events, tokens
from shared.identity import Identity, still_valid

HOA = Identity(1, "Lô Thị Hoa", "submitter", "mon-son")


@pytest.mark.parametrize(("carried", "current", "valid"), [
    pytest.param(0, 0, True, id="never-signed-out"),
    pytest.param(0, 1, False, id="issued-before-the-sign-out"),
    pytest.param(2, 3, False, id="issued-before-the-latest-of-several"),
    pytest.param(3, 3, True, id="issued-after-the-sign-out"),
    pytest.param(4, 3, True, id="review-has-not-heard-of-the-newest-sign-out-yet"),
])
def test_a_credential_stands_only_if_issued_in_or_after_the_users_current_epoch(carried, current,
                                                                                valid):
    assert still_valid(Identity(1, "Lô Thị Hoa", "submitter", "mon-son", epoch=carried),
                       current) is valid


def test_a_session_written_before_epochs_existed_reads_as_epoch_zero():
    old_cookie = {"id": 1, "name": "Lô Thị Hoa", "role": "submitter", "scope": "mon-son"}
    identity = Identity.from_session(old_cookie)
    assert identity == HOA and identity.epoch == 0
    assert still_valid(identity, 0) and not still_valid(identity, 1)


@pytest.mark.parametrize("broken", [None, [], "x", {"id": 1}, {**HOA.to_session(), "epoch": "x"}])
def test_a_malformed_session_is_no_identity(broken):
    assert Identity.from_session(broken) is None


def test_a_token_carries_the_epoch_it_was_issued_in():
    issued = Identity(1, "Lô Thị Hoa", "submitter", "mon-son", epoch=5)
    assert tokens.verify("secret", tokens.issue("secret", issued)).identity == issued
    assert tokens.verify("another secret", tokens.issue("secret", issued)) is None


def test_a_token_carries_its_id_and_stops_at_its_expiry():
    from datetime import timedelta

    from shared import clock

    issued = Identity(1, "Lô Thị Hoa", "submitter", "mon-son")
    later = clock.now() + timedelta(days=3)
    grant = tokens.verify("secret", tokens.issue("secret", issued, 42, later))
    assert (grant.token_id, int(grant.expires_at.timestamp())) == (42, int(later.timestamp()))
    past = clock.now() - timedelta(seconds=1)
    assert tokens.verify("secret", tokens.issue("secret", issued, 42, past)) is None


def test_the_sessions_revoked_event_carries_the_new_epoch_and_refuses_a_zero_one():
    event = events.Event(type=events.SESSIONS_REVOKED, producer="intake", aggregate_id="user:1",
                         aggregate_version=2, payload={
                             "user_id": 1, "epoch": 2, "reason": "password_changed",
                             "revoked_at": datetime.now(UTC)})
    assert events.decode(events.encode(event)).payload["epoch"] == 2
    with pytest.raises(events.ContractError):
        events.encode(events.Event(**{**event.__dict__, "payload": event.payload | {"epoch": 0}}))
    with pytest.raises(events.ContractError):
        events.encode(events.Event(**{**event.__dict__,
                                      "payload": event.payload | {"reason": "bored"}}))


def test_a_users_area_is_their_unit_everything_below_it_and_the_units_merged_into_it():
    start, merged = date(2024, 1, 1), date(2025, 1, 1)
    tree = Directory([
        OrgUnitState("con-cuong", "Con Cuông", "district", start),
        OrgUnitState("bong-khe", "Bồng Khê", "commune", start, "con-cuong", date(2024, 12, 31),
                     "tra-lan"),
        OrgUnitState("ban-1", "Bản 1", "village", start, "bong-khe"),
        OrgUnitState("tra-lan", "Trà Lân", "township", merged, "con-cuong"),
        OrgUnitState("mon-son", "Môn Sơn", "commune", start, "con-cuong"),
    ])
    assert tree.area("tra-lan") == {"tra-lan", "bong-khe", "ban-1"}
    assert tree.area("mon-son") == {"mon-son"}
    assert tree.area("con-cuong") == set(tree.units)
    assert tree.area("unknown") == {"unknown"}
