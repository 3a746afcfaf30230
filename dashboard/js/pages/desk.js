// My desk: what needs me now (filled in by a later step).

import { h } from "../dom.js";

export function deskSection() {
  return h("section.panel.wide", { "data-section": "desk", "data-state": "ready", "aria-label": "My desk" },
    h("div.panel-head", {}, h("h2", {}, "My desk")), h("p.muted", {}, "Nothing needs you right now."));
}
