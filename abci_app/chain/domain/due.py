"""Bounded time-driven queues: each END_BLOCK hook handles at most ``max_due_per_block`` items per queue.

A queue is a time index (``abci_app.chain.state.timers``).  ``take`` hands a hook the
earliest due entries, at most the block's market parameter ``max_due_per_block`` of them;
the rest stay indexed and are handled in the next blocks, earliest first, at the
same rate.  So the work a block does for time-driven transitions is bounded by
the number of queues times the cap, whatever the state holds (issue #12).

Every block that handles items of a queue emits one ``DueQueue`` event with the
count and whether items are still waiting, so clients and the invariant suite can
check the cap and watch a backlog drain.  An item that is due but not yet handled
is already treated as due by the handlers (they compare block time with its
deadline), so the wait changes no outcome; ``docs/lifecycles.md`` has the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, ClassVar, TypeVar, overload

from abci_app.chain.state import timers
from abci_app.chain.state.protocols import StateRead

if TYPE_CHECKING:
    from abci_app.chain.context import BlockInfo

REQUESTS = "requests"                       # request offer periods ending (market)
MILESTONES = "milestones"                   # milestone reclaim, auto-release, dispute default (agreements)
TRANSFER_OFFERS = "transfer_offers"         # project transfer offers expiring (projects)
PROPOSAL_VOTES = "proposal_votes"           # proposals' voting periods ending
PROPOSAL_EXECUTIONS = "proposal_executions"  # passed proposals whose delay is over
ROLES = "roles"                             # expired roles leaving state (roles.expiry)
DISSOLUTIONS = "dissolutions"               # cascade steps of dissolved organizations (organizations.dissolution)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class DueQueue:
    TYPE: ClassVar[str] = "due_queue"
    queue: str
    processed: int    # items this block handled (at most the cap)
    more: bool        # items already due that wait for a later block


@overload
def take(state: StateRead, queue: str, prefix: bytes, block: BlockInfo) -> tuple[list[int], list[DueQueue]]: ...
@overload
def take(state: StateRead, queue: str, prefix: bytes, block: BlockInfo,
         parse: Callable[[bytes], T]) -> tuple[list[T], list[DueQueue]]: ...
def take(state: StateRead, queue: str, prefix: bytes, block: BlockInfo,
         parse: Callable[[bytes], T] = timers.first_id,  # type: ignore[assignment]  # T is int by default
         ) -> tuple[list[T], list[DueQueue]]:
    """Return the items of ``queue`` due at ``block.time`` (earliest first, at most the block's
    ``max_due_per_block``) and its event.

    ``parse`` turns a key's rest (its ids, then tail: ``timers.read_ids``) into an item; the event
    (an empty list when nothing was due) goes after the hook's own events.
    """
    batch = timers.due_batch(state, prefix, block.time, block.market.max_due_per_block)
    report = [DueQueue(queue, len(batch.entries), batch.more)] if batch.entries else []
    return [parse(fields) for fields in batch.entries], report
