"""State keys of the accounts module.

``account(addr)`` keys all start with ``ACCOUNT_PREFIX``, so a prefix scan lists
every account in address order.
"""

from __future__ import annotations

ACCOUNT_PREFIX = b"acc/"
SUPPLY = b"supply"


def account(address: str) -> bytes:
    return ACCOUNT_PREFIX + address.encode()
