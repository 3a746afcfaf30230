"""Random flag values never reach an internal error: every ``samen tx``/``query`` command answers cleanly.

Every command of ``samen tx`` and ``samen query`` is found by walking the Click
tree (a new command is covered without editing this file) and run in-process
with random values for every option and argument; there is no node (the RPC
address refuses connections) and no key (an empty keyring), so a command either
refuses its input (exit 2), fails cleanly (exit 1: node unreachable, no such
key) or, with ``--print-action``, prints the action (exit 0).  Never a traceback,
never ``internal error``, always one line on stderr.
"""

from __future__ import annotations

from typing import Any

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from abci_app.tools.cli.common import EXIT_USAGE
from abci_app.tools.cli.main import app
from tests.cli.helpers import samen_in_process
from tests.support.procs import free_port

SHARED = {"--node", "--home", "--keyring-dir", "--chain-id", "--output", "--timeout", "--fee-payer", "--from",
          "--yes", "--wait", "--no-wait", "--print-action", "--help", "--verify", "--genesis", "--graphql"}


def _commands() -> list[tuple[list[str], Any]]:
    root = typer.main.get_command(app)
    found = []

    def walk(path: list[str], command: Any) -> None:
        if hasattr(command, "list_commands"):
            for name in command.list_commands(None):
                walk(path + [name], command.get_command(None, name))
        else:
            found.append((path, command))
    for top in ("tx", "query"):
        walk([top], root.get_command(None, top))
    return found


COMMANDS = _commands()
NO_NODE = f"http://127.0.0.1:{free_port()}"

numbers = st.one_of(st.integers(-(2**70), 2**70).map(str), st.sampled_from(["0", "-1", "1", "18446744073709551616"]))
texts = st.one_of(st.text(max_size=40), st.sampled_from(["", " ", "+7d", "+99999999999999999999d", "2026-13-45",
                                                          "2026-12-31", "ab" * 32, "zz" * 32, "samen1nope",
                                                          "a:b:c", "x:1", "yes", "maybe", "-5", "1e9"]))
values = st.one_of(numbers, texts)


def _options(command: Any) -> list[Any]:
    return [p for p in command.params if p.param_type_name == "option" and p.opts[0] not in SHARED
            and not p.is_flag]


def _is_int(option: Any) -> bool:
    return option.type_descriptor.annotation is int


@st.composite
def invocations(draw) -> list[str]:
    path, command = draw(st.sampled_from(COMMANDS))
    argv = list(path)
    for param in command.params:
        if param.param_type_name == "argument":
            argv.append(draw(values))
    for option in _options(command):
        if option.required or draw(st.booleans()):
            argv += [option.opts[0], draw(values)]
    if path[0] == "tx":
        argv += ["--print-action"] if draw(st.booleans()) else ["--from", "nobody", "-y"]
    return argv


@pytest.fixture(scope="module")
def isolated(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    return {"SAMEN_NODE": NO_NODE, "SAMEN_GRAPHQL": NO_NODE + "/graphql", "SAMEN_HOME": str(root / "home"), "SAMEN_KEYRING_DIR": str(root / "keys")}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(argv=invocations())
def test_random_flag_values_end_in_a_clean_one_line_answer_never_an_internal_error(isolated, argv):
    done = samen_in_process(argv, env=isolated)
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr, (argv, done.stderr)
    assert done.returncode in (0, 1, 2), (argv, done.returncode, done.stderr)
    if done.returncode:
        assert len(done.stderr.strip().splitlines()) == 1, (argv, done.stderr)


@pytest.mark.parametrize("path,command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_a_negative_number_for_any_integer_option_is_a_usage_error_naming_the_flag(isolated, path, command):
    for option in _options(command):
        if not _is_int(option):
            continue
        done = samen_in_process([*path, *_required(command, option), option.opts[0], "-1", "--print-action"]
                                if path[0] == "tx" else [*path, *_required(command, option), option.opts[0], "-1"],
                                env=isolated)
        assert done.returncode == EXIT_USAGE, (path, option.opts[0], done.stderr)
        assert option.opts[0] in done.stderr, (path, option.opts[0], done.stderr)


def _required(command: Any, skip: Any) -> list[str]:
    """Valid-looking values for the arguments and other required options (so only ``skip`` is wrong)."""
    argv: list[str] = []
    for param in command.params:
        if param.param_type_name == "argument":
            argv.append("1")
        elif param.param_type_name == "option" and param.required and param is not skip:
            argv += [param.opts[0], "1"]
    return argv
