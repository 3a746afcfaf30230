"""The dashboard in Debian's Chromium (headless, Playwright) against a real devnet after the story.

What the pages may show is fixed by the committed ``graphql_api/schema.graphql``: every
field the pages read is in it, the node serves exactly it, and each page must show
exactly what the chain holds.  A node whose schema lacks a field must say so ("Not
available on this node" naming it): that is tested once, against the committed schema
with fields removed (``tests/dashboard/reduced_schema.py``).
"""

from __future__ import annotations

import re

import pytest

from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.proposals.messages import YES, Vote
from tests.dashboard.reduced_schema import COMMITTED_FIELDS, serve_without
from tests.dashboard.story import address
from tests.dashboard.org_tools_checks import (  # noqa: F401  (runs on this module's devnet)
    test_an_organization_page_shows_delegations_roles_streams_and_sub_organizations_with_app_links)

pytestmark = [pytest.mark.node, pytest.mark.timeout(240)]

PAGES = ("network", "organizations", "market", "agreements", "people", "friction")
PHONE = 390
# The Query fields the pages read (dashboard/js/pages/*.js).
PAGE_FIELDS = {"_meta", "account", "accounts", "agreement", "agreements", "attachments", "block", "blocks", "counts",
               "delegations", "document", "documents", "events", "friction", "offers", "organization", "organizations",
               "parentOrganization", "projects", "proposals", "recurringCost", "reputation", "requests", "roles",
               "standingOffers", "status", "stream", "streams", "subOrganizations", "validators"}


def schema_fields(server) -> set[str]:
    return {f["name"] for f in server.data('{ __type(name: "Query") { fields { name } } }')["__type"]["fields"]}


def test_the_committed_schema_has_every_field_the_pages_read_and_the_node_serves_it(stack):
    _, server, _ = stack
    assert PAGE_FIELDS <= COMMITTED_FIELDS, sorted(PAGE_FIELDS - COMMITTED_FIELDS)
    assert schema_fields(server) == COMMITTED_FIELDS


def state_of(page, section: str) -> str:
    return page.get_attribute(f"[data-section={section}]", "data-state")


def assert_unavailable(page, section: str, field: str) -> None:
    assert state_of(page, section) == "unavailable"
    text = page.inner_text(f"[data-section={section}] .unavailable")
    assert "Not available on this node" in text and field in text, text


def as_of(page) -> int:
    text = page.inner_text("[data-testid=asof]")
    match = re.match(r"As of blocks? (\d+)", text)
    assert match, f"the view does not say which block it reflects: {text!r}"
    return int(match.group(1))


def check_network(page, node, server) -> None:
    assert page.inner_text("[data-stat=chain-id] .value") == node.chain_id
    assert int(page.inner_text("[data-stat=height] .value")) >= as_of(page) - 1
    validator = node.rpc.validators()["validators"][0]["address"].lower()
    assert validator[:10] in page.inner_text("[data-testid=validators]")
    caption = re.fullmatch(r"1 validator at block (\d+)", page.inner_text("[data-testid=validators] caption"))
    drawn = int(page.inner_text("[data-section=validators] [data-testid=section-height]").split()[-1])
    assert caption and int(caption.group(1)) <= drawn, "the count names the block the view reflects, in the singular"
    # The only validator signs every block: its bar is all green but for the tip, whose commit is not in yet.
    assert page.locator("[data-testid=signatures-unavailable]").count() == 0
    assert page.locator("[data-testid=validators] svg.signbar rect.cell.signed").count() >= 45
    assert page.locator("[data-testid=validators] svg.signbar rect.cell.missed").count() == 0
    assert page.locator("[data-testid=latest-blocks] tbody tr").count() == 10
    assert page.locator("[data-chart=block-time] rect.bar").count() == 50
    shown = int(page.inner_text("[data-stat=height] .value"))
    expected = server.data("{ _meta(block: {number: %d}) { appHash } }" % shown)["_meta"]["appHash"]
    assert page.inner_text("[data-stat=app-hash] .detail") == expected


def test_every_page_shows_the_chain_state_and_the_block_it_reflects_at_1280px(stack, open_page):
    node, server, story = stack
    view = open_page(1280)

    page = view.go("network")
    as_of(page)
    check_network(page, node, server)
    view.shot("network")

    page = view.go("organizations")
    assert "Buurtzorg Collective" in page.inner_text("[data-testid=org-list]")
    view.follow(f"[data-org='{story.ids['org']}']")
    assert page.locator("[data-testid=members] tbody tr").count() == 3
    assert page.locator("[data-testid=proposals] [data-proposal]").count() == 3
    assert page.get_attribute(f"[data-proposal='{story.ids['rejected_proposal']}']", "data-status") == "rejected"
    history = page.inner_text(f"[data-project='{story.ids['project']}'] [data-testid=project-history]")
    assert "created" in history and "transferred" in history and "1 500" in history
    as_of(page)
    view.shot("organizations")

    page = view.go("market")
    text = page.inner_text("[data-testid=requests]")
    assert "Translate the volunteer handbook" in text and "Refill the first-aid kits" in text
    assert "Train 10 volunteers" not in text          # agreed: no longer open
    assert "Bike repair" in page.inner_text("[data-testid=standing-offers]")
    as_of(page)
    view.shot("market")

    page = view.go("agreements")
    counts = {s: int(page.inner_text(f"[data-status={s}] [data-testid=count]"))
              for s in ("active", "delivered", "disputed", "completed", "arbitrated", "broken", "cancelled")}
    assert counts == {"active": 1, "delivered": 1, "disputed": 1, "completed": 1, "arbitrated": 1, "broken": 0,
                      "cancelled": 1}
    assert page.inner_text("[data-testid=agreement-total]").startswith("6 agreements: 3 open, 3 settled")
    assert page.locator(f"[data-status=disputed] [data-agreement='{story.ids['in_dispute']}']").count() == 1
    view.shot("agreements")
    view.follow(f"[data-status=arbitrated] [data-agreement='{story.ids['disputed']}'] a")
    timeline = page.inner_text("[data-testid=timeline]")
    assert "Milestone 2 disputed by the requester" in timeline and "Settled: arbitrated" in timeline
    assert "Request #" in timeline and "First offer made" in timeline
    assert "resolved: 240 to the provider, 160 back to the requester" in timeline   # 60% of 400
    assert "rated" in timeline
    assert state_of(page, "documents") == "ready", view.sections()
    assert "Training syllabus" in page.inner_text("[data-section=documents]")
    as_of(page)
    view.shot("agreement-timeline")

    page = view.go("people")
    listed = page.inner_text("[data-testid=accounts]")
    for name in ("alice", "bob", "carol", "dave", "erin"):
        assert address(name)[:12] in listed
    as_of(page)
    view.go(f"people/{address('carol')}")
    balance = server.data('{ account(id: "%s") { balance } }' % address("carol"))["account"]["balance"]
    assert f"balance {int(balance):,}".replace(",", " ") in page.inner_text("[data-section=account]")
    assert state_of(page, "agreements") == "ready", view.sections()
    ratings = page.inner_text("[data-testid=ratings]")
    assert "3/5" in ratings and address("bob")[:8] in ratings        # bob rated carol 3
    roles = page.locator("[data-testid=person-agreements] tbody tr td:nth-child(2)").all_inner_texts()
    assert sorted(roles) == ["arbiter", "provider", "provider"]
    assert state_of(page, "reputation") == "ready", view.sections()
    overall = server.data('{ reputation(address: "%s") { tag score } }' % address("carol"))["reputation"]
    assert page.inner_text("[data-stat=score] .value") == f"{overall[0]['score'] / 1000:.2f}"
    skills = page.inner_text("[data-testid=skills]")
    assert "first-aid" in skills and "training" in skills
    view.shot("people")

    page = view.go("friction")
    assert page.locator("[data-chart=to-agreement] rect.bar").count() >= 1
    as_of(page)
    view.shot("friction")

    outside = [u for u in view.requests if not u.startswith(view.base + "/")]
    assert outside == [], f"the dashboard loaded something from outside its server: {outside}"
    assert view.errors == [], view.errors


def test_a_transfer_sent_during_the_test_appears_without_a_reload(stack, open_page):
    node, server, story = stack
    view = open_page(1280)
    page = view.go(f"people/{address('dave')}")
    before = int(server.data('{ account(id: "%s") { balance } }' % address("dave"))["account"]["balance"])
    page.evaluate("window.__samenNoReload = true")
    story.send("alice", Transfer(address("dave"), 4321, "dashboard live test"))
    expected = f"balance {before + 4321:,}".replace(",", " ")
    page.wait_for_function("t => document.querySelector('[data-section=account]').innerText.includes(t)",
                           arg=expected, timeout=10_000)
    assert page.evaluate("window.__samenNoReload === true"), "the page reloaded"


def test_a_vote_sent_during_the_test_updates_the_tally_without_a_reload(stack, open_page):
    node, server, story = stack
    view = open_page(1280)
    page = view.go(f"organizations/{story.ids['org']}")
    card = f"[data-proposal='{story.ids['open_proposal']}']"
    assert "yes 3 " in page.inner_text(f"{card} [data-testid=tally]")
    page.evaluate("window.__samenNoReload = true")
    story.send("bob", Vote(story.ids["open_proposal"], YES))
    page.wait_for_function("s => document.querySelector(s).innerText.includes('yes 5 ')", arg=card + " [data-testid=tally]")
    assert page.get_attribute(card, "data-status") in ("passed", "executed")
    assert page.evaluate("window.__samenNoReload === true"), "the page reloaded"


def test_the_network_page_follows_new_blocks_live(stack, open_page):
    view = open_page(1280)
    page = view.go("network")
    first = int(page.inner_text("[data-stat=height] .value"))
    page.wait_for_function("h => Number(document.querySelector('[data-stat=height] .value').innerText) > h", arg=first + 2)
    assert page.get_attribute("#status", "data-level") == "ok"
    assert "Live" in page.inner_text("#status")


def test_accounts_held_by_the_chain_are_named_and_a_treasury_links_to_its_organization(stack, open_page):
    _, server, _ = stack
    page = open_page(1280).go("people")
    people = page.inner_text("[data-testid=accounts]")
    held = page.inner_text("[data-testid=module-accounts]")
    org = server.data("{ organizations(first: 1) { id name treasury } }")["organizations"][0]
    assert f"Treasury of {org['name']}" in held and "Agreement escrow" in held and "Community pool" in held
    assert org["treasury"][:12] not in people
    assert page.get_attribute(f"[data-testid=module-accounts] a[href='#/organizations/{org['id']}']", "href")


def test_the_market_shows_closed_requests_and_each_offer_with_its_id_arbiter_and_milestones(stack, open_page):
    _, server, _ = stack
    page = open_page(1280).go("market")
    closed = server.data('{ requests(where: {status: "accepted"}) { id } }')["requests"]
    assert closed, "the story accepts offers"
    shown = page.inner_text("[data-testid=closed-requests]")
    assert f"#{closed[0]['id']} " in shown and "accepted" in shown
    offers = server.data("{ offers(first: 100) { id arbiter milestones { title } } }")["offers"]
    with_arbiter = next(o for o in offers if o["arbiter"])
    assert page.locator(f"[data-offer='{with_arbiter['id']}'] [data-arbiter='{with_arbiter['arbiter']}']").count() >= 1
    assert f"Offer #{with_arbiter['id']}:" in page.inner_text("[data-section=closed]") + page.inner_text("[data-section=requests]")
    with_milestones = [o for o in offers if len(o["milestones"]) > 1]
    for o in with_milestones[:1]:
        assert o["milestones"][0]["title"] in page.inner_text(f"[data-offer='{o['id']}']")


def test_market_filters_by_skill_tag_and_by_organization(stack, open_page):
    node, server, story = stack
    view = open_page(1280)
    page = view.go("market")
    titles = lambda: page.inner_text("[data-section=requests] .section-body")  # noqa: E731
    page.select_option("#filter-tag", "translation")
    page.wait_for_function("() => location.hash.includes('tag=translation')")
    view.settled()
    assert "Translate the volunteer handbook" in titles() and "Refill the first-aid kits" not in titles()
    page.select_option("#filter-tag", "")
    page.select_option("#filter-org", str(story.ids["org"]))
    page.wait_for_function("() => location.hash.includes('org=')")
    shown = titles()
    assert "Translate the volunteer handbook" in shown and "Refill the first-aid kits" in shown  # carol, alice: members
    assert "Paint the community room" not in shown                                              # erin: not a member
    page.select_option("#filter-org", "")
    page.wait_for_function("() => !location.hash.includes('org=')")
    assert "Paint the community room" in titles()


def drawn(page, chart: str, series: str) -> list[float]:
    """The values of one series of a chart, as the page drew them (bar data-value attributes)."""
    return [float(v) for v in page.locator(f"[data-chart={chart}] rect[data-series='{series}']")
            .evaluate_all("els => els.map(e => e.dataset.value)")]


def section_block(page, section: str) -> int:
    """The block a section says it drew."""
    return int(page.inner_text(f"[data-section={section}] [data-testid=section-height]").split()[-1])


def friction_drawn(page) -> dict:
    """What the friction section drew: its block and every series of its four charts."""
    return {"block": section_block(page, "friction"),
            **{(chart, series): drawn(page, chart, series) for chart, series in (
                ("to-agreement", "median"), ("to-agreement", "p90"), ("to-settlement", "median"),
                ("to-settlement", "p90"), ("disputes", "settled"), ("disputes", "disputed"), ("fees", "fees"),
                ("fees", "transactions"))}}


def friction_expected(server, args: str, block: int) -> dict:
    """What the friction section must draw for a scope at ``block``, from GraphQL."""
    figures = server.data('{ friction(period: day%s, block: {number: %d}) { period agreements disputed fees txs '
                          'toAgreement { median p90 } toSettlement { median p90 } } }' % (args, block))["friction"]
    assert figures, f"the story settled agreements in scope {args or 'all'}"
    expected = {"block": block}
    for chart, key in (("to-agreement", "toAgreement"), ("to-settlement", "toSettlement")):
        for series in ("median", "p90"):
            expected[(chart, series)] = [float(f[key][series]) for f in figures if f[key][series] >= 0]
    expected[("disputes", "settled")] = [f["agreements"] for f in figures]
    expected[("disputes", "disputed")] = [f["disputed"] for f in figures]
    expected[("fees", "fees")] = [float(f["fees"]) for f in figures]
    expected[("fees", "transactions")] = [f["txs"] for f in figures]
    return expected


def per_agreement_drawn(page) -> dict:
    return {"block": section_block(page, "friction-agreements"),
            "to settlement": drawn(page, "per-agreement-time", "to settlement")}


def per_agreement_expected(server, block: int) -> dict:
    settled = server.data('{ agreements(where: {settled: true, tag: "first-aid"}, block: {number: %d}) { id settledAt '
                          'friction { toAgreement toSettlement } } }' % block)["agreements"]
    settled.sort(key=lambda a: (a["settledAt"], int(a["id"])))
    return {"block": block, "to settlement": [float(a["friction"]["toSettlement"]) for a in settled]}


def assert_drawn(page, read, expect, what: str) -> None:
    """Assert that what the page drew (``read(page)``, with the block it drew at) is ``expect(block)``.

    Right after a scope change a section may still show the previous scope or an older block
    for a moment, so this polls (bounded, 10 s) until the drawing matches, and fails with the
    last difference: a drawing that never matches its own block's figures fails."""
    expected: dict[int, dict] = {}
    for _ in range(50):
        shown = read(page)
        if shown["block"] not in expected:
            expected[shown["block"]] = expect(shown["block"])
        if shown == expected[shown["block"]]:
            return
        page.wait_for_timeout(200)
    assert shown == expected[shown["block"]], what


def test_the_friction_charts_show_the_figures_graphql_gives(stack, open_page):
    node, server, story = stack
    view = open_page(1280)
    page = view.go("friction")
    for scope, args in (("all", ""), ("tag/repair", ', tag: "repair"'), ("tag/first-aid", ', tag: "first-aid"')):
        if scope != "all":
            page.select_option("#friction-scope", scope)
            page.wait_for_function("s => document.getElementById('main').dataset.route.includes(encodeURIComponent(s))",
                                   arg=scope)
            page.wait_for_function("s => document.getElementById('friction-scope').value === s", arg=scope)
            view.settled()
        assert_drawn(page, friction_drawn, lambda block: friction_expected(server, args, block), scope)
    assert_drawn(page, per_agreement_drawn, lambda block: per_agreement_expected(server, block), "per agreement")
    view.shot("friction-first-aid")


def test_a_node_whose_schema_lacks_a_field_says_so_in_that_section_and_shows_the_rest(stack, open_page):
    """The one test of the unavailable state: the committed schema without friction, reputation and projects."""
    _, server, story = stack
    view = open_page(1280)
    serve_without(view.page, {"friction", "reputation", "projects"})
    page = view.go("friction")
    assert_unavailable(page, "friction", "Query.friction")
    page = view.go(f"people/{address('carol')}")
    assert_unavailable(page, "reputation", "Query.reputation")
    balance = server.data('{ account(id: "%s") { balance } }' % address("carol"))["account"]["balance"]
    assert state_of(page, "account") == "ready", view.sections()
    assert f"balance {int(balance):,}".replace(",", " ") in page.inner_text("[data-section=account]")
    page = view.go(f"organizations/{story.ids['org']}")
    assert_unavailable(page, "projects", "Query.projects")
    assert page.locator("[data-testid=members] tbody tr").count() == 3
    assert view.errors == [], view.errors


@pytest.mark.parametrize("name", PAGES)
def test_each_page_fits_a_phone_screen(stack, open_page, name):
    view = open_page(PHONE)
    page = view.go(name)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{name} scrolls sideways by {overflow}px at {PHONE}px"
    assert page.is_visible("nav a[data-page=friction]")
    view.shot(name)


def test_keyboard_reaches_the_skip_link_and_the_nav_and_changes_pages(stack, open_page):
    view = open_page(1280)
    page = view.go("network")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.page") == "network"
    for _ in range(2):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.page") == "market"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('main').dataset.route === '#/market'")
    view.settled()
    assert page.inner_text("h1") == "Market"
    assert page.get_attribute("nav a[data-page=market]", "aria-current") == "page"
    assert page.evaluate("document.activeElement.tagName") == "H1"   # focus moves to the new page's heading
    outline = page.evaluate("""() => { const a = document.querySelector('nav a[data-page=people]'); a.focus();
                                       return getComputedStyle(a).outlineStyle; }""")
    assert outline != "none", "focused links must show a focus ring"


def test_zz_a_stalled_node_then_a_missing_api_are_each_announced_and_views_keep_their_last_block(stack, open_page):
    """Runs last in this module: it stops the module's CometBFT, then its GraphQL server."""
    node, server, story = stack
    view = open_page(1280)
    page = view.go("network")
    height = as_of(page)
    node.stop_cometbft()                 # no more blocks; the API still answers
    page.wait_for_selector("#banner:not([hidden])", timeout=40_000)
    assert "No new block for" in page.inner_text("#banner")
    assert page.get_attribute("#status", "data-level") == "warn" and "Node behind" in page.inner_text("#status")
    view.shot("stalled")
    server.stop()
    page.wait_for_function("() => document.getElementById('banner').innerText.includes('unreachable')", timeout=15_000)
    assert page.get_attribute("#status", "data-level") == "down"
    page.wait_for_function("() => document.querySelector('[data-section=chain]').dataset.state === 'stale'", timeout=15_000)
    note = page.inner_text("[data-section=chain] .section-note")
    assert "as of block" in note and int(re.search(r"block (\d+)", note).group(1)) >= height
    assert "stale" in page.inner_text("[data-testid=asof]")
    view.shot("unreachable")
