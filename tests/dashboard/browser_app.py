"""Driving the Samen app in the page (``#/me``, ``#/act``) from Playwright, as a member would:
create a key, unlock it, fill an action's form, read the summary, sign and send, read the result.

Every helper waits on what the page shows (``data-outcome`` of the result, the messages of
the key forms), never on time.
"""

from __future__ import annotations

from dataclasses import dataclass

PASSPHRASE = "a long browser passphrase"
FINAL = "el => el.dataset.outcome && !['sending', 'pending'].includes(el.dataset.outcome)"


@dataclass
class Outcome:
    state: str        # success | failed | rejected | unreachable | timeout | locked
    text: str         # the sentence shown
    summary: str      # the summary in words shown before signing
    fee: str
    sequence: str


def create_key(page, base: str, name: str, passphrase: str = PASSPHRASE) -> str:
    """Create ``name`` in the page (encrypted), make it current, and return its address."""
    page.goto(f"{base}/#/me")
    page.fill("[name=new-name]", name)
    page.fill("[name=new-passphrase]", passphrase)
    page.fill("[name=new-passphrase-again]", passphrase)
    page.click("[data-testid=create-key] button[type=submit]")
    page.wait_for_function("() => /Created|exists|Use/.test(document.querySelector('[data-testid=create-message]').textContent)"
                           " && !/Creating/.test(document.querySelector('[data-testid=create-message]').textContent)")
    message = page.text_content("[data-testid=create-message]")
    assert message.startswith("Created"), message
    page.wait_for_selector("[data-testid=whoami][data-state=unlocked]")
    return page.get_attribute("[data-testid=whoami]", "data-address")


def act(page, base: str, kind: str, fields: dict[str, str], *, fee: str = "", fee_payer: str = "",
        expect: str | None = "success", on_review=None) -> Outcome:
    """Open ``#/act/<kind>``, fill ``fields`` (input name -> text; selects by value), review (``on_review()``
    runs while the summary is shown), sign, follow."""
    page.goto(f"{base}/#/act/{kind}")
    page.wait_for_selector(f"[data-testid=act-form][data-kind={kind}]")
    page.wait_for_selector("[data-testid=whoami][data-state=unlocked]")
    for name, value in fields.items():
        if name.endswith(".file"):      # a file hashed in the page: wait until its hash is filled in
            page.set_input_files(f"[name='{name}']", files=[{"name": "document.pdf", "mimeType": "application/pdf",
                                                              "buffer": value}])
            page.wait_for_function("n => document.querySelector(`[name='${n}']`).value.length === 64", arg=name[:-5])
            continue
        control = page.locator(f"[name='{name}']")
        tag = control.evaluate("el => el.tagName")
        if tag == "SELECT":
            control.select_option(str(value))
        elif control.get_attribute("type") == "checkbox":
            control.set_checked(bool(value))
        else:
            control.fill(str(value))
    if fee or fee_payer:
        page.evaluate("document.querySelector('[data-testid=act-form] details').open = true")
    if fee:
        page.fill("[name=fee]", fee)
    if fee_payer:
        page.fill("[name=fee_payer]", fee_payer)
    page.click("[data-action=review]")
    page.wait_for_selector("[data-testid=summary]")
    summary = page.text_content("[data-testid=summary]")
    fee_text = page.text_content("[data-testid=summary-fee]")
    sequence = page.text_content("[data-testid=summary-sequence]")
    if on_review is not None:
        on_review()
    page.click("[data-action=sign]")
    result = page.wait_for_function(f"() => {{ const el = document.querySelector('[data-testid=result]'); "
                                    f"return ({FINAL})(el) && el; }}", timeout=90_000).as_element()
    outcome = Outcome(result.get_attribute("data-outcome"), result.inner_text(), summary, fee_text, sequence)
    if expect is not None:
        assert outcome.state == expect, outcome
    return outcome


def event_id(outcome: Outcome, key: str) -> str:
    """The value of an ``<key>`` attribute in the result's event list (e.g. ``org_id``)."""
    for line in outcome.text.splitlines():
        if f": {key} " in line:
            return line.rsplit(" ", 1)[1]
    raise AssertionError(f"no {key} in the result: {outcome.text}")
