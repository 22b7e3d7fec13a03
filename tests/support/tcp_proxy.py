"""A TCP proxy between a process and a server, to play a bad network on purpose.

    with TcpProxy("127.0.0.1", 5672) as proxy:   # clients connect to 127.0.0.1:proxy.port
        proxy.black_hole()   # nothing is forwarded any more, every socket stays open
        proxy.delay(0.5)     # each chunk is forwarded half a second late
        proxy.reset()        # every open connection is cut with a TCP RST
        proxy.pass_through() # back to an ordinary link

A black hole is a link that went silent, as when a cable is pulled or a switch stops forwarding:
nothing either side sends gets across (the proxy stops reading, so it waits in the kernels'
buffers as unacknowledged data would), nothing answers, no socket is closed — not even one the
far side closed meanwhile — so only a timeout or a missed heartbeat can tell. New connections
are accepted meanwhile and stay as silent. When the link passes again, what waited is delivered,
and a close that waited with it.
One thread per direction of each connection; the whole proxy is closed on leaving the block.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time

CHUNK = 64 * 1024


class TcpProxy:
    def __init__(self, upstream_host: str, upstream_port: int, host: str = "127.0.0.1"):
        self.upstream = (upstream_host, upstream_port)
        self._listener = socket.create_server((host, 0))
        self._listener.settimeout(0.2)
        self.host, self.port = self._listener.getsockname()[:2]
        self._lock = threading.Lock()
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._flowing = threading.Event()
        self._flowing.set()
        self._delay = 0.0
        self._closed = threading.Event()
        self.accepted = 0
        self._acceptor = threading.Thread(target=self._accept, name="tcp-proxy", daemon=True)

    def __enter__(self) -> TcpProxy:
        self._acceptor.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def url_for(self, scheme_and_credentials: str, path: str = "/") -> str:
        """The server's URL through the proxy, e.g. ``url_for("amqp://guest:guest@", "//")``."""
        return f"{scheme_and_credentials}{self.host}:{self.port}{path}"

    def pass_through(self) -> None:
        """Forward everything at once again."""
        self._delay = 0.0
        self._flowing.set()

    def black_hole(self) -> None:
        """Stop forwarding in both directions, keeping every connection open."""
        self._flowing.clear()

    def delay(self, seconds: float) -> None:
        """Forward each chunk ``seconds`` late."""
        self._delay = seconds

    def reset(self) -> None:
        """Cut every open connection with a TCP RST on both sides."""
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            for end in pair:
                _abort(end)

    @property
    def connections(self) -> int:
        with self._lock:
            return len(self._pairs)

    def close(self) -> None:
        self._closed.set()
        self.reset()
        self._flowing.set()  # the pumps waiting out a black hole find their sockets closed
        self._listener.close()
        if self._acceptor.is_alive():
            self._acceptor.join(timeout=2)

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                _abort(client)
                continue
            server.settimeout(None)
            client.settimeout(None)
            with self._lock:
                self._pairs.append((client, server))
                self.accepted += 1
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target, (client, server)),
                                 daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, pair) -> None:
        try:
            while self._flowing.wait() and (chunk := source.recv(CHUNK)):
                self._flowing.wait()  # read just as the link went silent: held until it is back
                if self._delay:
                    time.sleep(self._delay)
                target.sendall(chunk)
        except OSError:
            pass
        with self._lock:
            if pair in self._pairs:
                self._pairs.remove(pair)
        for end in pair:
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()


def _abort(end: socket.socket) -> None:
    """Close with SO_LINGER 0, so the peer gets a reset rather than an orderly end."""
    with contextlib.suppress(OSError):
        end.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        end.shutdown(socket.SHUT_RD)  # wakes the thread reading it; sends nothing yet
    with contextlib.suppress(OSError):
        end.close()
