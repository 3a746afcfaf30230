"""The collaboration story done entirely in the browser, by four browser contexts (members
ana, ben and cas, and provider pim), each with its own key created in the page; a faucet
account only funds them.  Organization, treasury funding, a request posted by proposal, two
offers, acceptance by proposal and votes, two milestones (one delivered and accepted, one
disputed and split by the arbiter), ratings, a document hashed in the page, and a project
the organization created and moved to a second organization.  Afterwards balances and
states are read through GraphQL, the supply is conserved, and no request any page sent
carried a passphrase, key material or the document's bytes.  Screenshots of the new views
go to ``test-output/dashboard/`` (and ``docs/screenshots/`` with SAMEN_UPDATE_SCREENSHOTS=1).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil

import pytest

from tests.dashboard.browser_app import PASSPHRASE, act, create_key, event_id
from tests.dashboard.conftest import DOCS_SHOTS, OUTPUT, devnet_with_api
from tests.support.node import signer_for

FAUCET = signer_for("faucet")
FEE = 2
START = 200_000
DOCUMENT = b"%PDF-1.4 raised beds design, samen browser story, marker 7f3a9c\n"
PEOPLE = ("ana", "ben", "cas", "pim")


class Member:
    def __init__(self, browser, base: str, name: str) -> None:
        self.name, self.base = name, base
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.set_default_timeout(30_000)
        self.page = self.context.new_page()
        self.requests: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append((r.url, r.post_data or "")))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.address = ""

    def act(self, kind: str, fields: dict, **options):
        return act(self.page, self.base, kind, fields, fee=str(FEE), **options)

    def shot(self, name: str) -> None:
        OUTPUT.mkdir(parents=True, exist_ok=True)
        path = OUTPUT / f"{name}-1280.png"
        self.page.screenshot(path=str(path), full_page=True)
        if os.environ.get("SAMEN_UPDATE_SCREENSHOTS") == "1":
            DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, DOCS_SHOTS / f"{name}.png")


def fund(node, sequence: int, address: str) -> None:
    from abci_app.chain.domain.accounts.messages import Transfer
    tx = FAUCET.sign_tx(node.chain_id, sequence, Transfer(address, START, "welcome"), fee=FEE)
    answer = node.broadcast_commit(tx)
    assert int(answer["tx_result"].get("code", 0)) == 0, answer


def propose_and_pass(proposer: Member, voter: Member, org_id: str, title: str, kind: str, fields: dict) -> str:
    """``proposer`` submits a one-action proposal, ``voter`` votes yes (proposer's weight + voter's passes)."""
    nested = {"actions.0.kind": kind, **{f"actions.0.{kind}.{k}": v for k, v in fields.items()}}
    submitted = proposer.act("submit_proposal", {"org_id": org_id, "title": title, **nested})
    proposal = event_id(submitted, "proposal_id")
    proposer.act("vote", {"proposal_id": proposal, "choice": "1", "reason": "agreed"})
    if voter is not proposer:
        voter.act("vote", {"proposal_id": proposal, "choice": "1"})
    return proposal


def open_desk(member: Member, kind: str) -> str:
    """Open the member's desk, wait for an item of ``kind`` and for the nav count; return the desk's text."""
    member.page.goto(f"{member.base}/#/me")
    member.page.wait_for_selector(f"[data-testid=desk] [data-desk={kind}]")
    member.page.wait_for_function("() => !document.getElementById('desk-count').hidden")
    assert int(member.page.text_content("#desk-count")) >= 1
    return member.page.inner_text("[data-testid=desk]")


def tell(members: dict[str, Member], server) -> dict:
    """The story; returns the ids and addresses the tests check."""
    ana, ben, cas, pim = (members[n] for n in PEOPLE)
    q = server.data
    made = ana.act("create_organization", {
        "name": "Buurtmoestuin", "purpose": "A shared vegetable garden",
        "members": f"{ana.address} 2\n{ben.address} 1\n{cas.address} 1",
        "policy.kind": "1", "policy.threshold": "3", "policy.voting_period": "1d", "policy.exit_right": True})
    org = event_id(made, "org_id")
    treasury = q("query($o: String!) { organization(id: $o) { treasury } }", {"o": org})["organization"]["treasury"]
    ben.act("transfer", {"to": treasury, "amount": "60000", "memo": "for the garden"})
    propose_and_pass(ana, ben, org, "Ask for raised beds", "post_request", {
        "title": "Build four raised beds", "description": "Larch, 120 x 240 cm", "tags": "garden, wood",
        "budget": "20000", "offers_until": "+2d"})
    request = q("query($t: String!) { requests(where: {requester: $t}) { id } }", {"t": treasury})["requests"][0]["id"]
    offer = event_id(pim.act("make_offer", {
        "request_id": request, "price": "12000", "deadline": "+10d", "arbiter": cas.address,
        "milestones": "Design | 4000 | +5d\nBuild | 8000 | +10d"}, on_review=lambda: pim.shot("app-review")), "offer_id")
    pim.shot("app-result")
    ben_offer = event_id(ben.act("make_offer", {"request_id": request, "price": "15000", "deadline": "+12d"}), "offer_id")
    propose_and_pass(ana, cas, org, "Take Pim's offer", "accept_offer", {"offer_id": offer})
    agreement = q("query($p: String!) { agreements(where: {provider: $p}) { id } }", {"p": pim.address})["agreements"][0]["id"]
    pim.act("publish_document", {"content_hash.file": DOCUMENT, "title": "Raised beds: design", "media_type": "application/pdf"})
    pim.act("deliver_milestone", {"agreement_id": agreement, "milestone": "0", "delivery_hash.file": DOCUMENT})
    desk = open_desk(ana, "review")
    assert f"Review the delivery of milestone 0 \"Design\" of agreement {agreement} (for Buurtmoestuin)" in desk, desk
    notices = ana.page.inner_text("[data-testid=notices]")          # what the other side did since ana last looked
    assert f"The provider delivered milestone 0 \"Design\" of Buurtmoestuin's agreement {agreement}" in notices, notices
    ana.shot("app-desk")
    propose_and_pass(ana, ben, org, "Accept the design", "accept_milestone", {"agreement_id": agreement, "milestone": "0"})
    pim.act("deliver_milestone", {"agreement_id": agreement, "milestone": "1", "delivery_hash": "ab" * 32})
    propose_and_pass(ana, ben, org, "Dispute the build", "dispute_milestone", {"agreement_id": agreement, "milestone": "1"})
    assert "as arbiter" in open_desk(cas, "decide")
    cas.act("resolve_dispute", {"agreement_id": agreement, "milestone": "1", "provider_bps": "6000"})
    pim.act("rate_agreement", {"agreement_id": agreement, "score": "4"})
    propose_and_pass(ana, ben, org, "Rate Pim", "rate_agreement", {"agreement_id": agreement, "score": "3"})
    pim.page.goto(f"{pim.base}/#/me")
    pim.page.wait_for_function(f"() => /rated agreement {agreement}/.test((document.querySelector('[data-testid=notices]') || {{}}).innerText)")
    notices = pim.page.inner_text("[data-testid=notices]")
    assert f"The requester disputed milestone 1 \"Build\" of agreement {agreement}" in notices, notices
    assert f"The requester rated agreement {agreement}: 3/5" in notices, notices
    pim.page.click("[data-action=mark-seen]")
    pim.page.wait_for_selector("[data-testid=notices]", state="detached")
    propose_and_pass(ana, ben, org, "Start the 2027 project", "create_project", {
        "title": "Garden 2027", "description": "Beds, shed and water", "budget": "5000"})
    project = q("query($o: String!) { projects(owner: $o) { id } }", {"o": treasury})["projects"][0]["id"]
    org2 = event_id(ben.act("create_organization", {
        "name": "Stadstuinen", "purpose": "City gardens together", "members": f"{ben.address} 1\n{cas.address} 1",
        "policy.kind": "1", "policy.threshold": "1", "policy.voting_period": "1d"}), "org_id")
    treasury2 = q("query($o: String!) { organization(id: $o) { treasury } }", {"o": org2})["organization"]["treasury"]
    propose_and_pass(ana, ben, org, "Hand the project to Stadstuinen", "offer_project", {
        "project_id": project, "to": treasury2, "expires_at": "+1d"})
    propose_and_pass(ben, ben, org2, "Take over Garden 2027", "accept_project", {"project_id": project})
    return dict(org=org, treasury=treasury, org2=org2, treasury2=treasury2, request=request, offer=offer,
                ben_offer=ben_offer, agreement=agreement, project=project)


@pytest.fixture(scope="module")
def story(browser):
    with devnet_with_api("snstory", [(FAUCET.address, 10_000_000)], params={"min_fee": FEE}) as (node, server, _):
        base = f"http://127.0.0.1:{server.port}"
        supply_before = int(server.data("{ status { supply } }")["status"]["supply"])
        members = {name: Member(browser, base, name) for name in PEOPLE}
        try:
            for i, (name, member) in enumerate(members.items()):
                member.address = create_key(member.page, base, name)
                fund(node, i, member.address)
            members["ana"].shot("app-me")
            ids = tell(members, server)
            yield dict(server=server, members=members, ids=ids, supply_before=supply_before)
        finally:
            for member in members.values():
                member.context.close()


def test_the_agreement_ends_with_one_milestone_paid_and_one_split_by_the_arbiter(story):
    ids, m = story["ids"], story["members"]
    a = story["server"].data("""query($id: String!) { agreement(id: $id) { requester provider arbiter status outcome
      milestones { status toProvider toRequester deliveryHash } } }""", {"id": ids["agreement"]})["agreement"]
    assert (a["requester"], a["provider"], a["arbiter"]) == (ids["treasury"], m["pim"].address, m["cas"].address)
    assert a["outcome"] == "arbitrated", a
    first, second = a["milestones"]
    assert (int(first["toProvider"]), int(first["toRequester"])) == (4000, 0)
    assert (int(second["toProvider"]), int(second["toRequester"])) == (4800, 3200)
    assert first["deliveryHash"] == hashlib.sha256(DOCUMENT).hexdigest()


def test_the_document_was_hashed_in_the_page_and_registered(story):
    doc = story["server"].data("query($h: String!) { document(hash: $h) { title owner } }",
                               {"h": hashlib.sha256(DOCUMENT).hexdigest()})["document"]
    assert doc == {"title": "Raised beds: design", "owner": story["members"]["pim"].address}


def test_the_project_moved_to_the_second_organization(story):
    ids = story["ids"]
    p = story["server"].data("query($id: String!) { project(id: $id) { owner budget history { kind } } }",
                             {"id": ids["project"]})["project"]
    assert p["owner"] == ids["treasury2"] and int(p["budget"]) == 5000
    assert [h["kind"] for h in p["history"]][-1] in ("accepted", "transferred"), p["history"]


def test_the_offer_not_taken_stays_open_or_closed_and_ratings_were_given(story):
    ids, server = story["ids"], story["server"]
    offers = server.data("query($r: String!) { offers(where: {request: $r}) { id status } }", {"r": ids["request"]})["offers"]
    assert {o["id"] for o in offers} == {ids["offer"], ids["ben_offer"]}
    reputation = server.data("query($a: String!) { reputation(address: $a) { tag counts { ratingsReceived } } }",
                             {"a": story["members"]["pim"].address})["reputation"]
    assert next(r for r in reputation if r["tag"] is None)["counts"]["ratingsReceived"] == 1


def test_balances_add_up_and_the_supply_is_conserved(story):
    server, m, ids = story["server"], story["members"], story["ids"]
    supply = int(server.data("{ status { supply } }")["status"]["supply"])
    assert supply == story["supply_before"]
    accounts = server.data("{ accounts(first: 1000) { id balance } }")["accounts"]
    assert sum(int(a["balance"]) for a in accounts) == supply
    balances = {a["id"]: int(a["balance"]) for a in accounts}
    bond = int(server.data("query($id: String!) { agreement(id: $id) { milestones { bond } } }",
                           {"id": ids["agreement"]})["agreement"]["milestones"][1]["bond"])
    assert bond > 0
    # pim: start + 4000 (milestone 0) + 60% of milestone 1 and of the requester's dispute bond, less five fees
    # (offer, document, two deliveries, rating)
    assert balances[m["pim"].address] == START + 4000 + 4800 + bond * 6000 // 10_000 - 5 * FEE
    treasury = balances.get(ids["treasury"], 0)
    assert treasury < 60_000 - 12_000 + 3200      # paid escrow, got the split back, spent the project budget


def test_no_request_carried_a_passphrase_key_material_or_the_document(story):
    base = story["members"]["ana"].base
    secrets = [PASSPHRASE, DOCUMENT.decode(), "marker 7f3a9c", '"seed"', "ciphertext", "BEGIN PRIVATE"]
    for member in story["members"].values():
        keyfile = member.page.evaluate("""async () => (await import('/js/app/session.js')).exportText(
            (await import('/js/app/session.js')).currentName())""")
        doc = json.loads(keyfile)
        secrets_here = secrets + [doc["cipher"]["ciphertext"], doc["kdf"]["salt"]]
        assert member.requests, member.name
        for url, body in member.requests:
            assert url.startswith(base), url
            for secret in secrets_here:
                assert secret not in url and secret not in body, (member.name, url, secret)


def test_the_pages_ran_without_errors_or_policy_violations(story):
    for member in story["members"].values():
        assert [e for e in member.errors if "Failed to load resource" not in e] == [], (member.name, member.errors)


def test_the_views_keep_the_moved_project_and_show_the_delivery_hash(story):
    ids, ana = story["ids"], story["members"]["ana"]
    page = ana.page
    page.goto(f"{ana.base}/#/organizations/{ids['org']}")
    card = page.wait_for_selector(f"[data-project='{ids['project']}'] [data-testid=handed-over]")
    assert ids["treasury2"][:8] in card.inner_text()
    page.goto(f"{ana.base}/#/agreements/{ids['agreement']}")
    digest = hashlib.sha256(DOCUMENT).hexdigest()
    page.wait_for_selector(f"[data-delivery-hash='{digest}']")
    assert page.inner_text(f"[data-delivered-document='{digest}']") == ' "Raised beds: design"'   # the delivery is a registered document
    mark = page.wait_for_selector("[data-section=agreement] [data-testid=verified]:not([data-verified=checking])")
    assert mark.get_attribute("data-verified") == "yes", mark.inner_text()
    assert f"agreement {ids['agreement']} is settled (arbitrated)" in mark.inner_text()
    ana.shot("app-agreement")
    page.goto(f"{ana.base}/#/people/{story['members']['pim'].address}")       # documents by owner
    assert "Raised beds: design" in page.wait_for_selector(f"[data-testid=owned-documents] [data-document='{digest}']"
                                                           " >> xpath=ancestor::tr").inner_text()
