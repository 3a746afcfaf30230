"""Unit tests of the GraphQL server's budgets (``graphql_api/limits.py``) and its config switches."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from graphql_api.config import ApiConfig, is_loopback
from graphql_api.limits import Caps, RateLimited, RateLimiter, client_key


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_full_bucket_allows_the_burst_then_refuses_with_the_time_to_wait():
    clock = Clock()
    limiter = RateLimiter("broadcastTransaction", rate=2.0, burst=3, clock=clock)
    for _ in range(3):
        limiter.take("10.0.0.1")
    with pytest.raises(RateLimited) as refused:
        limiter.take("10.0.0.1")
    assert refused.value.extensions == {"code": "RATE_LIMITED", "retryable": True, "retryAfterSeconds": 0.5}
    assert "2/s" in str(refused.value)


def test_the_bucket_refills_at_the_rate_and_never_above_the_burst():
    clock = Clock()
    limiter = RateLimiter("b", rate=2.0, burst=3, clock=clock)
    for _ in range(3):
        limiter.take("c")
    clock.now += 0.5            # one token back
    limiter.take("c")
    with pytest.raises(RateLimited):
        limiter.take("c")
    clock.now += 3600           # a long idle time saves at most the burst
    for _ in range(3):
        limiter.take("c")
    with pytest.raises(RateLimited):
        limiter.take("c")


def test_a_refused_request_does_not_spend_a_token():
    clock = Clock()
    limiter = RateLimiter("b", rate=1.0, burst=1, clock=clock)
    limiter.take("c")
    for _ in range(5):
        with pytest.raises(RateLimited):
            limiter.take("c")
    clock.now += 1.0
    limiter.take("c")


def test_clients_have_buckets_of_their_own_and_the_oldest_are_forgotten_first():
    clock = Clock()
    limiter = RateLimiter("b", rate=1.0, burst=1, clock=clock, max_clients=2)
    limiter.take("a")
    limiter.take("b")
    with pytest.raises(RateLimited):
        limiter.take("a")
    limiter.take("c")           # a third client: "b", the least recently used, is forgotten
    assert limiter.tracked == 2
    limiter.take("b")           # ... and starts again with a full bucket
    with pytest.raises(RateLimited):
        limiter.take("c")


def test_a_rate_limiter_needs_a_positive_rate_and_burst():
    with pytest.raises(ValueError):
        RateLimiter("b", rate=0, burst=1)
    with pytest.raises(ValueError):
        RateLimiter("b", rate=1, burst=0)


def test_caps_refuse_past_the_per_client_cap_and_give_slots_back_on_release():
    caps = Caps("WebSocket connections", total=10, per_client=2)
    assert caps.acquire("a") is None and caps.acquire("a") is None
    refusal = caps.acquire("a")
    assert refusal == "too many WebSocket connections from your address (at most 2)"
    assert caps.acquire("b") is None
    caps.release("a")
    assert caps.acquire("a") is None
    assert caps.held == 3 and caps.held_by("a") == 2


def test_caps_refuse_past_the_total_whoever_asks():
    caps = Caps("subscriptions", total=3, per_client=2)
    assert [caps.acquire(c) for c in ("a", "a", "b")] == [None, None, None]
    assert caps.acquire("c") == "too many subscriptions on this server (at most 3); retry later"
    caps.release("b")
    assert caps.acquire("c") is None


def test_releasing_more_than_was_acquired_changes_nothing():
    caps = Caps("x", total=3, per_client=3)
    caps.release("a")
    assert caps.acquire("a") is None
    caps.release("a")
    caps.release("a")
    assert caps.held == 0 and caps.held_by("a") == 0


def test_a_client_is_its_ipv4_address_or_its_ipv6_slash_64():
    def conn(host):
        return SimpleNamespace(client=SimpleNamespace(host=host))

    assert client_key(conn("203.0.113.7")) == "203.0.113.7"
    assert client_key(conn("2001:db8:1:2:aaaa::1")) == client_key(conn("2001:db8:1:2:bbbb::9")) == "2001:db8:1:2::/64"
    assert client_key(conn("::ffff:203.0.113.7")) == "203.0.113.7"
    assert client_key(conn("testclient")) == "testclient"
    assert client_key(SimpleNamespace(client=None)) == "unknown"


@pytest.mark.parametrize("host, expected", [("127.0.0.1", True), ("::1", True), ("localhost", True),
                                            ("0.0.0.0", False), ("192.0.2.1", False), ("::", False)])
def test_commit_mode_auto_is_on_only_for_a_loopback_bind(host, expected, tmp_path):
    assert is_loopback(host) is expected
    assert ApiConfig(store_dir=tmp_path, host=host).commit_enabled is expected
    assert ApiConfig(store_dir=tmp_path, host=host, broadcast_commit="on").commit_enabled is True
    assert ApiConfig(store_dir=tmp_path, host=host, broadcast_commit="off").commit_enabled is False


@pytest.mark.parametrize("bad", [{"broadcast_commit": "yes"}, {"max_connections": 0},
                                 {"max_subscriptions_per_client": -1}, {"broadcast_rate": 0},
                                 {"broadcast_burst": 0}])
def test_a_config_with_a_meaningless_limit_is_refused(bad, tmp_path):
    with pytest.raises(ValueError):
        ApiConfig(store_dir=tmp_path, **bad)


def test_websockets_never_take_more_than_half_of_limit_concurrency(tmp_path):
    assert ApiConfig(store_dir=tmp_path).websocket_cap == 256
    assert ApiConfig(store_dir=tmp_path, max_connections=1000, limit_concurrency=512).websocket_cap == 256
    assert ApiConfig(store_dir=tmp_path, limit_concurrency=8).websocket_cap == 4
    assert ApiConfig(store_dir=tmp_path, max_connections=3, limit_concurrency=512).websocket_cap == 3
