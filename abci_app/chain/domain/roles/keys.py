"""State keys of the roles module: ``ROLE_PREFIX`` + pad(org id) + "/" + name -> role."""

from __future__ import annotations

ROLE_PREFIX = b"role/r/"


def of_org(org_id: int) -> bytes:
    return ROLE_PREFIX + b"%020d/" % org_id


def role(org_id: int, name: str) -> bytes:
    return of_org(org_id) + name.encode()
