"""``samen tx agreement deliver|accept|reclaim|dispute|resolve|cancel|rate``.

Milestones are numbered from 1 wherever a person sees them (``--milestone 1`` is
the first, as on the dashboard and in ``samen query agreement``); the message
carries the 0-based index.
"""

from __future__ import annotations

from typing import Annotated

import typer

from abci_app.tools.cli.lazy import factory
from abci_app.tools.cli.marketflow import sha256_hex, tx_command
from abci_app.chain.domain.agreements import messages as a

Agreement = Annotated[int, typer.Argument(help="Agreement id.")]
Milestone = Annotated[int, typer.Option("--milestone", min=1, max=1 << 32,
                                        help="Milestone number (1 = the first or only one).")]


def deliver(agreement: Agreement, delivery: Annotated[str, typer.Option("--delivery", help="SHA-256 of the delivery"
            " document (hex).")], milestone: Milestone = 1):
    """Provider: mark a milestone delivered."""
    return a.DeliverMilestone(agreement, milestone - 1, sha256_hex(delivery, "--delivery"))


def accept(agreement: Agreement, milestone: Milestone = 1):
    """Requester: accept a delivered milestone (its escrow is paid to the provider)."""
    return a.AcceptMilestone(agreement, milestone - 1)


def reclaim(agreement: Agreement, milestone: Milestone = 1):
    """Requester: reclaim an undelivered milestone after its deadline (broken)."""
    return a.ReclaimMilestone(agreement, milestone - 1)


def dispute(agreement: Agreement, milestone: Milestone = 1,
            reason: Annotated[str, typer.Option("--reason", help="SHA-256 of a reason document (hex).")] = ""):
    """Requester: dispute a delivered milestone within its review window (a bond of dispute_bond_bps is escrowed)."""
    return a.DisputeMilestone(agreement, milestone - 1, sha256_hex(reason, "--reason"))


def resolve(agreement: Agreement, provider_bps: Annotated[int, typer.Option("--provider-bps",
            min=0, max=10_000,
            help="Provider's share in basis points (0..10000).")], milestone: Milestone = 1):
    """Arbiter: split a disputed milestone's escrow."""
    return a.ResolveDispute(agreement, milestone - 1, provider_bps)


def cancel(agreement: Agreement,
           revision: Annotated[int, typer.Option("--revision", help="The agreement revision you saw (GraphQL"
                                                 " Agreement.revision); a changed agreement refuses it.")] = 0,
           withdraw: Annotated[bool, typer.Option("--withdraw", help="Take back your own standing proposal.")] = False):
    """Either party: propose cancelling, or confirm the other's proposal (same --revision); --withdraw takes yours back."""
    if not withdraw and revision <= 0:
        raise typer.BadParameter("give the agreement's current --revision (or --withdraw)", param_hint="--revision")
    return a.CancelAgreement(agreement, revision, withdraw)


def rate(agreement: Agreement, score: Annotated[int, typer.Option("--score", min=1, max=5, help="1 to 5.")],
         comment: Annotated[str, typer.Option("--comment", help="SHA-256 of a comment document (hex).")] = ""):
    """Either party of a settled agreement: rate the other once."""
    return a.RateAgreement(agreement, score, sha256_hex(comment, "--comment"))


@factory
def group() -> typer.Typer:
    app = typer.Typer(help="Agreements: delivery, acceptance, disputes, cancellation, ratings.", no_args_is_help=True)
    for name, build in (("deliver", deliver), ("accept", accept), ("reclaim", reclaim), ("dispute", dispute),
                        ("resolve", resolve), ("cancel", cancel), ("rate", rate)):
        tx_command(app, name, build)
    return app
