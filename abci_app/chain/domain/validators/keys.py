"""State keys of the validators module (all under ``val/``; sub-prefixes end in ``/``)."""

from __future__ import annotations

ORG = b"val/org"                 # id of the network organization (decimal)
MIN_VALIDATORS = b"val/min"      # smallest allowed set size (decimal)
SET_PREFIX = b"val/s/"           # + pub_key -> power (decimal): the app's view of the set
PENDING_PREFIX = b"val/p/"       # + pub_key -> "old new": changes of the current block
MISBEHAVIOR_PREFIX = b"val/m/"   # + height/index -> misbehavior record
MISBEHAVIOR_COUNT = b"val/mcount"


def member(pub_key: bytes) -> bytes:
    return SET_PREFIX + pub_key


def pending(pub_key: bytes) -> bytes:
    return PENDING_PREFIX + pub_key


def misbehavior(height: int, index: int) -> bytes:
    return MISBEHAVIOR_PREFIX + b"%020d/%06d" % (height, index)
