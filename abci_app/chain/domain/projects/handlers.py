"""Handlers of projects: create, fund, withdraw budget, and the transfer offer lifecycle.

Any address may own a project; an organization creates one through a proposal,
which makes its treasury address the signer and therefore the owner.
"""

from __future__ import annotations

from dataclasses import replace

from abci_app.chain import addresses
from abci_app.chain.domain import due
from abci_app.chain.domain.accounts.handlers import check_amount
from abci_app.chain.domain.agreements import state as agreements
from abci_app.chain.domain.agreements.state import Agreement
from abci_app.chain.domain.documents import state as documents
from abci_app.chain.domain.market import checks
from abci_app.chain.domain.market import state as market
from abci_app.chain.domain.projects import keys, state as projects
from abci_app.chain.domain.projects.events import (ProjectBudgetChanged, ProjectBudgetReturned, ProjectCreated,
                                             ProjectOfferClosed, ProjectOffered, ProjectTransferred)
from abci_app.chain.domain.projects.messages import (AcceptProject, CreateProject, FundProject, OfferProject,
                                               WithdrawProjectBudget, WithdrawProjectOffer)
from abci_app.chain.domain.projects.state import HistoryEntry, Project, TransferOffer
from abci_app.chain.domain.stored import stored
from abci_app.chain.errors import (InvalidExpiry, InvalidTransferTarget, NoTransferOffer, NotProjectOwner,
                             NotTransferTarget, OrganizationDissolved, ProjectNotFound, TransferPending)
from abci_app.chain.context import BlockInfo, TxContext
from abci_app.chain.state.protocols import StateRead, StateWrite


def load(state: StateRead, project_id: int) -> Project:
    project = projects.get(state, project_id)
    if project is None:
        raise ProjectNotFound(f"project {project_id} not found")
    return project


def owned(state: StateRead, project_id: int, signer: str) -> Project:
    project = load(state, project_id)
    if project.owner != signer:
        raise NotProjectOwner(f"only the owner of project {project_id} may do this")
    return project


def check_stateless_create(msg: CreateProject, ctx: TxContext) -> None:
    checks.check_title(msg.title, ctx)
    checks.check_description(msg.description, ctx)
    if msg.budget:
        check_amount(msg.budget, "budget")


def check_and_execute_create(state: StateWrite, block: BlockInfo, ctx: TxContext, msg: CreateProject) -> list[object]:
    """Create a project owned by the signer with ``budget`` moved from the signer."""
    project = Project(projects.next_id(state), ctx.signer, msg.title, msg.description, 0, block.time)
    projects.put(state, project)
    projects.index_owner(state, project.id, "", ctx.signer)
    if msg.budget:
        projects.fund(state, project.id, ctx.signer, msg.budget)
    projects.record(state, project.id, HistoryEntry(block.time, "created", ctx.signer, msg.budget))
    return [ProjectCreated(project.id, ctx.signer, msg.budget)]


def check_stateless_fund(msg: FundProject, ctx: TxContext) -> None:
    check_amount(msg.amount)


def check_and_execute_fund(state: StateWrite, block: BlockInfo, ctx: TxContext, msg: FundProject) -> list[object]:
    """Anyone: add to a project's budget (not to one whose owner is a dissolved organization)."""
    if projects.owner_dissolved(state, load(state, msg.project_id)):
        raise OrganizationDissolved(f"project {msg.project_id} belongs to a dissolved organization")
    projects.fund(state, msg.project_id, ctx.signer, msg.amount)
    projects.record(state, msg.project_id, HistoryEntry(block.time, "funded", ctx.signer, msg.amount))
    budget = stored(projects.get(state, msg.project_id), f"project {msg.project_id}").budget
    return [ProjectBudgetChanged(msg.project_id, ctx.signer, msg.amount, budget)]


def check_stateless_withdraw_budget(msg: WithdrawProjectBudget, ctx: TxContext) -> None:
    check_amount(msg.amount)


def check_and_execute_withdraw_budget(state: StateWrite, block: BlockInfo, ctx: TxContext,
                                      msg: WithdrawProjectBudget) -> list[object]:
    """Owner: take uncommitted budget back (escrowed amounts are not budget any more)."""
    owned(state, msg.project_id, ctx.signer)
    projects.spend(state, msg.project_id, ctx.signer, msg.amount)
    projects.record(state, msg.project_id, HistoryEntry(block.time, "withdrawn", ctx.signer, msg.amount))
    budget = stored(projects.get(state, msg.project_id), f"project {msg.project_id}").budget
    return [ProjectBudgetChanged(msg.project_id, ctx.signer, -msg.amount, budget)]


def check_stateless_offer(msg: OfferProject, ctx: TxContext) -> None:
    addresses.validate(msg.to, "transfer target")


def check_and_execute_offer(state: StateWrite, block: BlockInfo, ctx: TxContext, msg: OfferProject) -> list[object]:
    """Owner: offer the project to ``to`` until ``expires_at`` (one open offer at a time).

    An earlier offer past its ``expires_at`` but still waiting in the expiry queue
    is expired here first, so the owner never waits on the queue.
    """
    project = owned(state, msg.project_id, ctx.signer)
    if msg.to == project.owner:
        raise InvalidTransferTarget("a project cannot be offered to its own owner")
    earlier = projects.get_offer(state, project.id)
    if earlier is not None and block.time < earlier.expires_at:
        raise TransferPending(f"project {project.id} already has an open transfer offer")
    window = block.market.max_transfer_window
    if not block.time < msg.expires_at <= block.time + window:
        raise InvalidExpiry(f"expires_at must be after block time {block.time} and within {window} s of it")
    events = [] if earlier is None else expire_offer(state, block, earlier)
    projects.put_offer(state, projects.TransferOffer(project.id, ctx.signer, msg.to, block.time, msg.expires_at))
    projects.record(state, project.id, HistoryEntry(block.time, "offered", ctx.signer, 0, 0, msg.to))
    return events + [ProjectOffered(project.id, ctx.signer, msg.to, msg.expires_at)]


def check_stateless_withdraw_offer(msg: WithdrawProjectOffer, ctx: TxContext) -> None:
    pass


def check_and_execute_withdraw_offer(state: StateWrite, block: BlockInfo, ctx: TxContext,
                                     msg: WithdrawProjectOffer) -> list[object]:
    """Owner: withdraw the open transfer offer."""
    project = owned(state, msg.project_id, ctx.signer)
    offer = projects.get_offer(state, project.id)
    if offer is None or block.time >= offer.expires_at:   # an expired offer waits for its queue, not a withdrawal
        raise NoTransferOffer(f"project {project.id} has no open transfer offer")
    projects.drop_offer(state, offer)
    projects.record(state, project.id, HistoryEntry(block.time, "offer_withdrawn", ctx.signer, 0, 0, offer.target))
    return [ProjectOfferClosed(project.id, "withdrawn")]


def check_stateless_accept(msg: AcceptProject, ctx: TxContext) -> None:
    pass


def check_and_execute_accept(state: StateWrite, block: BlockInfo, ctx: TxContext, msg: AcceptProject) -> list[object]:
    """Target: take over the project with its budget, open requests, agreements, documents and history."""
    project = load(state, msg.project_id)
    offer = projects.get_offer(state, project.id)
    if offer is None or block.time >= offer.expires_at:
        raise NoTransferOffer(f"project {project.id} has no open transfer offer")
    if offer.target != ctx.signer:
        raise NotTransferTarget(f"project {project.id} is offered to {offer.target}, not {ctx.signer}")
    projects.drop_offer(state, offer)
    source, target = project.owner, ctx.signer
    request_ids = projects.open_requests(state, project.id)
    for request_id in request_ids:
        market.hand_over_request(state, stored(market.get_request(state, request_id), f"request {request_id}"), target)
    agreement_ids = projects.open_agreements(state, project.id)
    for agreement_id in agreement_ids:
        agreements.put(state, _handed_over(stored(agreements.get(state, agreement_id), f"agreement {agreement_id}"),
                                           target))
    moved = documents.hand_over(state, "project", project.id, source, target)
    projects.put(state, replace(stored(projects.get(state, project.id), f"project {project.id}"), owner=target))
    projects.index_owner(state, project.id, source, target)
    projects.record(state, project.id, HistoryEntry(block.time, "transferred", target, project.budget, 0, source))
    return [ProjectTransferred(project.id, source, target, project.budget, len(request_ids), len(agreement_ids), moved)]


def _handed_over(agreement: Agreement, target: str) -> Agreement:
    """The requester side becomes ``target``; a target that is the provider or arbiter would deal with itself."""
    if target in (agreement.provider, agreement.arbiter):
        raise InvalidTransferTarget(f"the target is a party or the arbiter of agreement {agreement.id}")
    return replace(agreement, requester=target)


def end_block(state: StateWrite, block: BlockInfo) -> list[object]:
    """Expire the transfer offers whose time has come: at most ``max_due_per_block``, earliest first.

    If the owner is a dissolved organization, its cascade left the budget for the
    offer's target; unaccepted, the budget now returns to the owner's treasury.
    """
    entries, report = due.take(state, due.TRANSFER_OFFERS, keys.DUE_PREFIX, block)
    events: list[object] = []
    for project_id in entries:
        offer = stored(projects.get_offer(state, project_id), f"transfer offer of project {project_id}")
        events += expire_offer(state, block, offer)
    return events + report


def expire_offer(state: StateWrite, block: BlockInfo, offer: TransferOffer) -> list[object]:
    """Drop a transfer offer whose time has come; a dissolved owner's budget returns to its treasury."""
    project_id = offer.project_id
    projects.drop_offer(state, offer)
    projects.record(state, project_id, HistoryEntry(block.time, "offer_expired", offer.source, 0, 0, offer.target))
    events: list[object] = [ProjectOfferClosed(project_id, "expired")]
    project = stored(projects.get(state, project_id), f"project {project_id}")
    if projects.owner_dissolved(state, project):
        amount = projects.return_budget(state, project, block.time)
        events.append(ProjectBudgetReturned(project_id, project.owner, amount))
    return events

