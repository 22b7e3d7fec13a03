"""API tokens both services accept: the identity, signed with the shared secret.

Signed rather than looked up, so the review service can verify a token issued
by intake without reading intake's database.
"""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

from shared.identity import Identity

SALT = "dvk-api-token"


def issue(secret_key: str, identity: Identity) -> str:
    return URLSafeSerializer(secret_key, salt=SALT).dumps(identity.to_session())


def verify(secret_key: str, token: str) -> Identity | None:
    try:
        data = URLSafeSerializer(secret_key, salt=SALT).loads(token)
    except BadSignature:
        return None
    return Identity.from_session(data)
