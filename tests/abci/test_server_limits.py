"""The ABCI socket's limits: a frame bound of what CometBFT can send (128 MiB) and back-pressure
(answers are drained before more requests are read, Flush or not)."""

from __future__ import annotations

import pytest

from abci_app.adapter.protos import abci
from abci_app.adapter.framing import MAX_FRAME, FrameError, frame, split_frames
from abci_app.chain.wire import encode_varint
from tests.abci.test_server import app, parse_responses, serve_chunks  # noqa: F401  (fixture)


def test_the_frame_limit_is_128_mib_above_the_largest_block_cometbft_sends():
    assert MAX_FRAME == 128 << 20 > 100 << 20


def test_a_length_prefix_above_128_mib_is_a_frame_error_before_any_body_arrives():
    with pytest.raises(FrameError, match="exceeds the limit"):
        split_frames(bytearray(encode_varint(MAX_FRAME + 1)))


def test_a_frame_of_exactly_the_limit_is_waited_for_not_refused():
    assert split_frames(bytearray(encode_varint(MAX_FRAME) + b"x" * 10)) == ([], 0)


async def test_answers_without_a_flush_are_drained_before_the_next_read(app):  # noqa: F811
    first = b"".join(frame(abci.Request(echo=abci.RequestEcho(message=str(i)))) for i in range(3))
    second = frame(abci.Request(echo=abci.RequestEcho(message="again")))
    writer = await serve_chunks(app, [first, second])
    assert [kind for kind, _ in writer.events] == ["write", "drain", "write", "drain", "close"]
    assert len(parse_responses(writer.written())) == 4
