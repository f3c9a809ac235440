"""provider/engine_watch.py: the plugin ends once the engine that started it stops accepting connections."""

from __future__ import annotations

import socket
import threading

import pytest

from provider import engine_watch
from provider.engine_watch import engine_address, engine_alive


def test_the_engine_address_is_the_plugins_last_address_argument():
    assert engine_address(["-m", "--logtostderr", "127.0.0.1:34189"]) == ("127.0.0.1", 34189)
    assert engine_address(["-m", "127.0.0.1:1", "-v=9"]) == ("127.0.0.1", 1)
    assert engine_address(["-m"]) is None and engine_address(["-m", "example.com:443"]) is None


def test_a_listening_engine_is_alive_and_a_closed_port_is_not():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        address = server.getsockname()
        assert engine_alive(address)
    assert not engine_alive(address)


def test_the_watch_ends_the_process_after_the_engine_goes(monkeypatch):
    monkeypatch.setattr(engine_watch, "INTERVAL_S", 0.05)
    monkeypatch.setattr(engine_watch, "_watching", False)
    ended = threading.Event()
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    host, port = server.getsockname()
    assert engine_watch.watch_engine(["-m", f"{host}:{port}"], exit_process=lambda code: ended.set())
    assert not ended.wait(0.5)  # alive: the watch keeps quiet
    server.close()
    assert ended.wait(5)


def test_no_watch_outside_a_plugin_an_engine_started():
    assert not engine_watch.watch_engine(["pytest"], exit_process=lambda code: pytest.fail("ended"))
