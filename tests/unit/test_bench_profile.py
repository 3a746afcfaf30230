"""The profile summary: py-spy's raw stacks turned into shares of the app's transaction path."""

from bench import profile

RAW = """\
<module> (abci_app/__main__.py:1);AbciServer.connection (abci_app/adapter/server.py:80);AbciServer.call (abci_app/adapter/server.py:90);AbciServer.check_tx (abci_app/adapter/server.py:198);execute_on (abci_app/chain/block.py:70);check_stateless (abci_app/chain/auth.py:40);verify_signature (abci_app/chain/auth.py:60);crypto_sign_open (nacl/bindings/crypto_sign.py:90) 50
<module> (abci_app/__main__.py:1);AbciServer.connection (abci_app/adapter/server.py:80);AbciServer.call (abci_app/adapter/server.py:90);AbciServer.check_tx (abci_app/adapter/server.py:198);execute_on (abci_app/chain/block.py:70);authenticate (abci_app/chain/auth.py:73) 20
<module> (abci_app/__main__.py:1);AbciServer.connection (abci_app/adapter/server.py:80);AbciServer.call (abci_app/adapter/server.py:90);AbciServer.finalize_block (abci_app/adapter/server.py:150);run_block (abci_app/chain/block.py:80) 20
<module> (abci_app/__main__.py:1);AbciServer.connection (abci_app/adapter/server.py:80);split_frames (abci_app/adapter/server.py:40) 10
_bootstrap (threading.py:1);_worker (thread.py:80);verify_all (abci_app/adapter/preverify.py:30);verified_hash (abci_app/chain/auth.py:70);signature_valid (abci_app/chain/auth.py:60);crypto_sign_open (nacl/bindings/crypto_sign.py:90) 25
"""


def test_raw_stacks_are_parsed_into_function_and_file_frames():
    total, stacks = profile.parse_raw(RAW)
    assert total == 125 and len(stacks) == 5
    assert stacks[0][0][-1] == ("crypto_sign_open", "crypto_sign.py") and stacks[0][1] == 50


def test_stage_shares_are_inclusive_the_worker_thread_apart_and_the_rest_is_framing():
    report = profile.shares(RAW)
    stages = dict(report["stages"])
    assert stages["CheckTx (NEW and RECHECK)"] == 56.0                 # 70 of 125 busy samples
    assert stages["  ed25519 verification (libsodium)"] == 40.0        # on the event loop only
    assert stages["  sequence, fee and transfer on the check state"] == 16.0
    assert stages["FinalizeBlock"] == 16.0 and stages["Commit (LMDB write)"] == 0.0
    assert stages["Signature worker thread (new CheckTx signatures, off the event loop)"] == 20.0
    assert stages["  ed25519 verification there (GIL released)"] == 20.0
    assert stages["ABCI framing, protobuf parsing, event loop (outside the handlers)"] == 8.0
    assert report["self"][0] == ("crypto_sign_open (crypto_sign.py)", 60.0)


def test_the_section_is_a_markdown_table_between_its_markers():
    load = {"sent": 100, "committed": 90, "tps": 1234.5, "cpu_s_per_1000": {"app": 0.4}}
    text = profile.section(profile.shares(RAW), "python -m bench.profile --txs 100", load)
    assert text.startswith(profile.SECTION_START) and text.endswith(profile.SECTION_END)
    assert "| CheckTx (NEW and RECHECK) | 56.0 |" in text
    assert "| `crypto_sign_open (crypto_sign.py)` | 60.0 |" in text
