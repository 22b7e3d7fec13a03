"""Signing in with a name nobody has costs as much as a wrong password: the reply's timing does not
tell an attacker which usernames exist."""

from __future__ import annotations

import pytest

from intake_service.accounts import services as accounts

pytestmark = pytest.mark.unit


class NoSuchUser:
    def scalar(self, _query):
        return None


def test_an_unknown_username_still_has_a_password_hash_checked(monkeypatch):
    checked = []
    monkeypatch.setattr(accounts, "check_password_hash",
                        lambda stored, given: checked.append((stored, given)) or False)
    assert accounts.authenticate(NoSuchUser(), "khong-co-ai", "mat-khau-bat-ky") is None
    assert checked == [(accounts._DECOY_HASH, "mat-khau-bat-ky")]
    assert accounts._DECOY_HASH.startswith("scrypt:")  # the same work factor as real passwords
