"""``samen keys``: a file keyring with private permissions and optional encryption at rest."""

from __future__ import annotations

import json
import os
import stat

from abci_app.chain import addresses
from tests.cli.helpers import invoke

PASS = {"SAMEN_PASSPHRASE": "correct horse battery staple"}


def keys(tmp_path, *args, env=None, input=None):
    return invoke(["keys", *args, "--keyring-dir", str(tmp_path / "kr")], env=env, input=input)


def test_an_added_key_is_stored_encrypted_in_a_private_file(tmp_path):
    result = keys(tmp_path, "add", "alice", "-o", "json", env=PASS)
    assert result.exit_code == 0, result.stderr
    info = json.loads(result.stdout)
    assert addresses.is_valid(info["address"]) and info["protection"] == "encrypted"
    key_file = tmp_path / "kr" / "alice.key.json"
    assert stat.S_IMODE(os.stat(tmp_path / "kr").st_mode) == 0o700
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    stored = json.loads(key_file.read_text())
    assert "seed" not in stored and stored["kdf"]["name"] == "scrypt"
    assert not [p for p in (tmp_path / "kr").iterdir() if p.name.startswith(".tmp-")]


def test_a_passphrase_can_be_typed_at_the_prompt(tmp_path):
    result = keys(tmp_path, "add", "bob", input="s3cret-phrase\ns3cret-phrase\n")
    assert result.exit_code == 0, result.stderr
    assert "protection: encrypted" in result.stdout


def test_a_wrong_passphrase_is_one_clear_error(tmp_path):
    keys(tmp_path, "add", "alice", env=PASS)
    result = keys(tmp_path, "export", "alice", env={"SAMEN_PASSPHRASE": "wrong"})
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: wrong passphrase for key 'alice'"
    assert result.stdout == ""


def test_a_group_readable_key_file_is_refused(tmp_path):
    keys(tmp_path, "add", "alice", "--unencrypted")
    os.chmod(tmp_path / "kr" / "alice.key.json", 0o640)
    result = keys(tmp_path, "show", "alice")
    assert result.exit_code == 1
    assert "readable or writable by group or others (mode 0640)" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_test_key_is_unencrypted_and_labelled_as_such(tmp_path):
    result = keys(tmp_path, "add", "dev", "--unencrypted", "-o", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["protection"] == "unencrypted"
    assert "UNENCRYPTED TEST KEY" in result.stderr
    stored = json.loads((tmp_path / "kr" / "dev.key.json").read_text())
    assert "UNENCRYPTED TEST KEY" in stored["note"]


def test_list_show_and_delete_work_on_named_keys(tmp_path):
    keys(tmp_path, "add", "a", "--unencrypted")
    keys(tmp_path, "add", "b", "--unencrypted")
    listed = json.loads(keys(tmp_path, "list", "-o", "json").stdout)
    assert [k["name"] for k in listed] == ["a", "b"]
    address = keys(tmp_path, "show", "b", "-a").stdout.strip()
    assert address == listed[1]["address"]
    assert keys(tmp_path, "delete", "a", "-y").exit_code == 0
    assert [k["name"] for k in json.loads(keys(tmp_path, "list", "-o", "json").stdout)] == ["b"]
    missing = keys(tmp_path, "show", "a")
    assert missing.exit_code == 1 and "no key named 'a'" in missing.stderr


def test_delete_asks_first_and_keeps_the_key_when_refused(tmp_path):
    keys(tmp_path, "add", "a", "--unencrypted")
    result = keys(tmp_path, "delete", "a", input="n\n")
    assert result.exit_code == 1 and "not deleted" in result.stderr
    assert (tmp_path / "kr" / "a.key.json").exists()


def test_an_exported_key_imports_to_the_same_address(tmp_path):
    keys(tmp_path, "add", "alice", env=PASS)
    exported = keys(tmp_path, "export", "alice", env=PASS)
    assert exported.exit_code == 0, exported.stderr
    assert json.loads(exported.stdout)["protection"] == "encrypted"
    document = tmp_path / "alice.export.json"
    document.write_text(exported.stdout)
    imported = invoke(["keys", "import", "alice2", str(document), "--keyring-dir", str(tmp_path / "other"),
                       "-o", "json"], env=PASS)
    assert imported.exit_code == 0, imported.stderr
    original = json.loads(keys(tmp_path, "show", "alice", "-o", "json").stdout)
    assert json.loads(imported.stdout)["address"] == original["address"]


def test_adding_a_key_twice_or_with_a_bad_name_fails_cleanly(tmp_path):
    keys(tmp_path, "add", "alice", "--unencrypted")
    again = keys(tmp_path, "add", "alice", "--unencrypted")
    assert again.exit_code == 1 and "already exists" in again.stderr
    bad = keys(tmp_path, "add", "../evil", "--unencrypted")
    assert bad.exit_code == 1 and "invalid key name" in bad.stderr
    assert not (tmp_path / "evil.key.json").exists()


def test_a_damaged_key_file_is_a_clear_error(tmp_path):
    keys(tmp_path, "add", "alice", "--unencrypted")
    (tmp_path / "kr" / "alice.key.json").write_text("{not json")
    result = keys(tmp_path, "show", "alice")
    assert result.exit_code == 1 and "is not valid JSON" in result.stderr
