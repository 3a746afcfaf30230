"""Queries over a TestChain-seeded LMDB: every object kind, filters, ordering, cursors, _meta."""

from __future__ import annotations

from abci_app.chain.domain.accounts.messages import Transfer
from tests.graphql.conftest import SEED_BLOCKS
from tests.support.chain import key

ALICE, BOB, CAROL = key(1).address, key(2).address, key(3).address


def test_meta_reports_the_latest_committed_block_and_app_hash(api, seeded):
    meta = api.data("{ _meta { block { number timestamp } appHash chainId hasIndexingErrors } }")["_meta"]
    assert meta["block"] == {"number": SEED_BLOCKS, "timestamp": seeded.app.committed.time}
    assert meta["appHash"] == seeded.app.committed.app_hash.hex()
    assert meta["chainId"] == "samen-test" and meta["hasIndexingErrors"] is False


def test_meta_at_an_earlier_block_reports_that_blocks_app_hash(api, seeded):
    meta = api.data("{ _meta(block: {number: 3}) { block { number } appHash } }")["_meta"]
    assert meta == {"block": {"number": 3}, "appHash": seeded.results[2].app_hash.hex()}


def test_accounts_show_balances_and_sequences_that_add_up_to_the_supply(api):
    data = api.data("{ accounts { id balance sequence } status { supply } }")
    by_id = {a["id"]: a for a in data["accounts"]}
    assert set(by_id) == {ALICE, BOB, CAROL}
    assert sum(int(a["balance"]) for a in data["accounts"]) == int(data["status"]["supply"]) == 1_001_000
    assert by_id[ALICE]["sequence"] == 2 * SEED_BLOCKS


def test_one_account_by_id_and_an_unknown_one_is_null(api):
    data = api.data('query($a: String!) { a: account(id: $a) { balance } b: account(id: "samen1nobody") { id } }',
                    {"a": CAROL})
    assert data == {"a": {"balance": str(SEED_BLOCKS)}, "b": None}


def test_accounts_page_with_cursors_in_both_directions(api):
    ids = [a["id"] for a in api.data("{ accounts { id } }")["accounts"]]
    assert ids == sorted(ids)
    first = api.data("{ accounts(first: 2) { id cursor } }")["accounts"]
    rest = api.data("query($c: String) { accounts(first: 2, after: $c) { id } }", {"c": first[-1]["cursor"]})
    assert [a["id"] for a in first] + [a["id"] for a in rest["accounts"]] == ids
    desc = api.data("{ accounts(orderDirection: desc, where: {id_lt: \"%s\"}) { id } }" % ids[2])["accounts"]
    assert [a["id"] for a in desc] == [ids[1], ids[0]]


def test_blocks_filter_by_height_range_and_order_descending(api):
    blocks = api.data("{ blocks(where: {number_gte: 3, number_lt: 7}, orderDirection: desc) { number } }")["blocks"]
    assert [b["number"] for b in blocks] == [6, 5, 4, 3]


def test_blocks_filter_by_time_maps_to_the_matching_heights(api, seeded):
    t3 = seeded.results and api.data("{ block(number: 3) { timestamp } }")["block"]["timestamp"]
    blocks = api.data("query($t: Int) { blocks(where: {timestamp_gt: $t, number_lte: 5}) { number } }", {"t": t3})
    assert [b["number"] for b in blocks["blocks"]] == [4, 5]


def test_blocks_filter_by_transaction_count(api):
    blocks = api.data("{ blocks(where: {numTxs_gte: 4}) { number numTxs } }")["blocks"]
    assert [b["number"] for b in blocks] == [6, 12]


def test_block_pages_chain_through_cursors_without_gaps_or_repeats(api):
    seen, cursor = [], None
    for _ in range(5):
        page = api.data("query($c: String) { blocks(first: 3, after: $c) { number cursor } }", {"c": cursor})["blocks"]
        if not page:
            break
        seen += [b["number"] for b in page]
        cursor = page[-1]["cursor"]
    assert seen == list(range(1, SEED_BLOCKS + 1))


def test_a_block_lists_its_transactions_in_order(api):
    block = api.data("{ block(number: 6) { numTxs transactions { index signer success } } }")["block"]
    assert [t["index"] for t in block["transactions"]] == [0, 1, 2, 3]
    assert [t["signer"] for t in block["transactions"][:3]] == [ALICE, ALICE, BOB]
    assert block["transactions"][3]["success"] is False


def test_transactions_filter_by_signer_through_the_index(api):
    txs = api.data('{ transactions(first: 1000, where: {signer: "%s"}) { signer blockNumber } }' % BOB)["transactions"]
    assert {t["signer"] for t in txs} == {BOB}
    assert [t["blockNumber"] for t in txs] == list(range(2, SEED_BLOCKS + 1, 2))


def test_transactions_filter_by_several_signers_merges_in_block_order(api):
    txs = api.data('{ transactions(first: 1000, where: {signer_in: ["%s", "%s"], block_lte: 4}) '
                   '{ signer blockNumber index } }' % (BOB, CAROL))["transactions"]
    assert [(t["blockNumber"], t["signer"]) for t in txs] == [(2, BOB), (3, CAROL), (4, BOB)]


def test_transactions_filter_by_failure_and_order_descending(api):
    txs = api.data("{ transactions(where: {success: false}, orderDirection: desc) { blockNumber code } }")
    assert [t["blockNumber"] for t in txs["transactions"]] == [12, 9, 6, 3]
    assert all(t["code"] != 0 for t in txs["transactions"])


def test_transaction_pages_by_cursor_descending(api):
    first = api.data("{ transactions(first: 4, orderDirection: desc) { blockNumber index cursor } }")["transactions"]
    nxt = api.data("query($c: String) { transactions(first: 2, after: $c, orderDirection: desc) "
                   "{ blockNumber index } }", {"c": first[-1]["cursor"]})["transactions"]
    assert [(t["blockNumber"], t["index"]) for t in first] == [(12, 3), (12, 2), (12, 1), (12, 0)]
    assert [(t["blockNumber"], t["index"]) for t in nxt] == [(11, 1), (11, 0)]


def test_one_transaction_by_hash_carries_its_events(api, seeded):
    tx_hash = seeded.results[0].txs[0].hash.hex()
    tx = api.data('{ transaction(hash: "%s") { blockNumber events { type attributes { key value } } } }' % tx_hash)
    event = tx["transaction"]["events"][0]
    assert tx["transaction"]["blockNumber"] == 1 and event["type"] == "transfer"
    assert {"key": "amount", "value": "11"} in event["attributes"]


def test_events_filter_by_type_and_attribute(api):
    events = api.data('{ events(first: 1000, where: {type: "transfer", attributes_contains: '
                      '[{key: "recipient", value: "%s"}]}) { blockNumber attributes { key value } } }' % CAROL)
    assert [e["blockNumber"] for e in events["events"]] == list(range(1, SEED_BLOCKS + 1))


def test_events_without_a_type_are_refused_with_a_clear_error(api):
    body = api.query("{ events(where: {}) { type } }")
    assert "where.type" in body["errors"][0]["message"]


def test_history_at_an_earlier_block_hides_later_blocks(api):
    data = api.data("{ blocks(first: 1000, block: {number: 4}) { number } "
                    "transactions(first: 1000, block: {number: 2}) { blockNumber } }")
    assert [b["number"] for b in data["blocks"]] == [1, 2, 3, 4]
    assert {t["blockNumber"] for t in data["transactions"]} == {1, 2}


def test_state_at_an_earlier_block_shows_the_balances_of_that_block(api, seeded):
    data = api.data('{ account(id: "%s", block: {number: 2}) { balance } '
                    'accounts(block: {number: 2}) { balance } }' % CAROL)
    assert data["account"]["balance"] == "2"
    assert sum(int(a["balance"]) for a in data["accounts"]) == 1_001_000


def test_an_account_proof_verifies_against_the_app_hash_of_its_block(api, seeded):
    import base64

    from abci_app.chain import codec
    from abci_app.chain.domain.accounts import keys, state as accounts
    from abci_app.chain.state import proofs

    data = api.data('{ _meta(block: {number: 5}) { appHash } account(id: "%s", block: {number: 5}) '
                    '{ balance sequence proof } }' % BOB)
    account = data["account"]
    value = codec.encode_value(accounts.Account(int(account["balance"]), account["sequence"]))
    proofs.verify(bytes.fromhex(data["_meta"]["appHash"]), keys.account(BOB), value,
                  base64.b64decode(account["proof"]))


def test_a_block_not_yet_committed_is_a_clear_error(api):
    body = api.query("{ _meta(block: {number_gte: 1000}) { block { number } } }")
    assert "not committed yet" in body["errors"][0]["message"]


def test_status_aggregates_count_blocks_and_transactions(api, seeded):
    status = api.data("{ status { height blockCount transactionCount averageBlockTimeMs } }")["status"]
    assert status["height"] == status["blockCount"] == SEED_BLOCKS
    assert status["transactionCount"] == sum(len(r.txs) for r in seeded.results)
    assert status["averageBlockTimeMs"] == seeded.block_seconds * 1000


def test_a_new_block_shows_up_in_the_next_answer(api, seeded):
    seeded.block(seeded.tx(key(2), Transfer(CAROL, 1)))
    data = api.data("{ _meta { block { number } } account(id: \"%s\") { balance } }" % CAROL)
    assert data["_meta"]["block"]["number"] == SEED_BLOCKS + 1
    assert data["account"]["balance"] == str(SEED_BLOCKS + 1)


def test_validators_without_a_node_rpc_are_a_clear_error(api):
    body = api.query("{ validators { totalVotingPower } }")
    assert "validator set not available" in body["errors"][0]["message"]
