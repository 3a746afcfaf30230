"""``samen tx document publish|attach``.  Everything on the ledger is public: publish hashes, not content."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated

import typer

from abci_app.tools.cli.common import CliError
from abci_app.tools.cli.lazy import factory
from abci_app.tools.cli.marketflow import sha256_hex, tx_command
from abci_app.chain.domain.documents import messages as d


def publish(title: Annotated[str, typer.Option("--title")],
            media_type: Annotated[str, typer.Option("--media-type", help="e.g. application/pdf")],
            file: Annotated[Path | None, typer.Option("--file", help="Hash this local file (it is not uploaded).")]
            = None, hash_hex: Annotated[str, typer.Option("--hash", help="Or give the SHA-256 (hex).")] = "",
            uri: Annotated[str, typer.Option("--uri", help="Where the content can be fetched (optional).")] = "",
            supersedes: Annotated[str, typer.Option("--supersedes", help="Hash of the version this replaces.")] = ""):
    """Publish a document by its SHA-256 hash (only the hash and metadata go on the public ledger)."""
    if (file is None) == (not hash_hex):
        raise CliError("give exactly one of --file and --hash")
    if file is not None:
        try:
            content_hash = hashlib.sha256(file.read_bytes()).digest()
        except OSError as exc:
            raise CliError(f"cannot read {file}: {exc.strerror}") from None
    else:
        content_hash = sha256_hex(hash_hex, "--hash")
    return d.PublishDocument(content_hash, title, media_type, uri, sha256_hex(supersedes, "--supersedes"))


def attach(hash_hex: Annotated[str, typer.Option("--hash", help="Document SHA-256 (hex).")],
           kind: Annotated[str, typer.Option("--to", help="request, offer, agreement, proposal or project")],
           target: Annotated[int, typer.Option("--id", help="Id of the request, offer, ...")]):
    """Attach a published document to a request, offer, agreement, proposal or project."""
    return d.AttachDocument(sha256_hex(hash_hex, "--hash"), kind, target)


@factory
def group() -> typer.Typer:
    app = typer.Typer(help="Documents (content hashes and metadata).", no_args_is_help=True)
    tx_command(app, "publish", publish)
    tx_command(app, "attach", attach)
    return app
