"""The end-to-end benchmark's arithmetic and its BENCHMARKS.md section (``bench.e2e`` runs, this reports).

``limit`` names the resource that limits a run from its own figures; ``section`` renders
every setting's runs, the A/B ratios of one run per setting, and the checks (the load
generator's CPU share, the floors at ``timeout_commit = 100ms``).
"""

from __future__ import annotations

from pathlib import Path

SECTION_START, SECTION_END = "<!-- e2e:start -->", "<!-- e2e:end -->"
CLIENT_SHARE_LIMIT = 0.25   # the load generator may use at most this share of the machine's cores
BUSY = 0.85                 # a process or the machine counts as saturated from this share on
FLOORS = {"tps_A/B": 0.8, "p50_at_50pct_A/B": 1.5}   # at timeout_commit = 100ms (issue 19)
OVERLOAD_SHARES = (100, 125)   # open-loop runs at these shares of B's closed-loop rate (``bench.e2e``)
PHASES = (("saturation", "as fast as accepted"),
          *((f"at_{share}pct_closed", f"offered {share}% of B's closed-loop rate") for share in OVERLOAD_SHARES),
          ("at_50pct", "at 50% of B's saturation"), ("at_80pct", "at 80% of B's saturation"))
SATURATION_PHASES = ("saturation", *(f"at_{share}pct_closed" for share in OVERLOAD_SHARES))


def cores_used(figures: dict) -> dict[str, float]:
    """Cores each process kept busy during the run: CPU seconds per committed transaction x rate."""
    return {name: per_1000 * figures["tps"] / 1000 for name, per_1000 in figures["cpu_s_per_1000"].items()
            if per_1000 == per_1000}   # NaN: no such process


def total_cpu(figures: dict) -> float:
    """CPU seconds per 1,000 committed transactions, all processes of the run."""
    return sum(v for v in figures["cpu_s_per_1000"].values() if v == v)


def limit(figures: dict, cores: int) -> str:
    """The resource that limits a run, judged from its own figures.

    The app is single-threaded Python: at ``BUSY`` of one core it is the limit.  Otherwise,
    all processes together at ``BUSY`` of the machine: the cores.  Otherwise the load
    generator, if it is at ``BUSY`` of a core.  Otherwise the node waits for the block cadence
    (``timeout_commit``) or for the sender (a fixed-rate run).
    """
    used = cores_used(figures)
    if used.get("app", 0.0) >= BUSY:
        return f"app process (one core, {used['app']:.2f} busy)"
    if sum(used.values()) >= BUSY * cores:
        return f"CPU ({sum(used.values()):.2f} of {cores} cores busy)"
    if used.get("client", 0.0) >= BUSY:
        return "load generator"
    return f"block cadence / offered rate (cores {sum(used.values()) / cores:.0%} busy)"


def client_share(figures: dict, cores: int) -> float:
    return cores_used(figures).get("client", 0.0) / cores


def saturation_rate(runs: dict) -> float:
    """A contender's saturation rate: the highest committed rate of its closed-loop and overload runs."""
    return max(runs[phase]["tps"] for phase in SATURATION_PHASES if phase in runs)


def ratios(setting: dict) -> dict[str, float]:
    """A/B of one setting (one run each): saturation rate, p50 and p99 at 50% and 80% of B's saturation."""
    def r(phase: str, key: str) -> float:
        a, b = setting["A"][phase][key], setting["B"][phase][key]
        return round(a / b, 2) if b else float("nan")

    a_sat, b_sat = saturation_rate(setting["A"]), saturation_rate(setting["B"])
    return {"tps_A/B": round(a_sat / b_sat, 2) if b_sat else float("nan"), "p50_at_50pct_A/B": r("at_50pct", "p50_ms"),
            "p50_at_80pct_A/B": r("at_80pct", "p50_ms"), "p99_at_50pct_A/B": r("at_50pct", "p99_ms"),
            "p99_at_80pct_A/B": r("at_80pct", "p99_ms")}


def run_row(timeout_commit: str, kind: str, label: str, f: dict, cores: int) -> str:
    cpu = f["cpu_s_per_1000"]
    share = client_share(f, cores)
    flag = "" if share <= CLIENT_SHARE_LIMIT else " (over)"
    return (f"| {timeout_commit} | {kind} | {label} | {f['tps']:,.0f} | {f['block_ms']:,.0f} | {f['txs_per_block']:,.0f} | "
            f"{f['p50_ms']:,.0f} | {f['p99_ms']:,.0f} | {cpu.get('app', float('nan')):.3f} | "
            f"{cpu.get('cometbft', float('nan')):.3f} | {cpu.get('client', float('nan')):.3f} | {total_cpu(f):.3f} | "
            f"{share:.0%}{flag} | {f['limit']} |")


def section(report: dict, command: str) -> str:
    """The BENCHMARKS.md section of a report: every run per setting, the ratios, the checks."""
    from bench.inprocess import machine

    m, cores = machine(), report["cores"]
    lines = [SECTION_START, "## End to end: Samen next to CometBFT's kvstore — `make bench-e2e`", "",
             f"Command: `{command}`. Machine: {m['nproc']} CPUs, {m['cpu']}; commit `{m['commit']}`; CometBFT "
             f"{m['cometbft']}; client, node and app share the cores. One fresh single-validator home per run "
             f"(identical `config.toml` and genesis, mempool size {report['mempool_size']:,}); {report['txs']:,} "
             f"transactions of {report['tx_bytes']} bytes per saturation run over {report['connections']} pipelined "
             f"websocket connections; back-pressure mark {report['backpressure']} (auto: twice the largest block seen, "
             "at least 2,000). Commits and latencies are read from the chain. CPU columns: seconds per 1,000 committed "
             f"transactions; `client` is the load generator, whose share of the machine must stay at or below "
             f"{CLIENT_SHARE_LIMIT:.0%}.", "",
             "| timeout_commit | contender | load | committed tx/s | block ms | txs/block | p50 ms | p99 ms | app CPU "
             "| cometbft CPU | client CPU | total CPU | client share | limited by |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for s in report["settings"]:
        for kind in ("A", "A-inline", "B", "B-builtin"):
            for phase, label in PHASES:
                if phase in s.get(kind, {}):
                    lines.append(run_row(s["timeout_commit"], kind, label, s[kind][phase], cores))
    lines += ["", "Saturation rate: the highest committed rate of a contender's closed-loop and overload runs.", "",
              "| timeout_commit | load average (1 min) | A saturation tx/s | B saturation tx/s | A/B saturation "
              "| p50 at 50% | p50 at 80% | p99 at 50% | p99 at 80% |", "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for s in report["settings"]:
        r = ratios(s)
        lines.append(f"| {s['timeout_commit']} | {s['load_before']:.1f} → {s['load_after']:.1f} | "
                     f"{saturation_rate(s['A']):,.0f} | {saturation_rate(s['B']):,.0f} | {r['tps_A/B']:.2f} | "
                     f"{r['p50_at_50pct_A/B']:.2f} | {r['p50_at_80pct_A/B']:.2f} | {r['p99_at_50pct_A/B']:.2f} | "
                     f"{r['p99_at_80pct_A/B']:.2f} |")
    lines += ["", *floor_lines(report), SECTION_END]
    return "\n".join(lines)


def floor_lines(report: dict) -> list[str]:
    """The floors at 100 ms blocks, met or not, from the one run of that setting."""
    fast = [s for s in report["settings"] if s["timeout_commit"] == "100ms"]
    if not fast:
        return ["Floors: no `timeout_commit = 100ms` setting in this run."]
    r = ratios(fast[0])
    tps, p50 = r["tps_A/B"], r["p50_at_50pct_A/B"]
    return [f"Floors at `timeout_commit = 100ms` (one run): saturation rate A/B = **{tps:.2f}** "
            f"({'met' if tps >= FLOORS['tps_A/B'] else 'not met'}, floor {FLOORS['tps_A/B']}); p50 at 50% of B's "
            f"saturation A/B = **{p50:.2f}** ({'met' if p50 <= FLOORS['p50_at_50pct_A/B'] else 'not met'}, "
            f"floor {FLOORS['p50_at_50pct_A/B']})."]


def write_section(text: str, start: str = SECTION_START, end: str = SECTION_END) -> None:
    """Replace the text between ``start`` and ``end`` in BENCHMARKS.md (append it if they are missing)."""
    path = Path(__file__).resolve().parents[1] / "BENCHMARKS.md"
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if start in old and end in old:
        head, rest = old.split(start, 1)
        new = head + text + rest.split(end, 1)[1]
    else:
        new = old.rstrip("\n") + "\n\n" + text + "\n"
    path.write_text(new, encoding="utf-8")
