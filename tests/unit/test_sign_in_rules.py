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
    assert method_of(accounts._DECOY_HASH) == method_of(accounts._hash("x"))  # the same work factor


def method_of(stored: str) -> str:
    return stored.split("$", 1)[0]


@pytest.fixture
def default_method():
    """Passwords hashed as the services hash them (the tests' harness makes them cheap)."""
    used = accounts._PASSWORD_METHOD
    accounts.use_password_method(None)
    yield
    accounts.use_password_method(used)


def test_the_services_hash_passwords_and_the_decoy_with_scrypt(default_method):
    assert method_of(accounts._hash("mat-khau-bat-ky")).startswith("scrypt:")
    assert method_of(accounts._DECOY_HASH) == method_of(accounts._hash("mat-khau-bat-ky"))
