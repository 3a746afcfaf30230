"""The dashboard's static files with the headers of a page that signs: a strict
Content-Security-Policy (scripts, styles, connections and workers only from this origin; no
inline script, no ``eval``, no plugins, no framing, no ``<base>``), no MIME sniffing, no
referrer.  The policy is what keeps key material in the page even if chain data (titles,
descriptions) were crafted: it could not load or run a script, nor send anything elsewhere.
"""

from __future__ import annotations

from pathlib import Path

from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "worker-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; "
       "object-src 'none'")
HEADERS = ((b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
           (b"referrer-policy", b"no-referrer"), (b"cross-origin-opener-policy", b"same-origin"),
           (b"x-frame-options", b"DENY"))


class SecureStatic:
    """``StaticFiles`` over ``directory`` whose every answer carries ``HEADERS``."""

    def __init__(self, directory: Path) -> None:
        self.files: ASGIApp = StaticFiles(directory=directory, html=True)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        await self.files(scope, receive, with_headers)
