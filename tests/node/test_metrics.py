"""The app's and CometBFT's Prometheus endpoints answer on loopback with the documented series, and they move."""

from __future__ import annotations

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from abci_app.chain.domain.upgrades import registry
from tests.support.node import module_node, signer_for, transfer_tx, wait_until

pytestmark = pytest.mark.node

ALICE, BOB = signer_for("alice"), signer_for("bob")
# The series docs/operations.md "Monitoring" lists for the app (histograms and counters by their sample names).
DOCUMENTED = ("samen_abci_request_seconds_count", "samen_block_txs_total", "samen_check_txs_total",
              "samen_committed_height", "samen_app_version", "samen_state_entries", "samen_lmdb_used_bytes",
              "samen_lmdb_map_bytes", "samen_lmdb_live_bytes", "samen_oldest_retained_height")


def scrape(port: int) -> dict[tuple[str, tuple], float]:
    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5.0).text
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture(scope="module")
def node(request):
    with module_node(request, [(ALICE.address, 1_000_000)]) as running:
        yield running


def test_the_app_metrics_show_blocks_transactions_and_the_store_and_move_while_blocks_commit(node):
    before = scrape(node.options.metrics_port)
    for sequence in range(3):
        assert node.broadcast_commit(transfer_tx(ALICE, BOB.address, 5, sequence))["tx_result"]["code"] == 0
    height = node.height()
    wait_until(lambda: value(scrape(node.options.metrics_port), "samen_committed_height") >= height, 10,
               "the metrics to reach the node's height")
    after = scrape(node.options.metrics_port)
    names = {name for name, _ in after}
    assert set(DOCUMENTED) <= names, sorted(set(DOCUMENTED) - names)
    assert value(after, "samen_committed_height") > value(before, "samen_committed_height")
    assert (value(after, "samen_abci_request_seconds_count", method="finalize_block")
            > value(before, "samen_abci_request_seconds_count", method="finalize_block"))
    assert value(after, "samen_block_txs_total", codespace="ok", code="0") >= 3
    assert value(after, "samen_check_txs_total", kind="new", result="accepted") >= 3
    assert value(after, "samen_state_entries") > 0 and value(after, "samen_app_version") == registry.software_app_version()
    assert 0 < value(after, "samen_lmdb_used_bytes") < value(after, "samen_lmdb_map_bytes")


def test_cometbft_serves_its_own_metrics_on_loopback(node):
    first = scrape(node.options.prometheus_port)
    height = node.height()
    node.wait_for_height(height + 2)
    second = scrape(node.options.prometheus_port)
    key = next(k for k in second if k[0] == "cometbft_consensus_height")
    assert second[key] > first.get(key, 0)
