"""Migrations are ordinary code, each tested on a state the previous version built."""

from __future__ import annotations

import re
from pathlib import Path

from abci_app.chain.domain.upgrades import registry
from abci_app.chain.domain.validators import state as vals
from tests.support import upgrade_next
from tests.support.chain import TestChain, key
from tests.domain.organizations.support import network_genesis

HERE = Path(__file__).parent


def test_every_upgrade_this_software_registers_has_a_migration_test():
    for name in registry.KNOWN:
        slug = re.sub(r"[^a-z0-9]", "_", name)
        assert (HERE / f"test_migration_{slug}.py").exists(), f"upgrade {name} has no tests/domain/upgrades test"


def test_the_next_versions_migration_turns_decimal_power_records_into_8_byte_integers(tmp_path, monkeypatch):
    chain = TestChain(tmp_path / "v1", balances={key(1): 10}, extra_genesis=network_genesis(key(1)))
    try:
        chain.block()
        before = vals.members(chain.state)
        raw_before = [bytes(v) for _, v in chain.state.iter_prefix(b"val/s/")]
        assert raw_before == [b"10"]
        overlay = chain.app.check_state.fork()   # a copy-on-write overlay over version 1's committed state
        upgrade_next.install(monkeypatch.setattr)
        upgrade_next.migrate(overlay, chain.height + 1)
        assert [bytes(v) for _, v in overlay.iter_prefix(b"val/s/")] == [(10).to_bytes(8, "big")]
        assert vals.members(overlay) == before
    finally:
        chain.close()
