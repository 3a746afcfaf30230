"""Organization-tool benchmark: a delegated tally at 1,000 members and a block of 10,000 stream claims.

    python -m bench.orgtools [--members 1000] [--streams 10000] [--repeat 1] [--no-write]

The tally is also run at 100 members (the ledger's cap), so the per-vote figures at the
two sizes show whether a vote's cost grows with the organization (it should not).

Both run the real ledger in-process (``LedgerApp`` over LMDB, FinalizeBlock + Commit,
signature cache warm as on a validator); every transaction is signed before timing.

* **Tally.**  An organization of ``--members`` members (the ledger caps organizations
  at 100 members, ``organizations.state.MAX_MEMBERS``; the benchmark lifts the cap to
  show how the tally scales), where every member delegates (a random forest of chains,
  some per tag), so ``--members`` delegations.  Timed: the block that submits the
  proposal (the delegation snapshot) and the block in which every member votes (each
  vote moves delegated weight incrementally), plus the pure recount of the snapshot.
* **Claims.**  ``--streams`` streams, each already fully accrued; timed: the one block
  in which all of them are claimed (each claim pays the recipient from the reserve).

Each figure is the median of ``--repeat`` rounds; results go to the "Organization
tools" section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from abci_app.adapter.app import LedgerApp
from abci_app.chain import auth, txcodec
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.delegation import state as delegations, tally
from abci_app.chain.domain.delegation.messages import DelegateVote
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.organizations.messages import THRESHOLD, CreateOrganization, OrgMember, OrgPolicy
from abci_app.chain.domain.proposals import state as proposals
from abci_app.chain.domain.proposals.messages import SubmitProposal, Vote
from abci_app.chain.domain.streams.messages import ClaimStream, CreateStream
from abci_app.tools.client.signer import Signer
from abci_app.adapter.storage.store import Store
from bench.inprocess import CHAIN_ID, REPO, close, machine

SECTION_START, SECTION_END = "<!-- orgtools:start -->", "<!-- orgtools:end -->"
T0 = 1_700_000_000
SMALL = 100      # the ledger's cap on members (organizations.state.MAX_MEMBERS)


def signers(n: int, label: bytes) -> list[Signer]:
    return [Signer(hashlib.sha256(b"orgtools-%s-%d" % (label, i)).digest()) for i in range(n)]


class Chain:
    """A fresh app and a block clock; ``run`` finalizes and commits one block, returning its seconds."""

    def __init__(self, folder: Path, people: list[Signer]) -> None:
        self.app = LedgerApp(Store(folder, map_size=4 << 30))
        doc = {"accounts": [{"address": s.address, "balance": 10**12} for s in people],
               "params": {"max_tx_bytes": 1 << 20}}     # an organization of 1,000 members is a 50 kB transaction
        self.app.init_chain(CHAIN_ID, json.dumps(doc).encode())
        self.height, self.sequences = 0, {s.address: 0 for s in people}

    def tx(self, signer: Signer, action) -> bytes:
        raw = signer.sign_tx(CHAIN_ID, self.sequences[signer.address], action)
        self.sequences[signer.address] += 1
        auth.verify_signature(txcodec.decode_tx(raw))   # the mempool path: signature cache warm
        return raw

    def run(self, txs: list[bytes], time_: int | None = None) -> float:
        self.height += 1
        start = time.perf_counter()
        result = self.app.finalize_block(self.height, time_ or T0 + self.height, b"\x01" * 20, txs)
        self.app.commit()
        elapsed = time.perf_counter() - start
        bad = [t.log for t in result.txs if not t.ok]
        assert not bad, bad[:3]
        return elapsed


def tally_round(folder: Path, members: int) -> dict:
    people = signers(members, b"member")
    chain = Chain(folder, people)
    roster = tuple(sorted((OrgMember(p.address, 1 + i % 5) for i, p in enumerate(people)), key=lambda m: m.address))
    chain.run([chain.tx(people[0], CreateOrganization("big", "", roster, OrgPolicy(THRESHOLD, 10**9, 10**6, 0)))])
    rng = random.Random(7)
    delegating = []
    for i, person in enumerate(people):            # delegate to an earlier member: chains, never cycles
        target = people[rng.randrange(i)] if i else people[1]
        delegating.append(chain.tx(person, DelegateVote(1, target.address, "finance" if i % 4 == 0 else "")))
    chain.run(delegating)
    pid = proposals.next_id(chain.app.base)
    submit = chain.run([chain.tx(people[0], SubmitProposal(1, "budget", "", (Transfer(people[0].address, 1),),
                                                           ("finance",)))])
    voters = people[:]
    rng.shuffle(voters)
    votes = chain.run([chain.tx(v, Vote(pid, 1)) for v in voters])   # all yes: decided by the last vote
    snap = delegations.get_snapshot(chain.app.base, pid)
    cast = {v.voter: v.choice for v in proposals.votes(chain.app.base, pid)}
    start = time.perf_counter()
    totals = tally.recount(snap.paths, cast)
    recount = time.perf_counter() - start
    found = proposals.require(chain.app.base, pid)
    assert (found.yes, found.no, found.abstain) == (totals[1], totals[2], totals[3])
    close(chain.app)
    return {"submit": submit, "votes": votes, "recount": recount,
            "delegated_paths": sum(1 for p in snap.paths if p.via)}


def claims_round(folder: Path, streams: int) -> dict:
    payers, claimers = signers(max(1, streams // 100), b"payer"), signers(100, b"claimer")
    chain = Chain(folder, payers + claimers)
    create = [chain.tx(payers[i % len(payers)], CreateStream(claimers[i % 100].address, 10, 60, 0, 0, 600))
              for i in range(streams)]
    for first in range(0, streams, 2_000):
        chain.run(create[first:first + 2_000])
    claims = [chain.tx(claimers[i % 100], ClaimStream(i + 1)) for i in range(streams)]
    seconds = chain.run(claims, T0 + chain.height + 3_600)
    close(chain.app)
    return {"claims": seconds}


def run(members: int, streams: int, repeat: int) -> dict:
    rounds = []
    saved_cap = orgs.MAX_MEMBERS
    orgs.MAX_MEMBERS = max(saved_cap, members)
    try:
        for _ in range(repeat):
            with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b, \
                    tempfile.TemporaryDirectory() as c:
                small = tally_round(Path(c), SMALL)      # the same at the ledger's cap: a vote's cost should not grow
                rounds.append({**tally_round(Path(a), members), **claims_round(Path(b), streams),
                               "votes_small": small["votes"], "submit_small": small["submit"]})
    finally:
        orgs.MAX_MEMBERS = saved_cap
    return {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}


def section(f: dict, members: int, streams: int, info: dict, repeat: int) -> str:
    rows = [
        (f"submit a proposal: delegation snapshot of {members:,} voters, {members:,} delegations "
         f"({f['delegated_paths']:,.0f} paths through a delegate)", f"{f['submit'] * 1e3:,.1f} ms", "1 tx"),
        (f"tally: {members:,} votes in one block, each moving delegated weight incrementally",
         f"{f['votes'] * 1e3:,.0f} ms", f"{f['votes'] / members * 1e6:,.0f} µs per vote"),
        (f"the same at {SMALL} members: submit, and {SMALL} votes in one block",
         f"{f['submit_small'] * 1e3:,.1f} ms / {f['votes_small'] * 1e3:,.0f} ms",
         f"{f['votes_small'] / SMALL * 1e6:,.0f} µs per vote"),
        (f"recount of the whole snapshot (pure, for comparison)", f"{f['recount'] * 1e3:,.2f} ms", "—"),
        (f"a block of {streams:,} stream claims (each fully accrued)", f"{f['claims'] * 1e3:,.0f} ms",
         f"{streams / f['claims']:,.0f} claims/s"),
    ]
    return "\n".join([
        SECTION_START,
        "## Organization tools",
        "",
        f"`make bench` (`python -m bench.orgtools`, median of {repeat} rounds), commit `{info['commit']}`, "
        f"{info['nproc']} cores ({info['cpu']}), Python {info['python']}; FinalizeBlock + Commit on LMDB, "
        "signature cache warm.",
        "",
        "| figure | time | per item |",
        "|---|---:|---:|",
        *[f"| {a} | {b} | {c} |" for a, b, c in rows],
        "",
        "The ledger caps an organization at 100 members; the tally rows lift the cap to 1,000 to show what "
        "grows with the organization.  A vote costs what it moves: it reads its own weight and the "
        "organization's status key, the snapshot paths through the voter and the votes on them, and "
        "rewrites the proposal's small record with the running tally (per-voter keys, docs/lifecycles.md "
        "\"Delegated votes\"); so the per-vote figure here is an average over votes of which the early "
        "delegates' carry hundreds of paths.  Submission writes one key per voter and per delegating path, "
        "so it grows with the organization.  A claim costs one stream read and write and two balance "
        "updates, whatever the number of streams.",
        SECTION_END,
    ])


def write_section(text: str) -> None:
    path = REPO / "BENCHMARKS.md"
    old = path.read_text(encoding="utf-8")
    if SECTION_START in old and SECTION_END in old:
        head, rest = old.split(SECTION_START, 1)
        new = head + text + rest.split(SECTION_END, 1)[1]
    else:
        new = old.rstrip("\n") + "\n\n" + text + "\n"
    path.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1_000)
    parser.add_argument("--streams", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    figures = run(args.members, args.streams, args.repeat)
    text = section(figures, args.members, args.streams, machine(), args.repeat)
    print(text)
    if not args.no_write:
        write_section(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
