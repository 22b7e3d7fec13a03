"""The people the tests sign in as, and the ways they sign in.

``CAST`` is the standard cast, one person per role, in Con Cuông: the unit of Môn Sơn and two
other units, the communes' and the district's reviewers, the steering committee, an
inspector, a viewer and an administrator. A module picks those it needs with ``cast(...)``,
in the order their accounts are made (ids follow it), and adds its own special people.
"""

from __future__ import annotations

PASSWORD = "mat-khau-thu-nghiem"
# The key both services sign with in every test: long enough for production mode (32+ bytes).
SECRET_KEY = "test-secret-of-the-test-run-at-least-32-bytes"
DISTRICT = "con-cuong"

CAST: dict[str, tuple[str, str, str]] = {  # username -> (name, role, scope)
    "donvi": ("Lô Thị Hoa", "submitter", "mon-son"),  # Hội LHPN xã Môn Sơn
    "donvi2": ("Vi Văn Tâm", "submitter", "chau-khe"),
    "donvi3": ("Lang Văn Phúc", "submitter", "mon-son"),
    "xa": ("Lương Văn Thắng", "commune_reviewer", "mon-son"),
    "xa2": ("Kha Thị Lan", "commune_reviewer", "chau-khe"),
    "huyen": ("Ngân Thị Mai", "district_reviewer", DISTRICT),
    "chutich": ("Lương Thị Ngọc", "committee_chair", DISTRICT),
    "bcd": ("Moong Văn Bình", "committee_member", DISTRICT),
    "bcd2": ("Vi Thị Thu", "committee_member", DISTRICT),
    "kiemtra": ("Kha Văn Kiểm", "inspector", DISTRICT),
    "lanhdao": ("Lương Thị Ngọc", "viewer", DISTRICT),
    "quantri": ("Hà Văn Quản", "admin", DISTRICT),
    "admin": ("Quản Trị Viên", "admin", DISTRICT),
}


def cast(*usernames: str, **others: tuple[str, str, str]) -> dict[str, tuple[str, str, str]]:
    """The named members of ``CAST`` in that order, then ``others`` (username=(name, role, scope))."""
    return {username: CAST[username] for username in usernames} | others


def add_people(sessions, people: dict[str, tuple[str, str, str]]) -> dict:
    """Create an account for each of ``people``, in order; returns username -> ``User``."""
    from intake_service.accounts import services as accounts

    with sessions() as db:
        users = {username: accounts.create_user(db, username, name, PASSWORD, role, scope)
                 for username, (name, role, scope) in people.items()}
        db.commit()
    return users


def sign_in(client, username: str, password: str = PASSWORD):
    """Send intake's sign-in form as ``username``; the response."""
    from tests.support.web import csrf

    token = csrf(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"csrf_token": token, "username": username,
                                       "password": password})


def browser(intake_app, username: str, lang: str | None = None):
    """A client of intake, signed in through its form as ``username`` (in ``lang`` if given)."""
    client = intake_app.test_client()
    if lang:
        client.set_cookie("lang", lang)
    response = sign_in(client, username)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def carried(intake_client, app, lang: str | None = None):
    """A client of ``app`` holding the session cookie intake gave ``intake_client``: both
    services honour it, as they share the host and the secret."""
    client = app.test_client()
    client.set_cookie("dvk_session", intake_client.get_cookie("dvk_session").value)
    if lang:
        client.set_cookie("lang", lang)
    return client


def at_review(apps, username: str, lang: str | None = None):
    """A client of review (``apps`` = (intake, review)) for ``username``, signed in at intake."""
    intake, review = apps
    return carried(browser(intake, username), review, lang)


def bearer(intake_app, username: str, secret: str = SECRET_KEY) -> dict:
    """An API token for ``username`` as the account page issues it, as request headers."""
    from sqlalchemy import select

    from intake_service.accounts import services as accounts
    from intake_service.accounts.tables import User
    from shared import tokens

    with intake_app.extensions["intake"].sessions() as db:
        user = db.scalar(select(User).where(User.username == username))
        token = tokens.issue(secret, accounts.identity_of(user))
    return {"Authorization": f"Bearer {token}"}
