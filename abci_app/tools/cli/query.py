"""``samen query account|tx|status``: read committed state and chain data from a node."""

from __future__ import annotations

import base64
import json
from typing import Annotated

import typer

from abci_app.chain import addresses
from abci_app.tools.cli.common import DEFAULT_HOME, CliError, HomeOpt, KeyringDirOpt, NodeOpt, Output, OutputOpt, emit
from abci_app.tools.cli.keys import open_keyring
from abci_app.tools.cli.txflow import flatten_events
from abci_app.tools.cli.verify_opts import (GenesisOpt, HeightOpt, TrustedHashOpt, TrustedHeightOpt, VerifyOpt, proof_fields,
                                      verified_query)
from abci_app.tools.client.keyring import KeyringError
from abci_app.tools.client.rpc import DEFAULT_NODE, ClientError, RpcClient

app = typer.Typer(help="Query a node.", no_args_is_help=True)


def _address(who: str, home, keyring_dir) -> str:
    """Accept an address, or the name of a key in the keyring."""
    if addresses.is_valid(who):
        return who
    try:
        return open_keyring(home, keyring_dir).info(who).address
    except KeyringError:
        raise CliError(f"{who!r} is neither a samen1... address nor a key name in the keyring") from None


@app.command("account")
def account(who: Annotated[str, typer.Argument(help="Address, or key name.")], node: NodeOpt = DEFAULT_NODE,
            home: HomeOpt = DEFAULT_HOME, keyring_dir: KeyringDirOpt = None, output: OutputOpt = Output.text,
            height: HeightOpt = 0, verify: VerifyOpt = False, genesis: GenesisOpt = None,
            trusted_height: TrustedHeightOpt = 0, trusted_hash: TrustedHashOpt = "") -> None:
    """Show an account's balance and next sequence (``--verify``: proven against the validators' signatures)."""
    address = _address(who, home, keyring_dir)
    if verify:
        answer = verified_query(node, f"/account/{address}", b"", height, home, genesis, trusted_height, trusted_hash)
        if answer.value is None:
            raise CliError(f"account {address} not found (proven absent at height {answer.height})")
        value = json.loads(answer.value)
        emit({"address": address, "balance": value.get("balance"), "sequence": value.get("sequence"),
              "height": answer.height, **proof_fields(answer)}, output)
        return
    try:
        with RpcClient(node) as rpc:
            answer = rpc.abci_query(f"/account/{address}", height=height)
    except ClientError as exc:
        raise CliError(str(exc)) from None
    if answer["code"] != 0:
        raise CliError(f"{answer['log']} ({answer['codespace']}/{answer['code']})")
    value = answer["value"] or {}
    emit({"address": address, "balance": value.get("balance"), "sequence": value.get("sequence"),
          "height": answer["height"]}, output)


@app.command("store")
def store(key: Annotated[str, typer.Argument(help="Raw state key, hex.")], node: NodeOpt = DEFAULT_NODE,
          home: HomeOpt = DEFAULT_HOME, output: OutputOpt = Output.text, height: HeightOpt = 0,
          verify: VerifyOpt = False, genesis: GenesisOpt = None, trusted_height: TrustedHeightOpt = 0,
          trusted_hash: TrustedHashOpt = "") -> None:
    """Show the raw value stored under a state key (hex), or prove its absence with ``--verify``."""
    try:
        raw_key = bytes.fromhex(key.removeprefix("0x"))
    except ValueError:
        raise CliError(f"invalid state key {key!r}: expected hex") from None
    if verify:
        answer = verified_query(node, "/store", raw_key, height, home, genesis, trusted_height, trusted_hash)
        emit({"key": raw_key.hex(), "value": None if answer.value is None else answer.value.hex(),
              "present": answer.value is not None, "height": answer.height, **proof_fields(answer)}, output)
        return
    try:
        with RpcClient(node) as rpc:
            found = rpc.call("abci_query", path="/store", data=raw_key.hex(), height=str(height), prove=False)["response"]
    except ClientError as exc:
        raise CliError(str(exc)) from None
    value = base64.b64decode(found.get("value") or "")
    emit({"key": raw_key.hex(), "value": value.hex() if int(found.get("code", 0)) == 0 else None,
          "present": int(found.get("code", 0)) == 0, "height": int(found.get("height", 0))}, output)


@app.command("tx")
def tx(tx_hash: Annotated[str, typer.Argument(metavar="HASH", help="Transaction hash (hex).")],
       node: NodeOpt = DEFAULT_NODE, output: OutputOpt = Output.text) -> None:
    """Show a committed transaction and its result."""
    try:
        raw = bytes.fromhex(tx_hash.removeprefix("0x"))
    except ValueError:
        raise CliError(f"invalid transaction hash {tx_hash!r}: expected 64 hex characters") from None
    if len(raw) != 32:
        raise CliError(f"invalid transaction hash {tx_hash!r}: expected 64 hex characters")
    try:
        with RpcClient(node) as rpc:
            found = rpc.tx(raw)
    except ClientError as exc:
        raise CliError(str(exc)) from None
    if found is None:
        raise CliError(f"transaction {raw.hex().upper()} not found")
    result = found.get("tx_result", {})
    emit({"hash": raw.hex().upper(), "height": int(found["height"]), "index": int(found.get("index", 0)),
          "code": int(result.get("code", 0)), "codespace": result.get("codespace", ""), "log": result.get("log", ""),
          "events": flatten_events(result.get("events", []))}, output)


@app.command("status")
def status(node: NodeOpt = DEFAULT_NODE, output: OutputOpt = Output.text) -> None:
    """Show the node's chain id, latest height, time and app hash."""
    try:
        with RpcClient(node) as rpc:
            doc = rpc.status()
    except ClientError as exc:
        raise CliError(str(exc)) from None
    info, sync = doc["node_info"], doc["sync_info"]
    emit({"chain_id": info["network"], "moniker": info["moniker"], "node_id": info["id"],
          "latest_block_height": int(sync["latest_block_height"]), "latest_block_time": sync["latest_block_time"],
          "latest_app_hash": sync["latest_app_hash"], "catching_up": sync["catching_up"], "node": rpc.url}, output)
