"""A uvicorn HTTP protocol that can drop a connection: close the socket with no HTTP reply at all.

ASGI has no way to say "hang up"; an exception in the app becomes a 500. This h11 protocol puts a callable in
``scope["extensions"]["emulator.drop"]``; calling it closes the TCP connection, and the request cycle is marked
disconnected so uvicorn does not try to send a 500 afterwards. Clients see a connection error, as they would
when a load balancer or the network loses a request.

A request that is not valid HTTP/1.1 (a bad request line, header or ``Content-Length``, or a head over
``MAX_HEAD_BYTES``) never reaches the app; it gets the gateway's JSON 400 instead of uvicorn's plain text.
"""
from __future__ import annotations

import json
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

MALFORMED = {"error_code": "400000", "message": "Malformed HTTP request: the request line, a header field or the "
             "message framing is not valid HTTP/1.1, or the request head is over 64 KiB."}

DROP_EXTENSION = "emulator.drop"


class DroppingH11Protocol(H11Protocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        inner = self.app

        async def app_with_drop(scope: dict, receive: Any, send: Any) -> None:
            if scope["type"] == "http":
                scope.setdefault("extensions", {})[DROP_EXTENSION] = self.drop_connection
            await inner(scope, receive, send)

        self.app = app_with_drop

    def send_400_response(self, msg: str) -> None:
        body = json.dumps(MALFORMED).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                   (b"connection", b"close")]
        try:
            for event in (h11.Response(status_code=400, headers=headers, reason=b"Bad Request"), h11.Data(data=body),
                          h11.EndOfMessage()):
                self.transport.write(self.conn.send(event))
        except h11.LocalProtocolError:
            pass  # a response was already under way; all that is left is to hang up
        self.transport.close()

    def drop_connection(self) -> None:
        if self.cycle is not None:
            self.cycle.disconnected = True
            self.cycle.message_event.set()
        self.transport.close()


def drop(scope: dict) -> None:
    """Hang up on the client of ``scope``; only possible under ``DroppingH11Protocol``."""
    hang_up = scope.get("extensions", {}).get(DROP_EXTENSION)
    if hang_up is None:
        raise RuntimeError("connection drops need the emulator's server (uvicorn with DroppingH11Protocol)")
    hang_up()
