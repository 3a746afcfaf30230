"""Fee sponsorship: an organization pays its grantees' fees within a limit, until an expiry.

``fee_payer`` (registered as ``components.FEE_PAYER``) runs inside the
transaction's authentication overlay: once the transaction is authenticated the
allowance is charged even if its action then fails (``abci_app.chain.block``); a
transaction rejected during authentication leaves it untouched.
"""

from __future__ import annotations

from abci_app.chain import addresses
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.organizations import events, state as orgs
from abci_app.chain.domain.organizations.messages import GrantFeeAllowance, RevokeFeeAllowance
from abci_app.chain.errors import (FeeAllowanceExceeded, FeeAllowanceExpired, InvalidAllowance, NoFeeAllowance,
                             UnknownFeePayer)
from abci_app.chain.context import BlockInfo, TxContext
from abci_app.chain.state.protocols import StateRead, StateWrite


def check_stateless_grant(msg: GrantFeeAllowance, ctx: TxContext) -> None:
    addresses.validate(msg.grantee, "grantee address")
    if not 1 <= msg.limit <= accounts.MAX_AMOUNT:
        raise InvalidAllowance(f"allowance limit must be in [1, 2^63-1], got {msg.limit}")


def check_and_execute_grant(state: StateWrite, block: BlockInfo, ctx: TxContext,
                            msg: GrantFeeAllowance) -> list[object]:
    """Grant or replace ``grantee``'s allowance (a replacement starts with nothing spent)."""
    org = orgs.require_self(state, msg.org_id, ctx.signer)
    if msg.expires_at <= block.time:
        raise InvalidAllowance(f"allowance expiry {msg.expires_at} is not after the block time {block.time}")
    orgs.put_allowance(state, orgs.Allowance(org.id, msg.grantee, msg.limit, 0, msg.expires_at))
    return [events.FeeAllowanceGranted(org.id, msg.grantee, msg.limit, msg.expires_at)]


def check_stateless_revoke(msg: RevokeFeeAllowance, ctx: TxContext) -> None:
    addresses.validate(msg.grantee, "grantee address")


def check_and_execute_revoke(state: StateWrite, block: BlockInfo, ctx: TxContext,
                             msg: RevokeFeeAllowance) -> list[object]:
    org = orgs.require_self(state, msg.org_id, ctx.signer)
    if orgs.allowance(state, org.id, msg.grantee) is None:
        raise NoFeeAllowance(f"{msg.grantee} has no fee allowance from organization {org.id}")
    orgs.delete_allowance(state, org.id, msg.grantee)
    return [events.FeeAllowanceRevoked(org.id, msg.grantee)]


def fee_payer(state: StateWrite, block: BlockInfo, ctx: TxContext) -> str:
    """Return the treasury that pays ``ctx.fee`` for ``ctx.signer``, after charging the allowance.

    Rejects a fee payer that is no organization's treasury (``UnknownFeePayer``),
    a dissolved organization, a missing, expired (block time >= expiry) or
    exhausted allowance.  The caller moves the fee.
    """
    org_id = orgs.by_treasury(state, ctx.fee_payer)
    if org_id is None:
        raise UnknownFeePayer(f"fee payer {ctx.fee_payer} is not an organization's treasury")
    org = orgs.require_active(state, org_id)
    grant = orgs.allowance(state, org_id, ctx.signer)
    if grant is None:
        raise NoFeeAllowance(f"{ctx.signer} has no fee allowance from organization {org_id}")
    if block.time >= grant.expires_at:
        raise FeeAllowanceExpired(f"fee allowance of {ctx.signer} from organization {org_id} expired at {grant.expires_at}")
    if grant.spent + ctx.fee > grant.limit:
        raise FeeAllowanceExceeded(f"fee {ctx.fee} exceeds the allowance left ({grant.limit - grant.spent})")
    orgs.put_allowance(state, orgs.Allowance(org_id, grant.grantee, grant.limit, grant.spent + ctx.fee,
                                             grant.expires_at))
    return org.treasury
