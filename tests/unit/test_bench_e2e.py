"""The side-by-side report's arithmetic: CPU totals, the throughput floor's CPU budget, the section text."""

from bench import e2e


def figures(tps: float, app: float | None, cometbft: float, client: float, p50: float = 500.0) -> dict:
    cpu = {"cometbft": cometbft, "client": client}
    if app is not None:
        cpu["app"] = app
    return {"tps": tps, "p50_ms": p50, "p99_ms": 2 * p50, "cpu_s_per_1000": cpu}


def a_round() -> dict:
    row = {"verify_per_s": 10_000.0,
           "A": {"saturation": figures(2_000, 0.4, 0.45, 0.1, 900)},
           "B": {"saturation": figures(4_000, 0.02, 0.38, 0.1, 600)},
           "B-builtin": {"saturation": figures(4_000, None, 0.25, 0.1)}}
    for share in (50, 80):
        row["A"][f"at_{share}pct"] = figures(1_500, 0.4, 0.45, 0.1, 800)
        row["B"][f"at_{share}pct"] = figures(2_000, 0.03, 0.5, 0.1, 640)
    return row


def test_total_cpu_adds_every_process_and_skips_missing_ones():
    assert e2e.total_cpu(figures(1, 0.4, 0.45, 0.1)) == 0.4 + 0.45 + 0.1
    assert e2e.total_cpu({"cpu_s_per_1000": {"cometbft": 0.25, "client": 0.1, "app": float("nan")}}) == 0.35


def test_the_app_allowance_is_what_is_left_of_b_over_0_8_after_as_client_and_cometbft():
    b = e2e.budget([a_round(), a_round()])
    assert b["b_total_cpu_s_per_1000"] == 0.5
    assert b["app_allowance_for_0.8_cpu_s_per_1000"] == round(0.5 / 0.8 - 0.55, 3)
    assert b["verify_cpu_s_per_1000"] == 0.1
    assert b["a_cpu_busy"] == round(0.95 * 2_000 / 1000 / (e2e.os.cpu_count() or 1), 2)


def test_the_section_lists_every_run_the_ratios_and_the_budget():
    rounds = [a_round()]
    report = {"rounds": rounds, "ratios": e2e.ratios(rounds), "budget": e2e.budget(rounds), "tx_bytes": 168,
              "txs": 100, "connections": 4, "transport": "ws", "timeout_commit": "1s"}
    text = e2e.section(report, "python -m bench.e2e --txs 100")
    assert text.startswith(e2e.SECTION_START) and text.endswith(e2e.SECTION_END)
    assert text.count("| 1 | A |") == 3 and text.count("| 1 | B |") == 3 and text.count("| 1 | B-builtin |") == 1
    assert "| tps_saturation_A/B | 0.50 (0.50..0.50) |" in text
    assert "leaves the app **0.075** (75 µs per transaction)" in text


def test_the_sweep_marks_rates_a_contender_did_not_sustain():
    point = {"share": 0.5, "rate": 2_000.0, "A": {**figures(1_500, 0.4, 0.45, 0.1, 900), "sent": 20_000,
                                                  "committed": 15_000, "mempool_max": 5_000},
             "B": {**figures(1_990, 0.02, 0.5, 0.1), "sent": 20_000, "committed": 20_000, "mempool_max": 2_500}}
    assert not e2e.sustained(point, "A") and e2e.sustained(point, "B")
    lines = e2e.sweep_lines([point])
    assert "| 2,000 (50%) | 1,500 (not sustained) | 900 | 1,990 | 500 |" in lines
    assert "* highest sustained offered rate, A: none" in lines
    assert "* highest sustained offered rate, B: 2,000 tx/s" in lines
    assert e2e.sweep_lines([]) == []
