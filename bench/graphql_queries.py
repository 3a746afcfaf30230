"""The dashboard queries ``bench.graphql`` measures, and the variables each request sends.

Three queries, as the dashboard asks them (``dashboard/js/pages``):

* one object: an agreement with its milestones, and ``_meta`` (the block it reflects);
* a page of 100 agreements with filters, newest first, after a cursor: open agreements
  of one party (``PAGE``: through the party index) or of everyone (``PAGE_ALL``: a walk
  of the agreements in id order that skips settled ones);
* friction aggregates: the per-day series of one scope (network-wide, one requester, one
  skill tag) with counts, totals and median / 90th percentile durations, and ``_meta``.

Variables rotate over objects, parties, cursors and scopes, so with the response cache
on, few answers would repeat; the benchmark turns the cache off anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.graphql_state import TAGS
from graphql_api.pagination import encode_cursor

ONE_OBJECT = """query($id: String!) { _meta { block { number } }
  agreement(id: $id) { id requester provider arbiter price escrow status settled outcome tags createdAt settledAt
    txs fees milestones { title amount deadline status deliveredAt settledAt } } }"""
ROW = "id requester provider price escrow status settled outcome tags createdAt milestones { status } cursor"
PAGE = ("query($party: String!, $after: String) { _meta { block { number } } agreements(first: 100, "
        "orderDirection: desc, after: $after, where: {party: $party, settled: false}) { " + ROW + " } }")
PAGE_ALL = ("query($after: String) { _meta { block { number } } agreements(first: 100, orderDirection: desc, "
            "after: $after, where: {settled: false}) { " + ROW + " } }")
FIGURES = ("period agreements completed disputed cancelled broken txs fees value toFirstOffer { count median p90 } "
           "toAgreement { count median p90 } toDelivery { count median p90 } toSettlement { count median p90 }")
AGGREGATES = ("query($org: String, $tag: String) { _meta { block { number } } "
              "friction(period: day, organization: $org, tag: $tag) { " + FIGURES + " } }")
ACCOUNT = "query($id: String!) { _meta { block { number } } account(id: $id) { balance sequence } }"


def spread_index(i: int, n: int) -> int:
    """Return the ``i``-th of ``n`` items in a scattered order (7919 is prime, so every item comes up)."""
    return (i * 7919) % n


@dataclass(frozen=True)
class Variables:
    """Variables for request ``i`` of each query, over a state of ``agreements`` agreements."""

    agreements: int
    requesters: tuple[str, ...]

    def one_object(self, i: int) -> dict:
        return {"id": str(1 + spread_index(i, self.agreements))}

    def cursor(self, i: int) -> str:
        """A cursor in the newer half of the ids, so a page after it is full."""
        half = self.agreements // 2
        return encode_cursor("agreement", str(half + 1 + spread_index(i, half)).encode())

    def page(self, i: int) -> dict:
        return {"party": self.requesters[spread_index(i, len(self.requesters))], "after": self.cursor(i)}

    def page_all(self, i: int) -> dict:
        return {"after": self.cursor(i)}

    def aggregates(self, i: int) -> dict:
        kind = i % 3
        if kind == 0:
            return {}
        if kind == 1:
            return {"tag": TAGS[(i // 3) % len(TAGS)]}
        return {"org": self.requesters[spread_index(i // 3, len(self.requesters))]}

    def dashboard(self, party_index: bool) -> list[tuple[str, str, object]]:
        """The three dashboard queries as ``(name, query, variables(i))``."""
        page = ("page_of_100", PAGE, self.page) if party_index else ("page_of_100", PAGE_ALL, self.page_all)
        return [("one_object", ONE_OBJECT, self.one_object), page, ("aggregates", AGGREGATES, self.aggregates)]
