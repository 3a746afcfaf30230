// An action in words, before it is signed (who pays whom, how much, which escrow, which
// deadline) and its outcome after: the sentences come from catalogue.js; this module formats
// the values in them.

import { amount, duration, when } from "../dom.js";
import { ACTIONS, POLICY_CHOICES } from "./catalogue.js";
import { actionKind } from "./wire.js";

/** A formatter for one summary: `names` maps address -> how to call it ("you", a key name). */
export function words(names = {}, me = "You") {
  const w = {
    me,
    who: (addr) => names[addr] ? `${names[addr]} (${addr})` : addr,
    amount: (v) => `${amount(String(v))} units`,
    time: (t) => when(Number(t)),
    span: (s) => duration(Number(s)),
    bps: (b) => `${(Number(b) / 100).toFixed(2).replace(/\.00$/, "")}%`,
    hash: (x) => (x ? `${String(x).slice(0, 12)}…` : "none"),
    policy: (p) => {
      const kind = POLICY_CHOICES.find((c) => c.value === Number(p.kind));
      return `Decisions: ${kind ? kind.label.split(":")[0].toLowerCase() : "unknown rule"} ${p.threshold}, ` +
        `voting for ${duration(Number(p.voting_period))}, then a delay of ${duration(Number(p.min_delay))}; ` +
        `${p.exit_right ? "a leaving member takes their share of the treasury" : "no exit share"}.`;
    },
    milestones: (list) => (list || []).map((m, i) => `Milestone ${i}: "${m.title}", ${w.amount(m.amount)}, due ${w.time(m.deadline)}.`),
    nested: (action) => describe(action, words(names, "the organization's treasury")).join(" ").replace(/\.$/, ""),
  };
  return w;
}

/** The sentences saying what `action` ({kind: fields}) does. */
export function describe(action, w) {
  const kind = actionKind(action);
  return ACTIONS[kind].say(action[kind], w);
}

const PLAIN = {
  "tx/9": "Another transaction from this key was signed at the same time; please try again.",
  "tx/11": "The fee is below the chain's minimum.",
  "tx/12": "The balance cannot pay the fee.",
  "accounts/4": "The balance is too low for this.",
};

/** The outcome of a transaction as a sentence a person understands. */
export function outcome({ success, codespace, code, log, blockNumber }) {
  if (success) return `Done: committed in block ${blockNumber}.`;
  const hint = PLAIN[`${codespace}/${code}`];
  const said = `${hint ? `${hint} ` : ""}The chain said: ${log || "rejected"} (${codespace}/${code}).`;
  return blockNumber ? `Not done (block ${blockNumber}): ${said} The action changed nothing; the fee was charged.`
    : `Not done: ${said} Nothing changed.`;
}
