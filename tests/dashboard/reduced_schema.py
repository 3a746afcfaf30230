"""The committed GraphQL schema, and a page that talks to a node serving it with some fields removed.

* ``COMMITTED``: ``graphql_api/schema.graphql`` parsed by graphql-core; ``COMMITTED_FIELDS``: its
  Query fields (``tests/graphql/test_schema_file.py`` keeps the file equal to what the code builds).
* ``reduced(without)``: the committed schema with those Query fields removed.
* ``serve_without(page, fields)``: route the page's ``POST /graphql`` through validation against
  the reduced schema.  A query that schema rejects is answered with graphql-core's validation
  errors, as a node without those resolvers answers ("Cannot query field 'x' on type 'Query'.");
  every other request goes on to the real server unchanged.
"""

from __future__ import annotations

import json

from graphql import DocumentNode, GraphQLError, GraphQLSchema, build_ast_schema, build_schema, parse, validate
from graphql.language import ObjectTypeDefinitionNode

from graphql_api.schema import SCHEMA_FILE

COMMITTED = build_schema(SCHEMA_FILE.read_text())
COMMITTED_FIELDS = set(COMMITTED.query_type.fields)


def reduced(without: set[str]) -> GraphQLSchema:
    """The committed schema without the Query fields ``without`` (each must exist)."""
    assert without <= COMMITTED_FIELDS, sorted(without - COMMITTED_FIELDS)
    document = parse(SCHEMA_FILE.read_text())
    definitions = []
    for node in document.definitions:
        if isinstance(node, ObjectTypeDefinitionNode) and node.name.value == "Query":
            kept = tuple(f for f in node.fields if f.name.value not in without)
            node = ObjectTypeDefinitionNode(name=node.name, description=node.description, interfaces=node.interfaces,
                                            directives=node.directives, fields=kept)
        definitions.append(node)
    return build_ast_schema(DocumentNode(definitions=tuple(definitions)))


def serve_without(page, fields: set[str]) -> None:
    """Make ``page`` see a node whose schema is the committed one without ``fields``."""
    schema = reduced(fields)

    def answer(route) -> None:
        request = route.request
        if request.method != "POST":
            route.continue_()
            return
        try:
            errors = validate(schema, parse(json.loads(request.post_data or "{}").get("query") or ""))
        except (ValueError, GraphQLError):   # not a query at all: the real server answers it
            errors = []
        if errors:
            route.fulfill(status=200, content_type="application/json",
                          body=json.dumps({"data": None, "errors": [{"message": e.message} for e in errors]}))
        else:
            route.continue_()

    page.route("**/graphql", answer)
