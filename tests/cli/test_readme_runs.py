"""The README runs: its walk-through and story, pasted into a shell against a real devnet.

Every ``sh`` block of the README's "A five-minute walk-through" section is
extracted and run, in order, in one ``bash -e`` (so a failing command stops the
run with its exit code) from a fresh directory whose ``.devnet`` is a real
``samen devnet`` (CometBFT, the app and GraphQL).  Only what a reader's machine
differs in is set from outside: the free ports (``SAMEN_NODE``, ``SAMEN_GRAPHQL``)
and ``PATH``.  Then the final balances are checked, and the ``-o json`` answers
of the objects the story made are checked against their schemas in
``docs/cli-schemas/``.  One devnet serves the module.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from abci_app.tools.client.rpc import ClientError, RpcClient
from abci_app.tools.node.devnet import DEV_BALANCE
from tests.support.procs import free_port, stop_process, wait_for

pytestmark = pytest.mark.node

ROOT = Path(__file__).resolve().parents[2]
SECTION = "## A five-minute walk-through"


def readme_blocks() -> list[str]:
    """The ``sh`` blocks of the walk-through section, in order."""
    text = (ROOT / "README.md").read_text()
    start = text.index(SECTION)
    end = text.index("\n## ", start + len(SECTION))
    return re.findall(r"```sh\n(.*?)```", text[start:end], re.DOTALL)


def _ready(rpc_url: str, graphql_url: str) -> bool:
    try:
        with RpcClient(rpc_url, timeout=2.0) as rpc:
            rpc.status()
        import httpx
        return httpx.post(graphql_url, json={"query": "{ __typename }"}, timeout=2.0).status_code == 200
    except (ClientError, OSError, Exception):   # noqa: BLE001 -- not up yet
        return False


@pytest.fixture(scope="module")
def devnet(tmp_path_factory):
    """A real ``samen devnet`` in a fresh directory (as ``make run`` starts it), on free ports."""
    work = tmp_path_factory.mktemp("readme")
    ports = {"rpc": free_port(), "p2p": free_port(), "graphql": free_port()}
    env = dict(os.environ, SAMEN_NODE=f"http://127.0.0.1:{ports['rpc']}",
               SAMEN_GRAPHQL=f"http://127.0.0.1:{ports['graphql']}/graphql",
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    env.pop("SAMEN_HOME", None)
    env.pop("SAMEN_PASSPHRASE", None)
    log = (work / "devnet.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "abci_app.tools.cli", "devnet", "--home", str(work / ".devnet"),
                                "--rpc-port", str(ports["rpc"]), "--p2p-port", str(ports["p2p"]),
                                "--graphql-port", str(ports["graphql"])],
                               cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for(lambda: process.poll() is None and _ready(env["SAMEN_NODE"], env["SAMEN_GRAPHQL"]), 120,
                 "the devnet's RPC and GraphQL")
        yield work, env
    finally:
        if stop_process(process, signal.SIGINT, 30) is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
        log.close()


def _shell(work: Path, env: dict, script: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=work, env=env, capture_output=True,
                          text=True, timeout=600)


def _balance(env: dict, who: str, work: Path) -> int:
    done = _shell(work, env, f"export SAMEN_HOME=$PWD/.devnet; samen query account {who} -o json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["balance"]


@pytest.fixture(scope="module")
def story(devnet) -> subprocess.CompletedProcess:
    """The README's blocks, run once in order in one shell."""
    work, env = devnet
    blocks = readme_blocks()
    assert len(blocks) >= 2 and all("samen" in block for block in blocks)
    return _shell(work, env, "\n".join(blocks))


def test_the_walk_through_and_the_story_run_as_written_and_leave_the_right_balances(devnet, story):
    work, env = devnet
    done = story
    assert done.returncode == 0, f"exit {done.returncode}\nstdout:\n{done.stdout[-3000:]}\nstderr:\n{done.stderr[-3000:]}"
    assert "proposal 4 executed its actions" in done.stdout
    treasury = _shell(work, env, "export SAMEN_HOME=$PWD/.devnet; samen query org 1 --treasury").stdout.strip()
    assert _balance(env, "alice", work) == DEV_BALANCE - 250
    assert _balance(env, "bob", work) == DEV_BALANCE + 250 - 5_000
    assert _balance(env, "dave", work) == DEV_BALANCE + 800
    assert _balance(env, treasury, work) == 5_000 - 800
    assert "settled: completed" in done.stdout and "(treasury of organization 1)" in done.stdout
    assert re.search(r"^id: 1  requester: \S+  provider: \S+  price: 800  status: completed", done.stdout, re.M)
    assert _balance(env, "samen1l3f0p8d5v3um5rfrq3p2f55cnxacmuqtwtu9el", work) == 0   # unknown: balance 0, no error


@pytest.mark.parametrize("argv,expected", [
    ("organizations", [1]), ("proposals --org 1 --status executed", [1, 2, 3, 4]), ("requests --status accepted", [1]),
    ("offers --request 1", [1]), ("agreements --status settled", [1]), ("agreements --status open", []),
    ("projects", []), ("proposals --first 2", [1, 2])])
def test_the_list_commands_filter_and_page(devnet, story, argv, expected):
    work, env = devnet
    done = _shell(work, env, f"samen query {argv} -o json")
    assert done.returncode == 0, done.stderr
    assert [int(row["id"]) for row in json.loads(done.stdout)] == expected


def test_a_member_acting_alone_for_the_organization_is_told_to_propose_instead(devnet, story):
    work, env = devnet
    posted = _shell(work, env, "export SAMEN_HOME=$PWD/.devnet\n"
                    "samen tx request post --title 'First aid kits' --offers-until +1d --propose-in 1 --from alice -y\n"
                    "samen tx org vote 5 yes --from carol -y")
    assert posted.returncode == 0 and "posted request 2" in posted.stdout, posted.stderr
    done = _shell(work, env, "export SAMEN_HOME=$PWD/.devnet; samen tx request withdraw 2 --from alice -y")
    assert done.returncode == 3
    assert done.stderr.strip().splitlines()[-1] == (
        "error: transaction rejected by CheckTx (market/7): only the requester may withdraw request 2; "
        "request 2 belongs to organization 1's treasury: propose it with --propose-in 1"), done.stderr


@pytest.mark.parametrize("schema,argv", [
    ("org", "org 1"), ("proposal", "proposal 2"), ("proposal-votes", "proposal 2 --votes"), ("request", "request 1"),
    ("request-offers", "request 1 --offers"), ("offer", "offer 1"), ("agreement", "agreement 1"),
    ("reputation", "reputation dave"), ("friction", "friction all"), ("account", "account dave"),
    ("account", "account samen1l3f0p8d5v3um5rfrq3p2f55cnxacmuqtwtu9el"), ("status", "status"), ("tx-result", "tx")])
def test_every_json_answer_matches_its_schema(devnet, story, schema, argv):
    work, env = devnet
    if argv == "tx":   # the first transaction the story committed
        argv = "tx " + re.search(r"transaction ([0-9A-F]{64}) committed", story.stdout).group(1)
    done = _shell(work, env, f"export SAMEN_HOME=$PWD/.devnet; samen query {argv} -o json")
    assert done.returncode == 0, done.stderr
    jsonschema.validate(json.loads(done.stdout), json.loads((ROOT / "docs" / "cli-schemas" / f"{schema}.json").read_text()))
