"""Organizations (samenwerkverbanden): members with weights, a decision policy, a treasury.

No admin: the organization changes itself only through passed proposals
(``abci_app.chain.domain.proposals``), which run actions with the treasury address as
signer.  The lifecycle is written down in ``docs/lifecycles.md``.
"""
