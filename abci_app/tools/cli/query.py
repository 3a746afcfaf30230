"""``samen query account|store|tx|status``: read committed state and chain data from a node.

Imports stay light (no codec, no keyring unless a key name is given) so
``samen query account`` starts fast; an account the chain does not know has
balance 0 and sequence 0 (every address can receive).
"""

from __future__ import annotations

import base64
import json
from typing import Annotated

import typer

from abci_app.chain import addresses
from abci_app.tools.cli.common import (DEFAULT_HOME, DEFAULT_NODE, BadValue, CliError, HomeOpt, KeyringDirOpt, NodeOpt, Output,
                                 OutputOpt, emit)
from abci_app.tools.cli.verify_opts import GenesisOpt, HeightOpt, TrustedHashOpt, TrustedHeightOpt, VerifyOpt

app = typer.Typer(help="Query a node.", no_args_is_help=True)


def _address(who: str, home, keyring_dir) -> str:
    from abci_app.tools.cli.parse import resolve_address
    return resolve_address(who, home, keyring_dir)


@app.command("account")
def account(who: Annotated[str, typer.Argument(help="Address, or key name.")], node: NodeOpt = DEFAULT_NODE,
            home: HomeOpt = DEFAULT_HOME, keyring_dir: KeyringDirOpt = None, output: OutputOpt = Output.text,
            height: HeightOpt = 0, verify: VerifyOpt = False, genesis: GenesisOpt = None,
            trusted_height: TrustedHeightOpt = 0, trusted_hash: TrustedHashOpt = "") -> None:
    """Show an account's balance and next sequence (``--verify``: proven against the validators' signatures)."""
    address = _address(who, home, keyring_dir)
    if verify:
        from abci_app.tools.cli.verify_opts import proof_fields, verified_query
        proven = verified_query(node, f"/account/{address}", b"", height, home, genesis, trusted_height, trusted_hash)
        value = {} if proven.value is None else json.loads(proven.value)   # proven absent: balance 0
        emit({"address": address, "balance": value.get("balance", 0), "sequence": value.get("sequence", 0),
              "height": proven.height, **proof_fields(proven)}, output)
        return
    from abci_app.tools.cli.reader import Reader, module_accounts
    with Reader(node) as reader:
        answer = reader.answer(f"/account/{address}", height=height)
    if answer["code"] != 0 and (answer["codespace"], answer["code"]) != ("query", 3):   # 3: not found
        raise CliError(f"{answer['log']} ({answer['codespace']}/{answer['code']})")
    value = answer["value"] if answer["code"] == 0 and isinstance(answer["value"], dict) else {}
    result = {"address": address, "balance": value.get("balance", 0), "sequence": value.get("sequence", 0),
              "height": answer["height"]}
    if output is Output.text and address in module_accounts():
        result["account"] = module_accounts()[address]
    emit(result, output)


@app.command("store")
def store(key: Annotated[str, typer.Argument(help="Raw state key, hex.")], node: NodeOpt = DEFAULT_NODE,
          home: HomeOpt = DEFAULT_HOME, output: OutputOpt = Output.text, height: HeightOpt = 0,
          verify: VerifyOpt = False, genesis: GenesisOpt = None, trusted_height: TrustedHeightOpt = 0,
          trusted_hash: TrustedHashOpt = "") -> None:
    """Show the raw value stored under a state key (hex), or prove its absence with ``--verify``."""
    try:
        raw_key = bytes.fromhex(key.removeprefix("0x"))
    except ValueError:
        raise BadValue("KEY", f"invalid state key {key!r}: expected hex") from None
    if verify:
        from abci_app.tools.cli.verify_opts import proof_fields, verified_query
        answer = verified_query(node, "/store", raw_key, height, home, genesis, trusted_height, trusted_hash)
        emit({"key": raw_key.hex(), "value": None if answer.value is None else answer.value.hex(),
              "present": answer.value is not None, "height": answer.height, **proof_fields(answer)}, output)
        return
    from abci_app.tools.cli.reader import Reader
    with Reader(node) as reader:
        found = reader.call(reader.rpc.call, "abci_query", path="/store", data=raw_key.hex(), height=str(height),
                            prove=False)["response"]
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
        raw = b""
    if len(raw) != 32:
        raise BadValue("HASH", f"invalid transaction hash {tx_hash!r}: expected 64 hex characters")
    from abci_app.tools.cli.reader import Reader
    with Reader(node) as reader:
        found = reader.call(reader.rpc.tx, raw)
    if found is None:
        raise CliError(f"transaction {raw.hex().upper()} not found")
    from abci_app.tools.cli.effects import executions, flatten_events, show_result
    result = found.get("tx_result", {})
    answer = {"hash": raw.hex().upper(), "height": int(found["height"]), "index": int(found.get("index", 0)),
              "code": int(result.get("code", 0)), "codespace": result.get("codespace", ""),
              "log": result.get("log", ""), "events": flatten_events(result.get("events", []))}
    with Reader(node) as reader:
        show_result(answer | executions(reader.rpc, answer), output, reader.name)


@app.command("status")
def status(node: NodeOpt = DEFAULT_NODE, output: OutputOpt = Output.text) -> None:
    """Show the node's chain id, latest height, time and app hash."""
    from abci_app.tools.cli.reader import Reader
    with Reader(node) as reader:
        doc = reader.call(reader.rpc.status)
    info, sync = doc["node_info"], doc["sync_info"]
    emit({"chain_id": info["network"], "moniker": info["moniker"], "node_id": info["id"],
          "latest_block_height": int(sync["latest_block_height"]), "latest_block_time": sync["latest_block_time"],
          "latest_app_hash": sync["latest_app_hash"], "catching_up": sync["catching_up"], "node": reader.rpc.url}, output)
