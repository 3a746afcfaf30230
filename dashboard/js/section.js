// A page is a header ("as of block N") and sections. Each section runs its own GraphQL
// query (small queries stay inside the API's token and depth limits, and a field the node
// does not serve only blanks the section that needs it).
//
// Section states, shown to the user and exposed as data-state for the tests:
//   loading | ready | unavailable (schema lacks a field) | error | stale (API unreachable:
//   the last good content stays, dimmed, with the height it reflects).

import { h, fill } from "./dom.js";
import { Unavailable, Unreachable } from "./gql.js";

let counter = 0;

export class Page {
  constructor(root, title, intro = "") {
    this.root = root;
    this.sections = [];
    this.asOf = h("p.asof", { "data-testid": "asof" }, "Loading…");
    this.heading = h("h1", { tabindex: "-1" }, title);
    fill(root, h("div.page-head", {}, this.heading, this.asOf), intro ? h("p.intro", {}, intro) : null);
  }

  /** Add a section. load() -> data (may include _meta.block.number); view(data) -> nodes. */
  section({ id, title, load, view, wide = false, controls = null }) {
    const sec = new Section(this, { id, title, load, view, wide, controls });
    this.sections.push(sec);
    this.root.append(sec.el);
    return sec;
  }

  /** Re-run every section's query; resolves when all have settled. */
  async refresh() {
    await Promise.all(this.sections.map((s) => s.run()));
    this.updateAsOf();
  }

  updateAsOf() {
    const heights = this.sections.map((s) => s.height).filter((x) => x !== null);
    const stale = this.sections.some((s) => s.state === "stale");
    if (!heights.length) {
      const none = this.sections.length && this.sections.every((s) => s.state === "unavailable");
      this.asOf.textContent = stale ? "No data: the API is unreachable" : none ? "Not available on this node" : "No block data yet";
      this.asOf.dataset.height = "";
      return;
    }
    const lo = Math.min(...heights), hi = Math.max(...heights);
    this.asOf.dataset.height = String(hi);
    this.asOf.textContent = (lo === hi ? `As of block ${hi}` : `As of blocks ${lo}–${hi}`) + (stale ? " (stale: API unreachable)" : "");
    this.asOf.classList.toggle("is-stale", stale);
  }
}

class Section {
  constructor(page, { id, title, load, view, wide, controls }) {
    const headingId = `sec-${id}-${++counter}`;
    this.page = page;
    this.load = load;
    this.view = view;
    this.height = null;
    this.state = "loading";
    this.body = h("div.section-body", {}, h("p.muted", {}, "Loading…"));
    this.note = h("p.section-note", { hidden: true });
    this.el = h(`section.panel${wide ? ".wide" : ""}`, { "aria-labelledby": headingId, "data-section": id, "data-state": "loading" },
      h("div.panel-head", {}, h("h2", { id: headingId }, title), h("span.block-tag", { "data-testid": "section-height" })),
      controls, this.note, this.body);
    this.running = null;
  }

  setState(state, note = "") {
    this.state = state;
    this.el.dataset.state = state;
    this.el.classList.toggle("is-stale", state === "stale");
    this.note.hidden = !note;
    this.note.textContent = note;
  }

  /** Render the last loaded data again (after a client-side filter change). */
  rerender() {
    if (this.data !== undefined && this.state === "ready") fill(this.body, this.view(this.data));
  }

  async run() {
    if (this.running) return this.running;   // one query per section at a time
    this.running = this._run().finally(() => { this.running = null; });
    return this.running;
  }

  async _run() {
    try {
      const data = await this.load();
      const height = data && data._meta ? data._meta.block.number : null;
      if (height !== null) this.height = height;
      this.el.querySelector("[data-testid=section-height]").textContent = this.height !== null ? `block ${this.height}` : "";
      this.data = data;
      fill(this.body, this.view(data));
      this.setState("ready");
    } catch (error) {
      if (error instanceof Unavailable) {
        this.height = null;
        this.setState("unavailable");
        fill(this.body, h("div.unavailable", {}, h("strong", {}, "Not available on this node."),
          " The GraphQL schema this node serves has no ", h("code", {}, error.fields.join(", ")), "."));
      } else if (error instanceof Unreachable) {
        this.setState("stale", this.height !== null
          ? `API unreachable: showing data as of block ${this.height}.`
          : "API unreachable: no data loaded yet.");
      } else {
        this.setState("error");
        fill(this.body, h("div.error", {}, h("strong", {}, "Could not load: "), error.message));
        console.error(error);
      }
    }
  }
}
