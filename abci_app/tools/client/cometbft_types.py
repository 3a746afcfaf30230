"""CometBFT v0.38 hashing and signing rules a light client needs, from the RPC's JSON.

Written from CometBFT v0.38 ``types/block.go`` (``Header.Hash``), ``types/canonical.go``
and ``types/vote.go`` (``VoteSignBytes``), ``crypto/merkle`` (RFC 6962 tree) and the
gogoproto encoding rules the Go code uses: proto3 scalars are omitted when zero,
non-nullable embedded messages are always written (possibly empty).
"""

from __future__ import annotations

import base64
import calendar
import hashlib
import struct
import time as _time

from abci_app.chain.wire import encode_varint

PRECOMMIT = 2
FLAG_COMMIT = 2


def varint(value: int) -> bytes:
    """Protobuf varint; a negative int64 is written as its 64-bit two's complement."""
    return encode_varint(value & ((1 << 64) - 1))


def _tag(field: int, wire: int) -> bytes:
    return varint(field << 3 | wire)


def f_varint(field: int, value: int) -> bytes:
    return _tag(field, 0) + varint(value) if value else b""


def f_bytes(field: int, data: bytes, always: bool = False) -> bytes:
    return _tag(field, 2) + varint(len(data)) + data if data or always else b""


def f_sfixed64(field: int, value: int) -> bytes:
    return _tag(field, 1) + struct.pack("<q", value) if value else b""


def parse_time(text: str) -> tuple[int, int]:
    """Parse RFC 3339 UTC time as CometBFT prints it into ``(seconds, nanos)`` (no floats)."""
    if not text.endswith("Z"):
        raise ValueError(f"expected a UTC time ending in Z, got {text!r}")
    main, _, fraction = text[:-1].partition(".")
    seconds = calendar.timegm(_time.strptime(main, "%Y-%m-%dT%H:%M:%S"))
    return seconds, int((fraction or "0").ljust(9, "0")[:9])


def timestamp(text: str) -> bytes:
    seconds, nanos = parse_time(text)
    return f_varint(1, seconds) + f_varint(2, nanos)


def part_set_header(parts: dict) -> bytes:
    return f_varint(1, int(parts.get("total", 0))) + f_bytes(2, bytes.fromhex(parts.get("hash", "")))


def block_id(bid: dict) -> bytes:
    """``tendermint.types.BlockID`` (part_set_header is non-nullable: always written)."""
    return f_bytes(1, bytes.fromhex(bid.get("hash", ""))) + f_bytes(2, part_set_header(bid.get("parts", {})), True)


def merkle_root(items: list[bytes]) -> bytes:
    """RFC 6962 Merkle root as ``crypto/merkle.HashFromByteSlices`` computes it."""
    if not items:
        return hashlib.sha256(b"").digest()
    if len(items) == 1:
        return hashlib.sha256(b"\x00" + items[0]).digest()
    split = 1 << ((len(items) - 1).bit_length() - 1)
    return hashlib.sha256(b"\x01" + merkle_root(items[:split]) + merkle_root(items[split:])).digest()


def header_hash(header: dict) -> bytes:
    """``Header.Hash()``: the Merkle root of the 14 encoded header fields."""
    version = header.get("version", {})
    hexes = ("last_commit_hash", "data_hash", "validators_hash", "next_validators_hash", "consensus_hash",
             "app_hash", "last_results_hash", "evidence_hash", "proposer_address")
    fields = [
        f_varint(1, int(version.get("block", 0))) + f_varint(2, int(version.get("app", 0))),
        f_bytes(1, header["chain_id"].encode()),
        f_varint(1, int(header["height"])),
        timestamp(header["time"]),
        block_id(header.get("last_block_id", {})),
    ]
    fields += [f_bytes(1, bytes.fromhex(header.get(name, ""))) for name in hexes]
    return merkle_root(fields)


def vote_sign_bytes(chain_id: str, height: int, round_: int, commit_block_id: dict, time_text: str) -> bytes:
    """``VoteSignBytes`` of a precommit for ``commit_block_id``: length-delimited ``CanonicalVote``."""
    canonical_block_id = (f_bytes(1, bytes.fromhex(commit_block_id.get("hash", "")))
                          + f_bytes(2, part_set_header(commit_block_id.get("parts", {})), True))
    body = (f_varint(1, PRECOMMIT) + f_sfixed64(2, height) + f_sfixed64(3, round_)
            + f_bytes(4, canonical_block_id, True) + f_bytes(5, timestamp(time_text), True)
            + f_bytes(6, chain_id.encode()))
    return varint(len(body)) + body


def b64(text: str | None) -> bytes:
    return base64.b64decode(text or "")
