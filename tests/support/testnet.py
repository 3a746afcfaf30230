"""A real multi-validator Samen network for fault tests: N validators (app + cometbft each) on loopback.

Contract:
* ``FaultNet(root, validators=4)`` builds the homes with ``samen testnet``'s own
  ``init_testnet`` (so the tests exercise the real layout), funds ``LOAD_KEYS``
  load accounts, and routes every directed peer link (node i dialing node j)
  through a ``LinkProxies`` link tagged ``i`` and ``j``, so ``cut(node)`` isolates
  one node and ``heal(node)`` reconnects it;
* ``NetNode`` wraps one node: ``start``/``kill`` (SIGKILL both)/``stop`` (SIGTERM
  cometbft, SIGINT app)/``pause``/``resume``, ``up`` (whether load may use it);
* every wait is bounded (``WaitTimeout``); processes run in their own session and
  get SIGTERM if the test process dies; ``cleanup()`` kills everything, closes the
  proxies and removes the directory (the ``faultnet`` fixtures call it, also on failure);
* only 127.0.0.1 is ever used.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import signal
import socket
import tempfile
import time
from pathlib import Path

from abci_app.tools.client.rpc import NodeUnreachable, RpcClient, RpcError, WaitTimeout
from abci_app.tools.client.signer import Signer
from abci_app.tools.node import testnet_procs as procs
from abci_app.tools.node.cometbft import patch_config
from abci_app.tools.node.home import socket_path
from abci_app.tools.node.supervisor import die_with_parent
from abci_app.tools.node.testnet import NodeInfo, Testnet, add_node, configure_peers, init_testnet, load
from tests.support.netproxy import LinkProxies
from tests.support.procs import free_port, is_failure, send_signal

LOAD_KEYS = 8


def load_signer(index: int) -> Signer:
    return Signer(hashlib.sha256(b"samen-testnet-load/%d" % index).digest())


def free_base_port(count: int) -> int:
    """Return a base port such that each node's five ports (p2p, rpc, GraphQL, app and CometBFT metrics) were free."""
    for _ in range(50):
        base = free_port() // 10 * 10
        if base + 10 * count > 65000:
            continue
        if all(_free(base + 10 * i + k) for i in range(count) for k in range(5)):
            return base
    raise RuntimeError("no free port range found")


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


class NetNode:
    """One node's processes (see the module contract)."""

    def __init__(self, info: NodeInfo) -> None:
        self.info = info
        self.name = info.name
        self.home = Path(info.home)
        self.app = None
        self.comet = None
        self.up = False
        self.rpc = RpcClient(info.rpc_url, timeout=5.0)
        self.log_mark = 0   # failure lines before this offset were caused on purpose (fail points)

    @property
    def lmdb(self) -> Path:
        return self.home / "data" / "samen"

    def start(self, app_env: dict | None = None, comet_env: dict | None = None) -> "NetNode":
        self.start_app(app_env)
        self.start_cometbft(comet_env)
        return self

    def start_app(self, env: dict | None = None) -> None:
        self.app = procs.start_app(self.info, {"SAMEN_FAIL_POINT": "", **(env or {})}, die_with_parent)

    def start_cometbft(self, env: dict | None = None) -> None:
        self.comet = procs.spawn(self.info, "cometbft", {"FAIL_TEST_INDEX": "", **(env or {})}, die_with_parent)
        self.up = True

    def kill(self) -> None:
        self.up = False
        for process in (self.comet, self.app):
            send_signal(process, signal.SIGKILL)
        self.wait_exit(10.0)

    def stop(self, timeout: float = 15.0) -> None:
        """Stop cleanly (CometBFT, then the app); SIGKILL whatever does not stop in time."""
        self.up = False
        for process, sig in ((self.comet, signal.SIGTERM), (self.app, signal.SIGINT)):
            if process is not None and process.poll() is None:
                procs.stop_pid(process.pid, sig, timeout)
                process.wait(5)

    def pause(self) -> None:
        self.up = False
        for process in (self.comet, self.app):
            send_signal(process, signal.SIGSTOP)

    def resume(self) -> None:
        for process in (self.app, self.comet):
            send_signal(process, signal.SIGCONT)
        self.up = True

    def wait_exit(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        for process in (self.comet, self.app):
            if process is not None:
                process.wait(max(0.1, deadline - time.monotonic()))

    def running(self) -> bool:
        return all(p is not None and p.poll() is None for p in (self.app, self.comet))

    def height(self) -> int | None:
        """The latest committed height, or ``None`` if the RPC does not answer."""
        try:
            return int(self.rpc.call("status", timeout=2.0)["sync_info"]["latest_block_height"])
        except (NodeUnreachable, RpcError, KeyError, ValueError):
            return None

    def _log_text(self) -> str:
        path = procs.log_path(self.info, "cometbft")
        return path.read_text(errors="replace") if path.exists() else ""

    def forgive(self) -> None:
        """Ignore the failure lines logged so far (a crash the test caused on purpose)."""
        self.log_mark = len(self._log_text())

    def log_since_mark(self) -> str:
        """CometBFT's log after ``log_mark`` (what the node logged since the last ``forgive``)."""
        return self._log_text()[self.log_mark:]

    def failure_lines(self) -> list[str]:
        """CometBFT log lines after ``log_mark`` that show a panic, consensus failure or app-hash mismatch."""
        text = self._log_text()[self.log_mark:]
        return [line for line in text.splitlines() if is_failure(line)]

    def close(self) -> None:
        for process in (self.comet, self.app):
            send_signal(process, signal.SIGCONT)
            send_signal(process, signal.SIGKILL)
            if process is not None:
                process.wait(10)
        self.rpc.close()


class FaultNet:
    """A loopback network of ``validators`` validators behind cuttable links (see the module contract)."""

    def __init__(self, root: Path | None = None, validators: int = 4, timeout_commit: str = "300ms",
                 timeout_propose: str = "1s") -> None:
        self.root = root or Path(tempfile.mkdtemp(prefix="stn", dir="/tmp"))
        self.load_signers = [load_signer(i) for i in range(LOAD_KEYS)]
        self.proxies = LinkProxies()
        self.extra: list[NetNode] = []
        self.config = init_testnet(self.root / "net", validators, "samen-faults", free_base_port(validators + 3),
                                   timeout_commit, timeout_propose,
                                   accounts=tuple((s.address, 10**12) for s in self.load_signers))
        self.validators = [NetNode(info) for info in self.config.nodes]
        self._route_through_proxies(timeout_propose)

    def _route_through_proxies(self, timeout_propose: str) -> None:
        for node in self.validators:
            peers = []
            for other in self.validators:
                if other is not node:
                    port = free_port()
                    self.proxies.add(port, other.info.p2p_port, (node.name, other.name))
                    peers.append(other.info.peer(port=port))
            configure_peers(node.home, peers, timeout_propose)

    @property
    def nodes(self) -> list[NetNode]:
        return self.validators + self.extra

    def manifest(self) -> Testnet:
        return load(self.root / "net")

    def signer(self, name: str) -> Signer:
        return self.config.keyring().signer(name)

    def start(self, timeout: float = 60.0) -> None:
        for node in self.validators:
            node.start()
        self.wait_all(2, timeout)

    def live(self) -> list[NetNode]:
        return [n for n in self.nodes if n.up]

    def tip(self) -> int:
        return max([h for h in (n.height() for n in self.live()) if h is not None] or [0])

    def wait_all(self, height: int, timeout: float, nodes: list[NetNode] | None = None) -> float:
        """Wait until every node in ``nodes`` (default: live ones) is at ``height``; return seconds taken."""
        start = time.monotonic()
        for node in nodes or self.live():
            remaining = timeout - (time.monotonic() - start)
            if remaining <= 0:
                raise WaitTimeout(f"{node.name} did not reach height {height} within {timeout:g}s")
            node.rpc.wait_for_height(height, remaining)
        return time.monotonic() - start

    def wait_caught_up(self, node: NetNode, timeout: float) -> float:
        """Wait until ``node`` is within one block of the other live nodes' tip; return seconds taken."""
        start = time.monotonic()
        while True:
            others = [n for n in self.live() if n is not node]
            tip = max([h for h in (n.height() for n in others) if h is not None] or [0])
            mine = node.height()
            if mine is not None and mine >= tip - 1:
                return time.monotonic() - start
            if time.monotonic() - start > timeout:
                raise WaitTimeout(f"{node.name} at {mine} did not catch up with {tip} within {timeout:g}s")
            time.sleep(0.2)

    def cut(self, node: NetNode) -> int:
        return self.proxies.cut(node.name)

    def heal(self, node: NetNode) -> None:
        self.proxies.heal(node.name)

    def add_full_node(self, peers: list[NetNode] | None = None) -> NetNode:
        """Add a non-validator node whose links to the validators (``peers``: only these) are cuttable
        proxies too (not started)."""
        node = NetNode(add_node(self.root / "net"))
        self._dial_validators_via_proxies(node, self.validators if peers is None else peers)
        self.extra.append(node)
        return node

    def _dial_validators_via_proxies(self, node: NetNode, validators: list[NetNode]) -> None:
        """Point ``node``'s persistent peers at proxies tagged with both names (so ``cut`` isolates either side)."""
        peers = []
        for other in validators:
            port = free_port()
            self.proxies.add(port, other.info.p2p_port, (node.name, other.name))
            peers.append(other.info.peer(port=port))
        configure_peers(node.home, peers)

    def clone_validator(self, source: NetNode, name: str) -> NetNode:
        """Copy ``source``'s home (stopped) into a new node with the SAME consensus key (a double signer)."""
        home = self.root / name
        shutil.copytree(source.home, home, ignore=shutil.ignore_patterns("*.sock", "logs", "run"))
        (home / "config" / "node_key.json").write_text(json.dumps(_node_key()))
        p2p, rpc = free_port(), free_port()
        move_ports(home, p2p, rpc)
        info = NodeInfo(name, str(home), p2p, rpc, "", source.info.pub_key, 0)
        node = NetNode(info)
        self._dial_validators_via_proxies(node, [v for v in self.validators if v is not source])
        self.extra.append(node)
        return node

    def cleanup(self) -> None:
        for node in self.nodes:
            node.close()
        self.proxies.close()
        shutil.rmtree(self.root, ignore_errors=True)


def _node_key() -> dict:
    """A fresh p2p node key in CometBFT's ``node_key.json`` form (seed || public key)."""
    signer = Signer.generate()
    seed = signer.seed
    return {"priv_key": {"type": "tendermint/PrivKeyEd25519",
                         "value": base64.b64encode(seed + signer.public_key).decode()}}


def move_ports(home: Path, p2p: int, rpc: int) -> None:
    """Move a copied home to new ports and its own app socket."""
    patch_config(home / "config" / "config.toml", {
        ("", "proxy_app"): f"unix://{socket_path(home)}",
        ("rpc", "laddr"): f"tcp://127.0.0.1:{rpc}",
        ("p2p", "laddr"): f"tcp://127.0.0.1:{p2p}",
    })
