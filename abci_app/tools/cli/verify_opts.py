"""``--verify`` for ``samen query``: check an answer against what the validators signed.

Trust comes from a genesis file (``--genesis``, default ``<home>/config/genesis.json``)
or from a height and header hash the user trusts (``--trusted-height`` and
``--trusted-hash``, obtained from a source the user trusts).  From there the
verifier follows the chain's validator changes (``abci_app.tools.client.trust``) to the
header after the answer's height, checks its commit and the answer's proof
(``docs/proofs.md`` §4).  A failed check exits with ``EXIT_UNVERIFIED`` (5) and the
reason on one line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from abci_app.tools.cli.common import EXIT_UNVERIFIED, CliError, home_path

if TYPE_CHECKING:
    from abci_app.tools.client.verify import VerifiedAnswer

VerifyOpt = Annotated[bool, typer.Option("--verify", help="Check the answer against the validators' signatures.")]
GenesisOpt = Annotated[Path | None, typer.Option("--genesis", help="Genesis file to trust (default: <home>/config/genesis.json).")]
TrustedHeightOpt = Annotated[int, typer.Option("--trusted-height", min=0, max=(1 << 63) - 1, help="Trust the header at this height ...")]
TrustedHashOpt = Annotated[str, typer.Option("--trusted-hash", help="... whose hash (hex) is this.")]
HeightOpt = Annotated[int, typer.Option("--height", min=0, max=(1 << 63) - 1, help="Read the state at this height (0: the latest).")]


def verified_query(node: str, path: str, data: bytes, height: int, home: Path, genesis: Path | None,
                   trusted_height: int, trusted_hash: str) -> VerifiedAnswer:
    """Ask ``node`` with ``prove=true`` and verify the answer; raise ``CliError`` on any failure."""
    if bool(trusted_height) != bool(trusted_hash):
        raise CliError("--trusted-height and --trusted-hash go together")
    from abci_app.tools.client.rpc import ClientError, RpcClient   # here, not at import: a fast samen start
    from abci_app.tools.client.trust import RpcSource, Trust
    from abci_app.tools.client.verify import VerificationError, Verifier
    try:
        with RpcClient(node) as rpc:
            source = RpcSource(rpc)
            trust = (Trust.from_header(source, trusted_height, trusted_hash) if trusted_height
                     else Trust.from_genesis(source, _genesis(home, genesis)))
            return Verifier(rpc, trust.chain_id, trust).query(path, data, height)
    except VerificationError as exc:
        raise CliError(f"verification failed: {exc}", EXIT_UNVERIFIED) from None
    except ClientError as exc:
        raise CliError(str(exc)) from None


def _genesis(home: Path, genesis: Path | None) -> dict:
    path = (genesis or home_path(home) / "config" / "genesis.json").expanduser()
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise CliError(f"cannot read the genesis to trust at {path}: {exc}; give --genesis or "
                       f"--trusted-height/--trusted-hash") from None


def proof_fields(answer: VerifiedAnswer) -> dict:
    return {"verified": True, "proof_height": answer.height, "app_hash": answer.app_hash.hex().upper()}
