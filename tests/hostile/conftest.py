"""Session fixtures of the hostile-client suite: ONE real node and ONE real GraphQL server.

Every test in ``tests/hostile/`` gets ``hostile`` (a ``harness.Hostile``) and should end
with ``hostile.assert_healthy()``; if a test does not call it, the autouse check below
calls it after the test, so no abuse goes unchecked.  The GraphQL process's peak memory
is asserted once more when the session ends.  Every test here is marked ``node``.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from tests.graphql.server import GraphQLServer
from tests.hostile.harness import Hostile
from tests.support.node import TestNode, pytest_runtest_makereport, request_failed, signer_for  # noqa: F401 (hook)

HERE = Path(__file__).resolve().parent
FUNDED = ("alice", "bob", "carol", "dave", "erin", "frank")
# Genesis accounts that give heavy queries (pages of proofs) real work: "filler-0" .. "filler-1499".
FILLERS = 1500


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).resolve().parent == HERE:
            item.add_marker(pytest.mark.node)
            item.add_marker(pytest.mark.timeout(180))


@pytest.fixture(scope="session")
def hostile():
    """Start the node and the GraphQL server (default settings).

    Funded accounts: the ``FUNDED`` names (``signer_for(name)``, 1,000,000 each) and
    ``FILLERS`` more (``signer_for("filler-<i>")``) so that listing accounts is real work.
    """
    root = Path(tempfile.mkdtemp(prefix="snh", dir="/tmp"))
    accounts = [(signer_for(name).address, 1_000_000) for name in FUNDED]
    accounts += [(signer_for(f"filler-{i}").address, 1 + i) for i in range(FILLERS)]
    node = TestNode(root, accounts).init()
    server = None
    harness = None
    try:
        node.start(min_height=2)
        server = GraphQLServer(node).start()
        harness = Hostile(node, server)
        yield harness
        harness.assert_alive()
        harness.assert_memory_bounded()
    except BaseException:
        print(node.log_tail(), file=sys.stderr)
        if server is not None:
            print(server.log.read_text(errors="replace")[-4000:], file=sys.stderr)
        raise
    finally:
        if harness is not None:
            harness.close()
        if server is not None:
            server.stop()
        node.cleanup()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(autouse=True)
def checked_after_each(request, hostile):
    """After each test that did not call ``assert_healthy`` itself (and passed), call it."""
    hostile.checked = False
    yield
    if not hostile.checked and not request_failed(request):
        hostile.assert_healthy()
