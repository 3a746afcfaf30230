"""Sub-organizations: a parent organization creates a child with its own members, policy and a budget.

The parent may veto the child's proposals within a written window and may
dissolve the child, whose value then returns to the parent.  Lifecycle:
``docs/lifecycles.md``, "Sub-organizations".
"""
