"""Random organization/proposal traffic for simulations, valid and invalid.

``Picker`` abstracts the source of choices (Hypothesis ``data.draw`` or a seeded
``random.Random``), so the same generator drives the Hypothesis state machine and
long seeded runs.  ``OrgSim`` keeps the accounts, builds one block of signed
transactions (one per signer, so sequences stay predictable), runs it, checks the
invariants of ``tests.support.org_invariants`` and can drain every organization
at the end to show that no value is stuck.
"""

from __future__ import annotations

import random

from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.organizations.messages import (CreateOrganization, GrantFeeAllowance, LeaveOrganization,
                                                    OrgMember, OrgPolicy, RevokeFeeAllowance, SweepTreasury,
                                                    UpdateMembers, UpdatePolicy)
from abci_app.chain.domain.proposals import state as proposals
from abci_app.chain.domain.proposals.messages import SubmitProposal, Vote, WithdrawProposal
from tests.support import org_invariants
from tests.support.chain import TestChain, key

STEPS = (1, 3, 5, 10, 40, 130)   # block time advances, in seconds
KINDS = ("transfer", "create", "submit", "vote", "vote", "vote", "withdraw", "leave", "sweep", "direct", "sponsored")


class RandomPicker:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def choice(self, items):
        return items[self.rng.randrange(len(items))]

    def integer(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def chance(self, percent: int) -> bool:
        return self.rng.randrange(100) < percent


class OrgSim:
    def __init__(self, path, n_accounts: int = 8, balance: int = 10_000) -> None:
        self.keys = [key(100 + i) for i in range(n_accounts)]
        self.chain = TestChain(path, balances={k: balance for k in self.keys})
        self.supply = n_accounts * balance
        self.statuses: dict[int, str] = {}
        self.by_address = {k.address: k for k in self.keys}
        self.addresses = [k.address for k in self.keys]
        self.address_of = {k.seed: a for k, a in zip(self.keys, self.addresses)}

    # -- one block ------------------------------------------------------------------------------

    def step(self, pick, max_txs: int, dt: int):
        """Build, run and check one block of up to ``max_txs`` transactions (one per signer)."""
        signers = list(self.keys)
        txs = []
        view = self.view()
        for _ in range(min(max_txs, len(signers))):
            signer = signers.pop(pick.integer(0, len(signers) - 1))
            txs.append(self.sign(pick, signer, self.action(pick, signer, *view)))
        result = self.chain.block(*txs, time=self.chain.time + dt)
        self.check()
        return result

    def view(self):
        """Committed organizations, proposals and ``{grantee: [treasury, ...]}`` of fee allowances."""
        state = self.chain.state
        all_orgs = list(orgs.all_organizations(state))
        grants: dict[str, list[str]] = {}
        for org in all_orgs:
            for grant in orgs.allowances(state, org.id):
                grants.setdefault(grant.grantee, []).append(org.treasury)
        return all_orgs, list(proposals.all_proposals(state)), grants

    def sign(self, pick, signer, action) -> bytes:
        sequence = accounts.get(self.chain.state, self.address_of[signer.seed]).sequence
        if pick.chance(3):
            sequence += pick.integer(1, 2)             # replay-protection path: wrong sequence
        fee, payer = 0, ""
        if isinstance(action, tuple):                  # ("sponsored", action, treasury)
            _, action, payer = action
            fee = pick.integer(0, 6)
        return signer.sign_tx(self.chain.chain_id, sequence, action, fee=fee, fee_payer=payer)

    def check(self) -> None:
        self.statuses = org_invariants.check_all(self.chain.state, self.chain.time, self.supply, self.statuses)

    # -- random actions -------------------------------------------------------------------------

    def action(self, pick, signer, all_orgs, all_props, grants):
        """Return a random action for ``signer`` given the committed organizations, proposals and grants."""
        kind = pick.choice(KINDS)
        me = self.address_of[signer.seed]
        votable = [p for p in all_props if p.status == proposals.VOTING and proposals.voter_weight(self.chain.state, p.id, me)]
        if votable and pick.chance(50):
            return Vote(pick.choice(votable).id, pick.integer(1, 3))
        if me in grants and pick.chance(30):
            return ("sponsored", Transfer(pick.choice(self.addresses), pick.integer(0, 50)), pick.choice(grants[me]))
        if kind == "create" or not all_orgs:
            return self.create(pick)
        if kind == "transfer":
            to = pick.choice(self.addresses + [o.treasury for o in all_orgs])
            return Transfer(to, pick.integer(0, 1500))
        if kind in ("submit", "leave", "direct"):
            mine = [o for o in all_orgs if orgs.weight_of(o.members, me)]
            org = pick.choice(mine) if mine and pick.chance(85) else pick.choice(all_orgs)
            if kind == "leave":
                return LeaveOrganization(org.id if pick.chance(95) else org.id + 100)
            if kind == "direct":                        # org-only action sent by a person: always rejected
                return UpdatePolicy(org.id, self.policy(pick))
            return SubmitProposal(org.id, "p", "", tuple(self.org_action(pick, org) for _ in range(pick.integer(0, 3))))
        if kind == "sweep":
            return SweepTreasury(pick.choice(all_orgs).id)
        if kind == "sponsored":
            return ("sponsored", Transfer(pick.choice(self.keys).address, pick.integer(0, 50)),
                    pick.choice(all_orgs).treasury)
        if not all_props:
            return self.create(pick)
        return self.proposal_step(pick, me, kind, all_props)

    def proposal_step(self, pick, me, kind, all_props):
        open_props = [p for p in all_props if p.status == proposals.VOTING]
        mine = [p for p in open_props if proposals.voter_weight(self.chain.state, p.id, me)]
        p = pick.choice(mine) if mine and pick.chance(85) else pick.choice(all_props)
        if kind == "withdraw":
            return WithdrawProposal(p.id)
        return Vote(p.id if pick.chance(97) else p.id + 1000, pick.integer(0, 3) if pick.chance(5) else pick.integer(1, 3))

    def create(self, pick):
        n = pick.integer(1, 4)
        members = [OrgMember(pick.choice(self.keys).address, pick.integer(0, 5) if pick.chance(5) else pick.integer(1, 5))
                   for _ in range(n)]
        return CreateOrganization("org", "", tuple(members), self.policy(pick))

    def policy(self, pick) -> OrgPolicy:
        kind = pick.integer(0, 3) if pick.chance(5) else pick.integer(1, 3)
        threshold = pick.integer(1, 10_000) if kind == 2 else pick.integer(0 if pick.chance(5) else 1, 12)
        return OrgPolicy(kind, threshold, pick.choice([0, 60, 300]) if pick.chance(5) else pick.choice([60, 300]),
                         pick.choice([0, 20, 60]), pick.chance(50))

    def org_action(self, pick, org):
        kind = pick.integer(0, 5)
        if kind == 0:
            return Transfer(pick.choice(self.keys).address, pick.integer(1, 800))
        if kind == 1:
            return UpdateMembers(org.id, (OrgMember(pick.choice(self.keys).address, pick.integer(0, 4)),))
        if kind == 2:
            return UpdatePolicy(org.id, self.policy(pick))
        if kind == 3:
            return GrantFeeAllowance(org.id, pick.choice(self.keys).address, pick.integer(1, 30),
                                     self.chain.time + pick.integer(-10, 400))
        if kind == 4:
            return RevokeFeeAllowance(org.id, pick.choice(self.keys).address)
        return SweepTreasury(org.id)

    # -- the exit -------------------------------------------------------------------------------

    def drain(self) -> None:
        """Every member leaves every organization, then dissolved treasuries are swept: all must end empty."""
        for _ in range(orgs.MAX_MEMBERS + 1):
            leaving = {}
            for org in orgs.all_organizations(self.chain.state):
                for member in org.members:
                    if org.status == orgs.ACTIVE and member.address not in leaving:
                        leaving[member.address] = org.id
            if not leaving:
                break
            txs = [self.by_address[a].sign_tx(self.chain.chain_id, accounts.get(self.chain.state, a).sequence,
                                               LeaveOrganization(org_id)) for a, org_id in sorted(leaving.items())]
            result = self.chain.block(*txs)
            assert all(t.ok for t in result.txs), [t.log for t in result.txs if not t.ok]
            self.check()
        sweeper = self.keys[0]
        for org in list(orgs.all_organizations(self.chain.state)):
            assert org.status == orgs.DISSOLVED
            if accounts.balance(self.chain.state, org.treasury):
                seq = accounts.get(self.chain.state, sweeper.address).sequence
                assert self.chain.block(sweeper.sign_tx(self.chain.chain_id, seq, SweepTreasury(org.id))).txs[0].ok
            assert accounts.balance(self.chain.state, org.treasury) == 0, f"value stuck in org {org.id}"
        self.check()

    def close(self) -> None:
        self.chain.close()
