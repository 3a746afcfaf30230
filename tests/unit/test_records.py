"""Block and transaction records: the fast transaction-record encoders write what the generic codec would."""

from hypothesis import given, strategies as st

from abci_app.adapter import records
from abci_app.chain import codec
from abci_app.chain.auth import FeeCharged
from abci_app.chain.context import TxOutcome
from abci_app.chain.domain.accounts.handlers import Transferred

text = st.text(max_size=12)
event = st.builds(records.EventRecord, text, st.lists(st.tuples(text, text), max_size=4).map(tuple))
tx_record = st.builds(records.TxRecord, st.binary(min_size=32, max_size=32), st.integers(0, 2**40),
                      st.integers(0, 10_000), st.integers(0, 100), text, text, text, text,
                      st.lists(event, max_size=4).map(tuple))


@given(tx_record)
def test_the_fast_transaction_record_encoder_matches_the_canonical_codec(record):
    raw = records.encode_tx_record(record)
    assert raw == codec.encode_value(record)
    assert codec.decode_value(records.TxRecord, raw) == record


def test_a_blocks_rows_record_each_transaction_as_the_canonical_codec_encodes_its_record():
    outcomes = [TxOutcome(0, "", "", (Transferred("samen1a", "samen1b", 5, "hi"), FeeCharged("samen1a", "samen1c", 2, 7)),
                          b"\x01" * 32, "samen1a", "Transfer", True),
                TxOutcome(5, "auth", "bad sequence", (), b"\x02" * 32, "samen1d", "Vote", False)]
    block = records.BlockRecord(9, 1_700_000_000, b"\x03" * 32, b"\x04" * 20, 2, b"\x05" * 32)
    written = dict(records.rows(block, outcomes)[b"txs"])
    for i, t in enumerate(outcomes):
        record = records.TxRecord(t.hash, 9, i, t.code, t.codespace, t.log, t.signer, t.action,
                                  tuple(records.event_record(e) for e in t.events))
        assert written[t.hash] == codec.encode_value(record)
