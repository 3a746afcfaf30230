"""Recurring payments (streams): a payer reserves a total that accrues to a recipient period by period.

The recipient (or anyone on its behalf) pulls what has accrued with ``ClaimStream``;
nothing is pushed per block, so a stream costs no block work between claims.  The
payer may stop a stream: what has accrued stays claimable, the unaccrued reserve
returns.  Lifecycle: ``docs/lifecycles.md``, "Recurring payments (streams)".
"""
