"""Fixtures of the dashboard tests: a real devnet after the story, the real GraphQL server
serving the dashboard, and Debian's Chromium driven headless by Playwright for Python.

* ``stack`` (module): a single-validator ``TestNode`` (loopback, free ports), the story
  told through signed transactions (``tests/dashboard/story.py``), then
  ``python -m graphql_api --home H --host 127.0.0.1 --port P`` as a subprocess.
* ``browser`` (session: one launch for every module): ``chromium.launch(executable_path=<Debian chromium>)``.  No
  browser is ever downloaded; if Debian's ``chromium`` is missing the tests FAIL with a
  message saying how to install it (``make test`` does), they never skip.
* ``open_page(width, route)``: a fresh context at that viewport width; every request the
  page makes is recorded so tests can check nothing leaves the loopback server.
* Screenshots go to ``test-output/dashboard/`` (git-ignored); with
  ``SAMEN_UPDATE_SCREENSHOTS=1`` (``make dashboard-screenshots``) the 1280 px ones are also
  copied to ``docs/screenshots/`` for the README.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
import tempfile
from pathlib import Path

import pytest

from tests.dashboard.story import accounts, tell
from tests.graphql.server import GraphQLServer
from tests.support.node import TestNode

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output" / "dashboard"
DOCS_SHOTS = ROOT / "docs" / "screenshots"
DOC_PAGES = {"network", "organizations", "market", "agreements", "people", "friction"}   # one per page for docs/
CHROMIUM_ARGS = ["--disable-gpu", "--disable-dev-shm-usage", "--disable-quic"]


def chromium_path() -> str:
    """Debian's Chromium, or fail (never skip) with the way to install it."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        pytest.fail("Debian's chromium is not installed (looked for `chromium` on PATH and /usr/bin/chromium); "
                    "`make test` installs it, or run as root: apt-get update && apt-get install -y chromium",
                    pytrace=False)
    return path


@contextlib.contextmanager
def devnet_with_api(prefix: str, accounts, params: dict | None = None, tell=None):
    """A single-validator ``TestNode`` (loopback, free ports) with ``python -m graphql_api`` beside it;
    yields ``(node, server, tell(node))``.  The node's log tail is printed when setting up fails."""
    root = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    node = TestNode(root, accounts, params=params, timeout_commit="200ms").init()
    server = None
    try:
        node.start(min_height=2)
        told = tell(node) if tell else None
        server = GraphQLServer(node).start()
        yield node, server, told
    except BaseException:
        print(node.log_tail(), flush=True)
        raise
    finally:
        if server is not None:
            server.stop()
        node.cleanup()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def stack():
    with devnet_with_api("sndash", accounts(), tell=tell) as running:
        yield running


@pytest.fixture(scope="module")
def static_site():
    """``dashboard/`` served by a static HTTP server on 127.0.0.1 (a secure context for WebCrypto)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(ROOT / "dashboard"))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module: Playwright's sync API keeps an event loop running while it is open,
    so a session-wide browser would make every later ``asyncio.run`` in the suite fail."""
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


class OpenPage:
    """A page at one viewport width with the requests it made and the errors it logged."""

    def __init__(self, browser, base: str, width: int) -> None:
        self.base = base
        self.width = width
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def go(self, route: str):
        self.page.goto(f"{self.base}/#/{route}")
        self.page.wait_for_function("r => document.getElementById('main').dataset.route === r", arg=f"#/{route}")
        self.settled()
        return self.page

    def follow(self, selector: str):
        """Click a link and wait until the view it leads to has loaded."""
        before = self.page.evaluate("document.getElementById('main').dataset.route")
        self.page.click(selector)
        self.page.wait_for_function("b => document.getElementById('main').dataset.route !== b", arg=before)
        self.settled()
        return self.page

    def settled(self, timeout: float = 15_000) -> None:
        """Wait until the mounted view's sections have all loaded (or failed) at least once."""
        self.page.wait_for_function("() => { const s = [...document.querySelectorAll('[data-section]')];"
                                    " return s.length > 0 && !s.some(x => x.dataset.state === 'loading'); }",
                                    timeout=timeout)

    def sections(self) -> str:
        """The state and first words of every section (for failure messages)."""
        return "\n".join(f"{s.get_attribute('data-section')}: {s.get_attribute('data-state')}: "
                         f"{s.inner_text()[:160]!r}" for s in self.page.query_selector_all("[data-section]"))

    def shot(self, name: str) -> Path:
        OUTPUT.mkdir(parents=True, exist_ok=True)
        path = OUTPUT / f"{name}-{self.width}.png"
        self.page.screenshot(path=str(path), full_page=True)
        if self.width == 1280 and name in DOC_PAGES and os.environ.get("SAMEN_UPDATE_SCREENSHOTS") == "1":
            DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, DOCS_SHOTS / f"{name}.png")
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_page(browser, stack):
    _node, server, _story = stack
    opened: list[OpenPage] = []

    def make(width: int = 1280) -> OpenPage:
        item = OpenPage(browser, f"http://127.0.0.1:{server.port}", width)
        opened.append(item)
        return item

    yield make
    for item in opened:
        item.close()
