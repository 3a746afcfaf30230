// Market: open requests with their offers, and standing offers; filters by skill tag and by
// organization. Filters live in the URL (#/market?tag=first-aid&org=1) and are applied to
// the loaded lists in the page: an organization filter keeps what the organization's
// treasury or one of its members posted.

import { query } from "../gql.js";
import { h, amount, short, when, link, tags, status, fill } from "../dom.js";
import { Page } from "../section.js";
import { loadCounts } from "../app/counts.js";

const isOpen = (x) => String(x).toLowerCase() === "open";

export function mount(root, route) {
  const page = new Page(root, "Market", "Requests (vraag) and offers (aanbod) on the network.");
  let filter = { tag: route.params.get("tag") || "", org: route.params.get("org") || "" };
  let orgs = [];
  let knownTags = [];

  const tagSelect = h("select", { id: "filter-tag", name: "tag", onchange: () => go({ tag: tagSelect.value }) });
  const orgSelect = h("select", { id: "filter-org", name: "org", onchange: () => go({ org: orgSelect.value }) });
  const summary = h("p.muted", { "data-testid": "filter-summary", "aria-live": "polite" });
  const controls = h("form.filters", { role: "search", "aria-label": "Filter the market", onsubmit: (e) => e.preventDefault() },
    h("label", { for: "filter-tag" }, "Skill tag", tagSelect), h("label", { for: "filter-org" }, "Organization", orgSelect), summary);

  function go(change) {
    const next = { ...filter, ...change };
    const qs = new URLSearchParams();
    if (next.tag) qs.set("tag", next.tag);
    if (next.org) qs.set("org", next.org);
    location.hash = `#/market${qs.toString() ? "?" + qs : ""}`;
  }

  function options(select, items, current, allLabel) {
    fill(select, h("option", { value: "" }, allLabel), items.map(([value, label]) => h("option", { value, selected: value === current }, label)));
    select.value = current;
  }

  let controlsKey = "";
  function renderControls() {   // rebuilt only when the choices change (a live refresh must not reset a focused select)
    const key = JSON.stringify([knownTags, orgs.map((o) => [o.id, o.name]), filter]);
    if (key === controlsKey) return;
    controlsKey = key;
    options(tagSelect, knownTags.map((t) => [t, t]), filter.tag, "All tags");
    options(orgSelect, orgs.map((o) => [String(o.id), o.name]), filter.org, "All organizations");
  }

  function keep(item, who, itemTags) {
    if (filter.tag && !(itemTags || []).includes(filter.tag)) return false;
    if (filter.org) {
      const org = orgs.find((o) => String(o.id) === filter.org);
      if (!org) return false;
      const members = new Set([org.treasury, ...org.members.map((m) => m.address)]);
      if (!members.has(who)) return false;
    }
    return true;
  }

  page.onParams = (params) => {
    filter = { tag: params.get("tag") || "", org: params.get("org") || "" };
    renderControls();
    for (const sec of page.sections) sec.rerender();
  };

  const requests = page.section({
    id: "requests", title: "Open requests", wide: true, controls,
    load: async () => {
      const data = await query(`{ _meta { block { number } } requests(first: 500, orderDirection: desc, where: { status: "open" })
        { id requester title description tags budget offersUntil status postedAt offerCount project }
        offers(first: 1000, where: { status: "open" }) { ${OFFER_FIELDS} } }`);
      const byRequest = new Map();
      for (const o of data.offers) byRequest.set(o.request, [...(byRequest.get(o.request) || []), o]);
      for (const r of data.requests) r.offers = byRequest.get(r.id) || [];
      try {
        orgs = (await query("{ organizations(first: 100) { id name treasury members { address } } }")).organizations;
      } catch { orgs = []; }
      data.counts = await loadCounts();
      return data;
    },
    view: ({ requests: all, counts }) => {
      const open = all.filter((r) => isOpen(r.status));
      knownTags = [...new Set([...knownTags, ...open.flatMap((r) => r.tags)])].sort();
      renderControls();
      const shown = open.filter((r) => keep(r, r.requester, r.tags));
      summary.textContent = `${shown.length} of ${open.length} open requests` + (filter.tag ? ` tagged ${filter.tag}` : "") +
        (filter.org ? ` from ${(orgs.find((o) => String(o.id) === filter.org) || { name: "organization " + filter.org }).name}` : "") +
        (counts ? ` · ${counts.openRequests} open of ${counts.requests} requests ever posted` +
          (counts.openRequests > open.length ? ` (the newest ${open.length} open ones loaded)` : "") : "");
      if (!shown.length) return h("p.muted", { "data-testid": "no-requests" }, "No open requests match.");
      return h("ul.cards", { "data-testid": "requests" }, shown.map((r) => h("li.card", { "data-request": r.id },
        h("div.title", {}, `#${r.id} ${r.title} `, tags(r.tags)),
        h("div.meta", {}, `budget ${amount(r.budget)} · by `, link(`#/people/${r.requester}`, short(r.requester)),
          ` · offers until ${when(r.offersUntil)}`),
        r.description ? h("p", {}, r.description) : null,
        offerList(r, true),
        h("p", {}, link(`#/act/make_offer?request_id=${encodeURIComponent(r.id)}`, "Make an offer", { "data-act": "make_offer" })))));
    },
  });

  page.section({
    id: "standing", title: "Standing offers", wide: true,
    load: () => query(`{ _meta { block { number } } standingOffers(first: 500, where: { open: true }) { id provider title
      description tags price deliverySeconds open taken } }`),
    view: ({ standingOffers }) => {
      const open = standingOffers.filter((s) => s.open);
      knownTags = [...new Set([...knownTags, ...open.flatMap((s) => s.tags)])].sort();
      renderControls();
      const shown = open.filter((s) => keep(s, s.provider, s.tags));
      if (!shown.length) return h("p.muted", {}, "No standing offers match.");
      return h("ul.cards", { "data-testid": "standing-offers" }, shown.map((s) => h("li.card", { "data-standing": s.id },
        h("div.title", {}, `${s.title} `, tags(s.tags)),
        h("div.meta", {}, `${amount(s.price)} · delivered within ${Math.round(s.deliverySeconds / 86400 * 10) / 10} d · by `,
          link(`#/people/${s.provider}`, short(s.provider)), ` · taken ${s.taken}×`))));
    },
  });
  page.section({
    id: "closed", title: "Closed requests (latest 50)", wide: true,
    load: async () => {
      const data = await query(`{ _meta { block { number } } requests(first: 50, orderDirection: desc,
        where: { status_in: ["withdrawn", "expired", "accepted"] }) { id requester title tags budget status postedAt agreement } }`);
      const offers = await Promise.all(data.requests.map((r) => query(`query($r: String!) {
        offers(where: { request: $r }, first: 50) { ${OFFER_FIELDS} } }`, { r: r.id })));
      data.requests.forEach((r, i) => { r.offers = offers[i].offers; });
      return data;
    },
    view: ({ requests: closed }) => !closed.length ? h("p.muted", {}, "No request has closed yet.")
      : h("ul.cards", { "data-testid": "closed-requests" }, closed.map((r) => h("li.card", { "data-request": r.id },
        h("div.title", {}, `#${r.id} ${r.title} `, status(r.status), " ", tags(r.tags)),
        h("div.meta", {}, `budget ${amount(r.budget)} · by `, link(`#/people/${r.requester}`, short(r.requester)),
          r.agreement ? [" · ", link(`#/agreements/${r.agreement}`, `agreement #${r.agreement}`)] : null),
        offerList(r, false)))),
  });
  void requests;
  return page;
}

const OFFER_FIELDS = "id request provider price deadline status arbiter milestones { title amount deadline }";

/** The offers on a request: id, price, provider, deadline, arbiter, milestones (and, if open, an accept link). */
function offerList(r, open) {
  if (!r.offers.length) return h("p.muted", {}, "No offers.");
  return h("ul", { "aria-label": `offers on request ${r.id}` }, r.offers.map((o) => h("li", { "data-offer": o.id },
    `Offer #${o.id}: ${amount(o.price)} by `, link(`#/people/${o.provider}`, short(o.provider)),
    ` · deliver by ${when(o.deadline)} · `, o.arbiter ? ["arbiter ", link(`#/people/${o.arbiter}`, short(o.arbiter), { "data-arbiter": o.arbiter })]
      : "no arbiter", " ", status(o.status),
    o.milestones && o.milestones.length ? h("ol.milestones", { start: "0" }, o.milestones.map((m) =>
      h("li", {}, `${m.title}: ${amount(m.amount)} by ${when(m.deadline)}`))) : null,
    open ? [" ", link(`#/act/accept_offer?offer_id=${encodeURIComponent(o.id)}`, "Accept", { "data-act": "accept_offer" })] : null)));
}
