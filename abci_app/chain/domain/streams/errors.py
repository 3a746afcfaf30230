"""Errors of the streams module: codespace ``streams`` (stable codes, frozen in ``tests/unit/test_errors.py``)."""

from __future__ import annotations

from abci_app.chain.errors import LedgerError


class StreamsError(LedgerError):
    codespace = "streams"


class StreamNotFound(StreamsError):
    code = 2


class InvalidStream(StreamsError):
    """Amount, period, start, end or total out of range, or a payer paying itself."""

    code = 3


class NotThePayer(StreamsError):
    code = 4


class StreamNotActive(StreamsError):
    """The stream is already stopped or fully paid."""

    code = 5


class NothingAccrued(StreamsError):
    """Nothing accrued since the last claim."""

    code = 6
