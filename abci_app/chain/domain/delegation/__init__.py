"""Delegated votes (liquid democracy): a member lends its weight in one organization to another member.

The delegation graph is snapshotted at a proposal's submission (``snapshot.py``)
and the tally moves weight incrementally as votes come in (``tally.py``), so the
cost of a vote is bounded by the snapshot's size times ``MAX_DEPTH`` whatever the
number of delegations in state.  Lifecycle: ``docs/lifecycles.md``, "Delegated votes".
"""
