"""State keys of the reputation module: ``account(addr)`` and ``tagged(addr, tag)``."""

from __future__ import annotations


def account(address: str) -> bytes:
    return b"rep/a/" + address.encode()


def tags_of(address: str) -> bytes:
    return b"rep/t/" + address.encode() + b"/"


def tagged(address: str, tag: str) -> bytes:
    return tags_of(address) + tag.encode()
