"""``samen start``: the app and CometBFT run as one supervised group."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from abci_app.tools.client.rpc import WaitTimeout
from tests.support.node import wait_until

pytestmark = pytest.mark.node


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


class StartedGroup:
    """``python -m abci_app.tools.cli start`` on a node home, with its stderr in a file."""

    def __init__(self, node, graphql: bool = False) -> None:
        self.log = node.root / "start.log"
        argv = [sys.executable, "-m", "abci_app.tools.cli", "start", "--home", str(node.home)]
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(argv + ([] if graphql else ["--no-graphql"]), stdout=subprocess.DEVNULL,
                                            stderr=out, start_new_session=True)
        children = 3 if graphql else 2
        try:
            node.wait_for_height(2, 60)
            wait_until(lambda: len(self.pids()) == children, 10, "every child pid in the output")
        except WaitTimeout as exc:
            tail = "\n".join(self.output().splitlines()[-30:])
            raise AssertionError(f"samen start did not come up ({exc}); exit {self.process.poll()}:\n{tail}") from None

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def records(self) -> list[dict]:
        """Every line of the output as the JSON object it must be (a torn last line is not yet a line)."""
        text = self.output()
        lines = text.splitlines() if text.endswith("\n") else text.splitlines()[:-1]
        return [json.loads(line) for line in lines]

    def said(self) -> list[str]:
        """The messages of the supervisor's own lines, in order."""
        return [r["msg"] for r in self.records() if r["component"] == "start"]

    def pids(self) -> dict[str, int]:
        return {r["child"]: r["pid"] for r in self.records() if r["component"] == "start" and "pid" in r}

    def wait(self, timeout: float = 30.0) -> int:
        return self.process.wait(timeout)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


def _stop(started: StartedGroup) -> None:
    started.kill()
    for pid in started.pids().values():
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture
def group(node_factory):
    started = StartedGroup(node_factory())
    yield started
    _stop(started)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_stop_signal_stops_every_child_cleanly_and_the_app_last(group, sig):
    pids = group.pids()
    group.process.send_signal(sig)
    assert group.wait() == 0
    records, said = group.records(), group.said()
    assert not any(_alive(pid) for pid in pids.values())
    assert said.index("stopping cometbft") < said.index("stopping abci") < said.index("all processes stopped")
    assert all(set(r) >= {"ts", "level", "component", "logger", "msg"} for r in records)
    assert {"abci", "cometbft", "start"} <= {r["component"] for r in records}
    assert any(r["logger"].startswith("cometbft.") for r in records), "CometBFT's own log lines, structured"


def test_a_dying_child_stops_the_group_with_a_clear_message_and_non_zero_exit(group):
    pids = group.pids()
    os.kill(pids["cometbft"], signal.SIGKILL)
    assert group.wait() == 1
    assert "error: cometbft exited unexpectedly (killed by signal SIGKILL); stopped the group" in group.said()
    assert not _alive(pids["abci"])


def test_the_graphql_server_runs_at_the_lower_cpu_priority_its_app_toml_names(node_factory):
    node = node_factory()
    settings = (node.home / "config" / "app.toml").read_text()
    assert "nice = 10" in settings                                  # what samen init writes
    (node.home / "config" / "app.toml").write_text(settings.replace("nice = 10", "nice = 7"))
    started = StartedGroup(node, graphql=True)
    try:
        pids = started.pids()
        node_priority = os.getpriority(os.PRIO_PROCESS, pids["abci"])
        assert os.getpriority(os.PRIO_PROCESS, pids["cometbft"]) == node_priority
        wait_until(lambda: os.getpriority(os.PRIO_PROCESS, pids["graphql"]) == node_priority + 7, 30,
                   "the graphql server lowering its priority")
    finally:
        _stop(started)
