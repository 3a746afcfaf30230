"""Typed state access for delegations and proposals' delegation snapshots."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from abci_app.chain import codec
from abci_app.chain.domain.delegation import keys
from abci_app.chain.state.protocols import StateRead, StateWrite


@dataclass(frozen=True, slots=True)
class Delegation:
    org_id: int
    delegator: str
    delegate: str
    tag: str          # "" = every proposal; else only proposals carrying this tag
    since: int


@dataclass(frozen=True, slots=True)
class VoterPath:
    """A voter of the snapshot, its weight, and the members its weight goes to in order (at most ``MAX_DEPTH``)."""

    voter: str
    weight: int
    via: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DelegationSnapshot:
    """Taken at submission and never rewritten: the proposal's tags and every voter's delegation path."""

    proposal_id: int
    tags: tuple[str, ...]
    paths: tuple[VoterPath, ...]     # sorted by voter; a voter with no delegation has an empty ``via``


@dataclass(frozen=True, slots=True)
class DirectTally:
    """The weight of direct votes only (what an early decision may rely on), kept apart from the snapshot."""

    yes: int = 0
    no: int = 0
    abstain: int = 0


def get(state: StateRead, org_id: int, delegator: str, tag: str) -> Delegation | None:
    raw = state.get(keys.delegation(org_id, delegator, tag))
    return None if raw is None else codec.decode_value(Delegation, raw)


def put(state: StateWrite, item: Delegation) -> None:
    old = get(state, item.org_id, item.delegator, item.tag)
    if old is not None:
        state.delete(keys.backer(old.org_id, old.delegate, old.delegator, old.tag))
    state.put(keys.delegation(item.org_id, item.delegator, item.tag), codec.encode_value(item))
    state.put(keys.backer(item.org_id, item.delegate, item.delegator, item.tag), b"")


def delete(state: StateWrite, item: Delegation) -> None:
    state.delete(keys.delegation(item.org_id, item.delegator, item.tag))
    state.delete(keys.backer(item.org_id, item.delegate, item.delegator, item.tag))


def of_delegator(state: StateRead, org_id: int, delegator: str) -> list[Delegation]:
    return [codec.decode_value(Delegation, raw) for _, raw in state.iter_prefix(keys.of_delegator(org_id, delegator))]


def of_org(state: StateRead, org_id: int) -> Iterator[Delegation]:
    for _, raw in state.iter_prefix(keys.of_org(org_id)):
        yield codec.decode_value(Delegation, raw)


def backers(state: StateRead, org_id: int, delegate: str) -> Iterator[Delegation]:
    """The delegations naming ``delegate`` (who votes for whom)."""
    prefix = keys.to_delegate(org_id, delegate)
    for key, _ in state.iter_prefix(prefix):
        delegator, tag = key[len(prefix):].decode().split("/", 1)
        found = get(state, org_id, delegator, tag)
        if found is not None:
            yield found


def get_snapshot(state: StateRead, proposal_id: int) -> DelegationSnapshot | None:
    raw = state.get(keys.snapshot(proposal_id))
    return None if raw is None else codec.decode_value(DelegationSnapshot, raw)


def put_snapshot(state: StateWrite, snap: DelegationSnapshot) -> None:
    state.put(keys.snapshot(snap.proposal_id), codec.encode_value(snap))


def get_direct(state: StateRead, proposal_id: int) -> DirectTally:
    raw = state.get(keys.direct(proposal_id))
    return DirectTally() if raw is None else codec.decode_value(DirectTally, raw)


def put_direct(state: StateWrite, proposal_id: int, direct: DirectTally) -> None:
    state.put(keys.direct(proposal_id), codec.encode_value(direct))
