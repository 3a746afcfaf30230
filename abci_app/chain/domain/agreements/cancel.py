"""Cancelling an agreement by mutual consent: propose, confirm, withdraw.

A proposal names the agreement ``revision`` its proposer saw and is stored at the
next one (``cancel_revision``).  It stands while the agreement is unchanged (any
later write clears it: a delivery, a dispute, a settlement, a project transfer,
block time settling a milestone) and until ``cancel_expires_at`` (block time +
``cancel_window``).  The other party confirms it by sending ``CancelAgreement`` with
the current revision; that refunds every open milestone (and returns dispute bonds).
So a confirmation can only cancel what both parties saw: a milestone delivered after
the proposal voids it, and the provider keeps what it delivered.

While a milestone of the agreement is due (its window has ended, block time has
not settled it yet) proposing and confirming are refused (``WindowClosed``), so the
order of transactions and END_BLOCK in a block changes nothing.  A party sending
``CancelAgreement`` when no proposal stands (none, expired, voided) makes a new one.
"""

from __future__ import annotations

from dataclasses import replace

from abci_app.chain.domain.agreements import settle
from abci_app.chain.domain.agreements import state as agreements
from abci_app.chain.domain.agreements.events import CancelProposed, CancelWithdrawn
from abci_app.chain.domain.agreements.handlers import counted, load, require_role
from abci_app.chain.domain.agreements.messages import CancelAgreement
from abci_app.chain.domain.agreements.state import PROVIDER, REQUESTER, Agreement, MilestoneStatus as S
from abci_app.chain.errors import CancelAlreadyProposed, NoCancelProposal, NotProposer, StaleRevision, WindowClosed
from abci_app.chain.context import BlockInfo, TxContext
from abci_app.chain.state.protocols import StateRead, StateWrite


def check_stateless_cancel(msg: CancelAgreement, ctx: TxContext) -> None:
    pass


def check_and_execute_cancel(state: StateWrite, block: BlockInfo, ctx: TxContext, msg: CancelAgreement) -> list[object]:
    """Either party: withdraw its own proposal, confirm the other's, or propose."""
    agreement = counted(load(state, msg.agreement_id), ctx)
    role = require_role(agreement, ctx.signer, REQUESTER, PROVIDER)
    if msg.withdraw:
        return _withdraw(state, block, agreement, role)
    if msg.revision != agreement.revision:
        raise StaleRevision(f"agreement {agreement.id} is at revision {agreement.revision}, not {msg.revision}:"
                            " it changed since you looked (a proposal made before the change is void)")
    _require_nothing_due(agreement, block)
    if not agreement.cancel_live(block.time):
        return _propose(state, block, agreement, role)
    if agreement.cancel_proposed_by == role:
        raise CancelAlreadyProposed(f"the {role} already proposed cancelling agreement {agreement.id}")
    return _confirm(state, block, agreement)


def _require_nothing_due(agreement: Agreement, block: BlockInfo) -> None:
    for index, ms in enumerate(agreement.milestones):
        if ms.open and block.time >= ms.due_at:
            raise WindowClosed(f"milestone {index + 1} of agreement {agreement.id} is due since {ms.due_at}:"
                               " block time settles it first")


def _propose(state: StateWrite, block: BlockInfo, agreement: Agreement, role: str) -> list[object]:
    expires_at = block.time + block.market.cancel_window
    stored = agreements.put(state, replace(agreement, cancel_proposed_by=role, cancel_revision=agreement.revision + 1,
                                           cancel_expires_at=expires_at))
    return [CancelProposed(agreement.id, role, stored.revision, expires_at)]


def _withdraw(state: StateWrite, block: BlockInfo, agreement: Agreement, role: str) -> list[object]:
    if not agreement.cancel_live(block.time):
        raise NoCancelProposal(f"agreement {agreement.id} has no standing cancel proposal")
    if agreement.cancel_proposed_by != role:
        raise NotProposer(f"only the {agreement.cancel_proposed_by} who proposed cancelling may withdraw it")
    agreements.put(state, replace(agreement, cancel_proposed_by="", cancel_revision=0, cancel_expires_at=0))
    return [CancelWithdrawn(agreement.id, role)]


def _confirm(state: StateWrite, block: BlockInfo, agreement: Agreement) -> list[object]:
    events: list[object] = []
    for index, ms in enumerate(agreement.milestones):
        if ms.open:
            agreement, settled = settle.settle_milestone(state, block, agreement, index, S.CANCELLED, 0)
            events.extend(settled)
    return events
