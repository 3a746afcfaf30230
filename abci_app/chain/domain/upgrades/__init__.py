"""Software upgrades decided on chain (issue 17): plans, the migration registry, the halt at the height.

See ``docs/upgrades.md`` for the whole story (rules, what a node does, the operator's procedure).
"""
