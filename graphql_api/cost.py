"""Static query cost: what an operation may make the server do, computed before it runs.

The cost of an operation is the number of values its answer can hold at most:

* every field costs 1 (``__typename`` costs nothing);
* a field returning objects multiplies the cost of its selection by how many it may
  return: 1 for a single object, the page size for a list that takes ``first``
  (the literal, the variable's value, or the default 100; clamped to ``max_first``),
  ``unpaged_list_cost`` (10) for a list without ``first`` (a block's transactions, an
  event's attributes, introspection's lists);
* ``Account.proof`` and ``StateProof.proof`` cost ``proof_cost`` (100): a proof reads a path of the state tree
  and answers a few kilobytes;
* aliases are fields like any other, and fragments count wherever they are spread
  (each fragment is costed once and reused, so even a document spreading fragments
  into each other many times is costed in time linear in its length).

``CostLimit`` (a schema extension) charges an operation's cost, before it executes,
to its HTTP request's budget (``context.Budget``: one allowance of ``max_cost`` for all
operations of a batch) or, outside an HTTP request (a WebSocket operation), checks it
against ``max_cost`` alone.  Over the limit the operation is not run: its answer is one
error with ``extensions.code`` ``COST_LIMIT_EXCEEDED`` and the computed ``cost`` and
``limit``.  An answer served from the response cache is not charged (it costs nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from graphql import (DocumentNode, FieldNode, FragmentDefinitionNode, FragmentSpreadNode, GraphQLError,
                     GraphQLSchema, InlineFragmentNode, IntValueNode, SelectionSetNode, VariableNode,
                     get_named_type, get_nullable_type, is_leaf_type, is_list_type)
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql.type import SchemaMetaFieldDef, TypeMetaFieldDef
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension

from graphql_api.config import DEFAULT_FIRST, MAX_FIRST

COST_LIMIT_EXCEEDED = "COST_LIMIT_EXCEEDED"
# Fields with a cost of their own, by (type name, field name); their weight name in ``Weights``.
PRICED_FIELDS = {("Account", "proof"): "proof", ("StateProof", "proof"): "proof"}
META_FIELDS = {"__schema": SchemaMetaFieldDef, "__type": TypeMetaFieldDef}


@dataclass(frozen=True, slots=True)
class Weights:
    proof: int = 100
    unpaged_list: int = 10
    default_first: int = DEFAULT_FIRST
    max_first: int = MAX_FIRST

    @classmethod
    def of(cls, config) -> "Weights":
        return cls(proof=config.proof_cost, unpaged_list=config.unpaged_list_cost, max_first=config.max_first)


def operation_cost(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None = None,
                   variables: dict[str, Any] | None = None, weights: Weights = Weights()) -> int:
    """Return the cost of the document's selected operation (0 when there is none)."""
    operation = get_operation_ast(document, operation_name)
    root = None if operation is None else schema.get_root_type(operation.operation)
    if root is None:
        return 0
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    return _Coster(schema, fragments, variables or {}, weights).selections(operation.selection_set, root)


class _Coster:
    """Walk a selection tree once; each fragment's cost is computed once and remembered."""

    def __init__(self, schema: GraphQLSchema, fragments: dict, variables: dict, weights: Weights) -> None:
        self.schema, self.fragments, self.variables, self.weights = schema, fragments, variables, weights
        self.fragment_costs: dict[str, int] = {}

    def selections(self, selection_set: SelectionSetNode | None, parent) -> int:
        if selection_set is None:
            return 0
        return sum(self._selection(node, parent) for node in selection_set.selections)

    def _selection(self, node, parent) -> int:
        if isinstance(node, FieldNode):
            return self._field(node, parent)
        if isinstance(node, InlineFragmentNode):
            condition = node.type_condition and self.schema.get_type(node.type_condition.name.value)
            return self.selections(node.selection_set, condition or parent)
        if isinstance(node, FragmentSpreadNode):
            return self._fragment(node.name.value)
        return 0

    def _fragment(self, name: str) -> int:
        if name not in self.fragment_costs:
            self.fragment_costs[name] = 0           # a cycle (refused by validation) adds nothing
            fragment = self.fragments.get(name)
            if fragment is not None:
                condition = self.schema.get_type(fragment.type_condition.name.value)
                self.fragment_costs[name] = self.selections(fragment.selection_set, condition)
        return self.fragment_costs[name]

    def _field(self, node: FieldNode, parent) -> int:
        name = node.name.value
        if name == "__typename":
            return 0
        definition = META_FIELDS.get(name) or getattr(parent, "fields", {}).get(name)
        if definition is None:
            return 1
        if is_leaf_type(get_named_type(definition.type)):
            priced = PRICED_FIELDS.get((getattr(parent, "name", ""), name))
            return getattr(self.weights, priced) if priced else 1
        items = self._items(node, definition) if _returns_list(definition.type) else 1
        return 1 + items * self.selections(node.selection_set, get_named_type(definition.type))

    def _items(self, node: FieldNode, definition) -> int:
        """How many objects a list field may return: its ``first`` or the unpaged default."""
        if "first" not in definition.args:
            return self.weights.unpaged_list
        for argument in node.arguments or ():
            if argument.name.value == "first":
                return self._page(argument.value)
        return self.weights.default_first

    def _page(self, value) -> int:
        if isinstance(value, IntValueNode):
            first = int(value.value)
        elif isinstance(value, VariableNode):
            given = self.variables.get(value.name.value)
            first = given if isinstance(given, int) and not isinstance(given, bool) else self.weights.default_first
        else:
            first = self.weights.default_first
        return max(0, min(first, self.weights.max_first))


def _returns_list(type_) -> bool:
    return is_list_type(get_nullable_type(type_))


def cost_error(cost: int, limit: int, left: int | None = None) -> GraphQLError:
    """The error answered for an operation over the cost limit (``left``: what its request had left)."""
    where = "" if left is None or left == limit else f" ({left} left of this request's {limit})"
    return GraphQLError(f"query cost {cost} exceeds the limit of {limit}{where}: ask for fewer items "
                        "(smaller first, fewer aliases or proofs) or split the request",
                        extensions={"code": COST_LIMIT_EXCEEDED, "cost": cost, "limit": limit})


class CostLimit(SchemaExtension):
    """Refuse an operation whose static cost exceeds what its request may still spend."""

    def on_execute(self) -> Iterator[None]:
        ec = self.execution_context
        if ec.result is None and ec.graphql_document is not None:
            config = ec.context.config
            cost = operation_cost(ec.schema._schema, ec.graphql_document, ec.operation_name, ec.variables,
                                  Weights.of(config))
            refused = ec.context.spend(cost)
            if refused is not None:
                ec.result = GraphQLExecutionResult(data=None, errors=[cost_error(cost, config.max_cost, refused)])
        yield
