"""ABCI framing: each message on the socket is ``uvarint(length) || protobuf(Request|Response)``.

A request is at most ``MAX_FRAME`` (128 MiB) long; a longer length prefix, a bad varint or
bytes that are not a ``Request`` raise ``FrameError`` (the server closes that connection).
Part of the ABCI server (``abci_app.adapter.server``), split off to keep it readable.
"""

from __future__ import annotations

from google.protobuf.message import DecodeError

from abci_app.adapter.protos import abci
from abci_app.chain.wire import encode_varint

# The largest request CometBFT can send: a block is at most 100 MiB (types.MaxBlockSizeBytes), so
# PrepareProposal/ProcessProposal/FinalizeBlock stay below this; a bigger length prefix is not CometBFT.
MAX_FRAME = 128 << 20


class FrameError(Exception):
    """A frame on the wire is not a valid ABCI request."""


def decode_varint(buf: bytes | bytearray | memoryview, pos: int) -> tuple[int, int] | None:
    """Return ``(value, next_pos)``, or ``None`` if the varint is not complete yet."""
    result, shift, end = 0, 0, len(buf)
    while pos < end:
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7
        if shift >= 64:
            raise FrameError("length prefix is longer than 10 bytes")
    return None


def frame(message) -> bytes:
    """Return a length-prefixed ``Response``: a message, or bytes a handler encoded itself (``wire``)."""
    body = message if isinstance(message, bytes) else message.SerializeToString()
    return encode_varint(len(body)) + body


def split_frames(buf: bytearray, max_frame: int = MAX_FRAME) -> tuple[list[bytes], int]:
    """Return the complete frames' bodies at the start of ``buf`` and the bytes they use."""
    bodies, pos = [], 0
    while True:
        header = decode_varint(buf, pos)
        if header is None:
            return bodies, pos
        length, start = header
        if length > max_frame:
            raise FrameError(f"frame of {length} bytes exceeds the limit of {max_frame}")
        if start + length > len(buf):
            return bodies, pos
        bodies.append(bytes(buf[start:start + length]))
        pos = start + length


def parse_request(body: bytes):
    """Return the ``Request`` in a frame's body; raise ``FrameError`` if it is not one."""
    request = abci.Request()
    try:
        request.ParseFromString(body)
    except DecodeError as exc:
        raise FrameError(f"undecodable ABCI request: {exc}") from None
    return request
