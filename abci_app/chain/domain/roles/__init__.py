"""Roles with budgets: an organization lets a member take some kinds of action in its name, within a limit per period.

Granted and revoked by proposal; used with ``ActAsRole`` by the holder without a
vote.  Lifecycle: ``docs/lifecycles.md``, "Roles with budgets".
"""
