"""Per-request series kept as plain ints by the ABCI server's thread and rendered by ``prometheus_client`` at scrape.

``prometheus_client``'s ``Counter.inc`` and ``Histogram.observe`` take a lock and walk
their buckets in Python on every call: one or two calls per transaction cost about 1.4%
of the app's time at saturation.  Here an update is one dict or list increment on the
server's thread, the only writer.  ``Tallies.collect`` runs on the metrics HTTP thread:
it copies each table with ``list()`` (one step under the GIL, so never a table changing
under it) and renders exactly the samples a ``Counter`` (``<name>_total``) or a
``Histogram`` (``_bucket`` with cumulative ``le`` counts, ``_count``, ``_sum``) of the same
name, labels and buckets renders, without the ``_created`` timestamps.  A scrape may see
one series a request ahead of another; counts never go down.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Iterable, Iterator

from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString


class TallyCounter:
    """A labelled counter: ``add(labels)`` counts one more for that label tuple (values rendered with ``str``)."""

    def __init__(self, name: str, documentation: str, labelnames: tuple[str, ...]) -> None:
        self.name, self.documentation, self.labelnames = name, documentation, labelnames
        self.counts: dict[tuple, int] = {}

    def add(self, labels: tuple, amount: int = 1) -> None:
        """Count ``amount`` (>= 0: a counter never goes down) more for ``labels``, one value per label name."""
        counts = self.counts
        counts[labels] = counts.get(labels, 0) + amount

    def family(self) -> Metric:
        """The counter's samples now: one ``<name>_total`` per label tuple seen, in first-seen order."""
        family = CounterMetricFamily(self.name, self.documentation, labels=self.labelnames)
        for labels, value in list(self.counts.items()):
            family.add_metric([str(label) for label in labels], value)
        return family


class TallyHistogram:
    """A histogram with one label: ``observe(label, value)`` puts ``value`` in the first bucket it fits (``le``)."""

    def __init__(self, name: str, documentation: str, labelname: str, buckets: Iterable[float]) -> None:
        self.name, self.documentation, self.labelname = name, documentation, labelname
        self.bounds = tuple(float(b) for b in buckets)
        self.rows: dict[str, list] = {}   # label -> [count in each bucket..., count above the last, sum]

    def observe(self, label: str, value: float) -> None:
        """Count ``value`` for ``label`` in the first bucket whose bound is at least ``value`` and add it to the sum."""
        row = self.rows.get(label)
        if row is None:
            row = self.rows[label] = [0] * (len(self.bounds) + 1) + [0.0]
        row[bisect_left(self.bounds, value)] += 1
        row[-1] += value

    def family(self) -> Metric:
        """The histogram's samples now: cumulative ``_bucket`` counts per ``le``, ``_count`` and ``_sum`` per label."""
        family = HistogramMetricFamily(self.name, self.documentation, labels=[self.labelname])
        edges = [floatToGoString(b) for b in self.bounds] + ["+Inf"]
        for label, row in list(self.rows.items()):
            counts, total, buckets = list(row), 0, []
            for edge, count in zip(edges, counts):
                total += count
                buckets.append((edge, total))
            family.add_metric([label], buckets, counts[-1])
        return family


class Tallies(Collector):
    """The collector that renders a set of tallies (register it in the app's registry)."""

    def __init__(self, *tallies: TallyCounter | TallyHistogram) -> None:
        self.tallies = tallies

    def collect(self) -> Iterator[Metric]:
        """Render every tally (called by ``prometheus_client`` on its HTTP thread at each scrape)."""
        for tally in self.tallies:
            yield tally.family()

    def describe(self) -> Iterator[Metric]:
        """The families this collector renders (the registry checks their names once, at registration)."""
        return self.collect()
