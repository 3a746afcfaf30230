"""``domain.stored``: a record the state's own records name is returned, a missing one halts."""

import pytest

from abci_app.chain.domain.stored import stored
from abci_app.chain.errors import LedgerError


def test_a_found_record_is_returned_as_it_is():
    record = object()
    assert stored(record, "project 7") is record


def test_a_missing_record_raises_an_error_that_is_not_a_ledger_error_and_names_it():
    with pytest.raises(RuntimeError, match="project 7") as caught:
        stored(None, "project 7")
    assert not isinstance(caught.value, LedgerError)
