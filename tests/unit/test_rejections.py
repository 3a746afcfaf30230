"""``assert_rejected``: errors asserted by their class, with a failure that names both classes."""

from __future__ import annotations

import pytest

from abci_app.chain import errors
from abci_app.chain.context import TxOutcome
from tests.support.rejections import assert_rejected, error_name, rejection


def test_an_outcome_with_the_class_pair_passes_and_another_fails_naming_both_classes():
    outcome = TxOutcome(code=errors.InsufficientFunds.code, codespace="accounts", log="balance 3 < 5")
    assert_rejected(outcome, errors.InsufficientFunds)
    with pytest.raises(AssertionError, match=r"expected ZeroAmount .* got InsufficientFunds .*balance 3 < 5"):
        assert_rejected(outcome, errors.ZeroAmount)


def test_rpc_answers_and_stored_results_are_read_the_same_way():
    assert rejection({"codespace": "tx", "code": "9", "log": ""}) == ("tx", 9)
    assert error_name("tx", 9) == "SequenceMismatch" and error_name("", 0) == "ok"
    assert error_name("tx", 999) == "unknown"
