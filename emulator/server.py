"""``EmulatorServer``: the emulator on a real uvicorn server, in a background thread or in the foreground.

    with EmulatorServer(port=0, db=":memory:") as emu:
        emu.url        # http://127.0.0.1:54321 - the origin
        emu.flow_url   # emu.url + "/data/foundation/flowservice"
        emu.ims_url    # emu.url + "/ims/token/v3"

``port=0`` binds an ephemeral port before the server starts, so concurrent test runs never collide.
"""
from __future__ import annotations

import socket
import threading
from typing import Any, Callable

import uvicorn

from emulator.app import build_app
from emulator.backend import Backend
from emulator.faults import FaultInjector
from emulator.limits import MAX_HEAD_BYTES
from emulator.protocol import DroppingH11Protocol
from emulator.request_log import FLOW, IMS_TEMPLATE, RequestLog
from emulator.settings import DEFAULT_SANDBOXES, EmulatorSettings

START_TIMEOUT_SECONDS = 15
STOP_TIMEOUT_SECONDS = 15


class EmulatorServer:
    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        db: str = ":memory:",
        org_id: str = "local@AdobeOrg",
        client_id: str = "local-client",
        client_secret: str = "local-secret",
        sandboxes: tuple[str, ...] | list[str] = DEFAULT_SANDBOXES,
        strict_sandbox: bool = False,
        token_ttl: int = 86400,
        service_update_delay: float = 90.0,
    ):
        self.settings = EmulatorSettings(
            org_id=org_id, client_id=client_id, client_secret=client_secret, sandboxes=tuple(sandboxes),
            strict_sandbox=strict_sandbox, token_ttl=token_ttl, db=db, service_update_delay=service_update_delay,
        )
        self.host = host
        self._requested_port = port
        self.port: int | None = None
        self.backend: Backend | None = None
        self.faults = FaultInjector()
        self.request_log = RequestLog()
        self._socket: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        return f"EmulatorServer(url={self.url if self.port else None!r}, settings={self.settings!r})"

    # addresses -------------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        if self.port is None:
            raise RuntimeError("the emulator is not started; call start() or use it as a context manager")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def flow_url(self) -> str:
        return self.url + FLOW

    @property
    def ims_url(self) -> str:
        return self.url + IMS_TEMPLATE

    @property
    def org_id(self) -> str:
        return self.settings.org_id

    @property
    def client_id(self) -> str:
        return self.settings.client_id

    @property
    def client_secret(self) -> str:
        return self.settings.client_secret

    # lifecycle -------------------------------------------------------------------------------------------
    def _prepare(self) -> uvicorn.Server:
        # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on accepted sockets that say they are TCP,
        # and without it every response waits ~40 ms on Nagle + delayed ACK.
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self._requested_port))
        except OSError as exc:
            sock.close()
            raise RuntimeError(f"cannot listen on {self.host}:{self._requested_port}: {exc}; "
                               "choose another --port (0 picks a free one)") from None
        self._socket = sock
        self.port = sock.getsockname()[1]
        self.backend = Backend(self.settings)
        app = build_app(self.backend, self.faults, self.request_log)
        config = uvicorn.Config(
            app, host=self.host, port=self.port, http=DroppingH11Protocol, lifespan="off", log_level="warning",
            access_log=False, timeout_graceful_shutdown=5, h11_max_incomplete_event_size=MAX_HEAD_BYTES,
        )
        self._server = uvicorn.Server(config)
        return self._server

    def start(self) -> "EmulatorServer":
        """Serve from a daemon thread; returns once the server accepts connections."""
        if self._thread is not None:
            return self
        server = self._prepare()
        self._thread = threading.Thread(target=server.run, kwargs={"sockets": [self._socket]},
                                        name=f"emulator-{self.port}", daemon=True)
        self._thread.start()
        pause = threading.Event()
        for _ in range(START_TIMEOUT_SECONDS * 100):
            if server.started or not self._thread.is_alive():
                break
            pause.wait(0.01)
        if not server.started:
            self.stop()
            raise RuntimeError(f"the emulator did not start within {START_TIMEOUT_SECONDS}s on {self.host}")
        return self

    def serve_forever(self, ready: Callable[[str], None] | None = None) -> None:
        """Serve in the calling thread until SIGINT/SIGTERM (used by ``python -m emulator``).

        ``ready(url)`` is called from a helper thread once the server accepts connections.
        """
        server = self._prepare()
        if ready is not None:
            def announce() -> None:
                while not server.started and not server.should_exit:
                    threading.Event().wait(0.01)
                if server.started:
                    ready(self.url)

            threading.Thread(target=announce, daemon=True).start()
        try:
            server.run(sockets=[self._socket])
        finally:
            self._cleanup()

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(STOP_TIMEOUT_SECONDS)
            self._thread = None
        self._cleanup()

    def _cleanup(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        if self.backend is not None:
            self.backend.close()
            self.backend = None
        self._server = None

    def __enter__(self) -> "EmulatorServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
