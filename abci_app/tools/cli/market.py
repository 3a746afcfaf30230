"""``samen tx request|offer|standing …`` and ``samen query request|offer|standing-offer``.

Register everything with ``market.register(tx_app, query_app)`` (one line in ``main.py``).
"""

from __future__ import annotations

from typing import Annotated

import typer

from abci_app.tools.cli import agreements_cli, documents_cli, market_query, projects_cli
from abci_app.tools.cli.marketflow import block_time, milestone, sha256_hex, tx_command
from abci_app.chain.domain.market import messages as m

Title = Annotated[str, typer.Option("--title", help="Short title.")]
Description = Annotated[str, typer.Option("--description", help="Longer description.")]
Tags = Annotated[list[str] | None, typer.Option("--tag", help="Skill tag (repeatable).")]
Arbiter = Annotated[str, typer.Option("--arbiter", help="Arbiter address (optional; never a party).")]
Terms = Annotated[str, typer.Option("--terms", help="SHA-256 of a published terms document (hex).")]
ProjectId = Annotated[int, typer.Option("--project", help="Pay from this project's budget (0: from the signer).")]


def post_request(title: Title, offers_until: Annotated[str, typer.Option("--offers-until",
                 help="Expiry: Unix seconds or +7d.")], description: Description = "", tag: Tags = None,
                 budget: Annotated[int, typer.Option("--budget", help="Highest acceptable price (0: none).")] = 0,
                 document: Annotated[list[str] | None, typer.Option("--document", help="Document hash (repeatable).")]
                 = None, project: ProjectId = 0):
    """Post a request (vraag) that takes offers until --offers-until."""
    docs = tuple(sha256_hex(d, "document") for d in document or ())
    return m.PostRequest(title, description, tuple(tag or ()), budget, block_time(offers_until, "--offers-until"),
                         docs, project)


def withdraw_request(request: Annotated[int, typer.Argument(help="Request id.")]):
    """Withdraw an open request (its offers close)."""
    return m.WithdrawRequest(request)


def make_offer(request: Annotated[int, typer.Option("--request", help="Request id.")],
               price: Annotated[int, typer.Option("--price")],
               deadline: Annotated[str, typer.Option("--deadline", help="Delivery deadline: Unix seconds or +14d.")],
               milestone_spec: Annotated[list[str] | None, typer.Option("--milestone",
                                         help="TITLE:AMOUNT:DEADLINE (repeatable; amounts add up to the price).")]
               = None, terms: Terms = "", arbiter: Arbiter = ""):
    """Make an offer (aanbod) on an open request."""
    return m.MakeOffer(request, price, block_time(deadline, "--deadline"),
                       tuple(milestone(s) for s in milestone_spec or ()), sha256_hex(terms, "--terms"), arbiter)


def withdraw_offer(offer: Annotated[int, typer.Argument(help="Offer id.")]):
    """Withdraw an open offer."""
    return m.WithdrawOffer(offer)


def accept_offer(offer: Annotated[int, typer.Argument(help="Offer id.")]):
    """Accept an offer on your request: the price goes into escrow and an agreement starts."""
    return m.AcceptOffer(offer)


def publish_standing(title: Title, price: Annotated[int, typer.Option("--price")],
                     delivery: Annotated[str, typer.Option("--delivery", help="Delivery time after taking, e.g. 10d.")],
                     description: Description = "", tag: Tags = None, terms: Terms = "", arbiter: Arbiter = ""):
    """Publish a standing offer: a service at a fixed price, taken directly."""
    seconds = block_time("+" + delivery.lstrip("+"), "--delivery") - block_time("+0s")
    return m.PublishStandingOffer(title, description, tuple(tag or ()), price, seconds,
                                  sha256_hex(terms, "--terms"), arbiter)


def withdraw_standing(standing: Annotated[int, typer.Argument(help="Standing offer id.")]):
    """Withdraw a standing offer."""
    return m.WithdrawStandingOffer(standing)


def take_standing(standing: Annotated[int, typer.Argument(help="Standing offer id.")], project: ProjectId = 0):
    """Take a standing offer: the price goes into escrow and an agreement starts."""
    return m.TakeStandingOffer(standing, project)


def register(tx_app: typer.Typer, query_app: typer.Typer) -> None:
    """Add every market-family command to ``samen tx`` and ``samen query``."""
    request = typer.Typer(help="Requests (vraag).", no_args_is_help=True)
    offer = typer.Typer(help="Offers (aanbod) on requests.", no_args_is_help=True)
    standing = typer.Typer(help="Standing offers.", no_args_is_help=True)
    for group, name, build in ((request, "post", post_request), (request, "withdraw", withdraw_request),
                               (offer, "make", make_offer), (offer, "withdraw", withdraw_offer),
                               (offer, "accept", accept_offer), (standing, "publish", publish_standing),
                               (standing, "withdraw", withdraw_standing), (standing, "take", take_standing)):
        tx_command(group, name, build)
    tx_app.add_typer(request, name="request")
    tx_app.add_typer(offer, name="offer")
    tx_app.add_typer(standing, name="standing")
    tx_app.add_typer(agreements_cli.group(), name="agreement")
    tx_app.add_typer(projects_cli.group(), name="project")
    tx_app.add_typer(documents_cli.group(), name="document")
    market_query.register(query_app)
