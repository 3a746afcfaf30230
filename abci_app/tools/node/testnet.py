"""A multi-validator network in one directory: ``samen testnet init`` and ``add-node``.

Layout of ``DIR`` (every path below is created here, nothing elsewhere)::

    DIR/testnet.json       the manifest: chain id and, per node, home, ports, node id,
                           consensus key and power (0 for a full node)
    DIR/keyring/           unencrypted TEST keys: operator0..N-1 (the validators'
                           accounts, members of the network organization) and
                           alice, bob (funded dev accounts)
    DIR/node0 .. nodeN-1   validator homes (``samen init`` layout)
    DIR/nodeN ...          full nodes added later with ``add_node``

Decisions:
* every node listens on 127.0.0.1 with its own ports: node i uses
  ``base_port + 10*i`` (p2p), ``+1`` (RPC), ``+2`` (GraphQL, not started by the
  testnet); the app talks to CometBFT over the home's unix socket;
* one genesis for all: the validators' consensus keys (power ``POWER`` each) in
  CometBFT's ``validators`` and, identically, in the app's ``validators`` section,
  which also founds the network organization (operators with weight 1, a
  proposal passes with 2/3 of the weight, voting period 10 minutes, no delay);
* peers: ``persistent_peers`` lists every other validator; ``pex`` is off,
  ``allow_duplicate_ip`` on and ``addr_book_strict`` off (all on one IP).
  ``docs/testnet.md`` shows the same homes on separate machines.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from abci_app.tools.client.keyring import Keyring
from abci_app.tools.client.signer import Signer
from abci_app.tools.node.cometbft import NodeError, patch_config
from abci_app.tools.node.home import NodeOptions, genesis_path, init_home

MANIFEST = "testnet.json"
POWER = 10
DEV_KEYS = ("alice", "bob")
BALANCE = 1_000_000_000
POLICY = {"kind": 2, "threshold": 6667, "voting_period": 600, "min_delay": 0}


@dataclass(frozen=True)
class NodeInfo:
    name: str
    home: str
    p2p_port: int
    rpc_port: int
    node_id: str
    pub_key: str        # base64 ed25519 consensus key
    power: int          # genesis power; 0 for a full node
    operator: str = ""  # keyring name of the validator's account

    @property
    def rpc_url(self) -> str:
        return f"http://127.0.0.1:{self.rpc_port}"

    def peer(self, host: str = "127.0.0.1", port: int | None = None) -> str:
        return f"{self.node_id}@{host}:{port or self.p2p_port}"


@dataclass(frozen=True)
class Testnet:
    root: str
    chain_id: str
    base_port: int
    timeout_commit: str
    nodes: tuple[NodeInfo, ...]

    @property
    def validators(self) -> tuple[NodeInfo, ...]:
        return tuple(n for n in self.nodes if n.power > 0)

    def keyring(self) -> Keyring:
        return Keyring(Path(self.root) / "keyring")


def load(root: Path) -> Testnet:
    """Read ``DIR/testnet.json`` (raise ``NodeError`` if ``root`` is not a testnet)."""
    path = Path(root) / MANIFEST
    if not path.exists():
        raise NodeError(f"{root} is not a testnet directory (no {MANIFEST}); run `samen testnet init` first")
    doc = json.loads(path.read_text())
    return Testnet(doc["root"], doc["chain_id"], doc["base_port"], doc["timeout_commit"],
                   tuple(NodeInfo(**n) for n in doc["nodes"]))


def save(net: Testnet) -> None:
    doc = {"root": net.root, "chain_id": net.chain_id, "base_port": net.base_port,
           "timeout_commit": net.timeout_commit, "nodes": [asdict(n) for n in net.nodes]}
    (Path(net.root) / MANIFEST).write_text(json.dumps(doc, indent=2) + "\n")


def node_id(home: Path) -> str:
    """Return the p2p node id: hex of the first 20 bytes of SHA-256 of the node key's public half."""
    doc = json.loads((home / "config" / "node_key.json").read_text())
    public = base64.b64decode(doc["priv_key"]["value"])[32:]
    return hashlib.sha256(public).digest()[:20].hex()


def consensus_key(home: Path) -> str:
    """Return the base64 ed25519 public key of ``priv_validator_key.json``."""
    return json.loads((home / "config" / "priv_validator_key.json").read_text())["pub_key"]["value"]


def _make_node(root: Path, index: int, chain_id: str, base_port: int, timeout_commit: str,
               power: int, operator: str) -> NodeInfo:
    home = root / f"node{index}"
    p2p, rpc = base_port + 10 * index, base_port + 10 * index + 1
    init_home(home, NodeOptions(chain_id=chain_id, moniker=f"node{index}", rpc_port=rpc, p2p_port=p2p,
                                timeout_commit=timeout_commit, graphql_port=base_port + 10 * index + 2,
                                metrics_port=base_port + 10 * index + 3, prometheus_port=base_port + 10 * index + 4))
    return NodeInfo(f"node{index}", str(home.resolve()), p2p, rpc, node_id(home), consensus_key(home), power, operator)


def init_testnet(root: Path, validators: int = 4, chain_id: str = "samen-testnet", base_port: int = 26600,
                 timeout_commit: str = "500ms", timeout_propose: str = "1s",
                 accounts: tuple[tuple[str, int], ...] = ()) -> Testnet:
    """Create ``validators`` validator homes under ``root`` with one shared genesis; return the manifest.

    ``accounts`` are extra funded genesis accounts ``(address, balance)`` (load generators).
    """
    root = root.resolve()
    if (root / MANIFEST).exists():
        raise NodeError(f"{root} already holds a testnet ({MANIFEST}); choose another --out")
    if not 1 <= validators <= 50:
        raise NodeError(f"--validators must be between 1 and 50, got {validators}")
    root.mkdir(parents=True, exist_ok=True)
    keyring = Keyring(root / "keyring")
    operators = [keyring.add(f"operator{i}", Signer.generate(), passphrase=None) for i in range(validators)]
    dev = [keyring.add(name, Signer.generate(), passphrase=None) for name in DEV_KEYS]
    nodes = tuple(_make_node(root, i, chain_id, base_port, timeout_commit, POWER, f"operator{i}")
                  for i in range(validators))
    net = Testnet(str(root), chain_id, base_port, timeout_commit, nodes)
    funded = [(a, BALANCE) for a in [o.address for o in operators] + [d.address for d in dev]] + list(accounts)
    genesis = _genesis(Path(nodes[0].home), net, [o.address for o in operators], funded)
    for node in nodes:
        genesis_path(Path(node.home)).write_text(genesis)
        configure_peers(Path(node.home), [n.peer() for n in nodes if n is not node], timeout_propose)
    save(net)
    return net


def _genesis(first_home: Path, net: Testnet, operators: list[str], funded: list[tuple[str, int]]) -> str:
    doc = json.loads(genesis_path(first_home).read_text())
    doc["validators"] = [{"address": _consensus_address(n.pub_key),
                          "pub_key": {"type": "tendermint/PubKeyEd25519", "value": n.pub_key},
                          "power": str(n.power), "name": n.name} for n in net.nodes]
    app_state = doc["app_state"]
    app_state["accounts"] = [{"address": a, "balance": b} for a, b in funded]
    app_state["validators"] = {
        "organization": {"name": "network", "purpose": "decides who validates this chain",
                         "members": [{"address": a, "weight": 1} for a in operators], "policy": dict(POLICY)},
        "validators": [{"pub_key": n.pub_key, "power": n.power} for n in net.nodes],
        "min_validators": 1,
    }
    return json.dumps(doc, indent=2) + "\n"


def _consensus_address(pub_key_b64: str) -> str:
    return hashlib.sha256(base64.b64decode(pub_key_b64)).digest()[:20].hex().upper()


def configure_peers(home: Path, peers: list[str], timeout_propose: str = "1s") -> None:
    """Point ``home``'s CometBFT at ``peers`` (``id@host:port``) with the loopback-friendly p2p settings."""
    patch_config(home / "config" / "config.toml", {
        ("p2p", "persistent_peers"): ",".join(peers),
        ("p2p", "allow_duplicate_ip"): True,
        ("p2p", "addr_book_strict"): False,
        ("consensus", "timeout_propose"): timeout_propose,
    })


def add_node(root: Path) -> NodeInfo:
    """Add a full node (no voting power) that joins by block sync from the validators; return it."""
    net = load(root)
    index = len(net.nodes)
    node = _make_node(Path(net.root), index, net.chain_id, net.base_port, net.timeout_commit, 0, "")
    source = genesis_path(Path(net.nodes[0].home)).read_text()
    genesis_path(Path(node.home)).write_text(source)
    configure_peers(Path(node.home), [n.peer() for n in net.validators])
    save(Testnet(net.root, net.chain_id, net.base_port, net.timeout_commit, net.nodes + (node,)))
    return node
