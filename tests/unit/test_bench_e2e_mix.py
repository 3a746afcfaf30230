"""The end-to-end mix takes each cohort's ids from the order the chain executed a phase."""

from bench.e2e_mix import E2EMix


def test_ids_follow_the_execution_order_per_kind_and_offers_count_both_providers():
    mix = E2EMix(2)
    first, second = mix.cohorts
    txs, owners = mix.phase(3, now=1_700_000_000)        # offers (P1, P2) and votes, per cohort
    assert len(txs) == 8 and [kind for _, kind, _ in owners].count("MakeOffer") == 4
    p1_second, p2_first = owners.index((second, "MakeOffer", "offer")), owners.index((first, "MakeOffer", None))
    p1_first = owners.index((first, "MakeOffer", "offer"))
    others = [i for i in range(len(owners)) if i not in (p1_second, p2_first, p1_first)]
    mix.take_ids(owners, [p1_second, p2_first, p1_first] + others)   # the chain ran cohort 2's offer first
    assert (second.offer, first.offer) == (1, 3)


def test_the_transfer_baseline_has_the_same_signers_and_count_as_the_mix():
    mix, baseline = E2EMix(3), E2EMix(3)
    txs, owners = mix.phase(2, now=1_700_000_000)
    same, _ = baseline.phase(2, now=1_700_000_000, as_transfer=True)
    assert len(same) == len(txs) == 12 and mix.sequences == baseline.sequences
