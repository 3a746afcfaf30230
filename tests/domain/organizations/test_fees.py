"""Fee sponsorship: allowances granted by proposal, used through ``fee_payer``, limited and expiring."""

from __future__ import annotations

import hashlib

from abci_app.chain import addresses
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.documents.messages import PublishDocument
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.organizations.messages import GrantFeeAllowance, LeaveOrganization, RevokeFeeAllowance
from abci_app.chain.domain.proposals import state as proposals
from abci_app.chain.domain.proposals.messages import YES, SubmitProposal
from tests.support.chain import key
from tests.domain.organizations.support import (assert_ok, code, create_org, org, propose, proposal, send,
                                                threshold, vote)
from abci_app.chain import errors
from tests.support.rejections import assert_rejected


def org_with_funds(chain, people, funds=100):
    a, b = people[:2]
    org_id = create_org(chain, a, {a: 1, b: 1}, threshold(1, min_delay=0))
    treasury = org(chain, org_id).treasury
    assert_ok(send(chain, a, Transfer(treasury, funds)))
    return org_id, treasury


def decide(chain, member, org_id, *actions):
    """Propose and pass (threshold 1, no delay): the actions run in the same block."""
    pid = propose(chain, member, org_id, *actions)
    assert_ok(vote(chain, member, pid, YES))
    return proposal(chain, pid)


def test_a_granted_allowance_pays_the_grantees_fees_from_the_treasury(chain, people):
    a, _, _, _, newcomer = people
    org_id, treasury = org_with_funds(chain, people)
    expires = chain.time + 1000
    assert decide(chain, a, org_id, GrantFeeAllowance(org_id, newcomer.address, 30, expires)).status == "executed"
    pool = accounts.balance(chain.state, addresses.COMMUNITY_POOL)
    own = accounts.balance(chain.state, newcomer.address)
    assert_ok(send(chain, newcomer, Transfer(a.address, 5), fee=12, fee_payer=treasury))
    assert accounts.balance(chain.state, newcomer.address) == own - 5
    assert accounts.balance(chain.state, treasury) == 100 - 12
    assert accounts.balance(chain.state, addresses.COMMUNITY_POOL) == pool + 12
    assert orgs.allowance(chain.state, org_id, newcomer.address).spent == 12


def test_a_fee_beyond_the_allowance_left_is_rejected_and_changes_nothing(chain, people):
    a, _, _, _, newcomer = people
    org_id, treasury = org_with_funds(chain, people)
    decide(chain, a, org_id, GrantFeeAllowance(org_id, newcomer.address, 20, chain.time + 1000))
    assert_ok(send(chain, newcomer, Transfer(a.address, 1), fee=15, fee_payer=treasury))
    outcome = send(chain, newcomer, Transfer(a.address, 1), fee=6, fee_payer=treasury)
    assert_rejected(outcome, errors.FeeAllowanceExceeded)
    assert "allowance left (5)" in outcome.log
    assert orgs.allowance(chain.state, org_id, newcomer.address).spent == 15
    assert accounts.balance(chain.state, treasury) == 85
    assert_ok(send(chain, newcomer, Transfer(a.address, 1), fee=5, fee_payer=treasury))


def test_an_expired_allowance_is_rejected(chain, people):
    a, _, _, _, newcomer = people
    org_id, treasury = org_with_funds(chain, people)
    expires = chain.time + 50
    decide(chain, a, org_id, GrantFeeAllowance(org_id, newcomer.address, 20, expires))
    assert_ok(send(chain, newcomer, Transfer(a.address, 1), fee=1, fee_payer=treasury, time=expires - 1))
    assert code(send(chain, newcomer, Transfer(a.address, 1), fee=1, fee_payer=treasury, time=expires)) == (
        "organizations", 10)


def test_a_signer_without_an_allowance_or_a_payer_that_is_no_treasury_is_rejected(chain, people):
    a, b, _, _, newcomer = people
    org_id, treasury = org_with_funds(chain, people)
    assert_rejected(send(chain, newcomer, Transfer(a.address, 1), fee=1, fee_payer=treasury), errors.NoFeeAllowance)
    assert_rejected(send(chain, newcomer, Transfer(a.address, 1), fee=1, fee_payer=b.address), errors.UnknownFeePayer)
    assert_rejected(send(chain, newcomer, Transfer(a.address, 1), fee=0, fee_payer=treasury), errors.NoFeeAllowance)
    assert accounts.balance(chain.state, treasury) == 100


def test_a_sponsored_transaction_whose_action_fails_is_charged_to_the_allowance_once(chain, people):
    a, _, _, _, newcomer = people
    org_id, treasury = org_with_funds(chain, people)
    decide(chain, a, org_id, GrantFeeAllowance(org_id, newcomer.address, 20, chain.time + 1000))
    too_much = accounts.balance(chain.state, newcomer.address) + 1
    raw = chain.tx(newcomer, Transfer(a.address, too_much), fee=3, fee_payer=treasury)
    assert_rejected(chain.block(raw).txs[0], errors.InsufficientFunds)
    assert orgs.allowance(chain.state, org_id, newcomer.address).spent == 3
    assert accounts.balance(chain.state, treasury) == 100 - 3
    assert_rejected(chain.block(raw).txs[0], errors.SequenceMismatch)   # the same bytes again: the sequence is used up
    assert orgs.allowance(chain.state, org_id, newcomer.address).spent == 3
    assert accounts.balance(chain.state, treasury) == 100 - 3


def test_a_sponsored_newcomer_whose_action_fails_gets_an_account_at_sequence_one(chain, people):
    a = people[0]
    newcomer = key(97)  # never funded: no account on the ledger yet
    org_id, treasury = org_with_funds(chain, people)
    decide(chain, a, org_id, GrantFeeAllowance(org_id, newcomer.address, 30, chain.time + 1000))
    raw = chain.tx(newcomer, Transfer(a.address, 1), fee=4, fee_payer=treasury)
    assert_rejected(chain.block(raw).txs[0], errors.InsufficientFunds)
    assert accounts.get(chain.state, newcomer.address) == accounts.Account(0, 1)
    assert_rejected(chain.block(raw).txs[0], errors.SequenceMismatch)
    assert orgs.allowance(chain.state, org_id, newcomer.address).spent == 4
    assert accounts.balance(chain.state, treasury) == 100 - 4


def test_an_allowance_is_revoked_by_proposal(chain, people):
    a, _, _, _, newcomer = people
    org_id, treasury = org_with_funds(chain, people)
    decide(chain, a, org_id, GrantFeeAllowance(org_id, newcomer.address, 20, chain.time + 1000))
    assert decide(chain, a, org_id, RevokeFeeAllowance(org_id, newcomer.address)).status == "executed"
    assert_rejected(send(chain, newcomer, Transfer(a.address, 1), fee=1, fee_payer=treasury), errors.NoFeeAllowance)
    failed = decide(chain, a, org_id, RevokeFeeAllowance(org_id, newcomer.address))
    assert (failed.status, failed.result_codespace, failed.result_code) == ("failed", "organizations", 9)


def test_members_cannot_grant_allowances_directly(chain, people):
    a, _, _, _, newcomer = people
    org_id, _ = org_with_funds(chain, people)
    outcome = send(chain, a, GrantFeeAllowance(org_id, newcomer.address, 20, chain.time + 1000))
    assert_rejected(outcome, errors.NotTheOrganization)
    assert orgs.allowance(chain.state, org_id, newcomer.address) is None


def test_an_allowance_with_a_past_expiry_or_zero_limit_is_refused(chain, people):
    a, _, _, _, newcomer = people
    org_id, _ = org_with_funds(chain, people)
    past = decide(chain, a, org_id, GrantFeeAllowance(org_id, newcomer.address, 20, 5))
    assert (past.status, past.result_codespace, past.result_code) == ("failed", "organizations", 12)
    outcome = send(chain, a, propose_msg(org_id, GrantFeeAllowance(org_id, newcomer.address, 0, chain.time + 99)))
    assert_rejected(outcome, errors.InvalidAllowance)
    assert proposals.next_id(chain.state) == 2


def test_a_dissolved_organization_pays_no_fees(chain, people):
    a, b, _, _, newcomer = people
    org_id, treasury = org_with_funds(chain, people)
    decide(chain, a, org_id, GrantFeeAllowance(org_id, newcomer.address, 20, chain.time + 1000))
    assert_ok(send(chain, a, LeaveOrganization(org_id)))
    assert_ok(send(chain, b, LeaveOrganization(org_id)))
    assert_rejected(send(chain, newcomer, Transfer(a.address, 1), fee=1, fee_payer=treasury), errors.OrganizationDissolved)


def propose_msg(org_id, *actions):
    return SubmitProposal(org_id, "grant", "", tuple(actions))


def test_a_newcomer_without_an_account_can_act_when_an_organization_sponsors_its_fees(chain, people):
    a = people[0]
    newcomer = key(99)  # never funded: no account on the ledger yet
    org_id, treasury = org_with_funds(chain, people)
    assert accounts.get(chain.state, newcomer.address) is None
    decide(chain, a, org_id, GrantFeeAllowance(org_id, newcomer.address, 30, chain.time + 1000))
    document = PublishDocument(hashlib.sha256(b"first aid certificate").digest(), "certificate", "application/pdf")
    assert_ok(send(chain, newcomer, document, fee=7, fee_payer=treasury))
    assert accounts.get(chain.state, newcomer.address) == accounts.Account(0, 1)
    assert accounts.balance(chain.state, treasury) == 100 - 7


def test_a_newcomer_without_an_account_or_a_sponsor_is_an_unknown_sender(chain, people):
    outcome = send(chain, key(98), Transfer(people[0].address, 1))
    assert_rejected(outcome, errors.UnknownSender)
    assert accounts.get(chain.state, key(98).address) is None


def test_a_sponsored_newcomers_first_transaction_cannot_be_replayed(chain, people):
    """docs/lifecycles.md: a grantee needs no account; its first sponsored transaction creates one at sequence 0."""
    a = people[0]
    newcomer = key(97)
    org_id, treasury = org_with_funds(chain, people)
    decide(chain, a, org_id, GrantFeeAllowance(org_id, newcomer.address, 30, chain.time + 1000))
    document = PublishDocument(hashlib.sha256(b"volunteer list").digest(), "volunteers", "text/plain")
    raw = chain.tx(newcomer, document, fee=3, fee_payer=treasury)
    assert chain.block(raw).txs[0].ok
    replay = chain.block(raw).txs[0]
    assert_rejected(replay, errors.SequenceMismatch)
    assert orgs.allowance(chain.state, org_id, newcomer.address).spent == 3
