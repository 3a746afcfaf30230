// Agreements: the pipeline by status (active, delivered, disputed, completed, broken,
// cancelled), and one agreement's timeline with its milestones, documents and ratings.

import { query } from "../gql.js";
import { h, amount, short, when, link, lit, tags, status, table } from "../dom.js";
import { Page } from "../section.js";

export const STATUSES = ["active", "delivered", "disputed", "completed", "broken", "cancelled"];

export function mount(root, route) {
  const id = route.parts[0];
  return id ? detail(root, Number(id)) : pipeline(root);
}

function pipeline(root) {
  const page = new Page(root, "Agreements", "Every agreement by where it stands; escrow is held until it settles.");
  page.section({
    id: "pipeline", title: "Pipeline", wide: true,
    load: () => query(`{ _meta { block { number } } agreements(first: 500, orderDirection: desc) { id requester provider
      price escrow status tags createdAt } }`),
    view: ({ agreements }) => h("div.pipeline", { "data-testid": "pipeline" }, STATUSES.map((st) => {
      const items = agreements.filter((a) => String(a.status).toLowerCase() === st);
      return h("section.column", { "data-status": st, "aria-label": `${st}: ${items.length}` },
        h("h3", {}, st[0].toUpperCase() + st.slice(1), h("span.badge", { "data-testid": "count" }, String(items.length))),
        items.length ? h("ul.cards", {}, items.map((a) => h("li.card", { "data-agreement": a.id },
          link(`#/agreements/${a.id}`, `#${a.id} · ${amount(a.price)}`, { class: "title" }), " ", tags(a.tags),
          h("div.meta", {}, `${short(a.requester)} → ${short(a.provider)}`, Number(a.escrow) ? ` · escrow ${amount(a.escrow)}` : ""))))
          : h("p.muted", {}, "None."));
    })),
  });
  return page;
}

/** Timeline entries of an agreement, oldest first: [time, text]. */
export function timeline(a) {
  const items = [];
  if (a.postedAt) items.push([a.postedAt, a.standingOfferId ? "Standing offer taken" : "Request posted"]);
  if (a.firstOfferAt) items.push([a.firstOfferAt, "First offer"]);
  items.push([a.createdAt, `Agreement made: ${amount(a.price)} into escrow`]);
  a.milestones.forEach((m, i) => {
    const name = `Milestone ${i + 1} "${m.title}"`;
    if (m.deliveredAt) items.push([m.deliveredAt, `${name} delivered`]);
    if (m.disputedAt) items.push([m.disputedAt, `${name} disputed`]);
    if (m.settledAt) items.push([m.settledAt, `${name} settled: ${amount(m.toProvider)} to the provider, ${amount(m.toRequester)} back to the requester`]);
  });
  for (const d of a.documents || []) items.push([d.attachedAt, `Document attached: ${d.title || short(d.contentHash)}`]);
  for (const r of a.ratings || []) items.push([r.ratedAt, `${short(r.rater)} rated ${short(r.rated)} ${r.score}/5`]);
  if (a.settledAt) items.push([a.settledAt, `Settled: ${String(a.status).toLowerCase()}`]);
  return items.sort((x, y) => x[0] - y[0]);
}

function detail(root, id) {
  const page = new Page(root, `Agreement #${id}`, "");
  page.section({
    id: "agreement", title: "Timeline", wide: true,
    load: () => query(`{ _meta { block { number } } agreement(id: ${lit(id)}) { id requester provider arbiter price escrow
      status tags requestId standingOfferId projectId postedAt firstOfferAt createdAt settledAt
      milestones { title amount deadline status deliveredAt disputedAt settledAt toProvider toRequester }
      documents { contentHash title mediaType uri attachedAt attachedBy }
      ratings { rater rated score ratedAt } } }`),
    view: ({ agreement: a }) => {
      if (!a) return h("p.muted", {}, `There is no agreement ${id}.`);
      return [
        h("p", {}, status(a.status), ` ${amount(a.price)} · `, tags(a.tags), " · requester ", link(`#/people/${a.requester}`, short(a.requester)),
          " · provider ", link(`#/people/${a.provider}`, short(a.provider)),
          a.arbiter ? [" · arbiter ", link(`#/people/${a.arbiter}`, short(a.arbiter))] : "",
          Number(a.escrow) ? ` · escrow held ${amount(a.escrow)}` : ""),
        h("ol.timeline", { "data-testid": "timeline" }, timeline(a).map(([t, text]) => h("li", {}, h("time", {}, when(t)), text))),
        table("Milestones", ["#", "Title", "Amount", "Deadline", "Status", "Paid out"], a.milestones.map((m, i) => [String(i + 1), m.title,
          amount(m.amount), when(m.deadline), status(m.status), m.settledAt ? `${amount(m.toProvider)} / ${amount(m.toRequester)}` : "—"]),
        { "data-testid": "milestones" }),
        (a.documents || []).length ? table("Documents", ["Title", "Type", "Content hash", "Attached"], a.documents.map((d) => [
          d.uri ? h("span", {}, d.title, " ", h("code", {}, d.uri)) : d.title, d.mediaType, h("code", {}, short(d.contentHash, 12)), when(d.attachedAt)]),
        { "data-testid": "documents" }) : h("p.muted", {}, "No documents attached."),
      ];
    },
  });
  return page;
}
