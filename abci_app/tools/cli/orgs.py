"""``samen tx org create|propose|vote|withdraw|leave|sweep``.

Built on the market family's ``tx_command`` (local stateless check, summary,
sign, broadcast, wait).  A proposal's actions come
from shorthand options (``--transfer``, ``--set-member``, ``--grant``,
``--revoke``; for the network organization ``--spend-pool`` and
``--market-param``) and/or ``--actions-json FILE``: a JSON array of
``{"kind": <action field>, "msg": {...}}`` in the ledger's state encoding
(``/proposal/<id>`` shows the same form), so any message, including market
ones, can be proposed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated

import typer

from abci_app.chain import codec
from abci_app.tools.cli.common import BadValue
from abci_app.tools.cli.lazy import factory
from abci_app.tools.cli.market_query import OrgId, ProposalId
from abci_app.tools.cli.marketflow import block_time, tx_command
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.organizations import messages as om
from abci_app.chain.domain.proposals import messages as pm
from abci_app.chain.domain.validators import messages as vm
from abci_app.chain.errors import LedgerError
from abci_app.chain.query_args import MAX_U64, parse_uint

POLICY_KINDS = {"threshold": om.THRESHOLD, "percentage": om.PERCENTAGE, "lazy": om.LAZY}
CHOICES = {"yes": pm.YES, "no": pm.NO, "abstain": pm.ABSTAIN}
_DURATION = re.compile(r"(\d+)([smhdw]?)")
_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800}
Repeat = list[str] | None


def duration(text: str, what: str) -> int:
    """Parse ``N`` seconds or ``N[s|m|h|d|w]``."""
    match = _DURATION.fullmatch(text.strip())
    if not match:
        raise BadValue(what, f"must be a number of seconds or N followed by s, m, h, d or w; got {text!r}")
    return int(match.group(1)) * _SECONDS[match.group(2)]


def fields(text: str, count: int, spec: str, optional_last: bool = False, flag: str = "") -> list[str]:
    """Split ``text`` on ':' into ``count`` parts (the last may be absent if ``optional_last``)."""
    parts = text.split(":", count - 1)
    if len(parts) == count - 1 and optional_last:
        parts.append("")
    if len(parts) != count:
        raise BadValue(flag, f"expected {spec}, got {text!r}")
    return parts


def number(text: str, what: str) -> int:
    value = parse_uint(text, MAX_U64)
    if value is None:
        raise BadValue(what, f"must be a non-negative integer (ASCII digits, at most {MAX_U64}), got {text!r}")
    return value


def create(name: Annotated[str, typer.Option("--name")],
           member: Annotated[Repeat, typer.Option("--member", help="ADDRESS:WEIGHT (repeatable).")] = None,
           purpose: Annotated[str, typer.Option("--purpose")] = "",
           policy: Annotated[str, typer.Option("--policy", help="threshold, percentage or lazy.")] = "threshold",
           threshold: Annotated[int, typer.Option("--threshold", help="Yes-weight, basis points, or objection weight.")]
           = 1, voting_period: Annotated[str, typer.Option("--voting-period", help="e.g. 3d")] = "3d",
           min_delay: Annotated[str, typer.Option("--min-delay", help="e.g. 1h")] = "0",
           exit_right: Annotated[bool, typer.Option("--exit-right", help="Leavers take a proportional share.")] = False):
    """Create an organization with founding members, a decision policy and a treasury."""
    if policy not in POLICY_KINDS:
        raise BadValue("--policy", f"must be one of {', '.join(POLICY_KINDS)}, got {policy!r}")
    members = []
    for text in member or ():
        address, weight = fields(text, 2, "ADDRESS:WEIGHT", flag="--member")
        members.append(om.OrgMember(address, number(weight, "--member")))
    rules = om.OrgPolicy(POLICY_KINDS[policy], threshold, duration(voting_period, "--voting-period"),
                         duration(min_delay, "--min-delay"), exit_right)
    return om.CreateOrganization(name, purpose, tuple(members), rules)


def propose(org: Annotated[int, typer.Option("--org", help="Organization id.")],
            title: Annotated[str, typer.Option("--title")], description: Annotated[str, typer.Option("--description")]
            = "", transfer: Annotated[Repeat, typer.Option("--transfer", help="TO:AMOUNT[:MEMO] from the treasury.")]
            = None, set_member: Annotated[Repeat, typer.Option("--set-member", help="ADDRESS:WEIGHT (0 removes).")]
            = None, grant: Annotated[Repeat, typer.Option("--grant", help="GRANTEE:LIMIT:EXPIRY fee allowance.")]
            = None, revoke: Annotated[Repeat, typer.Option("--revoke", help="GRANTEE: revoke a fee allowance.")] = None,
            actions_json: Annotated[Path | None, typer.Option("--actions-json", help="JSON array of actions.")]
            = None, spend_pool: Annotated[Repeat, typer.Option("--spend-pool", help="TO:AMOUNT[:MEMO] from the "
                                                               "community pool (network organization only).")] = None,
            market_param: Annotated[Repeat, typer.Option("--market-param", help="NAME=VALUE market parameter "
                                                         "(network organization only; repeatable, one update).")]
            = None, tag: Annotated[Repeat, typer.Option("--tag", help="Proposal tag (repeatable); tag-specific "
                                                        "vote delegations apply.")] = None):
    """Propose actions the organization performs if the proposal passes."""
    actions: list = []
    for text in transfer or ():
        to, amount, memo = fields(text, 3, "TO:AMOUNT[:MEMO]", optional_last=True, flag="--transfer")
        actions.append(Transfer(to, number(amount, "--transfer"), memo))
    if set_member:
        pairs = [fields(t, 2, "ADDRESS:WEIGHT", flag="--set-member") for t in set_member]
        actions.append(om.UpdateMembers(org, tuple(om.OrgMember(a, number(w, "--set-member")) for a, w in pairs)))
    for text in grant or ():
        grantee, limit, expiry = fields(text, 3, "GRANTEE:LIMIT:EXPIRY", flag="--grant")
        actions.append(om.GrantFeeAllowance(org, grantee, number(limit, "--grant"), block_time(expiry, "--grant")))
    actions.extend(om.RevokeFeeAllowance(org, grantee) for grantee in revoke or ())
    if actions_json is not None:
        actions.extend(load_actions(actions_json))
    actions.extend(network_actions(spend_pool, market_param))
    return pm.SubmitProposal(org, title, description, tuple(actions), tuple(sorted(set(tag or ()))))


def network_actions(spend_pool: Repeat, market_param: Repeat) -> list:
    """``--spend-pool`` and ``--market-param``: what only the network organization's proposals can do."""
    actions: list = []
    for text in spend_pool or ():
        to, amount, memo = fields(text, 3, "TO:AMOUNT[:MEMO]", optional_last=True, flag="--spend-pool")
        actions.append(vm.SpendCommunityPool(to, number(amount, "--spend-pool"), memo))
    if market_param:
        changes = []
        for text in market_param:
            name, _, value = text.partition("=")
            changes.append(vm.MarketParamChange(name.strip(), number(value.strip(), "--market-param")))
        actions.append(vm.UpdateMarketParams(tuple(changes)))
    return actions


def load_actions(path: Path) -> list:
    """Read ``[{"kind": ..., "msg": {...}}, ...]`` into action messages."""
    try:
        doc = {"org_id": 0, "title": "", "description": "", "actions": json.loads(path.read_text())}
        return list(codec.decode_value(pm.SubmitProposal, json.dumps(doc).encode()).actions)
    except (OSError, ValueError, KeyError, TypeError, LedgerError) as exc:
        raise BadValue("--actions-json", f"{path}: {exc}") from None


def vote(proposal: ProposalId, choice: Annotated[str, typer.Argument(help="yes, no or abstain.")],
         reason: Annotated[str, typer.Option("--reason")] = ""):
    """Vote on a proposal (once; votes are final)."""
    if choice not in CHOICES:
        raise BadValue("CHOICE", f"must be yes, no or abstain, got {choice!r}")
    return pm.Vote(proposal, CHOICES[choice], reason)


def withdraw(proposal: ProposalId):
    """Withdraw your proposal before anyone has voted."""
    return pm.WithdrawProposal(proposal)


def leave(org: OrgId):
    """Leave an organization (with the exit share if its policy grants one)."""
    return om.LeaveOrganization(org)


def sweep(org: OrgId):
    """Move a dissolved organization's treasury balance to the community pool."""
    return om.SweepTreasury(org)


@factory
def group() -> typer.Typer:
    """``samen tx org …``."""
    made = typer.Typer(help="Organizations and their proposals.", no_args_is_help=True)
    for name, build in (("create", create), ("propose", propose), ("vote", vote), ("withdraw", withdraw),
                        ("leave", leave), ("sweep", sweep)):
        tx_command(made, name, build, propose=name not in ("propose", "vote", "withdraw"))
    return made
