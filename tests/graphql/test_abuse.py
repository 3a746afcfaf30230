"""The abuse suite (B4): each hostile request is refused with an error and the server stays up."""

from __future__ import annotations

import sys

import pytest

from graphql_api import history
from tests.graphql.conftest import Api, make_api

ALIVE = "{ _meta { block { number } } }"


def assert_refused(api: Api, body: dict, fragment: str) -> None:
    assert body.get("data") in (None, {}) or "errors" in body, body
    messages = " | ".join(e["message"] for e in body["errors"])
    assert fragment in messages, messages
    assert api.data(ALIVE)["_meta"]["block"]["number"] > 0


def test_a_query_deeper_than_the_limit_is_refused(seeded):
    with make_api(seeded, max_depth=3) as client:
        api = Api(client)
        body = api.query("{ blocks { transactions { events { attributes { key } } } } }")
        assert_refused(api, body, "exceeds maximum operation depth of 3")


def test_too_many_aliases_are_refused(api):
    fields = " ".join(f"a{i}: _meta {{ appHash }}" for i in range(16))
    assert_refused(api, api.query("{ %s }" % fields), "aliases found")


def test_aliases_hidden_in_a_repeated_fragment_are_counted(api):
    fragment = "fragment F on Query { " + " ".join(f"a{i}: _meta {{ appHash }}" for i in range(8)) + " }"
    query = "query { ...F x: status { height } ...F } " + fragment
    assert_refused(api, api.query(query), "aliases found")


def test_too_many_tokens_are_refused(api):
    query = "{ " + " ".join("_meta { appHash }" for _ in range(300)) + " }"
    assert_refused(api, api.query(query), "token")


def test_circular_fragments_are_refused_without_recursing(api):
    query = ("query { blocks { ...A } } fragment A on Block { number ...B } "
             "fragment B on Block { hash ...A }")
    assert_refused(api, api.query(query), "Cannot spread fragment")


def test_a_literal_first_above_the_cap_fails_validation(api):
    assert_refused(api, api.query("{ blocks(first: 1001) { number } }"), "first must be at most 1000")


def test_a_first_above_the_cap_in_a_variable_is_refused(api):
    body = api.query("query($f: Int) { blocks(first: $f) { number } }", {"f": 5000})
    assert_refused(api, body, "first must be between 0 and 1000")


def test_a_batch_over_the_limit_is_refused(api):
    batch = [{"query": ALIVE} for _ in range(11)]
    response = api.client.post("/graphql", json=batch)
    assert response.status_code == 400 and "Too many operations" in response.text
    assert api.data(ALIVE)["_meta"]["block"]["number"] > 0


def test_a_batch_within_the_limit_is_answered(api):
    response = api.client.post("/graphql", json=[{"query": ALIVE}, {"query": "{ status { height } }"}])
    assert [sorted(r["data"]) for r in response.json()] == [["_meta"], ["status"]]


def test_a_query_past_the_time_limit_is_stopped(seeded):
    with make_api(seeded, timeout_seconds=0) as client:
        body = Api(client).query("{ blocks(first: 1000) { number } }")
        assert "time limit" in body["errors"][0]["message"]
        assert body["errors"][0]["extensions"]["code"] == "TIME_LIMIT_EXCEEDED"


def test_a_proof_checks_the_time_limit(seeded, monkeypatch):
    from graphql_api.context import Context
    from graphql_api.errors import QueryTimeout

    def late_inside_proofs(self) -> None:
        if sys._getframe(1).f_code.co_name == "proof":
            raise QueryTimeout("request exceeded the time limit of 0s")

    with make_api(seeded) as client:
        api = Api(client)
        address = api.data("{ accounts(first: 1) { id } }")["accounts"][0]["id"]
        monkeypatch.setattr(Context, "check_deadline", late_inside_proofs)
        body = api.query('{ a: account(id: "%s") { id proof } }' % address)
        assert [e["extensions"]["code"] for e in body["errors"]] == ["TIME_LIMIT_EXCEEDED"]
        assert body["errors"][0]["path"] == ["a", "proof"]


def test_a_query_over_the_cost_limit_is_refused_with_its_cost(seeded):
    with make_api(seeded, max_cost=50) as client:
        body = Api(client).query("{ blocks(first: 100) { number } }")
        error = body["errors"][0]
        assert body["data"] is None and error["extensions"] == {"code": "COST_LIMIT_EXCEEDED", "cost": 101, "limit": 50}


def test_the_operations_of_a_batch_share_the_request_budget(seeded):
    with make_api(seeded, max_cost=100) as client:           # 71 + 71 + 3: the second page does not fit
        batch = [{"query": "{ blocks(first: 70) { number } }"}, {"query": "{ b: blocks(first: 70) { number } }"},
                 {"query": ALIVE}]
        codes = [[e["extensions"]["code"] for e in r.get("errors", [])] for r in client.post("/graphql", json=batch).json()]
        assert sorted(codes) == [[], [], ["COST_LIMIT_EXCEEDED"]]


def test_every_operation_of_a_batch_gets_its_own_context_with_the_shared_budget():
    from graphql_api.context import Budget, Context

    request = Context(services=None, budget=Budget(10, 100))
    first, second = request.for_operation(), request.for_operation()
    assert first is not second and first.budget is second.budget is request.budget
    assert first.spend(60) is None and second.spend(60) == 40


def test_a_query_text_over_the_limit_is_refused(seeded):
    with make_api(seeded, max_query_chars=100) as client:
        body = Api(client).query(ALIVE + " " * 100)
        assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_LARGE"
        assert Api(client).data(ALIVE)["_meta"]["block"]["number"] > 0


def test_a_body_over_the_limit_is_answered_413(seeded):
    with make_api(seeded, max_body_bytes=1000) as client:
        response = client.post("/graphql", json={"query": ALIVE + " " * 2000})
        assert response.status_code == 413 and "request body exceeds 1000 bytes" in response.text


def test_a_filter_past_the_scan_budget_is_stopped(seeded):
    with make_api(seeded, scan_budget=5) as client:
        body = Api(client).query('{ transactions(first: 10, where: {log_contains: "x"}) { hash } }')
        assert "index entries" in body["errors"][0]["message"]


def test_an_internal_error_is_masked(api, monkeypatch):
    def broken(*_args):
        raise RuntimeError("secret path /var/lib/samen")

    monkeypatch.setattr(history, "block", broken)
    body = api.query("{ block(number: 1) { number } }")
    assert body["errors"][0]["message"] == "Internal server error"
    assert "secret" not in str(body)


def test_introspection_can_be_switched_off(seeded):
    with make_api(seeded, introspection=False) as client:
        body = Api(client).query("{ __schema { types { name } } }")
        assert "introspection" in body["errors"][0]["message"].lower()


def test_introspection_is_on_by_default(api):
    assert api.data("{ __schema { queryType { name } } }")["__schema"]["queryType"]["name"] == "Query"


@pytest.mark.parametrize("accept", ["text/html"])
def test_graphiql_is_off_by_default(api, accept):
    response = api.client.get("/graphql", headers={"Accept": accept})
    assert response.status_code != 200 or "graphiql" not in response.text.lower()


def test_a_bad_cursor_is_a_clear_error(api):
    body = api.query('{ blocks(after: "bm9wZTox") { number } }')
    assert "not a cursor of the block list" in body["errors"][0]["message"]
