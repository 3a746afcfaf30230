"""Processes of a testnet's nodes: start in the background, stop, status.

Per node home: ``logs/abci.log`` and ``logs/cometbft.log`` (appended, one banner
line per start) and ``run/abci.pid`` / ``run/cometbft.pid``.  Processes run in
their own session, so they outlive ``samen testnet start``; ``stop`` signals the
recorded pids (CometBFT first with SIGTERM, then the app with SIGINT), waits up
to ``STOP_TIMEOUT`` seconds each and escalates to SIGKILL.  A pid file whose
process is gone is treated as stopped.  Status asks each node's RPC (bounded).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from abci_app.tools.node.cometbft import NodeError, find_binary
from abci_app.tools.node.home import socket_path
from abci_app.tools.node.testnet import NodeInfo

STOP_TIMEOUT = 15.0
APP_READY_TIMEOUT = 30.0


def log_path(node: NodeInfo, which: str) -> Path:
    return Path(node.home) / "logs" / f"{which}.log"


def pid_path(node: NodeInfo, which: str) -> Path:
    return Path(node.home) / "run" / f"{which}.pid"


def argv(node: NodeInfo, which: str) -> list[str]:
    if which == "abci":
        return [sys.executable, "-m", "abci_app", "--home", node.home]
    return [find_binary(), "start", "--home", node.home]


def spawn(node: NodeInfo, which: str, env: dict | None = None, preexec_fn=None) -> subprocess.Popen:
    """Start ``which`` (``abci`` or ``cometbft``) of ``node`` in its own session; record its pid."""
    log = log_path(node, which)
    log.parent.mkdir(exist_ok=True)
    pid_path(node, which).parent.mkdir(exist_ok=True)
    with open(log, "ab") as out:
        out.write(f"\n===== start {which} at {time.strftime('%H:%M:%S')} env={env or {}} =====\n".encode())
        out.flush()
        process = subprocess.Popen(argv(node, which), stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   env=dict(os.environ, **(env or {})), start_new_session=True, preexec_fn=preexec_fn)
    pid_path(node, which).write_text(f"{process.pid}\n")
    return process


def start_app(node: NodeInfo, env: dict | None = None, preexec_fn=None) -> subprocess.Popen:
    """Start the app and wait (bounded) until its unix socket exists."""
    sock = socket_path(Path(node.home))
    if sock.exists():
        sock.unlink()
    process = spawn(node, "abci", env, preexec_fn)
    deadline = time.monotonic() + APP_READY_TIMEOUT
    while not sock.exists():
        if process.poll() is not None:
            raise NodeError(f"{node.name}: app exited with {process.returncode}; see {log_path(node, 'abci')}")
        if time.monotonic() > deadline:
            raise NodeError(f"{node.name}: app socket missing after {APP_READY_TIMEOUT:g}s")
        time.sleep(0.05)
    return process


def running_pid(node: NodeInfo, which: str) -> int | None:
    """Return the recorded pid if that process is still alive."""
    path = pid_path(node, which)
    if not path.exists():
        return None
    pid = int(path.read_text().strip() or 0)
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return None
    return pid


def start_node(node: NodeInfo) -> None:
    """Start the node's app and CometBFT unless they already run."""
    if running_pid(node, "cometbft") or running_pid(node, "abci"):
        raise NodeError(f"{node.name} is already running; `samen testnet stop` first")
    start_app(node)
    spawn(node, "cometbft")


def stop_pid(pid: int | None, sig: int, timeout: float = STOP_TIMEOUT) -> None:
    """Signal ``pid`` and wait until it is gone; SIGKILL after ``timeout`` seconds."""
    if pid is None:
        return
    for current, wait in ((sig, timeout), (signal.SIGKILL, 5.0)):
        try:
            os.kill(pid, current)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not _alive(pid):
                return
            time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)   # our own child (tests): reap it
        if done:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def stop_node(node: NodeInfo) -> None:
    stop_pid(running_pid(node, "cometbft"), signal.SIGTERM)
    stop_pid(running_pid(node, "abci"), signal.SIGINT)
    for which in ("cometbft", "abci"):
        pid_path(node, which).unlink(missing_ok=True)


def node_status(node: NodeInfo, timeout: float = 3.0) -> dict:
    """Return ``{name, running, height, app_hash, peers, catching_up}`` (``error`` if the RPC does not answer)."""
    out = {"name": node.name, "rpc": node.rpc_url, "validator": node.power > 0,
           "running": bool(running_pid(node, "cometbft") and running_pid(node, "abci"))}
    try:
        with httpx.Client(timeout=timeout) as client:
            status = client.get(f"{node.rpc_url}/status").json()["result"]
            net_info = client.get(f"{node.rpc_url}/net_info").json()["result"]
    except (httpx.HTTPError, ValueError, KeyError) as exc:
        return {**out, "error": f"RPC unreachable: {type(exc).__name__}"}
    sync = status["sync_info"]
    return {**out, "height": int(sync["latest_block_height"]), "app_hash": sync["latest_app_hash"],
            "peers": int(net_info["n_peers"]), "catching_up": bool(sync["catching_up"])}
