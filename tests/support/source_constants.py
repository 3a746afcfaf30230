"""Seeded Hypothesis runs that depend on their seed and the code, not on which modules the process imported.

Hypothesis (6.131 and later) feeds about one draw in twenty from a pool of literals it harvests
from the source of every *local* module in ``sys.modules`` (here ``abci_app``, ``graphql_api``,
``bench``, ``scripts``; never test files or site-packages).  The pool is process-global and only
grows: it is rescanned whenever ``sys.modules`` grows.  So a seeded run drew different input
after test modules that import ``bench`` had run (``tests/unit/test_bench_adversarial.py``: the
economic suite's seed 6 then missed ``ActAsRole``), and a literal added anywhere in the code
changed every seeded run.  The chain itself was not involved: the same transactions give the same
app hashes whatever ran before (``tests/property/test_seeded_runs.py``).

``pin()`` empties that pool for the rest of the process (``tests/conftest.py`` calls it before any
test module is collected).  Hypothesis's own boundary values (0, -1, 2**63, NaN, odd unicode ...)
are still drawn; only the literals of our own source are no longer mixed in.
"""

from __future__ import annotations

from hypothesis.internal.conjecture import providers

_NONE = providers.Constants()


def _no_source_constants() -> providers.Constants:
    """The harvested pool, pinned: always empty, whatever modules are loaded."""
    return _NONE


def pin() -> None:
    """Make Hypothesis's harvested-literal pool empty from now on (idempotent).

    Raises ``RuntimeError`` if this Hypothesis no longer has the hook: seeded runs would then
    silently depend on the process's import history again, which must be looked at, not ignored.
    """
    if not callable(getattr(providers, "_get_local_constants", None)) or not hasattr(providers, "CONSTANTS_CACHE"):
        raise RuntimeError("hypothesis.internal.conjecture.providers changed: tests/support/source_constants.py "
                           "can no longer pin the harvested-literal pool (see its docstring)")
    providers._get_local_constants = _no_source_constants
    providers.CONSTANTS_CACHE.cache.clear()   # permitted constants cached from the unpinned pool


def pinned() -> bool:
    """Whether ``pin()`` is in force."""
    return providers._get_local_constants is _no_source_constants
