"""Typed state access for delegations and proposals' delegation snapshots.

A snapshot is stored per voter (``keys``): its head (the tags), the path of each
voter who delegates, and for each member on a path an index entry, so
``paths_through`` returns what one vote moves without reading the rest.
``get_snapshot`` assembles the whole snapshot (voters without a path get an empty
one) for queries and checks; it reads every voter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from abci_app.chain import codec
from abci_app.chain.domain.delegation import keys
from abci_app.chain.domain.proposals import state as proposals
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
class SnapshotHead:
    """Stored under ``keys.snapshot_head``: the proposal has a snapshot, taken for these (sorted) tags."""

    proposal_id: int
    tags: tuple[str, ...]


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


def get_head(state: StateRead, proposal_id: int) -> SnapshotHead | None:
    raw = state.get(keys.snapshot_head(proposal_id))
    return None if raw is None else codec.decode_value(SnapshotHead, raw)


def get_path(state: StateRead, proposal_id: int, voter: str, weight: int) -> VoterPath:
    """The voter's path in the snapshot (an empty ``via`` when it did not delegate)."""
    raw = state.get(keys.snapshot_path(proposal_id, voter))
    return VoterPath(voter, weight, ()) if raw is None else codec.decode_value(VoterPath, raw)


def paths_through(state: StateRead, proposal_id: int, member: str, weight: int) -> list[VoterPath]:
    """The member's own path and every path with the member on it: all that the member's vote can move."""
    prefix = keys.through(proposal_id, member)
    found = [get_path(state, proposal_id, member, weight)]
    for key, _ in state.iter_prefix(prefix):
        raw = state.get(keys.snapshot_path(proposal_id, key[len(prefix):].decode()))
        if raw is not None:
            found.append(codec.decode_value(VoterPath, raw))
    return found


def get_snapshot(state: StateRead, proposal_id: int) -> DelegationSnapshot | None:
    """The whole snapshot (every voter's path, sorted by voter), or None when the proposal has none."""
    head = get_head(state, proposal_id)
    if head is None:
        return None
    paths = tuple(get_path(state, proposal_id, v.address, v.weight) for v in proposals.voters(state, proposal_id))
    return DelegationSnapshot(proposal_id, head.tags, paths)


def put_snapshot(state: StateWrite, snap: DelegationSnapshot) -> None:
    """Store a snapshot: its head, each delegating voter's path and the index of who is on which path."""
    state.put(keys.snapshot_head(snap.proposal_id), codec.encode_value(SnapshotHead(snap.proposal_id, snap.tags)))
    for path in snap.paths:
        if not path.via:
            continue
        state.put(keys.snapshot_path(snap.proposal_id, path.voter), codec.encode_value(path))
        for member in path.via:
            state.put(keys.through(snap.proposal_id, member) + path.voter.encode(), b"")


def snapshot_ids(state: StateRead) -> Iterator[int]:
    """The ids of the proposals that have a delegation snapshot, in order."""
    for key, _ in state.iter_prefix(keys.SNAPSHOT_HEAD):
        yield int(key[len(keys.SNAPSHOT_HEAD):])


def get_direct(state: StateRead, proposal_id: int) -> DirectTally:
    raw = state.get(keys.direct(proposal_id))
    return DirectTally() if raw is None else codec.decode_value(DirectTally, raw)


def put_direct(state: StateWrite, proposal_id: int, direct: DirectTally) -> None:
    state.put(keys.direct(proposal_id), codec.encode_value(direct))
