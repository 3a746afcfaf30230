"""``UpdateValidator``: change the validator set, only by the network organization.

Rules (each a stable error in codespace ``validators``):
* ``pub_key`` is a 32-byte ed25519 key and ``power`` is at most ``MAX_POWER``
  (``InvalidValidatorUpdate``); removing (power 0) a key that is not a validator
  is rejected the same way;
* the signer must be the network organization's treasury, so only a passed
  proposal of that organization can act (``NotTheNetworkOrganization``);
* **safe set**: after the change at least ``min_validators`` validators remain
  (genesis, default 1), and the block's changes taken together move less than
  1/3 of the voting power the set had when the block started
  (``UnsafeValidatorSet``).  So more than 2/3 of the previous set's power stays in
  the next set: whoever trusts the old set can verify the new one (the light
  client's 1/3 trust rule), no single decision replaces the validators, and the
  set can never become empty.  Larger moves take several blocks (several proposals).
"""

from __future__ import annotations

from abci_app.chain.context import BlockInfo, TxContext, ValidatorUpdates
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.validators import events, state as vals
from abci_app.chain.domain.validators.messages import UpdateValidator
from abci_app.chain.errors import InvalidValidatorUpdate, NotTheNetworkOrganization, UnsafeValidatorSet
from abci_app.chain.state.protocols import StateRead, StateWrite

PUB_KEY_BYTES = 32
MAX_POWER = 1 << 40   # CometBFT caps the total at 2^60; 2^40 each leaves room for many validators


def check_stateless_update(msg: UpdateValidator, ctx: TxContext) -> None:
    if len(msg.pub_key) != PUB_KEY_BYTES:
        raise InvalidValidatorUpdate(f"pub_key must be a {PUB_KEY_BYTES}-byte ed25519 key, got {len(msg.pub_key)} bytes")
    if not 0 <= msg.power <= MAX_POWER:
        raise InvalidValidatorUpdate(f"power must be in [0, {MAX_POWER}], got {msg.power}")


def check_and_execute_update(state: StateWrite, block: BlockInfo, ctx: TxContext, msg: UpdateValidator) -> list[object]:
    """Apply the change to the app's view of the set and queue it for FinalizeBlock's answer."""
    require_network_org(state, ctx.signer)
    old = vals.power(state, msg.pub_key)
    if msg.power == 0 and old == 0:
        raise InvalidValidatorUpdate(f"{msg.pub_key.hex()} is not a validator; nothing to remove")
    vals.set_power(state, msg.pub_key, msg.power)
    check_safe(state)
    return [events.ValidatorUpdated(msg.pub_key, old, msg.power)]


def check_safe(state: StateRead) -> None:
    """Raise ``UnsafeValidatorSet`` unless the set (with this block's changes) obeys the safe-set rules."""
    current = vals.members(state)
    minimum = vals.min_validators(state)
    if len(current) < minimum:
        raise UnsafeValidatorSet(f"the set would have {len(current)} validators; at least {minimum} must remain")
    changes = vals.pending(state)
    start_total = sum(p for _, p in current) - sum(new - old for _, old, new in changes)
    moved = sum(abs(new - old) for _, old, new in changes)
    if 3 * moved >= start_total:
        raise UnsafeValidatorSet(f"this block would move {moved} of {start_total} voting power; "
                                 f"less than 1/3 may change per block")


def require_network_org(state: StateRead, signer: str) -> None:
    org_id = vals.network_org(state)
    if org_id is None:
        raise NotTheNetworkOrganization("this chain has no network organization; its validator set is fixed")
    org = orgs.require_active(state, org_id)
    if signer != org.treasury:
        raise NotTheNetworkOrganization(f"only the network organization {org_id}, through a passed proposal, "
                                        f"may change the validator set")


def end_block(state: StateWrite, block: BlockInfo) -> list[object]:
    """The block's validator-set facts, after every other end-block hook (the last of them).

    Records the misbehaviour CometBFT reported (``block.misbehavior``), which become block
    events, then hands the block's validator updates to the runner as ``ValidatorUpdates``.
    """
    vals.record_misbehavior(state, block.height, list(block.misbehavior))
    return [*block.misbehavior, ValidatorUpdates(tuple(vals.take_updates(state)))]
