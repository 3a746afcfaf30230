"""Registry of transaction actions: the ``Action.kind`` oneof field name -> message dataclass.

Each domain package defines its messages in ``messages.py``; a new message is added
to ``proto/samen/v1/tx.proto`` (same field names), here, and to
``abci_app/components.py`` (its handlers).
"""

from __future__ import annotations

from abci_app.action import Action  # noqa: F401  (re-exported; its own module avoids an import cycle)
from abci_app.domain.accounts.messages import Transfer
from abci_app.domain.organizations.messages import (CreateOrganization, GrantFeeAllowance, LeaveOrganization,
                                                    RevokeFeeAllowance, SweepTreasury, UpdateMembers, UpdatePolicy)
from abci_app.domain.proposals.messages import SubmitProposal, Vote, WithdrawProposal


ACTIONS: dict[str, type] = {
    "transfer": Transfer,
    "create_organization": CreateOrganization,
    "submit_proposal": SubmitProposal,
    "vote": Vote,
    "withdraw_proposal": WithdrawProposal,
    "leave_organization": LeaveOrganization,
    "update_members": UpdateMembers,
    "update_policy": UpdatePolicy,
    "grant_fee_allowance": GrantFeeAllowance,
    "revoke_fee_allowance": RevokeFeeAllowance,
    "sweep_treasury": SweepTreasury,
}
