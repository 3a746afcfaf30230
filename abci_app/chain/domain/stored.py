"""Reading a record that the state's own records say exists.

An index entry, a link or a due entry names a record by id; the record is then
always stored, so a read that finds nothing is a broken invariant.  ``stored``
turns the accessor's ``None`` into an exception that is not a ``LedgerError``: the
node halts (as it would have on the first use of the missing record) with a
message that names what was missing.
"""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


def stored(found: T | None, what: str) -> T:
    """Return ``found``; raise ``RuntimeError`` naming ``what`` (e.g. ``"project 7"``) if it is ``None``."""
    if found is None:
        raise RuntimeError(f"{what} is named by the state's own records but not stored")
    return found
