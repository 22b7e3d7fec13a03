"""The test proxy plays the bad links the outage stories need: silent, slow and cut."""

from __future__ import annotations

import socket
import socketserver
import threading
import time

import pytest

from tests.support.tcp_proxy import TcpProxy


class Echo(socketserver.BaseRequestHandler):
    def handle(self):
        while data := self.request.recv(1024):
            self.request.sendall(data)


@pytest.fixture
def echo_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Echo)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address
    server.shutdown()
    server.server_close()


def test_a_black_holed_link_stays_open_and_silent_until_it_passes_again(echo_server):
    with TcpProxy(*echo_server) as proxy, socket.create_connection((proxy.host, proxy.port)) as c:
        c.settimeout(2)
        c.sendall(b"hello")
        assert c.recv(10) == b"hello"
        proxy.black_hole()
        c.sendall(b"lost")
        c.settimeout(0.5)
        with pytest.raises(TimeoutError):
            c.recv(10)
        assert proxy.connections == 1  # nothing was closed
        proxy.pass_through()
        c.settimeout(2)
        c.sendall(b"again")
        received = b""
        while len(received) < len(b"lostagain"):
            received += c.recv(10)
        assert received == b"lostagain"  # what waited in the hole is delivered, in order


def test_a_delayed_link_forwards_late_and_a_reset_cuts_every_connection(echo_server):
    with TcpProxy(*echo_server) as proxy, socket.create_connection((proxy.host, proxy.port)) as c:
        c.settimeout(5)
        proxy.delay(0.3)
        sent = time.monotonic()
        c.sendall(b"slow")
        assert c.recv(10) == b"slow"
        assert time.monotonic() - sent >= 0.3
        proxy.reset()
        with pytest.raises((ConnectionResetError, BrokenPipeError)):  # the RST, seen either way
            c.sendall(b"x")
            c.recv(10)
