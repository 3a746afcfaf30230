"""What the query commands share: one ABCI query, the chain's time, names for addresses, error wording.

``Reader(node)`` wraps one RPC connection for one command: ``get(path)`` returns
the answer's value or raises a one-line ``CliError`` (times in the node's message
rewritten as dates), ``now()`` is the latest block time, ``name(address)`` names the
module accounts (``MODULE_ACCOUNTS``) and organization treasuries.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from typing import Any

from abci_app.tools.cli.common import CliError

MODULE_ACCOUNTS = {"escrow": "escrow", "dispute_bonds": "dispute bonds", "project_budgets": "project budgets",
                   "community_pool": "community pool", "stream_reserves": "stream reserves"}
_UNIX_TIME = re.compile(r"\b(at|until|after|before|by|time|ended at|ends at)( block time)? (1[5-9]\d{8}|[2-3]\d{9})\b")


@lru_cache(maxsize=1)
def module_accounts() -> dict[str, str]:
    """Map each module account's address to its name (``escrow``, ``community pool``, ...)."""
    from abci_app.chain import addresses
    return {addresses.module(key): name for key, name in MODULE_ACCOUNTS.items()}


def dated(message: str, now: int) -> str:
    """Rewrite Unix times in a node's message as dates with relative times."""
    from abci_app.tools.cli.render import when
    return _UNIX_TIME.sub(lambda m: f"{m.group(1)}{m.group(2) or ''} {when(int(m.group(3)), now)}", message)


class Reader:
    """One command's reads from a node (see the module docstring)."""

    def __init__(self, node: str = "", rpc: Any = None) -> None:
        if rpc is None:
            from abci_app.tools.client.rpc import RpcClient
            rpc = RpcClient(node)
        self.rpc = rpc
        self._now: int | None = None
        self._names: dict[str, str] = {}

    def __enter__(self) -> "Reader":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.rpc.close()

    def call(self, function: Any, *args: Any, **kwargs: Any) -> Any:
        from abci_app.tools.client.rpc import ClientError
        try:
            return function(*args, **kwargs)
        except ClientError as exc:
            raise CliError(str(exc)) from None

    def answer(self, path: str, height: int = 0) -> dict:
        return self.call(self.rpc.abci_query, path, height=height)

    def get(self, path: str) -> Any:
        """The value at ``path``; a rejection is a one-line error with its code."""
        answer = self.answer(path)
        if answer["code"] != 0:
            raise CliError(f"{dated(answer['log'], self.now())} ({answer['codespace']}/{answer['code']})")
        return answer["value"]

    def now(self) -> int:
        """The latest block's time in Unix seconds (what "in 3 h" is relative to)."""
        if self._now is None:
            text = self.call(self.rpc.status)["sync_info"]["latest_block_time"]
            self._now = block_seconds(text)
        return self._now

    def name(self, address: str) -> str:
        """``address`` with its name in brackets when it is a module account or a treasury."""
        if address not in self._names:
            label = module_accounts().get(address)
            if label is None and address.startswith("samen1"):
                found = self.answer(f"/org/treasury/{address}")
                if found["code"] == 0 and isinstance(found["value"], dict):
                    label = f"treasury of organization {found['value']['id']}"
            self._names[address] = f"{address} ({label})" if label else address
        return self._names[address]


def block_seconds(text: str) -> int:
    """CometBFT's RFC 3339 time (nanoseconds, ``Z``) as Unix seconds."""
    head = text.split(".")[0].removesuffix("Z")
    return int(datetime.fromisoformat(head + "+00:00").timestamp())
