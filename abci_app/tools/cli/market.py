"""``samen tx request|offer|standing …``: the market's transaction commands (one group factory each)."""

from __future__ import annotations

from typing import Annotated

import typer

from abci_app.tools.cli.lazy import factory
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


def _group(help_text: str, commands: tuple) -> typer.Typer:
    group = typer.Typer(help=help_text, no_args_is_help=True)
    for name, build in commands:
        tx_command(group, name, build)
    return group


@factory
def request_group() -> typer.Typer:
    return _group("Requests (vraag).", (("post", post_request), ("withdraw", withdraw_request)))


@factory
def offer_group() -> typer.Typer:
    return _group("Offers (aanbod) on requests.", (("make", make_offer), ("withdraw", withdraw_offer),
                                                   ("accept", accept_offer)))


@factory
def standing_group() -> typer.Typer:
    return _group("Standing offers.", (("publish", publish_standing), ("withdraw", withdraw_standing),
                                       ("take", take_standing)))
