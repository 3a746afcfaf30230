"""Typed events of the proposals module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class ProposalSubmitted:
    TYPE: ClassVar[str] = "proposal_submitted"
    proposal_id: int
    org_id: int
    proposer: str
    actions: int
    voting_end: int


@dataclass(frozen=True, slots=True)
class VoteCast:
    TYPE: ClassVar[str] = "proposal_vote"
    proposal_id: int
    voter: str
    choice: int
    weight: int


@dataclass(frozen=True, slots=True)
class ProposalDecided:
    TYPE: ClassVar[str] = "proposal_decided"
    proposal_id: int
    status: str
    yes: int
    no: int
    abstain: int
    execute_after: int


@dataclass(frozen=True, slots=True)
class ProposalWithdrawn:
    TYPE: ClassVar[str] = "proposal_withdrawn"
    proposal_id: int


@dataclass(frozen=True, slots=True)
class ProposalExecuted:
    TYPE: ClassVar[str] = "proposal_executed"
    proposal_id: int
    org_id: int
    status: str          # executed or failed
    code: int
    codespace: str
    log: str
