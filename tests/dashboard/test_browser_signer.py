"""The page's hand-written transaction encoder and WebCrypto signer (``dashboard/js/app/``),
run in Debian's Chromium, reproduce every entry of ``docs/test-vectors.json`` byte for byte:
public key and address from the seed, body, sign bytes, signature, transaction and hash.

The modules are served by a plain static file server on loopback (``static_site`` in conftest).
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VECTORS_TEXT = (ROOT / "docs" / "test-vectors.json").read_text(encoding="utf-8")

CHECK_VECTORS = """async (text) => {
  const wire = await import('/js/app/wire.js');
  const signer = await import('/js/app/signer.js');
  const { toHex, fromHex } = await import('/js/app/bytes.js');
  // integers as BigInt from their source text: amounts reach 2^63 - 1
  const doc = JSON.parse(text, (k, v, ctx) => typeof v === 'number' ? BigInt(ctx.source) : v);
  const report = [];
  for (const v of doc.vectors) {
    const s = await signer.signerFromSeed(fromHex(v.key.seed));
    const { version, ...rest } = v.body;
    const body = wire.encodeBody(rest);
    const sig = await signer.sign(s, wire.signBytes(body));
    const tx = wire.encodeTx(body, sig);
    const signed = await signer.signTx(s, {chainId: v.body.chain_id, sequence: v.body.sequence, fee: v.body.fee,
                                            feePayer: v.body.fee_payer, action: v.body.action});
    report.push({name: v.name, public_key: toHex(s.publicKey), address: s.address, body_hex: toHex(body),
                 sign_bytes_hex: toHex(wire.signBytes(body)), signature_hex: toHex(sig), tx_hex: toHex(tx),
                 tx_hash_hex: toHex(await wire.txHash(tx)), signed_tx_hex: toHex(signed.tx),
                 extractable: s.key.extractable, usages: s.key.usages});
  }
  return report;
}"""


@pytest.fixture(scope="module")
def page(browser, static_site):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{static_site}/style.css")      # any same-origin document: the modules are imported by the test
    yield page
    context.close()


@pytest.fixture(scope="module")
def report(page):
    return {row["name"]: row for row in page.evaluate(CHECK_VECTORS, VECTORS_TEXT)}


def vectors():
    import json
    return json.loads(VECTORS_TEXT)["vectors"]


@pytest.mark.parametrize("vector", vectors(), ids=[v["name"] for v in vectors()])
def test_the_page_reproduces_the_vector_byte_for_byte(report, vector):
    got = report[vector["name"]]
    assert got["public_key"] == vector["key"]["public_key"]
    assert got["address"] == vector["key"]["address"]
    for field in ("body_hex", "sign_bytes_hex", "signature_hex", "tx_hex", "tx_hash_hex"):
        assert got[field] == vector[field], field
    assert got["signed_tx_hex"] == vector["tx_hex"]


def test_the_signing_key_in_the_page_cannot_be_exported(report):
    assert all(row["extractable"] is False and row["usages"] == ["sign"] for row in report.values())


def test_the_encoder_refuses_values_it_cannot_write_exactly(page):
    errors = page.evaluate("""async () => {
      const wire = await import('/js/app/wire.js');
      const body = (action) => ({chain_id: 'c', public_key: '', sequence: 0, fee: 0, fee_payer: '', action});
      const cases = [
        {transfer: {to: 'x', amount: -1}}, {transfer: {to: 'x', amount: 1.5}},
        {transfer: {to: 'x', amount: 2n ** 64n}}, {transfer: {to: 'x', amont: 1}},
        {transfer: {}, vote: {}}, {}, {resolve_dispute: {provider_bps: 2n ** 32n}},
      ];
      return cases.map((a) => { try { wire.encodeBody(body(a)); return 'accepted'; } catch (e) { return e.message; } });
    }""")
    assert "accepted" not in errors, errors
    assert errors[3] == "TxBody.action.transfer: Transfer has no field amont"


def test_the_page_has_a_form_and_words_for_every_action_kind(page):
    missing = page.evaluate("""async () => {
      const { MESSAGES } = await import('/js/app/schema.js');
      const { ACTIONS } = await import('/js/app/catalogue.js');
      const out = [];
      for (const [kind, , type] of MESSAGES.Action) {
        const a = ACTIONS[kind];
        if (!a) { out.push(`${kind}: no catalogue entry`); continue; }
        const names = new Set(MESSAGES[type].map((r) => r[0]));
        for (const f of a.fields) if (!names.has(f.name)) out.push(`${kind}.${f.name}: not a field of ${type}`);
        for (const n of names) if (!a.fields.some((f) => f.name === n)) out.push(`${kind}.${n}: no form field`);
      }
      return out;
    }""")
    assert not missing, "dashboard/js/app/catalogue.js lacks: " + "; ".join(missing)


def test_every_vector_action_is_said_in_words(page):
    said = page.evaluate("""async (text) => {
      const { describe, words } = await import('/js/app/summary.js');
      const doc = JSON.parse(text, (k, v, ctx) => typeof v === 'number' ? BigInt(ctx.source) : v);
      return doc.vectors.map((v) => [v.name, describe(v.body.action, words()).join(' ')]);
    }""", VECTORS_TEXT)
    for name, sentence in said:
        assert sentence and "undefined" not in sentence and "NaN" not in sentence, (name, sentence)
