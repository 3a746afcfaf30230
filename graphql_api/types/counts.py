"""``counts``: how many accounts, organizations, requests and agreements there are, exactly,
at the latest committed block, without listing them.

Where each number comes from (so a count stays right at 100,000 objects):

* organizations, requests, offers, agreements: the chain's own id counters (ids are never
  reused and those objects are never deleted), O(1);
* open requests: the market's open-items index (``mkt/rby/``), accounts: the ``acc/`` keys,
  settled agreements by outcome: the records' ``obj/agreement_settled`` index; each a
  keys-only cursor walk of that prefix, charged one scan-budget entry per ``KEYS_PER_ENTRY``
  keys (a key compared is far cheaper than a row decoded).

Answers are per block and therefore served from the response cache once computed.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from abci_app.adapter import records
from abci_app.adapter.storage.store import STATE_DB
from abci_app.chain.domain.accounts import keys as account_keys
from abci_app.chain.domain.agreements import keys as agreement_keys
from abci_app.chain.domain.market import keys as market_keys
from abci_app.chain.domain.organizations import keys as org_keys

KEYS_PER_ENTRY = 16


@strawberry.type(name="OutcomeCount")
class OutcomeCount:
    outcome: str
    count: int


@strawberry.type(name="Counts")
class Counts:
    block_number: int = strawberry.field(description="the committed block the counts reflect")
    accounts: int = strawberry.field(description="accounts with a balance or a signed transaction, "
                                                 "people and chain-held (treasuries, escrow, budgets) alike")
    organizations: int = strawberry.field(description="ever created, dissolved ones included")
    requests: int
    open_requests: int
    offers: int
    agreements: int
    open_agreements: int
    settled: list[OutcomeCount] = strawberry.field(description="settled agreements by outcome")


def _next_id_count(state, key: bytes) -> int:
    """Objects made so far: the stored next id minus one (no row: none yet)."""
    raw = state.get(key)
    return 0 if raw is None else int(bytes(raw)) - 1


def _keys_under(ctx, reader, db_name: bytes, prefix: bytes) -> dict[bytes, int]:
    """Count the keys under ``prefix`` with a keys-only cursor, charging the scan budget; grouped by
    the key's next 0x00-terminated segment after the prefix (or all under b"" when it has none)."""
    cursor = reader.txn.cursor(db=reader.store.db(db_name))
    found: dict[bytes, int] = {}
    seen = 0
    if cursor.set_range(prefix):
        for key in cursor.iternext(keys=True, values=False):
            key = bytes(key)
            if not key.startswith(prefix):
                break
            group = key[len(prefix):].split(b"\x00", 1)[0] if db_name == b"index" else b""
            found[group] = found.get(group, 0) + 1
            seen += 1
            if seen % KEYS_PER_ENTRY == 0:
                ctx.charge(reader)
    return found


def make_counts(ctx, reader) -> Counts:
    state = reader.state
    by_outcome = _keys_under(ctx, reader, b"index", records.object_prefix("agreement_settled", "outcome", "")[:-1])
    settled = [OutcomeCount(outcome=o.decode(), count=n) for o, n in sorted(by_outcome.items())]
    agreements = _next_id_count(state, agreement_keys.NEXT_ID)
    return Counts(block_number=reader.committed.height,
                  accounts=sum(_keys_under(ctx, reader, STATE_DB, account_keys.ACCOUNT_PREFIX).values()),
                  organizations=_next_id_count(state, org_keys.NEXT_ID),
                  requests=_next_id_count(state, market_keys.next_id("request")),
                  open_requests=sum(_keys_under(ctx, reader, STATE_DB, market_keys.REQUESTS_BY).values()),
                  offers=_next_id_count(state, market_keys.next_id("offer")),
                  agreements=agreements, open_agreements=agreements - sum(s.count for s in settled), settled=settled)


@strawberry.type
class CountQueries:
    @strawberry.field(description="Exact counts at the latest committed block (counters and key counts, no listing)")
    def counts(self, info: Info) -> Counts:
        ctx = info.context
        ctx.check_deadline()
        with ctx.read() as reader:
            return make_counts(ctx, reader)
