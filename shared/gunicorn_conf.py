"""gunicorn's settings for both web services: ``gunicorn -c python:shared.gunicorn_conf --name
intake_web ...`` (the Procfile).

- The settings are checked before anything binds: a bad or development-only variable, shared or
  of the service's features (the service is the first word of ``--name``), stops gunicorn with
  one line each on stderr (``shared.settings.for_process``).
- gunicorn's own lines are JSON like every process's, tagged with ``--name``; the app writes
  the one access line per request (``shared.web.requests``), so gunicorn writes none.
- With ``PROMETHEUS_MULTIPROC_DIR`` set, a worker that exits is marked dead, so its live
  gauges stop counting (prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import importlib
import sys

from gunicorn import glogging
from prometheus_client import multiprocess

from shared import logs
from shared.settings import SettingsError, for_process

accesslog = None


class JsonLogger(glogging.Logger):
    """gunicorn's error log as JSON lines on stderr, with the process's name."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        logs.configure(cfg.proc_name)
        self.error_log.handlers[:] = []
        self.error_log.propagate = True

    def exception(self, msg, *args, **kwargs) -> None:
        if isinstance(sys.exc_info()[1], SettingsError):
            self.error(msg, *args)  # gunicorn prints the variables' lines next, without a traceback
            return
        super().exception(msg, *args, **kwargs)


logger_class = JsonLogger


def on_starting(server) -> None:
    server.dvk_settings = settings = for_process()
    service = (server.cfg.proc_name or "").split("_", 1)[0]
    if service in ("intake", "review"):
        features = importlib.import_module(f"{service}_service.settings")
        try:
            features.from_settings(settings)
        except SettingsError as error:
            raise SystemExit(f"{error}") from None


def child_exit(server, worker) -> None:
    if server.dvk_settings.metrics_dir:
        multiprocess.mark_process_dead(worker.pid, str(server.dvk_settings.metrics_dir))
