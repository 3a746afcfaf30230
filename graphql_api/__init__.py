"""Samen's GraphQL API: a read-only Strawberry server over the node's committed LMDB state.

See ``docs/graphql.md`` for the query dialect and the decisions behind it.
"""
