"""The one router: every ``Action.kind`` oneof field has exactly one registry line, and the reverse."""

from __future__ import annotations

import pytest

from abci_app.chain import components, messages
from abci_app.chain.router import RegistryMismatch, Router, routed
from abci_app.chain.txproto import samen_tx


def _registry_lines() -> dict[str, tuple]:
    return {components.ROUTER.kind_of(cls): components.ROUTER[cls] for cls in components.ROUTER}


def test_every_oneof_field_has_a_registry_line_and_every_line_a_oneof_field():
    fields = [field.name for field in samen_tx.Action.DESCRIPTOR.oneofs_by_name["kind"].fields]
    assert sorted(_registry_lines()) == sorted(fields)
    assert list(messages.KINDS) == fields


def test_each_kind_decodes_to_the_dataclass_named_like_its_oneof_message_type():
    for name, type_name in messages.oneof_fields():
        cls = messages.KINDS[name]
        assert cls.__name__ == type_name
        assert components.ROUTER.kind_of(cls) == name


def test_a_oneof_field_without_a_registry_line_stops_the_build():
    lines = {name: (print, print) for name in messages.KINDS}
    del lines["transfer"]
    with pytest.raises(RegistryMismatch, match="without a registry line: \\['transfer'\\]"):
        Router(messages.KINDS, lines)


def test_a_registry_line_without_a_oneof_field_stops_the_build():
    lines = {name: (print, print) for name in messages.KINDS} | {"teleport": (print, print)}
    with pytest.raises(RegistryMismatch, match="without a oneof field: \\['teleport'\\]"):
        Router(messages.KINDS, lines)


def test_a_oneof_message_type_without_its_dataclass_stops_the_kinds_build():
    without_accounts = tuple(m for m in messages.MODULES if not m.__name__.endswith(".accounts.messages"))
    with pytest.raises(messages.UnknownKind, match="Action.transfer"):
        messages.build_kinds(without_accounts)


def test_a_routed_phase_receives_the_finished_router():
    seen = []

    def stateless(msg, ctx, *, router):
        seen.append(router)

    lines = {name: (print, print) for name in messages.KINDS} | {"transfer": (routed(stateless), print)}
    router = Router(messages.KINDS, lines)
    router[messages.KINDS["transfer"]][0](None, None)
    assert seen == [router]
