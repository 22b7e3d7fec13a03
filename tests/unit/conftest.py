"""The unit tier does no I/O: no database, socket, subprocess or temporary folder.

A rule that needs one of those is tested in ``tests/integration``. Reading the files the
project ships (the translation catalogues, the fonts, the sources) is allowed.
"""

from __future__ import annotations

import socket
import sqlite3
import subprocess

import psycopg
import pytest


def _refuse(what: str):
    def refused(*_args, **_kwargs):
        raise AssertionError(f"a unit test must not {what}: move it to tests/integration")
    return refused


@pytest.fixture(autouse=True)
def no_io(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", _refuse("open a network connection"))
    monkeypatch.setattr(socket.socket, "connect_ex", _refuse("open a network connection"))
    monkeypatch.setattr(sqlite3, "connect", _refuse("open a SQLite database"))
    monkeypatch.setattr(psycopg, "connect", _refuse("connect to PostgreSQL"))
    monkeypatch.setattr(subprocess.Popen, "__init__", _refuse("start a process"))


@pytest.fixture
def tmp_path():
    raise AssertionError("a unit test must not write files: move it to tests/integration")


@pytest.fixture
def tmp_path_factory():
    raise AssertionError("a unit test must not write files: move it to tests/integration")
