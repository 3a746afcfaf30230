// DOM and formatting helpers. Text always goes in through textContent (never innerHTML),
// so chain data (titles, descriptions) cannot inject markup.

/** h("div.card", {attrs}, ...children): create an element; strings become text nodes. */
export function h(spec, attrs = {}, ...children) {
  const [tag, ...classes] = spec.split(".");
  const el = document.createElement(tag || "div");
  if (classes.length) el.className = classes.join(" ");
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

export function setAttrs(el, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "text") el.textContent = String(value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replace all children of el. */
export function fill(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

export function short(hex, n = 8) {
  if (!hex) return "—";
  return hex.length > 2 * n + 1 ? `${hex.slice(0, n)}…${hex.slice(-4)}` : hex;
}

/** Integer amounts arrive as decimal strings (BigInt scalar); group thousands without floats. */
export function amount(value) {
  if (value === null || value === undefined) return "—";
  const text = String(value);
  const neg = text.startsWith("-");
  const digits = neg ? text.slice(1) : text;
  return (neg ? "-" : "") + digits.replace(/\B(?=(\d{3})+(?!\d))/g, " ");
}

/** Seconds as a short human duration ("45 s", "3 h", "2.5 d"). -1 (not applicable) is "—". */
export function duration(seconds) {
  if (seconds === null || seconds === undefined || seconds < 0) return "—";
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${Math.round(seconds / 360) / 10} h`;
  return `${Math.round(seconds / 8640) / 10} d`;
}

export function when(unixSeconds) {
  if (!unixSeconds) return "—";
  return new Date(unixSeconds * 1000).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

export function ago(unixSeconds, nowMs = Date.now()) {
  const s = Math.max(0, Math.round(nowMs / 1000 - unixSeconds));
  return s < 90 ? `${s} s ago` : duration(s) + " ago";
}

export function link(href, text, attrs = {}) {
  return h("a", { href, ...attrs }, text);
}

/** A table from column headers and rows of cells (cells may be nodes). */
export function table(caption, headers, rows, attrs = {}) {
  return h("div.table-wrap", {},
    h("table", attrs,
      caption ? h("caption", {}, caption) : null,
      h("thead", {}, h("tr", {}, headers.map((x) => h("th", { scope: "col" }, x)))),
      h("tbody", {}, rows.map((cells) => h("tr", {}, cells.map((c) => h("td", {}, c)))))));
}

export function badge(text, kind = "") {
  return h(`span.badge${kind ? "." + kind : ""}`, {}, text);
}

/** A GraphQL string literal for an id or address (the API's ids are strings). */
export function lit(value) {
  if (typeof value === "number" && !Number.isInteger(value)) throw new Error(`not an id: ${value}`);
  return JSON.stringify(String(value));
}

export function tags(list) {
  return h("span.tags", {}, (list || []).map((t) => h("span.tag", {}, t)));
}

const STATUS_KIND = {
  active: "info", open: "info", delivered: "warn", disputed: "bad", completed: "ok", passed: "ok", executed: "ok",
  broken: "bad", rejected: "bad", failed: "bad", cancelled: "", withdrawn: "", expired: "", accepted: "ok", dissolved: "",
};
/** A status badge; the API's enums may be upper case, the dashboard shows lower case. */
export function status(value) {
  const text = String(value || "").toLowerCase();
  return badge(text || "—", STATUS_KIND[text] || "");
}
