"""A real single-validator Samen node for tests: our app process plus the pinned ``cometbft``.

Contract (other suites build on it, keep it stable):

* ``TestNode(root, accounts=[(address, balance)], params={...}, chain_id=...,
  timeout_commit="150ms", create_empty_blocks=True)`` describes a node; the
  ``node_factory`` fixture (same keyword arguments, no ``root``) creates one in a short fresh ``/tmp/sn*`` directory
  (unix socket paths stay under 100 characters) with free loopback ports, runs
  ``samen``'s own ``init_home`` (so tests exercise the real home layout) and
  returns it NOT started.  Call ``start()``.  ``module_node(request, accounts, ...)`` is the
  same node started once for a module-scoped fixture.
* Every wait is bounded (``timeout`` seconds, ``WaitTimeout`` on expiry); nothing
  here sleeps for a fixed time to "let things settle".
* The app and CometBFT are separate processes that can be stopped (clean
  signal), killed (SIGKILL) and restarted separately; logs of every run are
  appended to ``<root>/abci.log`` and ``<root>/cometbft.log``.
* The fixture's finalizer kills whatever is still running and removes the
  directory; when the test failed it first prints the tail of both logs.
* Helpers: ``rpc`` (an ``RpcClient``), ``rpc_url``, ``broadcast_sync``/``broadcast_commit``/
  ``check_tx``, ``wait_for_height``, ``wait_for_tx``, ``account``/``balance``/``sequence``,
  ``start_app(fail_point=...)``/``stop_app``/``kill_app``/``wait_app_exit`` and the same for
  ``cometbft``, ``restart``, ``app_hash_mismatches(up_to)`` (FinalizeBlock's hash at h vs
  block h+1's header), ``read_log``/``log_mark``/``failure_lines(since)``/``log_tail``.
* Only loopback addresses are used; processes run in their own session and get
  SIGTERM if the test process dies (Linux ``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from abci_app.tools.client.rpc import RpcClient, WaitTimeout
from abci_app.tools.client.signer import Signer
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.tools.node.cometbft import find_binary
from abci_app.tools.node.home import NodeOptions, init_home, socket_path
from abci_app.tools.node.supervisor import die_with_parent
from tests.support.procs import free_port, hex_hash, is_failure, send_signal, stop_process, wait_exit, wait_for

CHAIN_ID = "samen-test"


def signer_for(label: str) -> Signer:
    """Return a deterministic key for ``label`` (test use only)."""
    return Signer(hashlib.sha256(b"samen-test-key/" + label.encode()).digest())


def transfer_tx(signer: Signer, to: str, amount: int, sequence: int, chain_id: str = CHAIN_ID, memo: str = "") -> bytes:
    """Return signed transaction bytes for a transfer."""
    return signer.sign_tx(chain_id, sequence, Transfer(to=to, amount=amount, memo=memo))


class TestNode:
    """One node home and its two processes (see the module docstring for the contract)."""

    __test__ = False  # not a pytest test class

    def __init__(self, root: Path, accounts=(), params: dict | None = None, chain_id: str = CHAIN_ID,
                 timeout_commit: str = "150ms", create_empty_blocks: bool = True) -> None:
        self.root = root
        self.home = root / "home"
        self.chain_id = chain_id
        self.rpc_port, self.p2p_port = free_port(), free_port()
        self.options = NodeOptions(chain_id=chain_id, moniker="samen-test", rpc_port=self.rpc_port,
                                   p2p_port=self.p2p_port, timeout_commit=timeout_commit,
                                   create_empty_blocks=create_empty_blocks, accounts=tuple(accounts),
                                   params=dict(params or {}), graphql_port=free_port(),
                                   metrics_port=free_port(), prometheus_port=free_port())
        self.app: subprocess.Popen | None = None
        self.cometbft: subprocess.Popen | None = None
        self.rpc = RpcClient(self.rpc_url, timeout=10.0)
        self.last_seen_height = 0

    @property
    def rpc_url(self) -> str:
        return f"http://127.0.0.1:{self.rpc_port}"

    @property
    def app_log(self) -> Path:
        return self.root / "abci.log"

    @property
    def cometbft_log(self) -> Path:
        return self.root / "cometbft.log"

    def init(self) -> "TestNode":
        init_home(self.home, self.options)
        return self

    # -- processes ---------------------------------------------------------------------

    def _spawn(self, argv: list[str], log_path: Path, env: dict | None) -> subprocess.Popen:
        with open(log_path, "ab") as log:
            log.write(f"\n===== start {' '.join(argv[-3:])} at {time.strftime('%H:%M:%S')} =====\n".encode())
            log.flush()
            return subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    env=dict(os.environ, **(env or {})), start_new_session=True,
                                    preexec_fn=die_with_parent)

    def start_app(self, fail_point: str | None = None, timeout: float = 20.0) -> None:
        """Start the app (optionally with ``SAMEN_FAIL_POINT``) and wait for its socket."""
        sock = socket_path(self.home)
        if sock.exists():
            sock.unlink()
        env = {"SAMEN_FAIL_POINT": fail_point} if fail_point else {"SAMEN_FAIL_POINT": ""}
        self.app = self._spawn([sys.executable, "-m", "abci_app", "--home", str(self.home)], self.app_log, env)
        wait_for(lambda: sock.exists() or self.app.poll() is not None, timeout, "app socket")
        if self.app.poll() is not None:
            raise RuntimeError(f"app exited during start-up with {self.app.returncode}:\n{self.log_tail()}")

    def start_cometbft(self) -> None:
        """Start CometBFT (the app must be running); does not wait for blocks."""
        self.cometbft = self._spawn([find_binary(), "start", "--home", str(self.home)], self.cometbft_log, None)

    def start(self, fail_point: str | None = None, min_height: int = 1, timeout: float = 30.0) -> "TestNode":
        """Start the app, then CometBFT, and wait until the chain reaches ``min_height``."""
        self.start_app(fail_point)
        self.start_cometbft()
        self.wait_for_height(min_height, timeout)
        return self

    def kill_app(self) -> None:
        send_signal(self.app, signal.SIGKILL)

    def stop_app(self, timeout: float = 15.0) -> int | None:
        return stop_process(self.app, signal.SIGINT, timeout)

    def kill_cometbft(self) -> None:
        send_signal(self.cometbft, signal.SIGKILL)

    def stop_cometbft(self, timeout: float = 15.0) -> int | None:
        return stop_process(self.cometbft, signal.SIGTERM, timeout)

    def wait_app_exit(self, timeout: float = 30.0) -> int:
        return wait_exit(self.app, timeout, "app")

    def wait_cometbft_exit(self, timeout: float = 30.0) -> int:
        return wait_exit(self.cometbft, timeout, "cometbft")

    def restart(self, timeout: float = 60.0) -> None:
        """Stop both processes (cleanly), start both, and wait for a new block."""
        self.stop()
        self.start_app()
        self.start_cometbft()
        self.wait_for_height(self.last_seen_height + 1, timeout)

    def stop(self) -> None:
        """Stop CometBFT, then the app; kill either if it does not stop in time."""
        for stop, kill in ((self.stop_cometbft, self.kill_cometbft), (self.stop_app, self.kill_app)):
            if stop() is None:
                kill()

    def cleanup(self) -> None:
        """Kill both processes, close the RPC client and remove the directory (fixture finalizer)."""
        for process in (self.cometbft, self.app):
            send_signal(process, signal.SIGKILL)
            if process is not None:
                process.wait(10)
        self.rpc.close()
        shutil.rmtree(self.root, ignore_errors=True)

    # -- chain helpers -----------------------------------------------------------------------

    def height(self) -> int:
        self.last_seen_height = max(self.last_seen_height, self.rpc.height())
        return self.last_seen_height

    def wait_for_height(self, height: int, timeout: float = 30.0) -> int:
        """Wait until the chain is at ``height`` or above; return the height reached."""
        reached = self.rpc.wait_for_height(height, timeout)
        self.last_seen_height = max(self.last_seen_height, reached)
        return reached

    def wait_for_tx(self, tx_hash: bytes, timeout: float = 30.0) -> dict:
        return self.rpc.wait_for_tx(tx_hash, timeout)

    def broadcast_sync(self, tx: bytes) -> dict:
        return self.rpc.broadcast_tx_sync(tx)

    def broadcast_commit(self, tx: bytes, timeout: float = 30.0) -> dict:
        return self.rpc.broadcast_tx_commit(tx, timeout)

    def check_tx(self, tx: bytes) -> dict:
        return self.rpc.check_tx(tx)

    def account(self, address: str) -> dict | None:
        """Return ``{"balance", "sequence"}`` of an account, or ``None`` if it does not exist."""
        answer = self.rpc.abci_query(f"/account/{address}")
        return answer["value"] if answer["code"] == 0 else None

    def balance(self, address: str) -> int:
        account = self.account(address)
        return 0 if account is None else int(account["balance"])

    def sequence(self, address: str) -> int:
        account = self.account(address)
        return 0 if account is None else int(account["sequence"])

    def app_hash_mismatches(self, up_to: int) -> list[str]:
        """Compare, for each height h < ``up_to``, the app hash FinalizeBlock returned with block h+1's header."""
        problems = []
        for height in range(1, up_to):
            returned = self.rpc.block_results(height).get("app_hash", "")
            header = self.rpc.block(height + 1)["block"]["header"]["app_hash"]
            if hex_hash(returned) != header.upper():
                problems.append(f"height {height}: FinalizeBlock returned {hex_hash(returned)}, block {height + 1} has {header}")
        return problems

    # -- logs --------------------------------------------------------------------------

    def read_log(self, which: str = "cometbft") -> str:
        path = self.cometbft_log if which == "cometbft" else self.app_log
        return path.read_text(errors="replace") if path.exists() else ""

    def log_mark(self) -> int:
        """Return the current length of the CometBFT log (pass it to ``failure_lines``)."""
        return len(self.read_log("cometbft"))

    def failure_lines(self, since: int = 0) -> list[str]:
        """Return CometBFT log lines (after offset ``since``) showing an app-hash mismatch or a panic."""
        return [line for line in self.read_log("cometbft")[since:].splitlines() if is_failure(line)]

    def log_tail(self, lines: int = 40) -> str:
        parts = []
        for which in ("abci", "cometbft"):
            text = self.read_log(which).splitlines()[-lines:]
            parts.append(f"----- {which} log (last {lines} lines, {self.root}) -----\n" + "\n".join(text))
        return "\n".join(parts)


# -- pytest glue -------------------------------------------------------------------------------

_REPORT_KEY = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's report so fixtures can tell whether their test failed."""
    report = yield
    item.stash.setdefault(_REPORT_KEY, {})[report.when] = report
    return report


def request_failed(request) -> bool:
    reports = request.node.stash.get(_REPORT_KEY, {})
    return any(r.failed for r in reports.values())




@pytest.fixture
def node_factory(request):
    """Return ``make(accounts=(), params=None, **options) -> TestNode`` (initialized, not started).

    All nodes made are killed and their directories removed at teardown; if the
    test failed, the tail of each node's logs is printed first.
    """
    nodes: list[TestNode] = []

    def make(accounts=(), params: dict | None = None, **options) -> TestNode:
        root = Path(tempfile.mkdtemp(prefix="sn", dir="/tmp"))
        node = TestNode(root, accounts, params, **options)
        nodes.append(node)
        return node.init()

    yield make
    for node in nodes:
        if request_failed(request):
            print(node.log_tail(), file=sys.stderr)
        node.cleanup()


@contextlib.contextmanager
def module_node(request, accounts=(), params: dict | None = None, **options):
    """Yield one started ``TestNode`` for a module-scoped fixture (tests that share it must not depend
    on each other's transactions: give each its own accounts).  Killed and removed afterwards; the
    tail of its logs is printed if setting up failed or any test failed meanwhile."""
    root = Path(tempfile.mkdtemp(prefix="snm", dir="/tmp"))
    node = TestNode(root, accounts, params, **options).init()
    failed_before = request.session.testsfailed
    try:
        node.start()
        yield node
    except BaseException:
        print(node.log_tail(), file=sys.stderr)
        raise
    finally:
        if request.session.testsfailed > failed_before:
            print(node.log_tail(), file=sys.stderr)
        node.cleanup()


def wait_until(condition, timeout: float, what: str) -> None:
    """Poll ``condition()`` every 50 ms until true; raise ``WaitTimeout`` after ``timeout`` seconds."""
    wait_for(condition, timeout, what)


__all__ = ["CHAIN_ID", "TestNode", "node_factory", "module_node", "free_port", "signer_for", "transfer_tx", "wait_until",
           "pytest_runtest_makereport", "WaitTimeout"]
