"""Accounts (balance, sequence, proof) read with ``abci_app.chain.domain.accounts``'s keys and codec.

Listed in address order (``orderBy: id``), the order of the state's own keys, so a
page seeks straight to ``after``/``id_gt``: O(log n + page).
"""

from __future__ import annotations

import base64
import enum

import strawberry
from strawberry.types import Info

from abci_app.chain import codec
from abci_app.chain.domain.accounts import keys, state as accounts
from graphql_api.pagination import OrderDirection, check_first, decode_cursor, encode_cursor, take
from graphql_api.types.common import BigInt, BlockHeight, state_height

ACCOUNT_CURSOR = "account"
# A proof reads one state-tree node per level (about 2·log2 of the entries): charged as this
# many index entries against the operation's scan budget.  Its static cost is cost.py's.
PROOF_ENTRIES = 64


@strawberry.type(name="Account")
class Account:
    id: str = strawberry.field(description="the account's address")
    balance: BigInt
    sequence: int = strawberry.field(description="next expected transaction sequence")
    height: strawberry.Private[int] = 0

    @strawberry.field
    def address(self) -> str:
        return self.id

    @strawberry.field(description="base64 samen:smt proof of this account under the app hash of the "
                                  "answer's block (docs/proofs.md)")
    def proof(self, info: Info) -> str:
        ctx = info.context
        ctx.check_deadline()
        with ctx.read() as reader:
            ctx.charge(reader, PROOF_ENTRIES)
            return base64.b64encode(reader.proof(keys.account(self.id), self.height)).decode()

    @strawberry.field
    def cursor(self) -> str:
        return encode_cursor(ACCOUNT_CURSOR, self.id.encode())


def make_account(address: str, account: accounts.Account, height: int = 0) -> Account:
    return Account(id=address, balance=account.balance, sequence=account.sequence, height=height)


@strawberry.enum(name="Account_orderBy")
class AccountOrderBy(enum.Enum):
    id = "id"


@strawberry.input(name="Account_filter")
class AccountFilter:
    id: str | None = None
    id_not: str | None = None
    id_gt: str | None = None
    id_gte: str | None = None
    id_lt: str | None = None
    id_lte: str | None = None
    id_in: list[str] | None = None

    def matches(self, a: Account) -> bool:
        return ((self.id_not is None or a.id != self.id_not)
                and (self.id_gt is None or a.id > self.id_gt) and (self.id_gte is None or a.id >= self.id_gte)
                and (self.id_lt is None or a.id < self.id_lt) and (self.id_lte is None or a.id <= self.id_lte))


def _listed(state, where: AccountFilter, after: str | None, reverse: bool, height: int):
    """Yield accounts in address order from the right starting key."""
    if where.id is not None or where.id_in is not None:
        wanted = sorted({where.id} if where.id is not None else set(where.id_in), reverse=reverse)
        for address in wanted:
            account = accounts.get(state, address)
            if account is not None and (after is None or (address < after if reverse else address > after)):
                yield make_account(address, account, height)
        return
    if reverse:
        bound = min(filter(None, [after, where.id_lt, where.id_lte and where.id_lte + "\x00"]), default=None)
    else:
        bound = max(filter(None, [after and after + "\x00", where.id_gt, where.id_gte]), default=None)
    start = None if bound is None else keys.account(bound)
    for key, raw in state.iter_prefix(keys.ACCOUNT_PREFIX, start, reverse):
        address = key[len(keys.ACCOUNT_PREFIX):].decode()
        if _beyond(where, address, reverse):
            return
        yield make_account(address, codec.decode_value(accounts.Account, raw), height)


def _beyond(where: AccountFilter, address: str, reverse: bool) -> bool:
    """Return whether a scan has passed the filter's far end (so it can stop)."""
    if reverse:
        return (where.id_gt is not None and address <= where.id_gt) or (where.id_gte is not None and address < where.id_gte)
    return (where.id_lt is not None and address >= where.id_lt) or (where.id_lte is not None and address > where.id_lte)


@strawberry.type
class AccountQueries:
    @strawberry.field(description="One account by address (null when it holds nothing and never signed)")
    def account(self, info: Info, id: str, block: BlockHeight | None = None) -> Account | None:
        ctx = info.context
        ctx.check_deadline()
        with ctx.read() as reader:
            height = state_height(reader, block)
            found = accounts.get(reader.state_at(height), id)
            return None if found is None else make_account(id, found, height)

    @strawberry.field(description="Accounts in address order; keyset pagination with after")
    def accounts(self, info: Info, first: int | None = None, after: str | None = None,
                 order_by: AccountOrderBy = AccountOrderBy.id,
                 order_direction: OrderDirection = OrderDirection.asc,
                 where: AccountFilter | None = None, block: BlockHeight | None = None) -> list[Account]:
        ctx = info.context
        ctx.check_deadline()
        size = check_first(first, ctx.config.max_first)
        where = where or AccountFilter()
        after_id = None if after is None else decode_cursor(ACCOUNT_CURSOR, after).decode()
        with ctx.read() as reader:
            height = state_height(reader, block)
            rows = _listed(reader.state_at(height), where, after_id, order_direction == OrderDirection.desc, height)
            return take(rows, size, where.matches, lambda: ctx.charge(reader))
