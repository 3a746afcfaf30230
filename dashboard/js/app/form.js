// Forms of the catalogue's fields: build(fields, prefix, prefill) -> {el, read(ctx)}.
// read() returns the action's message or throws FormError naming the field (shown next to it).
// Every input carries name="<path>" (e.g. "to", "policy.kind", "actions.0.transfer.amount").

import { h } from "../dom.js";
import { isAddress } from "./bech32.js";
import { sha256, toHex } from "./bytes.js";
import { ACTIONS, POLICY_CHOICES } from "./catalogue.js";

export class FormError extends Error {
  constructor(path, message) { super(message); this.path = path; }
}

const MAX_AMOUNT = (1n << 63n) - 1n;
const UNITS = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

function whole(path, text, { max = Number.MAX_SAFE_INTEGER } = {}) {
  if (!/^\d+$/.test(text)) throw new FormError(path, "Enter a whole number.");
  const n = Number(text);
  if (n > max) throw new FormError(path, `At most ${max}.`);
  return n;
}

function amount(path, text) {
  if (!/^\d+$/.test(text)) throw new FormError(path, "Enter an amount in whole units.");
  if (BigInt(text) > MAX_AMOUNT) throw new FormError(path, "That amount is larger than the chain allows.");
  return text;
}

function seconds(path, text) {
  const m = /^(\d+)\s*([smhdw]?)$/.exec(text);
  if (!m) throw new FormError(path, "Enter a duration like 3600, 45m, 12h or 3d.");
  return Number(m[1]) * UNITS[m[2] || "s"];
}

/** "+3d" (from the chain's latest block time), "2026-12-10 12:00" (UTC) or unix seconds. */
export function parseTime(path, text, now) {
  const rel = /^\+(\d+)\s*([smhdw])$/.exec(text);
  if (rel) return now + Number(rel[1]) * UNITS[rel[2]];
  if (/^\d{9,}$/.test(text)) return Number(text);
  const abs = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (!abs) throw new FormError(path, "Enter a time like 2026-12-10 12:00 (UTC) or +3d from now.");
  const [, y, mo, d, hh = "0", mi = "0", ss = "0"] = abs;
  return Date.UTC(+y, +mo - 1, +d, +hh, +mi, +ss) / 1000;
}

function hash(path, text) {
  if (!/^[0-9a-f]{64}$/.test(text)) throw new FormError(path, "Choose a file, or enter its SHA-256 as 64 hex characters.");
  return text;
}

function address(path, text) {
  if (!isAddress(text)) throw new FormError(path, "Enter a samen1… address (its checksum does not match).");
  return text;
}

function lines(text) {
  return text.split("\n").map((l) => l.trim()).filter(Boolean);
}

/** What an optional field left empty means: the proto default. */
const EMPTY = { tags: [], hashes: [], milestones: [], amount: 0, id: 0, int: 0, seconds: 0, time: 0, bps: 0 };

const SCALAR = {
  address, amount, hash, seconds,
  id: (p, t) => whole(p, t), int: (p, t) => whole(p, t), bps: (p, t) => whole(p, t, { max: 10000 }),
  text: (p, t) => t, longtext: (p, t) => t,
  tags: (p, t) => t.split(",").map((x) => x.trim()).filter(Boolean),
  hashes: (p, t) => lines(t).map((x, i) => hash(`${p}.${i}`, x)),
  members: (p, t) => lines(t).map((l) => {
    const [addr, weight] = l.split(/\s+/);
    return { address: address(p, addr || ""), weight: whole(p, weight || "") };
  }),
  params: (p, t) => lines(t).map((l) => { const [name, value] = l.split(/\s+/); return { name, value: whole(p, value || "") }; }),
};

function input(path, field, prefill) {
  const id = `f-${path.replace(/\./g, "-")}`;
  const value = prefill[path] ?? field.value ?? "";
  let control;
  if (field.type === "choice") {
    control = h("select", { id, name: path }, field.choices.map((c) =>
      h("option", { value: c.value, selected: String(c.value) === String(value) || null }, c.label)));
  } else if (field.type === "bool") {
    control = h("input", { id, name: path, type: "checkbox", checked: value === "true" || value === true || null });
  } else if (["longtext", "members", "milestones", "hashes", "params"].includes(field.type)) {
    control = h("textarea", { id, name: path, rows: 3 });
    control.value = value;
  } else {
    control = h("input", { id, name: path, type: "text", autocomplete: "off", spellcheck: "false" });
    control.value = value;
  }
  const parts = [h("label", { for: id }, field.label, field.optional ? h("span.muted", {}, " (optional)") : null), control];
  if (field.type === "hash") {
    const picker = h("input", { type: "file", "aria-label": `${field.label}: choose a file to hash`, name: `${path}.file` });
    picker.addEventListener("change", async () => {
      const file = picker.files[0];
      if (file) control.value = toHex(await sha256(new Uint8Array(await file.arrayBuffer())));
    });
    parts.push(h("span.hint", {}, "or choose a file (it is hashed here and never sent): "), picker);
  }
  parts.push(h("span.field-error", { id: `${id}-error`, role: "alert" }));
  control.setAttribute("aria-describedby", `${id}-error`);
  return { el: h("div.field", { "data-field": path }, parts), control };
}

function scalarField(path, field, prefill) {
  const { el, control } = input(path, field, prefill);
  const read = (ctx) => {
    if (field.type === "bool") return control.checked;
    if (field.type === "choice") {
      const c = field.choices.find((x) => String(x.value) === control.value);
      return c ? c.value : control.value;
    }
    const text = control.value.trim();
    if (!text && field.optional) return EMPTY[field.type] ?? "";
    if (!text) throw new FormError(path, "This is needed.");
    if (field.type === "time") return parseTime(path, text, ctx.now);
    if (field.type === "milestones") {
      return lines(text).map((l) => {
        const [title, amt, deadline] = l.split("|").map((x) => (x || "").trim());
        return { title, amount: amount(path, amt || ""), deadline: parseTime(path, deadline || "", ctx.now) };
      });
    }
    return SCALAR[field.type](path, text);
  };
  return { el, read };
}

function policyField(path, field, prefill) {
  const parts = build([
    { name: "kind", type: "choice", label: "Rule", choices: POLICY_CHOICES },
    { name: "threshold", type: "int", label: "Threshold (weight, or basis points for a percentage)" },
    { name: "voting_period", type: "seconds", label: "Voting period", value: "1d" },
    { name: "min_delay", type: "seconds", label: "Delay before it runs", value: "0" },
    { name: "exit_right", type: "bool", label: "A leaving member takes their share of the treasury" },
  ], `${path}.`, prefill);
  return { el: h("fieldset.group", {}, h("legend", {}, field.label), parts.el), read: parts.read };
}

function actionsField(path, field, prefill) {
  const kindPath = `${path}.0.kind`;
  const select = h("select", { id: `f-${kindPath.replace(/\./g, "-")}`, name: kindPath },
    Object.entries(ACTIONS).filter(([k]) => k !== "submit_proposal").map(([k, a]) =>
      h("option", { value: k, selected: prefill[kindPath] === k || null }, `${a.group}: ${a.title}`)));
  const holder = h("div.nested");
  let inner = null;
  const show = () => {
    inner = build(ACTIONS[select.value].fields, `${path}.0.${select.value}.`, prefill);
    holder.replaceChildren(inner.el);
  };
  select.addEventListener("change", show);
  show();
  return {
    el: h("fieldset.group", {}, h("legend", {}, field.label),
      h("label", { for: select.id }, "Action"), select, holder),
    read: (ctx) => [{ [select.value]: inner.read(ctx) }],
  };
}

/** One nested action (a role's action): the proposal form's action picker, read as a single action. */
function actionField(path, field, prefill) {
  const many = actionsField(path, field, prefill);
  return { el: many.el, read: (ctx) => many.read(ctx)[0] };
}

/** A form for `fields`; input names are `prefix + field name`. */
export function build(fields, prefix = "", prefill = {}) {
  const parts = fields.map((field) => {
    const path = prefix + field.name;
    const make = field.type === "policy" ? policyField : field.type === "actions" ? actionsField
      : field.type === "action" ? actionField : scalarField;
    return [field.name, make(path, field, prefill)];
  });
  return {
    el: h("div.fields", {}, parts.map(([, p]) => p.el)),
    read(ctx) {
      const out = {};
      for (const [name, p] of parts) out[name] = p.read(ctx);
      return out;
    },
  };
}
