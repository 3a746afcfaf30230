"""Upgrade ``v2``: version 1's three time-index encodings become the one format, at the upgrade height.

Two chains run the same transactions under "version 1" (this file's own encoding of
version 1's keys, taken from its source: ``%016x`` in market, projects and roles,
``%016x/%016x/%04x`` in agreements, ``%020d`` in proposals), with pending items in
every time-indexed queue, and both schedule ``v2``.  At its height chain ``migrated``
runs this software (the real migration, ``release.migrate``) while chain ``control``
keeps version 1's keys and applies a no-op upgrade of the same name and version.  Then
both run the same blocks: every block's events are equal (the queues fire the same
items at the same heights), and their states are equal once the control's keys are
re-encoded.
"""

from __future__ import annotations

import json
from contextlib import contextmanager

import pytest

from abci_app.adapter.app import LedgerApp
from abci_app.adapter.storage.export import export_state
from abci_app.adapter.storage.store import Store
from abci_app.chain.domain.agreements import keys as agreement_keys
from abci_app.chain.domain.due import DueQueue
from abci_app.chain.domain.market import keys as market_keys
from abci_app.chain.domain.projects import keys as project_keys
from abci_app.chain.domain.projects.messages import CreateProject, OfferProject
from abci_app.chain.domain.proposals import keys as proposal_keys
from abci_app.chain.domain.proposals.messages import YES
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.roles import keys as role_keys
from abci_app.chain.domain.roles.messages import GrantRole
from abci_app.chain.domain.upgrades import registry, release
from abci_app.chain.domain.upgrades.events import UpgradeApplied
from abci_app.chain.domain.upgrades.messages import ScheduleUpgrade
from abci_app.chain.state import timers
from tests.domain.organizations.support import advance, create_org, network_genesis, propose, threshold, vote
from tests.domain.organizations.test_community_pool import NETWORK, run
from tests.support.chain import TestChain, key
from tests.support.market import DAY, Market, make_agreement, request_msg

VALIDATOR, REQUESTER, PROVIDER = key(11), key(21), key(22)
V1_FORMATS = {market_keys.DUE_PREFIX: (b"%016x/%016x", 16), project_keys.DUE_PREFIX: (b"%016x/%016x", 16),
              agreement_keys.DUE_PREFIX: (b"%016x/%016x/%04x", 16),
              proposal_keys.VOTING_ENDS: (b"%020d/%020d", 10), proposal_keys.EXECUTIONS: (b"%020d/%020d", 10),
              role_keys.EXPIRY_PREFIX: (b"%016x/%016x/", 16)}   # then the role's name
NOOP = registry.Upgrade(release.NAME, release.APP_VERSION, lambda state, height: None)


def v1_key(prefix: bytes, time: int, *ids: int, tail: bytes = b"") -> bytes:
    return prefix + V1_FORMATS[prefix][0] % (time, *ids) + tail


def v1_decode(prefix: bytes, key: bytes) -> tuple[int, tuple[int, ...], bytes]:
    """``(time, ids, tail)`` of a version 1 key."""
    fmt, base = V1_FORMATS[prefix]
    parts = bytes(key[len(prefix):]).split(b"/", fmt.count(b"/"))
    numbers, tail = (parts[:-1], parts[-1]) if fmt.endswith(b"/") else (parts, b"")
    return int(numbers[0], base), tuple(int(n, base) for n in numbers[1:]), tail


def v1_parse(prefix: bytes, key: bytes) -> tuple[int, tuple[int, ...]]:
    time, ids, _ = v1_decode(prefix, key)
    return time, ids


def v1_split(prefix: bytes, key: bytes) -> tuple[int, bytes]:
    """Version 1's reading of a key, handed on as this version's ``rest`` (ids as 8 bytes, then tail)."""
    time, ids, tail = v1_decode(prefix, key)
    return time, b"".join(i.to_bytes(8, "big") for i in ids) + tail


@contextmanager
def software(version_1_keys: bool, known: dict):
    """Run the enclosed blocks as a build with version 1's key code (or this one's) and these upgrades."""
    with pytest.MonkeyPatch.context() as patch:
        if version_1_keys:
            patch.setattr(timers, "time_key", v1_key)
            patch.setattr(timers, "parse_time_key", v1_parse)
            patch.setattr(timers, "split_time_key", v1_split)
        patch.setattr(registry, "KNOWN", known)
        yield


def build_version_1_history(chain: TestChain) -> int:
    """Pending items in every time-indexed queue, then the upgrade scheduled; return its height."""
    market = Market(chain)
    market.ok(REQUESTER, request_msg(chain.time))                                   # mkt/due: offers until +7 days
    make_agreement(market, REQUESTER, PROVIDER)                                     # agr/due: milestone deadline
    market.ok(REQUESTER, CreateProject("course", "train volunteers", 500))
    market.ok(REQUESTER, OfferProject(1, PROVIDER.address, chain.time + DAY))       # prj/due: offer expiry
    org_id = create_org(chain, REQUESTER, {REQUESTER: 1}, threshold(1, voting_period=2 * DAY, min_delay=3 * DAY))
    passed = propose(chain, REQUESTER, org_id, Transfer(PROVIDER.address, 1))
    vote(chain, REQUESTER, passed, YES)                                             # prop/exe: runs after 3 days
    propose(chain, REQUESTER, org_id, Transfer(PROVIDER.address, 2))                # prop/end: voting ends in 2 days
    grant = GrantRole(NETWORK, "treasurer", VALIDATOR.address, ("transfer",), 10, DAY, chain.time + 4 * DAY)
    assert run(chain, VALIDATOR, NETWORK, grant).status == "executed"               # role/x: expires in 4 days
    height = chain.height + 6
    assert run(chain, VALIDATOR, NETWORK, ScheduleUpgrade(release.NAME, height)).status == "executed"
    while chain.height < height - 1:
        chain.block()
    return height


def state_of(chain: TestChain, reencode: bool = False) -> dict[bytes, bytes]:
    """Every key and value of the committed state; ``reencode``: version 1 time-index keys in the new format."""
    out = {}
    for key_, value in chain.state.iter_prefix(b""):
        key_ = bytes(key_)
        prefix = next((p for p in V1_FORMATS if key_.startswith(p)), None)
        if reencode and prefix is not None:
            time, ids, tail = v1_decode(prefix, key_)
            key_ = timers.time_key(prefix, time, *ids, tail=tail)
        out[key_] = bytes(value)
    return out


def new_chain(path) -> TestChain:
    with software(version_1_keys=True, known={}):   # genesis written by version 1
        return TestChain(path, balances={p: 1_000_000 for p in (VALIDATOR, REQUESTER, PROVIDER)},
                         extra_genesis=network_genesis(VALIDATOR))


@pytest.fixture
def chains(tmp_path):
    made = [new_chain(tmp_path / name) for name in ("control", "migrated")]
    yield made
    for chain in made:
        chain.close()


def test_the_migration_moves_every_pending_item_to_its_new_key_and_changes_nothing_else(tmp_path):
    migrated = new_chain(tmp_path / "chain")
    with software(version_1_keys=True, known={}):
        height = build_version_1_history(migrated)
    before = state_of(migrated)
    old = {k: v for k, v in before.items() if any(k.startswith(p) for p in V1_FORMATS)}
    assert {p for p in V1_FORMATS if any(k.startswith(p) for k in old)} == set(V1_FORMATS), "an empty queue"
    overlay = migrated.app.check_state.fork()
    release.migrate(overlay, height)
    expected = {k: None for k in old} | {_reencoded(p, k): v for k, v in old.items() for p in V1_FORMATS
                                          if k.startswith(p)}
    migrated.close()
    changed = {k: v for k, v in overlay.write_set() if before.get(k) != v}   # rewriting an equal value is no change
    assert changed == expected


def test_after_the_upgrade_the_due_queues_fire_the_same_items_at_the_same_heights(chains):
    control, migrated = chains
    for chain in chains:
        with software(version_1_keys=True, known={}):
            height = build_version_1_history(chain)
    with software(version_1_keys=True, known={NOOP.name: NOOP}):
        at_height = control.block()
    upgraded = migrated.block()   # this software: the real migration
    assert upgraded.events[0] == at_height.events[0] == UpgradeApplied(release.NAME, height, 2)
    assert state_of(migrated) == state_of(control, reencode=True)
    fired: set[str] = set()
    for _ in range(90):   # 45 days in 12-hour blocks: past every deadline and the reclaim window after it
        with software(version_1_keys=True, known={NOOP.name: NOOP}):
            expected = advance(control, DAY // 2).events
        events = advance(migrated, DAY // 2).events
        assert events == expected, f"the queues diverged at height {migrated.height}"
        fired |= {e.queue for e in events if isinstance(e, DueQueue)}
    assert fired >= {"requests", "milestones", "transfer_offers", "proposal_votes", "proposal_executions", "roles"}
    assert state_of(migrated) == state_of(control, reencode=True)
    assert migrated.app.app_version() == control.app.app_version() == 2


def _reencoded(prefix: bytes, key: bytes) -> bytes:
    time, ids, tail = v1_decode(prefix, key)
    return timers.time_key(prefix, time, *ids, tail=tail)


def test_a_version_1_export_imported_by_this_software_starts_a_chain_in_the_new_layout(tmp_path):
    source = new_chain(tmp_path / "source")
    with software(version_1_keys=True, known={}):
        build_version_1_history(source)
    expected = {k: v for k, v in state_of(source, reencode=True).items() if k != b"upgrade/plan"}
    assert len(expected) < len(state_of(source)), "the source holds the v2 plan"
    doc = json.loads(json.dumps(export_state(source.store, source.height)))   # through a genesis file
    source.close()
    target = LedgerApp(Store(tmp_path / "target"))
    target.init_chain("samen-next", json.dumps(doc).encode())
    imported = {bytes(k): bytes(v) for k, v in target.base.iter_prefix(b"")}
    target.close()
    target.store.close()
    bookkeeping = {b"upgrade/app_version": b"2", b"upgrade/done/v2": b"1"}
    assert imported == expected | bookkeeping
