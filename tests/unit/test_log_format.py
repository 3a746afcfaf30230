"""Every Samen process logs JSON lines with level and component; `samen start` quiets CometBFT by app.toml."""

from __future__ import annotations

import json
import logging

import pytest

from abci_app.adapter import logs
from abci_app.adapter.settings import APP_TOML, Settings, render
from abci_app.tools.node import loglines, run


def test_a_record_is_one_json_line_with_level_component_logger_and_message():
    formatter = logs.JsonLines("abci")
    record = logging.LogRecord("samen.upgrade", logging.WARNING, __file__, 1, "upgrade %s at %d", ("v2", 7), None)
    doc = json.loads(formatter.format(record))
    assert {k: doc[k] for k in ("level", "component", "logger", "msg")} == {
        "level": "warning", "component": "abci", "logger": "samen.upgrade", "msg": "upgrade v2 at 7"}


def test_an_exception_travels_in_the_same_line():
    formatter = logs.JsonLines("abci")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys
        record = logging.LogRecord("samen.abci", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    line = formatter.format(record)
    assert "\n" not in line and "RuntimeError: boom" in json.loads(line)["exc"]


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="json or text"):
        logs.configure("abci", "info", "xml")


def test_samen_start_runs_cometbft_at_the_app_toml_level(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "find_binary", lambda: "cometbft")
    (tmp_path / "config").mkdir()
    assert run.cometbft_argv(tmp_path)[-2:] == ["--log_level", "consensus:info,state:info,*:error"]
    (tmp_path / APP_TOML).write_text(render(Settings(home=tmp_path, log_cometbft="")))
    assert run.cometbft_argv(tmp_path) == ["cometbft", "start", "--home", str(tmp_path)]


def test_every_kind_of_child_line_becomes_one_json_record_with_its_component():
    comet = '{"level":"info","ts":"2026-12-03T14:00:00.123456789Z","_msg":"finalized block","module":"state","msg":"x"}'
    app = json.dumps({"ts": 1.5, "level": "warning", "component": "abci", "logger": "samen.app", "msg": "slow"})
    text = "2026-12-03 14:00:00,123 ERROR samen.store: disk full"
    records = [json.loads(loglines.structured(name, line)) for name, line in
               (("cometbft", comet), ("abci", app), ("abci", text), ("abci", "Traceback (most recent call last):"))]
    assert records[0] == {"ts": 1796306400.123, "level": "info", "component": "cometbft", "logger": "cometbft.state",
                          "msg": "finalized block", "detail": "x"}
    assert records[1] == {"ts": 1.5, "level": "warning", "component": "abci", "logger": "samen.app", "msg": "slow"}
    assert (records[2]["level"], records[2]["logger"], records[2]["msg"]) == ("error", "samen.store", "disk full")
    assert (records[3]["level"], records[3]["raw"], records[3]["component"]) == ("error", True, "abci")
    assert all(set(r) >= {"ts", "level", "component", "logger", "msg"} for r in records)
