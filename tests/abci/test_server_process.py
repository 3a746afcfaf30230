"""The ABCI server as its own process (``python -m abci_app --home``), driven over a unix
socket by our own framing and by CometBFT's real ``abci-cli`` of the pinned version."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.adapter.protos import abci
from abci_app.adapter.framing import frame, split_frames
from abci_app.adapter.storage.store import Store
from tests.support.chain import TestChain, key

REPO = Path(__file__).resolve().parents[2]
ABCI_CLI = REPO / ".tools" / "bin" / "abci-cli"
ALICE, BOB = key(1), key(2)
WAIT = 20  # seconds: bound on start-up and on every command


@pytest.fixture
def node_app():
    """Start the app process on a store that already holds genesis and one block."""
    home = Path(tempfile.mkdtemp(prefix="samen", dir="/tmp"))  # unix socket paths are short
    chain = TestChain(home / "data" / "samen", balances={ALICE: 5_000})
    chain.block()
    chain_id = chain.chain_id
    chain.close()
    sock = home / "s.sock"
    (home / "config").mkdir()
    (home / "config" / "app.toml").write_text(f'[abci]\naddress = "unix://{sock}"\n[log]\nlevel = "warning"\n')
    log = open(home / "app.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "abci_app", "--home", str(home)], cwd=REPO,
                            stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + WAIT
    while not accepts(sock) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert accepts(sock), (home / "app.log").read_text()
    yield proc, sock, chain_id
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=WAIT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=WAIT)
    log.close()
    shutil.rmtree(home, ignore_errors=True)


def accepts(sock: Path) -> bool:
    """Return whether the app accepts connections on ``sock`` yet."""
    with socket.socket(socket.AF_UNIX) as conn:
        try:
            conn.connect(str(sock))
        except OSError:
            return False
    return True


def roundtrip(sock: Path, requests: list) -> list:
    """Send requests plus a Flush on one connection; return the responses (Flush's included)."""
    with socket.socket(socket.AF_UNIX) as conn:
        conn.settimeout(WAIT)
        conn.connect(str(sock))
        conn.sendall(b"".join(frame(r) for r in requests) + frame(abci.Request(flush=abci.RequestFlush())))
        buf, bodies = bytearray(), []
        while len(bodies) < len(requests) + 1:
            chunk = conn.recv(1 << 16)
            assert chunk, "server closed the connection"
            buf += chunk
            found, used = split_frames(buf)
            bodies.extend(found)
            del buf[:used]
    out = []
    for body in bodies:
        out.append(abci.Response())
        out[-1].ParseFromString(body)
    return out


def test_the_app_process_answers_pipelined_requests_over_its_unix_socket(node_app):
    proc, sock, _ = node_app
    requests = [abci.Request(echo=abci.RequestEcho(message=str(i))) for i in range(50)]
    requests.append(abci.Request(info=abci.RequestInfo()))
    responses = roundtrip(sock, requests)
    assert [r.echo.message for r in responses[:50]] == [str(i) for i in range(50)]
    assert responses[50].info.last_block_height == 1
    assert responses[51].WhichOneof("value") == "flush"
    assert proc.poll() is None


def abci_cli(sock: Path, *args: str) -> str:
    result = subprocess.run([str(ABCI_CLI), "--address", f"unix://{sock}", "--log_level", "error", *args],
                            capture_output=True, text=True, timeout=WAIT)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_cometbfts_abci_cli_drives_the_app_process(node_app):
    proc, sock, chain_id = node_app
    tx = "0x" + ALICE.sign_tx(chain_id, 0, Transfer(BOB.address, 40)).hex()
    assert "-> data: hello" in abci_cli(sock, "echo", "hello")
    assert "-> data: samen" in abci_cli(sock, "info")
    assert abci_cli(sock, "check_tx", tx).splitlines()[0] == "-> code: OK"
    assert "-> code: 2" in abci_cli(sock, "check_tx", "0xdeadbeef")  # tx codespace: MalformedTx
    answer = abci_cli(sock, "query", "--path", f"/account/{ALICE.address}", '""')
    assert "-> code: OK" in answer and '"balance":5000' in answer
    assert proc.poll() is None


def test_a_finalize_block_out_of_sequence_halts_the_app_without_writing_it(node_app):
    proc, sock, _ = node_app
    home = sock.parent
    # abci-cli sends a bare FinalizeBlock (height 0) while the app is at height 1: a consensus-level fault.
    subprocess.run([str(ABCI_CLI), "--address", f"unix://{sock}", "--log_level", "error", "finalize_block", "0x00"],
                   capture_output=True, timeout=WAIT)
    assert proc.wait(timeout=WAIT) != 0
    assert "FinalizeBlock for height 0, but the next height is 2" in (home / "app.log").read_text()
    store = Store(home / "data" / "samen", readonly=True)
    try:
        assert store.committed().height == 1
    finally:
        store.close()


def test_abci_cli_speaks_abci_2_0():
    version = subprocess.run([str(ABCI_CLI), "version"], capture_output=True, text=True, timeout=WAIT).stdout
    assert version.strip() == "2.0.0"  # abci-cli prints the ABCI protocol version of its module
