"""Sign, broadcast and await any transaction action: the one path every ``samen tx`` command uses.

A new command builds its message dataclass and calls ``sign_and_broadcast``; the
shared options come from ``TxOptions`` (build it with ``tx_options``).  Steps:

1. read the chain id (unless given) and the signer's sequence from the node;
2. print a human-readable summary on stderr and ask to confirm (unless ``-y``);
3. sign and ``broadcast_tx_sync``; on "account sequence mismatch" re-read the
   sequence and retry once;
4. with ``wait``, poll ``/tx`` until the transaction is in a block (bounded).

After inclusion the result is printed with its effects in words
(``abci_app.tools.cli.effects``).  Failures raise ``CliError``: rejected by CheckTx or in
the block -> exit 3 (the result is still printed on stdout; times in the chain's
message shown as dates, and a hint where the fix is known, e.g. an object that
belongs to an organization's treasury: ``--propose-in N``), not included in time
-> exit 4, anything else -> exit 1.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Annotated, Any

import typer

from abci_app.chain import messages, txcodec
from abci_app.tools.cli.common import EXIT_REJECTED, EXIT_TIMEOUT, CliError, Output, log
from abci_app.tools.cli.effects import flatten_events, show_result
from abci_app.tools.client.rpc import ClientError, RpcClient, WaitTimeout
from abci_app.tools.client.signer import Signer
from abci_app.chain.errors import SequenceMismatch

ChainIdOpt = Annotated[str | None, typer.Option("--chain-id", help="Chain id (default: read from the node).")]
FeeOpt = Annotated[int, typer.Option("--fee", min=0, help="Fee paid by the signer (or by --fee-payer).")]
FeePayerOpt = Annotated[str, typer.Option("--fee-payer", help="Organization treasury address whose fee allowance "
                                          "pays the fee (the signer needs no account of its own).")]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Sign without asking for confirmation.")]
WaitOpt = Annotated[bool, typer.Option("--wait/--no-wait", help="Wait until the transaction is in a block.")]
_EXPECTED = re.compile(r"expected (\d+), got \d+")
TimeoutOpt = Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds to wait for inclusion.")]


@dataclass(frozen=True, slots=True)
class TxOptions:
    """The options shared by every ``samen tx`` command."""

    node: str
    chain_id: str | None = None
    fee: int = 0
    yes: bool = False
    wait: bool = True
    timeout: float = 30.0
    output: Output = Output.text
    fee_payer: str = ""


def account_sequence(rpc: RpcClient, address: str) -> int:
    """Return the next sequence of ``address`` (0 for an account the chain does not know yet)."""
    answer = rpc.abci_query(f"/account/{address}")
    if answer["code"] != 0 or not isinstance(answer["value"], dict):
        return 0
    return int(answer["value"]["sequence"])


def describe(action: Any, indent: str = "  ") -> list[str]:
    """Return summary lines for a message dataclass: its type and each field, in words (no Python reprs)."""
    lines = [f"{indent}action: {messages.kind_of(type(action))}"]
    for f in dataclasses.fields(action):
        value = getattr(action, f.name)
        if isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]) and \
                hasattr(value[0], "__dataclass_fields__") and f.name == "actions":
            lines.append(f"{indent}actions:")
            for inner in value:
                lines.extend(describe(inner, indent + "    "))
            continue
        lines.append(f"{indent}{f.name}: {words(f.name, value)}")
    return lines


def words(name: str, value: Any) -> str:
    """A field value as a person reads it: dates for times, members as ``address (weight 3)``, lists joined."""
    from abci_app.tools.cli.render import TIME_KEYS, when
    import time as wallclock
    if isinstance(value, bytes):
        return value.hex() or "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) and (name in TIME_KEYS or name.endswith("_at")):
        return when(value, int(wallclock.time()))
    if isinstance(value, tuple):
        return ", ".join(words(name, v) for v in value) or "-"
    if dataclasses.is_dataclass(value):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        if set(fields) == {"address", "weight"}:
            return f"{fields['address']} (weight {fields['weight']})"
        return "; ".join(f"{k} {words(k, v)}" for k, v in fields.items())
    if isinstance(value, str):
        return value if value else "-"
    return str(value)


def _confirm(signer: Signer, action: Any, chain_id: str, sequence: int, opts: TxOptions) -> None:
    """Show what will be signed and ask; ``-y`` skips both (scripts read only stdout)."""
    if opts.yes:
        return
    log("Transaction to sign:")
    for line in [f"  chain: {chain_id}", f"  from: {signer.address}", f"  sequence: {sequence}",
                 f"  fee: {opts.fee}" + (f" (paid by {opts.fee_payer})" if opts.fee_payer else ""),
                 *describe(action)]:
        log(line)
    if not typer.confirm("Sign and broadcast?", err=True):
        raise CliError("aborted: nothing was signed")


def _is_sequence_mismatch(result: dict) -> bool:
    return result.get("codespace") == SequenceMismatch.codespace and int(result.get("code", 0)) == SequenceMismatch.code


def retry_sequence(rpc: RpcClient, address: str, log_text: str) -> int:
    """Return the sequence to retry with: the committed one, or the node's "expected N" if higher.

    CheckTx counts the signer's pending mempool transactions, committed state does
    not; the node's log ("account sequence mismatch: expected 4, got 3") says which.
    """
    committed = account_sequence(rpc, address)
    match = _EXPECTED.search(log_text or "")
    return max(committed, int(match.group(1))) if match else committed


def sign_and_broadcast(action: Any, signer: Signer, opts: TxOptions) -> dict:
    """Sign ``action`` for ``signer``, broadcast it and (with ``opts.wait``) await it; print and return the result."""
    from abci_app.tools.cli.reader import Reader
    try:
        with RpcClient(opts.node) as rpc:
            result = _broadcast(rpc, action, signer, opts)
            if opts.wait:
                result = _await_inclusion(rpc, result, opts, action)
            show_result(result, opts.output, Reader(rpc=rpc).name)
    except ClientError as exc:
        raise CliError(str(exc)) from None
    return result


def _broadcast(rpc: RpcClient, action: Any, signer: Signer, opts: TxOptions) -> dict:
    chain_id = opts.chain_id or rpc.status()["node_info"]["network"]
    sequence = account_sequence(rpc, signer.address)
    _confirm(signer, action, chain_id, sequence, opts)
    for attempt in (1, 2):
        raw = signer.sign_tx(chain_id, sequence, action, fee=opts.fee, fee_payer=opts.fee_payer)
        answer = rpc.broadcast_tx_sync(raw)
        if attempt == 1 and _is_sequence_mismatch(answer):
            log(f"{answer.get('log')}; re-reading the sequence and retrying once")
            sequence = retry_sequence(rpc, signer.address, answer.get("log", ""))
            continue
        break
    result = {"hash": txcodec.tx_hash(raw).hex().upper(), "code": int(answer.get("code", 0)),
              "codespace": answer.get("codespace", ""), "log": answer.get("log", ""), "sequence": sequence}
    if result["code"] != 0:
        _reject(result, "rejected by CheckTx", opts, rpc, action)
    log(f"broadcast {result['hash']} (passed CheckTx)")
    return result


def _await_inclusion(rpc: RpcClient, result: dict, opts: TxOptions, action: Any = None) -> dict:
    log(f"waiting up to {opts.timeout:g}s for inclusion...")
    try:
        found = rpc.wait_for_tx(bytes.fromhex(result["hash"]), timeout=opts.timeout)
    except WaitTimeout as exc:
        show_result(result | {"status": "pending"}, opts.output)
        raise CliError(str(exc), EXIT_TIMEOUT) from None
    tx_result = found.get("tx_result", {})
    result = result | {"height": int(found["height"]), "code": int(tx_result.get("code", 0)),
                       "codespace": tx_result.get("codespace", ""), "log": tx_result.get("log", ""),
                       "events": flatten_events(tx_result.get("events", []))}
    if result["code"] != 0:
        _reject(result, f"rejected in block {result['height']}", opts, rpc, action)
    from abci_app.tools.cli.effects import executions
    return result | executions(rpc, result)


def _reject(result: dict, where: str, opts: TxOptions, rpc: Any = None, action: Any = None) -> None:
    show_result(result, opts.output)
    message = result["log"]
    if rpc is not None:
        from abci_app.tools.cli.hints import explain
        message = explain(rpc, action, message)
    raise CliError(f"transaction {where} ({result['codespace']}/{result['code']}): {message}", EXIT_REJECTED)
