"""Cuttable TCP links between testnet nodes (no root needed): one asyncio proxy per directed peer link.

``LinkProxies`` runs an event loop in a daemon thread.  ``add(listen, target, tags)``
opens ``127.0.0.1:listen`` forwarding to ``127.0.0.1:target``; ``cut(tag)`` closes
the listeners of every link carrying ``tag`` and aborts their open connections (the
peers see a dropped connection and cannot redial); ``heal(tag)`` listens again.
Everything binds to 127.0.0.1 only; ``close()`` stops it all (bounded).
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field

CHUNK = 1 << 16
TIMEOUT = 10.0


@dataclass
class _Link:
    listen: int
    target: int
    tags: frozenset
    server: asyncio.AbstractServer | None = None
    transports: set = field(default_factory=set)


class LinkProxies:
    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="link-proxies", daemon=True)
        self._thread.start()
        self._links: list[_Link] = []

    def _run(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(TIMEOUT)

    def add(self, listen: int, target: int, tags) -> None:
        link = _Link(listen, target, frozenset(tags))
        self._links.append(link)
        self._run(self._open(link))

    def cut(self, tag) -> int:
        """Close every link tagged ``tag``; return how many connections were aborted."""
        return self._run(self._cut([link for link in self._links if tag in link.tags]))

    def heal(self, tag) -> None:
        for link in self._links:
            if tag in link.tags and link.server is None:
                self._run(self._open(link))

    def close(self) -> None:
        if self._loop.is_closed():
            return
        try:
            self._run(self._cut(self._links))
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(TIMEOUT)
            if not self._thread.is_alive():
                self._loop.close()   # releases the loop's self-pipe (two AF_UNIX sockets) now, not at garbage collection

    # -- inside the loop -----------------------------------------------------------------

    async def _open(self, link: _Link) -> None:
        async def handle(reader, writer):
            await self._pipe_pair(link, reader, writer)
        link.server = await asyncio.start_server(handle, "127.0.0.1", link.listen, reuse_address=True)

    async def _cut(self, links: list[_Link]) -> int:
        aborted = 0
        for link in links:
            if link.server is not None:
                link.server.close()
                link.server = None
            for transport in list(link.transports):
                transport.abort()
                aborted += 1
            link.transports.clear()
        return aborted

    async def _pipe_pair(self, link: _Link, reader, writer) -> None:
        if link.server is None:
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", link.target), 5.0)
        except (OSError, asyncio.TimeoutError):
            writer.transport.abort()
            return
        link.transports.update((writer.transport, up_writer.transport))
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
        link.transports.discard(writer.transport)
        link.transports.discard(up_writer.transport)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            data = await reader.read(CHUNK)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.transport.abort()
