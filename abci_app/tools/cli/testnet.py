"""``samen testnet``: a multi-validator network on loopback, in one directory.

* ``init --validators N --out DIR``  homes, shared genesis, peers (``abci_app.tools.node.testnet``)
* ``start DIR`` / ``stop DIR``        background processes with pid files and per-node logs
* ``status DIR``                      height, app hash and peers per node
* ``add-node DIR``                    a full node that joins by block sync (start it with ``start``)
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from abci_app.tools.cli.common import CliError, Output, OutputOpt, emit, log
from abci_app.tools.node import testnet as testnet_mod
from abci_app.tools.node import testnet_procs as procs
from abci_app.tools.node.cometbft import NodeError

app = typer.Typer(help="Run a multi-validator network on this machine (loopback only).", no_args_is_help=True)
DirArg = Annotated[Path, typer.Argument(help="Testnet directory (made by `samen testnet init`).")]
NodesOpt = Annotated[list[str] | None, typer.Option("--node", help="Only this node (repeatable), e.g. node2.")]


def _load(directory: Path) -> testnet_mod.Testnet:
    try:
        return testnet_mod.load(directory.expanduser())
    except NodeError as exc:
        raise CliError(str(exc)) from None


def _selected(net: testnet_mod.Testnet, names: list[str] | None) -> list[testnet_mod.NodeInfo]:
    if not names:
        return list(net.nodes)
    known = {n.name: n for n in net.nodes}
    missing = [n for n in names if n not in known]
    if missing:
        raise CliError(f"unknown node(s) {', '.join(missing)}; this testnet has {', '.join(known)}")
    return [known[n] for n in names]


@app.command("init")
def init(out: Annotated[Path, typer.Option("--out", help="Directory to create the testnet in.")],
         validators: Annotated[int, typer.Option("--validators", min=1, max=50, help="Number of validators.")] = 4,
         chain_id: Annotated[str, typer.Option("--chain-id", help="Chain id.")] = "samen-testnet",
         base_port: Annotated[int, typer.Option("--base-port", min=1024, max=64000,
                                                help="node i uses base+10i (p2p), +1 (RPC), +2 (GraphQL).")] = 26600,
         timeout_commit: Annotated[str, typer.Option("--timeout-commit", help="CometBFT block pacing.")] = "500ms",
         output: OutputOpt = Output.text) -> None:
    """Create validator homes with one genesis (funded test keys, the network organization) and peers."""
    try:
        net = testnet_mod.init_testnet(out.expanduser(), validators, chain_id, base_port, timeout_commit)
    except NodeError as exc:
        raise CliError(str(exc)) from None
    log("created a testnet; the keyring holds UNENCRYPTED TEST keys: never use them for real value")
    emit({"dir": net.root, "chain_id": net.chain_id,
          "nodes": [{"name": n.name, "rpc": n.rpc_url, "p2p": f"127.0.0.1:{n.p2p_port}", "power": n.power}
                    for n in net.nodes]}, output)


@app.command("start")
def start(directory: DirArg, node: NodesOpt = None, output: OutputOpt = Output.text) -> None:
    """Start every node (app, then CometBFT) in the background; logs in <home>/logs."""
    net = _load(directory)
    started = []
    for info in _selected(net, node):
        try:
            procs.start_node(info)
        except NodeError as exc:
            raise CliError(str(exc)) from None
        started.append(info.name)
    emit({"started": started}, output)


@app.command("stop")
def stop(directory: DirArg, node: NodesOpt = None, output: OutputOpt = Output.text) -> None:
    """Stop nodes (CometBFT, then the app), escalating to SIGKILL after 15 s."""
    net = _load(directory)
    selected = _selected(net, node)
    for info in selected:
        procs.stop_node(info)
    emit({"stopped": [n.name for n in selected]}, output)


@app.command("status")
def status(directory: DirArg, output: OutputOpt = Output.text) -> None:
    """Show each node's height, app hash and peer count (exit 1 if a node does not answer)."""
    net = _load(directory)
    rows = [procs.node_status(info) for info in net.nodes]
    emit({"chain_id": net.chain_id, "nodes": rows}, output)
    if any("error" in row for row in rows):
        raise typer.Exit(1)


@app.command("add-node")
def add_node(directory: DirArg, output: OutputOpt = Output.text) -> None:
    """Add a full node that joins by block sync; start it with `samen testnet start DIR --node NAME`."""
    _load(directory)
    try:
        info = testnet_mod.add_node(directory.expanduser())
    except NodeError as exc:
        raise CliError(str(exc)) from None
    emit({"name": info.name, "home": info.home, "rpc": info.rpc_url, "node_id": info.node_id,
          "consensus_pub_key": info.pub_key}, output)
