"""The codec's fast path for flat values (int/str/bool fields) gives exactly the generic result."""

from __future__ import annotations

import json
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from abci_app.chain import codec, txcodec
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.accounts.state import MAX_AMOUNT, Account
from abci_app.chain.domain.params import Params
from abci_app.chain.txproto import samen_tx
from tests.support.chain import key

amounts = st.integers(0, MAX_AMOUNT)


def generic_encode(obj) -> bytes:
    return json.dumps(codec._plain(obj), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@settings(max_examples=200, deadline=None)
@given(amounts, amounts, st.integers(0, 10**6), st.integers(0, 10**6))
def test_flat_state_values_encode_and_decode_as_the_generic_codec_does(balance, sequence, fee, size):
    for value in (Account(balance, sequence), Params(min_fee=fee, max_tx_bytes=size)):
        raw = codec.encode_value(value)
        assert raw == generic_encode(value)
        assert codec.decode_value(type(value), raw) == codec.from_plain(type(value), json.loads(raw)) == value


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), amounts, st.text(max_size=60))
def test_flat_messages_decode_from_protobuf_as_the_generic_codec_does(to, amount, memo):
    pb = samen_tx.Transfer(to=to, amount=amount, memo=memo)
    generic = Transfer(**{name: txcodec._from_proto_value(hint, getattr(pb, name)) for name, hint in codec.field_hints(Transfer)})
    assert txcodec.from_proto(Transfer, pb) == generic == Transfer(to, amount, memo)


def test_a_value_holding_a_float_is_still_refused():
    try:
        codec.encode_value(Account(1.5, 0))
    except TypeError:
        return
    raise AssertionError("a float in state must be refused")


def test_partial_json_decodes_missing_fields_as_none_like_the_generic_path():
    assert codec.decode_value(Account, b'{"balance":5}') == codec.from_plain(Account, {"balance": 5})


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    karma: int
    active: bool


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.integers(-(2**70), 2**70), st.booleans())
def test_flat_values_with_text_and_booleans_match_the_generic_codec(name, karma, active):
    value = Profile(name, karma, active)
    raw = codec.encode_value(value)
    assert raw == generic_encode(value)
    codec._RECENT.clear()
    assert codec.decode_value(Profile, raw) == value  # decoded from JSON
    assert codec.decode_value(Profile, raw) == value  # served from the recent-values cache


def test_the_recent_values_cache_is_keyed_by_class_and_bounded():
    raw = codec.encode_value(Account(7, 1))
    assert codec.decode_value(Account, raw) == Account(7, 1)
    assert codec.decode_value(Params, b'{"min_fee":3}') == codec.from_plain(Params, {"min_fee": 3})
    for n in range(codec._RECENT_MAX + 10):
        codec.encode_value(Account(n, 0))
    assert len(codec._RECENT) <= codec._RECENT_MAX



def test_the_recent_values_cache_keeps_no_record_longer_than_its_size_limit():
    from abci_app.chain.domain.delegation.state import DelegationSnapshot, VoterPath
    voters = tuple(VoterPath(f"voter-{n:04d}", 1, tuple(f"delegate-{m:04d}" for m in range(20))) for n in range(100))
    big, small = DelegationSnapshot(1, ("tag",), voters), DelegationSnapshot(2, ("tag",), voters[:1])
    codec._RECENT.clear()
    big_raw, small_raw = codec.encode_value(big), codec.encode_value(small)
    assert len(big_raw) > 30_000 and len(small_raw) < 500
    assert (DelegationSnapshot, big_raw) not in codec._RECENT and (DelegationSnapshot, small_raw) in codec._RECENT
    assert codec.decode_value(DelegationSnapshot, big_raw) == big   # decoded from JSON, not remembered


def test_the_decoded_transactions_memo_keeps_no_more_bytes_than_its_budget(monkeypatch):
    monkeypatch.setattr(txcodec, "_DECODED_BYTES_MAX", 1000)
    txcodec.forget_decoded()
    raws = [key(1).sign_tx("memo-chain", n, Transfer(key(2).address, 5)) for n in range(20)]
    for raw in raws:
        assert txcodec.decode_tx(raw) == txcodec.decode_tx_uncached(raw)
    assert sum(map(len, txcodec._DECODED)) <= 1000 and raws[-1] in txcodec._DECODED and raws[0] not in txcodec._DECODED
    txcodec.forget_decoded()
