"""Members act from the browser against a real devnet: keys created in the page, actions signed
there and sent through GraphQL ``broadcastTransaction``, followed until committed, and the
error paths (insufficient balance, a locked key, a rejected transaction) each with its message
and no change on the chain.  One node and one GraphQL server for the module."""

from __future__ import annotations

import base64
import contextlib
import json

import pytest

from tests.dashboard.browser_app import act, create_key, event_id
from tests.dashboard.conftest import devnet_with_api
from tests.support.node import signer_for, wait_until

FAUCET = signer_for("faucet")
MIN_FEE = 2


@pytest.fixture(scope="module")
def devnet():
    with devnet_with_api("snact", [(FAUCET.address, 10_000_000)], params={"min_fee": MIN_FEE}) as (node, server, _):
        yield node, server


class Faucet:
    def __init__(self, node: TestNode) -> None:
        self.node = node
        self.sequence = 0

    def fund(self, address: str, amount: int) -> None:
        from abci_app.chain.domain.accounts.messages import Transfer
        tx = FAUCET.sign_tx(self.node.chain_id, self.sequence, Transfer(address, amount, "welcome"), fee=MIN_FEE)
        answer = self.node.broadcast_commit(tx)
        assert int(answer["tx_result"].get("code", 0)) == 0, answer
        self.sequence += 1


@pytest.fixture(scope="module")
def faucet(devnet):
    return Faucet(devnet[0])


@pytest.fixture(scope="module")
def member(browser, devnet, faucet):
    """One browser context with a key created in the page, funded by the faucet."""
    node, server = devnet
    base = f"http://127.0.0.1:{server.port}"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r))
    address = create_key(page, base, "mila")
    faucet.fund(address, 100_000)
    yield page, base, address, requests
    context.close()


@pytest.fixture(scope="module")
def reader(browser):
    """A page without a key, reading the member's views (the member's own tab stays unlocked)."""
    context = browser.new_context()
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


@contextlib.contextmanager
def another_member(browser, base: str, name: str):
    """A second browser context with its own key ``name`` created in the page: yields (page, address)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    try:
        page = context.new_page()
        yield page, create_key(page, base, name)
    finally:
        context.close()


def balance(server, address: str) -> int:
    data = server.data("query($a: String!) { account(id: $a) { balance sequence } }", {"a": address})
    return int(data["account"]["balance"]) if data["account"] else 0


def account(server, address: str) -> tuple[int, int]:
    data = server.data("query($a: String!) { account(id: $a) { balance sequence } }", {"a": address})
    return (int(data["account"]["balance"]), data["account"]["sequence"]) if data["account"] else (0, 0)


def test_a_transfer_signed_in_the_page_is_committed_and_said_in_words(member, devnet):
    page, base, address, _ = member
    _, server = devnet
    to = signer_for("someone").address
    outcome = act(page, base, "transfer", {"to": to, "amount": "1234", "memo": "for the soup"})
    assert f"You (mila) pays {to} 1 234 units with the memo \"for the soup\"." in outcome.summary
    assert outcome.fee.startswith(f"{MIN_FEE} units, paid by you")
    assert outcome.sequence.startswith("0 ")
    assert outcome.text.startswith("Done: committed in block ")
    assert balance(server, to) == 1234
    assert account(server, address) == (100_000 - 1234 - MIN_FEE, 1)


def test_more_than_the_balance_is_refused_with_its_reason_and_changes_nothing(member, devnet):
    page, base, address, _ = member
    _, server = devnet
    before = account(server, address)
    outcome = act(page, base, "transfer", {"to": signer_for("someone").address, "amount": "5000000"}, expect=None)
    assert outcome.state == "rejected", outcome
    assert "The balance is too low for this." in outcome.text and "Nothing changed." in outcome.text
    assert account(server, address) == before


def test_a_fee_below_the_minimum_is_refused_and_changes_nothing(member, devnet):
    page, base, address, _ = member
    _, server = devnet
    before = account(server, address)
    outcome = act(page, base, "transfer", {"to": signer_for("someone").address, "amount": "1"}, fee="1", expect=None)
    assert outcome.state == "rejected"
    assert "The fee is below the chain's minimum." in outcome.text
    assert account(server, address) == before


def test_a_bad_address_is_caught_in_the_form_before_anything_is_signed(member):
    page, base, _, requests = member
    page.goto(f"{base}/#/act/transfer")
    page.fill("[name=to]", "samen1notanaddress")
    page.fill("[name=amount]", "5")
    before = len(requests)
    page.click("[data-action=review]")
    page.wait_for_function("() => document.querySelector('[data-testid=form-error]').textContent !== ''")
    assert "checksum" in page.text_content("[data-field=to] .field-error")
    assert not [r for r in requests[before:] if "broadcastTransaction" in (r.post_data or "")]


def test_a_key_locks_after_inactivity_and_signs_again_once_unlocked(member, devnet):
    page, base, address, _ = member
    page.evaluate("localStorage.setItem('samen.lockAfterSeconds', '1')")
    page.goto(f"{base}/#/me")
    page.wait_for_selector("[data-testid=whoami][data-state=locked]", timeout=10_000)
    page.evaluate("localStorage.removeItem('samen.lockAfterSeconds')")
    page.fill("[name=unlock-passphrase]", "wrong passphrase")
    page.click("[data-testid=unlock] button")
    page.wait_for_function("() => /Wrong passphrase/.test(document.querySelector('[data-testid=unlock]').textContent)")
    page.fill("[name=unlock-passphrase]", "a long browser passphrase")
    page.click("[data-testid=unlock] button")
    page.wait_for_selector("[data-testid=whoami][data-state=unlocked]")
    outcome = act(page, base, "transfer", {"to": signer_for("someone").address, "amount": "1"})
    assert outcome.state == "success"


def test_the_dashboard_files_carry_a_strict_content_security_policy(devnet):
    _, server = devnet
    for path in ("/", "/js/main.js", "/js/app/signer.js"):
        response = server.http.get(f"http://127.0.0.1:{server.port}{path}")
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "default-src 'none'" in policy, policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert response.headers["x-content-type-options"] == "nosniff"


def test_an_inline_script_is_refused_by_the_page(member):
    page, base, _, _ = member
    page.goto(f"{base}/#/me")
    ran = page.evaluate("""() => new Promise((resolve) => {
      document.addEventListener('securitypolicyviolation', () => resolve('blocked'), { once: true });
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.body.append(s);
      setTimeout(() => resolve(window.__inline ? 'ran' : 'blocked-silently'), 2000);
    })""")
    assert ran == "blocked"


def test_two_tabs_signing_at_once_both_get_their_own_sequence(member, devnet, browser):
    page, base, address, _ = member
    _, server = devnet
    other = page.context.new_page()
    other.goto(f"{base}/#/me")
    other.fill("[name=unlock-passphrase]", "a long browser passphrase")
    other.click("[data-testid=unlock] button")
    other.wait_for_selector("[data-testid=whoami][data-state=unlocked]")
    _, sequence = account(server, address)
    to = signer_for("someone").address
    for tab, amount in ((page, "11"), (other, "22")):
        tab.goto(f"{base}/#/act/transfer")
        tab.fill("[name=to]", to)
        tab.fill("[name=amount]", amount)
        tab.click("[data-action=review]")
        tab.wait_for_selector("[data-action=sign]")
    page.click("[data-action=sign]")
    other.click("[data-action=sign]")       # while the first tab is still signing or waiting
    for tab in (page, other):
        tab.wait_for_function("() => ['success', 'failed', 'rejected', 'unreachable', 'timeout']"
                              ".includes(document.querySelector('[data-testid=result]').dataset.outcome)", timeout=60_000)
        assert tab.get_attribute("[data-testid=result]", "data-outcome") == "success", tab.inner_text("[data-testid=result]")
    assert account(server, address)[1] == sequence + 2
    other.close()


def test_the_app_pages_fit_a_phone_and_a_transfer_needs_only_the_keyboard(member, devnet):
    page, base, address, _ = member
    _, server = devnet
    page.set_viewport_size({"width": 390, "height": 800})
    try:
        for route in ("me", "act", "act/make_offer", "act/submit_proposal"):
            page.goto(f"{base}/#/{route}")
            page.wait_for_selector("[data-section]")
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), route
        page.goto(f"{base}/#/act/transfer")
        page.wait_for_selector("[data-testid=whoami][data-state=unlocked]")
        page.focus("[name=to]")
        page.keyboard.type(signer_for("keyboard").address)
        page.keyboard.press("Tab")
        page.keyboard.type("3")
        page.keyboard.press("Enter")                       # submits the form: the review appears, "Sign" focused
        page.wait_for_function("() => document.activeElement && document.activeElement.dataset.action === 'sign'")
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.querySelector('[data-testid=result]').dataset.outcome === 'success'",
                               timeout=60_000)
        assert balance(server, signer_for("keyboard").address) == 3
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


def test_a_newcomer_without_funds_acts_on_an_organizations_fee_allowance(member, devnet, browser):
    page, base, address, _ = member
    _, server = devnet
    with another_member(browser, base, "nova") as (nova, nova_address):
        org = event_id(act(page, base, "create_organization", {
            "name": "Welcome", "purpose": "pays newcomers' first fees", "members": f"{address} 1",
            "policy.kind": "1", "policy.threshold": "1", "policy.voting_period": "1d"}), "org_id")
        treasury = server.data("query($o: String!) { organization(id: $o) { treasury } }", {"o": org})["organization"]["treasury"]
        act(page, base, "transfer", {"to": treasury, "amount": "100"})
        proposal = event_id(act(page, base, "submit_proposal", {
            "org_id": org, "title": "Sponsor Nova", "actions.0.kind": "grant_fee_allowance",
            "actions.0.grant_fee_allowance.org_id": org, "actions.0.grant_fee_allowance.grantee": nova_address,
            "actions.0.grant_fee_allowance.limit": "20", "actions.0.grant_fee_allowance.expires_at": "+1d"}), "proposal_id")
        act(page, base, "vote", {"proposal_id": proposal, "choice": "1"})
        outcome = act(nova, base, "publish_document", {"content_hash": "cd" * 32, "title": "My first note",
                                                       "media_type": "text/plain"}, fee_payer=treasury)
        assert f"paid from the fee allowance of {treasury}" in outcome.fee
        assert balance(server, nova_address) == 0
        assert balance(server, treasury) == 100 - MIN_FEE


def test_a_cancellation_proposed_by_the_other_side_is_on_my_desk_and_confirmed_from_there(member, devnet, browser, faucet):
    page, base, address, _ = member
    _, server = devnet
    with another_member(browser, base, "otto") as (otto, otto_address):
        faucet.fund(otto_address, 1_000)
        request = event_id(act(page, base, "post_request", {"title": "Fix the fence", "description": "two posts",
                                                           "offers_until": "+1d"}), "request_id")
        offer = event_id(act(otto, base, "make_offer", {"request_id": request, "price": "100", "deadline": "+5d"}), "offer_id")
        agreement = event_id(act(page, base, "accept_offer", {"offer_id": offer}), "agreement_id")
        revision = server.data("query($a: String!) { agreement(id: $a) { revision } }", {"a": agreement})["agreement"]["revision"]
        act(otto, base, "cancel_agreement", {"agreement_id": agreement, "revision": str(revision)})
        otto.goto(f"{base}/#/me")                      # my own proposal is not something to confirm
        otto.wait_for_selector("[data-section=desk][data-state=ready]")
        assert otto.locator("[data-desk=cancel]").count() == 0 and otto.locator("[data-testid=notices]").count() == 0
        page.goto(f"{base}/#/me")
        item = page.locator("[data-testid=desk] [data-desk=cancel] a")     # re-resolved: the desk redraws every block
        item.wait_for()
        assert f"proposed cancelling agreement {agreement}" in item.inner_text()
        assert f"The provider proposed cancelling agreement {agreement}" in page.inner_text("[data-testid=notices]")
        item.click()
        page.wait_for_selector("[data-testid=act-form][data-kind=cancel_agreement]")
        assert page.input_value("[name=agreement_id]") == agreement
        now = server.data("query($a: String!) { agreement(id: $a) { revision } }", {"a": agreement})["agreement"]["revision"]
        assert page.input_value("[name=revision]") == str(now)       # the revision after the proposal: confirm what I see
        page.click("[data-action=review]")
        mark = page.wait_for_selector("[data-testid=review] [data-testid=verified]:not([data-verified=checking])")
        assert mark.get_attribute("data-verified") == "yes", mark.inner_text()     # what I am about to act on, proven
        assert f"agreement {agreement} is open, price 100, escrow 100" in mark.inner_text()
        page.click("[data-action=sign]")
        page.wait_for_function("() => document.querySelector('[data-testid=result]').dataset.outcome === 'success'",
                               timeout=60_000)
        assert server.data("query($a: String!) { agreement(id: $a) { outcome } }", {"a": agreement})["agreement"]["outcome"] == "cancelled"


def verified_mark(page, scope: str):
    """The settled verified mark inside ``scope``: (data-verified, its text)."""
    mark = page.wait_for_selector(f"{scope} [data-testid=verified]:not([data-verified=checking])", timeout=20_000)
    return mark.get_attribute("data-verified"), mark.inner_text(), mark.get_attribute("data-height")


def test_a_balance_is_verified_in_the_page_against_the_validators_signatures(member, devnet):
    page, base, address, _ = member
    _, server = devnet
    page.goto(f"{base}/#/people/{address}")
    state, text, height = verified_mark(page, "[data-section=account]")
    assert state == "yes", text
    proven = server.data("query($a: String!, $h: Int!) { account(id: $a, block: {number: $h}) { balance sequence } }",
                         {"a": address, "h": int(height)})["account"] or {"balance": 0}
    assert f"Verified at block {height}: balance {int(proven['balance']):,} units".replace(",", " ") in text
    assert "1 validator with 10 of 10 voting power signed it" in text and "header hash" in text
    page.goto(f"{base}/#/me")
    assert verified_mark(page, "[data-testid=whoami]")[0] == "yes"


def altering(kind: str):
    """A route handler passing GraphQL answers through, with one thing altered (``kind``)."""
    def handler(route):
        if not any(name in (route.request.post_data or "") for name in ("stateProof", "lightBlock")):
            return route.continue_()
        response = route.fetch()
        try:
            body = response.json()
        except ValueError:                 # not a GraphQL answer: pass it on untouched
            return route.fulfill(response=response)
        data = body.get("data") or {}
        proof, light, account = data.get("stateProof"), data.get("lightBlock"), data.get("account")
        if kind == "value" and proof and proof["value"]:      # a richer balance, consistent everywhere but the proof
            doc = json.loads(base64.b64decode(proof["value"]))
            doc["balance"] += 1000
            proof["value"] = base64.b64encode(json.dumps(doc, separators=(",", ":")).encode()).decode()
            account["balance"] = str(doc["balance"])
        elif kind == "signature" and light:
            sig = light["commit"]["signatures"][0]
            sig["signature"] = base64.b64encode(bytes(64)).decode()
        elif kind == "balance" and proof and account:
            account["balance"] = str(int(account["balance"]) + 1000)
        route.fulfill(response=response, json=body)
    return handler


@pytest.mark.parametrize("kind, reason", [("value", "state proof: the value is not the one the proof commits to"),
                                          ("signature", "is invalid"), ("balance", "the server says the balance is")])
def test_an_answer_altered_on_the_way_shows_could_not_verify(member, reader, kind, reason):
    _, base, address, _ = member
    reader.route("**/graphql", altering(kind))
    try:
        reader.goto(f"{base}/?altered={kind}#/people/{address}")    # a new document: nothing cached in the page
        state, text, _ = verified_mark(reader, "[data-section=account]")
    finally:
        reader.unroute_all(behavior="ignoreErrors")      # answers still in flight are dropped, not failed
    assert state == "no", text
    assert text.startswith("✗ Could not verify") and reason in text, text


def test_a_vote_after_the_voting_period_is_refused_and_changes_nothing(member, devnet):
    page, base, address, _ = member
    _, server = devnet
    made = act(page, base, "create_organization", {
        "name": "Quick", "purpose": "short votes", "members": f"{address} 1",
        "policy.kind": "1", "policy.threshold": "1", "policy.voting_period": "2s"})
    org = event_id(made, "org_id")
    proposal = event_id(act(page, base, "submit_proposal", {
        "org_id": org, "title": "Too late", "actions.0.kind": "sweep_treasury", "actions.0.sweep_treasury.org_id": org}),
        "proposal_id")
    end = server.data("query($p: String!) { proposal(id: $p) { votingEnd } }", {"p": proposal})["proposal"]["votingEnd"]
    wait_until(lambda: server.data("{ status { timestamp } }")["status"]["timestamp"] > end + 1, 30, "the voting period to end")
    before = account(server, address)
    outcome = act(page, base, "vote", {"proposal_id": proposal, "choice": "1"}, expect=None)
    assert outcome.state == "rejected", outcome
    assert "Nothing changed." in outcome.text and "proposals/6" in outcome.text, outcome.text
    assert account(server, address) == before
    votes = server.data("query($p: String!) { proposal(id: $p) { status yes } }", {"p": proposal})["proposal"]
    assert votes["yes"] in (0, "0") and votes["status"] != "passed", votes


def test_a_node_stopped_before_the_broadcast_is_said_and_nothing_is_signed_twice(member, devnet):
    """Last in the module: it stops the node."""
    page, base, address, _ = member
    node, server = devnet
    before = account(server, address)
    page.goto(f"{base}/#/act/transfer")
    page.fill("[name=to]", signer_for("someone").address)
    page.fill("[name=amount]", "7")
    page.click("[data-action=review]")
    page.wait_for_selector("[data-action=sign]")
    node.stop_cometbft()
    page.click("[data-action=sign]")
    page.wait_for_function("() => ['unreachable', 'rejected', 'timeout']"
                           ".includes(document.querySelector('[data-testid=result]').dataset.outcome)", timeout=90_000)
    text = page.inner_text("[data-testid=result]")
    assert text.startswith("Not sent: the node could not be reached"), text
    assert "Nothing changed" in text
    assert account(server, address) == before
