"""Proposals: the only way an organization acts.  Members vote on a list of actions;
a passed proposal's actions run atomically in the organization's name after its
minimum delay (``execution.end_block``).  Lifecycle: ``docs/lifecycles.md``.
"""
