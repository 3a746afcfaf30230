// SVG charts drawn by hand. Every chart is a <figure> holding an <svg role="img"> with an
// aria-label that states what it shows, plus a "data" table (in <details>) with the exact
// numbers, so screen-reader and keyboard users get the figures, not only the picture.
// Every bar carries data-series / data-category / data-value (the tests read them).

import { h } from "./dom.js";

const NS = "http://www.w3.org/2000/svg";
const PALETTE = ["#2563eb", "#db2777", "#16a34a", "#d97706"];

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/** A round "nice" upper bound for an axis. */
function niceMax(value) {
  if (value <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= value) return m * p;
  return 10 * p;
}

/** An axis maximum of four equal whole steps (so counts never get ticks like 2.5 or 7.5). */
function wholeMax(value) {
  const raw = Math.max(1, Math.ceil(value / 4));
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return 4 * m * p;
  return 40 * p;
}

/**
 * Grouped bar chart.
 *   id          stable id (data-chart) for tests and aria
 *   title       visible caption
 *   categories  x labels (strings)
 *   series      [{ name, values: [number|null] }]  (null: no value, drawn as a gap)
 *   format      value -> label text (axis and table)
 */
export function barChart({ id, title, categories, series, format = String, height = 180 }) {
  const width = 640;
  const pad = { left: 56, right: 8, top: 10, bottom: 34 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const all = series.flatMap((x) => x.values).filter((v) => v !== null && v !== undefined);
  const top = Math.max(0, ...all);
  const max = all.every(Number.isInteger) ? wholeMax(top) : niceMax(top);   // whole values: whole ticks
  const groupW = innerW / Math.max(1, categories.length);
  const barW = Math.max(1, Math.min(28, (groupW * 0.8) / Math.max(1, series.length)));
  const summary = categories.length === 0
    ? `${title}: no data yet`
    : `${title}: ${series.map((x) => `${x.name} ${x.values.map((v) => (v === null ? "none" : format(v))).join(", ")}`).join("; ")}`;
  const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": summary, class: "chart", preserveAspectRatio: "none" },
    s("title", {}, title));
  for (let i = 0; i <= 4; i++) {
    const y = pad.top + innerH - (innerH * i) / 4;
    svg.append(s("line", { x1: pad.left, x2: width - pad.right, y1: y, y2: y, class: "grid" }));
    svg.append(s("text", { x: pad.left - 6, y: y + 4, "text-anchor": "end", class: "tick" }, format((max * i) / 4)));
  }
  const labelEvery = Math.ceil(categories.length / 12);
  categories.forEach((cat, ci) => {
    const gx = pad.left + ci * groupW + (groupW - barW * series.length) / 2;
    series.forEach((ser, si) => {
      const v = ser.values[ci];
      if (v === null || v === undefined) return;
      const bh = (innerH * Math.max(0, v)) / max;
      svg.append(s("rect", {
        x: gx + si * barW, y: pad.top + innerH - bh, width: Math.max(1, barW - 1), height: Math.max(bh, v > 0 ? 1 : 0),
        fill: PALETTE[si % PALETTE.length], class: "bar",
        "data-series": ser.name, "data-category": cat, "data-value": v,
      }, s("title", {}, `${ser.name}, ${cat}: ${format(v)}`)));
    });
    if (ci % labelEvery === 0) {
      svg.append(s("text", { x: pad.left + ci * groupW + groupW / 2, y: height - pad.bottom + 16, "text-anchor": "middle", class: "tick" }, cat));
    }
  });
  svg.append(s("line", { x1: pad.left, x2: width - pad.right, y1: pad.top + innerH, y2: pad.top + innerH, class: "axis" }));
  const legend = series.length > 1
    ? h("ul.legend", {}, series.map((x, i) => h("li", {}, swatch(PALETTE[i % PALETTE.length]), x.name)))
    : null;
  const data = h("details.chart-data", {},
    h("summary", {}, "Data"),
    h("div.table-wrap", {}, h("table", { "data-chart-table": id },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Period"), series.map((x) => h("th", { scope: "col" }, x.name)))),
      h("tbody", {}, categories.map((cat, ci) => h("tr", {}, h("th", { scope: "row" }, cat),
        series.map((x) => h("td", { "data-value": x.values[ci] ?? "" }, x.values[ci] === null || x.values[ci] === undefined ? "—" : format(x.values[ci])))))))));
  return h("figure.chart-box", { "data-chart": id }, h("figcaption", {}, title), svg, legend, data);
}

/**
 * A row of cells, one per block, newest last: "signed" | "missed" | "unknown".
 * Ping.pub's uptime convention: green signed, red missed.
 */
export function signBar(label, cells) {
  const w = 6, gap = 1;
  const signed = cells.filter((c) => c === "signed").length;
  const known = cells.filter((c) => c !== "unknown").length;
  const text = known ? `${label}: signed ${signed} of the last ${known} blocks` : `${label}: signatures not available`;
  const svg = s("svg", { viewBox: `0 0 ${cells.length * (w + gap)} 16`, role: "img", "aria-label": text, class: "signbar" },
    s("title", {}, text));
  cells.forEach((c, i) => svg.append(s("rect", { x: i * (w + gap), y: 0, width: w, height: 16, class: `cell ${c}` })));
  return svg;
}

/** Tally bar of a proposal: yes / no / abstain as shares of the total weight, with the threshold marked. */
export function tallyBar({ yes, no, abstain, total, threshold, label }) {
  const width = 300;
  const scale = (x) => (total > 0 ? (width * x) / total : 0);
  const text = `${label}: yes ${yes}, no ${no}, abstain ${abstain} of ${total}` + (threshold ? `; passes at ${threshold}` : "");
  const svg = s("svg", { viewBox: `0 0 ${width} 14`, role: "img", "aria-label": text, class: "tally", preserveAspectRatio: "none" },
    s("title", {}, text),
    s("rect", { x: 0, y: 0, width, height: 14, class: "rest" }),
    s("rect", { x: 0, y: 0, width: scale(yes), height: 14, class: "yes" }),
    s("rect", { x: scale(yes), y: 0, width: scale(no), height: 14, class: "no" }),
    s("rect", { x: scale(yes + no), y: 0, width: scale(abstain), height: 14, class: "abstain" }));
  if (threshold && total) svg.append(s("line", { x1: scale(Math.min(threshold, total)), x2: scale(Math.min(threshold, total)), y1: 0, y2: 14, class: "threshold" }));
  return svg;
}

/** A horizontal share bar (member weight, validator power). */
export function shareBar(part, whole, label) {
  const pct = whole > 0 ? (100 * part) / whole : 0;
  const text = `${label}: ${pct.toFixed(1)}%`;
  return s("svg", { viewBox: "0 0 100 8", role: "img", "aria-label": text, class: "share", preserveAspectRatio: "none" },
    s("title", {}, text), s("rect", { x: 0, y: 0, width: 100, height: 8, class: "rest" }),
    s("rect", { x: 0, y: 0, width: pct, height: 8, class: "part" }));
}

/** A legend swatch; its colour is set through the CSSOM (the page's CSP forbids inline style attributes). */
function swatch(colour) {
  const el = h("span.swatch", { "aria-hidden": "true" });
  el.style.background = colour;
  return el;
}
