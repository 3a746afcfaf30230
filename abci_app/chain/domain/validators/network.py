"""What only the network organization may do besides the validator set: spend the community pool, set market params.

The community pool collects every fee and every swept treasury.  Its only exit is
``SpendCommunityPool``, an action of a passed proposal of the network
organization (the signer must be its treasury: ``validators/3`` otherwise), so the
network's members decide together where common money goes (grants, refunds of
mistakes, public goods).  ``UpdateMarketParams`` changes the windows and caps of
``docs/lifecycles.md`` the same way; the new values apply from the next
transaction on (deadlines and due times already recorded keep theirs).
"""

from __future__ import annotations

import dataclasses

from abci_app.chain import addresses
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.accounts.handlers import check_amount, check_text
from abci_app.chain.domain.market import params as market_params
from abci_app.chain.domain.validators.events import CommunityPoolSpent, MarketParamsUpdated
from abci_app.chain.domain.validators.handlers import require_network_org
from abci_app.chain.domain.validators.messages import SpendCommunityPool, UpdateMarketParams
from abci_app.chain.errors import InvalidMarketParams
from abci_app.chain.context import BlockInfo, TxContext
from abci_app.chain.state.protocols import StateWrite

MAX_CHANGES = 16


def check_stateless_spend(msg: SpendCommunityPool, ctx: TxContext) -> None:
    addresses.validate(msg.to, "recipient address")
    check_amount(msg.amount)
    check_text(msg.memo, ctx.params.max_memo_bytes)


def check_and_execute_spend(state: StateWrite, block: BlockInfo, ctx: TxContext,
                            msg: SpendCommunityPool) -> list[object]:
    """Network organization: pay from the pool (``accounts/4`` if the pool holds less)."""
    require_network_org(state, ctx.signer)
    accounts.move(state, addresses.COMMUNITY_POOL, msg.to, msg.amount, "community pool")
    return [CommunityPoolSpent(msg.to, msg.amount, msg.memo)]


def check_stateless_update_params(msg: UpdateMarketParams, ctx: TxContext) -> None:
    """1..16 changes, each naming a known parameter once."""
    if not 1 <= len(msg.changes) <= MAX_CHANGES:
        raise InvalidMarketParams(f"an update carries 1 to {MAX_CHANGES} changes, got {len(msg.changes)}")
    known = {f.name for f in dataclasses.fields(market_params.MarketParams)}
    names = [change.name for change in msg.changes]
    for name in names:
        if name not in known:
            raise InvalidMarketParams(f"unknown market parameter {name!r}; known: {', '.join(sorted(known))}")
    if len(set(names)) != len(names):
        raise InvalidMarketParams("each market parameter may be changed once per update")


def check_and_execute_update_params(state: StateWrite, block: BlockInfo, ctx: TxContext,
                                    msg: UpdateMarketParams) -> list[object]:
    """Network organization: set the named parameters; the result must pass the genesis rules."""
    require_network_org(state, ctx.signer)
    merged = dataclasses.asdict(market_params.get(state))
    merged.update({change.name: change.value for change in msg.changes})
    try:
        market_params.put(state, market_params.parse(merged))
    except market_params.MarketParamsError as exc:
        raise InvalidMarketParams(str(exc)) from None
    return [MarketParamsUpdated(",".join(change.name for change in msg.changes))]
