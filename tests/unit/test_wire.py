"""The hand-written FinalizeBlock encoding equals protobuf's own serialization, byte for byte."""

from hypothesis import given
from hypothesis import strategies as st

from abci_app.chain import wire
from abci_app.chain.context import TxOutcome
from abci_app.chain.domain.accounts.handlers import Transferred
from abci_app.adapter.protos import abci
from abci_app.adapter.responses import exec_tx_result

text = st.text(max_size=40)
attributes = st.lists(st.tuples(text, text), max_size=4)
events = st.lists(st.tuples(text, attributes), max_size=3)


def proto_event(kind, attrs):
    return abci.Event(type=kind, attributes=[abci.EventAttribute(key=k, value=v, index=True) for k, v in attrs])


@given(st.integers(0, 2**32 - 1), text, text, events)
def test_an_exec_tx_result_is_encoded_exactly_as_protobuf_does(code, codespace, log, evs):
    expected = abci.ExecTxResult(code=code, codespace=codespace, log=log,
                                 events=[proto_event(k, a) for k, a in evs]).SerializeToString(deterministic=True)
    assert wire.exec_tx_result(code, codespace, log, [wire.event(k, a) for k, a in evs]) == expected


@given(events)
def test_unindexed_attributes_are_encoded_as_protobuf_does(evs):
    def flagged(key):
        return len(key) % 2 == 0

    expected = [abci.Event(type=k, attributes=[abci.EventAttribute(key=x, value=v, index=flagged(x)) for x, v in a])
                .SerializeToString() for k, a in evs]
    assert [wire.event(k, a, flagged) for k, a in evs] == expected


@given(st.integers(1, 2**64 - 1))
def test_varints_match_protobufs(value):
    # RequestInfo.block_version is a uint64 with field number 2: tag byte 0x10, then the varint
    assert abci.RequestInfo(block_version=value).SerializeToString() == b"\x10" + wire.encode_varint(value)


@given(st.lists(st.tuples(st.integers(0, 99), text, events), max_size=5), events, st.binary(max_size=32),
       st.lists(st.tuples(st.binary(min_size=32, max_size=32), st.integers(0, 100)), max_size=2))
def test_a_finalize_block_response_is_the_whole_messages_serialization(results, block_events, app_hash, updates):
    proto_results = [abci.ExecTxResult(code=c, log=log, events=[proto_event(k, a) for k, a in evs])
                     for c, log, evs in results]
    proto_events = [proto_event(k, a) for k, a in block_events]
    proto_updates = [abci.ValidatorUpdate(pub_key={"ed25519": k}, power=p) for k, p in updates]
    whole = abci.Response(finalize_block=abci.ResponseFinalizeBlock(
        events=proto_events, tx_results=proto_results, validator_updates=proto_updates, app_hash=app_hash))
    tail = abci.ResponseFinalizeBlock(validator_updates=proto_updates, app_hash=app_hash).SerializeToString()
    encoded = [wire.exec_tx_result(c, "", log, [wire.event(k, a) for k, a in evs]) for c, log, evs in results]
    block = [wire.event(k, a) for k, a in block_events]
    assert wire.finalize_block_response(block, encoded, tail) == whole.SerializeToString()


def test_a_successful_transfer_leads_with_its_message_event():
    outcome = TxOutcome(0, "", "", (Transferred("samen1a", "samen1b", 5, ""),), b"h" * 32, "samen1a", "Transfer")
    parsed = abci.ExecTxResult.FromString(exec_tx_result(outcome))
    assert [(e.type, [(a.key, a.value, a.index) for a in e.attributes]) for e in parsed.events] == [
        ("message", [("action", "Transfer", True), ("sender", "samen1a", True)]),
        ("transfer", [("sender", "samen1a", True), ("recipient", "samen1b", True), ("amount", "5", False),
                      ("memo", "", False)]),   # amounts and free text are not in CometBFT's tx index
    ]
    assert parsed.code == 0 and parsed.codespace == "" and parsed.log == ""


def test_a_rejected_transaction_has_its_code_codespace_and_log_and_no_events():
    outcome = TxOutcome(5, "tx", "account sequence mismatch", (), b"h" * 32, "samen1a", "Transfer")
    parsed = abci.ExecTxResult.FromString(exec_tx_result(outcome))
    assert (parsed.code, parsed.codespace, parsed.log, list(parsed.events)) == (5, "tx", "account sequence mismatch", [])


@given(st.integers(0, 2**32 - 1), text, text)
def test_a_check_tx_response_is_encoded_exactly_as_protobuf_does(code, codespace, log):
    expected = abci.Response(check_tx=abci.ResponseCheckTx(code=code, codespace=codespace, log=log, gas_wanted=1))
    assert wire.check_tx_response(code, codespace, log) == expected.SerializeToString(deterministic=True)
