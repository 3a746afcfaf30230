"""The whole block runs in ``block.run_block``: misbehaviour and validator updates are the validators'
end-block hook, and CheckTx's watched block is a real ``BlockInfo``."""

from __future__ import annotations

from abci_app.adapter.recheck import WatchedInfo
from abci_app.chain import block as block_mod, components
from abci_app.chain.context import BlockInfo, ValidatorUpdates
from abci_app.chain.domain.market.params import MarketParams
from abci_app.chain.domain.params import Params
from abci_app.chain.domain.validators import handlers as validators, state as validator_state
from abci_app.chain.domain.validators.events import ValidatorMisbehavior
from abci_app.chain.state.delta import Delta
from abci_app.chain.state.protocols import DictState

EVIDENCE = (ValidatorMisbehavior("duplicate_vote", b"\x07" * 20, 10, 3, 1_700_000_000),
            ValidatorMisbehavior("light_client_attack", b"\x08" * 20, 5, 4, 1_700_000_005))


def _block(misbehavior=()) -> BlockInfo:
    return BlockInfo(9, 1_700_000_100, "test-chain", b"\x01" * 20, Params(), MarketParams(), misbehavior)


def test_the_validators_hook_is_the_last_end_block_hook():
    assert components.END_BLOCK[-1] is validators.end_block


def test_the_validators_hook_records_the_blocks_evidence_and_reports_no_change_when_there_is_none():
    state = Delta(DictState())
    out = validators.end_block(state, _block(EVIDENCE))
    assert out == [*EVIDENCE, ValidatorUpdates(())]
    assert validator_state.misbehavior(state) == list(EVIDENCE)


def test_a_block_ends_with_its_evidence_as_events_and_its_validator_updates_apart():
    outcome = block_mod.run_block(Delta(DictState()), _block(EVIDENCE), [])
    assert outcome.events[-len(EVIDENCE):] == list(EVIDENCE)
    assert not any(isinstance(e, ValidatorUpdates) for e in outcome.events)
    assert outcome.validator_updates == []


def test_checktx_runs_with_a_real_blockinfo_that_notes_a_look_at_time_height_or_proposer():
    info = _block()
    for field in ("time", "height", "proposer"):
        watched = WatchedInfo(info)
        assert isinstance(watched, BlockInfo)
        assert (watched.chain_id, watched.params, watched.misbehavior, watched.looked) == ("test-chain", Params(), (), False)
        assert getattr(watched, field) == getattr(info, field)
        assert watched.looked
