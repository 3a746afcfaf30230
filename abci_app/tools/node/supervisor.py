"""Run a node's processes (app, CometBFT, optionally GraphQL) as one supervised group.

Contract of ``Supervisor.run``:
* children start in the given order; each may name a readiness check that must
  pass (bounded by ``ready_timeout``) before the next one starts;
* ``out`` gets JSON lines only (``loglines``): every line a child prints (stdout and
  stderr) wrapped with its ``component`` (the child's name), and the supervisor's own
  lines with component ``start`` (``started NAME`` carries ``child`` and ``pid``);
* SIGINT or SIGTERM to the supervisor stops the children in reverse start order
  (so the app stops after CometBFT), each with its own stop signal, escalating to
  SIGKILL after ``stop_timeout``; ``run`` then returns 0;
* a child that exits on its own stops the whole group; ``run`` returns 1 and
  ``failure`` holds one line saying which child exited and how;
* children run in their own session (a terminal's Ctrl-C reaches only the
  supervisor, which orders the shutdown) and get SIGTERM if the supervisor dies.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, TextIO

from abci_app.tools.node import loglines

PR_SET_PDEATHSIG = 1


@dataclass
class Child:
    """One process of the group."""

    name: str
    argv: list[str]
    env: dict | None = None
    ready: Callable[[], bool] | None = None
    stop_signal: int = signal.SIGTERM
    process: subprocess.Popen | None = field(default=None, repr=False)


def die_with_parent() -> None:
    """Ask Linux to send SIGTERM to this child when its parent exits (best effort)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def describe_exit(code: int) -> str:
    if code < 0:
        return f"killed by signal {signal.Signals(-code).name}"
    return f"exit code {code}"


class Supervisor:
    def __init__(self, children: list[Child], out: TextIO = sys.stderr, ready_timeout: float = 30.0,
                 stop_timeout: float = 10.0) -> None:
        self.children = children
        self.out = out
        self.ready_timeout = ready_timeout
        self.stop_timeout = stop_timeout
        self.failure = ""
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._pumps: list[threading.Thread] = []

    def say(self, msg: str, level: str = "info", **fields) -> None:
        """Write one of the supervisor's own lines."""
        self._write(loglines.own(msg, level, **fields))

    def _write(self, line: str) -> None:
        with self._lock:
            self.out.write(line + "\n")
            self.out.flush()

    def request_stop(self, *_args) -> None:
        self._stop.set()

    def run(self, on_ready: Callable[[], None] | None = None) -> int:
        """Start the group, supervise it until a stop request or a death; return the exit code."""
        previous = {s: signal.signal(s, self.request_stop) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            if self._start_all() and on_ready is not None:
                on_ready()
            while not self._stop.is_set() and not self.failure:
                self._check_children()
                self._stop.wait(0.2)
        finally:
            self.stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if self.failure:
            self.say(f"error: {self.failure}", "error")
            return 1
        self.say("all processes stopped")
        return 0

    def _start_all(self) -> bool:
        for child in self.children:
            if self._stop.is_set() or self.failure:
                return False
            self._spawn(child)
            if child.ready is not None and not self._wait_ready(child):
                return False
        return True

    def _spawn(self, child: Child) -> None:
        env = dict(os.environ, **(child.env or {}))
        child.process = subprocess.Popen(child.argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, env=env, start_new_session=True,
                                         preexec_fn=die_with_parent)
        self.say(f"started {child.name} (pid {child.process.pid})", child=child.name, pid=child.process.pid)
        pump = threading.Thread(target=self._pump, args=(child,), daemon=True)
        pump.start()
        self._pumps.append(pump)

    def _pump(self, child: Child) -> None:
        for raw in child.process.stdout:
            self._write(loglines.structured(child.name, raw.decode(errors="replace").rstrip("\n")))

    def _wait_ready(self, child: Child) -> bool:
        deadline = time.monotonic() + self.ready_timeout
        while not self._stop.is_set():
            if child.ready():
                return True
            if child.process.poll() is not None:
                self.failure = f"{child.name} exited during start-up ({describe_exit(child.process.returncode)})"
                return False
            if time.monotonic() > deadline:
                self.failure = f"{child.name} did not become ready within {self.ready_timeout:g}s"
                return False
            time.sleep(0.1)
        return False

    def _check_children(self) -> None:
        for child in self.children:
            if child.process is not None and child.process.poll() is not None:
                self.failure = (f"{child.name} exited unexpectedly ({describe_exit(child.process.returncode)}); "
                                f"stopped the group")
                return

    def stop_all(self) -> None:
        """Stop running children in reverse start order; SIGKILL any that outlive ``stop_timeout``."""
        for child in reversed(self.children):
            process = child.process
            if process is None or process.poll() is not None:
                continue
            self.say(f"stopping {child.name}")
            process.send_signal(child.stop_signal)
            try:
                process.wait(self.stop_timeout)
            except subprocess.TimeoutExpired:
                self.say(f"{child.name} did not stop within {self.stop_timeout:g}s; killing it")
                process.kill()
                process.wait(self.stop_timeout)
        for pump in self._pumps:
            pump.join(2.0)
