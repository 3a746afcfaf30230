// The organization tools on an organization's page: who votes for whom (delegations),
// roles with budgets (and their recent uses), streams the treasury pays or receives, and
// sub-organizations (the parent link, each child's veto window, projects and agreements).
// Also a person's streams (People) and the network's recurring cost of streams (Friction).
// Each is its own section with its own query, so a node without one of the fields only
// blanks that section.  The links open the app's forms (#/act/<kind>?field=value) filled in.

import { query, Unavailable } from "../gql.js";
import { h, amount, short, when, duration, table, link, lit, status, tags } from "../dom.js";

const RECENT_USES = 10;

/** A link to the app's form for ``kind`` with ``fields`` filled in. */
export function actLink(kind, text, fields = {}) {
  const params = new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)]));
  return link(`#/act/${kind}?${params}`, text, { "data-act": kind });
}

/** A link to the proposal form of organization ``orgId`` with its one action ``kind`` chosen and ``fields`` filled in. */
export function proposeLink(text, orgId, title, kind, fields = {}) {
  const nested = Object.fromEntries(Object.entries(fields).map(([k, v]) => [`actions.0.${kind}.${k}`, v]));
  return actLink("submit_proposal", text, { org_id: orgId, title, "actions.0.kind": kind, ...nested });
}

const who = (address) => link(`#/people/${address}`, short(address));
const attr = (event, key) => (event.attributes.find((a) => a.key === key) || {}).value || "";

/** Add the four sections to ``page`` for organization ``id``; ``org()`` awaits the organization record. */
export function addSections(page, id, org) {
  page.section({ id: "delegations", title: "Who votes for whom", wide: true,
    load: () => query(`{ _meta { block { number } } delegations(organization: ${lit(id)}) { delegator delegate tag since } }`),
    view: ({ delegations }) => delegationsView(id, delegations) });
  page.section({ id: "roles", title: "Roles with budgets", wide: true,
    load: () => query(`{ _meta { block { number } } roles(organization: ${lit(id)})
        { name holder kinds limit period expiresAt grantedAt uses remaining expired }
      events(where: { type: "role_used", attributes_contains: [{ key: "org_id", value: ${lit(id)} }] },
        orderDirection: desc, first: ${RECENT_USES}) { blockNumber attributes { key value } } }`),
    view: (data) => rolesView(id, data) });
  page.section({ id: "streams", title: "Streams (recurring payments)", wide: true,
    load: async () => {
      const o = await org();
      if (!o) throw new Unavailable(["Query.organization (streams are listed by treasury)"]);
      return loadStreams(o.treasury);
    },
    view: (data) => streamsView(id, data) });
  page.section({ id: "suborgs", title: "Sub-organizations", wide: true,
    load: () => loadSubOrgs(id),
    view: (data) => subOrgsView(id, data) });
}

function delegationsView(id, delegations) {
  const lend = h("p.meta", {}, actLink("delegate_vote", "Lend your vote", { org_id: id }), " · ",
    actLink("revoke_delegation", "Take it back", { org_id: id }));
  if (!delegations.length) return [h("p.muted", {}, "Nobody delegates: every member votes with their own weight."), lend];
  return [table(`${delegations.length} delegation(s); a direct vote always counts first`,
    ["Member", "Votes through", "For proposals", "Since"],
    delegations.map((d) => [who(d.delegator), who(d.delegate), d.tag ? tags([d.tag]) : "all", when(d.since)]),
    { "data-testid": "delegations" }), lend];
}

function rolesView(id, { roles, events }) {
  const grant = h("p.meta", {}, proposeLink("Propose a role", id, "Grant a role", "grant_role", { org_id: id }));
  if (!roles.length) return [h("p.muted", {}, "No roles: every spending goes through a proposal."), grant];
  const uses = events.map((e) => [`block ${e.blockNumber}`, attr(e, "name"), who(attr(e, "holder")), attr(e, "kind"),
    amount(attr(e, "spent")), amount(attr(e, "remaining"))]);
  return [
    table("Roles", ["Role", "Holder", "May", "Limit per period", "Left this period", "Until", "Uses", ""],
      roles.map((r) => [r.name, who(r.holder), r.kinds.join(", "), `${amount(r.limit)} / ${duration(r.period)}`,
        h("span", { "data-remaining": r.name }, amount(r.remaining)),
        r.expired ? status("expired") : when(r.expiresAt), String(r.uses),
        h("span", {}, r.expired ? "" : [actLink("act_as_role", "Act in this role", { org_id: id, name: r.name }), " "],
          proposeLink("Propose to revoke", id, `Revoke the role ${r.name}`, "revoke_role", { org_id: id, name: r.name }))]),
      { "data-testid": "roles" }),
    uses.length ? table(`Recent uses (last ${RECENT_USES})`, ["When", "Role", "By", "Action", "Spent", "Left"], uses,
      { "data-testid": "role-uses" }) : h("p.muted", {}, "No role has been used yet."),
    grant];
}

const STREAM_FIELDS = "id payer recipient amountPerPeriod period start total claimed accrued claimable reserved status stoppedAt";
const COST_FIELDS = "active per30Days reserved paid returned";

async function loadStreams(address) {
  return query(`{ _meta { block { number } } paid: streams(address: ${lit(address)}) { ${STREAM_FIELDS} }
    received: streams(address: ${lit(address)}, received: true) { ${STREAM_FIELDS} }
    cost: recurringCost(scope: ${lit(`org/${address}`)}) { ${COST_FIELDS} } }`);
}

function costLine(cost, whose) {
  return h("p.meta", { "data-testid": "recurring-cost" }, `${whose} ${cost.active} active stream(s): ${amount(cost.per30Days)} ` +
    `every 30 days; ${amount(cost.reserved)} reserved, ${amount(cost.paid)} paid, ${amount(cost.returned)} returned by stops.`);
}

/** ``id``: the organization (its stop is a proposal), or null for a person (who stops directly). */
function streamRow(id, s, side) {
  const stopped = s.status !== "active";
  const stop = stopped || side !== "paid" ? "" : id === null ? actLink("stop_stream", "Stop", { stream_id: s.id })
    : proposeLink("Propose to stop", id, `Stop stream ${s.id}`, "stop_stream", { stream_id: s.id });
  return [`#${s.id}`, who(side === "paid" ? s.recipient : s.payer),
    `${amount(s.amountPerPeriod)} / ${duration(s.period)}`, amount(s.accrued), amount(s.claimable), amount(s.reserved),
    stopped ? h("span", {}, status(s.status), s.stoppedAt ? ` ${when(s.stoppedAt)}` : "") : status(s.status),
    h("span", {}, Number(s.claimable) > 0 ? actLink("claim_stream", "Claim", { stream_id: s.id }) : "", " ", stop)];
}

function streamsView(id, { paid, received, cost }) {
  const headers = ["Stream", "", "Rate", "Accrued", "Claimable", "Reserved", "Status", ""];
  const start = id === null ? h("p.meta", {}, actLink("create_stream", "Start a stream"))
    : h("p.meta", {}, proposeLink("Propose a stream from the treasury", id, "Pay by stream", "create_stream"),
      " · ", actLink("create_stream", "Start a stream yourself"));
  const whose = id === null ? "Pays" : "The treasury pays";
  const part = (list, side, caption, other) => list.length
    ? table(caption, headers.map((x, i) => (i === 1 ? other : x)), list.map((s) => streamRow(id, s, side)), { "data-testid": `streams-${side}` })
    : null;
  if (!paid.length && !received.length) return [h("p.muted", {}, "No streams paid or received."), start];
  return [costLine(cost, whose), part(paid, "paid", "Paid", "Recipient"), part(received, "received", "Received", "Payer"), start];
}

/** People: the streams an account pays and receives, with claim and stop links. */
export function addPersonStreams(page, address) {
  page.section({ id: "streams", title: "Streams (recurring payments)", wide: true,
    load: () => loadStreams(address), view: (data) => streamsView(null, data) });
}

/** Friction: what streams cost the network, as recurring figures. */
export function addRecurringCost(page) {
  page.section({ id: "recurring", title: "Recurring costs (streams)",
    load: () => query(`{ _meta { block { number } } recurringCost(scope: "all") { ${COST_FIELDS} } }`),
    view: ({ recurringCost: c }) => h("dl.stats", { "data-testid": "recurring-cost" },
      [["active", "Active streams", String(c.active)], ["per30Days", "Paid every 30 days", amount(c.per30Days)],
        ["reserved", "Reserved", amount(c.reserved)], ["paid", "Paid so far", amount(c.paid)],
        ["returned", "Returned by stops", amount(c.returned)]].map(([key, label, value]) =>
        h("div.stat", { "data-stat": key }, h("dt", {}, label), h("dd", {}, h("span.value", {}, value))))) });
}

async function loadSubOrgs(id) {
  const data = await query(`{ _meta { block { number } } parentOrganization(child: ${lit(id)}) { vetoWindow organization { id name } }
    subOrganizations(parent: ${lit(id)}) { vetoWindow createdAt organization { id name status treasury treasuryBalance } } }`);
  const children = data.subOrganizations.slice(0, 20);
  if (children.length) {
    const parts = children.map((c, i) => `p${i}: projects(owner: ${lit(c.organization.treasury)}, first: 20) { id title budget }
      a${i}: agreements(first: 20, where: { requester: ${lit(c.organization.treasury)} }) { id price escrow settled outcome }`);
    const under = await query(`{ ${parts.join("\n")} }`);
    children.forEach((c, i) => { c.projects = under[`p${i}`]; c.agreements = under[`a${i}`]; });
  }
  return { ...data, children };
}

function subOrgsView(id, { parentOrganization: parent, children }) {
  const found = h("p.meta", {}, proposeLink("Propose a sub-organization", id, "Found a sub-organization",
    "create_sub_organization", { org_id: id }));
  const up = parent ? h("p", { "data-testid": "parent-org" }, "A sub-organization of ",
    link(`#/organizations/${parent.organization.id}`, parent.organization.name, { "data-org": parent.organization.id }),
    `: its passed proposals wait ${duration(parent.vetoWindow)} for the parent's veto (`,
    proposeLink("propose a veto in the parent", parent.organization.id, "Veto a proposal of the sub-organization",
      "veto_proposal"), ").") : null;
  if (!children.length) return [up, h("p.muted", {}, "No sub-organizations."), found];
  return [up, h("ul.cards", { "data-testid": "suborgs" }, children.map((c) => h("li.card", { "data-child": c.organization.id },
    h("div.title", {}, link(`#/organizations/${c.organization.id}`, c.organization.name), " ", status(c.organization.status)),
    h("div.meta", {}, `treasury ${amount(c.organization.treasuryBalance)} · veto window ${duration(c.vetoWindow)} · since ${when(c.createdAt)} · `,
      proposeLink("Propose to dissolve", id, `Dissolve ${c.organization.name}`, "dissolve_sub_organization",
        { org_id: c.organization.id })),
    c.projects.length ? h("div.meta", { "data-testid": "child-projects" }, "Projects: ",
      c.projects.map((p, i) => [i ? ", " : "", `#${p.id} ${p.title} (${amount(p.budget)})`])) : null,
    c.agreements.length ? h("div.meta", { "data-testid": "child-agreements" }, "Agreements: ",
      c.agreements.map((a, i) => [i ? ", " : "", link(`#/agreements/${a.id}`, `#${a.id}`),
        ` ${amount(a.price)} ${a.settled ? a.outcome : `(escrow ${amount(a.escrow)})`}`])) : null))), found];
}
