"""State keys of the roles module.

``ROLE_PREFIX`` + pad(org id) + "/" + name -> role; ``EXPIRY_PREFIX`` + u64be expiry
+ u64be org id + name -> "" (``state.timers`` format, the name as tail): the roles' due
queue (``roles.expiry``), one key per role in state.  Names never contain "/".
"""

from __future__ import annotations

from abci_app.chain.state import timers

ROLE_PREFIX = b"role/r/"
EXPIRY_PREFIX = b"role/x/"


def of_org(org_id: int) -> bytes:
    return ROLE_PREFIX + b"%020d/" % org_id


def role(org_id: int, name: str) -> bytes:
    return of_org(org_id) + name.encode()


def expiry(expires_at: int, org_id: int, name: str) -> bytes:
    return timers.time_key(EXPIRY_PREFIX, expires_at, org_id, tail=name.encode())
