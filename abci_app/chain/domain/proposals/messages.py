"""Messages of the proposals module."""

from __future__ import annotations

from dataclasses import dataclass

from abci_app.chain.context import Action

YES = 1
NO = 2
ABSTAIN = 3
CHOICES = (YES, NO, ABSTAIN)


@dataclass(frozen=True, slots=True)
class SubmitProposal:
    """Propose that organization ``org_id`` performs ``actions`` (a member only)."""

    org_id: int
    title: str
    description: str
    actions: tuple[Action, ...]
    tags: tuple[str, ...] = ()      # delegations for a tag apply to proposals carrying it (delegation module)


@dataclass(frozen=True, slots=True)
class Vote:
    """Cast the signer's snapshotted weight once: yes, no or abstain."""

    proposal_id: int
    choice: int
    reason: str = ""


@dataclass(frozen=True, slots=True)
class WithdrawProposal:
    """The proposer withdraws a proposal nobody has voted on yet."""

    proposal_id: int
