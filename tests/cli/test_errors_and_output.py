"""The CLI's output contract: one-line errors, documented exit codes, JSON or text results."""

from __future__ import annotations

import json

import pytest

from abci_app.tools.cli import txflow
from abci_app.tools.cli.common import EXIT_TIMEOUT, EXIT_USAGE, CliError, Output, text_lines
from abci_app.tools.client.rpc import WaitTimeout
from abci_app.tools.cli.main import main
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.organizations.messages import CreateOrganization, OrgMember, OrgPolicy
from tests.cli.helpers import invoke, samen
from tests.support.node import free_port, signer_for

VALID = signer_for("someone").address


def test_a_usage_error_is_one_line_with_exit_code_2(capsys):
    assert main(["tx", "transfer", "--from", "alice", "--amount", "5"]) == EXIT_USAGE
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["error: Missing option '--to'. (see: samen tx transfer --help)"]


def test_an_unknown_command_is_a_usage_error(capsys):
    assert main(["frobnicate"]) == EXIT_USAGE
    assert capsys.readouterr().err.startswith("error: No such command 'frobnicate'")


def test_an_unreachable_node_is_one_clear_line_and_exit_1(capsys):
    port = free_port()
    assert main(["query", "status", "--node", f"127.0.0.1:{port}"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: cannot reach the node at http://127.0.0.1:{port}")


def test_a_transfer_with_a_bad_address_or_amount_fails_before_touching_the_network(tmp_path):
    bad_address = invoke(["tx", "transfer", "--from", "a", "--to", "samen1nope", "--amount", "5",
                          "--keyring-dir", str(tmp_path)])
    assert bad_address.exit_code == 2
    assert bad_address.stderr.strip() == ("error: --to: invalid recipient address: 'samen1nope' is not a samen1... "
                                          "bech32 address (tx/15)")
    for amount in ("0", "-5", str(2**64)):
        refused = invoke(["tx", "transfer", "--from", "a", "--to", VALID, "--amount", amount,
                          "--keyring-dir", str(tmp_path)])
        assert refused.exit_code == 2 and "'--amount'" in refused.stderr, amount
    garbage = invoke(["tx", "transfer", "--from", "a", "--to", VALID, "--amount", "lots", "--keyring-dir", str(tmp_path)])
    assert garbage.exit_code == 2


def test_query_tx_rejects_a_malformed_hash():
    result = invoke(["query", "tx", "xyz"])
    assert result.exit_code == 2 and "HASH: invalid transaction hash" in result.stderr


def test_text_output_renders_nested_data_as_readable_lines():
    lines = text_lines({"hash": "AB", "events": [{"type": "transfer", "attributes": {"amount": "5"}}], "memo": ""})
    assert lines == ["hash: AB", "events:", "  - type: transfer", "    attributes:", "      amount: 5", "memo: "]


def test_the_summary_shows_every_field_of_the_action_in_words_without_python_reprs():
    lines = txflow.describe(Transfer(to=VALID, amount=7, memo="hi"))
    assert lines == ["  action: transfer", f"  to: {VALID}", "  amount: 7", "  memo: hi"]
    founding = CreateOrganization("g", "", (OrgMember(VALID, 3),), OrgPolicy(1, 2, 3600, 0, False))
    text = "\n".join(txflow.describe(founding))
    assert f"members: {VALID} (weight 3)" in text and "OrgMember(" not in text and "'" not in text


class _FakeRpc:
    """Stands in for RpcClient in the retry unit test: the committed sequence lags the mempool."""

    def __init__(self):
        self.broadcasts = []

    def abci_query(self, path):
        return {"code": 0, "value": {"balance": 100, "sequence": 3}}

    def broadcast_tx_sync(self, raw):
        self.broadcasts.append(raw)
        if len(self.broadcasts) == 1:
            return {"code": 9, "codespace": "tx", "log": "account sequence mismatch: expected 4, got 3"}
        return {"code": 0, "codespace": "", "log": ""}


def test_a_sequence_mismatch_is_retried_once_with_the_sequence_the_node_expects():
    rpc = _FakeRpc()
    options = txflow.TxOptions(node="unused", chain_id="c", yes=True, wait=False)
    result = txflow._broadcast(rpc, Transfer(to=VALID, amount=1), signer_for("x"), options)
    assert result["code"] == 0 and result["sequence"] == 4
    assert len(rpc.broadcasts) == 2


def test_start_on_a_directory_that_is_not_a_node_home_is_one_clear_error(tmp_path):
    result = invoke(["start", "--home", str(tmp_path / "nothing")])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {tmp_path / 'nothing'} is not a node home: run `samen init --home {tmp_path / 'nothing'}` first"


class _NeverIncludedRpc:
    def wait_for_tx(self, tx_hash, timeout):
        raise WaitTimeout(f"transaction {tx_hash.hex().upper()} not committed within {timeout:g}s")


def test_waiting_past_the_timeout_exits_with_code_4_and_prints_the_pending_result(capsys):
    options = txflow.TxOptions(node="unused", timeout=0.5, output=Output.json)
    with pytest.raises(CliError) as raised:
        txflow._await_inclusion(_NeverIncludedRpc(), {"hash": "AB" * 32, "code": 0}, options)
    assert raised.value.exit_code == EXIT_TIMEOUT
    assert "not committed within 0.5s" in raised.value.message
    assert json.loads(capsys.readouterr().out)["status"] == "pending"


def test_shell_completion_completes_lazily_loaded_commands():
    done = samen([], env={"_SAMEN_COMPLETE": "complete_bash", "COMP_WORDS": "samen query ag", "COMP_CWORD": "2"})
    assert done.stdout.split() == ["agreement", "agreements"]
    script = samen(["--show-completion", "bash"])
    assert script.returncode == 0 and "_samen_completion()" in script.stdout
