"""The app-hash rule (interim commitment; a Merkle tree with proofs replaces it).

    app_hash(H) = app_hash(H-1)                                   if block H wrote nothing
    app_hash(H) = SHA-256("samen/apphash/v0" || app_hash(H-1) || SHA-256(W))   otherwise

where W is the block's sorted write set, each entry encoded as
``u32be(len(key)) || key || 0x00`` for a delete or
``u32be(len(key)) || key || 0x01 || u32be(len(value)) || value`` for a put.
The genesis hash is the rule applied to the genesis writes with an all-zero
previous hash.  The cost is linear in the block's writes, not in the state size,
and a block without writes leaves the hash unchanged, so an idle chain can rest
(``create_empty_blocks = false``).
"""

from __future__ import annotations

import hashlib
import struct

GENESIS_PREVIOUS = bytes(32)
_DOMAIN = b"samen/apphash/v0"


def next_app_hash(previous: bytes, write_set: list[tuple[bytes, bytes | None]]) -> bytes:
    if not write_set:
        return previous
    digest = hashlib.sha256()
    pack = struct.Struct(">I").pack
    for key, value in write_set:
        digest.update(pack(len(key)))
        digest.update(key)
        if value is None:
            digest.update(b"\x00")
        else:
            digest.update(b"\x01")
            digest.update(pack(len(value)))
            digest.update(value)
    return hashlib.sha256(_DOMAIN + previous + digest.digest()).digest()
