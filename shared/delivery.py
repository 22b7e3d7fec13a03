"""What a failed delivery means: the rules a consumer follows, free of the broker and the database.

A handler can fail because of the event (a bug, a rule the event breaks) or because of what it
runs on: the database restarting, a connection dropped, a lock not granted in time, a
transaction that lost a race. The first kind is counted against the message and ends in the
dead-letter queue after ``DVK_MAX_ATTEMPTS``; the second is nobody's fault, so the message is
put back uncounted and the consumer waits, backing off, until the database answers again.

Exceptions are recognised by what they carry (an SQLSTATE, SQLite's error name, SQLAlchemy's
``connection_invalidated``, the wrapped driver error) rather than by importing the drivers.
"""

from __future__ import annotations

from collections.abc import Iterator

# SQLSTATE classes and codes of a server that is going away or a transaction worth running again.
_TRANSIENT_CLASSES = ("08", "53", "58")  # connection exception, insufficient resources, system error
_TRANSIENT_CODES = frozenset({
    "40001",  # serialization_failure
    "40P01",  # deadlock_detected
    "55P03",  # lock_not_available (lock_timeout)
    "57014",  # query_canceled (statement_timeout)
    "57P01",  # admin_shutdown: the server is stopping or restarting
    "57P02",  # crash_shutdown
    "57P03",  # cannot_connect_now: the server is starting
    "57P05",  # idle_session_timeout
})
_SQLITE_TRANSIENT = ("SQLITE_BUSY", "SQLITE_LOCKED")
# Driver classes whose instances without an SQLSTATE are failures to reach or keep the server.
_CONNECTION_CLASS_NAMES = frozenset({
    "OperationalError", "InterfaceError", "ConnectionError", "TimeoutError", "DisconnectionError",
})
BACKOFF_FIRST, BACKOFF_MAX = 0.5, 2.0


def is_infrastructure(error: BaseException) -> bool:
    """True if the error (or one it was raised from) is a failure of the database or network."""
    return any(_transient(cause) for cause in _causes(error))


def attempts_spent(retried: int, unfinished: int) -> int:
    """Deliveries counted against a message: its handler's failures (``retried``, carried in a
    header) plus handlings that began and never ended (``unfinished``: the process died)."""
    return max(retried, 0) + max(unfinished, 0)


def is_spent(retried: int, unfinished: int, max_attempts: int) -> bool:
    """True once a message has had all its attempts and goes to the dead-letter queue."""
    return attempts_spent(retried, unfinished) >= max_attempts


def backoff(pause: int) -> float:
    """Seconds to wait before the ``pause``-th try (1, 2, ...) at reaching the database again."""
    return min(BACKOFF_FIRST * 2 ** (max(pause, 1) - 1), BACKOFF_MAX)


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error, the driver error it wraps (``orig``), and what it was raised from or during."""
    pending, seen = [error], set()
    while pending and len(seen) < 20:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for linked in (getattr(current, "orig", None), current.__cause__, current.__context__):
            if isinstance(linked, BaseException):
                pending.append(linked)


def _transient(error: BaseException) -> bool:
    if getattr(error, "connection_invalidated", False) is True:
        return True
    if isinstance(error, ConnectionError | TimeoutError):  # refused, reset, broken pipe, timed out
        return True
    if isinstance(getattr(error, "orig", None), BaseException):
        return False  # a wrapper (SQLAlchemy's): the driver error it wraps decides
    if type(error).__module__ == "sqlite3":
        return _sqlite_busy(error)
    code = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
    if isinstance(code, str) and code:
        return code in _TRANSIENT_CODES or code.startswith(_TRANSIENT_CLASSES)
    return any(cls.__name__ in _CONNECTION_CLASS_NAMES for cls in type(error).__mro__)


def _sqlite_busy(error: BaseException) -> bool:
    name = getattr(error, "sqlite_errorname", "") or ""
    return name.startswith(_SQLITE_TRANSIENT) or "database is locked" in str(error)
