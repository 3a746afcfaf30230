"""The page's verifier (``dashboard/js/app/{cometbft,smt,verify}.js``), run in Debian's Chromium
against vectors made by Python: the real-node vector of ``docs/vectors/verify_v0.38.json``
(header hash, canonical precommit, Ed25519, proof against the app hash), the proof vectors of
``docs/proofs.md``, a synthetic four-validator chain signed here (``tests/state/test_trust.py``)
for the trust rule, and forgeries of each.  No devnet: the modules are served by the plain
static server of ``conftest.static_site``."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from abci_app.tools.client import cometbft_types as ct
from tests.dashboard.test_browser_signer import page  # noqa: F401  (the module page fixture: a same-origin document)
from tests.state.test_trust import SyntheticChain, key
from tests.state.test_vectors import vector

ROOT = Path(__file__).resolve().parents[2]
REAL = json.loads((ROOT / "docs" / "vectors" / "verify_v0.38.json").read_text())

# RPC JSON -> the GraphQL shape of lightBlock (what the page gets from the API)
SHAPE = """
const bid = (b) => ({ hash: b.hash || '', partsTotal: (b.parts || {}).total || 0, partsHash: (b.parts || {}).hash || '' });
const shape = (sh, validators) => {
  const hd = sh.header, c = sh.commit, v = hd.version || {};
  const names = ['last_commit_hash', 'data_hash', 'validators_hash', 'next_validators_hash', 'consensus_hash', 'app_hash',
    'last_results_hash', 'evidence_hash', 'proposer_address'];
  const header = { versionBlock: Number(v.block || 0), versionApp: Number(v.app || 0), chainId: hd.chain_id,
    height: Number(hd.height), time: hd.time, lastBlockId: bid(hd.last_block_id || {}) };
  for (const n of names) header[n.replace(/_(.)/g, (m, x) => x.toUpperCase())] = hd[n] || '';
  const commit = { height: Number(c.height), round: c.round, blockId: bid(c.block_id), signatures: c.signatures.map((s) => (
    { blockIdFlag: s.block_id_flag, validatorAddress: s.validator_address, timestamp: s.timestamp, signature: s.signature || '' })) };
  return { height: header.height, header, commit, validators };
};
const mods = async () => ({ v: await import('/js/app/verify.js'), c: await import('/js/app/cometbft.js'),
  smt: await import('/js/app/smt.js'), b: await import('/js/app/bytes.js') });
const outcome = async (work) => { try { await work(); return 'ok'; } catch (e) { return e.message; } };
"""


def js(body: str) -> str:
    return f"async (arg) => {{ {SHAPE}\n{body} }}"


def genesis_validators() -> list[dict]:
    return [{"address": v["address"], "pubKey": v["pub_key"]["value"], "votingPower": int(v["power"])}
            for v in REAL["genesis_validators"]]


def test_the_page_hashes_the_real_header_and_checks_its_commit_like_python(page):
    case = REAL["inclusion"]
    got = page.evaluate(js("""
      const { v, c, b } = await mods();
      const lb = shape(arg.sh, arg.vals);
      const checked = await v.checkLightBlock(lb, null);
      return { hash: b.toHex(await c.headerHash(lb.header)), appHash: b.toHex(checked.appHash), signed: checked.signed,
               total: checked.total, setHash: checked.setHash.toLowerCase() };
    """), {"sh": case["signed_header"], "vals": genesis_validators()})
    assert got["hash"] == ct.header_hash(case["signed_header"]["header"]).hex()
    assert got["hash"] == case["signed_header"]["commit"]["block_id"]["hash"].lower()
    assert got["appHash"] == case["signed_header"]["header"]["app_hash"].lower()
    assert (got["signed"], got["total"]) == (10, 10)
    assert got["setHash"] == case["signed_header"]["header"]["validators_hash"].lower()


@pytest.mark.parametrize("case", ["inclusion", "absence"])
def test_the_page_accepts_the_real_nodes_proof_and_refuses_it_for_another_value(page, case):
    answer = REAL[case]["abci_query_response"]
    got = page.evaluate(js("""
      const { smt, b } = await mods();
      const root = b.fromHex(arg.sh.header.app_hash);
      const key = b.fromBase64(arg.a.key);
      const value = arg.a.code === 0 ? b.fromBase64(arg.a.value) : null;
      const proof = b.fromBase64(arg.a.proofOps.ops[0].data);
      return [await outcome(() => smt.verifyProof(root, key, value, proof)),
              await outcome(() => smt.verifyProof(root, key, value ? b.utf8('{"balance":9999999,"sequence":0}') : b.utf8('{}'), proof)),
              await outcome(() => smt.verifyProof(root.map((x, i) => i ? x : x ^ 1), key, value, proof))];
    """), {"sh": REAL[case]["signed_header"], "a": answer})
    assert got[0] == "ok"
    assert got[1] in ("the value is not the one the proof commits to", "the proof does not end at the key's leaf")
    assert got[2] == "the proof does not lead to the signed app hash"


def test_the_page_checks_the_proof_vectors_of_docs_proofs_md(page):
    cases = [("acc/bob", '{"balance":7}', "inclusion `acc/bob`"), ("acc/carol", None, "absence `acc/carol`"),
             ("q", None, "absence `q`"), ("k7", None, "absence `k7`")]
    got = page.evaluate(js("""
      const { smt, b } = await mods();
      const out = [];
      for (const [k, value, proof] of arg.cases) {
        out.push(await outcome(() => smt.verifyProof(b.fromHex(arg.root), b.utf8(k), value === null ? null : b.utf8(value), b.fromHex(proof))));
        out.push(await outcome(() => smt.verifyProof(b.fromHex(arg.root), b.utf8(k), value === null ? b.utf8('1') : null, b.fromHex(proof))));
      }
      return out;
    """), {"root": vector("**root**").hex(), "cases": [(k, v, vector(label).hex()) for k, v, label in cases]})
    assert got[0::2] == ["ok"] * 4
    assert all(result != "ok" for result in got[1::2]), got


def tampered(signed_header: dict, path: tuple, value) -> dict:
    doc = json.loads(json.dumps(signed_header))
    target = doc
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return doc


def test_the_page_refuses_an_altered_header_signature_or_validator_set(page):
    sh = REAL["inclusion"]["signed_header"]
    bad_sig = base64.b64encode(bytes(64)).decode()
    cases = {
        "app hash": (tampered(sh, ("header", "app_hash"), "00" * 32), genesis_validators()),
        "signature": (tampered(sh, ("commit", "signatures", 0, "signature"), bad_sig), genesis_validators()),
        "chain": (tampered(sh, ("header", "chain_id"), "other"), genesis_validators()),
        "power": (sh, [{**genesis_validators()[0], "votingPower": 11}]),
    }
    got = page.evaluate(js("""
      const { v } = await mods();
      const out = {};
      for (const [name, [sh, vals]] of Object.entries(arg)) out[name] = await outcome(() => v.checkLightBlock(shape(sh, vals), null));
      return out;
    """), cases)
    assert "altered header" in got["app hash"]
    assert "signature of validator" in got["signature"] and "invalid" in got["signature"]
    assert "altered header" in got["chain"]
    assert "validators hash" in got["power"]


def synthetic_block(chain: SyntheticChain, height: int) -> tuple[dict, list[dict]]:
    validators = [{"address": v.address.hex().upper(), "pubKey": base64.b64encode(v.pub_key).decode(),
                   "votingPower": v.power} for v in chain.set_at(height)]
    return chain.headers[height], validators


def test_the_page_follows_a_validator_change_only_while_its_trusted_set_still_signs(page):
    keys = [key(f"v{i}") for i in range(8)]
    chain = SyntheticChain({1: keys[:4], 3: keys[1:5], 5: keys[4:8]}, top=6)
    got = page.evaluate(js("""
      const { v } = await mods();
      const [sh1, vals1] = arg.b1;
      const first = await v.checkLightBlock(shape(sh1, vals1), null);
      const pin = { chainId: sh1.header.chain_id, hash: first.setHash, height: 1, validators: vals1 };
      const [sh3, vals3] = arg.b3, [sh5, vals5] = arg.b5;
      return { first: first.signed + '/' + first.total, one_replaced: await outcome(() => v.checkLightBlock(shape(sh3, vals3), pin)),
               all_replaced: await outcome(() => v.checkLightBlock(shape(sh5, vals5), pin)) };
    """), {"b1": synthetic_block(chain, 1), "b3": synthetic_block(chain, 3), "b5": synthetic_block(chain, 5)})
    assert got["first"] == "40/40"
    assert got["one_replaced"] == "ok"
    assert "more than this browser can follow" in got["all_replaced"]
