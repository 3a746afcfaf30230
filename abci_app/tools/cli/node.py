"""``samen init``, ``samen start``, ``samen devnet`` and ``samen graphql``: create and run a node home."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from abci_app.tools.cli.common import DEFAULT_HOME, CliError, HomeOpt, Output, OutputOpt, emit, home_path, log
from abci_app.tools.node import devnet as devnet_mod
from abci_app.tools.node.cometbft import NodeError
from abci_app.tools.node.home import NodeOptions, chain_id, init_home, rpc_url
from abci_app.tools.node.run import graphql_available, node_children
from abci_app.tools.node.supervisor import Supervisor
from abci_app.tools.node import loglines, versions
from abci_app.adapter.upgrade_info import EXIT_CODE as UPGRADE_EXIT
from abci_app.chain.query_args import MAX_U64, parse_uint
from abci_app.adapter.settings import Settings

START_TIMEOUT = 120.0   # seconds a child may take to become ready (CometBFT may replay blocks first)
NoGraphqlOpt = Annotated[bool, typer.Option("--no-graphql", help="Do not start the GraphQL server.")]
RpcPortOpt = Annotated[int, typer.Option("--rpc-port", min=1, max=65535, help="RPC port on 127.0.0.1.")]
GraphqlPortOpt = Annotated[int, typer.Option("--graphql-port", min=1, max=65535, help="GraphQL port on 127.0.0.1.")]
P2pPortOpt = Annotated[int, typer.Option("--p2p-port", min=1, max=65535, help="P2P port on 127.0.0.1.")]
MetricsPortOpt = Annotated[int | None, typer.Option(
    "--metrics-port", min=1, max=65535, help="The app's Prometheus port on 127.0.0.1 (default: RPC port + 13).")]
PrometheusPortOpt = Annotated[int | None, typer.Option(
    "--prometheus-port", min=1, max=65535, help="CometBFT's Prometheus port on 127.0.0.1 (default: RPC port + 3).")]


def _parse_account(text: str) -> tuple[str, int]:
    address, sep, amount = text.partition("=")
    value = parse_uint(amount, MAX_U64) if sep else None
    if value is None:
        raise CliError(f"--account must be ADDRESS=AMOUNT with a non-negative integer amount, got {text!r}")
    return address, value


def init(home: HomeOpt = DEFAULT_HOME,
         chain_id_: Annotated[str, typer.Option("--chain-id", help="Chain id.")] = "samen-local",
         moniker: Annotated[str, typer.Option("--moniker", help="Node name.")] = "samen-node",
         account: Annotated[list[str] | None, typer.Option("--account", help="Genesis ADDRESS=AMOUNT (repeatable).")] = None,
         app_state: Annotated[Path | None, typer.Option("--app-state", help="Genesis app_state JSON to start from.")] = None,
         min_fee: Annotated[int | None, typer.Option("--min-fee", min=0, help="Genesis param min_fee.")] = None,
         timeout_commit: Annotated[str, typer.Option("--timeout-commit", help="CometBFT block pacing.")] = "1s",
         rpc_port: RpcPortOpt = 26657, p2p_port: P2pPortOpt = 26656, graphql_port: GraphqlPortOpt = 8080,
         metrics_port: MetricsPortOpt = None, prometheus_port: PrometheusPortOpt = None,
         output: OutputOpt = Output.text) -> None:
    """Create a node home: CometBFT config and keys, genesis, app config."""
    accounts = tuple(_parse_account(a) for a in account or [])
    params = {} if min_fee is None else {"min_fee": min_fee}
    options = NodeOptions(chain_id=chain_id_, moniker=moniker, rpc_port=rpc_port, p2p_port=p2p_port,
                          timeout_commit=timeout_commit, accounts=accounts, params=params, graphql_port=graphql_port,
                          base_app_state=_read_app_state(app_state), metrics_port=metrics_port,
                          prometheus_port=prometheus_port)
    try:
        path = init_home(home_path(home), options)
    except NodeError as exc:
        raise CliError(str(exc)) from None
    emit({"home": str(path), "chain_id": chain_id_, "rpc": rpc_url(path)}, output)


def _read_app_state(path: Path | None) -> dict | None:
    if path is None:
        return None
    try:
        doc = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise CliError(f"cannot read app_state file {path}: {exc}") from None
    if not isinstance(doc, dict):
        raise CliError(f"app_state file {path} must hold a JSON object")
    return doc.get("app_state", doc)   # a whole genesis.json or just its app_state


def run_group(home: Path, no_graphql: bool, on_ready=None, make_children=node_children) -> None:
    """Run the node group of ``home`` in the foreground; exit non-zero if a child died.

    When the app stops for an upgrade (exit status 3), switch to ``versions/NAME`` if it is
    installed and run the group again; otherwise say what to install (``tools.node.versions``).
    """
    while True:
        try:
            children = make_children(home, with_graphql=not no_graphql)
        except NodeError as exc:
            raise CliError(str(exc)) from None
        supervisor = Supervisor(children, out=sys.stderr, ready_timeout=START_TIMEOUT)
        code = supervisor.run(on_ready=on_ready)
        if code == 0:
            return
        app = children[0].process
        decision = versions.after_halt(home) if app is not None and app.returncode == UPGRADE_EXIT else None
        if decision is not None:
            supervisor.say(decision.message, "info" if decision.switched else "error")
        if decision is None or not decision.switched:
            raise typer.Exit(code)


def start(home: HomeOpt = DEFAULT_HOME, no_graphql: NoGraphqlOpt = False) -> None:
    """Run CometBFT, the app (and GraphQL when installed) as one group; Ctrl-C stops all."""
    path = home_path(home).resolve()
    run_group(path, no_graphql, on_ready=lambda: _announce(path, not no_graphql))


def _announce(home: Path, with_graphql: bool) -> None:
    log(loglines.own(f"RPC listening on {rpc_url(home)}"))
    if with_graphql and graphql_available():
        settings = Settings.load(home)
        log(loglines.own(f"GraphQL listening on http://{settings.graphql_host}:{settings.graphql_port}/graphql"))


def devnet(home: Annotated[Path, typer.Option("--home", help="Devnet home directory.")] = Path(".devnet"),
           no_graphql: NoGraphqlOpt = False, rpc_port: RpcPortOpt = 26657, p2p_port: P2pPortOpt = 26656,
           graphql_port: GraphqlPortOpt = 8080, output: OutputOpt = Output.text) -> None:
    """Start a one-validator development chain (initialized on first use) with funded test keys."""
    path = home_path(home).resolve()
    try:
        created, keys = devnet_mod.ensure_devnet(path, rpc_port, p2p_port, graphql_port)
    except NodeError as exc:
        raise CliError(str(exc)) from None
    log(f"{'created' if created else 'reusing'} devnet home {path}")
    emit({"home": str(path), "chain_id": chain_id(path), "rpc": rpc_url(path),
          "keyring": str(devnet_mod.keyring_dir(path)),
          "keys": [{"name": k.name, "address": k.address, "protection": k.protection} for k in keys]}, output)
    log("keys are UNENCRYPTED TEST KEYS; try: samen tx transfer --home "
        f"{home} --node {rpc_url(path)} --from alice --to <address> --amount 10")
    sys.stdout.flush()
    run_group(path, no_graphql, on_ready=lambda: _announce(path, not no_graphql))


def graphql(home: HomeOpt = DEFAULT_HOME,
            host: Annotated[str | None, typer.Option("--host", help="Listen address (default: app.toml).")] = None,
            port: Annotated[int | None, typer.Option("--port", min=1, max=65535, help="Listen port.")] = None) -> None:
    """Run the read-only GraphQL server (and the dashboard at /) alone against a node home."""
    path = home_path(home).resolve()
    if not (path / "config" / "app.toml").exists():
        raise CliError(f"{path} is not a node home (no config/app.toml): run `samen init` first")
    argv = [sys.executable, "-m", "graphql_api", "--home", str(path)]
    argv += ["--host", host] if host else []
    argv += ["--port", str(port)] if port else []
    os.execv(sys.executable, argv)
