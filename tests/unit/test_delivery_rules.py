"""What a consumer makes of a failure: the database going away is waited out, never counted;
a handler's own failure, or a handling its process never finished, counts against the message."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest
import redis
from psycopg import errors as pg
from sqlalchemy import exc as sa

from shared import delivery


class RefusedByRule(Exception):
    """A domain rule the event breaks."""


def wrapped(driver_error: Exception, wrapper=sa.OperationalError, **kwargs) -> Exception:
    """The driver error as SQLAlchemy raises it to a handler."""
    return wrapper("INSERT INTO inbox ...", {}, driver_error, **kwargs)


def raised_from(cause: Exception) -> Exception:
    try:
        try:
            raise cause
        except Exception as error:
            raise RefusedByRule("the handler gave up") from error
    except RefusedByRule as outer:
        return outer


INFRASTRUCTURE = [
    pytest.param(wrapped(psycopg.OperationalError("connection refused")), id="postgres-down"),
    pytest.param(wrapped(pg.AdminShutdown("terminating connection due to administrator "
                                          "command")), id="postgres-restarting"),
    pytest.param(wrapped(pg.CannotConnectNow("the database system is starting up")),
                 id="postgres-starting"),
    pytest.param(wrapped(psycopg.OperationalError("server closed the connection unexpectedly"),
                         connection_invalidated=True), id="connection-invalidated"),
    pytest.param(wrapped(psycopg.InterfaceError("the connection is closed"), sa.InterfaceError),
                 id="connection-closed"),
    pytest.param(wrapped(pg.SerializationFailure("could not serialize access")),
                 id="serialization-failure"),
    pytest.param(wrapped(pg.DeadlockDetected("deadlock detected")), id="deadlock"),
    pytest.param(wrapped(pg.LockNotAvailable("canceling statement due to lock timeout")),
                 id="lock-timeout"),
    pytest.param(wrapped(pg.QueryCanceled("canceling statement due to statement timeout")),
                 id="statement-timeout"),
    pytest.param(wrapped(pg.TooManyConnections("sorry, too many clients already")),
                 id="too-many-connections"),
    pytest.param(wrapped(sqlite3.OperationalError("database is locked")), id="sqlite-locked"),
    pytest.param(sa.TimeoutError("QueuePool limit of size 10 overflow 10 reached"),
                 id="pool-exhausted"),
    pytest.param(ConnectionRefusedError(111, "Connection refused"), id="connection-refused"),
    pytest.param(ConnectionResetError(104, "Connection reset by peer"), id="connection-reset"),
    pytest.param(redis.ConnectionError("Error 111 connecting to localhost:6379"), id="redis-down"),
    pytest.param(raised_from(wrapped(pg.AdminShutdown("terminating connection"))),
                 id="raised-from-a-restart"),
]

THE_EVENTS_FAULT = [
    pytest.param(RefusedByRule("a model cannot be reviewed twice"), id="domain-rule"),
    pytest.param(KeyError("commune_code"), id="bug"),
    pytest.param(wrapped(pg.UniqueViolation("duplicate key"), sa.IntegrityError),
                 id="integrity"),
    pytest.param(wrapped(pg.UndefinedTable('relation "review_items" does not exist'),
                         sa.ProgrammingError), id="missing-table"),
    pytest.param(wrapped(pg.NumericValueOutOfRange("integer out of range"), sa.DataError),
                 id="value-out-of-range"),
    pytest.param(wrapped(sqlite3.OperationalError("no such table: review_items")),
                 id="sqlite-missing-table"),
    pytest.param(wrapped(pg.ProgramLimitExceeded("index row size exceeds maximum")),
                 id="value-too-large-for-an-index"),
]


@pytest.mark.parametrize("error", INFRASTRUCTURE)
def test_a_database_or_network_failure_is_waited_out_and_never_counted(error):
    assert delivery.is_infrastructure(error)


@pytest.mark.parametrize("error", THE_EVENTS_FAULT)
def test_a_failure_of_the_handler_or_the_event_counts_against_the_message(error):
    assert not delivery.is_infrastructure(error)


def test_an_exception_raised_while_handling_a_restart_is_still_a_restart():
    try:
        try:
            raise wrapped(pg.AdminShutdown("terminating connection"))
        except sa.OperationalError:
            raise RuntimeError("rollback failed: no connection") from None
    except RuntimeError as during:
        assert during.__context__ is not None
        assert delivery.is_infrastructure(during)


def test_healthy_messages_prefetched_by_a_consumer_that_died_are_not_counted():
    # Prefetched and never started: no unfinished handling, and no failure in the header.
    assert delivery.attempts_spent(retried=0, unfinished=0) == 0
    assert not delivery.is_spent(retried=0, unfinished=0, max_attempts=1)


@pytest.mark.parametrize(("retried", "unfinished", "spent"), [
    (2, 0, False), (3, 0, True),  # the handler failed three times
    (0, 2, False), (0, 3, True),  # the consumer died three times while handling it
    (1, 2, True),  # both, together
])
def test_a_message_is_spent_after_max_attempts_of_its_own(retried, unfinished, spent):
    assert delivery.is_spent(retried, unfinished, max_attempts=3) is spent


def test_the_wait_for_the_database_grows_and_is_bounded():
    waits = [delivery.backoff(pause) for pause in range(1, 12)]
    assert waits == sorted(waits)
    assert waits[0] < waits[3]
    assert max(waits) == delivery.BACKOFF_MAX
