"""Logs as JSON lines, one object per record, so one submission can be followed across services.

Every record carries the process that wrote it (``intake_web``, ``review_consumer``...), the
request id of the HTTP request being served (taken from the proxy's ``X-Request-ID`` or made)
and the correlation id of the event being handled, whichever applies. Code binds them with
``bound(request_id=...)`` or ``bound(correlation_id=...)`` around the work they describe.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import sys
from collections.abc import Iterator

from pythonjsonlogger.json import JsonFormatter

_CONTEXT = {
    "request_id": contextvars.ContextVar("request_id", default=None),
    "correlation_id": contextvars.ContextVar("correlation_id", default=None),
}
FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"


class _Context(logging.Filter):
    def __init__(self, process: str):
        super().__init__()
        self.process = process

    def filter(self, record: logging.LogRecord) -> bool:
        record.process_name = self.process
        for name, value in _CONTEXT.items():
            setattr(record, name, value.get())
        return True


def configure(process: str, level: int = logging.INFO) -> None:
    """Send this process's logs to stderr as JSON lines (replacing any handler set before)."""
    handler = logging.StreamHandler()
    handler.addFilter(_Context(process))
    handler.setFormatter(JsonFormatter(
        FIELDS + " %(process_name)s %(request_id)s %(correlation_id)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger",
                       "process_name": "process"},
        json_ensure_ascii=False,
    ))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


def process_name() -> str:
    """This process's name as the Procfile gives it, from the module it runs:
    ``python -m intake_service.relay`` is ``intake_relay``, ``python -m shared.processes`` the
    ``worker``."""
    main = sys.modules.get("__main__")
    module = getattr(getattr(main, "__spec__", None), "name", None) or "python"
    service, _, role = module.rpartition(".")
    if module == "shared.processes":
        return "worker"
    if service.endswith("_service"):
        return f"{service.removesuffix('_service')}_{role}"
    return role


@contextlib.contextmanager
def bound(**values: str | None) -> Iterator[None]:
    """Tag every record written inside the block with these ids (request_id, correlation_id)."""
    tokens = [(_CONTEXT[name], _CONTEXT[name].set(value)) for name, value in values.items()]
    try:
        yield
    finally:
        for variable, token in reversed(tokens):
            variable.reset(token)


def current(name: str) -> str | None:
    """The id bound now (``request_id`` or ``correlation_id``), if any."""
    return _CONTEXT[name].get()
