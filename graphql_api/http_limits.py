"""HTTP limits uvicorn does not enforce by itself: request body, request head size and time.

* ``BodyLimit`` (ASGI middleware): a request whose ``Content-Length`` exceeds
  ``max_body_bytes`` is answered ``413`` without reading its body; a body without a
  length (chunked) is counted as it arrives and answered ``413`` as soon as it passes
  the limit.  Either way the connection is closed (``Connection: close``), so the rest
  of the body is never read into memory.
* ``LimitedHttpToolsProtocol`` (uvicorn's httptools protocol, passed as ``http=``):
  a request line plus headers longer than ``max_header_bytes`` is answered ``431`` and
  the connection closed; a request head that has not fully arrived
  ``header_timeout_seconds`` after the connection opened, or after its first byte on
  a kept-alive connection, closes the connection (slow-header clients).  An idle
  kept-alive connection is closed by uvicorn after ``keep_alive_seconds``.
  uvicorn's ``limit_concurrency`` answers ``503`` past that many connections plus
  requests in progress.
* Lingering close: when the server closes an HTTP connection (after a 413, a 431, a
  ``Connection: close`` answer, a timeout), it first half-closes (FIN after the answer)
  and discards whatever the client still sends for ``LINGER_SECONDS``, then closes.
  Closing a socket with unread data makes the kernel send a reset, which can destroy
  the answer before the client reads it; a client that is still uploading a refused
  body would then see a reset instead of its 413.
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

LINGER_SECONDS = 2.0
TOO_LARGE = b'{"errors":[{"message":"request body exceeds %d bytes"}]}'
HEAD_TOO_LARGE = b"request line and headers exceed %d bytes"


class BodyTooLarge(Exception):
    """Raised inside ``receive`` once a body without a length passes the limit."""


class BodyLimit:
    """ASGI middleware: answer 413 to an HTTP request body over ``max_bytes`` (see module docstring)."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await self._refuse(send)
            return
        received = 0
        started = False

        async def counted_receive():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise BodyTooLarge()
            return message

        async def watched_send(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send) -> None:
        body = TOO_LARGE % self.max_bytes
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


class LingeringTransport:
    """A transport whose ``close`` lingers (see module docstring); everything else is the real one's."""

    def __init__(self, transport, protocol: "LimitedHttpToolsProtocol") -> None:
        self._transport = transport
        self._protocol = protocol
        self.lingering = False

    def __getattr__(self, name):
        return getattr(self._transport, name)

    def is_closing(self) -> bool:
        return self.lingering or self._transport.is_closing()

    def close(self) -> None:
        real = self._transport
        if self.lingering or real.is_closing():
            return
        if real.get_protocol() is not self._protocol or not real.can_write_eof():
            real.close()        # a WebSocket (upgraded) or TLS connection: an ordinary close
            return
        self.lingering = True
        real.write_eof()
        real.resume_reading()
        self._protocol.loop.call_later(LINGER_SECONDS, real.close)


class LimitedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a head-size and a head-time limit (see module docstring).

    The limits come from ``config.max_header_bytes`` and ``config.header_timeout_seconds``,
    attributes ``__main__`` sets on uvicorn's ``Config``.  Head size is checked twice: the
    raw bytes received while a head is incomplete (so a never-ending header cannot grow
    the parser's buffer) and the parsed request line and headers once complete.
    """

    def __init__(self, config, *args, **kwargs) -> None:
        super().__init__(config, *args, **kwargs)
        self.max_head = getattr(config, "max_header_bytes", 32 << 10)
        self.head_timeout = getattr(config, "header_timeout_seconds", 10.0)
        self.awaiting_head = True
        self.head_bytes = 0         # raw bytes received since the current head began
        self.head_parsed = 0        # request target + header names and values of the current head
        self.refused = False
        self.head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport) -> None:
        super().connection_made(LingeringTransport(transport, self))
        self._arm_head_timer()

    def connection_lost(self, exc) -> None:
        self._disarm_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.transport.lingering:
            return              # the answer is sent; what the client still sends is dropped
        if self.awaiting_head:
            self.head_bytes += len(data)
            self._arm_head_timer()
        super().data_received(data)
        too_large = self.refused or (self.awaiting_head and self.head_bytes > self.max_head)
        if too_large and not self.transport.is_closing():
            self._refuse_head()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.head_parsed = 0

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        self.head_parsed += len(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        super().on_header(name, value)
        self.head_parsed += len(name) + len(value) + 4

    def on_headers_complete(self) -> None:
        self.awaiting_head = False
        self._disarm_head_timer()
        if self.head_parsed > self.max_head:
            self.refused = True         # answered 431 by data_received; no request cycle starts
            return
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        if not self.refused:
            super().on_body(body)

    def on_message_complete(self) -> None:
        if self.refused:
            return
        super().on_message_complete()
        self.awaiting_head, self.head_bytes = True, 0      # the next request's head (timer: first byte)

    def handle_websocket_upgrade(self) -> None:
        if not self.refused:
            super().handle_websocket_upgrade()

    def _arm_head_timer(self) -> None:
        if self.head_timer is None:
            self.head_timer = self.loop.call_later(self.head_timeout, self._head_timed_out)

    def _disarm_head_timer(self) -> None:
        if self.head_timer is not None:
            self.head_timer.cancel()
            self.head_timer = None

    def _head_timed_out(self) -> None:
        self.head_timer = None
        if self.awaiting_head and not self.transport.is_closing():
            self.logger.info("closed a connection whose request head took over %gs", self.head_timeout)
            self.transport.close()

    def _refuse_head(self) -> None:
        body = HEAD_TOO_LARGE % self.max_head
        self.transport.write(b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain\r\n"
                             b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(body), body))
        self.transport.close()      # lingers: the client reads the 431 even while it is still sending
