"""graphql_api.cost: the static cost of a query, computed from the parsed document alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import get_introspection_query, parse

from graphql_api.config import ApiConfig
from graphql_api.cost import Weights, operation_cost
from graphql_api.schema import build_schema

CONFIG = ApiConfig(store_dir=Path("."))
SCHEMA = build_schema(CONFIG)._schema


def cost(text: str, variables: dict | None = None, operation: str | None = None, **weights) -> int:
    return operation_cost(SCHEMA, parse(text), operation, variables, Weights(**weights))


def test_every_field_costs_one():
    assert cost("{ _meta { appHash chainId } }") == 3


def test_typename_costs_nothing():
    assert cost("{ _meta { __typename appHash } }") == 2


def test_a_page_multiplies_its_selection_by_first():
    assert cost("{ blocks(first: 10) { number hash } }") == 1 + 10 * 2


def test_a_page_without_first_counts_the_default_page_size():
    assert cost("{ blocks { number } }") == 1 + 100


def test_first_from_a_variable_is_used_and_a_missing_one_falls_back_to_the_default():
    text = "query($n: Int) { blocks(first: $n) { number } }"
    assert cost(text, {"n": 7}) == 1 + 7
    assert cost(text, {}) == 1 + 100
    assert cost(text, {"n": "seven"}) == 1 + 100


def test_first_is_clamped_to_the_cap():
    assert cost("query($n: Int) { blocks(first: $n) { number } }", {"n": 10**9}) == 1 + 1000


def test_each_alias_is_charged():
    assert cost("{ a: blocks(first: 10) { number } b: blocks(first: 10) { number } c: _meta { appHash } }") == 11 + 11 + 2


def test_a_proof_is_charged_its_weight():
    assert cost("{ accounts(first: 10) { id proof } }") == 1 + 10 * (1 + 100)
    assert cost("{ accounts(first: 10) { proof } }", proof=5) == 1 + 10 * 5


def test_a_list_without_first_counts_the_unpaged_weight_per_level():
    assert cost("{ blocks(first: 2) { transactions { events { type } } } }") == 1 + 2 * (1 + 10 * (1 + 10))
    assert cost("{ blocks(first: 2) { transactions { hash } } }", unpaged_list=3) == 1 + 2 * (1 + 3)


def test_named_and_inline_fragments_count_where_they_are_spread():
    text = "{ blocks(first: 3) { ...F ... on Block { numTxs } } } fragment F on Block { number hash }"
    assert cost(text) == 1 + 3 * 3


def test_fragments_spread_into_each_other_are_costed_once_each():
    depth = 40  # expanded naively this document has 2**40 leaves
    fragments = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(depth))
    text = "{ ...F0 } " + fragments + f" fragment F{depth} on Query {{ _meta {{ appHash }} }}"
    assert cost(text) == 2 ** depth * 2


def test_the_selected_operation_is_the_one_costed():
    text = "query Small { _meta { appHash } } query Big { blocks(first: 1000) { number } }"
    assert (cost(text, operation="Small"), cost(text, operation="Big")) == (2, 1001)


def test_a_mutation_is_costed_from_the_mutation_root():
    assert cost('mutation { broadcastTransaction(tx: "AA==") { hash success } }') == 3


def test_a_document_without_the_named_operation_costs_nothing():
    assert cost("{ _meta { appHash } }", operation="Missing") == 0


@pytest.mark.parametrize("text", [
    get_introspection_query(descriptions=True),
    "{ _meta { block { number } } accounts(first: 1000) { id balance sequence } }",
    "{ blocks(first: 1000) { number hash timestamp numTxs cursor } }",
    "{ transactions(first: 100) { hash action success events { type attributes { key value } } } }",
])
def test_ordinary_queries_fit_the_default_limit(text):
    assert cost(text) <= CONFIG.max_cost


def test_fifteen_aliases_of_a_thousand_proofs_exceed_the_default_limit():
    text = "{ " + " ".join(f"a{i}: accounts(first: 1000) {{ proof }}" for i in range(15)) + " }"
    assert cost(text) == 15 * (1 + 1000 * 100) > CONFIG.max_cost


@pytest.mark.parametrize("field", ["max_cost", "worker_threads", "max_body_bytes", "max_header_bytes",
                                   "limit_concurrency", "header_timeout_seconds"])
def test_a_limit_of_zero_is_a_configuration_error(field):
    with pytest.raises(ValueError, match=field):
        ApiConfig(store_dir=Path("."), **{field: 0})


def test_every_graphql_setting_of_app_toml_reaches_the_server_config(tmp_path):
    from graphql_api.config import from_home

    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "app.toml").write_text("[graphql]\nmax_cost = 5000\nmax_depth = 4\nport = 9999\n")
    config = from_home(tmp_path)
    assert (config.max_cost, config.max_depth, config.port, config.max_body_bytes) == (5000, 4, 9999, 1 << 20)
