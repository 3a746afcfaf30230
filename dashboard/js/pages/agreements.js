// Agreements: the pipeline by status and one agreement's timeline with its milestones,
// documents and ratings.
//
// The API gives `status` "open" or, once settled, the outcome (completed, arbitrated,
// broken, cancelled). The pipeline splits open agreements by their milestones
// (agreementStage): any milestone disputed -> disputed; otherwise any still active ->
// active; otherwise (every open milestone delivered, awaiting review) -> delivered.

import { query } from "../gql.js";
import { h, amount, short, when, link, lit, tags, status, table, duration } from "../dom.js";
import { Page } from "../section.js";
import { provenAgreement } from "./proven.js";
import { loadCounts } from "../app/counts.js";

export const STAGES = ["active", "delivered", "disputed", "completed", "arbitrated", "broken", "cancelled"];
const STAGE_HELP = {
  active: "work under way", delivered: "delivered, awaiting the requester", disputed: "waiting for the arbiter",
  completed: "paid out in full", arbitrated: "settled by the arbiter's split", broken: "deadline missed, refunded",
  cancelled: "both parties cancelled, refunded",
};
const OPEN_MILESTONE = new Set(["active", "delivered", "disputed"]);

export function agreementStage(a) {
  if (a.settled) return String(a.outcome || a.status).toLowerCase();
  const open = a.milestones.map((m) => String(m.status).toLowerCase()).filter((s) => OPEN_MILESTONE.has(s));
  if (open.includes("disputed")) return "disputed";
  if (open.includes("active")) return "active";
  return "delivered";
}

export function mount(root, route) {
  const id = route.parts[0];
  return id ? detail(root, id) : pipeline(root);
}

const CARD_FIELDS = "id requester provider price escrow status settled outcome tags createdAt milestones { status }";
const OPEN_PAGE = 500;
const SETTLED_PAGE = 100;

/** Open agreements (up to OPEN_PAGE) and the newest settled ones, with the exact counts when served. */
async function loadPipeline() {
  const data = await query(`{ _meta { block { number } }
    open: agreements(first: ${OPEN_PAGE}, orderDirection: desc, where: { settled: false }) { ${CARD_FIELDS} }
    settled: agreements(first: ${SETTLED_PAGE}, orderDirection: desc, where: { settled: true }) { ${CARD_FIELDS} } }`);
  data.counts = await loadCounts();
  return data;
}

/** How many agreements a column holds, as text: exact from `counts` (settled outcomes; open stages when
 * every open agreement was loaded), else "≥ n" of the loaded ones. */
function stageCount(stage, items, data) {
  const c = data.counts;
  if (!c) return String(items.length);
  if (!OPEN_MILESTONE.has(stage)) return String((c.settled.find((x) => x.outcome === stage) || { count: 0 }).count);
  return c.openAgreements > data.open.length ? `≥ ${items.length}` : String(items.length);
}

function pipeline(root) {
  const page = new Page(root, "Agreements", "Every agreement by where it stands; escrow is held until it settles.");
  page.section({
    id: "pipeline", title: "Pipeline", wide: true,
    load: loadPipeline,
    view: (data) => [
      data.counts ? h("p", { "data-testid": "agreement-total" }, `${data.counts.agreements} agreements: ${data.counts.openAgreements} open, ` +
        `${data.counts.agreements - data.counts.openAgreements} settled` +
        (data.counts.openAgreements > data.open.length ? ` (open ones staged over the newest ${data.open.length})` : "") +
        `; cards show the newest ${SETTLED_PAGE} settled.`) : null,
      h("div.pipeline", { "data-testid": "pipeline" }, STAGES.map((stage) => {
        const items = [...data.open, ...data.settled].filter((a) => agreementStage(a) === stage);
        const title = stage[0].toUpperCase() + stage.slice(1);
        const count = stageCount(stage, items, data);
        return h("section.column", { "data-status": stage, "aria-label": `${title}: ${count}` },
          h("h3", {}, h("span", {}, title, h("span.muted", {}, ` · ${STAGE_HELP[stage]}`)), h("span.badge", { "data-testid": "count" }, count)),
          items.length ? h("ul.cards", {}, items.map((a) => h("li.card", { "data-agreement": a.id },
            link(`#/agreements/${a.id}`, `#${a.id} · ${amount(a.price)}`, { class: "title" }), " ", tags(a.tags),
            h("div.meta", {}, `${short(a.requester)} → ${short(a.provider)}`, Number(a.escrow) ? ` · escrow ${amount(a.escrow)}` : ""))))
            : h("p.muted", {}, "None."));
      }))],
  });
  return page;
}

/** Timeline entries of an agreement, oldest first: [time, text]. */
export function timeline(a) {
  const items = [];
  const f = a.friction;
  if (f && f.toAgreement >= 0) {
    const posted = a.createdAt - f.toAgreement;
    items.push([posted, a.standingOffer ? `Standing offer #${a.standingOffer} taken` : `Request #${a.request} posted`]);
    if (f.toFirstOffer >= 0) items.push([posted + f.toFirstOffer, "First offer made"]);
  }
  items.push([a.createdAt, `Agreement made: ${amount(a.price)} into escrow`]);
  a.milestones.forEach((m, i) => {
    const name = `Milestone ${i + 1}` + (m.title && m.title !== `Milestone ${i + 1}` ? ` "${m.title}"` : "");
    if (m.deliveredAt) items.push([m.deliveredAt, `${name} delivered`]);
    if (m.disputedAt) items.push([m.disputedAt, `${name} disputed by the ${m.disputedBy}`]);
    if (m.settledAt) items.push([m.settledAt, `${name} ${String(m.status).toLowerCase()}: ${amount(m.toProvider)} to the provider, ${amount(m.toRequester)} back to the requester`]);
  });
  for (const r of a.ratings || []) items.push([r.ratedAt, `${short(r.rater)} rated ${short(r.rated)} ${r.score}/5`]);
  if (a.settled) items.push([a.settledAt, `Settled: ${String(a.outcome).toLowerCase()}`]);
  return items.sort((x, y) => x[0] - y[0]);
}

/** Registered documents among `hashes` (the first ten distinct; aliases are capped by the API): hash -> document. */
async function registered(hashes) {
  const shown = [...new Set(hashes.filter(Boolean))].slice(0, 10);
  if (!shown.length) return {};
  const docs = await query(`{ ${shown.map((x, i) => `d${i}: document(hash: ${lit(x)}) { title owner publishedAt }`).join(" ")} }`);
  return Object.fromEntries(shown.map((x, i) => [x, docs[`d${i}`]]).filter(([, d]) => d));
}

function detail(root, id) {
  const page = new Page(root, `Agreement #${id}`, "");
  page.section({
    id: "agreement", title: "Timeline", wide: true,
    load: async () => {
      const data = await query(`{ _meta { block { number } } agreement(id: ${lit(id)}) { id requester provider arbiter price escrow
      status settled outcome tags request standingOffer project createdAt settledAt txs fees
      milestones { title amount deadline status deliveredAt deliveryHash disputedAt disputedBy settledAt toProvider toRequester }
      ratings { rater rated score ratedAt } friction { toFirstOffer toAgreement toDelivery toSettlement } } }`);
      data.deliveries = data.agreement ? await registered(data.agreement.milestones.map((m) => m.deliveryHash)) : {};
      return data;
    },
    view: ({ agreement: a, deliveries }) => {
      if (!a) return h("p.muted", {}, `There is no agreement ${id}.`);
      const f = a.friction;
      return [
        provenAgreement(id),
        h("p", {}, status(agreementStage(a)), ` ${amount(a.price)} · `, tags(a.tags), " · requester ", link(`#/people/${a.requester}`, short(a.requester)),
          " · provider ", link(`#/people/${a.provider}`, short(a.provider)),
          a.arbiter ? [" · arbiter ", link(`#/people/${a.arbiter}`, short(a.arbiter))] : "",
          Number(a.escrow) ? ` · escrow held ${amount(a.escrow)}` : "", ` · ${a.txs} transactions, fees ${amount(a.fees)}`),
        f ? h("p.muted", { "data-testid": "agreement-friction" }, `Time to agreement ${duration(f.toAgreement)} · to delivery ${duration(f.toDelivery)} · to settlement ${duration(f.toSettlement)}`) : null,
        h("ol.timeline", { "data-testid": "timeline" }, timeline(a).map(([t, text]) => h("li", {}, h("time", {}, when(t)), text))),
        table("Milestones", ["#", "Title", "Amount", "Deadline", "Status", "Delivered (content hash)", "Paid out (provider / requester)"],
          a.milestones.map((m, i) => [String(i + 1), m.title, amount(m.amount), when(m.deadline), status(m.status),
            m.deliveryHash ? [h("code", { title: m.deliveryHash, "data-delivery-hash": m.deliveryHash }, short(m.deliveryHash, 10)),
              deliveries[m.deliveryHash] ? h("span", { "data-delivered-document": m.deliveryHash }, ` "${deliveries[m.deliveryHash].title}"`)
                : h("span.muted", {}, " (not registered)")] : "—",
            m.settledAt ? `${amount(m.toProvider)} / ${amount(m.toRequester)}` : "—"]),
        { "data-testid": "milestones" }),
      ];
    },
  });
  page.section({
    id: "documents", title: "Documents", wide: true,
    load: async () => {
      const data = await query(`{ _meta { block { number } } attachments(kind: "agreement", id: ${lit(id)}) { contentHash attachedBy attachedAt } }`);
      const shown = data.attachments.slice(0, 10);          // aliases are capped by the API
      data.documents = {};
      if (shown.length) {
        const docs = await query(`{ ${shown.map((a, i) => `d${i}: document(hash: ${lit(a.contentHash)}) { title mediaType uri owner publishedAt supersededBy }`).join(" ")} }`);
        shown.forEach((a, i) => { data.documents[a.contentHash] = docs[`d${i}`]; });
      }
      return data;
    },
    view: ({ attachments, documents }) => !attachments.length ? h("p.muted", {}, "No documents attached.") :
      table("Registered by content hash; the content stays off the ledger", ["Title", "Type", "Content hash", "Attached by", "When"], attachments.map((a) => {
        const d = documents[a.contentHash] || {};
        return [h("span", {}, d.title || "(unregistered)", d.supersededBy ? " (superseded)" : "", d.uri ? [" ", h("code", {}, d.uri)] : ""),
          d.mediaType || "—", h("code", { title: a.contentHash }, short(a.contentHash, 12)), link(`#/people/${a.attachedBy}`, short(a.attachedBy)), when(a.attachedAt)];
      }), { "data-testid": "documents" }),
  });
  return page;
}
