"""RECHECK replay: a mempool transaction whose reads did not change is answered from its record,
with exactly the outcome and check-state writes a full re-run gives; anything else runs again."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.projects.messages import CreateProject
from abci_app.chain.errors import SequenceMismatch
from tests.support.chain import TestChain, key, ok

ALICE, BOB, CAROL = key(1), key(2), key(3)
BALANCES = {ALICE: 1_000_000, BOB: 1_000, CAROL: 500}


def new_chain(path) -> TestChain:
    chain = TestChain(path, balances=BALANCES)
    chain.block()
    return chain


def test_a_recheck_of_a_transaction_the_block_did_not_touch_is_replayed(tmp_path):
    chain = new_chain(tmp_path / "db")
    waiting = CAROL.sign_tx(chain.chain_id, 0, Transfer(CAROL.address, 5))
    included = ALICE.sign_tx(chain.chain_id, 0, Transfer(BOB.address, 10))
    assert chain.check(included).ok and chain.check(waiting).ok
    ok(chain.block(included))
    assert chain.app.check_tx(waiting, recheck=True).ok
    assert chain.app.rechecker.replayed == 1
    again = CAROL.sign_tx(chain.chain_id, 0, Transfer(CAROL.address, 6))
    assert (chain.check(again).codespace, chain.check(again).code) == (SequenceMismatch.codespace, SequenceMismatch.code)
    chain.close()


def test_a_recheck_whose_signer_the_block_changed_runs_again_and_is_rejected(tmp_path):
    chain = new_chain(tmp_path / "db")
    pending = BOB.sign_tx(chain.chain_id, 0, Transfer(ALICE.address, 600))
    assert chain.check(pending).ok
    ok(chain.block(BOB.sign_tx(chain.chain_id, 0, Transfer(CAROL.address, 700))))  # from another node
    answer = chain.app.check_tx(pending, recheck=True)
    assert (answer.codespace, answer.code) == (SequenceMismatch.codespace, SequenceMismatch.code)
    assert chain.app.rechecker.replayed == 0
    chain.close()


def test_a_transaction_that_reads_the_block_time_is_always_run_again(tmp_path):
    chain = new_chain(tmp_path / "db")
    create = ALICE.sign_tx(chain.chain_id, 0, CreateProject("Well", "Dig a well", 100))
    assert chain.check(create).ok
    ok(chain.block())
    assert chain.app.check_tx(create, recheck=True).ok
    assert chain.app.rechecker.replayed == 0
    chain.close()


def test_a_look_at_the_block_time_counts_for_that_transaction_alone_among_those_checked_in_a_row(tmp_path):
    chain = new_chain(tmp_path / "db")
    create = ALICE.sign_tx(chain.chain_id, 0, CreateProject("Well", "Dig a well", 100))
    transfer = CAROL.sign_tx(chain.chain_id, 0, Transfer(BOB.address, 5))
    assert chain.check(create).ok and chain.check(transfer).ok   # one block info, its watcher reused
    ok(chain.block())
    assert chain.app.check_tx(create, recheck=True).ok and chain.app.rechecker.replayed == 0
    assert chain.app.check_tx(transfer, recheck=True).ok and chain.app.rechecker.replayed == 1
    chain.close()


def test_a_new_check_tx_is_never_answered_from_a_record(tmp_path):
    chain = new_chain(tmp_path / "db")
    raw = CAROL.sign_tx(chain.chain_id, 0, Transfer(ALICE.address, 5))
    assert chain.check(raw).ok
    ok(chain.block())
    assert chain.check(raw).ok   # NEW after an empty block: the check state was reset
    assert chain.app.rechecker.replayed == 0
    chain.close()


SIGNERS = (ALICE, BOB, CAROL)
step = st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(1, 700))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rounds=st.lists(st.tuples(st.lists(step, min_size=1, max_size=8), st.integers(0, 8),
                                 st.lists(step, max_size=2)), min_size=1, max_size=4))
def test_replayed_rechecks_match_a_full_rerun_of_every_transaction(tmp_path_factory, rounds):
    """Two identical chains: one replays RECHECKs, the other re-runs them (NEW); answers and check states agree."""
    replaying, rerunning = new_chain(tmp_path_factory.mktemp("a")), new_chain(tmp_path_factory.mktemp("b"))
    sequences, mempool, counter = {s.address: 0 for s in SIGNERS}, [], 0
    for arrivals, included_count, foreign in rounds:
        for sender, receiver, amount in arrivals:
            counter += 1
            signer = SIGNERS[sender]
            raw = signer.sign_tx(replaying.chain_id, sequences[signer.address],
                                 Transfer(SIGNERS[receiver].address, amount, f"m{counter}"))
            a, b = replaying.check(raw), rerunning.check(raw)
            assert (a.code, a.codespace) == (b.code, b.codespace)
            if a.ok:
                sequences[signer.address] += 1
                mempool.append(raw)
        # The block: a prefix of the mempool plus transactions that reached the proposer elsewhere.
        others = [SIGNERS[s].sign_tx(replaying.chain_id, sequences[SIGNERS[s].address] - 1 if sequences[SIGNERS[s].address] else 0,
                                     Transfer(SIGNERS[r].address, amount, "other")) for s, r, amount in foreign]
        block = mempool[:included_count] + others
        replaying.block(*block)
        rerunning.block(*block)
        mempool = mempool[included_count:]
        kept = []
        for raw in mempool:
            a, b = replaying.app.check_tx(raw, recheck=True), rerunning.app.check_tx(raw, recheck=False)
            assert (a.code, a.codespace, a.events) == (b.code, b.codespace, b.events)
            if a.ok:
                kept.append(raw)
        mempool = kept
        assert replaying.app.check_state.writes == rerunning.app.check_state.writes
        sequences = {s.address: _sequence(replaying, s) for s in SIGNERS}
    replaying.close()
    rerunning.close()


def _sequence(chain: TestChain, signer) -> int:
    from abci_app.chain.domain.accounts import state as accounts

    account = accounts.get(chain.app.check_state, signer.address)
    return 0 if account is None else account.sequence
