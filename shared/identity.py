"""Who is signed in: the identity both services read from the shared signed session.

The intake service owns users and signs people in; it writes this identity
into a session cookie signed with the shared ``SECRET_KEY``. The review service
verifies the same cookie, so one sign-in serves both without a shared table.

"Sign out everywhere" cannot recall cookies and tokens already handed out, so
each carries the user's sign-out ``epoch`` from when it was issued. Signing out
everywhere (or changing the password) raises the user's epoch; each service
then refuses a credential from an earlier epoch (``still_valid``). Intake keeps
the epoch on the user; review learns it from an event (docs/directory.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

ROLES = (
    "submitter",
    "commune_reviewer",
    "district_reviewer",
    "committee_member",
    "committee_chair",
    "province_reviewer",  # two-level government, from 1 July 2025: commune → province
    "inspector",
    "viewer",
    "admin",
)

# Which reviewer role works each stage of a chain.
STAGE_ROLES = {
    "commune": ("commune_reviewer",),
    "district": ("district_reviewer",),
    "committee": ("committee_member", "committee_chair"),
    "province": ("province_reviewer",),
}


@dataclass(frozen=True)
class Identity:
    id: int
    name: str
    role: str
    scope: str  # org unit code: a commune for submitters and commune reviewers, else the district
    epoch: int = 0  # the user's sign-out epoch when this session or token was issued

    def to_session(self) -> dict:
        return asdict(self)

    @classmethod
    def from_session(cls, data) -> Identity | None:
        try:
            return cls(id=int(data["id"]), name=data["name"], role=data["role"], scope=data["scope"],
                       epoch=int(data.get("epoch", 0)))  # issued before epochs existed: 0
        except (AttributeError, KeyError, TypeError, ValueError):
            return None

    def works_stage(self, stage: str) -> bool:
        return self.role in STAGE_ROLES.get(stage, ()) or self.role == "admin"


def still_valid(identity: Identity, current_epoch: int) -> bool:
    """A session or token stands unless the user signed out everywhere after it was issued."""
    return identity.epoch >= current_epoch
