"""A file keyring: one JSON file per named ed25519 key.

Layout and rules (see ``config/README.md``):
* the directory is created with mode 0700; each key is ``<name>.key.json`` with
  mode 0600, written to a temporary file and renamed into place (atomic);
* a key file (or the directory) that is readable or writable by group or others
  is refused with an error naming the file; nothing is read from it;
* a key is either ``encrypted`` (scrypt KDF -> ChaCha20-Poly1305 over the seed,
  the key's name and address bound as associated data) or ``unencrypted``, a
  clearly labelled test key for development chains only;
* new keys use scrypt N = 2^17, r = 8, p = 1 (128 MiB, as OWASP and age suggest) and a
  passphrase of at least ``MIN_PASSPHRASE`` characters;
* KDF parameters read from a file (stored or imported) must be within ``KDF_BOUNDS``
  (N a power of two from 2^14 to 2^20, r 1-32, p 1-16, at most 1 GiB of memory;
  16-64 byte salt, 12-byte nonce, a 48-byte sealed seed) before any work is done, so
  a crafted file cannot make the CLI spend unbounded memory or time;
* key names match ``[A-Za-z0-9][A-Za-z0-9_.-]{0,63}`` exactly (no trailing newline);
* a wrong passphrase raises ``KeyringError("wrong passphrase ...")``.

Exported documents have the same format as the stored files, so ``import``
accepts what ``export`` produced.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

from abci_app.chain import addresses

if TYPE_CHECKING:   # signing and key encryption load only when a key is used (a fast `samen query`)
    from abci_app.tools.client.signer import Signer

FORMAT = "samen-key/1"
ENCRYPTED = "encrypted"
UNENCRYPTED = "unencrypted"
TEST_KEY_NOTE = "UNENCRYPTED TEST KEY: for development chains only, never hold real value with it"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 1 << 17, 8, 1
MIN_PASSPHRASE = 8
KDF_BOUNDS = {"n": (1 << 14, 1 << 20), "r": (1, 32), "p": (1, 16), "memory": 1 << 30, "salt": (16, 64)}
NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
SUFFIX = ".key.json"


class KeyringError(Exception):
    """A keyring operation failed; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """The public part of a stored key."""

    name: str
    address: str
    public_key: str      # hex
    protection: str      # ENCRYPTED or UNENCRYPTED

    def as_dict(self) -> dict:
        return {"name": self.name, "address": self.address, "public_key": self.public_key,
                "protection": self.protection}


def check_name(name: str) -> str:
    if not isinstance(name, str) or not NAME_RE.fullmatch(name):
        raise KeyringError(f"invalid key name {name!r}: use 1-64 letters, digits, '_', '.', '-'")
    return name


def seal(name: str, signer: Signer, passphrase: str | None) -> dict:
    """Return the stored document for ``signer``; ``passphrase=None`` makes a test key."""
    doc = {"format": FORMAT, "name": name, "address": signer.address, "public_key": signer.public_key.hex()}
    if passphrase is None:
        return doc | {"protection": UNENCRYPTED, "note": TEST_KEY_NOTE, "seed": signer.seed.hex()}
    if len(passphrase) < MIN_PASSPHRASE:
        raise KeyringError(f"passphrase too short: use at least {MIN_PASSPHRASE} characters, or create an "
                           "unencrypted test key")
    salt, nonce = os.urandom(16), os.urandom(12)
    key = _kdf(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
    sealed = ChaCha20Poly1305(key).encrypt(nonce, signer.seed, _aad(name, signer.address))
    return doc | {"protection": ENCRYPTED,
                  "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "salt": salt.hex()},
                  "cipher": {"name": "chacha20-poly1305", "nonce": nonce.hex(), "ciphertext": sealed.hex()}}


def unseal(doc: dict, passphrase: str | None) -> Signer:
    """Return the signer in a stored document; raise ``KeyringError`` on a wrong passphrase."""
    try:
        if doc.get("format") != FORMAT:
            raise KeyringError(f"not a {FORMAT} key document")
        if doc["protection"] == UNENCRYPTED:
            from abci_app.tools.client.signer import Signer
            signer = Signer(bytes.fromhex(doc["seed"]))
        elif doc["protection"] == ENCRYPTED:
            signer = _decrypt(doc, passphrase)
        else:
            raise KeyringError(f"unknown key protection {doc['protection']!r}")
    except (KeyError, ValueError, TypeError) as exc:
        raise KeyringError(f"damaged key document for {doc.get('name')!r}: {exc}") from None
    if signer.address != doc["address"]:
        raise KeyringError(f"damaged key document for {doc['name']!r}: the seed does not match the address")
    return signer


def _decrypt(doc: dict, passphrase: str | None) -> Signer:
    if passphrase is None:
        raise KeyringError(f"key {doc['name']!r} is encrypted: a passphrase is needed")
    kdf, cipher = doc["kdf"], doc["cipher"]
    if kdf["name"] != "scrypt" or cipher["name"] != "chacha20-poly1305":
        raise KeyringError("unsupported key encryption")
    salt, n, r, p = bytes.fromhex(kdf["salt"]), kdf["n"], kdf["r"], kdf["p"]
    nonce, sealed = bytes.fromhex(cipher["nonce"]), bytes.fromhex(cipher["ciphertext"])
    _check_kdf(n, r, p, salt)
    if len(nonce) != 12 or len(sealed) != 48:
        raise KeyringError("damaged key document: the nonce or sealed seed has the wrong length")
    key = _kdf(passphrase, salt, n, r, p)
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
    try:
        seed = ChaCha20Poly1305(key).decrypt(nonce, sealed, _aad(doc["name"], doc["address"]))
    except InvalidTag:
        raise KeyringError(f"wrong passphrase for key {doc['name']!r}") from None
    from abci_app.tools.client.signer import Signer
    return Signer(seed)


def _check_kdf(n, r, p, salt: bytes) -> None:
    """Raise ``KeyringError`` unless the scrypt parameters are within ``KDF_BOUNDS`` (module doc)."""
    bounds = KDF_BOUNDS
    ints = all(type(v) is int for v in (n, r, p))
    if not ints or n & (n - 1) or not all(lo <= v <= hi for v, (lo, hi) in
                                           ((n, bounds["n"]), (r, bounds["r"]), (p, bounds["p"]))):
        raise KeyringError(f"unsupported scrypt parameters n={n!r}, r={r!r}, p={p!r}: n must be a power of two "
                           f"from 2^14 to 2^20, r 1-32, p 1-16")
    if 128 * n * r > bounds["memory"] or not bounds["salt"][0] <= len(salt) <= bounds["salt"][1]:
        raise KeyringError("unsupported scrypt parameters: more than 1 GiB of memory, or a salt not of 16-64 bytes")


def _kdf(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode())


def _aad(name: str, address: str) -> bytes:
    return f"{FORMAT}\x00{name}\x00{address}".encode()


class Keyring:
    """Named keys in one directory."""

    def __init__(self, directory: Path) -> None:
        self.dir = Path(directory)

    def path(self, name: str) -> Path:
        return self.dir / (check_name(name) + SUFFIX)

    def names(self) -> list[str]:
        if not self.dir.exists():
            return []
        self._check_dir()
        return sorted(p.name[:-len(SUFFIX)] for p in self.dir.glob("*" + SUFFIX))

    def exists(self, name: str) -> bool:
        return self.path(name).exists()

    def add(self, name: str, signer: Signer, passphrase: str | None) -> KeyInfo:
        """Store ``signer`` under ``name``; refuse to overwrite an existing key."""
        if self.exists(name):
            raise KeyringError(f"key {name!r} already exists in {self.dir}")
        self.write_document(name, seal(name, signer, passphrase))
        return self.info(name)

    def read_document(self, name: str) -> dict:
        path = self.path(name)
        if not path.exists():
            raise KeyringError(f"no key named {name!r} in {self.dir}")
        self._check_dir()
        _check_private(path)
        try:
            return json.loads(path.read_text())
        except ValueError as exc:
            raise KeyringError(f"key file {path} is not valid JSON: {exc}") from None

    def info(self, name: str) -> KeyInfo:
        doc = self.read_document(name)
        return KeyInfo(name, doc.get("address", ""), doc.get("public_key", ""), doc.get("protection", "?"))

    def protection(self, name: str) -> str:
        return self.info(name).protection

    def signer(self, name: str, passphrase: str | None = None) -> Signer:
        return unseal(self.read_document(name), passphrase)

    def delete(self, name: str) -> None:
        path = self.path(name)
        if not path.exists():
            raise KeyringError(f"no key named {name!r} in {self.dir}")
        path.unlink()

    def write_document(self, name: str, doc: dict) -> None:
        """Write a key document atomically with mode 0600 in a 0700 directory."""
        self._ensure_dir()
        data = json.dumps(doc, indent=2, sort_keys=True).encode() + b"\n"
        fd, tmp = tempfile.mkstemp(dir=self.dir, prefix=".tmp-", suffix=SUFFIX)
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.replace(tmp, self.path(name))
        except OSError:
            os.unlink(tmp)
            raise
        dir_fd = os.open(self.dir, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def _ensure_dir(self) -> None:
        if not self.dir.exists():
            self.dir.mkdir(parents=True, mode=0o700)
            os.chmod(self.dir, 0o700)
        self._check_dir()

    def _check_dir(self) -> None:
        mode = stat.S_IMODE(self.dir.stat().st_mode)
        if mode & 0o077:
            raise KeyringError(f"keyring directory {self.dir} is accessible by group or others "
                               f"(mode {mode:04o}); run: chmod 700 {self.dir}")


def _check_private(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise KeyringError(f"key file {path} is readable or writable by group or others "
                           f"(mode {mode:04o}); run: chmod 600 {path}")


def validate_address(text: str) -> str:
    """Return ``text`` if it is a samen address, else raise ``KeyringError``."""
    if not addresses.is_valid(text):
        raise KeyringError(f"invalid address {text!r}: expected a samen1... bech32 address")
    return text
