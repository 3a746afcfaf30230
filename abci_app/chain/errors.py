"""Typed ledger errors with stable ``(codespace, code)`` pairs.

A ``LedgerError`` is the only exception the state machine turns into a rejected
transaction result.  Its ``codespace`` and ``code`` are part of the public API:
they are never renumbered or reused (``tests/unit/test_errors.py`` keeps a frozen
list).  The human text goes to the ABCI ``log`` field, which is not part of
consensus.  Any other exception raised while executing a block is a bug and
halts the node.
"""

from __future__ import annotations

from typing import ClassVar


class LedgerError(Exception):
    """Base of every rejection the ledger reports to a client."""

    codespace: ClassVar[str] = "samen"
    code: ClassVar[int] = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# -- codespace "tx": envelope, encoding, authentication -------------------------------


class TxError(LedgerError):
    codespace = "tx"


class MalformedTx(TxError):
    code = 2


class NonCanonicalTx(TxError):
    code = 3


class UnsupportedVersion(TxError):
    code = 4


class TxTooLarge(TxError):
    code = 5


class WrongChain(TxError):
    code = 6


class BadSignature(TxError):
    code = 7


class BadPublicKey(TxError):
    code = 8


class SequenceMismatch(TxError):
    code = 9


class UnknownSender(TxError):
    code = 10


class FeeTooLow(TxError):
    code = 11


class InsufficientFee(TxError):
    code = 12


class EmptyAction(TxError):
    code = 13


class MemoTooLong(TxError):
    code = 14


class InvalidAddress(TxError):
    code = 15


class UnknownFeePayer(TxError):
    code = 16


class InvalidField(TxError):
    code = 17


class NestingTooDeep(TxError):
    """Embedded messages nested deeper than ``abci_app.chain.nesting.MAX_DEPTH``, found before parsing."""

    code = 30


class BlockTimeUnknown(TxError):
    """The node restored a snapshot and has not committed a block since: it knows no block time yet."""
    code = 60


# -- codespace "accounts" ------------------------------------------------------------


class AccountsError(LedgerError):
    codespace = "accounts"


class ZeroAmount(AccountsError):
    code = 2


class AmountOutOfRange(AccountsError):
    code = 3


class InsufficientFunds(AccountsError):
    code = 4


# -- codespace "market": requests, offers, standing offers ---------------------------


class MarketError(LedgerError):
    codespace = "market"


class RequestNotFound(MarketError):
    code = 2


class OfferNotFound(MarketError):
    code = 3


class StandingOfferNotFound(MarketError):
    code = 4


class RequestClosed(MarketError):
    code = 5


class OfferClosed(MarketError):
    code = 6


class NotRequester(MarketError):
    code = 7


class NotProvider(MarketError):
    code = 8


class SelfDealing(MarketError):
    code = 9


class InvalidExpiry(MarketError):
    code = 10


class PriceAboveBudget(MarketError):
    code = 11


class InvalidMilestones(MarketError):
    code = 12


class InvalidTags(MarketError):
    code = 13


class InvalidArbiter(MarketError):
    code = 14


class DeadlinePassed(MarketError):
    code = 15


class StandingOfferClosed(MarketError):
    code = 16


class EmptyText(MarketError):
    code = 17


class TooManyDocuments(MarketError):
    code = 18


# -- codespace "agreements": milestones, escrow, disputes, cancellation, ratings ------


class AgreementsError(LedgerError):
    codespace = "agreements"


class AgreementNotFound(AgreementsError):
    code = 2


class NotParty(AgreementsError):
    code = 3


class NotArbiter(AgreementsError):
    code = 4


class MilestoneNotFound(AgreementsError):
    code = 5


class WrongMilestoneState(AgreementsError):
    code = 6


class DeadlineNotPassed(AgreementsError):
    code = 7


class InvalidSplit(AgreementsError):
    code = 8


class CancelAlreadyProposed(AgreementsError):
    code = 9


class AgreementNotSettled(AgreementsError):
    code = 10


class AlreadyRated(AgreementsError):
    code = 11


class InvalidScore(AgreementsError):
    code = 12


class AgreementSettled(AgreementsError):
    code = 13


class InvalidHash(AgreementsError):
    code = 14


class WindowClosed(AgreementsError):
    """The milestone's window ended at block time (deliver, dispute, resolve, cancel are refused from then on)."""

    code = 40


class StaleRevision(AgreementsError):
    """A cancel proposal or confirmation names a revision other than the agreement's current one."""

    code = 41


class NoCancelProposal(AgreementsError):
    """Withdrawing a cancel proposal that does not stand (none, expired, or voided by a change)."""

    code = 42


class NotProposer(AgreementsError):
    """Only the party that proposed cancelling may withdraw the proposal."""

    code = 43


# -- codespace "documents" ------------------------------------------------------------


class DocumentsError(LedgerError):
    codespace = "documents"


class DocumentExists(DocumentsError):
    code = 2


class DocumentNotFound(DocumentsError):
    code = 3


class InvalidContentHash(DocumentsError):
    code = 4


class NotDocumentOwner(DocumentsError):
    code = 5


class AlreadySuperseded(DocumentsError):
    code = 6


class UnknownTargetKind(DocumentsError):
    code = 7


class AlreadyAttached(DocumentsError):
    code = 8


class NotAllowedToAttach(DocumentsError):
    code = 9


class TargetNotFound(DocumentsError):
    code = 10


# -- codespace "projects" -------------------------------------------------------------


class ProjectsError(LedgerError):
    codespace = "projects"


class ProjectNotFound(ProjectsError):
    code = 2


class NotProjectOwner(ProjectsError):
    code = 3


class TransferPending(ProjectsError):
    code = 4


class NoTransferOffer(ProjectsError):
    code = 5


class NotTransferTarget(ProjectsError):
    code = 6


class InsufficientBudget(ProjectsError):
    code = 7


class InvalidTransferTarget(ProjectsError):
    code = 8


class ProjectFull(ProjectsError):
    """The project holds ``max_project_items`` open requests, unsettled agreements and documents."""
    code = 20


class UnknownQuery(LedgerError):
    codespace = "query"
    code = 2


class NotFound(LedgerError):
    codespace = "query"
    code = 3


class QueryFailed(LedgerError):
    """A query could not be answered on this node (an internal failure, logged); nothing changed."""
    codespace = "query"
    code = 60


# -- codespace "organizations" ----------------------------------------------------------


class OrganizationsError(LedgerError):
    codespace = "organizations"


class OrganizationNotFound(OrganizationsError):
    code = 2


class InvalidMembers(OrganizationsError):
    code = 3


class InvalidPolicy(OrganizationsError):
    code = 4


class NotAMember(OrganizationsError):
    code = 5


class NotTheOrganization(OrganizationsError):
    code = 6


class OrganizationDissolved(OrganizationsError):
    code = 7


class OrganizationActive(OrganizationsError):
    code = 8


class NoFeeAllowance(OrganizationsError):
    code = 9


class FeeAllowanceExpired(OrganizationsError):
    code = 10


class FeeAllowanceExceeded(OrganizationsError):
    code = 11


class InvalidAllowance(OrganizationsError):
    code = 12


class NothingToSweep(OrganizationsError):
    code = 13


class InvalidName(OrganizationsError):
    code = 14


class NetworkOrganizationPermanent(OrganizationsError):
    """The network organization must keep a member that is not an organization (it never dissolves)."""

    code = 50


# -- codespace "proposals" --------------------------------------------------------------


class ProposalsError(LedgerError):
    codespace = "proposals"


class ProposalNotFound(ProposalsError):
    code = 2


class InvalidProposal(ProposalsError):
    code = 3


class NotAVoter(ProposalsError):
    code = 4


class AlreadyVoted(ProposalsError):
    code = 5


class VotingClosed(ProposalsError):
    code = 6


class InvalidVoteChoice(ProposalsError):
    code = 7


class NotTheProposer(ProposalsError):
    code = 8


class WithdrawNotAllowed(ProposalsError):
    code = 9


# -- codespace "validators": validator-set governance -------------------------------------


class ValidatorsError(LedgerError):
    codespace = "validators"


class InvalidValidatorUpdate(ValidatorsError):
    code = 2


class NotTheNetworkOrganization(ValidatorsError):
    code = 3


class UnsafeValidatorSet(ValidatorsError):
    code = 4


class InvalidMarketParams(ValidatorsError):
    """An ``UpdateMarketParams`` names an unknown parameter, repeats one, or sets a value out of range."""

    code = 50


# -- codespace "upgrade": software upgrades decided on chain (abci_app/chain/domain/upgrades) -------


class UpgradeError(LedgerError):
    codespace = "upgrade"


class InvalidUpgradePlan(UpgradeError):
    """A ``ScheduleUpgrade`` with a bad name, info or height, or naming an upgrade already applied."""

    code = 2


class NoSuchUpgrade(UpgradeError):
    """A ``CancelUpgrade`` names no pending plan."""

    code = 3


def all_error_classes() -> list[type[LedgerError]]:
    """Return every concrete ``LedgerError`` subclass, depth first, for the code registry test."""
    found: list[type[LedgerError]] = []
    stack = list(LedgerError.__subclasses__())
    while stack:
        cls = stack.pop()
        found.append(cls)
        stack.extend(cls.__subclasses__())
    return sorted(found, key=lambda c: (c.codespace, c.code, c.__name__))
