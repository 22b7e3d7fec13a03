"""The integration tier's shared setups: the running system, intake's environment, and the
web apps with people signed in.

The apps chain: ``people`` (who has an account: the standard cast, or a module's own
``people`` fixture) -> ``apps`` (both web apps in-process on embedded SQLite) -> ``unit`` (the
Môn Sơn unit signed in at intake) and ``person`` (anyone signed in, at review).
"""

from __future__ import annotations

import contextlib
import functools

import pytest

from shared import embedded
from tests.conftest import ENGINE_KINDS, require_engines
from tests.integration.system import start_system, stop_system
from tests.support.engines import broker_in_use, drop_databases, environment
from tests.support.people import CAST, at_review, browser
from tests.support.web import running_apps


@pytest.fixture(scope="module", params=ENGINE_KINDS)
def system(request, tmp_path_factory):
    """The whole pipeline running on one kind of engines, shared by a module's tests."""
    require_engines(request.param)
    # The real RabbitMQ is shared with the other test processes: none may stop it meanwhile.
    with broker_in_use() if request.param == "real" else contextlib.nullcontext():
        running = start_system(request.param, tmp_path_factory.mktemp(request.param))
        yield running
        stop_system(running)
    if request.node.session.testsfailed:
        print(running.stack.logs())


@pytest.fixture(params=ENGINE_KINDS)
def intake_env(request, tmp_path, monkeypatch):
    """Intake's database migrated (with Con Cuông's directory, its outbox empty as if relayed: no
    relay runs for these tests) on one kind of engines, its variables set in the environment."""
    require_engines(request.param)
    variables = environment(request.param, tmp_path, intake="directory-relayed")
    for key, value in variables.items():
        monkeypatch.setenv(key, value)
    yield variables
    if request.param == "embedded":
        embedded.stop(tmp_path, keep=False)
    drop_databases(variables)


@pytest.fixture
def people() -> dict[str, tuple[str, str, str]]:
    """Who has an account in ``apps``, in the order the accounts are made: the standard cast."""
    return dict(CAST)


@pytest.fixture
def apps(tmp_path, people):
    """(intake, review): both web apps in-process on embedded SQLite, ``people`` able to sign in."""
    with running_apps(tmp_path, people) as both:
        yield both


@pytest.fixture
def unit(apps):
    """A client of intake signed in as the unit of Môn Sơn (``donvi``)."""
    return browser(apps[0], "donvi")


@pytest.fixture
def person(apps):
    """``person(username, lang=None)``: a client of review for ``username``, signed in at intake."""
    return functools.partial(at_review, apps)
