"""Block and transaction records: the fast transaction-record encoder writes what the generic codec would."""

from hypothesis import given, strategies as st

from abci_app.chain import codec
from abci_app.adapter import records

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
