"""``documents(owner)``: an owner's registered documents, newest first, from the records' index,
read as of the asked block (in process)."""

from __future__ import annotations

import pytest

from abci_app.chain.domain.documents.messages import PublishDocument
from tests.graphql.conftest import Api, make_api
from tests.support.chain import TestChain, key
from tests.support.market import Market, doc_hash

ANN, BO = key(31), key(32)
LIST = "query($o: String!, $f: Int) { documents(owner: $o, first: $f) { title contentHash supersedes supersededBy } }"


@pytest.fixture
def api(tmp_path):
    chain = TestChain(tmp_path / "db", balances={ANN: 1_000, BO: 1_000})
    m = Market(chain)
    m.ok(ANN, PublishDocument(doc_hash(1), "plan v1", "text/plain"))
    m.ok(BO, PublishDocument(doc_hash(2), "bo's notes", "text/plain"))
    m.ok(ANN, PublishDocument(doc_hash(3), "plan v2", "text/plain", "", doc_hash(1)))
    m.ok(ANN, PublishDocument(doc_hash(4), "budget", "text/csv"))
    with make_api(chain) as client:
        yield Api(client)
    chain.close()


def test_an_owners_documents_come_newest_first_with_their_versions(api):
    docs = api.data(LIST, {"o": ANN.address})["documents"]
    assert [d["title"] for d in docs] == ["budget", "plan v2", "plan v1"]
    assert docs[1]["supersedes"] == doc_hash(1).hex() and docs[2]["supersededBy"] == doc_hash(3).hex()
    assert [d["title"] for d in api.data(LIST, {"o": BO.address})["documents"]] == ["bo's notes"]
    assert api.data(LIST, {"o": key(33).address})["documents"] == []


def test_first_limits_the_list_and_an_earlier_block_lists_what_existed_then(api):
    assert [d["title"] for d in api.data(LIST, {"o": ANN.address, "f": 1})["documents"]] == ["budget"]
    height = api.data("{ _meta { block { number } } }")["_meta"]["block"]["number"]
    earlier = api.data("query($o: String!, $h: Int!) { documents(owner: $o, block: {number: $h}) { title } }",
                       {"o": ANN.address, "h": height - 2})["documents"]
    assert [d["title"] for d in earlier] == ["plan v1"]
