"""The plain-int tallies (``abci_app.adapter.metrics_tally``) render exactly what prometheus_client's own
Counter and Histogram render for the same updates, except the ``_created`` timestamps."""

from __future__ import annotations

from hypothesis import given, strategies as st
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

from abci_app.adapter.metrics import SECONDS
from abci_app.adapter.metrics_tally import Tallies, TallyCounter, TallyHistogram

METHODS = st.sampled_from(["check_tx", "finalize_block", "commit"])
SECONDS_VALUES = st.one_of(st.sampled_from([0.0, *SECONDS]), st.floats(0, 20, allow_nan=False))
LABELS = st.tuples(st.sampled_from(["ok", "sdk", "samen"]), st.integers(0, 40))


def rendered(registry: CollectorRegistry) -> list[str]:
    return [line for line in generate_latest(registry).decode().splitlines() if "_created" not in line]


@given(st.lists(st.tuples(METHODS, SECONDS_VALUES), max_size=40), st.lists(LABELS, max_size=40))
def test_tallies_render_the_same_samples_as_prometheus_counters_and_histograms(observations, counted):
    ours, theirs = CollectorRegistry(), CollectorRegistry()
    histogram = TallyHistogram("samen_x_seconds", "time", "method", SECONDS)
    counter = TallyCounter("samen_x_txs", "txs", ("codespace", "code"))
    ours.register(Tallies(histogram, counter))
    their_histogram = Histogram("samen_x_seconds", "time", ["method"], buckets=SECONDS, registry=theirs)
    their_counter = Counter("samen_x_txs", "txs", ["codespace", "code"], registry=theirs)
    for method, seconds in observations:
        histogram.observe(method, seconds)
        their_histogram.labels(method).observe(seconds)
    for codespace, code in counted:
        counter.add((codespace, code))
        their_counter.labels(codespace, str(code)).inc()
    assert rendered(ours) == rendered(theirs)
