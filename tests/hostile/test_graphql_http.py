"""Issue 13, findings 4-6: the GraphQL server's cost, time, cache and HTTP limits, probed over real HTTP.

Each abuse gets its expected answer (a GraphQL error code, 413, 431, 503, a closed
connection) and is followed by ``hostile.assert_healthy()``.  The slow-header and
concurrency cases run against a second server on the same node whose limits are
lowered (1 s, 8), so they finish quickly; everything else meets the defaults.
"""

from __future__ import annotations

import select
import socket
import threading
import time

import httpx
import pytest

from tests.graphql.server import GraphQLServer
from tests.hostile.harness import HEALTHZ_TIMEOUT

PROOFS = "accounts(first: 1000) { id proof }"
HEAVY = "{ accounts(first: 950) { id balance proof } }"    # cost 1 + 950 × 102, under the 100,000 limit


def codes(answer: dict) -> list[str]:
    return [e.get("extensions", {}).get("code") for e in answer.get("errors", [])]


def raw_exchange(hostile, data: bytes, port: int | None = None, piece: int = 65536) -> bytes:
    """Send ``data`` on a fresh connection (stopping early once an answer is readable) and return
    everything read until the server closes the connection."""
    with socket.create_connection((hostile.host, port or hostile.port), timeout=10.0) as sock:
        for start in range(0, len(data), piece):
            if select.select([sock], [], [], 0)[0]:
                break           # the server has answered: stop uploading
            try:
                sock.sendall(data[start:start + piece])
            except (BrokenPipeError, ConnectionResetError):
                break
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


def status_of(reply: bytes) -> int:
    assert reply.startswith(b"HTTP/1.1 "), reply[:200]
    return int(reply.split(b" ", 2)[1])


# -- finding 4: the response cache and answers that are too large ---------------------------

def test_fifteen_aliases_of_a_thousand_proofs_are_refused_by_cost_before_running(hostile):
    query = "{ " + " ".join(f"a{i}: {PROOFS}" for i in range(15)) + " }"
    answer = hostile.query(query)
    assert answer.get("data") is None and codes(answer) == ["COST_LIMIT_EXCEEDED"], answer
    assert answer["errors"][0]["extensions"]["cost"] > answer["errors"][0]["extensions"]["limit"] == 100_000
    hostile.assert_healthy()


def test_a_batch_of_eight_costly_variants_is_refused_and_memory_stays_bounded(hostile):
    batch = [{"query": "{ " + " ".join(f"v{v}a{i}: {PROOFS}" for i in range(15)) + " }"} for v in range(8)]
    answers = hostile.post(batch).json()
    assert [codes(a) for a in answers] == [["COST_LIMIT_EXCEEDED"]] * 8
    hostile.assert_healthy()


def metric(hostile, name: str) -> float:
    for line in hostile.http.get(f"{hostile.base_url}/metrics").text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"{name} not exported")


def test_answers_larger_than_a_cache_entry_are_answered_but_not_kept(hostile):
    skipped = metric(hostile, "samen_graphql_response_cache_skipped")
    for variant in range(4):      # about 1.6 MB each, over the 1 MiB entry bound
        answer = hostile.query("{ v%d: accounts(first: 950) { id balance sequence proof } }" % variant)
        assert "errors" not in answer and len(answer["data"][f"v{variant}"]) == 950
    assert metric(hostile, "samen_graphql_response_cache_skipped") == skipped + 4
    assert metric(hostile, "samen_graphql_response_cache_bytes") <= 16 << 20
    hostile.assert_healthy()


# -- finding 5: one request cannot stall the server -------------------------------------------

def test_healthz_answers_within_a_second_while_heavy_requests_run(hostile):
    in_flight, outcomes, lock = [0], [], threading.Lock()

    def heavy() -> None:
        with lock:
            in_flight[0] += 1
        try:
            with httpx.Client(timeout=60.0) as client:
                outcomes.append(client.post(hostile.graphql_url, json={"query": HEAVY}).json())
        finally:
            with lock:
                in_flight[0] -= 1

    workers = [threading.Thread(target=heavy) for _ in range(6)]
    for worker in workers:
        worker.start()
    overlapped = 0
    for _ in range(3):
        busy = in_flight[0] > 0
        with httpx.Client(timeout=HEALTHZ_TIMEOUT) as fresh:
            assert fresh.get(f"{hostile.base_url}/healthz").status_code == 200
        overlapped += busy and in_flight[0] > 0
    for worker in workers:
        worker.join(120)
    assert overlapped > 0, "the heavy requests finished before /healthz was asked: make them heavier"
    for outcome in outcomes:
        assert "errors" not in outcome or codes(outcome) == ["TIME_LIMIT_EXCEEDED"], outcome
    assert len(outcomes) == 6
    hostile.assert_healthy()


def test_a_query_text_over_the_limit_is_refused_before_parsing(hostile):
    answer = hostile.query("{ _meta { appHash } }  # " + "x" * (64 << 10))
    assert codes(answer) == ["QUERY_TOO_LARGE"], answer
    hostile.assert_healthy()


def test_a_batch_shares_one_cost_budget(hostile):
    under_half = "{ accounts(first: 600) { id proof } }"        # cost 60,601: one fits, two do not
    answers = hostile.post([{"query": under_half}, {"query": under_half.replace("accounts", "b: accounts")}]).json()
    assert sorted(len(codes(a)) for a in answers) == [0, 1]
    assert ["COST_LIMIT_EXCEEDED"] in [codes(a) for a in answers]
    hostile.assert_healthy()


# -- finding 6: HTTP limits ---------------------------------------------------------------

def test_a_declared_64_mib_body_is_answered_413_without_being_read(hostile):
    head = (f"POST /graphql HTTP/1.1\r\nHost: {hostile.host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {64 << 20}\r\n\r\n").encode()
    reply = raw_exchange(hostile, head + b"{" + b" " * 65536)
    assert status_of(reply) == 413
    hostile.assert_healthy()


def test_a_chunked_body_past_one_mib_is_answered_413(hostile):
    head = f"POST /graphql HTTP/1.1\r\nHost: {hostile.host}\r\nContent-Type: application/json\r\n" \
           f"Transfer-Encoding: chunked\r\n\r\n".encode()
    chunk = b" " * 65536
    chunks = (b"%x\r\n%s\r\n" % (len(chunk), chunk)) * 24 + b"0\r\n\r\n"       # 1.5 MiB
    assert status_of(raw_exchange(hostile, head + chunks)) == 413
    hostile.assert_healthy()


def test_a_body_within_the_limit_is_still_answered(hostile):
    padded = "{ _meta { block { number } } }" + " " * (30 << 10)
    answer = hostile.post({"query": padded, "variables": {"pad": "x" * (900 << 10)}})
    assert answer.status_code == 200 and answer.json()["data"]["_meta"]["block"]["number"] > 0
    hostile.assert_healthy()


def test_64_mib_of_headers_are_answered_431_and_the_connection_closed(hostile):
    head = f"GET /healthz HTTP/1.1\r\nHost: {hostile.host}\r\n".encode()
    headers = b"".join(b"X-Pad-%d: %s\r\n" % (i, b"a" * 8000) for i in range(8 << 10))   # 64 MiB
    reply = raw_exchange(hostile, head + headers + b"\r\n")
    assert status_of(reply) == 431 and b"connection: close" in reply.lower()
    hostile.assert_healthy()


def test_one_header_line_over_the_limit_is_answered_431(hostile):
    head = f"GET /healthz HTTP/1.1\r\nHost: {hostile.host}\r\nX-Big: ".encode()
    assert status_of(raw_exchange(hostile, head + b"b" * (40 << 10) + b"\r\n\r\n")) == 431
    hostile.assert_healthy()


@pytest.fixture(scope="module")
def strict_server(hostile):
    """A second GraphQL server on the same node: head timeout 1 s, ``limit_concurrency`` 8."""
    home = hostile.node.root / "strict"
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "app.toml").write_text(
        f'[store]\npath = "{hostile.node.home / "data" / "samen"}"\n'
        "[graphql]\nheader_timeout_seconds = 1.0\nlimit_concurrency = 8\n")
    server = GraphQLServer(hostile.node, home=home, args=("--rpc", hostile.rpc_url)).start()
    yield server
    server.stop()


def closed_within(sock: socket.socket, seconds: float, trickle: bytes = b"") -> bool:
    """Send ``trickle`` a byte at a time (one per 0.2 s); return whether the server closed within ``seconds``."""
    sock.settimeout(0.2)
    deadline = time.monotonic() + seconds
    sent = 0
    while time.monotonic() < deadline:
        try:
            if sent < len(trickle):
                sock.send(trickle[sent:sent + 1])
                sent += 1
            if sock.recv(1024) == b"":
                return True
        except socket.timeout:
            continue
        except (BrokenPipeError, ConnectionResetError):
            return True
    return False


def test_headers_sent_slowly_get_the_connection_closed(hostile, strict_server):
    with socket.create_connection(("127.0.0.1", strict_server.port)) as sock:
        sock.sendall(b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        assert closed_within(sock, 20.0, trickle=b"X-Slow: " + b"s" * 200)
    hostile.assert_healthy()


def test_a_connection_that_sends_nothing_is_closed(hostile, strict_server):
    with socket.create_connection(("127.0.0.1", strict_server.port)) as sock:
        assert closed_within(sock, 20.0)
    hostile.assert_healthy()


def test_past_limit_concurrency_requests_are_answered_503(hostile, strict_server):
    idle = [socket.create_connection(("127.0.0.1", strict_server.port)) for _ in range(8)]
    try:
        with httpx.Client(timeout=5.0) as client:
            assert client.get(f"http://127.0.0.1:{strict_server.port}/healthz").status_code == 503
    finally:
        for sock in idle:
            sock.close()
    hostile.assert_healthy()
