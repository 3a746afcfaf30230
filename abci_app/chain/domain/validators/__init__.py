"""Validator-set governance: the network organization decides who validates.

Genesis (the ``validators`` section) founds the *network organization* (whose
members are the validators' operator accounts) and lists the initial consensus
keys with their powers.  Afterwards the set changes only through
``UpdateValidator`` actions signed by the network organization's treasury, i.e.
executed by one of its passed proposals.  The app returns a block's changes from
FinalizeBlock; CometBFT applies them at H+2.  Safety rules: ``handlers``.
"""
