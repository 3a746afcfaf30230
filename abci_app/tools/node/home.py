"""Create a node home: CometBFT's keys and config, our genesis ``app_state`` and ``app.toml``.

``init_home`` runs ``cometbft init``, then:
* ``config.toml``: ``proxy_app`` is the app's unix socket (``<home>/data/abci.sock``),
  every listen address is on 127.0.0.1, ``tx_index`` is ``kv`` (``/tx`` lookups),
  and block timing comes from ``NodeOptions``;
* ``genesis.json``: our chain id and ``app_state`` (``{"params", "accounts"}``);
* ``config/app.toml``: the app's settings (see ``config/app.example.toml``).

A home that already has a genesis file is refused (never overwrite a chain).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from abci_app.chain import addresses, genesis
from abci_app.tools.node.cometbft import NodeError, patch_config, read_setting, run_init
from abci_app.adapter.settings import APP_TOML, Settings, render

MAX_SOCKET_PATH = 100   # the kernel limit on a unix socket path is 108 bytes
METRICS_OFFSET = 13     # the app's metrics port, from the RPC port (26657 -> 26670)
PROMETHEUS_OFFSET = 3   # CometBFT's Prometheus port, from the RPC port (26657 -> 26660)


@dataclass(frozen=True)
class NodeOptions:
    """What a new home needs; the defaults make a local single-validator chain."""

    chain_id: str = "samen-local"
    moniker: str = "samen-node"
    rpc_port: int = 26657
    p2p_port: int = 26656
    timeout_commit: str = "1s"
    create_empty_blocks: bool = True
    create_empty_blocks_interval: str = "0s"
    accounts: tuple[tuple[str, int], ...] = ()
    params: dict = field(default_factory=dict)
    base_app_state: dict | None = None   # an app_state document to start from (``--app-state``)
    graphql_port: int = 8080
    metrics_port: int | None = None      # the app's Prometheus endpoint (app.toml [metrics]); None: rpc + 13
    prometheus_port: int | None = None   # CometBFT's (config.toml [instrumentation]); None: rpc + 3
    log_level: str = "info"

    def metrics_ports(self) -> tuple[int, int]:
        """``(app, cometbft)`` Prometheus ports: the given ones, else derived from the RPC port.

        Every home on a machine needs its own RPC port, so ports derived from it differ
        between homes too (26670 and 26660 for the default RPC port 26657).  Homes whose
        RPC ports are 3, 10 or 13 apart collide; give them ports 20 or more apart, or
        these ports explicitly (docs/operations.md, "Ports").
        """
        app = self.rpc_port + METRICS_OFFSET if self.metrics_port is None else self.metrics_port
        comet = self.rpc_port + PROMETHEUS_OFFSET if self.prometheus_port is None else self.prometheus_port
        for name, port in (("metrics", app), ("prometheus", comet)):
            if not 1 <= port <= 65535:
                raise NodeError(f"{name} port {port} (from RPC port {self.rpc_port}) is not in 1-65535; "
                                f"pass --{name}-port")
        return app, comet


def genesis_path(home: Path) -> Path:
    return home / "config" / "genesis.json"


def is_initialized(home: Path) -> bool:
    return genesis_path(home).exists()


def socket_path(home: Path) -> Path:
    return home.resolve() / "data" / "abci.sock"


def app_state(options: NodeOptions) -> dict:
    """Build and validate the genesis ``app_state``: ``base_app_state`` plus ``params`` and ``accounts``.

    Only the sections' shape, params, addresses and balances are checked here;
    InitChain validates the rest when the node first starts.
    """
    base = dict(options.base_app_state or {})
    try:
        genesis.load(json.dumps(base).encode())
        params = {**base.get("params", {}), **options.params}
        genesis.parse_params(params)
    except (genesis.GenesisError, TypeError, AttributeError) as exc:
        raise NodeError(f"invalid app_state: {exc}") from None
    accounts = [(a.get("address"), a.get("balance")) for a in base.get("accounts", []) if isinstance(a, dict)]
    accounts += list(options.accounts)
    _check_accounts(accounts)
    return {**base, "params": params, "accounts": [{"address": a, "balance": b} for a, b in accounts]}


def _check_accounts(accounts: list[tuple]) -> None:
    seen = set()
    for address, balance in accounts:
        if not addresses.is_valid(address):
            raise NodeError(f"invalid genesis account address {address!r}")
        if not isinstance(balance, int) or isinstance(balance, bool) or balance < 0:
            raise NodeError(f"genesis balance of {address} must be a non-negative integer")
        if address in seen:
            raise NodeError(f"duplicate genesis account {address}")
        seen.add(address)


def init_home(home: Path, options: NodeOptions) -> Path:
    """Create a complete node home at ``home``; return its absolute path."""
    home = home.resolve()
    if is_initialized(home):
        raise NodeError(f"{home} is already initialized (found {genesis_path(home)})")
    if len(f"unix://{socket_path(home)}") > MAX_SOCKET_PATH:
        raise NodeError(f"home path {home} is too long for the app's unix socket; use a shorter --home")
    state = app_state(options)
    metrics_port, _ = options.metrics_ports()
    home.mkdir(parents=True, exist_ok=True)
    run_init(home)
    patch_config(home / "config" / "config.toml", config_changes(home, options))
    doc = json.loads(genesis_path(home).read_text())
    doc["chain_id"] = options.chain_id
    doc["app_state"] = state
    genesis_path(home).write_text(json.dumps(doc, indent=2) + "\n")
    settings = Settings(home=home, graphql_port=options.graphql_port, metrics_port=metrics_port)
    (home / APP_TOML).write_text(render(settings))
    return home


def config_changes(home: Path, options: NodeOptions) -> dict[tuple[str, str], object]:
    """Return the ``config.toml`` settings ``init_home`` writes."""
    return {
        ("", "proxy_app"): f"unix://{socket_path(home)}",
        ("", "moniker"): options.moniker,
        ("", "abci"): "socket",
        ("", "log_level"): options.log_level,
        ("rpc", "laddr"): f"tcp://127.0.0.1:{options.rpc_port}",
        ("rpc", "pprof_laddr"): "",
        ("rpc", "grpc_laddr"): "",
        ("p2p", "laddr"): f"tcp://127.0.0.1:{options.p2p_port}",
        ("p2p", "external_address"): "",
        ("p2p", "pex"): False,
        ("consensus", "timeout_commit"): options.timeout_commit,
        ("consensus", "create_empty_blocks"): options.create_empty_blocks,
        ("consensus", "create_empty_blocks_interval"): options.create_empty_blocks_interval,
        ("tx_index", "indexer"): "kv",
        ("instrumentation", "prometheus"): True,
        ("instrumentation", "prometheus_listen_addr"): f"127.0.0.1:{options.metrics_ports()[1]}",
    }


def rpc_url(home: Path) -> str:
    """Return the http URL of the node's RPC, from its ``config.toml``."""
    laddr = read_setting(home / "config" / "config.toml", "rpc", "laddr")
    return "http://" + laddr.split("://", 1)[-1]


def chain_id(home: Path) -> str:
    return json.loads(genesis_path(home).read_text())["chain_id"]
