"""Record retention on a real LMDB store, in process: old block and transaction records and their
history indexes disappear a bounded number of heights per Commit, the window's records and the
current-state ``obj/`` indexes stay, and GraphQL answers a pruned height with a clear error."""

from __future__ import annotations

import struct

import pytest

from abci_app.adapter import records
from abci_app.adapter.records_retention import RecordPruner, read_floor
from abci_app.chain.domain.agreements.messages import AcceptMilestone, DeliverMilestone
from abci_app.chain.domain.documents.messages import PublishDocument
from tests.graphql.conftest import Api, make_api
from tests.support.chain import TestChain, key
from tests.support.market import Market, doc_hash, make_agreement

PEOPLE = [key(60 + i) for i in range(3)]
WINDOW, PER_COMMIT = 3, 2
COUNTS = "{ counts { agreements settled { outcome count } } }"
DOCS = "query($o: String!) { documents(owner: $o) { title } }"


def _index_heights(chain) -> dict[bytes, set[int]]:
    """Heights named by the history index rows, by prefix (``obj/`` rows carry none)."""
    found: dict[bytes, set[int]] = {}
    with chain.store.env.begin() as txn:
        for key_, _ in txn.cursor(db=chain.store.db(b"index")):
            prefix = bytes(key_[:4])
            offset = {records.TX_BY_HEIGHT: 4, records.EVENT_BY_TYPE: len(key_) - 16}.get(prefix, len(key_) - 12)
            if prefix != records.OBJECT_BY_ATTRIBUTE:
                found.setdefault(prefix, set()).add(struct.unpack(">Q", key_[offset:offset + 8])[0])
    return found


def _rows(chain, db: bytes, prefix: bytes = b"") -> list[bytes]:
    with chain.store.env.begin() as txn:
        return [bytes(k) for k, _ in txn.cursor(db=chain.store.db(db)) if bytes(k).startswith(prefix)]


def _tx_heights(chain) -> set[int]:
    with chain.store.env.begin() as txn:
        return {records.read_tx(txn, chain.store, k).height for k in _rows(chain, b"txs")}


def _floor(chain) -> int:
    with chain.store.env.begin() as txn:
        return read_floor(txn, chain.store)


@pytest.fixture
def market(tmp_path):
    chain = TestChain(tmp_path / "db", balances={k: 100_000 for k in PEOPLE})
    m = Market(chain)
    made = [make_agreement(m, PEOPLE[i], PEOPLE[(i + 1) % 3], price=100 + i) for i in range(2)]
    m.ok(PEOPLE[1], DeliverMilestone(made[0], 0, doc_hash("work")))
    m.ok(PEOPLE[0], AcceptMilestone(made[0], 0))
    m.ok(PEOPLE[2], PublishDocument(doc_hash(7), "plan", "text/plain"))
    yield m
    chain.close()


def test_records_below_the_window_go_a_bounded_number_of_heights_per_commit(market):
    chain = market.chain
    objects = _rows(chain, b"index", records.OBJECT_BY_ATTRIBUTE)
    start = chain.height
    assert start > 2 * PER_COMMIT + WINDOW and _floor(chain) == 0
    chain.app.record_pruner = RecordPruner(WINDOW, PER_COMMIT)
    floors = []
    for _ in range(start // PER_COMMIT + 2):
        chain.block()
        floors.append(_floor(chain))
    assert floors[0] == 1 + PER_COMMIT                             # the first commit catches up only 2 heights
    assert all(b - a <= PER_COMMIT for a, b in zip(floors, floors[1:]))
    assert floors[-1] == chain.height - WINDOW + 1                 # caught up: exactly the window is kept
    floor = floors[-1]
    assert [struct.unpack(">Q", k)[0] for k in _rows(chain, b"blocks")] == list(range(floor, chain.height + 1))
    assert all(h >= floor for h in _tx_heights(chain))
    assert all(min(hs) >= floor for hs in _index_heights(chain).values())
    assert _rows(chain, b"index", records.OBJECT_BY_ATTRIBUTE) == objects   # current-state indexes kept


def test_the_windows_records_stay_whole(market):
    chain = market.chain
    chain.app.record_pruner = RecordPruner(WINDOW, PER_COMMIT)
    seller = PEOPLE[0]
    for n in range(WINDOW + 20):
        chain.block(chain.tx(seller, PublishDocument(doc_hash(100 + n), f"doc {n}", "text/plain")))
    floor = _floor(chain)
    assert _tx_heights(chain) == set(range(floor, chain.height + 1))
    heights = _index_heights(chain)
    assert heights[records.TX_BY_HEIGHT] == heights[records.TX_BY_SIGNER] == set(range(floor, chain.height + 1))


def test_a_graphql_read_of_a_pruned_height_says_so_and_counts_stay_right(market):
    chain = market.chain
    with make_api(chain) as client:
        api = Api(client)
        counts = api.data(COUNTS)["counts"]
        docs = api.data(DOCS, {"o": PEOPLE[2].address})["documents"]
        chain.app.record_pruner = RecordPruner(WINDOW, 1000)
        chain.block()
        floor = _floor(chain)
        body = api.query("{ block(number: 1) { number } }")
        assert body["data"] == {"block": None}
        error = body["errors"][0]
        assert error["extensions"]["code"] == "PRUNED"
        assert f"pruned below height {floor}" in error["message"]
        assert api.data(f"{{ block(number: {floor}) {{ number }} }}")["block"] == {"number": floor}
        listed = api.query("{ blocks(where: {number: 2}) { number } }")
        assert listed["errors"][0]["extensions"]["code"] == "PRUNED"
        assert [b["number"] for b in api.data("{ blocks { number } }")["blocks"]] == list(range(floor, chain.height + 1))
        assert api.data(COUNTS)["counts"] == counts == {"agreements": 2,
                                                        "settled": [{"outcome": "completed", "count": 1}]}
        assert api.data(DOCS, {"o": PEOPLE[2].address})["documents"] == docs == [{"title": "plan"}]


def test_retention_off_keeps_every_record(market):
    chain = market.chain
    before = len(_rows(chain, b"blocks"))
    chain.block()
    assert len(_rows(chain, b"blocks")) == before + 1 and _floor(chain) == 0


def test_a_negative_records_window_stops_the_app_at_start_with_a_readable_line(tmp_path, capsys):
    from abci_app.__main__ import main
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "app.toml").write_text("[records]\nretain_blocks = -1\n")
    assert main(["--home", str(tmp_path)]) == 2
    assert "records retain_blocks must be >= 0" in capsys.readouterr().err
