"""The committed ``graphql_api/schema.graphql`` matches the schema the code builds."""

from graphql_api.config import ApiConfig
from graphql_api.schema import SCHEMA_FILE, build_schema, sdl


def test_committed_schema_file_is_up_to_date():
    expected = sdl(build_schema(ApiConfig(store_dir=SCHEMA_FILE.parent)))
    assert SCHEMA_FILE.read_text() == expected, (
        "schema.graphql is out of date: run .venv/bin/python -m graphql_api --export-schema graphql_api/schema.graphql")


def test_list_filters_keep_the_graph_suffix_names():
    text = SCHEMA_FILE.read_text()
    for name in ("number_gte:", "numTxs_gte:", "signer_in:", "attributes_contains:", "id_gt:"):
        assert name in text
