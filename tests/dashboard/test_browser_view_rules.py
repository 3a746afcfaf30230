"""Rules of the views a new user found wrong, run in Debian's Chromium on the page's own modules
(served by the static server, no devnet): a chain that makes an empty block only every 30 s is not
called stalled after 31 s idle; whole-number charts get whole-number ticks."""

from __future__ import annotations

from tests.dashboard.test_browser_signer import page  # noqa: F401  (the module page fixture: a same-origin document)


def test_an_idle_chain_with_an_empty_block_interval_is_not_called_stalled_before_twice_that(page):
    got = page.evaluate("""async () => {
      const { stallSeconds } = await import('/js/stall.js');
      return { devnet: stallSeconds(1000, 30), never: stallSeconds(1000, 0), busy: stallSeconds(200, null),
               slow: stallSeconds(6000, null) };
    }""")
    assert got["devnet"] > 31 and got["devnet"] >= 60      # make run's devnet: an empty block every 30 s
    assert got["never"] is None                             # no empty blocks at all: never stalled from time alone
    assert got["busy"] == 15 and got["slow"] == 65          # 10x the average block time, at least 15 s


def test_a_chart_of_whole_numbers_has_whole_evenly_spaced_ticks(page):
    ticks = page.evaluate("""async () => {
      const { barChart } = await import('/js/charts.js');
      const out = [];
      for (const values of [[0, 3, 7, 10], [1], [2, 5], [0, 0], [13, 999]]) {
        const fig = barChart({ id: 't', title: 't', categories: values.map(String), series: [{ name: 'n', values }] });
        out.push([...fig.querySelectorAll('text.tick[text-anchor=end]')].map((t) => t.textContent));
      }
      return out;
    }""")
    for labels in ticks:
        numbers = [float(x) for x in labels]
        assert all(n == int(n) for n in numbers), labels
        steps = {numbers[i + 1] - numbers[i] for i in range(len(numbers) - 1)}
        assert len(steps) == 1 and steps.pop() >= 1, labels
