"""`samen start` switches to the installed release at an upgrade stop, and logs it; without one it stays stopped."""

from __future__ import annotations

import json
import os
import sys

import pytest
import typer

from abci_app.adapter import upgrade_info
from abci_app.tools.cli.node import run_group
from abci_app.tools.node import versions
from abci_app.tools.node.supervisor import Child

HALT = "import sys; sys.exit(3)"   # an app that stops for an upgrade at once


def home_with_stop(tmp_path, name: str = "v2", height: int = 41):
    (tmp_path / "data").mkdir()
    upgrade_info.path(tmp_path).write_text(json.dumps({"name": name, "height": height, "message": "m"}))
    return tmp_path


def install(home, name: str) -> None:
    """A stand-in "virtualenv" for release ``name``: a bin/python that is this interpreter."""
    (home / "versions" / name / "bin").mkdir(parents=True)
    os.symlink(sys.executable, versions.python_of(home, name))


def recorder(calls: list):
    def make_children(home, with_graphql=True):
        python = versions.current_python(home)
        calls.append(python)
        return [Child("abci", [python, "-c", HALT])]
    return make_children


def test_an_installed_release_is_switched_to_and_the_switch_is_logged(tmp_path):
    home = home_with_stop(tmp_path)
    install(home, "v2")
    calls: list = []
    with pytest.raises(typer.Exit):
        run_group(home, True, make_children=recorder(calls))
    assert calls == [sys.executable, str(versions.python_of(home, "v2"))]
    assert versions.current_name(home) == "v2"
    events = [json.loads(line) for line in (home / versions.LOG).read_text().splitlines()]
    assert [e["event"] for e in events] == ["switch", "missing"]   # the second stop: nothing newer installed
    assert (events[0]["name"], events[0]["height"]) == ("v2", 41)


def test_without_the_release_the_node_stays_stopped_and_says_where_to_install_it(tmp_path, capsys):
    home = home_with_stop(tmp_path)
    calls: list = []
    with pytest.raises(typer.Exit):
        run_group(home, True, make_children=recorder(calls))
    assert calls == [sys.executable]
    assert f"upgrade v2 needed at height 41: install the release that knows it as a virtualenv at " \
           f"{home / 'versions' / 'v2'}" in capsys.readouterr().err
    assert versions.current_name(home) == ""
