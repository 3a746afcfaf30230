"""Run ``samen`` in-process (CliRunner) or as a real subprocess, for CLI tests."""

from __future__ import annotations

import os
import subprocess
import sys

from typer.testing import CliRunner

from abci_app.tools.cli.main import app, main


def invoke(args: list[str], env: dict | None = None, input: str | None = None):
    """Run ``samen ARGS`` in-process; return the CliRunner result (stdout, stderr, exit_code)."""
    runner = CliRunner()
    return runner.invoke(app, args, env={"SAMEN_PASSPHRASE": None, **(env or {})}, input=input)


def samen(args: list[str], env: dict | None = None, timeout: float = 60.0,
          input: str | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m abci_app.tools.cli ARGS`` as a subprocess (real exit codes and streams)."""
    full_env = dict(os.environ)
    full_env.pop("SAMEN_PASSPHRASE", None)
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "abci_app.tools.cli", *args], capture_output=True, text=True,
                          env=full_env, timeout=timeout, input=input)


def samen_in_process(args: list[str], env: dict | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    """Run ``samen ARGS`` through ``main`` in this process, answering like ``samen``; no interpreter start-up.

    For long CLI stories against a node, where ~100 subprocess start-ups would dominate; the
    process boundary itself (exit codes, streams) is covered by the tests that use ``samen``.
    """
    with CliRunner().isolation(input=input, env={"SAMEN_PASSPHRASE": None, **(env or {})}) as (out, err, _):
        try:
            code = main(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        stdout, stderr = out.getvalue().decode(), err.getvalue().decode()
    return subprocess.CompletedProcess(args, code, stdout, stderr)
