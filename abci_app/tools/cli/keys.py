"""``samen keys add|list|show|delete|export|import``: the file keyring.

Keys are encrypted with a passphrase unless ``--unencrypted`` makes a labelled
test key.  Passphrases come from ``$SAMEN_PASSPHRASE`` or a hidden prompt.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from abci_app.tools.cli.common import (DEFAULT_HOME, CliError, HomeOpt, KeyringDirOpt, Output, OutputOpt, emit,
                                 keyring_path, log, passphrase)
from abci_app.tools.client.keyring import TEST_KEY_NOTE, UNENCRYPTED, Keyring, KeyringError, seal, unseal

if TYPE_CHECKING:
    from abci_app.tools.client.signer import Signer

app = typer.Typer(help="Manage the keys in a file keyring.", no_args_is_help=True)

NameArg = Annotated[str, typer.Argument(help="Key name.")]
UnencryptedOpt = Annotated[bool, typer.Option("--unencrypted", help="Store without a passphrase (test keys only).")]


def open_keyring(home: Path, keyring_dir: Path | None) -> Keyring:
    return Keyring(keyring_path(home, keyring_dir))


def unlock(keyring: Keyring, name: str) -> Signer:
    """Return the signer of ``name``, asking for its passphrase only if it is encrypted."""
    try:
        if keyring.protection(name) == UNENCRYPTED:
            return keyring.signer(name)
        return keyring.signer(name, passphrase(f"Passphrase for key {name!r}"))
    except KeyringError as exc:
        raise CliError(str(exc)) from None


def _new_passphrase(unencrypted: bool) -> str | None:
    if unencrypted:
        log(f"warning: {TEST_KEY_NOTE}")
        return None
    return passphrase("New passphrase", confirm=True)


@app.command("add")
def add(name: NameArg, unencrypted: UnencryptedOpt = False,
        recover: Annotated[bool, typer.Option("--recover", help="Read a 32-byte hex seed from stdin.")] = False,
        home: HomeOpt = DEFAULT_HOME, keyring_dir: KeyringDirOpt = None, output: OutputOpt = Output.text) -> None:
    """Create (or recover) a key and store it under NAME."""
    keyring = open_keyring(home, keyring_dir)
    try:
        if keyring.exists(name):
            raise KeyringError(f"key {name!r} already exists in {keyring.dir}")
        from abci_app.tools.client.signer import Signer
        signer = _read_seed() if recover else Signer.generate()
        info = keyring.add(name, signer, _new_passphrase(unencrypted))
    except KeyringError as exc:
        raise CliError(str(exc)) from None
    emit(info.as_dict(), output)


def _read_seed() -> Signer:
    text = typer.prompt("Seed (64 hex characters)", hide_input=True, err=True).strip()
    try:
        seed = bytes.fromhex(text)
    except ValueError:
        raise KeyringError("the seed must be 64 hex characters") from None
    if len(seed) != 32:
        raise KeyringError(f"the seed must be 32 bytes, got {len(seed)}")
    from abci_app.tools.client.signer import Signer
    return Signer(seed)


@app.command("list")
def list_keys(home: HomeOpt = DEFAULT_HOME, keyring_dir: KeyringDirOpt = None, output: OutputOpt = Output.text) -> None:
    """List the keys: name, address, protection."""
    keyring = open_keyring(home, keyring_dir)
    try:
        keys = [keyring.info(name).as_dict() for name in keyring.names()]
    except KeyringError as exc:
        raise CliError(str(exc)) from None
    if output is Output.text and not keys:
        log(f"no keys in {keyring.dir}")
    emit(keys, output)


@app.command("show")
def show(name: NameArg, address_only: Annotated[bool, typer.Option("--address", "-a", help="Print only the address.")] = False,
         home: HomeOpt = DEFAULT_HOME, keyring_dir: KeyringDirOpt = None, output: OutputOpt = Output.text) -> None:
    """Show a key's public information."""
    try:
        info = open_keyring(home, keyring_dir).info(name)
    except KeyringError as exc:
        raise CliError(str(exc)) from None
    if address_only:
        emit(info.address if output is Output.text else {"address": info.address}, output)
    else:
        emit(info.as_dict(), output)


@app.command("delete")
def delete(name: NameArg, yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
           home: HomeOpt = DEFAULT_HOME, keyring_dir: KeyringDirOpt = None, output: OutputOpt = Output.text) -> None:
    """Delete a key (asks for confirmation unless -y)."""
    keyring = open_keyring(home, keyring_dir)
    try:
        info = keyring.info(name)
        if not yes and not typer.confirm(f"Delete key {name!r} ({info.address})?", err=True):
            raise CliError("aborted: key not deleted")
        keyring.delete(name)
    except KeyringError as exc:
        raise CliError(str(exc)) from None
    emit({"deleted": name, "address": info.address}, output)


@app.command("export")
def export(name: NameArg, unencrypted: UnencryptedOpt = False,
           home: HomeOpt = DEFAULT_HOME, keyring_dir: KeyringDirOpt = None) -> None:
    """Print a key document (encrypted with an export passphrase unless --unencrypted) on stdout."""
    keyring = open_keyring(home, keyring_dir)
    signer = unlock(keyring, name)
    try:
        doc = seal(name, signer, None if unencrypted else passphrase("Export passphrase", confirm=True))
    except KeyringError as exc:
        raise CliError(str(exc)) from None
    if unencrypted:
        log(f"warning: the exported key is not encrypted: {TEST_KEY_NOTE}")
    typer.echo(json.dumps(doc, indent=2, sort_keys=True))


@app.command("import")
def import_key(name: NameArg, file: Annotated[str, typer.Argument(help="Exported key document, or - for stdin.")],
               unencrypted: UnencryptedOpt = False, home: HomeOpt = DEFAULT_HOME,
               keyring_dir: KeyringDirOpt = None, output: OutputOpt = Output.text) -> None:
    """Import a key document written by ``samen keys export`` under NAME."""
    keyring = open_keyring(home, keyring_dir)
    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text()
        doc = json.loads(text)
        if not isinstance(doc, dict):
            raise KeyringError("the key document must be a JSON object")
        if keyring.exists(name):
            raise KeyringError(f"key {name!r} already exists in {keyring.dir}")
        secret = None if doc.get("protection") == UNENCRYPTED else passphrase("Passphrase of the exported key")
        signer = unseal(doc | {"name": doc.get("name", name)}, secret)
        info = keyring.add(name, signer, _new_passphrase(unencrypted))
    except (OSError, ValueError) as exc:
        raise CliError(f"cannot read key document {file}: {exc}") from None
    except KeyringError as exc:
        raise CliError(str(exc)) from None
    emit(info.as_dict(), output)
