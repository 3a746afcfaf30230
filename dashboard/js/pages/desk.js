// My desk on the Me page, and the count in the navigation bar (js/app/desk.js computes it).

import { h, fill, duration, when } from "../dom.js";
import { loadDesk } from "../app/desk.js";
import { markSeen } from "../app/notices.js";
import { current } from "../app/session.js";

/** Update the nav count for the current key; returns the desk (or null without a key). */
export async function updateCount() {
  const badge = document.getElementById("desk-count");
  const me = await current();
  if (!me) { badge.hidden = true; return null; }
  let desk;
  try { desk = await loadDesk(me.address); } catch { return null; }
  const count = desk.items.length + desk.notices.length;
  badge.hidden = count === 0;
  badge.textContent = String(count);
  badge.setAttribute("aria-label", `${count} thing(s) need you or happened since you last looked`);
  return desk;
}

function timeLeft(due, now) {
  if (!due) return null;
  const left = due - now;
  return h("span.muted", {}, left > 0 ? ` · ${duration(left)} left` : " · due now");
}

/** "Since you last looked": the other side's actions, with a button marking them seen. */
function noticesList(desk, refresh) {
  if (!desk.notices.length) return null;
  const seen = h("button", { type: "button", "data-action": "mark-seen" }, "Mark as seen");
  seen.addEventListener("click", async () => {
    const me = await current();
    if (me) markSeen(me.address, desk.now, desk.notices);
    refresh();
  });
  return h("div.notices", { "data-testid": "notices" }, h("h3", {}, "Since you last looked, the other side acted"),
    h("ul.desk", {}, desk.notices.map((n) => h("li", { "data-notice": n.id }, h("a", { href: n.href }, n.text),
      h("span.muted", {}, ` · ${when(n.at)}`)))), seen);
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
    fill(body, noticesList(desk, () => el.refresh()),
      !desk.items.length ? h("p.muted", { "data-testid": "desk-empty" }, "Nothing needs you right now.")
        : h("ul.desk", { "data-testid": "desk" }, desk.items.map((item) =>
          h("li", { "data-desk": item.kind }, h("a", { href: item.href }, item.text), timeLeft(item.due, desk.now)))));
  };
  el.refresh();
  return el;
}
