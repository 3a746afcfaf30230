"""The transaction format's message kinds: ``Action.kind`` oneof field name -> message dataclass.

``KINDS`` is derived from the ``oneof`` in ``proto/samen/v1/tx.proto``, in its order: each
field's message type names the dataclass of the same name in a domain package's
``messages`` module (``MODULES``).  Nothing here is written per kind, so a new kind needs
no line in this module; a new domain package adds its ``messages`` module to ``MODULES``.
The handlers of each kind are the router's lines (``abci_app.chain.components``).

This half of the registry holds no handlers, so the codecs and the read side (GraphQL, the
client SDK) decode every kind without loading a handler.
"""

from __future__ import annotations

import dataclasses
from types import ModuleType

from abci_app.chain.domain.accounts import messages as accounts
from abci_app.chain.domain.agreements import messages as agreements
from abci_app.chain.domain.delegation import messages as delegation
from abci_app.chain.domain.documents import messages as documents
from abci_app.chain.domain.market import messages as market
from abci_app.chain.domain.organizations import messages as organizations
from abci_app.chain.domain.projects import messages as projects
from abci_app.chain.domain.proposals import messages as proposals
from abci_app.chain.domain.roles import messages as roles
from abci_app.chain.domain.streams import messages as streams
from abci_app.chain.domain.suborgs import messages as suborgs
from abci_app.chain.domain.upgrades import messages as upgrades
from abci_app.chain.domain.validators import messages as validators
from abci_app.chain.txproto import samen_tx

MODULES: tuple[ModuleType, ...] = (accounts, organizations, proposals, documents, market, agreements, projects,
                                   validators, upgrades, streams, delegation, roles, suborgs)


class UnknownKind(LookupError):
    """A ``oneof`` field whose message type has no dataclass of that name (or more than one)."""


def oneof_fields() -> list[tuple[str, str]]:
    """Return ``(field name, message type name)`` of every ``Action.kind`` member, in field order."""
    oneof = samen_tx.Action.DESCRIPTOR.oneofs_by_name["kind"]
    return [(field.name, field.message_type.name) for field in oneof.fields]


def build_kinds(modules: tuple[ModuleType, ...] = MODULES) -> dict[str, type]:
    """Return field name -> dataclass for every ``oneof`` member; raise ``UnknownKind`` if one has none."""
    defined: dict[str, list[type]] = {}
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == module.__name__:
                defined.setdefault(value.__name__, []).append(value)
    kinds: dict[str, type] = {}
    for name, type_name in oneof_fields():
        found = defined.get(type_name, [])
        if len(found) != 1:
            raise UnknownKind(f"Action.{name}: {len(found)} message dataclasses named {type_name} "
                              f"in the domain messages modules (need exactly one)")
        kinds[name] = found[0]
    return kinds


KINDS: dict[str, type] = build_kinds()
_KIND_OF: dict[type, str] = {cls: name for name, cls in KINDS.items()}


def kind_of(cls: type) -> str:
    """Return the ``oneof`` field name of a message class; ``KeyError`` if it is not a transaction action."""
    try:
        return _KIND_OF[cls]
    except KeyError:
        raise KeyError(f"{cls.__name__} is not a transaction action") from None
