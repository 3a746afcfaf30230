"""The error-code registry: every ``(codespace, code)`` is public API and never changes.

HOW TO ADD AN ERROR: define the new ``LedgerError`` subclass with the next free code
of its codespace, then APPEND one line ``(codespace, code, "ClassName")`` to
``FROZEN_CODES`` below.  Never edit, reorder or delete an existing line: clients
and indexers match on these numbers, so a renumbered or reused code is a breaking
change (add a new class instead, and keep the old one).
"""

from __future__ import annotations

import abci_app.adapter.app  # noqa: F401  (imports every domain package, so all error classes are registered)
import abci_app.chain.components  # noqa: F401
from abci_app.chain.errors import LedgerError, all_error_classes

# (codespace, code, class name) -- append only.
FROZEN_CODES: list[tuple[str, int, str]] = [
    ("tx", 1, "TxError"),
    ("tx", 2, "MalformedTx"),
    ("tx", 3, "NonCanonicalTx"),
    ("tx", 4, "UnsupportedVersion"),
    ("tx", 5, "TxTooLarge"),
    ("tx", 6, "WrongChain"),
    ("tx", 7, "BadSignature"),
    ("tx", 8, "BadPublicKey"),
    ("tx", 9, "SequenceMismatch"),
    ("tx", 10, "UnknownSender"),
    ("tx", 11, "FeeTooLow"),
    ("tx", 12, "InsufficientFee"),
    ("tx", 13, "EmptyAction"),
    ("tx", 14, "MemoTooLong"),
    ("tx", 15, "InvalidAddress"),
    ("tx", 16, "UnknownFeePayer"),
    ("tx", 17, "InvalidField"),
    ("accounts", 1, "AccountsError"),
    ("accounts", 2, "ZeroAmount"),
    ("accounts", 3, "AmountOutOfRange"),
    ("accounts", 4, "InsufficientFunds"),
    ("query", 2, "UnknownQuery"),
    ("query", 3, "NotFound"),
    ("query", 4, "HeightNotAvailable"),
    ("organizations", 1, "OrganizationsError"),
    ("organizations", 2, "OrganizationNotFound"),
    ("organizations", 3, "InvalidMembers"),
    ("organizations", 4, "InvalidPolicy"),
    ("organizations", 5, "NotAMember"),
    ("organizations", 6, "NotTheOrganization"),
    ("organizations", 7, "OrganizationDissolved"),
    ("organizations", 8, "OrganizationActive"),
    ("organizations", 9, "NoFeeAllowance"),
    ("organizations", 10, "FeeAllowanceExpired"),
    ("organizations", 11, "FeeAllowanceExceeded"),
    ("organizations", 12, "InvalidAllowance"),
    ("organizations", 13, "NothingToSweep"),
    ("organizations", 14, "InvalidName"),
    ("proposals", 1, "ProposalsError"),
    ("proposals", 2, "ProposalNotFound"),
    ("proposals", 3, "InvalidProposal"),
    ("proposals", 4, "NotAVoter"),
    ("proposals", 5, "AlreadyVoted"),
    ("proposals", 6, "VotingClosed"),
    ("proposals", 7, "InvalidVoteChoice"),
    ("proposals", 8, "NotTheProposer"),
    ("proposals", 9, "WithdrawNotAllowed"),
    # market family (documents, market, agreements, projects)
    ("market", 1, "MarketError"),
    ("market", 2, "RequestNotFound"),
    ("market", 3, "OfferNotFound"),
    ("market", 4, "StandingOfferNotFound"),
    ("market", 5, "RequestClosed"),
    ("market", 6, "OfferClosed"),
    ("market", 7, "NotRequester"),
    ("market", 8, "NotProvider"),
    ("market", 9, "SelfDealing"),
    ("market", 10, "InvalidExpiry"),
    ("market", 11, "PriceAboveBudget"),
    ("market", 12, "InvalidMilestones"),
    ("market", 13, "InvalidTags"),
    ("market", 14, "InvalidArbiter"),
    ("market", 15, "DeadlinePassed"),
    ("market", 16, "StandingOfferClosed"),
    ("market", 17, "EmptyText"),
    ("market", 18, "TooManyDocuments"),
    ("agreements", 1, "AgreementsError"),
    ("agreements", 2, "AgreementNotFound"),
    ("agreements", 3, "NotParty"),
    ("agreements", 4, "NotArbiter"),
    ("agreements", 5, "MilestoneNotFound"),
    ("agreements", 6, "WrongMilestoneState"),
    ("agreements", 7, "DeadlineNotPassed"),
    ("agreements", 8, "InvalidSplit"),
    ("agreements", 9, "CancelAlreadyProposed"),
    ("agreements", 10, "AgreementNotSettled"),
    ("agreements", 11, "AlreadyRated"),
    ("agreements", 12, "InvalidScore"),
    ("agreements", 13, "AgreementSettled"),
    ("agreements", 14, "InvalidHash"),
    ("documents", 1, "DocumentsError"),
    ("documents", 2, "DocumentExists"),
    ("documents", 3, "DocumentNotFound"),
    ("documents", 4, "InvalidContentHash"),
    ("documents", 5, "NotDocumentOwner"),
    ("documents", 6, "AlreadySuperseded"),
    ("documents", 7, "UnknownTargetKind"),
    ("documents", 8, "AlreadyAttached"),
    ("documents", 9, "NotAllowedToAttach"),
    ("documents", 10, "TargetNotFound"),
    ("projects", 1, "ProjectsError"),
    ("projects", 2, "ProjectNotFound"),
    ("projects", 3, "NotProjectOwner"),
    ("projects", 4, "TransferPending"),
    ("projects", 5, "NoTransferOffer"),
    ("projects", 6, "NotTransferTarget"),
    ("projects", 7, "InsufficientBudget"),
    ("projects", 8, "InvalidTransferTarget"),
    ("projects", 20, "ProjectFull"),
    ("validators", 1, "ValidatorsError"),
    ("validators", 2, "InvalidValidatorUpdate"),
    ("validators", 3, "NotTheNetworkOrganization"),
    ("validators", 4, "UnsafeValidatorSet"),
    ("organizations", 50, "NetworkOrganizationPermanent"),
    ("query", 60, "QueryFailed"),
    ("tx", 60, "BlockTimeUnknown"),
    ("agreements", 40, "WindowClosed"),
    ("agreements", 41, "StaleRevision"),
    ("agreements", 42, "NoCancelProposal"),
    ("agreements", 43, "NotProposer"),
    ("validators", 50, "InvalidMarketParams"),
    ("tx", 30, "NestingTooDeep"),
    ("upgrade", 1, "UpgradeError"),
    ("upgrade", 2, "InvalidUpgradePlan"),
    ("upgrade", 3, "NoSuchUpgrade"),
    ("streams", 1, "StreamsError"),
    ("streams", 2, "StreamNotFound"),
    ("streams", 3, "InvalidStream"),
    ("streams", 4, "NotThePayer"),
    ("streams", 5, "StreamNotActive"),
    ("streams", 6, "NothingAccrued"),
    ("delegation", 1, "DelegationError"),
    ("delegation", 2, "InvalidDelegation"),
    ("delegation", 3, "DelegationCycle"),
    ("delegation", 4, "NoDelegation"),
    ("roles", 1, "RolesError"),
    ("roles", 2, "InvalidRole"),
    ("roles", 3, "RoleNotFound"),
    ("roles", 4, "NotTheHolder"),
    ("roles", 5, "RoleExpired"),
    ("roles", 6, "ActionNotAllowed"),
    ("roles", 7, "RoleBudgetExceeded"),
    ("suborgs", 1, "SubOrgsError"),
    ("suborgs", 2, "NotASubOrganization"),
    ("suborgs", 3, "NotTheParent"),
    ("suborgs", 4, "InvalidSubOrganization"),
    ("suborgs", 5, "VetoClosed"),
]

HOW_TO = ("append it to FROZEN_CODES in tests/unit/test_errors.py "
          "(never edit or reuse an existing entry)")


def _current() -> dict[str, tuple[str, int]]:
    return {cls.__name__: (cls.codespace, cls.code) for cls in all_error_classes()}


def test_every_error_class_is_in_the_frozen_registry():
    frozen_names = {name for _, _, name in FROZEN_CODES}
    missing = sorted((cs, code, name) for name, (cs, code) in _current().items() if name not in frozen_names)
    lines = "".join(f'\n    ("{cs}", {code}, "{name}"),' for cs, code, name in missing)
    assert not missing, f"error classes without a frozen code; {HOW_TO}. Lines to append:{lines}"


def test_no_frozen_code_was_renumbered_or_moved():
    current = _current()
    changed = [f"{name}: frozen as ({cs!r}, {code}), now {current.get(name)}"
               for cs, code, name in FROZEN_CODES if current.get(name) != (cs, code)]
    assert not changed, ("error codes are public API and must never change or disappear: "
                         + "; ".join(changed))


def test_codes_are_unique_per_codespace():
    owners: dict[tuple[str, int], list[str]] = {}
    for cls in all_error_classes():
        owners.setdefault((cls.codespace, cls.code), []).append(cls.__name__)
    shared = {key: names for key, names in owners.items() if len(names) > 1}
    assert not shared, f"one (codespace, code) used by several classes: {shared}; pick the next free code"


def test_the_frozen_registry_never_reuses_a_code_or_a_name():
    keys = [(cs, code) for cs, code, _ in FROZEN_CODES]
    names = [name for _, _, name in FROZEN_CODES]
    assert len(set(keys)) == len(keys), "a (codespace, code) appears twice in FROZEN_CODES"
    assert len(set(names)) == len(names), "a class name appears twice in FROZEN_CODES"


def test_no_error_uses_code_zero_which_means_success():
    zero = [cls.__name__ for cls in all_error_classes() if cls.code == 0]
    assert not zero, f"code 0 means OK in ABCI: {zero}"
    assert all(isinstance(cls.codespace, str) and cls.codespace for cls in all_error_classes())


def test_every_error_is_a_ledger_error_with_a_readable_message():
    for cls in all_error_classes():
        error = cls("something went wrong")
        assert isinstance(error, LedgerError)
        assert error.message == "something went wrong"
