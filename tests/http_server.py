"""Run an ASGI app in a real uvicorn server on a free loopback port, in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

_running: dict[str, tuple[uvicorn.Server, threading.Thread]] = {}


def start_server(app, *, timeout: float = 20.0) -> str:
    """Start serving `app` on 127.0.0.1 and a free port; returns the base URL. Stop it with `stop_server`."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    base_url = f"http://127.0.0.1:{port}"
    _running[base_url] = (server, thread)
    return base_url


def stop_server(base_url: str, *, timeout: float = 10.0) -> None:
    server, thread = _running.pop(base_url)
    server.should_exit = True
    thread.join(timeout)


@contextmanager
def running_server(app) -> Iterator[str]:
    base_url = start_server(app)
    try:
        yield base_url
    finally:
        stop_server(base_url)
