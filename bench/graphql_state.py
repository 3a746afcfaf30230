"""A large collaboration state for ``bench.graphql``: at least ``agreements`` agreements, built block by block.

Every agreement is made by signed transactions executed through ``LedgerApp``
(FinalizeBlock + Commit), so state, block and transaction records and the
secondary indexes are exactly what a node writes.  The actors: ``requesters``
who pay, ``providers`` who each publish two standing offers (a fast one, due in
two days, and a long one, due in 700 days), ``arbiters`` named in the offers, and
``idle`` funded accounts that never act (the throughput phase's senders).

Per block (12 hours of block time apart), ``per_block`` agreements are started:
nine in ten by taking a standing offer (one transaction), one in ten through the
market (a request, two offers one block later, the first accepted the block after).
What happens next depends on the agreement (``plan``): fast agreements are
completed, released in silence, broken, arbitrated, defaulted or cancelled; most
long ones stay open, a few are delivered, disputed or have a cancel proposed.
Follow-up transactions go into the next blocks; windows that end in silence are
settled by the app's own end-of-block hook.  A tail of empty blocks, one per day
for 33 days, lets every fast agreement settle, so the state ends with settled
agreements spread over two months of friction figures and only long agreements
open (due in about two years: a node started on an export of this state has
nothing to settle).

Ids are predicted from the chain's counters; every transaction must succeed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from abci_app.chain import addresses, txcodec
from abci_app.chain.domain.agreements.messages import (AcceptMilestone, CancelAgreement, DeliverMilestone,
                                                 DisputeMilestone, ResolveDispute)
from abci_app.chain.domain.market.messages import AcceptOffer, MakeOffer, PostRequest, PublishStandingOffer, TakeStandingOffer

CHAIN_ID = "bench-graphql"
START = 1_785_000_000          # 2026-07-25: the built history ends about 3 months later
STEP = 12 * 3600               # block time between blocks
DAY = 86_400
TAIL_DAYS = 33                 # > reclaim window (30 days) + a fast deadline (2 days)
FAST, LONG = 2 * DAY, 700 * DAY
TAGS = ("first-aid", "translation", "carpentry", "design", "legal", "bookkeeping", "plumbing", "tutoring")
BALANCE = 10**12


@dataclass(frozen=True)
class Shape:
    """The parameters of a built state (and of its cache key)."""

    agreements: int = 100_000
    requesters: int = 200
    providers: int = 400
    arbiters: int = 20
    per_block: int = 1_000
    idle: int = 30_000

    def key(self, code: str = "") -> str:
        """The cache key: these parameters and ``code`` (a digest of the app's and this builder's source)."""
        doc = {**asdict(self), "code": code}
        return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:16]


class Key:
    """A signing key kept decoded (``Signer`` re-derives the key on every signature)."""

    def __init__(self, label: bytes) -> None:
        self._key = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"bench-graphql/" + label).digest())
        self.public_key = self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.address = addresses.from_public_key(self.public_key)
        self.sequence = 0

    def sign(self, action) -> bytes:
        body = txcodec.encode_body(chain_id=CHAIN_ID, public_key=self.public_key, sequence=self.sequence,
                                 action=action, fee=0, fee_payer="")
        self.sequence += 1
        return txcodec.encode_tx(body, self._key.sign(txcodec.sign_bytes(body)))


@dataclass
class Actors:
    requesters: list[Key]
    providers: list[Key]
    arbiters: list[Key]
    idle: list[Key]

    @classmethod
    def of(cls, shape: Shape) -> "Actors":
        make = lambda role, n: [Key(b"%s/%d" % (role, i)) for i in range(n)]  # noqa: E731
        return cls(make(b"requester", shape.requesters), make(b"provider", shape.providers),
                   make(b"arbiter", shape.arbiters), make(b"idle", shape.idle))

    def genesis(self) -> dict:
        funded = self.requesters + self.providers + self.arbiters + self.idle
        return {"accounts": [{"address": k.address, "balance": BALANCE} for k in funded]}


# What happens to an agreement after it is made, by ``spread(id) % 20``: fast ones all settle
# (half completed), long ones mostly stay open.
FAST_PLAN = ("completed",) * 10 + ("released",) * 3 + ("broken",) * 2 + ("arbitrated",) * 2 + \
    ("defaulted", "cancelled", "cancelled")
LONG_PLAN = ("open",) * 16 + ("delivered", "delivered", "disputed", "cancel_proposed")


def spread(n: int) -> int:
    """Return a well-mixed 32-bit hash of ``n``, so choices made from it do not line up with each other."""
    for _ in range(2):
        n = ((n ^ (n >> 16)) * 0x45D9F3B) & 0xFFFFFFFF
    return n ^ (n >> 16)


def plan(agreement_id: int, fast: bool) -> str:
    """Return what happens to an agreement after it is made (deterministic in its id)."""
    return (FAST_PLAN if fast else LONG_PLAN)[spread(agreement_id) % 20]


def follow_ups(outcome: str, agreement_id: int, requester: Key, provider: Key, arbiter: Key) -> list[list[tuple]]:
    """Return the (key, action) steps of ``outcome`` for the next blocks: [block + 1, block + 2]."""
    proof = hashlib.sha256(b"delivery %d" % agreement_id).digest()
    deliver = (provider, DeliverMilestone(agreement_id, 0, proof))
    steps = {
        "completed": [[deliver], [(requester, AcceptMilestone(agreement_id, 0))]],
        "released": [[deliver], []],
        "delivered": [[deliver], []],
        "arbitrated": [[deliver], [(requester, DisputeMilestone(agreement_id, 0)),
                                   (arbiter, ResolveDispute(agreement_id, 0, 6_000))]],
        "defaulted": [[deliver], [(requester, DisputeMilestone(agreement_id, 0))]],
        "disputed": [[deliver], [(requester, DisputeMilestone(agreement_id, 0))]],
        # a new agreement is at revision 1; the proposal stores revision 2, which the confirmation names
        "cancelled": [[(requester, CancelAgreement(agreement_id, 1))], [(provider, CancelAgreement(agreement_id, 2))]],
        "cancel_proposed": [[(provider, CancelAgreement(agreement_id, 1))], []],
    }
    return steps.get(outcome, [[], []])


@dataclass
class Workload:
    """Builds each block's signed transactions and predicts the ids the chain assigns."""

    shape: Shape
    actors: Actors
    started: int = 0                     # agreements started (made, or requested)
    made: int = 0                        # agreement ids assigned so far
    requests: int = 0
    offers: int = 0
    later: dict = field(default_factory=lambda: defaultdict(list))   # block -> [(key, action)]
    creating: dict = field(default_factory=lambda: defaultdict(list))  # block -> [(key, action, fast, provider)]

    def first_block(self) -> list[bytes]:
        """Every provider publishes a fast and a long standing offer (ids 2p+1 and 2p+2)."""
        txs = []
        for p, provider in enumerate(self.actors.providers):
            arbiter = self.actors.arbiters[p % len(self.actors.arbiters)].address
            tags = tuple(sorted({TAGS[p % len(TAGS)], TAGS[(p * 3 + 1) % len(TAGS)]}))
            for title, seconds in (("quick job", FAST), ("long engagement", LONG)):
                txs.append(provider.sign(PublishStandingOffer(f"{title} {p}", "", tags, 100 + (p * 37) % 1900,
                                                              seconds, arbiter=arbiter)))
        return txs

    @property
    def done(self) -> bool:
        return self.started >= self.shape.agreements and not self.later and not self.creating

    def block(self, height: int, now: int) -> list[bytes]:
        """Return block ``height``'s transactions: follow-ups, accepted offers, then new agreements and requests."""
        txs = [key.sign(action) for key, action in self.later.pop(height, [])]
        for key, action, fast, provider in self.creating.pop(height, []):
            txs.append(key.sign(action))
            self._made(height, key, provider, fast)
        count = min(self.shape.per_block, self.shape.agreements - self.started)
        for i in range(self.started, self.started + count):
            requester = self.actors.requesters[i % len(self.actors.requesters)]
            p = spread(i + (1 << 24)) % len(self.actors.providers)
            fast = spread(i) % 5 < 2
            if spread(i + (2 << 24)) % 10 == 0:
                txs.append(self._request(height, now, requester, p, fast))
                continue
            txs.append(requester.sign(TakeStandingOffer(2 * p + 1 + (not fast))))
            self._made(height, requester, p, fast)
        self.started += count
        return txs

    def _made(self, height: int, requester: Key, p: int, fast: bool) -> None:
        self.made += 1
        provider = self.actors.providers[p]
        arbiter = self.actors.arbiters[p % len(self.actors.arbiters)]
        steps = follow_ups(plan(self.made, fast), self.made, requester, provider, arbiter)
        for offset, step in enumerate(steps, start=1):
            if step:
                self.later[height + offset].extend(step)

    def _request(self, height: int, now: int, requester: Key, p: int, fast: bool) -> bytes:
        """Post a request now; two providers offer next block; the first offer is accepted the block after."""
        self.requests += 1
        tags = (TAGS[p % len(TAGS)],)
        posted = requester.sign(PostRequest(f"request {self.requests}", "", tags, 5_000, now + 10 * DAY))
        second = (p + 1) % len(self.actors.providers)
        arbiter = self.actors.arbiters[p % len(self.actors.arbiters)].address
        deadline = now + STEP + (FAST if fast else LONG)
        for q in (p, second):
            self.later[height + 1].append((self.actors.providers[q], MakeOffer(
                self.requests, 200 + q % 800, deadline, arbiter=arbiter if q == p else "")))
        self.offers += 2
        self.creating[height + 2].append((requester, AcceptOffer(self.offers - 1), fast, p))
        return posted


def build(store_dir, shape: Shape, progress=print) -> dict:
    """Fill ``store_dir`` through ``LedgerApp``; return what was built."""
    from abci_app.adapter.app import LedgerApp
    from abci_app.adapter.storage.store import Store

    started = time.perf_counter()
    actors = Actors.of(shape)
    work = Workload(shape, actors)
    app = LedgerApp(Store(store_dir, map_size=64 << 30))
    app.init_chain(CHAIN_ID, json.dumps(actors.genesis()).encode())
    height, now, txs_total = 1, START + STEP, 0
    txs_total += _commit(app, height, now, work.first_block())
    while not work.done:
        height, now = height + 1, now + STEP
        txs_total += _commit(app, height, now, work.block(height, now))
        if height % 10 == 0:
            progress(f"bench-graphql: block {height}, {work.made:,} agreements, {txs_total:,} txs, "
                     f"{time.perf_counter() - started:.0f} s")
    for _ in range(TAIL_DAYS):
        height, now = height + 1, now + DAY
        txs_total += _commit(app, height, now, [])
    app.close()
    app.store.close()
    return {"agreements": work.made, "requests": work.requests, "transactions": txs_total, "height": height,
            "last_block_time": now, "build_seconds": round(time.perf_counter() - started, 1)}


def _commit(app, height: int, now: int, txs: list[bytes]) -> int:
    result = app.finalize_block(height, now, b"\x01" * 20, txs, hashlib.sha256(b"%d" % height).digest())
    app.commit()
    bad = [(t.codespace, t.code, t.log) for t in result.txs if not t.ok]
    assert not bad, f"bench-graphql workload transaction rejected at height {height}: {bad[:3]}"
    return len(txs)


def source_digest() -> str:
    """Return a digest of the app's source (``abci_app/**/*.py``) and of this module: either changed rebuilds."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent
    for path in sorted((root / "abci_app").rglob("*.py")) + [Path(__file__).resolve()]:
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def cached(shape: Shape, root: Path, rebuild: bool = False, progress=print) -> tuple[Path, dict]:
    """Return ``(home, summary)`` of a built state under ``root``, building it first if needed.

    The state lives in ``root/state-<key>/data/samen`` (a node home's layout), keyed by the
    shape and the source (``source_digest``).  A build goes to a temporary folder that is
    renamed when complete, so an interrupted build is never reused.  Other states under
    ``root`` are removed when a new one is built (each takes a few GB).
    """
    code = source_digest()
    home = root / f"state-{shape.key(code)}"
    summary_file = home / "built.json"
    if summary_file.exists() and not rebuild:
        summary = json.loads(summary_file.read_text())
        return home, {**summary, "cached": True}
    root.mkdir(parents=True, exist_ok=True)
    for old in root.glob("state-*"):
        shutil.rmtree(old, ignore_errors=True)
    partial = root / f"partial-{shape.key(code)}"
    shutil.rmtree(partial, ignore_errors=True)
    summary = {**build(partial / "data" / "samen", shape, progress), "shape": asdict(shape), "code": code}
    (partial / "built.json").write_text(json.dumps(summary, indent=2) + "\n")
    partial.rename(home)
    return home, {**summary, "cached": False}
