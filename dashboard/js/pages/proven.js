// The "verified" mark: a balance or an agreement checked in this page against the validators'
// signed header (js/app/verify.js), saying what was checked, or "could not verify" and why.
// data-verified on the mark: checking | yes | no (the tests read it).
// The GraphQL figures at the proven height are compared with the proven stored value, so an
// altered answer (value, proof, header or signature) shows "could not verify".

import { h, fill, amount, lit, short } from "../dom.js";
import { accountKey, agreementKey, forgetTrust, readJson, verifiedRead } from "../app/verify.js";

const REUSE_MS = 2000;           // a mark re-rendered within this time reuses the last check
const recent = new Map();

function once(name, work) {
  const hit = recent.get(name);
  if (hit && Date.now() - hit.at < REUSE_MS) return hit.promise;
  const promise = work();
  recent.set(name, { at: Date.now(), promise });
  return promise;
}

function checksText(r) {
  const c = r.checked;
  return `Checked in this page: the state proof under the app hash signed in block ${c.height}; that block's header hash; ` +
    `${c.count} validator${c.count === 1 ? "" : "s"} with ${c.signed} of ${c.total} voting power signed it (more than 2/3 needed); ` +
    `validator set ${short(c.setHash.toLowerCase(), 8)} trusted by this browser since block ${c.trustedSince}.`;
}

function mark(name, work, describe) {
  const el = h("div.verified", { "data-testid": "verified", "data-verified": "checking", role: "status" },
    h("span.muted", {}, "Checking against the validators' signatures…"));
  once(name, work).then((r) => {
    el.dataset.verified = "yes";
    el.dataset.height = String(r.height);
    fill(el, h("strong.ok", {}, "✓ Verified"), ` at block ${r.height}: ${describe(r)}. `, h("span.muted", {}, checksText(r)));
  }).catch((err) => {
    recent.delete(name);
    el.dataset.verified = "no";
    const reset = /can follow|trusts/.test(err.message)
      ? h("button", { type: "button", "data-action": "trust-current" }, "Trust the current validators instead") : null;
    if (reset) reset.addEventListener("click", () => { forgetTrust(); el.replaceWith(mark(name, work, describe)); });
    fill(el, h("strong.bad", {}, "✗ Could not verify"), `: ${err.message}. The figures shown are the server's, unchecked. `, reset);
  });
  return el;
}

function same(label, shown, proven) {
  if (String(shown) !== String(proven)) throw new Error(`the server says ${label} ${shown}, the signed state holds ${proven}`);
}

/** A mark verifying `address`'s balance and sequence. */
export function provenBalance(address) {
  const work = async () => {
    const r = await verifiedRead(accountKey(address), `account(id: ${lit(address)}, block: {number: $h}) { balance sequence }`);
    const stored = r.value === null ? { balance: 0n, sequence: 0n } : readJson(r.value);
    const shown = r.extra.account || { balance: "0", sequence: 0 };
    same("the balance is", shown.balance, stored.balance);
    same("the sequence is", shown.sequence, stored.sequence);
    return { ...r, balance: stored.balance, sequence: stored.sequence };
  };
  return mark(`acc/${address}`, work, (r) => `balance ${amount(String(r.balance))} units, ${r.sequence} transactions signed`);
}

const MILESTONE_FIELDS = [["amount", "amount"], ["status", "status"], ["deliveryHash", "delivery_hash"]];

/** A mark verifying agreement `id`: parties, price, escrow, outcome and every milestone. */
export function provenAgreement(id) {
  const work = async () => {
    const r = await verifiedRead(agreementKey(id), `agreement(id: ${lit(id)}, block: {number: $h}) { requester provider
      arbiter price escrow settled outcome revision milestones { amount status deliveryHash } }`);
    const a = r.extra.agreement;
    if (!a || r.value === null) {
      if (a || r.value !== null) throw new Error("the server and the signed state disagree on whether the agreement exists");
      return { ...r, text: `there is no agreement ${id}` };
    }
    const s = readJson(r.value);
    for (const f of ["requester", "provider", "arbiter", "price", "escrow", "settled", "outcome", "revision"]) {
      same(`${f} is`, a[f], s[f]);
    }
    same("the number of milestones is", a.milestones.length, s.milestones.length);
    a.milestones.forEach((m, i) => MILESTONE_FIELDS.forEach(([g, k]) => same(`milestone ${i + 1}'s ${k.replace("_", " ")} is`, m[g], s.milestones[i][k])));
    const open = s.settled ? `settled (${s.outcome})` : "open";
    return { ...r, text: `agreement ${id} is ${open}, price ${amount(String(s.price))}, escrow ${amount(String(s.escrow))}, ` +
      `milestones ${s.milestones.map((m) => m.status).join(", ")}` };
  };
  return mark(`agr/${id}`, work, (r) => r.text);
}
