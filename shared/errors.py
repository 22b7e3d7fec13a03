"""Domain exceptions. Each maps to one HTTP status and one translated message, in one place."""

from __future__ import annotations


class DomainError(Exception):
    """Base of the errors a user can cause and be told about."""


class NotFound(DomainError):
    """The thing asked for does not exist, or is not visible to this user."""


class NotPermitted(DomainError):
    """The user's role or org scope does not allow this."""


class InvalidTransition(DomainError):
    """The action does not apply to the item in its current state."""


class StaleDecision(DomainError):
    """Someone else decided the item first."""


class InvalidInput(DomainError):
    """Submitted fields failed validation; ``errors`` maps each field to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors
