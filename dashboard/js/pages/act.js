// Act: build an action in a form, read what it does in words (with the fee and the sequence),
// sign it here with the current key, send it through `broadcastTransaction`, and follow it
// until a block commits it.  #/act lists the actions; #/act/<kind>?field=value opens one
// with fields filled in (the other views link here).

import { h, fill, amount } from "../dom.js";
import { query } from "../gql.js";
import { Page } from "../section.js";
import { ACTIONS } from "../app/catalogue.js";
import { build, FormError } from "../app/form.js";
import { describe, outcome, words } from "../app/summary.js";
import * as session from "../app/session.js";
import { accountState, follow, send } from "../app/tx.js";
import { whoAmI } from "./me.js";
import { provenAgreement } from "./proven.js";

function panel(id, title, ...body) {
  return h("section.panel.wide", { "data-section": id, "data-state": "ready", "aria-label": title },
    h("div.panel-head", {}, h("h2", {}, title)), ...body);
}

function menu(root) {
  const page = new Page(root, "Act", "Everything a member can do, signed in this browser with your key.");
  const groups = {};
  for (const [kind, a] of Object.entries(ACTIONS)) {
    if (!a.proposalOnly) (groups[a.group] ||= []).push([kind, a]);
  }
  root.append(panel("actions", "What do you want to do?", ...Object.entries(groups).map(([group, list]) =>
    h("div.action-group", {}, h("h3", {}, group), h("ul.links", {}, list.map(([kind, a]) =>
      h("li", {}, h("a", { href: `#/act/${kind}`, "data-kind": kind }, a.title))))))));
  return page;
}

async function names() {
  const out = {};
  for (const k of await session.keys()) out[k.address] = k.name;
  return out;
}

export function mount(root, route) {
  const kind = route.parts[0];
  if (!kind || !ACTIONS[kind]) return menu(root);
  const spec = ACTIONS[kind];
  const page = new Page(root, spec.title, "Fill in the form, check what it does in words, then sign and send.");
  const prefill = Object.fromEntries(route.params.entries());
  const form = build(spec.fields, "", prefill);
  const fee = h("input", { id: "f-fee", name: "fee", autocomplete: "off", value: prefill.fee || "" });
  const payer = h("input", { id: "f-fee-payer", name: "fee_payer", autocomplete: "off", value: prefill.fee_payer || "" });
  const who = h("div");
  const review = h("div", { "data-testid": "review", hidden: true });
  const result = h("div.result", { "data-testid": "result", role: "status", "aria-live": "polite" });
  const error = h("p.form-message.bad", { role: "alert", "data-testid": "form-error" });
  const el = h("form.stack", { "data-testid": "act-form", "data-kind": kind }, form.el,
    h("details", { open: prefill.fee_payer ? true : null }, h("summary", {}, "Fee"),
      h("label", { for: "f-fee" }, "Fee (empty: the chain's minimum)"), fee,
      h("label", { for: "f-fee-payer" }, "Paid by an organization's fee allowance (its treasury address; empty: you pay)"), payer),
    h("button", { type: "submit", "data-action": "review" }, "Review"), error);
  const refreshWho = async () => fill(who, await whoAmI(refreshWho));
  root.append(panel("signer", "Signing as", who), panel("form", spec.title, el), panel("review", "Check and sign", review, result));
  refreshWho();
  page.unmount = session.onChange(refreshWho);
  page.refresh = async () => {          // the form keeps what was typed; only the "as of" line follows the chain
    try {
      const { status } = await query("{ status { height } }");
      page.asOf.textContent = `As of block ${status.height}`;
      page.asOf.dataset.height = String(status.height);
    } catch { /* the status strip says the API is unreachable */ }
  };

  el.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    for (const e of el.querySelectorAll(".field-error")) e.textContent = "";
    error.textContent = "";
    fill(result);
    try {
      const me = await session.current();
      if (!me) throw new Error("Create or import a key first (Me).");
      if (!me.signer) throw new Error(`Unlock "${me.name}" first (above).`);
      const st = await accountState(me.address);
      const msg = form.read({ now: st.time });
      const action = { [kind]: msg };
      const feeValue = fee.value.trim() ? BigInt(fee.value.trim()) : st.minFee;
      showReview(review, result, { me, st, action, fee: feeValue, feePayer: payer.value.trim(), names: await names() });
    } catch (err) {
      if (err instanceof FormError) {
        const slot = el.querySelector(`[data-field="${CSS.escape(err.path)}"] .field-error`);
        if (slot) slot.textContent = err.message;
        error.textContent = `Check the field "${err.path}": ${err.message}`;
      } else {
        error.textContent = err.message;
      }
    }
  });
  return page;
}

function showReview(review, result, { me, st, action, fee, feePayer, names }) {
  const w = words({ ...names, [me.address]: `you (${me.name})` }, `You (${me.name})`);
  const sentences = describe(action, w);
  const payerText = feePayer ? `paid from the fee allowance of ${w.who(feePayer)}` : "paid by you";
  const sign = h("button", { type: "button", "data-action": "sign" }, "Sign and send");
  const back = h("button", { type: "button", "data-action": "back" }, "Change");
  fill(review,
    h("div.summary", { "data-testid": "summary" }, sentences.map((s) => h("p", {}, s))),
    h("dl.facts", {},
      h("dt", {}, "Fee"), h("dd", { "data-testid": "summary-fee" }, `${amount(String(fee))} units, ${payerText}`),
      h("dt", {}, "Sequence"), h("dd", { "data-testid": "summary-sequence" }, `${st.sequence} or the next free one (your transaction number)`),
      h("dt", {}, "Chain"), h("dd", {}, st.chainId),
      h("dt", {}, "Balance now"), h("dd", {}, `${amount(String(st.balance))} units`)),
    agreementOf(action) ? provenAgreement(agreementOf(action)) : null,
    h("p.muted", {}, "Signing happens here, in this browser. Only the signed transaction is sent."),
    h("div.buttons", {}, sign, back));
  review.hidden = false;
  sign.focus();
  back.addEventListener("click", () => { review.hidden = true; fill(result); });
  sign.addEventListener("click", async () => {
    sign.disabled = true; back.disabled = true;
    await sendAndFollow(result, me, { action, fee, feePayer });
  });
}

/** The agreement an action acts on (its agreement_id), if any. */
function agreementOf(action) {
  const msg = Object.values(action)[0] || {};
  return msg.agreement_id ? String(msg.agreement_id) : "";
}

function say(result, state, text, extra = null) {
  result.dataset.outcome = state;
  fill(result, h("p", {}, text), extra);
}

async function sendAndFollow(result, me, { action, fee, feePayer }) {
  say(result, "sending", "Signing and sending…");
  let sent;
  try {
    const signer = (await session.current()).signer;
    if (!signer) return say(result, "locked", "Your key was locked meanwhile: unlock it and review again. Nothing was sent.");
    sent = await send(signer, { action, fee, feePayer });
  } catch (err) {
    return say(result, "unreachable", `Not sent: the node could not be reached (${err.message}). Nothing changed; try again when it is back.`);
  }
  if (!sent.accepted) return say(result, "rejected", outcome({ success: false, ...sent }));
  say(result, "pending", `Sent (transaction ${sent.hash.slice(0, 12)}…, sequence ${sent.sequence}); waiting for a block to commit it…`);
  const done = await follow(sent.hash);
  if (!done.committed) {
    return say(result, "timeout", `Sent, but not committed within a minute (transaction ${sent.hash}). ` +
      "It may still be committed; it cannot be committed twice.");
  }
  say(result, done.success ? "success" : "failed", outcome(done), eventsList(done.events));
  result.dataset.hash = sent.hash;
}

function eventsList(events) {
  const ids = [];
  for (const e of events || []) {
    for (const a of e.attributes) if (/(^|_)id$/.test(a.key)) ids.push(`${e.type}: ${a.key} ${a.value}`);
  }
  return ids.length ? h("ul.events", { "data-testid": "result-ids" }, ids.map((t) => h("li", {}, t))) : null;
}
