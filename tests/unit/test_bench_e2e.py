"""The end-to-end report's arithmetic: CPU totals, the limiting resource, the ratios and the section text."""

from bench import e2e_report


def figures(tps: float, app: float | None, cometbft: float, client: float, p50: float = 500.0) -> dict:
    cpu = {"cometbft": cometbft, "client": client}
    if app is not None:
        cpu["app"] = app
    f = {"tps": tps, "p50_ms": p50, "p99_ms": 2 * p50, "cpu_s_per_1000": cpu, "block_ms": 110.0,
         "txs_per_block": 300.0}
    f["limit"] = e2e_report.limit(f, 2)
    return f


def a_setting(timeout_commit: str = "100ms") -> dict:
    setting = {"timeout_commit": timeout_commit, "load_before": 3.0, "load_after": 4.0,
               "A": {"saturation": figures(2_000, 0.45, 0.3, 0.1, 900)},
               "B": {"saturation": figures(4_000, 0.02, 0.3, 0.1, 600)}}
    for share in (50, 80):
        setting["A"][f"at_{share}pct"] = figures(1_000, 0.4, 0.45, 0.1, 800)
        setting["B"][f"at_{share}pct"] = figures(1_000, 0.03, 0.5, 0.1, 400)
    return setting


def test_total_cpu_adds_every_process_and_skips_missing_ones():
    assert e2e_report.total_cpu(figures(1, 0.4, 0.45, 0.1)) == 0.4 + 0.45 + 0.1
    assert e2e_report.total_cpu({"cpu_s_per_1000": {"cometbft": 0.25, "client": 0.1, "app": float("nan")}}) == 0.35


def test_the_limit_is_the_app_when_it_fills_one_core_else_the_cores_else_the_cadence():
    assert e2e_report.limit(figures(2_000, 0.45, 0.1, 0.05), 2).startswith("app process")   # 0.9 of a core
    assert e2e_report.limit(figures(2_000, 0.3, 0.4, 0.2), 2).startswith("CPU")             # 1.8 of 2 cores
    assert e2e_report.limit(figures(1_000, 0.0, 0.05, 0.9), 2) == "load generator"
    assert e2e_report.limit(figures(500, 0.3, 0.3, 0.1), 2).startswith("block cadence")


def test_the_ratios_compare_a_with_b_in_the_same_setting():
    r = e2e_report.ratios(a_setting())
    assert r["tps_A/B"] == 0.5 and r["p50_at_50pct_A/B"] == 2.0 and r["p99_at_80pct_A/B"] == 2.0


def test_the_saturation_rate_is_the_best_of_the_closed_loop_and_the_overload_runs():
    setting = a_setting()
    setting["A"]["at_100pct_closed"] = figures(2_600, 0.4, 0.3, 0.1, 1_500)   # open loop beats the closed loop
    setting["A"]["at_125pct_closed"] = figures(2_400, 0.4, 0.3, 0.1, 2_500)
    setting["B"]["at_125pct_closed"] = figures(3_900, 0.02, 0.3, 0.1, 300)    # not above B's closed loop
    setting["A"]["at_50pct"] = figures(2_700, 0.4, 0.3, 0.1, 800)             # latency runs do not count
    assert e2e_report.saturation_rate(setting["A"]) == 2_600 and e2e_report.saturation_rate(setting["B"]) == 4_000
    assert e2e_report.ratios(setting)["tps_A/B"] == 0.65
    text = e2e_report.section({"settings": [setting], "tx_bytes": 168, "txs": 100, "connections": 4,
                               "mempool_size": 50_000, "backpressure": "auto", "cores": 2}, "python -m bench.e2e")
    assert "| 100ms | A | offered 100% of B's closed-loop rate | 2,600 |" in text
    assert "| 2,600 | 4,000 | 0.65 |" in text


def test_the_section_lists_every_run_marks_a_busy_client_and_judges_the_floors_at_100ms():
    setting = a_setting()
    setting["B"]["saturation"] = figures(4_000, 0.02, 0.3, 0.2)   # the client uses 0.8 of 2 cores: over 25%
    report = {"settings": [a_setting("1s"), setting], "tx_bytes": 168, "txs": 100, "connections": 4,
              "mempool_size": 50_000, "backpressure": "auto", "cores": 2}
    text = e2e_report.section(report, "python -m bench.e2e --txs 100")
    assert text.startswith(e2e_report.SECTION_START) and text.endswith(e2e_report.SECTION_END)
    assert text.count("| 100ms | A |") == 3 and text.count("| 1s | B |") == 3
    assert "| 40% (over) |" in text and text.count("(over)") == 1
    assert "saturation rate A/B = **0.50** (not met, floor 0.8)" in text
    assert "p50 at 50% of B's saturation A/B = **2.00** (not met, floor 1.5)" in text
