"""Test helpers for the market family: one-transaction blocks, event lookup, message builders."""

from __future__ import annotations

import hashlib

from abci_app.chain import addresses
from abci_app.chain.context import TxOutcome
from abci_app.chain.domain.accounts import keys as account_keys
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.market.messages import MakeOffer, PostRequest
from tests.support.chain import TestChain

DAY = 86_400


def doc_hash(n: int | str) -> bytes:
    """Return a deterministic SHA-256 hash standing for document ``n``."""
    return hashlib.sha256(f"document {n}".encode()).digest()


class Market:
    """Drive a TestChain one transaction per block, keeping local sequences right after rejections."""

    def __init__(self, chain: TestChain) -> None:
        self.chain = chain

    @property
    def state(self):
        return self.chain.state

    @property
    def now(self) -> int:
        return self.chain.time

    def run(self, signer, action, fee: int = 0, time: int | None = None) -> TxOutcome:
        result = self.chain.block(self.chain.tx(signer, action, fee=fee), time=time)
        outcome = result.txs[0]
        if not outcome.ok:
            account = accounts.get(self.chain.state, signer.address)
            self.chain.sequences[signer.address] = 0 if account is None else account.sequence
        self.last = result
        return outcome

    def ok(self, signer, action, **kw) -> TxOutcome:
        outcome = self.run(signer, action, **kw)
        assert outcome.ok, f"{type(action).__name__} rejected: {outcome.codespace}/{outcome.code} {outcome.log}"
        return outcome

    def fails(self, signer, action, error: type, **kw) -> TxOutcome:
        """Assert the action is rejected with ``error``'s code and changes no state but the block record
        and, the transaction being authenticated, the signer's fee and sequence."""
        before = dict(self.chain.state.iter_prefix(b""))
        account = accounts.get(self.chain.state, signer.address)
        pool = accounts.get(self.chain.state, addresses.COMMUNITY_POOL)
        outcome = self.run(signer, action, **kw)
        assert (outcome.codespace, outcome.code) == (error.codespace, error.code), \
            f"expected {error.__name__}, got {outcome.codespace}/{outcome.code} {outcome.log}"
        assert outcome.log
        fee = kw.get("fee", 0)
        if outcome.charged:
            assert accounts.get(self.chain.state, signer.address) == accounts.Account(
                account.balance - fee, account.sequence + 1), "a failed action must cost its fee and sequence, once"
            if fee:
                assert accounts.get(self.chain.state, addresses.COMMUNITY_POOL).balance == (pool.balance if pool else 0) + fee
        after = dict(self.chain.state.iter_prefix(b""))
        if outcome.charged:   # checked above; the rest of the state must be untouched
            for charged in (signer.address, addresses.COMMUNITY_POOL):
                before.pop(account_keys.account(charged), None)
                after.pop(account_keys.account(charged), None)
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        assert all(_is_time_driven(k) for k in changed), f"a rejected action changed state: {sorted(changed)[:5]}"
        return outcome

    def tick(self, time: int | None = None):
        """Run an empty block (time-driven transitions only)."""
        return self.chain.block(time=time)

    def id_of(self, outcome: TxOutcome, event_type: type, field: str) -> int:
        return getattr(event(outcome, event_type), field)

    def block_events(self, event_type: type) -> list:
        return [e for e in self.last.events if isinstance(e, event_type)]


def agreement(m: Market, agreement_id: int):
    """The committed agreement ``agreement_id``."""
    from abci_app.chain.domain.agreements import state as agreements
    return agreements.get(m.state, agreement_id)


def balance(m: Market, who) -> int:
    """The committed balance of a signer or an address."""
    return accounts.balance(m.state, who.address if hasattr(who, "address") else who)


def _is_time_driven(key: bytes) -> bool:
    """Keys an empty block may change by itself (none of ours do unless something is due)."""
    return not key.startswith((b"acc/", b"mkt/", b"agr/", b"prj/", b"doc/", b"rep/", b"fri/"))


def event(outcome: TxOutcome, event_type: type):
    found = [e for e in outcome.events if isinstance(e, event_type)]
    assert found, f"no {event_type.__name__} in {outcome.events}"
    return found[0]


def request_msg(now: int, **kw) -> PostRequest:
    fields = dict(title="Train 10 volunteers in first aid", description="Two evenings, certificates included",
                  tags=("first-aid", "training"), budget=1_000, offers_until=now + 7 * DAY)
    fields.update(kw)
    return PostRequest(**fields)


def offer_msg(request_id: int, now: int, **kw) -> MakeOffer:
    fields = dict(request_id=request_id, price=800, deadline=now + 14 * DAY)
    fields.update(kw)
    return MakeOffer(**fields)


def make_agreement(m: Market, requester, provider, request_kw: dict | None = None, **offer_kw) -> int:
    """Post a request, make one offer and accept it; return the agreement id."""
    from abci_app.chain.domain.agreements.events import AgreementMade
    from abci_app.chain.domain.market.events import OfferMade, RequestPosted
    from abci_app.chain.domain.market.messages import AcceptOffer

    request_id = event(m.ok(requester, request_msg(m.now, **(request_kw or {}))), RequestPosted).request_id
    offer_id = event(m.ok(provider, offer_msg(request_id, m.now, **offer_kw)), OfferMade).offer_id
    return event(m.ok(requester, AcceptOffer(offer_id)), AgreementMade).agreement_id
