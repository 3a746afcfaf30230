"""Handlers of the roles module: grant and revoke (by proposal), and act as a role (the holder, without a vote).

What a use spends is measured, not declared: the decrease of the treasury's
balance plus the decrease of the project-budgets account during the action (so
paying from a project the organization owns counts too, and moving money from a
project back to the treasury costs nothing).  If the period's spending would pass
the limit the whole transaction is refused and changes nothing (``roles/7``).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from abci_app.chain import addresses, messages
from abci_app.chain.context import Router, TxContext
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.market.checks import TAG
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.organizations.handlers import MAX_PERIOD
from abci_app.chain.domain.projects import state as projects
from abci_app.chain.domain.roles import events, state as roles
from abci_app.chain.domain.roles.errors import (ActionNotAllowed, InvalidRole, NotTheHolder, RoleBudgetExceeded,
                                          RoleExpired)
from abci_app.chain.domain.roles.messages import ActAsRole, GrantRole, RevokeRole
from abci_app.chain.state.protocols import StateWrite

if TYPE_CHECKING:
    from abci_app.chain.context import BlockInfo

# The kinds of action a role may take: market, agreement, project, document and stream work.
# Governance (members, policy, roles, fee allowances, proposals, votes, leaving) always needs a vote.
ROLE_KINDS = ("transfer", "publish_document", "attach_document", "post_request", "withdraw_request", "make_offer",
              "withdraw_offer", "accept_offer", "take_standing_offer", "deliver_milestone", "accept_milestone",
              "reclaim_milestone", "dispute_milestone", "rate_agreement", "create_project", "fund_project",
              "withdraw_project_budget", "create_stream", "claim_stream", "stop_stream")


def check_stateless_grant(msg: GrantRole, ctx: TxContext) -> None:
    if not TAG.fullmatch(msg.name):
        raise InvalidRole(f"role name must be 1-32 lowercase letters, digits and hyphens, got {msg.name!r}")
    addresses.validate(msg.holder, "role holder")
    if not msg.kinds or len(set(msg.kinds)) != len(msg.kinds):
        raise InvalidRole("a role needs at least one action kind, each listed once")
    for kind in msg.kinds:
        if kind not in ROLE_KINDS:
            raise InvalidRole(f"{kind!r} is not an action kind a role may take (allowed: {', '.join(ROLE_KINDS)})")
    if not 1 <= msg.limit <= accounts.MAX_AMOUNT:
        raise InvalidRole(f"spending limit must be in [1, 2^63-1], got {msg.limit}")
    if not 1 <= msg.period <= MAX_PERIOD:
        raise InvalidRole(f"period must be in [1, {MAX_PERIOD}] seconds, got {msg.period}")


def check_and_execute_grant(state: StateWrite, block: BlockInfo, ctx: TxContext, msg: GrantRole) -> list[object]:
    """Grant (or replace) the role; the holder must be a member and the expiry in the future."""
    org = orgs.require_self(state, msg.org_id, ctx.signer)
    if orgs.weight_of(org.members, msg.holder) == 0:
        raise InvalidRole(f"role holder {msg.holder} is not a member of organization {org.id}")
    if msg.expires_at <= block.time:
        raise InvalidRole(f"role expiry {msg.expires_at} is not after the block time {block.time}")
    roles.put(state, roles.Role(org.id, msg.name, msg.holder, msg.kinds, msg.limit, msg.period, msg.expires_at,
                                block.time))
    return [events.RoleGranted(org.id, msg.name, msg.holder, ",".join(msg.kinds), msg.limit, msg.period,
                               msg.expires_at)]


def check_stateless_revoke(msg: RevokeRole, ctx: TxContext) -> None:
    """Nothing to check without state."""


def check_and_execute_revoke(state: StateWrite, block: BlockInfo, ctx: TxContext, msg: RevokeRole) -> list[object]:
    orgs.require_self(state, msg.org_id, ctx.signer)
    roles.require(state, msg.org_id, msg.name)
    roles.delete(state, msg.org_id, msg.name)
    return [events.RoleRevoked(msg.org_id, msg.name)]


def _inner(msg: ActAsRole, ctx: TxContext, router: Router) -> tuple[str, Any, TxContext]:
    """The action's kind, its handlers (from ``router``) and the context it runs with (the treasury signs, its own hash)."""
    action_type: type = type(msg.action)
    kind = messages.kind_of(action_type) if action_type in router else ""
    if kind not in ROLE_KINDS:
        raise ActionNotAllowed(f"a role cannot take action {kind or 'empty'!r}")
    digest = hashlib.sha256(b"samen/role/" + ctx.hash).digest()
    inner = TxContext(orgs.treasury_address(msg.org_id), 0, 0, "", digest, ctx.params)
    return kind, router[action_type], inner


def check_stateless_act(msg: ActAsRole, ctx: TxContext, *, router: Router) -> None:
    _, (check_stateless, _), inner = _inner(msg, ctx, router)
    check_stateless(msg.action, inner)


def check_and_execute_act(state: StateWrite, block: BlockInfo, ctx: TxContext, msg: ActAsRole, *,
                          router: Router) -> list[object]:
    """Run the action as the organization if the holder may; refuse it if it spends beyond the period's budget."""
    org = orgs.require_active(state, msg.org_id)
    role = roles.require(state, org.id, msg.name)
    if ctx.signer != role.holder or orgs.weight_of(org.members, ctx.signer) == 0:
        raise NotTheHolder(f"only {role.holder}, as a member, may act as role {role.name!r}")
    if block.time >= role.expires_at:
        raise RoleExpired(f"role {role.name!r} of organization {org.id} expired at {role.expires_at}")
    kind, (_, check_and_execute), inner = _inner(msg, ctx, router)
    if kind not in role.kinds:
        raise ActionNotAllowed(f"role {role.name!r} may take {', '.join(role.kinds)}, not {kind}")
    before = accounts.balance(state, org.treasury), accounts.balance(state, projects.BUDGETS)
    out: list[object] = check_and_execute(state, block, inner, msg.action)
    after = accounts.balance(state, org.treasury), accounts.balance(state, projects.BUDGETS)
    spent = max(0, before[0] - after[0] + max(0, before[1] - after[1]))
    total = roles.spent_now(role, block.time) + spent
    if total > role.limit:
        raise RoleBudgetExceeded(f"role {role.name!r} would spend {total} this period, its limit is {role.limit}")
    roles.put(state, replace(role, period_index=roles.period_of(role, block.time), spent=total, uses=role.uses + 1))
    return out + [events.RoleUsed(org.id, role.name, ctx.signer, kind, spent, role.limit - total)]
