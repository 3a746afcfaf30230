"""``samen query … --verify`` as a subprocess against a real node, directly and through a lying proxy."""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from abci_app.tools.cli.common import EXIT_UNVERIFIED
from abci_app.chain.domain.accounts import keys as account_keys
from tests.cli.helpers import samen
from tests.support.node import signer_for, transfer_tx

pytestmark = pytest.mark.node

ALICE, BOB, NOBODY = signer_for("alice"), signer_for("bob"), signer_for("nobody")


class LyingProxy:
    """A loopback JSON-RPC proxy to a node that passes everything through, except that
    ``rewrite(response)`` may change the ``response`` of each ``abci_query`` answer."""

    def __init__(self, target: str, rewrite) -> None:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                answer = httpx.post(target, content=body, headers={"Content-Type": "application/json"}, timeout=30)
                doc = answer.json()
                if json.loads(body).get("method") == "abci_query" and "result" in doc:
                    proxy.rewrite(doc["result"]["response"])
                out = json.dumps(doc).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *args):
                pass

        self.rewrite = rewrite
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def node(node_factory):
    started = node_factory(accounts=[(ALICE.address, 1_000_000), (BOB.address, 500)]).start()
    assert started.broadcast_commit(transfer_tx(ALICE, BOB.address, 25, sequence=0))["tx_result"]["code"] == 0
    return started


@pytest.fixture
def proxy(node):
    made = []

    def make(rewrite):
        made.append(LyingProxy(node.rpc_url, rewrite))
        return made[-1]
    yield make
    for p in made:
        p.close()


def query(node, url: str, *args: str):
    return samen(["query", *args, "--node", url, "--verify", "--genesis", str(node.home / "config" / "genesis.json"),
                  "-o", "json"], timeout=90)


def richer(response: dict) -> None:
    value = json.loads(base64.b64decode(response["value"]))
    value["balance"] = 10**9
    response["value"] = base64.b64encode(json.dumps(value, separators=(",", ":")).encode()).decode()


def test_a_verified_account_query_succeeds_against_an_honest_node_at_the_latest_and_a_past_height(node):
    latest = query(node, node.rpc_url, "account", BOB.address)
    assert latest.returncode == 0, latest.stderr
    answer = json.loads(latest.stdout)
    assert answer["balance"] == 525 and answer["verified"] is True and len(answer["app_hash"]) == 64
    past = json.loads(query(node, node.rpc_url, "account", BOB.address, "--height", "1").stdout)
    assert past["balance"] == 500 and past["proof_height"] == 1
    absent = query(node, node.rpc_url, "account", NOBODY.address)   # proven absent: an empty account
    assert absent.returncode == 0, absent.stderr
    empty = json.loads(absent.stdout)
    assert (empty["balance"], empty["sequence"], empty["verified"]) == (0, 0, True)


def test_a_trusted_height_and_hash_work_instead_of_the_genesis(node):
    header = node.rpc.call("commit", height="2")["signed_header"]
    result = samen(["query", "account", BOB.address, "--node", node.rpc_url, "--verify", "--trusted-height", "2",
                    "--trusted-hash", header["commit"]["block_id"]["hash"], "-o", "json"], timeout=90)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["balance"] == 525
    wrong = samen(["query", "account", BOB.address, "--node", node.rpc_url, "--verify", "--trusted-height", "2",
                   "--trusted-hash", "00" * 32], timeout=90)
    assert wrong.returncode == EXIT_UNVERIFIED and "does not have the trusted hash" in wrong.stderr


def test_a_proxy_that_changes_the_value_is_caught_with_the_reason_while_the_plain_query_believes_it(node, proxy):
    lying = proxy(richer)
    believed = samen(["query", "account", BOB.address, "--node", lying.url, "-o", "json"])
    assert json.loads(believed.stdout)["balance"] == 10**9   # without --verify the lie goes through
    caught = query(node, lying.url, "account", BOB.address)
    assert caught.returncode == EXIT_UNVERIFIED, caught.stdout
    assert caught.stdout == ""
    assert caught.stderr.strip().startswith("error: verification failed: proof check failed at height")
    assert "value does not match" in caught.stderr


def test_a_proxy_that_hides_an_existing_key_is_caught(node, proxy):
    def hide(response: dict) -> None:
        response.update(code=1, value="")
    caught = query(node, proxy(hide).url, "store", account_keys.account(BOB.address).hex())
    assert caught.returncode == EXIT_UNVERIFIED and "verification failed" in caught.stderr
    honest = json.loads(query(node, node.rpc_url, "store", account_keys.account(BOB.address).hex()).stdout)
    assert honest["present"] is True and json.loads(bytes.fromhex(honest["value"]))["balance"] == 525
