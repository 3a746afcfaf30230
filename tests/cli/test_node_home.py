"""``samen init``: a node home whose CometBFT config is patched for a local, loopback-only node."""

from __future__ import annotations

import json
import tomllib

import pytest

from abci_app.tools.node.cometbft import NodeError, patch_toml
from abci_app.tools.node.home import NodeOptions, init_home
from tests.cli.helpers import invoke
from tests.support.node import signer_for

ALICE = signer_for("alice").address


def test_patching_toml_changes_only_the_named_keys_in_their_sections():
    text = 'moniker = "x"\n# keep me\n[rpc]\nladdr = "tcp://0.0.0.0:1"\n[p2p]\nladdr = "tcp://0.0.0.0:2"\n'
    patched = patch_toml(text, {("p2p", "laddr"): "tcp://127.0.0.1:2", ("", "moniker"): "y"})
    doc = tomllib.loads(patched)
    assert doc["moniker"] == "y" and doc["rpc"]["laddr"] == "tcp://0.0.0.0:1"
    assert doc["p2p"]["laddr"] == "tcp://127.0.0.1:2" and "# keep me" in patched


def test_patching_a_setting_that_does_not_exist_is_an_error():
    with pytest.raises(NodeError, match=r"\[rpc\] nope"):
        patch_toml("[rpc]\nladdr = 1\n", {("rpc", "nope"): 1})


def test_init_writes_a_loopback_only_config_genesis_and_app_settings(tmp_path):
    home = init_home(tmp_path / "h", NodeOptions(chain_id="c-1", rpc_port=4001, p2p_port=4002,
                                                 accounts=((ALICE, 99),), params={"min_fee": 2}))
    config = tomllib.loads((home / "config" / "config.toml").read_text())
    assert config["proxy_app"] == f"unix://{home}/data/abci.sock"
    assert config["rpc"]["laddr"] == "tcp://127.0.0.1:4001" and config["p2p"]["laddr"] == "tcp://127.0.0.1:4002"
    assert config["tx_index"]["indexer"] == "kv"
    assert config["instrumentation"]["prometheus_listen_addr"].startswith("127.0.0.1:")
    assert config["rpc"]["pprof_laddr"] == "" and config["rpc"]["grpc_laddr"] == ""
    genesis = json.loads((home / "config" / "genesis.json").read_text())
    assert genesis["chain_id"] == "c-1"
    assert genesis["app_state"] == {"params": {"min_fee": 2}, "accounts": [{"address": ALICE, "balance": 99}]}
    assert (home / "config" / "app.toml").exists()


def test_init_refuses_an_existing_home_and_bad_genesis_accounts(tmp_path):
    init_home(tmp_path / "h", NodeOptions())
    with pytest.raises(NodeError, match="already initialized"):
        init_home(tmp_path / "h", NodeOptions())
    with pytest.raises(NodeError, match="invalid genesis account"):
        init_home(tmp_path / "other", NodeOptions(accounts=(("samen1bad", 5),)))


def test_samen_init_reports_the_home_and_rpc_as_json(tmp_path):
    result = invoke(["init", "--home", str(tmp_path / "n"), "--chain-id", "demo", "--account", f"{ALICE}=1000",
                     "--rpc-port", "4101", "-o", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"home": str(tmp_path / "n"), "chain_id": "demo", "rpc": "http://127.0.0.1:4101"}
    again = invoke(["init", "--home", str(tmp_path / "n")])
    assert again.exit_code == 1 and again.stderr.startswith("error: ") and "already initialized" in again.stderr


def test_samen_init_rejects_a_malformed_account_flag(tmp_path):
    result = invoke(["init", "--home", str(tmp_path / "n"), "--account", "nobalance"])
    assert result.exit_code == 1 and "ADDRESS=AMOUNT" in result.stderr
    assert not (tmp_path / "n").exists()


REPO = __import__("pathlib").Path(__file__).resolve().parents[2]


def test_the_example_app_config_loads_as_the_defaults(tmp_path):
    from abci_app.adapter.settings import Settings

    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "app.toml").write_text((REPO / "config" / "app.example.toml").read_text())
    assert Settings.load(tmp_path) == Settings(home=tmp_path)


def test_init_from_the_example_genesis_merges_extra_accounts(tmp_path):
    result = invoke(["init", "--home", str(tmp_path / "n"), "--app-state", str(REPO / "config" / "genesis.example.json"),
                     "--account", f"{ALICE}=7", "--min-fee", "1"])
    assert result.exit_code == 0, result.stderr
    app_state = json.loads((tmp_path / "n" / "config" / "genesis.json").read_text())["app_state"]
    assert app_state["params"]["min_fee"] == 1 and app_state["params"]["max_tx_bytes"] == 32768
    assert [a["balance"] for a in app_state["accounts"]] == [1000000000, 5000, 7]


def test_init_refuses_an_app_state_with_unknown_sections(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"nonsense": {}}')
    result = invoke(["init", "--home", str(tmp_path / "n"), "--app-state", str(bad)])
    assert result.exit_code == 1 and "unknown app_state sections: nonsense" in result.stderr


def metrics_ports(home) -> tuple[int, int]:
    """``(app, cometbft)`` metrics ports as written in the home's app.toml and config.toml."""
    app = tomllib.loads((home / "config" / "app.toml").read_text())["metrics"]["port"]
    comet = tomllib.loads((home / "config" / "config.toml").read_text())["instrumentation"]["prometheus_listen_addr"]
    return app, int(comet.rpartition(":")[2])


def test_two_homes_inited_on_one_machine_get_their_own_metrics_ports(tmp_path):
    for name, rpc, p2p in (("a", "26657", "26656"), ("b", "26757", "26756")):
        result = invoke(["init", "--home", str(tmp_path / name), "--rpc-port", rpc, "--p2p-port", p2p])
        assert result.exit_code == 0, result.stderr
    first, second = metrics_ports(tmp_path / "a"), metrics_ports(tmp_path / "b")
    assert first == (26670, 26660) and second == (26770, 26760)
    assert not {*first} & {*second, 26657, 26656, 26757, 26756}


def test_metrics_ports_given_at_init_are_written_as_given(tmp_path):
    result = invoke(["init", "--home", str(tmp_path / "n"), "--metrics-port", "9101", "--prometheus-port", "9102"])
    assert result.exit_code == 0, result.stderr
    assert metrics_ports(tmp_path / "n") == (9101, 9102)
