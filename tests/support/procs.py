"""Small process and polling helpers for ``tests.support.node`` (bounded waits only)."""

from __future__ import annotations

import base64
import binascii
import socket
import subprocess
import time

from abci_app.tools.client.rpc import WaitTimeout


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago (bind to port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def hex_hash(value: str) -> str:
    """CometBFT renders some hashes as hex and some as base64; return upper-case hex."""
    try:
        bytes.fromhex(value)
        return value.upper()
    except ValueError:
        try:
            return base64.b64decode(value, validate=True).hex().upper()
        except binascii.Error:
            return value


def send_signal(process: subprocess.Popen | None, sig: int) -> None:
    if process is not None and process.poll() is None:
        try:
            process.send_signal(sig)
        except ProcessLookupError:
            pass


def stop_process(process: subprocess.Popen | None, sig: int, timeout: float) -> int | None:
    """Send ``sig`` and wait up to ``timeout``; return the exit code, or ``None`` if still running."""
    if process is None:
        return 0
    send_signal(process, sig)
    try:
        return process.wait(timeout)
    except subprocess.TimeoutExpired:
        return None


def wait_exit(process: subprocess.Popen | None, timeout: float, what: str) -> int:
    if process is None:
        raise RuntimeError(f"{what} was never started")
    try:
        return process.wait(timeout)
    except subprocess.TimeoutExpired:
        raise WaitTimeout(f"{what} still running after {timeout:g}s") from None


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise WaitTimeout(f"timed out after {timeout:g}s waiting for {what}")
        time.sleep(0.05)


FAILURE_MARKERS = ("does not match", "panic", "CONSENSUS FAILURE", "wrong Block.Header.AppHash")
# CometBFT recovers a panic inside one peer connection (e.g. blocksync's "unsolicited BlockResponse"
# right after a restart) by dropping that peer: a peer-protocol event, not a failure of the node.
RECOVERED_PEER_PANIC = ("MConnection panicked", "recovered from panic")


def is_failure(line: str) -> bool:
    """Return whether a CometBFT log line shows an app-hash mismatch, a consensus failure or a node panic."""
    if "module=p2p" in line and any(marker in line for marker in RECOVERED_PEER_PANIC):
        return False
    return any(marker in line for marker in FAILURE_MARKERS)
