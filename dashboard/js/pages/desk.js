// My desk on the Me page, and the count in the navigation bar (js/app/desk.js computes it).

import { h, fill, duration } from "../dom.js";
import { loadDesk } from "../app/desk.js";
import { current } from "../app/session.js";

/** Update the nav count for the current key; returns the desk (or null without a key). */
export async function updateCount() {
  const badge = document.getElementById("desk-count");
  const me = await current();
  if (!me) { badge.hidden = true; return null; }
  let desk;
  try { desk = await loadDesk(me.address); } catch { return null; }
  badge.hidden = desk.items.length === 0;
  badge.textContent = String(desk.items.length);
  badge.setAttribute("aria-label", `${desk.items.length} thing(s) need you`);
  return desk;
}

function timeLeft(due, now) {
  if (!due) return null;
  const left = due - now;
  return h("span.muted", {}, left > 0 ? ` · ${duration(left)} left` : " · due now");
}

/** The desk panel; refresh() re-reads it (on every block). */
export function deskSection() {
  const body = h("div", {}, h("p.muted", {}, "Loading…"));
  const el = h("section.panel.wide", { "data-section": "desk", "data-state": "loading", "aria-label": "My desk" },
    h("div.panel-head", {}, h("h2", {}, "My desk: what needs me now")), body);
  el.refresh = async () => {
    const desk = await updateCount();
    el.dataset.state = "ready";
    if (desk) el.dataset.height = String(desk.height);
    if (!desk) return fill(body, h("p.muted", {}, "No key, or the API is unreachable."));
    if (!desk.items.length) return fill(body, h("p.muted", { "data-testid": "desk-empty" }, "Nothing needs you right now."));
    fill(body, h("ul.desk", { "data-testid": "desk" }, desk.items.map((item) =>
      h("li", { "data-desk": item.kind }, h("a", { href: item.href }, item.text), timeLeft(item.due, desk.now)))));
  };
  el.refresh();
  return el;
}
