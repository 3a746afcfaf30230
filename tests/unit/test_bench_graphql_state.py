"""The GraphQL benchmark's large state stays a valid workload, and its cache and query variables behave."""

from __future__ import annotations

import json
from collections import Counter

from abci_app.chain.domain.agreements import state as agreements
from abci_app.adapter.storage.store import Store
from bench import graphql_state, graphql_throughput
from bench.graphql_viewers import Stats
from bench.graphql_queries import Variables, spread_index
from bench.graphql_state import FAST_PLAN, LONG_PLAN, Shape, build, cached, plan
from graphql_api.pagination import decode_cursor

SMALL = Shape(agreements=120, requesters=4, providers=6, arbiters=2, per_block=40, idle=3)


def stored_agreements(store_dir) -> list:
    store = Store(store_dir, readonly=True)
    try:
        txn = store.read_txn()
        found = list(agreements.all_agreements(store.snapshot(txn)))
        txn.abort()
        return found
    finally:
        store.close()


def test_the_workload_makes_every_agreement_with_transactions_that_all_succeed(tmp_path):
    summary = build(tmp_path / "db", SMALL, progress=lambda _: None)
    made = stored_agreements(tmp_path / "db")
    assert summary["agreements"] == len(made) == 120
    assert summary["requests"] > 0 and summary["transactions"] > 120


def test_the_built_state_ends_with_settled_agreements_of_every_outcome_and_only_long_ones_open(tmp_path):
    build(tmp_path / "db", SMALL, progress=lambda _: None)
    made = stored_agreements(tmp_path / "db")
    outcomes = Counter(a.outcome for a in made if a.settled)
    assert {"completed", "broken", "arbitrated", "cancelled"} <= set(outcomes)
    still_open = [a for a in made if not a.settled]
    assert still_open and all(a.milestones[0].deadline - a.created_at > 600 * 86_400 for a in still_open)


def test_every_fast_agreement_settles_and_most_long_ones_stay_open():
    assert "open" not in FAST_PLAN and len(FAST_PLAN) == len(LONG_PLAN) == 20
    assert LONG_PLAN.count("open") >= 15
    assert plan(7, True) == plan(7, True) and plan(7, False) in LONG_PLAN


def test_a_cached_state_is_reused_for_the_same_shape_and_built_again_on_request(tmp_path, monkeypatch):
    builds = []
    real_build = graphql_state.build

    def counting_build(store_dir, shape, progress=print):
        builds.append(shape)
        return real_build(store_dir, shape, progress=lambda _: None)

    monkeypatch.setattr(graphql_state, "build", counting_build)
    home, first = cached(SMALL, tmp_path / "cache")
    again_home, again = cached(SMALL, tmp_path / "cache")
    assert (home, first["cached"], again["cached"], len(builds)) == (again_home, False, True, 1)
    assert json.loads((home / "built.json").read_text())["agreements"] == 120
    _, rebuilt = cached(SMALL, tmp_path / "cache", rebuild=True)
    assert not rebuilt["cached"] and len(builds) == 2
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [home.name]


def test_another_shape_has_another_cache_key():
    assert Shape().key("code") != Shape(agreements=5).key("code") != Shape(agreements=5).key("other")


def test_page_cursors_lie_in_the_newer_half_so_every_page_after_them_is_full():
    v = Variables(agreements=1000, requesters=("a", "b"))
    ids = [int(decode_cursor("agreement", v.cursor(i))) for i in range(2000)]
    assert min(ids) == 501 and max(ids) == 1000


def test_the_scattered_order_visits_every_item():
    assert sorted(spread_index(i, 1000) for i in range(1000)) == list(range(1000))


def test_aggregates_rotate_over_the_network_a_skill_and_a_requester():
    v = Variables(agreements=10, requesters=("r1", "r2"))
    assert [v.aggregates(i) for i in range(3)] == [{}, {"tag": "first-aid"}, {"org": "r1"}]


def test_every_loaded_throughput_round_sits_between_two_rounds_alone():
    rounds = graphql_throughput.schedule(2)
    assert rounds[0] == rounds[-1] == "alone" and rounds.count("dashboard") == rounds.count("hammer") == 2
    assert all(rounds[i - 1] == rounds[i + 1] == "alone" for i, kind in enumerate(rounds) if kind != "alone")


def test_a_loaded_round_is_compared_with_the_mean_of_its_neighbours_alone():
    rounds = [("alone", 100.0), ("dashboard", 90.0), ("alone", 80.0), ("hammer", 45.0), ("alone", 100.0),
              ("dashboard", 100.0), ("alone", 100.0)]
    found = graphql_throughput.ratios(rounds)
    assert found["dashboard"] == {"rounds": [1.0, 1.0], "median": 1.0}
    assert found["hammer"] == {"rounds": [0.5], "median": 0.5}


def test_a_failed_round_gives_no_ratio_nor_do_the_loaded_rounds_beside_it():
    rounds = [("alone", 100.0), ("dashboard", 90.0), ("alone", None), ("hammer", 45.0), ("alone", 100.0),
              ("dashboard", None), ("alone", 100.0), ("hammer", 50.0), ("alone", 100.0)]
    assert graphql_throughput.ratios(rounds) == {"hammer": {"rounds": [0.5], "median": 0.5}}


def test_reader_statistics_give_counts_failures_and_percentiles_per_query():
    stats = Stats()
    stats.latencies["page"] = [i / 1000 for i in range(1, 101)]
    stats.failures["page"] = 2
    assert stats.report()["page"] == {"requests": 100, "failures": 2, "p50_ms": 51.0, "p99_ms": 100.0}


def test_sequences_are_read_back_from_the_node_state_after_a_round_that_lost_transfers(tmp_path):
    build(tmp_path / "db", SMALL, progress=lambda _: None)
    actors = graphql_state.Actors.of(SMALL)        # fresh keys: every next sequence is 0
    assert graphql_throughput.resync(tmp_path / "db", actors.requesters, settle=0) == len(actors.requesters)
    assert all(k.sequence > 0 for k in actors.requesters)
    assert graphql_throughput.resync(tmp_path / "db", actors.requesters + actors.idle, settle=0) == 0
