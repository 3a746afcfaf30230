"""ABCI Query as a hostile client sends it: every path, any data and height, never a halt.

In-process against the real ``LedgerApp`` over a real LMDB store (``TestChain``) and the
real ``AbciServer.respond`` (the function that halts the node on a handler's exception).
After every hostile query the chain must still finalize and commit a block.
"""

from __future__ import annotations

import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from abci_app.chain import components
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.errors import NotFound, QueryFailed, UnknownQuery, all_error_classes
from abci_app.adapter.protos import abci
from abci_app.adapter.server import AbciServer
from tests.domain.organizations.support import create_org
from tests.support.chain import TestChain, key

ALICE, BOB = key(31), key(32)
ID_PATHS = ["/org/{}", "/org/{}/allowances", "/proposal/{}", "/proposals/{}", "/request/{}", "/offer/{}",
            "/standing_offer/{}", "/agreement/{}", "/project/{}", "/attachments/request/{}",
            "/friction/agreement/{}"]
NOT_DECIMAL = ["²", "٣", "１", "1²", "-1", "+1", " 1", "1 ", "0x1", "1e3", "", "9" * 20, str(1 << 63)]
# Any ledger error is a fine answer (``/account/1`` is an InvalidAddress); QueryFailed is not: it
# means something unexpected was raised on the way, a bug to fix even though the node went on.
ANSWERS = {(c.codespace, c.code) for c in all_error_classes() if c is not QueryFailed} | {("", 0)}


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    c = TestChain(tmp_path_factory.mktemp("hostile") / "db", balances={ALICE: 100_000, BOB: 100_000})
    create_org(c, ALICE, {ALICE: 1, BOB: 1})
    c.block(c.tx(ALICE, Transfer(BOB.address, 5, "")))
    yield c
    c.close()


def still_commits(chain) -> None:
    before = chain.height
    outcome = chain.block(chain.tx(BOB, Transfer(ALICE.address, 1, ""))).txs[0]
    assert outcome.ok and chain.height == before + 1


def codes(result) -> tuple[str, int]:
    return result.codespace, result.code


@pytest.mark.parametrize("text", NOT_DECIMAL)
def test_an_id_that_is_not_plain_ascii_decimal_is_an_unknown_query_on_every_id_path(chain, text):
    for template in ID_PATHS:
        result = chain.app.query(template.format(text), b"")
        assert codes(result) == (UnknownQuery.codespace, UnknownQuery.code), (template, result)
        assert result.log
    still_commits(chain)


def test_org_superscript_two_answers_unknown_query_and_the_existing_org_one_is_still_found(chain):
    assert codes(chain.app.query("/org/²", b"")) == (UnknownQuery.codespace, UnknownQuery.code)
    assert chain.app.query("/org/1", b"").code == 0
    assert chain.app.query("/org/٣", b"").code == UnknownQuery.code   # int("٣") would be 3


@pytest.mark.parametrize("data", [b"", b"k" * 502, b"\x00" * 251, b"\x00" * 300],
                         ids=["empty", "502 bytes", "251 zero bytes", "300 zero bytes"])
@pytest.mark.parametrize("height,prove", [(0, False), (0, True), (1, False), (1, True)])
def test_store_with_a_key_lmdb_cannot_hold_answers_unknown_query(chain, data, height, prove):
    result = chain.app.query("/store", data, height, prove)
    assert codes(result) == (UnknownQuery.codespace, UnknownQuery.code), result
    assert not result.proof
    still_commits(chain)


def test_the_longest_storable_store_key_is_read_and_proven_as_absent(chain):
    result = chain.app.query("/store", b"k" * 501, 0, True)
    assert codes(result) == (NotFound.codespace, NotFound.code) and result.proof


def test_a_long_path_or_one_with_control_characters_is_an_unknown_query(chain):
    for path in ["/org/treasury/" + "x" * 400, "/org/1\x00", "/reputation/a\nb", "/" * 300]:
        assert codes(chain.app.query(path, b"")) == (UnknownQuery.codespace, UnknownQuery.code), path


def test_a_failing_query_handler_answers_query_failed_in_one_log_line_and_the_chain_goes_on(chain, monkeypatch,
                                                                                          caplog):
    def broken(state, parts):
        raise RuntimeError("reader slots are full")

    monkeypatch.setitem(components.QUERIES, "org", broken)
    with caplog.at_level(logging.WARNING, logger="samen.query"):
        result = chain.app.query("/org/1", b"")
    assert codes(result) == (QueryFailed.codespace, QueryFailed.code) and "RuntimeError" in result.log
    assert [r.exc_info for r in caplog.records] == [None]   # one line, no traceback
    still_commits(chain)


def respond(server: AbciServer, request) -> tuple:
    response, _ = server.respond(request.SerializeToString())
    return response


@pytest.mark.parametrize("method", ["query", "list_snapshots", "load_snapshot_chunk"])
def test_a_read_method_that_raises_is_answered_and_does_not_stop_the_server(chain, monkeypatch, method):
    def boom(*_args, **_kwargs):
        raise OSError("disk trouble")

    monkeypatch.setattr(chain.app, method, boom)
    server = AbciServer(chain.app)
    requests = {"query": abci.Request(query=abci.RequestQuery(path="/params")),
                "list_snapshots": abci.Request(list_snapshots=abci.RequestListSnapshots()),
                "load_snapshot_chunk": abci.Request(load_snapshot_chunk=abci.RequestLoadSnapshotChunk(height=1))}
    response = respond(server, requests[method])
    assert response.WhichOneof("value") == method and server.fatal is None
    if method == "query":
        assert (response.query.codespace, response.query.code) == (QueryFailed.codespace, QueryFailed.code)
    monkeypatch.undo()
    still_commits(chain)


def test_a_consensus_method_that_raises_still_stops_the_server(chain, monkeypatch):
    monkeypatch.setattr(chain.app, "commit", lambda: (_ for _ in ()).throw(RuntimeError("bug")))
    server = AbciServer(chain.app)
    with pytest.raises(Exception):
        respond(server, abci.Request(commit=abci.RequestCommit()))
    assert server.fatal is not None


# -- fuzz: random paths, data, heights and proofs on every path ----------------------------------

FIRST = ["account", "store", "params", "supply", *sorted(components.QUERIES), "", "nope"]
segment = st.one_of(st.sampled_from(["1", "2", "0", "²", "٣", "allowances", "allowance", "votes", "vote", "offers",
                                     "rating", "requester", "history", "treasury", "misbehavior", "agreement", "day",
                                     "week", "all", "org", "tag", ALICE.address, BOB.address, "ab" * 32]),
                    st.text(max_size=40), st.from_regex(r"[0-9]{1,25}", fullmatch=True))
paths = st.builds(lambda first, rest, slash: ("/" if slash else "") + "/".join([first, *rest]),
                  st.sampled_from(FIRST), st.lists(segment, max_size=4), st.booleans())


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.one_of(paths, st.text(max_size=300)), data=st.binary(max_size=600),
       height=st.one_of(st.sampled_from([0, 1, 2, 3]), st.integers(-(1 << 63), (1 << 63) - 1)), prove=st.booleans())
def test_fuzzed_queries_on_every_path_answer_a_known_code_and_never_raise(chain, path, data, height, prove):
    result = chain.app.query(path, data, height, prove)
    assert codes(result) in ANSWERS, (path, result)
    assert result.code != 0 or result.value is not None


def test_after_the_fuzzing_the_chain_still_commits(chain):
    still_commits(chain)
