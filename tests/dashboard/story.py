"""The collaboration story the dashboard tests look at, told through real signed transactions.

``tell(node)`` commits, one ``broadcast_tx_commit`` at a time, a small but complete
picture of a Samen network and returns a ``Story`` with the ids it created:

* an organization (alice 3, bob 2, carol 1; passes at weight 4) with a funded treasury,
  a proposal that is still open (alice voted yes: 3 of 4), a rejected proposal, and a
  project moved into it by a passed proposal (offered by alice, accepted by the treasury);
* open requests (two by members of the organization, one by erin who is not), offers, a standing offer, and agreements in every state the pipeline
  shows: arbitrated (one milestone accepted, one disputed and split by the arbiter),
  completed from a standing offer, delivered, active, disputed (open) and cancelled; ratings; a document
  attached to the disputed agreement.

Every transaction must succeed (``StoryError`` otherwise, with the node's log line).
Ids are read from the events each transaction emitted, never assumed.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field

from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.agreements.messages import (AcceptMilestone, CancelAgreement, DeliverMilestone, DisputeMilestone,
                                                 RateAgreement, ResolveDispute)
from abci_app.chain.domain.documents.messages import AttachDocument, PublishDocument
from abci_app.chain.domain.market.messages import (AcceptOffer, MakeOffer, MilestoneSpec, PostRequest, PublishStandingOffer,
                                             TakeStandingOffer)
from abci_app.chain.domain.organizations.messages import THRESHOLD, CreateOrganization, OrgMember, OrgPolicy
from abci_app.chain.domain.organizations.state import treasury_address
from abci_app.chain.domain.projects.messages import AcceptProject, CreateProject, OfferProject
from abci_app.chain.domain.proposals.messages import NO, YES, SubmitProposal, Vote
from tests.support.node import TestNode, signer_for

NAMES = ("alice", "bob", "carol", "dave", "erin")
START_BALANCE = 1_000_000
DAY = 86_400
FEE = 3          # every story transaction pays a small fee, so the friction figures show fees


class StoryError(AssertionError):
    """A story transaction was rejected."""


def doc_hash(label: str) -> bytes:
    return hashlib.sha256(f"samen dashboard story: {label}".encode()).digest()


def accounts() -> list[tuple[str, int]]:
    """Genesis accounts for the story's node."""
    return [(signer_for(name).address, START_BALANCE) for name in NAMES]


def address(name: str) -> str:
    return signer_for(name).address


@dataclass
class Story:
    node: TestNode
    sequences: dict[str, int] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)

    def send(self, name: str, action, fee: int = FEE) -> dict:
        """Sign ``action`` as ``name`` with its next sequence and ``fee``, commit it, and return the tx result."""
        sequence = self.sequences.get(name)
        if sequence is None:
            sequence = self.node.sequence(address(name))
        tx = signer_for(name).sign_tx(self.node.chain_id, sequence, action, fee=fee)
        answer = self.node.broadcast_commit(tx)
        self.sequences[name] = sequence + 1
        for phase in ("check_tx", "tx_result"):
            if int(answer[phase].get("code", 0)) != 0:
                raise StoryError(f"{name} {type(action).__name__} rejected in {phase}: {answer[phase].get('log')}")
        return answer["tx_result"]

    def send_id(self, name: str, action, key: str) -> int:
        """``send`` and return the integer attribute ``key`` of the first event that carries it."""
        result = self.send(name, action)
        for event in result.get("events", []):
            for attr in event.get("attributes", []):
                if attr.get("key") == key:
                    return int(attr["value"])
        raise StoryError(f"{type(action).__name__} emitted no {key}: {result.get('events')}")


def _milestones(now: int, *amounts: int) -> tuple[MilestoneSpec, ...]:
    return tuple(MilestoneSpec(f"Milestone {i + 1}", amount, now + (10 + i) * DAY) for i, amount in enumerate(amounts))


def agreement(story: Story, requester: str, provider: str, title: str, tags: tuple[str, ...], price: int,
              arbiter: str = "", milestones: tuple[int, ...] = ()) -> int:
    """Post a request, make one offer, accept it; return the agreement id."""
    now = int(time.time())
    request_id = story.send_id(requester, PostRequest(title, f"{title} (dashboard story)", tags, price, now + 7 * DAY),
                               "request_id")
    specs = _milestones(now, *milestones) if milestones else ()
    offer_id = story.send_id(provider, MakeOffer(request_id, price, now + 14 * DAY, specs, b"", arbiter), "offer_id")
    return story.send_id(requester, AcceptOffer(offer_id), "agreement_id")


def tell(node: TestNode) -> Story:
    """Commit the whole story (about 50 transactions); return its ids."""
    s = Story(node)
    ids = s.ids
    now = int(time.time())

    # An organization without managers, with a treasury.
    members = (OrgMember(address("alice"), 3), OrgMember(address("bob"), 2), OrgMember(address("carol"), 1))
    members = tuple(sorted(members, key=lambda m: m.address))
    ids["org"] = s.send_id("alice", CreateOrganization("Buurtzorg Collective", "First aid in the neighbourhood",
                                                       members, OrgPolicy(THRESHOLD, 4, 3600, 0, False)), "org_id")
    treasury = treasury_address(ids["org"])
    s.send("alice", Transfer(treasury, 5_000, "seed the treasury"))

    # A proposal left open (3 of 4) and one rejected (no-weight makes 4 unreachable).
    ids["open_proposal"] = s.send_id("alice", SubmitProposal(ids["org"], "Pay dave for the training kit",
                                                             "700 from the treasury", (Transfer(address("dave"), 700),)),
                                     "proposal_id")
    s.send("alice", Vote(ids["open_proposal"], YES, "we need the kit"))
    ids["rejected_proposal"] = s.send_id("bob", SubmitProposal(ids["org"], "Buy a second defibrillator",
                                                               "2000 from the treasury",
                                                               (Transfer(address("erin"), 2_000),)), "proposal_id")
    s.send("bob", Vote(ids["rejected_proposal"], NO, "one is enough"))
    s.send("carol", Vote(ids["rejected_proposal"], NO))

    # A project moved into the organization by a passed proposal.
    ids["project"] = s.send_id("alice", CreateProject("Neighbourhood first-aid kits", "Kits in every street",
                                                      1_500), "project_id")
    s.send("alice", OfferProject(ids["project"], treasury, now + 30 * DAY))
    ids["project_proposal"] = s.send_id("alice", SubmitProposal(ids["org"], "Take over the first-aid kits project",
                                                                "alice hands it over", (AcceptProject(ids["project"]),)),
                                        "proposal_id")
    s.send("alice", Vote(ids["project_proposal"], YES))
    s.send("carol", Vote(ids["project_proposal"], YES))

    # Arbitrated: one milestone accepted, the other disputed and split by erin (the arbiter).
    ids["disputed"] = agreement(s, "bob", "carol", "Train 10 volunteers in first aid", ("first-aid", "training"),
                                800, arbiter=address("erin"), milestones=(400, 400))
    s.send("carol", PublishDocument(doc_hash("syllabus"), "Training syllabus", "application/pdf",
                                    "https://example.invalid/syllabus.pdf"))
    s.send("carol", AttachDocument(doc_hash("syllabus"), "agreement", ids["disputed"]))
    s.send("carol", DeliverMilestone(ids["disputed"], 0, doc_hash("evening 1")))
    s.send("bob", AcceptMilestone(ids["disputed"], 0))
    s.send("carol", DeliverMilestone(ids["disputed"], 1, doc_hash("evening 2")))
    s.send("bob", DisputeMilestone(ids["disputed"], 1, doc_hash("only 6 came")))
    s.send("erin", ResolveDispute(ids["disputed"], 1, 6_000))
    s.send("bob", RateAgreement(ids["disputed"], 3))
    s.send("carol", RateAgreement(ids["disputed"], 4))

    # Completed from a standing offer.
    ids["standing"] = s.send_id("dave", PublishStandingOffer("Bike repair", "Any bike, within three days",
                                                             ("repair",), 300, 3 * DAY), "standing_offer_id")
    ids["from_standing"] = s.send_id("alice", TakeStandingOffer(ids["standing"]), "agreement_id")
    s.send("dave", DeliverMilestone(ids["from_standing"], 0, doc_hash("bike")))
    s.send("alice", AcceptMilestone(ids["from_standing"], 0))
    s.send("alice", RateAgreement(ids["from_standing"], 5))

    # Delivered (awaiting review), active, disputed and waiting for the arbiter, cancelled.
    ids["delivered"] = agreement(s, "erin", "bob", "Design a flyer", ("design",), 250)
    s.send("bob", DeliverMilestone(ids["delivered"], 0, doc_hash("flyer")))
    ids["active"] = agreement(s, "dave", "carol", "Fix the website", ("web",), 600)
    ids["in_dispute"] = agreement(s, "dave", "erin", "Repair the bike shed", ("repair",), 450, arbiter=address("carol"))
    s.send("erin", DeliverMilestone(ids["in_dispute"], 0, doc_hash("shed")))
    s.send("dave", DisputeMilestone(ids["in_dispute"], 0, doc_hash("roof still leaks")))
    ids["cancelled"] = agreement(s, "erin", "alice", "Cater the annual meeting", ("catering",), 400)
    s.send("alice", CancelAgreement(ids["cancelled"], revision=1))   # made at revision 1
    s.send("erin", CancelAgreement(ids["cancelled"], revision=2))    # the proposal is revision 2

    # Open requests with open offers, for the market page and its filters.
    ids["open_translation"] = s.send_id("carol", PostRequest("Translate the volunteer handbook", "Dutch to English",
                                                             ("translation",), 500, now + 7 * DAY), "request_id")
    s.send("dave", MakeOffer(ids["open_translation"], 450, now + 20 * DAY))
    ids["open_first_aid"] = s.send_id("alice", PostRequest("Refill the first-aid kits", "Twelve kits",
                                                           ("first-aid",), 200, now + 7 * DAY), "request_id")
    s.send("erin", MakeOffer(ids["open_first_aid"], 180, now + 10 * DAY))
    ids["open_painting"] = s.send_id("erin", PostRequest("Paint the community room", "Two walls, one weekend",
                                                         ("painting",), 350, now + 7 * DAY), "request_id")
    return s
